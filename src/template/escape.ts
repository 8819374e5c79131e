// The escapers behind the html, js and urlquery template functions, as in Go's text/template.

import { sprint } from './format.ts'
import { isPrint } from './quote.ts'
import { toBytes } from './text.ts'

/** Go's evalArgs: one string as is, otherwise Sprint with nil printed as <no value>. */
export function joinEscaperArgs(args: readonly unknown[]): string {
  if (args.length === 1 && typeof args[0] === 'string') {
    return args[0]
  }
  // Replacing nil by a string also changes Sprint's spacing, exactly as in Go.
  return sprint(args.map((arg) => (arg === null || arg === undefined ? '<no value>' : arg)))
}

const HTML_ESCAPES: Readonly<Record<string, string>> = {
  '"': '&#34;',
  "'": '&#39;',
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '\0': '\uFFFD',
}

const HTML_SPECIAL = /["'&<>\0]/g

/** Go's template.HTMLEscapeString. */
export function htmlEscape(s: string): string {
  return s.replace(HTML_SPECIAL, (c) => HTML_ESCAPES[c] ?? c)
}

const JS_ESCAPES: Readonly<Record<string, string>> = {
  '\\': '\\\\',
  "'": "\\'",
  '"': '\\"',
  '<': '\\u003C',
  '>': '\\u003E',
  '&': '\\u0026',
  '=': '\\u003D',
}

/** Go's template.JSEscapeString: quotes and HTML-significant characters, control characters. */
export function jsEscape(s: string): string {
  let out = ''
  for (const ch of s) {
    const c = ch.codePointAt(0) ?? 0
    const simple = JS_ESCAPES[ch]
    if (simple !== undefined) {
      out += simple
    } else if (c < 0x20) {
      out += `\\u00${c.toString(16).toUpperCase().padStart(2, '0')}`
    } else if (c < 0x80 || isPrint(c)) {
      out += ch
    } else {
      out += `\\u${c.toString(16).toUpperCase().padStart(4, '0')}`
    }
  }
  return out
}

/** Go's url.QueryEscape: only letters, digits and -_.~ stay; space becomes +. */
export function urlQueryEscape(s: string): string {
  let out = ''
  for (const b of toBytes(s)) {
    if (isUnreserved(b)) {
      out += String.fromCharCode(b)
    } else if (b === 0x20) {
      out += '+'
    } else {
      out += `%${b.toString(16).toUpperCase().padStart(2, '0')}`
    }
  }
  return out
}

function isUnreserved(b: number): boolean {
  return (
    (b >= 0x30 && b <= 0x39) ||
    (b >= 0x41 && b <= 0x5a) ||
    (b >= 0x61 && b <= 0x7a) ||
    b === 0x2d ||
    b === 0x5f ||
    b === 0x2e ||
    b === 0x7e
  )
}
