/**
 * The judges compared on the same stream, each as a small state machine over one run:
 * - Flagger: thresholdRange on the canary's own value per 1-min check (success rate % >= min, or p99 <= max),
 *   rollback after `threshold` (5) cumulative failed checks, promotion after 5 passing checks (stepWeight 10,
 *   maxWeight 50: weights 10..50 then promotion);
 * - Argo: an AnalysisTemplate-style condition measured every minute over a 5-min query window,
 *   failureLimit 2 (the 3rd failed measurement fails the analysis), count 10 (success after 10 measurements);
 * - Kayenta: Mann-Whitney on per-minute points, canary vs primary, judged on growing windows every 10 min
 *   (lifetime 60 min); a judgement fails when the two-sided confidence interval of the shift lies above 0;
 * - sequential: the project's judge (`judgeSequential`) on per-10 s counts, rollback on `fail`, promotion on
 *   an early `pass`.
 *
 * @module
 */
import * as E from 'fp-ts/lib/Either.js'
import type { SequentialJudgeSpec } from '../src/config/spec.js'
import { mannWhitney } from '../src/analysis/mannWhitney.js'
import { judgeSequential } from '../src/analysis/sequential.js'
import type { Stream } from './stream.js'
import { HORIZON_MS, SLOT_MS } from './scenarios.js'

/**
 * What a method decided in one run, and when (ms from the start), with the canary requests seen by then.
 *
 * @example
 * ```ts
 * const o: Outcome = { type: 'rollback', atMs: 300_000, canaryRequests: 3000 }
 * ```
 */
export interface Outcome {
  readonly type: 'rollback' | 'promote' | 'none'
  readonly atMs: number
  readonly canaryRequests: number
}

const MIN = 60_000
const SLOTS_PER_MIN = MIN / SLOT_MS

const canaryRequestsUntil = (s: Stream, atMs: number): number => {
  const end = Math.min(s.slots, Math.ceil(atMs / SLOT_MS))
  let n = 0
  for (let i = 0; i < end; i++) n += s.canaryTotal[i] ?? 0
  return n
}

const outcome = (s: Stream, type: Outcome['type'], atMs: number): Outcome => ({ type, atMs, canaryRequests: canaryRequestsUntil(s, atMs) })

const sumSlots = (col: Int32Array, lo: number, hi: number): number => {
  let n = 0
  for (let i = Math.max(0, lo); i < hi; i++) n += col[i] ?? 0
  return n
}

/** Per-stream cache of latency quantiles per minute window. */
const p99Cache = new WeakMap<Stream, Map<string, number>>()
const p99 = (s: Stream, arm: 'canary' | 'primary', fromMs: number, toMs: number): number => {
  let m = p99Cache.get(s)
  if (!m) {
    m = new Map()
    p99Cache.set(s, m)
  }
  const key = `${arm}:${fromMs}:${toMs}`
  let v = m.get(key)
  if (v === undefined) {
    v = s.sim.latencyQuantile(arm, fromMs, toMs, 0.99)
    m.set(key, v)
  }
  return v
}

/** The canary's value over [fromMs, toMs): success rate % (errors) or p99 ms (latency); NaN when empty. */
const canaryValue = (s: Stream, signal: 'errors' | 'latency', fromMs: number, toMs: number): number => {
  if (signal === 'latency') return p99(s, 'canary', fromMs, toMs)
  const lo = fromMs / SLOT_MS
  const hi = toMs / SLOT_MS
  const total = sumSlots(s.canaryTotal, lo, hi)
  return total === 0 ? Number.NaN : (100 * (total - sumSlots(s.canaryBad, lo, hi))) / total
}

/**
 * Flagger's rule. `bound` is the minimum success rate % (errors) or the maximum p99 ms (latency).
 *
 * @example
 * ```ts
 * flagger(stream, 'errors', 99)
 * ```
 */
export const flagger = (s: Stream, signal: 'errors' | 'latency', bound: number, threshold = 5, stepsToPromote = 5): Outcome => {
  let fails = 0
  let passes = 0
  for (let m = 1; m * MIN <= HORIZON_MS; m++) {
    const v = canaryValue(s, signal, (m - 1) * MIN, m * MIN)
    // no data counts as a failed check in Flagger
    const failed = Number.isNaN(v) || (signal === 'errors' ? v < bound : v > bound)
    if (failed) {
      fails++
      if (fails >= threshold) return outcome(s, 'rollback', m * MIN)
    } else {
      passes++
      if (passes >= stepsToPromote) return outcome(s, 'promote', m * MIN)
    }
  }
  return outcome(s, 'none', HORIZON_MS)
}

/**
 * Argo Rollouts-style analysis: `successCondition` on a 5-min query window every minute; the analysis fails
 * when failed measurements exceed `failureLimit` and succeeds after `count` measurements.
 * Errors: `result[0] >= minRatio` (success ratio); latency: `result[0] <= maxMs` (p99).
 *
 * @example
 * ```ts
 * argo(stream, 'errors', 0.985)
 * ```
 */
export const argo = (s: Stream, signal: 'errors' | 'latency', bound: number, failureLimit = 2, count = 10, queryMin = 5): Outcome => {
  let failed = 0
  for (let m = 1; m <= count; m++) {
    const from = Math.max(0, m - queryMin) * MIN
    const v = canaryValue(s, signal, from, m * MIN)
    const ok = !Number.isNaN(v) && (signal === 'errors' ? v / 100 >= bound : v <= bound)
    if (!ok) {
      failed++
      if (failed > failureLimit) return outcome(s, 'rollback', m * MIN)
    }
  }
  return outcome(s, 'promote', count * MIN)
}

/**
 * Kayenta-style judgement: Mann-Whitney on per-minute points (error ratios, or per-minute p99) of both arms
 * over the growing window [0, t), t = 10, 20, ..., 60 min; fails when the two-sided `confidence` interval of
 * the canary-minus-primary shift lies entirely above 0. Promotes after the last judgement.
 *
 * @example
 * ```ts
 * kayenta(stream, 'errors', 0.98)
 * ```
 */
export const kayenta = (s: Stream, signal: 'errors' | 'latency', confidence: number, intervalMin = 10): Outcome => {
  const canary: number[] = []
  const primary: number[] = []
  const minutes = HORIZON_MS / MIN
  for (let m = 1; m <= minutes; m++) {
    const lo = (m - 1) * SLOTS_PER_MIN
    const hi = m * SLOTS_PER_MIN
    const ct = sumSlots(s.canaryTotal, lo, hi)
    const pt = sumSlots(s.primaryTotal, lo, hi)
    if (signal === 'errors') {
      if (ct > 0) canary.push(sumSlots(s.canaryBad, lo, hi) / ct)
      if (pt > 0) primary.push(sumSlots(s.primaryBad, lo, hi) / pt)
    } else {
      if (ct > 0) canary.push(p99(s, 'canary', (m - 1) * MIN, m * MIN))
      if (pt > 0) primary.push(p99(s, 'primary', (m - 1) * MIN, m * MIN))
    }
    if (m % intervalMin === 0) {
      // Kayenta (Apache commons-math MannWhitneyUTest) uses the normal approximation
      const r = mannWhitney(canary, primary, { confidence, alternative: 'two-sided', method: 'normal' })
      if (E.isRight(r) && r.right.lower > 0) return outcome(s, 'rollback', m * MIN)
    }
  }
  return outcome(s, 'promote', HORIZON_MS)
}

/**
 * The project's sequential judge, fed each 10 s window's counts through `judgeSequential`.
 *
 * @example
 * ```ts
 * sequential(stream, { kind: 'sequential', alpha: 0.01, tolerance: 1.1, earlyPass: true, minBadEvents: 0 })
 * ```
 */
export const sequential = (s: Stream, spec: SequentialJudgeSpec): Outcome => {
  let state: unknown = null
  for (let i = 0; i < s.slots; i++) {
    const window = { from: i * SLOT_MS, to: (i + 1) * SLOT_MS }
    const j = judgeSequential('m', spec, state, {
      kind: 'counts',
      metric: 'm',
      window,
      canary: { total: s.canaryTotal[i] ?? 0, bad: s.canaryBad[i] ?? 0 },
      primary: { total: s.primaryTotal[i] ?? 0, bad: s.primaryBad[i] ?? 0 },
    })
    state = j.judgeState
    if (j.verdict === 'fail' || j.final === 'fail') return outcome(s, 'rollback', window.to)
    if (j.final === 'pass') return outcome(s, 'promote', window.to)
  }
  return outcome(s, 'none', HORIZON_MS)
}
