import { afterEach, describe, expect, test } from 'bun:test'
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import {
  type ArchiveEntry,
  archiveName,
  createTarGz,
  createZip,
  packBinary,
  RELEASE_TARGETS,
  selectTargets,
} from '../../scripts/release/index.ts'

const dirs: string[] = []

afterEach(() => {
  for (const dir of dirs.splice(0)) {
    rmSync(dir, { recursive: true, force: true })
  }
})

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'prunner-release-'))
  dirs.push(dir)
  return dir
}

// Not a multiple of 512 and not text, so padding and binary-safety both matter.
const SAMPLE = new Uint8Array(70_001).map((_, index) => (index * 7919) % 256)

function sampleEntry(name: string): ArchiveEntry {
  return { name, data: SAMPLE, mode: 0o755, mtime: new Date('2024-05-06T07:08:10Z') }
}

async function run(cmd: string[], cwd: string): Promise<{ exitCode: number; stdout: string }> {
  const proc = Bun.spawn(cmd, { cwd, stdin: 'ignore', stdout: 'pipe', stderr: 'pipe' })
  const [stdout, exitCode] = await Promise.all([new Response(proc.stdout).text(), proc.exited])
  return { exitCode, stdout }
}

describe('archive names', () => {
  test('follow the Go prunner names for all five targets', () => {
    const names = RELEASE_TARGETS.map((target) => archiveName('2.0.0', target))

    expect(names).toEqual([
      'prunner_2.0.0_Linux_x86_64.tar.gz',
      'prunner_2.0.0_Linux_arm64.tar.gz',
      'prunner_2.0.0_Darwin_x86_64.tar.gz',
      'prunner_2.0.0_Darwin_arm64.tar.gz',
      'prunner_2.0.0_Windows_x86_64.zip',
    ])
  })

  test('an unknown target id is rejected with the list of known ones', () => {
    expect(() => selectTargets(['linux-x64', 'solaris-sparc'])).toThrow(
      'unknown target solaris-sparc: expected one of linux-x64,',
    )
    expect(selectTargets([]).map((target) => target.id)).toHaveLength(5)
  })
})

describe('tar.gz archives', () => {
  test('system tar extracts the binary at the root, byte for byte and executable', async () => {
    const dir = tempDir()
    writeFileSync(join(dir, 'a.tar.gz'), createTarGz([sampleEntry('prunner')]))

    const listing = await run(['tar', '-tvzf', 'a.tar.gz'], dir)
    const extract = await run(['tar', '-xzf', 'a.tar.gz'], dir)

    expect(listing.exitCode).toBe(0)
    expect(listing.stdout).toStartWith('-rwxr-xr-x root/root')
    expect(listing.stdout.trim()).toEndWith(' prunner')
    expect(extract.exitCode).toBe(0)
    expect(new Uint8Array(readFileSync(join(dir, 'prunner')))).toEqual(SAMPLE)
    expect(statSync(join(dir, 'prunner')).mode & 0o777).toBe(0o755)
  })

  test('names longer than a ustar header holds are refused instead of cut', () => {
    expect(() => createTarGz([sampleEntry('x'.repeat(101))])).toThrow('longer than 100 bytes')
  })
})

// unzip is how macOS and Linux users open the Windows archive; it is missing on some CI images.
describe.skipIf(Bun.which('unzip') === null)('zip archives', () => {
  test('unzip verifies the archive and restores content and mode', async () => {
    const dir = tempDir()
    writeFileSync(join(dir, 'a.zip'), createZip([sampleEntry('prunner.exe')]))

    const check = await run(['unzip', '-t', 'a.zip'], dir)
    const listing = await run(['unzip', '-Z', 'a.zip'], dir)
    const extract = await run(['unzip', '-q', 'a.zip'], dir)

    expect(check.exitCode).toBe(0)
    expect(listing.stdout).toContain('-rwxr-xr-x')
    expect(listing.stdout).toContain('24-May-06 07:08 prunner.exe')
    expect(extract.exitCode).toBe(0)
    expect(new Uint8Array(readFileSync(join(dir, 'prunner.exe')))).toEqual(SAMPLE)
  })
})

describe('packBinary', () => {
  test('packs a Windows binary as prunner.exe in a zip and others as prunner in a tar.gz', async () => {
    const dir = tempDir()
    const binary = join(dir, 'built')
    writeFileSync(binary, SAMPLE)
    const [linux, windows] = selectTargets(['linux-arm64', 'windows-x64'])
    if (linux === undefined || windows === undefined) {
      throw new Error('targets missing')
    }

    const tarGz = await packBinary(linux, binary)
    const zip = await packBinary(windows, binary)

    const files = await new Bun.Archive(tarGz).files()
    expect([...files.keys()]).toEqual(['prunner'])
    const packed = await files.get('prunner')?.arrayBuffer()
    expect(new Uint8Array(packed ?? new ArrayBuffer(0))).toEqual(SAMPLE)
    expect([...zip.subarray(0, 4)]).toEqual([0x50, 0x4b, 0x03, 0x04]) // "PK\3\4"
    expect(new TextDecoder().decode(zip.subarray(30, 41))).toBe('prunner.exe')
  })
})
