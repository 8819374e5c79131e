import { mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { CHECKSUMS_FILE, formatChecksums, sha256File } from './checksums.ts'
import { compileBinary } from './compile.ts'
import { type ArchiveEntry, createTarGz } from './tar.ts'
import { archiveName, type ReleaseTarget } from './targets.ts'
import { createZip } from './zip.ts'

export interface PlannedArchive {
  target: ReleaseTarget
  /** File name of the archive inside the output directory. */
  archive: string
  /** Paths inside the archive. */
  contents: string[]
}

export interface ReleaseOptions {
  version: string
  targets: readonly ReleaseTarget[]
  outDir: string
  /** Receives one progress line per step. */
  report: (line: string) => void
}

/** What a release of `version` produces, without building anything (the dry run). */
export function planRelease(version: string, targets: readonly ReleaseTarget[]): PlannedArchive[] {
  return targets.map((target) => ({
    target,
    archive: archiveName(version, target),
    contents: [target.binaryName],
  }))
}

/** Builds every target into `<outDir>/<target id>/` and packs nothing (container builds). */
export async function buildBinaries(options: ReleaseOptions): Promise<string[]> {
  const { version, targets, outDir, report } = options
  const binaries = []
  for (const planned of planRelease(version, targets)) {
    binaries.push(await buildTarget({ planned, version, outDir, report }))
  }
  return binaries
}

/**
 * Builds every target, packs each binary alone at its archive's root and writes
 * `checksums.txt` over the archives. Binaries stay in `<outDir>/<target id>/` for inspection.
 */
export async function runRelease(options: ReleaseOptions): Promise<PlannedArchive[]> {
  const { version, targets, outDir, report } = options
  const plan = planRelease(version, targets)
  mkdirSync(outDir, { recursive: true })

  // Targets build one after another: each compile takes a full core and ~100 MB of memory.
  const checksums = []
  for (const planned of plan) {
    const binary = await buildTarget({ planned, version, outDir, report })
    const archivePath = join(outDir, planned.archive)
    writeFileSync(archivePath, await packBinary(planned.target, binary))
    checksums.push({ name: planned.archive, sha256: await sha256File(archivePath) })
    report(`packed ${planned.archive}`)
  }

  writeFileSync(join(outDir, CHECKSUMS_FILE), formatChecksums(checksums))
  report(`wrote ${CHECKSUMS_FILE}`)
  return plan
}

/** The archive bytes for one target's binary: tar.gz, or zip for Windows. */
export async function packBinary(target: ReleaseTarget, binaryPath: string): Promise<Uint8Array> {
  const file = Bun.file(binaryPath)
  const entry: ArchiveEntry = {
    name: target.binaryName,
    data: new Uint8Array(await file.arrayBuffer()),
    mode: 0o755,
    mtime: new Date(file.lastModified),
  }
  return target.archiveFormat === 'zip' ? createZip([entry]) : createTarGz([entry])
}

async function buildTarget(options: {
  planned: PlannedArchive
  version: string
  outDir: string
  report: (line: string) => void
}): Promise<string> {
  const { planned, version, outDir, report } = options
  const buildDir = join(outDir, planned.target.id)
  rmSync(buildDir, { recursive: true, force: true })
  mkdirSync(buildDir, { recursive: true })

  const outfile = join(buildDir, planned.target.binaryName)
  report(`building ${planned.target.bunTarget}`)
  await compileBinary({ target: planned.target, version, outfile })
  return outfile
}
