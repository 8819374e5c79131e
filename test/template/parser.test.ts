import { describe, expect, test } from 'bun:test'
import { compileTemplate, renderTemplate, TemplateError } from '../../src/template/index.ts'
import { renderError } from './helpers.ts'

function parseError(template: string): string {
  try {
    compileTemplate(template)
  } catch (error) {
    if (error instanceof TemplateError) {
      return error.message
    }
    throw error
  }
  throw new Error(`expected ${JSON.stringify(template)} not to parse`)
}

describe('parseTemplate', () => {
  test('reports parse errors with the line and no column', () => {
    expect(parseError('ok\n{{ if }}')).toBe('template: interpolate:2: missing value for if')
  })

  test('reports a lexer error inside a multi-line action with the line it started on', () => {
    expect(parseError('{{ .x\n')).toBe(
      'template: interpolate:2: unclosed action started at interpolate:1',
    )
  })

  test('rejects unknown functions even in branches that never run', () => {
    expect(parseError('{{ if false }}{{ quote . }}{{ end }}')).toBe(
      'template: interpolate:1: function "quote" not defined',
    )
  })

  test('rejects the call function and the define, template, block, break and continue actions', () => {
    expect(parseError('{{ call .f }}')).toBe('template: interpolate:1: function "call" not defined')
    for (const keyword of ['define "x"', 'template "x"', 'block "x" .', 'break', 'continue']) {
      expect(parseError(`{{ range . }}{{ ${keyword} }}{{ end }}`)).toStartWith(
        'template: interpolate:1: ',
      )
    }
  })

  test('scopes variables to the block that declares them', () => {
    expect(parseError('{{ with 1 }}{{ $v := 2 }}{{ end }}{{ $v }}')).toBe(
      'template: interpolate:1: undefined variable "$v"',
    )
    expect(renderTemplate('{{ $v := 1 }}{{ with 2 }}{{ $v }}{{ end }}', {})).toBe('1')
  })

  test('checks declarations the way Go does', () => {
    expect(parseError('{{ $a, $b := 1 }}')).toBe(
      'template: interpolate:1: too many declarations in command',
    )
    expect(parseError('{{ range $a, $b, $c := . }}{{ end }}')).toBe(
      'template: interpolate:1: too many declarations in range',
    )
    expect(parseError('{{ range $i, 1 }}{{ end }}')).toBe(
      'template: interpolate:1: range can only initialize variables',
    )
  })

  test('rejects misplaced control words', () => {
    expect(parseError('{{ else }}')).toBe('template: interpolate:1: unexpected {{else}}')
    expect(parseError('{{ if 1 }}')).toBe('template: interpolate:1: unexpected EOF')
    expect(parseError('{{ range . }}{{ else with 1 }}{{ end }}')).toBe(
      'template: interpolate:1: unexpected <with> in input',
    )
    expect(parseError('{{ .x | end }}')).toBe(
      'template: interpolate:1: unexpected <end> in command',
    )
  })

  test('accepts else if chains and Go 1.23 else with chains', () => {
    const template = '{{ if .a }}A{{ else if .b }}B{{ else }}C{{ end }}'
    expect(renderTemplate(template, { a: false, b: true })).toBe('B')
    const withChain = '{{ with .a }}A{{ else with .b }}{{ . }}{{ else }}C{{ end }}'
    expect(renderTemplate(withChain, { a: 0, b: 'B' })).toBe('B')
    expect(renderTemplate(withChain, { a: 0, b: '' })).toBe('C')
  })

  test('parses Go number literals into int and float constants', () => {
    expect(renderTemplate('{{ 0x1F }} {{ 0o17 }} {{ 017 }} {{ 0b101 }} {{ 1_000 }}', {})).toBe(
      '31 15 15 5 1000',
    )
    expect(renderTemplate('{{ 0x1p4 }} {{ 1.5e3 }} {{ -0x1e }} {{ +7 }}', {})).toBe('16 1500 -30 7')
    expect(renderTemplate('{{ 9223372036854775807 }}', {})).toBe('9223372036854775807')
  })

  test('rejects number literals Go cannot represent', () => {
    expect(parseError('{{ 99999999999999999999 }}')).toBe(
      'template: interpolate:1: integer overflow: "99999999999999999999"',
    )
    expect(parseError('{{ 1__0 }}')).toBe('template: interpolate:1: illegal number syntax: "1__0"')
    expect(parseError('{{ 1e400 }}')).toBe(
      'template: interpolate:1: illegal number syntax: "1e400"',
    )
    expect(renderError('{{ 9223372036854775808 }}')).toBe(
      'template: interpolate:1:3: executing "interpolate" at <9223372036854775808>: ' +
        '9223372036854775808 overflows int',
    )
  })

  test('unquotes strings and characters with Go escapes', () => {
    expect(renderTemplate('{{ "\\x41\\101\\u00e9\\U0001F600\\a" }}', {})).toBe('AAé😀\u0007')
    expect(renderTemplate('{{ "\\xc3\\xa9" }}', {})).toBe('é')
    expect(renderTemplate("{{ '\\x41' }} {{ '\\377' }} {{ '😀' }}", {})).toBe('65 255 128512')
    expect(renderTemplate('{{ `a\r\nb` }}', {})).toBe('a\nb')
    expect(parseError("{{ 'ab' }}")).toBe(
      "template: interpolate:1: malformed character constant: 'ab'",
    )
    expect(parseError("{{ '' }}")).toBe('template: interpolate:1: invalid syntax')
    expect(parseError('{{ "\\\'" }}')).toBe('template: interpolate:1: invalid syntax')
  })

  test('keeps a pipeline stage that is not a function from taking the piped value', () => {
    expect(parseError('{{ .a | 1 }}')).toBe(
      'template: interpolate:1: non executable command in pipeline stage 2',
    )
  })

  test('parses the template once and renders it many times', () => {
    const compiled = compileTemplate('{{ .n }}')
    expect([1, 2, 3].map((n) => compiled.render({ n }))).toEqual(['1', '2', '3'])
  })
})
