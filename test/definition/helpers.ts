import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { sortDiagnostics } from '../../src/definition/load.ts'
import { parseDefinitionFile } from '../../src/definition/parse-file.ts'
import type { PipelineDefinition } from '../../src/definition/types.ts'

export interface Checked {
  /** Pipelines that loaded, by name. */
  pipelines: Map<string, PipelineDefinition>
  /** `<line>:<column>: <message>` per error, by position. */
  errors: string[]
  warnings: string[]
}

/** Parses one YAML text as the file `pipelines.yml` and flattens the diagnostics. */
export function check(yaml: string): Checked {
  const parsed = parseDefinitionFile('pipelines.yml', yaml)
  const pipelines = new Map<string, PipelineDefinition>()
  for (const pipeline of parsed.pipelines) {
    if (pipeline.definition) {
      pipelines.set(pipeline.name, pipeline.definition)
    }
  }

  const lines = (severity: string) =>
    sortDiagnostics(parsed.diagnostics)
      .filter((d) => d.severity === severity)
      .map((d) => `${d.line}:${d.column}: ${d.message}`)
  return { pipelines, errors: lines('error'), warnings: lines('warning') }
}

/** The one pipeline a text must load without error. */
export function loadOne(yaml: string, name = 'p'): PipelineDefinition {
  const result = check(yaml)
  const pipeline = result.pipelines.get(name)
  if (!pipeline || result.errors.length > 0) {
    throw new Error(`pipeline "${name}" did not load: ${result.errors.join('; ')}`)
  }

  return pipeline
}

/** A temporary directory with the given files, removed after `use` finishes. */
export async function withFiles<T>(
  files: Record<string, string>,
  use: (dir: string) => Promise<T>,
): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), 'prunner-definition-'))
  try {
    for (const [name, content] of Object.entries(files)) {
      await mkdir(dirname(join(dir, name)), { recursive: true })
      await writeFile(join(dir, name), content)
    }

    return await use(dir)
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
}
