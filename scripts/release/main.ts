import { resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { CHECKSUMS_FILE } from './checksums.ts'
import { REPO_ROOT } from './compile.ts'
import { buildBinaries, type PlannedArchive, planRelease, runRelease } from './release.ts'
import { RELEASE_TARGETS, selectTargets } from './targets.ts'
import { resolveVersion } from './version.ts'

const USAGE = `Builds prunner release archives (SPEC §10.4).

Usage:
  bun scripts/release/main.ts [--version 2.0.0] [--out dist] [--targets linux-x64,...] [--dry-run]

  --version   version to stamp (default: $RELEASE_VERSION, else the git tag on HEAD)
  --out       output directory, relative to the repository (default: dist)
  --targets   comma-separated subset of: ${RELEASE_TARGETS.map((t) => t.id).join(', ')}
  --dry-run   list the archives and their contents without building anything
  --binaries-only
              build <out>/<target>/prunner only: no archives, no checksums
`

// Exit codes: 0 done, 1 a build or pack step failed, 2 bad arguments.
try {
  process.exitCode = await main(process.argv.slice(2))
} catch (error) {
  console.error(`release failed: ${error instanceof Error ? error.message : String(error)}`)
  process.exitCode = 1
}

async function main(argv: string[]): Promise<number> {
  let args: ReturnType<typeof readArgs>
  let version: string
  try {
    args = readArgs(argv)
    version = args.isHelpRequested ? '' : await resolveVersion(args.versionFlag, process.env)
  } catch (error) {
    console.error(`${error instanceof Error ? error.message : String(error)}\n\n${USAGE}`)
    return 2
  }

  if (args.isHelpRequested) {
    console.log(USAGE)
    return 0
  }

  const outDir = resolve(REPO_ROOT, args.out)
  if (args.isDryRun) {
    console.log(describePlan(planRelease(version, args.targets), outDir))
    return 0
  }

  const options = {
    version,
    targets: args.targets,
    outDir,
    report: (line: string) => console.error(line),
  }
  if (args.isBinariesOnly) {
    console.log((await buildBinaries(options)).join('\n'))
    return 0
  }

  await runRelease(options)
  console.log(`release ${version} written to ${outDir}`)
  return 0
}

function readArgs(argv: string[]) {
  const { values } = parseArgs({
    args: argv,
    options: {
      version: { type: 'string' },
      out: { type: 'string', default: 'dist' },
      targets: { type: 'string', default: '' },
      'dry-run': { type: 'boolean', default: false },
      'binaries-only': { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
    allowPositionals: false,
  })
  return {
    versionFlag: values.version,
    out: values.out,
    targets: selectTargets(values.targets.split(',').filter((id) => id.trim() !== '')),
    isDryRun: values['dry-run'],
    isBinariesOnly: values['binaries-only'],
    isHelpRequested: values.help,
  }
}

// One archive per paragraph: its name, then each path inside it indented, so a test or a human
// can check names and contents without unpacking anything.
function describePlan(plan: readonly PlannedArchive[], outDir: string): string {
  const lines = [`dry run: ${plan.length} archives and ${CHECKSUMS_FILE} in ${outDir}`]
  for (const planned of plan) {
    lines.push(`${planned.archive} (${planned.target.bunTarget})`)
    lines.push(...planned.contents.map((path) => `  ${path}`))
  }
  lines.push(CHECKSUMS_FILE)
  return lines.join('\n')
}
