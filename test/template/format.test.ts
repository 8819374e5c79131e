import { describe, expect, test } from 'bun:test'
import { formatFloat, formatIntegerFloat } from '../../src/template/float.ts'
import { sprint, sprintf, sprintln } from '../../src/template/format.ts'
import { renderTemplate } from '../../src/template/index.ts'
import { GoInt } from '../../src/template/values.ts'

const int = (n: number) => new GoInt(BigInt(n))

describe('formatFloat', () => {
  test('uses the shortest round-trip digits and exponent form below 1e-4 and from 1e21 on', () => {
    const cases: [number, string][] = [
      [0.5, '0.5'],
      [123456.5, '123456.5'],
      [0.0001, '0.0001'],
      [0.00001, '1e-05'],
      [1e-7, '1e-07'],
      [1234567.5, '1.2345675e+06'],
      [0.1 + 0.2, '0.30000000000000004'],
      [5e-324, '5e-324'],
      [1.7976931348623157e308, '1.7976931348623157e+308'],
      [-0, '-0'],
    ]
    for (const [value, text] of cases) {
      expect(formatFloat(value, 'g', -1)).toBe(text)
    }
  })

  test('rounds explicit precisions half to even on the exact binary value', () => {
    expect(formatFloat(0.5, 'f', 0)).toBe('0')
    expect(formatFloat(1.5, 'f', 0)).toBe('2')
    expect(formatFloat(2.5, 'f', 0)).toBe('2')
    expect(formatFloat(1.005, 'f', 2)).toBe('1.00')
    expect(formatFloat(0.125, 'f', 2)).toBe('0.12')
    expect(formatFloat(0.375, 'f', 2)).toBe('0.38')
    expect(formatFloat(9.995, 'e', 2)).toBe('9.99e+00')
    expect(formatFloat(99.5, 'e', 1)).toBe('1.0e+02')
  })

  test('writes at least two exponent digits with a sign', () => {
    expect(formatFloat(1234.5678, 'e', 6)).toBe('1.234568e+03')
    expect(formatFloat(1e100, 'e', 1)).toBe('1.0e+100')
    expect(formatFloat(0, 'e', 2)).toBe('0.00e+00')
    expect(formatFloat(1e-10, 'G', -1)).toBe('1E-10')
  })

  test('drops trailing zeros for %g with a precision', () => {
    expect(formatFloat(1234.5678, 'g', 3)).toBe('1.23e+03')
    expect(formatFloat(1, 'g', 3)).toBe('1')
    expect(formatFloat(100000, 'g', -1)).toBe('100000')
    expect(formatFloat(1e6, 'g', -1)).toBe('1e+06')
  })

  test('prints large and tiny fixed-point values in full', () => {
    expect(formatFloat(1e21, 'f', 1)).toBe('1000000000000000000000.0')
    expect(formatFloat(0.00006, 'f', 3)).toBe('0.000')
    expect(formatFloat(0.0006, 'f', 3)).toBe('0.001')
  })
})

describe('formatIntegerFloat', () => {
  test('writes Go shortest digits out without an exponent', () => {
    expect(formatIntegerFloat(1e6)).toBe('1000000')
    expect(formatIntegerFloat(-1e6)).toBe('-1000000')
    expect(formatIntegerFloat(1e21)).toBe('1000000000000000000000')
    expect(formatIntegerFloat(1.2345678901234567e19)).toBe('12345678901234567000')
    expect(formatIntegerFloat(-0)).toBe('-0')
    expect(formatIntegerFloat(0)).toBe('0')
  })
})

describe('sprint and sprintln', () => {
  test('put spaces only between operands that are not strings', () => {
    expect(sprint(['a', int(1), int(2), 'b', 3])).toBe('a1 2b3')
    expect(sprintln(['a', int(1)])).toBe('a 1\n')
  })

  test('print integer-valued floats in plain digits, nested values included', () => {
    expect(sprint([1e6, [1e6, null], { b: 2e7, a: null }])).toBe(
      '1000000 [1000000 <nil>] map[a:<nil> b:20000000]',
    )
  })

  test('print floats as Go does when asked to, for error messages', () => {
    expect(sprint([1e6], { goFloats: true })).toBe('1e+06')
  })
})

describe('sprintf', () => {
  const cases: [string, unknown[], string][] = [
    ['%8.3f|%+d|%5.1s', [1.23456, int(5), 'abc'], '   1.235|+5|    a'],
    ['%q|%c|%U|%#U', [int(120), int(65), int(0x1f600), int(65)], "'x'|A|U+1F600|U+0041 'A'"],
    [
      '%o %O %b %#o %#x %#X',
      [int(8), int(8), int(5), int(8), int(255), int(255)],
      '10 0o10 101 010 0xff 0XFF',
    ],
    ['%05d|%-5d|%x|%X', [int(-42), int(7), int(-255), int(255)], '-0042|7    |-ff|FF'],
    ['%06.2f|%+.2e|% d|%#g', [-1.5, 12345.678, int(5), 1], '-01.50|+1.23e+04| 5|1.00000'],
    ['%v|%.2v|%8v|%-8v|', [1e6, 1e6, 1e6, 1e6], '1000000|1e+06| 1000000|1000000 |'],
    ['%x|% x|%#x|%X', ['hé', 'hi', 'hi', 'hi'], '68c3a9|68 69|0x6869|6869'],
    ['%q|%+q|%#q|%.2q', ['é"\n', 'é', 'a b', 'héllo'], '"é\\"\\n"|"\\u00e9"|`a b`|"hé"'],
    ['%5t|%-6t|%05s', [true, false, 'ab'], ' true|false |000ab'],
    ['%T %T %T %T %T', [1.5, int(1), 's', [], null], 'float64 int string []interface {} <nil>'],
    ['%d|%s|%t', [3, 3, 'x'], '%!d(float64=3)|%!s(float64=3)|%!t(string=x)'],
    ['%s|%d', [['a', 1], { k: 'v' }], '[a %!s(float64=1)]|map[%!d(string=k):%!d(string=v)]'],
    ['%v|%s', [null, null], '<nil>|%!s(<nil>)'],
    [
      '%#v',
      [{ a: 1, b: ['x', null] }],
      'map[string]interface {}{"a":1, "b":[]interface {}{"x", interface {}(nil)}}',
    ],
    ['%d %d', [int(1)], '1 %!d(MISSING)'],
    ['%d', [int(1), 'x', null], '1%!(EXTRA string=x, <nil>)'],
    ['%[2]d %[1]d|%[3]d', [int(1), int(2)], '2 1|%!d(BADINDEX)'],
    ['%*d|%-*d|%.*f', [int(5), int(42), int(5), int(42), int(2), 1.23456], '   42|42   |1.23'],
    ['%*d', ['x', int(1)], '%!(BADWIDTH)1'],
    ['%.*d', [int(-1), int(1)], '%!(BADPREC)1'],
    ['100%%|%z|%!', [int(1)], '100%|%!z(int=1)|%!!(MISSING)'],
    ['end %', [], 'end %!(NOVERB)'],
    ['%-4s|%4s', ['é', '日本'], 'é   |  日本'],
  ]
  for (const [format, args, expected] of cases) {
    test(`formats ${JSON.stringify(format)} like Go`, () => {
      expect(sprintf(format, args)).toBe(expected)
    })
  }
})

describe('printing values in templates', () => {
  test('prints data numbers with an integer value without exponent', () => {
    const data = { a: 1e6, b: 1700000000123, c: -3e7, d: 0.5, e: 1e-7 }
    expect(renderTemplate('{{ .a }} {{ .b }} {{ .c }} {{ .d }} {{ .e }}', data)).toBe(
      '1000000 1700000000123 -30000000 0.5 1e-07',
    )
  })

  test('keeps Go formatting for explicit verbs', () => {
    expect(renderTemplate('{{ printf "%g %e %.1f" .n .n .n }}', { n: 1e6 })).toBe(
      '1e+06 1.000000e+06 1000000.0',
    )
  })

  test('keeps Go formatting of numbers inside error messages', () => {
    expect(() => renderTemplate('{{ range .n }}{{ end }}', { n: 1e6 })).toThrow(
      "range can't iterate over 1e+06",
    )
  })
})
