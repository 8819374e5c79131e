/** One platform a release is built for, with the names the Go prunner's archives used (SPEC §10.4). */
export interface ReleaseTarget {
  /** Short name for `--targets`, e.g. `linux-x64`. */
  readonly id: string
  /** The `bun build --target` value. */
  readonly bunTarget: string
  readonly os: 'Linux' | 'Darwin' | 'Windows'
  readonly arch: 'x86_64' | 'arm64'
  readonly binaryName: 'prunner' | 'prunner.exe'
  readonly archiveFormat: 'tar.gz' | 'zip'
}

// The Flowpack.Prunner Composer installer downloads archives by these exact names, so the OS and
// architecture spellings follow goreleaser's defaults rather than Bun's target names.
export const RELEASE_TARGETS: readonly ReleaseTarget[] = [
  unixTarget('linux-x64', 'bun-linux-x64', 'Linux', 'x86_64'),
  unixTarget('linux-arm64', 'bun-linux-arm64', 'Linux', 'arm64'),
  unixTarget('darwin-x64', 'bun-darwin-x64', 'Darwin', 'x86_64'),
  unixTarget('darwin-arm64', 'bun-darwin-arm64', 'Darwin', 'arm64'),
  {
    id: 'windows-x64',
    bunTarget: 'bun-windows-x64',
    os: 'Windows',
    arch: 'x86_64',
    binaryName: 'prunner.exe',
    archiveFormat: 'zip',
  },
]

/** `prunner_<version>_<Os>_<arch>.tar.gz`, or `.zip` for Windows. */
export function archiveName(version: string, target: ReleaseTarget): string {
  return `prunner_${version}_${target.os}_${target.arch}.${target.archiveFormat}`
}

/** The targets named in `ids` (all when empty), in release order; an unknown id is an error. */
export function selectTargets(ids: readonly string[]): ReleaseTarget[] {
  const unknown = ids.filter((id) => !RELEASE_TARGETS.some((target) => target.id === id))
  if (unknown.length > 0) {
    const known = RELEASE_TARGETS.map((target) => target.id).join(', ')
    throw new Error(`unknown target ${unknown.join(', ')}: expected one of ${known}`)
  }

  return RELEASE_TARGETS.filter((target) => ids.length === 0 || ids.includes(target.id))
}

/** The target matching the machine this runs on, if prunner is released for it. */
export function hostTarget(): ReleaseTarget | undefined {
  const os = process.platform === 'win32' ? 'windows' : process.platform
  return RELEASE_TARGETS.find((target) => target.id === `${os}-${process.arch}`)
}

function unixTarget(
  id: string,
  bunTarget: string,
  os: 'Linux' | 'Darwin',
  arch: 'x86_64' | 'arm64',
): ReleaseTarget {
  return { id, bunTarget, os, arch, binaryName: 'prunner', archiveFormat: 'tar.gz' }
}
