export const CHECKSUMS_FILE = 'checksums.txt'

export interface FileChecksum {
  name: string
  sha256: string
}

/** Hex SHA-256 of a file's bytes. */
export async function sha256File(path: string): Promise<string> {
  const hasher = new Bun.CryptoHasher('sha256')
  for await (const chunk of Bun.file(path).stream()) {
    hasher.update(chunk)
  }
  return hasher.digest('hex')
}

/** `checksums.txt` as `sha256sum -c` reads it: `<hex>  <name>` per line, sorted by name. */
export function formatChecksums(files: readonly FileChecksum[]): string {
  return [...files]
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .map((file) => `${file.sha256}  ${file.name}\n`)
    .join('')
}
