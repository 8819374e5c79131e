import { gzipSync } from 'node:zlib'

export interface ArchiveEntry {
  /** Path inside the archive; prunner's archives hold one file at the root. */
  name: string
  data: Uint8Array
  /** Unix permission bits, e.g. 0o755 for an executable. */
  mode: number
  mtime: Date
}

const BLOCK = 512

// Written by hand because Bun.Archive stores every file with mode 0644, and an extracted binary
// that is not executable is exactly what a release must not ship; the system `tar` differs
// between GNU and BSD in how owners are set. Owner and group are root, so extracting as root
// does not hand the binary to the build machine's user.
/** A gzipped POSIX ustar archive holding `entries`. */
export function createTarGz(entries: readonly ArchiveEntry[]): Uint8Array {
  const parts: Uint8Array[] = []
  for (const entry of entries) {
    parts.push(tarHeader(entry), entry.data, new Uint8Array(padding(entry.data.length)))
  }
  parts.push(new Uint8Array(BLOCK * 2))
  return gzipSync(Buffer.concat(parts), { level: 9 })
}

function tarHeader(entry: ArchiveEntry): Uint8Array {
  const nameBytes = new TextEncoder().encode(entry.name)
  if (nameBytes.length > 100) {
    throw new Error(`tar entry name ${entry.name} is longer than 100 bytes`)
  }

  const header = new Uint8Array(BLOCK)
  header.set(nameBytes, 0)
  writeOctal(header, 100, 8, entry.mode)
  writeOctal(header, 108, 8, 0)
  writeOctal(header, 116, 8, 0)
  writeOctal(header, 124, 12, entry.data.length)
  writeOctal(header, 136, 12, Math.floor(entry.mtime.getTime() / 1000))
  header.fill(0x20, 148, 156) // the checksum is computed with its own field as spaces
  header[156] = 0x30 // '0': regular file
  writeText(header, 257, 'ustar\u000000')
  writeText(header, 265, 'root')
  writeText(header, 297, 'root')

  const checksum = header.reduce((sum, byte) => sum + byte, 0)
  writeText(header, 148, `${checksum.toString(8).padStart(6, '0')}\u0000 `)
  return header
}

function writeOctal(header: Uint8Array, offset: number, length: number, value: number): void {
  writeText(header, offset, `${value.toString(8).padStart(length - 1, '0')}\u0000`)
}

function writeText(header: Uint8Array, offset: number, text: string): void {
  header.set(new TextEncoder().encode(text), offset)
}

function padding(size: number): number {
  return (BLOCK - (size % BLOCK)) % BLOCK
}
