import { describe, expect, test } from 'bun:test'
import { renderTemplate, TemplateError } from '../../src/template/index.ts'
import { renderError } from './helpers.ts'

const at = (location: string, expr: string, reason: string) =>
  `template: interpolate:${location}: executing "interpolate" at <${expr}>: ${reason}`

describe('renderTemplate', () => {
  test('throws TemplateError with the TEMPLATE code', () => {
    let caught: unknown
    try {
      renderTemplate('{{ .x }}', {})
    } catch (error) {
      caught = error
    }
    expect(caught).toBeInstanceOf(TemplateError)
    expect((caught as TemplateError).code).toBe('TEMPLATE')
  })

  test('prints string values verbatim, including template syntax', () => {
    expect(renderTemplate('{{ .s }}', { s: '{{ .x }} $HOME \'"' })).toBe('{{ .x }} $HOME \'"')
  })

  test('does not treat inherited object properties as keys', () => {
    expect(renderError('{{ .constructor }}')).toBe(
      at('1:3', '.constructor', 'map has no entry for key "constructor"'),
    )
    expect(renderTemplate('{{ index . "toString" }}', {})).toBe('<no value>')
  })

  test('reports errors on a null value in a field chain', () => {
    expect(renderError('{{ .a.b }}', { a: null })).toBe(
      at('1:5', '.a.b', 'nil pointer evaluating interface {}.b'),
    )
    expect(renderError('{{ $x := .a }}{{ $x.b }}', { a: null })).toBe(
      at('1:19', '$x.b', 'nil data; no entry for key "b"'),
    )
  })

  test('names the concrete type when the field is taken from a with value', () => {
    expect(renderError('{{ with .s }}{{ .x }}{{ end }}', { s: 'str' })).toBe(
      at('1:16', '.x', "can't evaluate field x in type string"),
    )
  })

  test('reports column offsets in bytes and on the right line', () => {
    expect(renderError('é\n  ü {{ .a }} {{ .zz }}', { a: 1 })).toBe(
      at('2:17', '.zz', 'map has no entry for key "zz"'),
    )
  })

  test('iterates objects in byte-wise key order, with astral characters after U+FFFF', () => {
    const data = { m: { '\u{1F600}': 1, '\uFFFF': 2, b: 3, B: 4 } }
    expect(renderTemplate('{{ range $k, $v := .m }}{{ $v }}{{ end }}', data)).toBe('4321')
  })

  test('gives range index variables the int type', () => {
    expect(
      renderTemplate('{{ range $i, $e := .l }}{{ printf "%d" $i }}{{ end }}', { l: [5, 6] }),
    ).toBe('01')
  })

  test('drops variables declared in a range body after each iteration', () => {
    const template = '{{ range .l }}{{ $x := . }}{{ $x }}{{ end }}'
    expect(renderTemplate(template, { l: ['a', 'b'] })).toBe('ab')
  })
})

describe('template functions', () => {
  test('and and or return the deciding argument and skip the rest', () => {
    expect(renderTemplate('{{ and 1 0 .missing }}|{{ or "" .l "x" }}', { l: [1] })).toBe('0|[1]')
    expect(renderTemplate('{{ .a | and 1 }}|{{ .a | or 0 }}', { a: 'A' })).toBe('A|A')
  })

  test('not, len, index and slice follow Go', () => {
    expect(
      renderTemplate('{{ not .a }} {{ len .m }} {{ index .m "k" 1 }}', {
        a: [],
        m: { k: ['x', 'y'] },
      }),
    ).toBe('true 1 y')
    expect(renderTemplate('{{ index "abc" 1 }} {{ slice "héllo" 0 3 }}', {})).toBe('98 hé')
    expect(renderTemplate('{{ slice .l 1 2 2 }}', { l: [1, 2, 3] })).toBe('[2]')
  })

  test('index and slice errors read as in Go', () => {
    expect(renderError('{{ index .l 1 }}', { l: ['a'] })).toBe(
      at('1:3', 'index .l 1', 'error calling index: reflect: slice index out of range'),
    )
    expect(renderError('{{ index .m 1 }}', { m: {} })).toBe(
      at('1:3', 'index .m 1', 'error calling index: value has type int; should be string'),
    )
    expect(renderError('{{ index .l 0.5 }}', { l: ['a'] })).toBe(
      at('1:3', 'index .l 0.5', 'error calling index: cannot index slice/array with type float64'),
    )
    expect(renderError('{{ slice .l 2 1 }}', { l: [1, 2] })).toBe(
      at('1:3', 'slice .l 2 1', 'error calling slice: invalid slice index: 2 > 1'),
    )
    expect(renderError('{{ len .x }}', { x: null })).toBe(
      at('1:3', 'len .x', 'error calling len: len of nil pointer'),
    )
  })

  test('comparisons take numbers by value and reject mixed kinds', () => {
    const data = { n: 3, s: 'a', l: [] }
    expect(
      renderTemplate('{{ eq .n 3 }} {{ lt .n 3.5 }} {{ ge 3 .n }} {{ ne .s "a" }}', data),
    ).toBe('true true true false')
    expect(renderTemplate('{{ eq .x .y }} {{ eq .x "a" }}', { x: null, y: null })).toBe(
      'true false',
    )
    expect(renderError('{{ lt .s 1 }}', data)).toBe(
      at('1:3', 'lt .s 1', 'error calling lt: incompatible types for comparison'),
    )
    expect(renderError('{{ lt .l .l }}', data)).toBe(
      at('1:3', 'lt .l .l', 'error calling lt: invalid type for comparison'),
    )
    expect(renderError('{{ eq .n }}', data)).toBe(
      at('1:3', 'eq .n', 'error calling eq: missing argument for comparison'),
    )
  })

  test('checks argument counts and types like Go', () => {
    expect(renderError('{{ and }}')).toBe(
      at('1:3', 'and', 'wrong number of args for and: want at least 1 got 0'),
    )
    expect(renderError('{{ printf .n }}', { n: 1 })).toBe(
      at('1:10', '.n', 'wrong type for value; expected string; got float64'),
    )
    expect(renderError('{{ not nil }}')).toBe(
      at('1:7', 'nil', 'cannot assign nil to reflect.Value'),
    )
    expect(renderError('{{ index . "x" | not }}')).toBe(
      at('1:17', 'not', 'invalid value; expected reflect.Value'),
    )
    expect(renderError('{{ .m 1 }}', { m: {} })).toBe(
      at('1:3', '.m', 'm is not a method but has arguments'),
    )
  })

  test('html, js and urlquery print nil as <no value>, which also changes spacing', () => {
    expect(renderTemplate('{{ html .x 1 }}|{{ js "\\u2028é\\x01" }}', { x: null })).toBe(
      '&lt;no value&gt;1|\\u2028é\\u0001',
    )
  })

  test('default returns the fallback only for nil, false and empty values', () => {
    const template = '{{ range .l }}{{ default "d" . }},{{ end }}'
    const data = { l: [null, false, '', [], {}, 0, true, 'x', [0], { a: 1 }] }
    expect(renderTemplate(template, data)).toBe('d,d,d,d,d,0,true,x,[0],map[a:1],')
  })

  test('shellquote quotes any value for a POSIX shell', () => {
    const data = { s: "it's $HOME `x`", n: 1e6, l: ['a b'] }
    expect(
      renderTemplate('{{ shellquote .s }} {{ shellquote .n }} {{ .l | shellquote }}', data),
    ).toBe("'it'\\''s $HOME `x`' '1000000' '[a b]'")
  })
})
