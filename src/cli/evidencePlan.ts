/**
 * `plan --traffic` and `validate --traffic` (docs/cli.md, docs/evidence.md): at a stated request rate,
 * - the expected time until the sequential metrics rule out `detect` and the rollout may promote, read from
 *   seeded runs of the real engine on random counts of a healthy canary (the median and its spread, not a bound);
 * - for a canary whose only error checks are thresholds, the chance that a canary with a doubled error rate
 *   passes every check before it promotes (a binomial model of each check's window), with a warning above 5%.
 *
 * @module
 */
import { formatDuration } from '../config/duration.js'
import type { MetricSpec, RolloutSpec } from '../config/spec.js'
import type { Sample } from '../model/observation.js'
import { runToEnd } from '../testing/cooperative.js'
import { binomial, poisson } from '../testing/distributions.js'
import { createPrng } from '../testing/prng.js'
import { PLAN_CALLER } from '../testing/properties.js'
import { probeAnswer } from '../testing/probe.js'
import type { World } from '../testing/world.js'
import { clock } from './format.js'
import { planRun } from './plan-run.js'

/**
 * The traffic option: requests per second of the whole service (both arms), `10/s`, `600/m`, `10`.
 * `null` when the text is not a positive rate.
 *
 * @example
 * ```ts
 * parseTraffic('10/s') // 10
 * parseTraffic('600/m') // 10
 * parseTraffic('fast') // null
 * ```
 * @category plan
 */
export const parseTraffic = (text: string): number | null => {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(?:(?:req)?\/?\s*(s|sec|m|min|h))?\s*$/i.exec(text)
  if (m === null) return null
  const n = Number(m[1])
  const unit = (m[2] ?? 's').toLowerCase()
  const perSec = unit.startsWith('m') ? n / 60 : unit === 'h' ? n / 3600 : n
  return Number.isFinite(perSec) && perSec > 0 && perSec <= 1e9 ? perSec : null
}

/**
 * A base bad-event rate: `1%`, `0.5%` or a fraction `0.01`; `null` unless in (0, 0.5].
 *
 * @example
 * ```ts
 * parseRate('1%') // 0.01
 * ```
 * @category plan
 */
export const parseRate = (text: string): number | null => {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(%?)\s*$/.exec(text)
  if (m === null) return null
  const r = Number(m[1]) / (m[2] === '%' ? 100 : 1)
  return r > 0 && r <= 0.5 ? r : null
}

/** The default base bad-event rate of the models (the benchmark's 1%). */
export const DEFAULT_BASE_RATE = 0.01
/** Above this chance that a doubled error rate passes every check, `--traffic` warns. */
export const BLIND_WARN = 0.05

const pct = (x: number): string => `${Number((100 * x).toFixed(x < 0.01 ? 2 : 1))}%`

/** The canary's share of the service's requests at a weight (0 when it gets none). */
const shareAt = (weight: number): number => Math.min(1, Math.max(0, weight / 100))

/**
 * A world answering each counts need with seeded random counts of a canary at `multiplier` x the base rate:
 * Poisson requests per arm at the weight the engine set, binomial bad events; other metrics get their
 * probe's passing answer.
 */
const sampledWorld = (spec: RolloutSpec, perSec: number, base: number, multiplier: number, seed: number): World => {
  const rng = createPrng(seed)
  return {
    samples: (due, _at, state) =>
      due.flatMap((n): Sample[] => {
        const m = spec.analysis.metrics.find((x) => x.name === n.metric)
        if (m === undefined) return []
        const share = state.traffic.weight > 0 ? shareAt(state.traffic.weight) : 0.5
        if (m.sample !== 'counts') {
          const a = probeAnswer(m, 'pass')
          return a === undefined ? [] : [{ ...a(n.window), metric: n.metric }]
        }
        const sec = Math.max(0, n.window.to - n.window.from) / 1000
        const ct = poisson(rng, perSec * share * sec)
        const pt = poisson(rng, perSec * (1 - share) * sec)
        const cb = binomial(rng, ct, Math.min(1, base * multiplier))
        const pb = binomial(rng, pt, base)
        return [{ kind: 'counts', metric: n.metric, window: n.window, canary: { total: ct, bad: cb }, primary: { total: pt, bad: pb } }]
      }),
  }
}

const sequentialWithDetect = (spec: RolloutSpec): MetricSpec[] =>
  spec.analysis.metrics.filter((m) => !m.dryRun && m.judge.kind === 'sequential' && m.judge.detect !== undefined)

/** Seeded runs behind the expected time of `plan --traffic` (the same seeds every time: the same plan). */
export const PLAN_RUNS = 41

/** The outcome of one seeded run: when it promoted (or timed out, or neither) and when its hold for evidence began. */
interface PlanRun {
  readonly promoteAt: number | null
  readonly timeoutAt: number | null
  readonly heldFrom: number | null
  readonly end: string
}

const planRunAt = (spec: RolloutSpec, perSec: number, base: number, seed: number): PlanRun => {
  const run = runToEnd(spec, sampledWorld(spec, perSec, base, 1, seed), PLAN_CALLER)
  const promote = run.calls.find((c) => c.decision.action.type === 'promote')
  const timeout = run.calls.find((c) => c.decision.reasons.some((r) => r.code === 'evidenceTimeout'))
  const held = run.calls.find((c) => c.decision.reasons.some((r) => r.code === 'awaitingEvidence' || r.code === 'awaitingFirstWindow'))
  return {
    promoteAt: promote?.observation.at ?? null,
    timeoutAt: timeout?.observation.at ?? null,
    heldFrom: held?.observation.at ?? null,
    end: `ends ${run.outcome} at ${clock(run.endedAt)}`,
  }
}

/** Nearest-rank quantile of a sorted list. */
const rank = (sorted: readonly number[], p: number): number => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))] ?? NaN

/**
 * The expected-time lines of `plan --traffic` for the sequential metrics with `detect`: when a healthy canary
 * at `perSec` requests per second (base rate `base`) promotes, from PLAN_RUNS seeded runs of the real engine
 * on random counts (Poisson requests, binomial bad events): the median, the middle 80% and how many runs
 * reach the evidence timeout. The same seeds on every call, so the same plan. docs/evidence.md compares it
 * with the holds it describes.
 *
 * @example
 * ```ts
 * declare const spec: RolloutSpec
 * evidenceTimeLines(spec, 20, 0.01) // ['at 20 req/s ... errors rules out 2x ...']
 * ```
 * @category plan
 */
export const evidenceTimeLines = (spec: RolloutSpec, perSec: number, base: number): string[] => {
  const seq = sequentialWithDetect(spec)
  if (seq.length === 0) return []
  const runs = Array.from({ length: PLAN_RUNS }, (_, k) => planRunAt(spec, perSec, base, 1 + k))
  const at = `at ${Number(perSec.toFixed(2))} req/s (both arms), base bad-event rate ${pct(base)}`
  const detects = seq.map((m) => `${m.name} ${m.judge.kind === 'sequential' ? m.judge.detect : ''}x`).join(', ')
  // every run's promotion time, a run that times out (or never promotes) counting as later than any
  const all = runs.map((r) => (r.promoteAt !== null && r.timeoutAt === null ? r.promoteAt : Infinity)).sort((a, b) => a - b)
  const timeouts = runs.filter((r) => r.timeoutAt !== null)
  const of = `${timeouts.length} of ${PLAN_RUNS} seeded runs`
  const median = rank(all, 0.5)
  if (!Number.isFinite(median)) {
    const first = timeouts.map((r) => r.timeoutAt as number).sort((a, b) => a - b)[0]
    return [
      first !== undefined
        ? `${at}: a healthy canary is expected to reach the evidence timeout at ${clock(first)} before ruling out ${detects} (${of}): it would ${spec.analysis.onEvidenceTimeout === 'promote' ? 'promote with a warning' : 'roll back'}; raise the traffic, evidenceTimeout or detect`
        : `${at}: the expected run does not promote (${runs[0]?.end ?? 'no run'})`,
    ]
  }
  const heldRuns = runs.filter((r) => r.heldFrom !== null)
  const heldFrom = heldRuns.map((r) => r.heldFrom as number).sort((a, b) => a - b)
  const held = heldRuns.length > 0 ? ` (${heldRuns.length} of ${PLAN_RUNS} runs held for evidence, from ${clock(rank(heldFrom, 0.5))})` : ' (no wait for evidence)'
  const p90 = rank(all, 0.9)
  const spread = Number.isFinite(p90)
    ? `median of ${PLAN_RUNS} seeded runs; 80% promote between ${clock(rank(all, 0.1))} and ${clock(p90)}${timeouts.length > 0 ? `, ${of} reach the evidence timeout` : ''}`
    : `median of ${PLAN_RUNS} seeded runs; 10% promote by ${clock(rank(all, 0.1))}, ${of} reach the evidence timeout`
  return [`${at}: a healthy canary is expected to rule out ${detects} and promote at ${clock(median)}${held}; ${spread}; not a bound (docs/evidence.md)`]
}

/**
 * How a threshold check reads an error rate: `success` (thresholdRange.min, a success-rate percentage) or
 * `error` (thresholdRange.max, an error-rate percentage), for metrics whose name says so; `null` otherwise.
 */
const errorCheck = (m: MetricSpec): { readonly kind: 'success' | 'error'; readonly allowed: number } | null => {
  if (m.dryRun || m.judge.kind !== 'threshold' || !/success|error|fail|5xx|availab/i.test(m.name)) return null
  const { min, max } = m.judge
  if (min !== undefined && min >= 50 && min < 100 && max === undefined) return { kind: 'success', allowed: (100 - min) / 100 }
  if (max !== undefined && max > 0 && max <= 50 && min === undefined) return { kind: 'error', allowed: max / 100 }
  return null
}

/** P(X > k) for X ~ Binomial(n, p), by the log-space sum of the lower tail (n up to a few million). */
const binomialAbove = (n: number, p: number, k: number): number => {
  if (k < 0) return 1
  if (k >= n) return 0
  if (n > 200_000) {
    // normal approximation with continuity correction
    const mu = n * p
    const sd = Math.sqrt(n * p * (1 - p))
    const z = (k + 0.5 - mu) / sd
    return 0.5 * erfc(z / Math.SQRT2)
  }
  let logTerm = n * Math.log1p(-p)
  let cdf = Math.exp(logTerm)
  for (let i = 1; i <= k; i++) {
    logTerm += Math.log((n - i + 1) / i) + Math.log(p / (1 - p))
    cdf += Math.exp(logTerm)
  }
  return Math.max(0, Math.min(1, 1 - cdf))
}

const erfc = (x: number): number => {
  // Abramowitz-Stegun 7.1.26 (|error| < 1.5e-7)
  const t = 1 / (1 + 0.3275911 * Math.abs(x))
  const y = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429)))) * Math.exp(-x * x)
  return x >= 0 ? y : 2 - y
}

/**
 * The chance that a canary whose error rate is `rate` passes the threshold checks of the plan's passing run
 * up to its promotion: `null` when the spec has a deciding sequential metric, no threshold check that reads
 * an error rate, or never promotes in the plan.
 *
 * @example
 * ```ts
 * declare const spec: RolloutSpec
 * passChance(spec, 20, 0.02) // e.g. 0.97: a doubled 1% error rate passes almost always
 * ```
 * @category plan
 */
export const passChance = (spec: RolloutSpec, perSec: number, rate: number): number | null => {
  if (spec.analysis.metrics.some((m) => !m.dryRun && m.judge.kind === 'sequential')) return null
  const checks = spec.analysis.metrics.flatMap((m) => {
    const c = errorCheck(m)
    return c === null ? [] : [{ m, ...c }]
  })
  if (checks.length === 0) return null
  const answers = new Map(spec.analysis.metrics.flatMap((m) => {
    const a = probeAnswer(m, 'pass')
    return a === undefined ? [] : [[m.name, a] as const]
  }))
  const run = planRun(spec, answers)
  if (run.outcome !== 'promoted') return null
  // per analysis tick before the promotion: the chance each modelled check fails at the weight of its window
  const tickFails: number[] = []
  const perMetric = new Map<string, number[]>()
  let weight = 0
  for (const t of run.ticks) {
    // the tick that promotes judged its window too
    if (t.decision.reasons.some((r) => r.code === 'analysisPassed')) {
      let passAll = 1
      for (const c of checks) {
        const n = Math.floor(perSec * shareAt(weight) * (c.m.windowMs / 1000))
        // a check fails when the measured error share exceeds the allowed one (no data: no failure)
        const q = n < 1 ? 0 : binomialAbove(n, Math.min(1, rate), Math.floor(c.allowed * n + 1e-9))
        if (c.m.limits !== undefined) perMetric.set(c.m.name, [...(perMetric.get(c.m.name) ?? []), q])
        else passAll *= 1 - q
      }
      tickFails.push(1 - passAll)
    }
    if (t.decision.action.type === 'promote') break
    weight = t.decision.state.traffic.weight
  }
  // fewer than `threshold` failed ticks (Poisson-binomial), and each metric with Argo limits within its failureLimit
  const below = (qs: readonly number[], limit: number): number => {
    let dist = [1]
    for (const q of qs) {
      const next = new Array<number>(Math.min(dist.length + 1, limit + 1)).fill(0)
      for (let f = 0; f < dist.length; f++) {
        const p = dist[f] ?? 0
        if (f < next.length) next[f] = (next[f] ?? 0) + p * (1 - q)
        if (f + 1 < next.length) next[f + 1] = (next[f + 1] ?? 0) + p * q
      }
      dist = next
    }
    return dist.reduce((a, b) => a + b, 0)
  }
  let p = below(tickFails, Math.max(0, spec.analysis.threshold - 1))
  for (const c of checks) {
    const qs = perMetric.get(c.m.name)
    const limit = c.m.limits?.failureLimit ?? 0
    if (qs !== undefined && limit >= 0) p *= below(qs, limit)
  }
  return p
}

/**
 * The `--traffic` warning of `validate` and `plan`: a threshold-only canary that cannot tell a doubled error
 * rate from a healthy one before it promotes (more than 5% of doubled-error canaries pass every check).
 *
 * @example
 * ```ts
 * declare const spec: RolloutSpec
 * blindPromotionWarning(spec, 20, 0.01) // 'at 20 req/s ... a doubled error rate (1% -> 2%) passes every check ...'
 * ```
 * @category plan
 */
export const blindPromotionWarning = (spec: RolloutSpec, perSec: number, base: number): string | null => {
  const doubled = passChance(spec, perSec, 2 * base)
  if (doubled === null || doubled <= BLIND_WARN) return null
  const healthy = passChance(spec, perSec, base) ?? 0
  return (
    `at ${Number(perSec.toFixed(2))} req/s (both arms), a canary whose error rate doubles (${pct(base)} -> ${pct(2 * base)}) passes every check and promotes with probability ${pct(doubled)} ` +
    `(a healthy one: ${pct(healthy)}): the threshold checks cannot tell a doubled error rate from a healthy one before the promotion; ` +
    'add a sequential metric on the error counts (docs/evidence.md)'
  )
}
