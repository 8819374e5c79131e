/** One metric family in the Prometheus text exposition format (version 0.0.4). */
export interface MetricFamily {
  name: string
  help: string
  type: 'gauge' | 'counter' | 'histogram'
  samples: Sample[]
}

export interface Sample {
  /** Suffix after the family name, e.g. `_bucket`; '' for plain samples. */
  suffix?: string
  labels?: Record<string, string>
  value: number
}

export const PROMETHEUS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8'

export function renderFamilies(families: readonly MetricFamily[]): string {
  const lines: string[] = []
  for (const family of families) {
    lines.push(`# HELP ${family.name} ${escapeHelp(family.help)}`)
    lines.push(`# TYPE ${family.name} ${family.type}`)
    for (const sample of family.samples) {
      lines.push(
        `${family.name}${sample.suffix ?? ''}${renderLabels(sample.labels)} ${renderValue(sample.value)}`,
      )
    }
  }
  return `${lines.join('\n')}\n`
}

function renderLabels(labels: Record<string, string> | undefined): string {
  const entries = Object.entries(labels ?? {})
  if (entries.length === 0) {
    return ''
  }

  return `{${entries.map(([name, value]) => `${name}="${escapeLabel(value)}"`).join(',')}}`
}

function renderValue(value: number): string {
  if (value === Number.POSITIVE_INFINITY) {
    return '+Inf'
  }

  return Number.isNaN(value) ? 'NaN' : String(value)
}

// The format escapes backslash and line feed in HELP text, and the double quote too in labels.
function escapeHelp(text: string): string {
  return text.replaceAll('\\', '\\\\').replaceAll('\n', '\\n')
}

function escapeLabel(text: string): string {
  return escapeHelp(text).replaceAll('"', '\\"')
}
