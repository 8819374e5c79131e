import { Elysia } from 'elysia'
import { type EventHub, jobStatus, type TaskEventData } from '../events/index.ts'
import type { SchedulerApi } from '../scheduler/index.ts'
import {
  type MetricFamily,
  PROMETHEUS_CONTENT_TYPE,
  renderFamilies,
  type Sample,
} from './metrics-text.ts'
import { EXTRA_ROUTES } from './route-table.ts'

/** Upper bounds in seconds: shell tasks run from well under a second to about an hour. */
export const DURATION_BUCKETS = [0.1, 0.5, 1, 5, 10, 30, 60, 300, 900, 1800, 3600]

export interface MetricsOptions {
  scheduler: SchedulerApi
  events?: EventHub
  version: string
  startedAtMs: number
}

/** `GET /metrics` in the Prometheus text format; the guard decides about authentication. */
export function metricsRoutes(options: MetricsOptions) {
  const durations = new DurationHistogram()
  options.events?.observe((event) => {
    const data = event.data as TaskEventData
    if (event.type === 'task.finished' && data.durationMs !== undefined) {
      durations.observe(
        { pipeline: data.pipeline, status: data.task.status },
        data.durationMs / 1000,
      )
    }
  })
  return new Elysia().get(
    EXTRA_ROUTES.metrics,
    () =>
      new Response(renderFamilies(collectFamilies(options, durations)), {
        headers: { 'Content-Type': PROMETHEUS_CONTENT_TYPE },
      }),
  )
}

function collectFamilies(options: MetricsOptions, durations: DurationHistogram): MetricFamily[] {
  const { scheduler } = options
  const pipelines = scheduler.listPipelines().map((info) => info.pipeline)
  const jobCounts = new Map<string, number>()
  const queued = new Map<string, number>(pipelines.map((name) => [name, 0]))
  const runningTasks = new Map<string, number>(pipelines.map((name) => [name, 0]))
  for (const job of scheduler.listJobs()) {
    const status = jobStatus(job)
    const key = JSON.stringify([job.pipeline, status])
    jobCounts.set(key, (jobCounts.get(key) ?? 0) + 1)
    if (status === 'queued') {
      queued.set(job.pipeline, (queued.get(job.pipeline) ?? 0) + 1)
    }
    const running = job.tasks.filter((task) => task.status === 'running').length
    if (running > 0) {
      runningTasks.set(job.pipeline, (runningTasks.get(job.pipeline) ?? 0) + running)
    }
  }

  return [
    gauge('prunner_build_info', 'Always 1; the label carries the version.', [
      { labels: { version: options.version }, value: 1 },
    ]),
    gauge('prunner_uptime_seconds', 'Seconds since prunner started.', [
      { value: Math.floor((Date.now() - options.startedAtMs) / 1000) },
    ]),
    gauge(
      'prunner_jobs',
      'Stored jobs by pipeline and status (queued, running, done, error, canceled).',
      [...jobCounts].map(([key, value]) => {
        const [pipeline, status] = JSON.parse(key) as [string, string]
        return { labels: { pipeline, status }, value }
      }),
    ),
    gauge('prunner_queue_length', 'Jobs on the wait list of each pipeline.', perPipeline(queued)),
    gauge(
      'prunner_running_tasks',
      'Task processes running now, by pipeline.',
      perPipeline(runningTasks),
    ),
    {
      name: 'prunner_task_duration_seconds',
      help: 'Duration of tasks that ran and finished since prunner started.',
      type: 'histogram',
      samples: durations.samples(),
    },
    gauge('prunner_event_subscribers', 'Open GET /events connections.', [
      { value: options.events?.subscriberCount ?? 0 },
    ]),
    gauge('process_resident_memory_bytes', 'Resident set size of the prunner process.', [
      { value: process.memoryUsage().rss },
    ]),
  ]
}

function gauge(name: string, help: string, samples: Sample[]): MetricFamily {
  return { name, help, type: 'gauge', samples }
}

function perPipeline(values: Map<string, number>): Sample[] {
  return [...values].map(([pipeline, value]) => ({ labels: { pipeline }, value }))
}

/** Cumulative buckets per label set, as Prometheus histograms count them. */
class DurationHistogram {
  readonly #series = new Map<
    string,
    { labels: Record<string, string>; buckets: number[]; sum: number; count: number }
  >()

  observe(labels: Record<string, string>, seconds: number): void {
    const key = JSON.stringify(labels)
    const series = this.#series.get(key) ?? {
      labels,
      buckets: DURATION_BUCKETS.map(() => 0),
      sum: 0,
      count: 0,
    }
    DURATION_BUCKETS.forEach((bound, index) => {
      if (seconds <= bound) {
        series.buckets[index] = (series.buckets[index] ?? 0) + 1
      }
    })
    series.sum += seconds
    series.count += 1
    this.#series.set(key, series)
  }

  samples(): Sample[] {
    const samples: Sample[] = []
    for (const { labels, buckets, sum, count } of this.#series.values()) {
      DURATION_BUCKETS.forEach((bound, index) => {
        samples.push({
          suffix: '_bucket',
          labels: { ...labels, le: String(bound) },
          value: buckets[index] ?? 0,
        })
      })
      samples.push({ suffix: '_bucket', labels: { ...labels, le: '+Inf' }, value: count })
      samples.push({ suffix: '_sum', labels, value: sum })
      samples.push({ suffix: '_count', labels, value: count })
    }
    return samples
  }
}
