import { extname, join, normalize, sep } from 'node:path'

/**
 * Where the UI files are: `src/ui/static/` when running from source, and the same folder inside
 * a compiled binary, which embeds it with `bun build --compile --asset=src/ui/static` and
 * places it beside this module's own virtual directory (`/$bunfs/root/static`).
 */
export const UI_ASSET_DIR = join(import.meta.dir, 'static')

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
}

export interface UiAsset {
  file: Blob
  contentType: string
}

/**
 * The file for a path below `/ui/` ('' is the app page), or undefined when there is none or the
 * path tries to leave the asset folder (`..`, encoded separators, NUL).
 */
export async function findUiAsset(
  relativePath: string,
  root: string = UI_ASSET_DIR,
): Promise<UiAsset | undefined> {
  const name = safeRelativePath(relativePath === '' ? 'index.html' : relativePath)
  const contentType = name === undefined ? undefined : CONTENT_TYPES[extname(name)]
  if (name === undefined || contentType === undefined) {
    return undefined
  }

  const path = join(root, name)
  if (!path.startsWith(root + sep)) {
    return undefined
  }

  const file = Bun.file(path)
  return (await file.exists()) ? { file, contentType } : undefined
}

function safeRelativePath(raw: string): string | undefined {
  let decoded: string
  try {
    decoded = decodeURIComponent(raw)
  } catch {
    return undefined
  }

  const segments = decoded.split('/')
  const isUnsafe =
    decoded.includes('\\') ||
    decoded.includes('\0') ||
    segments.some((segment) => segment === '..' || segment === '.' || segment === '')
  return isUnsafe ? undefined : normalize(decoded)
}
