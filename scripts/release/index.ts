export { CHECKSUMS_FILE, formatChecksums, sha256File } from './checksums.ts'
export { compileBinary, compileCommand, ENTRY_POINT, REPO_ROOT } from './compile.ts'
export {
  buildBinaries,
  type PlannedArchive,
  packBinary,
  planRelease,
  runRelease,
} from './release.ts'
export { type ArchiveEntry, createTarGz } from './tar.ts'
export {
  archiveName,
  hostTarget,
  RELEASE_TARGETS,
  type ReleaseTarget,
  selectTargets,
} from './targets.ts'
export { resolveVersion } from './version.ts'
export { createZip } from './zip.ts'
