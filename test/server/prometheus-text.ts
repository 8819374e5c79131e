/**
 * A strict reader of the Prometheus text exposition format 0.0.4, for tests: it throws on any
 * line a Prometheus server would reject and checks histogram invariants.
 */
export interface ParsedSample {
  name: string
  labels: Record<string, string>
  value: number
}

export interface ParsedFamily {
  name: string
  type: string
  help: string
  samples: ParsedSample[]
}

const NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/

export function parsePrometheusText(text: string): Map<string, ParsedFamily> {
  if (!text.endsWith('\n')) {
    throw new Error('exposition must end with a line feed')
  }

  const families = new Map<string, ParsedFamily>()
  let current: ParsedFamily | undefined
  for (const line of text.slice(0, -1).split('\n')) {
    const meta = /^# (HELP|TYPE) (\S+) (.*)$/.exec(line)
    if (meta) {
      const [, kind, name = '', rest = ''] = meta
      if (!NAME.test(name)) {
        throw new Error(`bad metric name in ${line}`)
      }
      current = families.get(name) ?? { name, type: 'untyped', help: '', samples: [] }
      families.set(name, current)
      if (kind === 'TYPE') {
        if (!['counter', 'gauge', 'histogram', 'summary', 'untyped'].includes(rest)) {
          throw new Error(`bad type in ${line}`)
        }
        current.type = rest
      } else {
        current.help = rest
      }
      continue
    }

    const sample = parseSample(line)
    const family = current
    if (family === undefined || !belongsTo(sample.name, family)) {
      throw new Error(`sample outside its family: ${line}`)
    }
    family.samples.push(sample)
  }

  for (const family of families.values()) {
    if (family.type === 'histogram') {
      checkHistogram(family)
    }
  }
  return families
}

function belongsTo(sampleName: string, family: ParsedFamily): boolean {
  if (family.type !== 'histogram') {
    return sampleName === family.name
  }

  return ['_bucket', '_sum', '_count'].some((suffix) => sampleName === family.name + suffix)
}

function parseSample(line: string): ParsedSample {
  const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})? (\S+)$/.exec(line)
  if (!match) {
    throw new Error(`bad sample line: ${line}`)
  }

  const [, name = '', , labelText = '', valueText = ''] = match
  const value = valueText === '+Inf' ? Number.POSITIVE_INFINITY : Number(valueText)
  if (valueText === '' || Number.isNaN(value)) {
    throw new Error(`bad value in ${line}`)
  }

  return { name, labels: parseLabels(labelText, line), value }
}

function parseLabels(text: string, line: string): Record<string, string> {
  const labels: Record<string, string> = {}
  let rest = text
  while (rest !== '') {
    const match = /^([^=]+)="((?:[^"\\\n]|\\[\\"n])*)"(,|$)/.exec(rest)
    if (!match || !LABEL_NAME.test(match[1] ?? '')) {
      throw new Error(`bad labels in ${line}`)
    }
    const name = match[1] as string
    if (Object.hasOwn(labels, name)) {
      throw new Error(`duplicate label ${name} in ${line}`)
    }
    labels[name] = (match[2] ?? '').replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c))
    rest = rest.slice(match[0].length)
  }
  return labels
}

function checkHistogram(family: ParsedFamily): void {
  const series = new Map<string, ParsedSample[]>()
  for (const sample of family.samples.filter((s) => s.name.endsWith('_bucket'))) {
    const { le, ...rest } = sample.labels
    if (le === undefined) {
      throw new Error(`${family.name} bucket without le`)
    }
    const key = JSON.stringify(rest)
    series.set(key, [...(series.get(key) ?? []), sample])
  }
  for (const [key, buckets] of series) {
    let previous = 0
    for (const bucket of buckets) {
      if (bucket.value < previous) {
        throw new Error(`${family.name}${key} buckets are not cumulative`)
      }
      previous = bucket.value
    }
    const count = family.samples.find(
      (s) => s.name.endsWith('_count') && JSON.stringify(s.labels) === key,
    )
    if (buckets.at(-1)?.labels.le !== '+Inf' || count?.value !== previous) {
      throw new Error(`${family.name}${key} needs a +Inf bucket equal to _count`)
    }
  }
}
