import { readdir, realpath, stat } from 'node:fs/promises'
import { isAbsolute, join } from 'node:path'

export interface DiscoveryResult {
  /** Matched files, named as matched, byte-wise sorted. */
  files: string[]
  /** Set when the glob cannot be searched at all (SPEC §4.1). */
  error?: string
}

const META = /[*?[{]/
// Matching follows the file system: case-insensitive where the Go original was (macOS, Windows).
const CASE_INSENSITIVE = process.platform === 'darwin' || process.platform === 'win32'

/** The glob of SPEC §4.1: `--path` joined with `--pattern`, or an absolute pattern alone. */
export function joinGlob(path: string, pattern: string): string {
  return isAbsolute(pattern) ? pattern : join(path, pattern)
}

/** Finds the definition files matching `glob`, relative to the working directory. */
export async function findDefinitionFiles(glob: string): Promise<DiscoveryResult> {
  const segments = glob.split('/')
  const firstMeta = segments.findIndex((segment) => META.test(segment))
  if (firstMeta === -1) {
    return findLiteral(glob)
  }

  const prefix = segments.slice(0, firstMeta).join('/') || (glob.startsWith('/') ? '/' : '')
  const rest = segments.slice(firstMeta).join('/')
  const base = prefix === '' ? '.' : prefix
  const baseStat = await stat(base).catch(() => undefined)
  if (!baseStat) {
    return { files: [], error: `finding files with glob: ${prefix}: no such file or directory` }
  }

  if (!baseStat.isDirectory()) {
    return { files: [] }
  }

  const matched = await walk({ base, rest })
  const files = matched.map((relative) => (prefix === '' ? relative : join(prefix, relative)))
  return { files: files.sort(compareByteWise) }
}

/** Compares strings by their UTF-8 bytes, the order the spec uses for files, tasks and names. */
export function compareByteWise(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a), Buffer.from(b))
}

async function findLiteral(path: string): Promise<DiscoveryResult> {
  const found = await stat(path).catch(() => undefined)
  if (!found) {
    return { files: [], error: `finding files with glob: ${path}: file does not exist` }
  }

  return { files: [path] }
}

async function walk({ base, rest }: { base: string; rest: string }): Promise<string[]> {
  const glob = new Bun.Glob(CASE_INSENSITIVE ? rest.toLowerCase() : rest)
  // Without `**` a match cannot be deeper than the pattern has segments.
  const maxDepth = rest.includes('**') ? Number.POSITIVE_INFINITY : rest.split('/').length
  const seen = new Set<string>([await realpath(base)])
  const matches: string[] = []

  const visit = async (relativeDir: string, depth: number): Promise<void> => {
    const entries = await readdir(join(base, relativeDir), { withFileTypes: true }).catch(() => [])
    entries.sort((a, b) => compareByteWise(a.name, b.name))
    for (const entry of entries) {
      const relative = relativeDir === '' ? entry.name : `${relativeDir}/${entry.name}`
      const kind = await entryKind(join(base, relative), entry)
      if (kind === 'file' && glob.match(CASE_INSENSITIVE ? relative.toLowerCase() : relative)) {
        matches.push(relative)
      }

      if (kind === 'dir' && depth < maxDepth) {
        // Each real directory is searched once, so symlink loops and aliases end here.
        const real = await realpath(join(base, relative)).catch(() => undefined)
        if (real !== undefined && !seen.has(real)) {
          seen.add(real)
          await visit(relative, depth + 1)
        }
      }
    }
  }

  await visit('', 1)
  return matches
}

async function entryKind(
  path: string,
  entry: { isFile(): boolean; isDirectory(): boolean; isSymbolicLink(): boolean },
): Promise<'file' | 'dir' | 'other'> {
  if (entry.isSymbolicLink()) {
    const target = await stat(path).catch(() => undefined)
    if (!target) {
      return 'other'
    }

    return target.isDirectory() ? 'dir' : target.isFile() ? 'file' : 'other'
  }

  return entry.isDirectory() ? 'dir' : entry.isFile() ? 'file' : 'other'
}
