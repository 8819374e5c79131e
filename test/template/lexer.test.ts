import { describe, expect, test } from 'bun:test'
import { lex } from '../../src/template/lexer.ts'

function types(input: string): string[] {
  return lex(input).map((item) => item.type)
}

describe('lex', () => {
  test('splits text and actions and ends with eof', () => {
    expect(types('a {{ .x }} b')).toEqual([
      'text',
      'leftDelim',
      'space',
      'field',
      'space',
      'rightDelim',
      'text',
      'eof',
    ])
  })

  test('trims the text before {{- and after -}} including newlines', () => {
    const items = lex('a \n\t{{- .x -}} \n b')
    expect(items.filter((i) => i.type === 'text').map((i) => i.val)).toEqual(['a', 'b'])
  })

  test('reads a minus without a following space as a number sign, not a trim marker', () => {
    const number = lex('{{-3}}').find((i) => i.type === 'number')
    expect(number?.val).toBe('-3')
  })

  test('drops comments, with their trim markers', () => {
    expect(types('a {{- /* x */ -}} b')).toEqual(['text', 'text', 'eof'])
  })

  test('splits a field chain into one token per segment', () => {
    const fields = lex('{{ .a.b $c.d }}').filter((i) => i.type === 'field' || i.type === 'variable')
    expect(fields.map((i) => [i.type, i.val, i.pos])).toEqual([
      ['field', '.a', 3],
      ['field', '.b', 5],
      ['variable', '$c', 8],
      ['field', '.d', 10],
    ])
  })

  test('tells keywords, booleans and identifiers apart', () => {
    const items = lex('{{ if true }}{{ printf nil }}{{ end }}')
    const words = items.filter((i) => !['space', 'leftDelim', 'rightDelim', 'eof'].includes(i.type))
    expect(words.map((i) => i.type)).toEqual(['if', 'bool', 'identifier', 'nil', 'end'])
  })

  test('reads base prefixes, underscores and exponents as one number token', () => {
    const numbers = lex('{{ 0x1F 1_000 1e-3 .5 0b101 0x1p4 }}').filter((i) => i.type === 'number')
    expect(numbers.map((i) => i.val)).toEqual(['0x1F', '1_000', '1e-3', '.5', '0b101', '0x1p4'])
  })

  test('records the line where each token starts', () => {
    const items = lex('a\n{{ .x\n  .y }}\nb')
    const lines = items.filter((i) => i.type === 'field').map((i) => i.line)
    expect(lines).toEqual([2, 3])
  })

  test('ends with an error item for malformed input', () => {
    const cases: [string, string][] = [
      ['{{ .x', 'unclosed action'],
      ['{{ "abc }}', 'unterminated quoted string'],
      ['{{ `abc }}', 'unterminated raw quoted string'],
      ["{{ 'a }}", 'unterminated character constant'],
      ['{{/* x }}', 'unclosed comment'],
      ['{{/* x */ .y }}', 'comment ends before closing delimiter'],
      ['{{ .my-key }}', "bad character U+002D '-'"],
      ['{{ 1x }}', 'bad number syntax: "1x"'],
      ['{{ (1 }}', 'unclosed left paren'],
      ['{{ $x : 1 }}', 'expected :='],
      ['{{ a\u0007 }}', 'bad character U+0007'],
    ]
    for (const [input, message] of cases) {
      const last = lex(input).at(-1)
      expect({ input, type: last?.type, val: last?.val }).toEqual({
        input,
        type: 'error',
        val: message,
      })
    }
  })

  test('emits other printable ASCII inside an action as a char token', () => {
    expect(lex('{{ / }}').find((i) => i.type === 'char')?.val).toBe('/')
  })
})
