/**
 * Decision quality: runs the headline and trade-off line-ups on simulated streams (in worker threads) and
 * summarises false rollbacks, power, detection delay and time to promote per method, scenario and rate.
 *
 * @module
 */
import type { Job, JobResult } from './job.js'
import { progress, runPool } from './pool.js'
import type { Scenario } from './scenarios.js'
import { BASE_BAD_RATE, RATES, SCENARIOS, nominalCanaryRate } from './scenarios.js'
import { sprtFloor } from './sprt.js'
import { median, quantile, wilson } from './stats.js'
import type { Method } from './suites.js'
import { HEADLINE, TRADEOFF } from './suites.js'

/**
 * Summary of one method in one cell.
 *
 * @example
 * ```ts
 * declare const c: CellSummary
 * c.rollbackRate
 * ```
 */
export interface CellSummary {
  readonly runs: number
  readonly rollbacks: number
  readonly rollbackRate: number
  readonly ci: [number, number]
  /** Over all runs, Infinity when not rolled back. */
  readonly delayMedianMin: number
  readonly delayP90Min: number
  readonly requestsMedian: number
  readonly requestsP90: number
  /** Time to promote (H0): promotion time, horizon when undecided, Infinity when rolled back. */
  readonly promoteMedianMin: number
  readonly promoteP90Min: number
}

const key = (suite: string, scenario: string, rate: number, method: string): string => `${suite}|${scenario}|${rate}|${method}`

/**
 * Options of a decision-quality run.
 *
 * @example
 * ```ts
 * const o: QualityOptions = { seed: 1, runsErrors: 10_000, runsLatency: 2_000, runsTradeoff: 2_000, chunk: 250 }
 * ```
 */
export interface QualityOptions {
  readonly seed: number
  /** Runs per cell for the error-rate scenarios. */
  readonly runsErrors: number
  /** Runs per cell for the latency scenarios (per-minute p99s are slower to draw). */
  readonly runsLatency: number
  /** Runs per cell for the trade-off sweep (1% -> 2% and H0, 10 req/s per arm). */
  readonly runsTradeoff: number
  readonly chunk: number
}

/**
 * Results of a decision-quality run.
 *
 * @example
 * ```ts
 * declare const r: QualityResults
 * r.get('headline', 'err-1', 10, 'sequential')?.rollbackRate
 * ```
 */
export interface QualityResults {
  readonly get: (suite: 'headline' | 'tradeoff', scenario: string, rate: number, method: string) => CellSummary | undefined
  readonly options: QualityOptions
  readonly threads: number
  readonly seconds: number
}

const summarise = (chunks: readonly Float64Array[]): CellSummary => {
  const delays: number[] = []
  const reqs: number[] = []
  const promote: number[] = []
  let rollbacks = 0
  for (const a of chunks) {
    for (let i = 0; i + 2 < a.length; i += 3) {
      const type = a[i] ?? 0
      const at = (a[i + 1] ?? 0) / 60_000
      const rq = a[i + 2] ?? 0
      if (type === 1) {
        rollbacks++
        delays.push(at)
        reqs.push(rq)
        promote.push(Infinity)
      } else {
        delays.push(Infinity)
        reqs.push(Infinity)
        promote.push(at)
      }
    }
  }
  const runs = delays.length
  return {
    runs,
    rollbacks,
    rollbackRate: runs === 0 ? Number.NaN : rollbacks / runs,
    ci: wilson(rollbacks, runs),
    delayMedianMin: median(delays),
    delayP90Min: quantile(delays, 0.9),
    requestsMedian: median(reqs),
    requestsP90: quantile(reqs, 0.9),
    promoteMedianMin: median(promote),
    promoteP90Min: quantile(promote, 0.9),
  }
}

/**
 * Runs the benchmark.
 *
 * @example
 * ```ts
 * const r = await runQuality({ seed: 1, runsErrors: 100, runsLatency: 40, runsTradeoff: 100, chunk: 50 })
 * ```
 */
export const runQuality = async (o: QualityOptions): Promise<QualityResults> => {
  const jobs: Job[] = []
  let id = 0
  const add = (suite: 'headline' | 'tradeoff', scenario: Scenario, rate: number, runs: number): void => {
    for (let s = 0; s < runs; s += o.chunk) {
      jobs.push({ id: id++, suite, scenarioId: scenario.id, rate, seed: o.seed, runStart: s, runEnd: Math.min(runs, s + o.chunk) })
    }
  }
  for (const sc of SCENARIOS) for (const rate of RATES) add('headline', sc, rate, sc.signal === 'errors' ? o.runsErrors : o.runsLatency)
  for (const sc of SCENARIOS.filter((s) => s.id === 'err-1' || s.id === 'err-2')) add('tradeoff', sc, 10, o.runsTradeoff)
  // big jobs first for better packing
  const byId = new Map(jobs.map((j) => [j.id, j]))
  const collected = new Map<string, Float64Array[]>()
  const total = jobs.reduce((n, j) => n + j.runEnd - j.runStart, 0)
  const t0 = Date.now()
  const { threads } = await runPool(
    jobs,
    (r: JobResult) => {
      const job = byId.get(r.id)
      if (!job) return
      for (const [method, arr] of Object.entries(r.outcomes)) {
        const k = key(job.suite, job.scenarioId, job.rate, method)
        const list = collected.get(k) ?? []
        list.push(arr)
        collected.set(k, list)
      }
    },
    progress('decision quality', total),
  )
  const summaries = new Map<string, CellSummary>()
  for (const [k, chunks] of collected) summaries.set(k, summarise(chunks))
  return fromSummaries(summaries, o, threads, (Date.now() - t0) / 1000)
}

/**
 * Rebuilds results from saved summaries (see `saveQuality`).
 *
 * @example
 * ```ts
 * const r = loadQuality(JSON.parse(text))
 * ```
 */
export const loadQuality = (saved: { summaries: [string, CellSummary][]; options: QualityOptions; threads: number; seconds: number }): QualityResults =>
  fromSummaries(new Map(saved.summaries), saved.options, saved.threads, saved.seconds)

/**
 * A JSON-friendly snapshot of results (Infinity is stored as null and restored by `loadQuality`).
 *
 * @example
 * ```ts
 * declare const r: QualityResults
 * JSON.stringify(saveQuality(r))
 * ```
 */
export const saveQuality = (r: QualityResults): string =>
  JSON.stringify({ summaries: [...(r as QualityResultsInternal).summaries], options: r.options, threads: r.threads, seconds: r.seconds }, (_k, v: unknown) =>
    v === Infinity ? 'Infinity' : v,
  )

/**
 * Parses `saveQuality` output.
 *
 * @example
 * ```ts
 * loadQuality(parseQuality(saveQuality(r)))
 * ```
 */
export const parseQuality = (text: string): Parameters<typeof loadQuality>[0] =>
  JSON.parse(text, (_k, v: unknown) => (v === 'Infinity' ? Infinity : v)) as Parameters<typeof loadQuality>[0]

interface QualityResultsInternal extends QualityResults {
  readonly summaries: Map<string, CellSummary>
}

const fromSummaries = (summaries: Map<string, CellSummary>, o: QualityOptions, threads: number, seconds: number): QualityResultsInternal => {
  return {
    summaries,
    get: (suite, scenario, rate, method) => summaries.get(key(suite, scenario, rate, method)),
    options: o,
    threads,
    seconds,
  }
}

const pct = (x: number): string => (Number.isNaN(x) ? 'n/a' : `${(100 * x).toFixed(x < 0.1 ? 2 : 1)}%`)
const mins = (x: number): string => (x === Infinity ? '>60' : Number.isNaN(x) ? 'n/a' : x < 10 ? x.toFixed(1) : x.toFixed(0))
const reqs = (x: number): string => (x === Infinity ? '-' : Number.isNaN(x) ? 'n/a' : x >= 10_000 ? `${(x / 1000).toFixed(0)}k` : x.toFixed(0))

/**
 * Markdown tables of the headline results.
 *
 * @example
 * ```ts
 * declare const r: QualityResults
 * qualityTables(r).join('\n')
 * ```
 */
export const qualityTables = (r: QualityResults): string[] => {
  const out: string[] = []
  const methods: readonly Method[] = HEADLINE
  const header = (first: string): string[] => [
    `| ${first} | ${methods.map((m) => m.label).join(' | ')} |`,
    `|---|${methods.map(() => '---').join('|')}|`,
  ]
  out.push('### False rollbacks of healthy canaries (H0), 60-min horizon', '')
  out.push('Share of runs rolled back, with the Wilson 95% interval. A method that promotes early stops being exposed to false rollbacks; the horizon is each method\'s own lifetime (at most 60 min).', '')
  out.push(...header('scenario @ req/s per arm'))
  for (const sc of SCENARIOS.filter((s) => s.h0)) {
    for (const rate of RATES) {
      const cells = methods.map((m) => {
        const c = r.get('headline', sc.id, rate, m.id)
        return c ? `${pct(c.rollbackRate)} [${pct(c.ci[0])}-${pct(c.ci[1])}] (n=${c.runs})` : 'n/a'
      })
      out.push(`| ${sc.label} @ ${rate} | ${cells.join(' | ')} |`)
    }
  }
  out.push('')
  out.push('### Power and detection delay of bad canaries (H1)', '')
  out.push(
    'Each cell: power within the horizon (share rolled back); detection delay median / p90 in minutes and in canary requests (over ALL runs, ">60" when the quantile was not reached: a missed regression counts as never detected). The SPRT column is the Wald-Wolfowitz floor on the expected sample size of any test with alpha = 0.01, beta = 0.05 (statistics.md section 3), at the nominal rates.',
    '',
  )
  out.push(`| scenario @ req/s per arm | ${methods.map((m) => m.label).join(' | ')} | SPRT floor (mean) |`)
  out.push(`|---|${methods.map(() => '---').join('|')}|---|`)
  for (const sc of SCENARIOS.filter((s) => !s.h0)) {
    const floor = sprtFloor(BASE_BAD_RATE, nominalCanaryRate(sc))
    for (const rate of RATES) {
      const cells = methods.map((m) => {
        const c = r.get('headline', sc.id, rate, m.id)
        return c
          ? `${pct(c.rollbackRate)}; ${mins(c.delayMedianMin)} / ${mins(c.delayP90Min)} min; ${reqs(c.requestsMedian)} / ${reqs(c.requestsP90)} req`
          : 'n/a'
      })
      out.push(`| ${sc.label} @ ${rate} | ${cells.join(' | ')} | ${mins(floor.requestsPerArm / (rate * 60))} min; ${reqs(floor.requestsPerArm)} req |`)
    }
  }
  out.push('')
  out.push('### Time to promote a healthy canary (H0)', '')
  out.push('Median / p90 minutes until promotion (">60" when the quantile falls on rolled-back runs). Flagger: 5 passing checks (weights 10..50); Argo: 10 measurements; Kayenta: end of its 60-min lifetime; sequential: the early pass (anytime upper bound below the tolerance), else the horizon.', '')
  out.push(...header('scenario @ req/s per arm'))
  for (const sc of SCENARIOS.filter((s) => s.h0)) {
    for (const rate of RATES) {
      const cells = methods.map((m) => {
        const c = r.get('headline', sc.id, rate, m.id)
        return c ? `${mins(c.promoteMedianMin)} / ${mins(c.promoteP90Min)}` : 'n/a'
      })
      out.push(`| ${sc.label} @ ${rate} | ${cells.join(' | ')} |`)
    }
  }
  out.push('')
  return out
}

/**
 * The trade-off series: for each family, (median detection delay 1% -> 2%, false-rollback rate) per knob.
 *
 * @example
 * ```ts
 * declare const r: QualityResults
 * tradeoffSeries(r)
 * ```
 */
export const tradeoffSeries = (r: QualityResults): { name: string; points: { x: number; y: number; label: string; method: Method }[] }[] => {
  const families = new Map<string, { x: number; y: number; label: string; method: Method }[]>()
  for (const m of TRADEOFF) {
    const h0 = r.get('tradeoff', 'err-1', 10, m.id)
    const h1 = r.get('tradeoff', 'err-2', 10, m.id)
    if (!h0 || !h1) continue
    const name = m.family === 'sequential' ? `sequential alpha ${m.id.split('-')[2] ?? ''}` : m.family === 'flagger' ? 'Flagger min %' : 'Kayenta confidence'
    const list = families.get(name) ?? []
    list.push({ x: h1.delayMedianMin, y: 100 * h0.rollbackRate, label: String(m.knob), method: m })
    families.set(name, list)
  }
  return [...families].map(([name, points]) => ({ name, points }))
}

/**
 * Markdown table of the trade-off sweep.
 *
 * @example
 * ```ts
 * declare const r: QualityResults
 * tradeoffTable(r)
 * ```
 */
export const tradeoffTable = (r: QualityResults): string[] => {
  const out = ['| method | knob | false rollbacks (H0) | 1% -> 2% power | median / p90 delay (min) |', '|---|---|---|---|---|']
  for (const s of tradeoffSeries(r)) {
    for (const p of s.points) {
      const h0 = r.get('tradeoff', 'err-1', 10, p.method.id)
      const h1 = r.get('tradeoff', 'err-2', 10, p.method.id)
      if (!h0 || !h1) continue
      out.push(`| ${s.name} | ${p.label} | ${pct(h0.rollbackRate)} (n=${h0.runs}) | ${pct(h1.rollbackRate)} | ${mins(h1.delayMedianMin)} / ${mins(h1.delayP90Min)} |`)
    }
  }
  return out
}
