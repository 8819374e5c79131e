import { deflateRawSync } from 'node:zlib'
import type { ArchiveEntry } from './tar.ts'

const LOCAL_HEADER = 0x04034b50
const CENTRAL_HEADER = 0x02014b50
const END_OF_CENTRAL_DIRECTORY = 0x06054b50
const VERSION_NEEDED = 20 // 2.0: deflate
const MADE_BY_UNIX = (3 << 8) | VERSION_NEEDED
const DEFLATE = 8

// Written by hand so a release needs no `zip` program on the build machine. "Made by Unix" with
// the mode in the external attributes lets `unzip` on macOS or Linux restore the executable bit;
// Windows ignores both. Sizes must stay below 4 GiB (no ZIP64), far above a ~110 MB binary.
/** A deflated zip archive holding `entries`. */
export function createZip(entries: readonly ArchiveEntry[]): Uint8Array {
  const locals: Uint8Array[] = []
  const centrals: Uint8Array[] = []
  let offset = 0
  for (const entry of entries) {
    const record = zipRecord(entry)
    const local = concat(localHeader(record), record.compressed)
    centrals.push(centralHeader(record, offset))
    locals.push(local)
    offset += local.length
  }

  const central = concat(...centrals)
  return concat(...locals, central, endRecord(entries.length, central.length, offset))
}

interface ZipRecord {
  name: Uint8Array
  compressed: Uint8Array
  crc: number
  size: number
  mode: number
  dosTime: number
  dosDate: number
}

function zipRecord(entry: ArchiveEntry): ZipRecord {
  const { time, date } = dosDateTime(entry.mtime)
  return {
    name: new TextEncoder().encode(entry.name),
    compressed: deflateRawSync(entry.data, { level: 9 }),
    crc: Bun.hash.crc32(entry.data),
    size: entry.data.length,
    mode: entry.mode,
    dosTime: time,
    dosDate: date,
  }
}

function localHeader(record: ZipRecord): Uint8Array {
  const view = new DataView(new ArrayBuffer(30))
  view.setUint32(0, LOCAL_HEADER, true)
  view.setUint16(4, VERSION_NEEDED, true)
  view.setUint16(8, DEFLATE, true)
  writeCommonFields(view, 10, record)
  return concat(new Uint8Array(view.buffer), record.name)
}

function centralHeader(record: ZipRecord, localOffset: number): Uint8Array {
  const view = new DataView(new ArrayBuffer(46))
  view.setUint32(0, CENTRAL_HEADER, true)
  view.setUint16(4, MADE_BY_UNIX, true)
  view.setUint16(6, VERSION_NEEDED, true)
  view.setUint16(10, DEFLATE, true)
  writeCommonFields(view, 12, record)
  view.setUint32(38, ((0o100000 | record.mode) << 16) >>> 0, true) // regular file + mode
  view.setUint32(42, localOffset, true)
  return concat(new Uint8Array(view.buffer), record.name)
}

// Time, date, CRC, sizes and name length sit in the same order in both headers.
function writeCommonFields(view: DataView, at: number, record: ZipRecord): void {
  view.setUint16(at, record.dosTime, true)
  view.setUint16(at + 2, record.dosDate, true)
  view.setUint32(at + 4, record.crc, true)
  view.setUint32(at + 8, record.compressed.length, true)
  view.setUint32(at + 12, record.size, true)
  view.setUint16(at + 16, record.name.length, true)
}

function endRecord(count: number, centralSize: number, centralOffset: number): Uint8Array {
  const view = new DataView(new ArrayBuffer(22))
  view.setUint32(0, END_OF_CENTRAL_DIRECTORY, true)
  view.setUint16(8, count, true)
  view.setUint16(10, count, true)
  view.setUint32(12, centralSize, true)
  view.setUint32(16, centralOffset, true)
  return new Uint8Array(view.buffer)
}

// DOS timestamps have two-second resolution and start in 1980; they are local time by convention,
// but UTC keeps archives identical whatever the build machine's zone.
function dosDateTime(when: Date): { time: number; date: number } {
  const year = Math.max(when.getUTCFullYear(), 1980)
  return {
    time: (when.getUTCHours() << 11) | (when.getUTCMinutes() << 5) | (when.getUTCSeconds() >> 1),
    date: ((year - 1980) << 9) | ((when.getUTCMonth() + 1) << 5) | when.getUTCDate(),
  }
}

function concat(...parts: Uint8Array[]): Uint8Array {
  return Buffer.concat(parts)
}
