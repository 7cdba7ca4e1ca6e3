/**
 * One unit of benchmark work: a range of runs of one scenario at one traffic level, judged by one line-up.
 * Runs in a worker thread or inline.
 *
 * @module
 */
import { deriveSeed, hashString } from '../src/testing/prng.js'
import { SCENARIOS } from './scenarios.js'
import { makeStream } from './stream.js'
import { suite } from './suites.js'

/**
 * A job description (structured-clone friendly).
 *
 * @example
 * ```ts
 * const j: Job = { id: 0, suite: 'headline', scenarioId: 'err-1', rate: 10, seed: 1, runStart: 0, runEnd: 100 }
 * ```
 */
export interface Job {
  readonly id: number
  readonly suite: 'headline' | 'tradeoff'
  readonly scenarioId: string
  readonly rate: number
  readonly seed: number
  readonly runStart: number
  readonly runEnd: number
}

/**
 * A job's result: per method, `3 * runs` numbers: type code (0 none, 1 rollback, 2 promote), decision time
 * (ms from the start) and canary requests by then.
 *
 * @example
 * ```ts
 * declare const r: JobResult
 * r.outcomes['sequential']?.[0] // type code of the first run
 * ```
 */
export interface JobResult {
  readonly id: number
  readonly runs: number
  readonly outcomes: Record<string, Float64Array>
}

const TYPE_CODE = { none: 0, rollback: 1, promote: 2 } as const

/**
 * Runs a job. The stream of run `r` depends only on (seed, scenario, rate, r), so every line-up judges the
 * same streams.
 *
 * @example
 * ```ts
 * runJob({ id: 0, suite: 'headline', scenarioId: 'err-5', rate: 10, seed: 1, runStart: 0, runEnd: 5 })
 * ```
 */
export const runJob = (job: Job): JobResult => {
  const scenario = SCENARIOS.find((s) => s.id === job.scenarioId)
  if (!scenario) throw new Error(`unknown scenario ${job.scenarioId}`)
  const methods = suite(job.suite)
  const runs = job.runEnd - job.runStart
  const outcomes: Record<string, Float64Array> = {}
  for (const m of methods) outcomes[m.id] = new Float64Array(3 * runs)
  const streamSeed = deriveSeed(job.seed, hashString(scenario.id), job.rate)
  for (let r = 0; r < runs; r++) {
    const stream = makeStream(scenario, job.rate, streamSeed, job.runStart + r)
    for (const m of methods) {
      const o = m.run(stream, scenario)
      const arr = outcomes[m.id]
      if (!arr) continue
      arr[3 * r] = TYPE_CODE[o.type]
      arr[3 * r + 1] = o.atMs
      arr[3 * r + 2] = o.canaryRequests
    }
  }
  return { id: job.id, runs, outcomes }
}
