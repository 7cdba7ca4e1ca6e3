/**
 * Kayenta-style classification of one metric from raw canary and primary points (a reimplementation of
 * the idea of Netflix's ACA judge, from its description):
 *
 * 1. NaN points are removed (`nanStrategy: 'remove'`) or replaced by 0 (`'replace'`); +-Infinity points
 *    are always removed (they come from divisions by zero, not from measurements).
 * 2. Optional IQR outlier removal per arm, fences `[Q1 - 3 IQR, Q3 + 3 IQR]` (see `outliers.ts`).
 * 3. Fewer than `minPoints` points left in either arm: `NoData` (no raw point at all: the source had
 *    nothing; otherwise: not enough to judge).
 * 4. Identical arms (same multiset of points), or one single value across both arms: `Pass`.
 * 5. Two-sided Mann-Whitney test at `confidence`, with the Hodges-Lehmann shift estimate
 *    (canary - primary) and its confidence interval.
 * 6. Kayenta's tolerance: a shift counts only when the whole interval lies beyond
 *    `tolerance * |estimate|` (the default 0.25 means the interval must clear a quarter of the estimated
 *    shift itself, not just zero) and the p-value is below `1 - confidence`.
 * 7. Effect-size allowance: the mean ratio canary/primary within `[allowedDecrease, allowedIncrease]`
 *    (bounds included) is tolerated even when significant. When the ratio cannot be computed (a mean of
 *    0) the allowance is ignored, as in Kayenta.
 * 8. Direction: only a change in the bad direction classifies as `High` (increase) or `Low` (decrease).
 *
 * `Error` is kept for a judge spec that cannot be used (never thrown). Critical metrics are flagged; a
 * critical `High`/`Low` fails the whole judgement (`final: 'fail'` from `judgeKayenta`, and a failed score
 * in `kayentaScore`).
 *
 * @module
 */
import { describeValue } from '../model/errors.js'
import * as E from 'fp-ts/lib/Either.js'
import type { MannWhitneyJudgeSpec } from '../model/metricSpec.js'
import type { Reason } from '../model/reason.js'
import type { Sample } from '../model/observation.js'
import type { Judgement } from '../model/verdict.js'
import { mannWhitney } from './mannWhitney.js'
import { removeOutliers } from './outliers.js'
import { boundedList, guarded } from '../model/guard.js'
import { unreadableJudgement } from './judgeFallback.js'

/**
 * Kayenta's per-metric classification labels (plus `Error` for an unusable judge spec).
 *
 * @example
 * ```ts
 * const l: KayentaLabel = 'High'
 * ```
 * @category model
 */
export type KayentaLabel = 'Pass' | 'High' | 'Low' | 'NoData' | 'Error'

/**
 * Numbers behind a classification (plain JSON: no NaN, `null` where undefined).
 *
 * @example
 * ```ts
 * const s: KayentaStats = {
 *   nCanary: 60, nPrimary: 60, removedCanary: 0, removedPrimary: 1, meanCanary: 112, meanPrimary: 100,
 *   ratio: 1.12, estimate: 12.3, lower: 4.1, upper: 20.2, pValue: 0.003, alpha: 0.02, toleranceBound: 3.075,
 *   method: 'normal',
 * }
 * ```
 * @category model
 */
export interface KayentaStats {
  readonly nCanary: number
  readonly nPrimary: number
  /** Points removed from each arm (NaN with `remove`, +-Infinity, outliers). */
  readonly removedCanary: number
  readonly removedPrimary: number
  readonly meanCanary: number
  readonly meanPrimary: number
  /** Mean ratio canary / primary; null when a mean is 0. */
  readonly ratio: number | null
  /** Hodges-Lehmann shift canary - primary and its two-sided interval at `1 - alpha`. */
  readonly estimate: number
  readonly lower: number
  readonly upper: number
  readonly pValue: number
  readonly alpha: number
  /** tolerance * |estimate|: the interval must clear this. */
  readonly toleranceBound: number
  readonly method: 'exact' | 'normal'
}

/**
 * The classification of one metric.
 *
 * @example
 * ```ts
 * const c: KayentaClassification = {
 *   metric: 'latency', label: 'Pass', group: 'default', critical: false, stats: null,
 *   reason: { code: 'metricPassed', message: 'latency: canary and primary points are identical', metric: 'latency' },
 * }
 * ```
 * @category model
 */
export interface KayentaClassification {
  readonly metric: string
  readonly label: KayentaLabel
  readonly group: string
  readonly critical: boolean
  readonly reason: Reason
  readonly stats: KayentaStats | null
}

const fmt = (n: number): string => {
  if (!Number.isFinite(n)) return String(n)
  if (n === 0) return '0'
  const a = Math.abs(n)
  const s = a >= 1e6 || a < 1e-4 ? n.toExponential(2) : n.toPrecision(a >= 100 ? Math.max(3, Math.ceil(Math.log10(a + 1))) : 3)
  return s.includes('e') ? s : s.replace(/(\.\d*?)0+$/, '$1').replace(/\.$/, '')
}
const signed = (n: number): string => (n > 0 ? `+${fmt(n)}` : fmt(n))
const pct = (c: number): string => `${fmt(c * 100)}%`
const pFmt = (p: number): string => (p < 1e-4 ? p.toExponential(1) : fmt(p))

const specProblem = (s: MannWhitneyJudgeSpec): string | null => {
  const finite = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v)
  if (!finite(s.confidence) || s.confidence <= 0 || s.confidence >= 1) return `confidence must be in (0, 1), got ${describeValue(s.confidence)}`
  if (!finite(s.tolerance) || s.tolerance < 0) return `tolerance must be >= 0, got ${describeValue(s.tolerance)}`
  if (!finite(s.minPoints) || s.minPoints < 0) return `minPoints must be >= 0, got ${describeValue(s.minPoints)}`
  if (!finite(s.allowedIncrease) || s.allowedIncrease <= 0) return `allowedIncrease must be > 0, got ${describeValue(s.allowedIncrease)}`
  if (!finite(s.allowedDecrease) || s.allowedDecrease < 0) return `allowedDecrease must be >= 0, got ${describeValue(s.allowedDecrease)}`
  if (s.direction !== 'increase' && s.direction !== 'decrease' && s.direction !== 'either') return `direction must be increase, decrease or either, got ${describeValue(s.direction)}`
  if (s.nanStrategy !== 'remove' && s.nanStrategy !== 'replace') return `nanStrategy must be remove or replace, got ${describeValue(s.nanStrategy)}`
  return null
}

/** Applies the NaN strategy, drops +-Infinity, then outliers. Non-number entries count as NaN. */
const clean = (raw: readonly unknown[], spec: MannWhitneyJudgeSpec): number[] => {
  const out: number[] = []
  for (const v of raw) {
    const x = typeof v === 'number' ? v : Number.NaN
    if (Number.isNaN(x)) {
      if (spec.nanStrategy === 'replace') out.push(0)
    } else if (Number.isFinite(x)) out.push(x)
  }
  return spec.removeOutliers === true ? removeOutliers(out, 3) : out
}

const mean = (xs: readonly number[]): number => {
  // Two-pass for a little more accuracy on large magnitudes.
  if (xs.length === 0) return Number.NaN
  let s = 0
  for (const x of xs) s += x
  const m0 = s / xs.length
  let c = 0
  for (const x of xs) c += x - m0
  return m0 + c / xs.length
}

const sameMultiset = (a: readonly number[], b: readonly number[]): boolean => {
  if (a.length !== b.length) return false
  const sa = [...a].sort((x, y) => x - y)
  const sb = [...b].sort((x, y) => x - y)
  return sa.every((v, i) => v === sb[i])
}

/**
 * Classifies one metric from raw canary and primary points, Kayenta style (see the module notes).
 * Total: any input gives a classification with a reason that names the metric, the observed value and
 * the bound.
 *
 * @example
 * ```ts
 * const spec: MannWhitneyJudgeSpec = {
 *   kind: 'mannWhitney', confidence: 0.98, direction: 'increase', allowedIncrease: 1.1, allowedDecrease: 1,
 *   nanStrategy: 'remove', removeOutliers: false, critical: false, group: 'latency', minPoints: 10, tolerance: 0.25,
 * }
 * const primary = Array.from({ length: 30 }, (_, i) => 100 + (i % 10))
 * classifyKayenta('latency', spec, primary.map((v) => v * 1.5), primary).label // 'High'
 * ```
 * @category judges
 */
export const classifyKayenta = guarded('classifyKayenta', (
  metric: string,
  spec: MannWhitneyJudgeSpec,
  canary: readonly number[],
  primary: readonly number[],
): KayentaClassification => {
  const group = typeof spec?.group === 'string' ? spec.group : 'default'
  const critical = spec?.critical === true
  const base = { metric, group, critical }
  const problem = spec === null || typeof spec !== 'object' ? 'missing judge spec' : specProblem(spec)
  if (problem !== null) {
    return { ...base, label: 'Error', stats: null, reason: { code: 'metricError', message: `${metric}: ${problem}`, metric } }
  }
  const rawC: readonly unknown[] = Array.isArray(canary) ? boundedList(canary, 'canary') : []
  const rawP: readonly unknown[] = Array.isArray(primary) ? boundedList(primary, 'primary') : []
  const c = clean(rawC, spec)
  const p = clean(rawP, spec)
  const minPoints = Math.max(1, Math.ceil(spec.minPoints))
  if (rawC.length === 0 && rawP.length === 0) {
    return { ...base, label: 'NoData', stats: null, reason: { code: 'noData', message: `${metric}: no points in either arm`, metric } }
  }
  if (c.length < minPoints || p.length < minPoints) {
    const few = c.length < p.length ? { arm: 'canary', n: c.length } : { arm: 'primary', n: p.length }
    return {
      ...base,
      label: 'NoData',
      stats: null,
      reason: {
        code: 'metricInconclusive',
        message: `${metric}: ${few.arm} has ${few.n} usable points < minPoints ${minPoints} (canary ${c.length}, primary ${p.length})`,
        metric,
        observed: few.n,
        bound: minPoints,
      },
    }
  }
  if (sameMultiset(c, p)) {
    return { ...base, label: 'Pass', stats: null, reason: { code: 'metricPassed', message: `${metric}: canary and primary points are identical`, metric } }
  }
  const first = c[0] as number
  if (c.every((v) => v === first) && p.every((v) => v === first)) {
    return { ...base, label: 'Pass', stats: null, reason: { code: 'metricPassed', message: `${metric}: every point is ${fmt(first)} in both arms`, metric } }
  }
  const tested = mannWhitney(c, p, { confidence: spec.confidence, alternative: 'two-sided' })
  if (E.isLeft(tested)) {
    // Unreachable after the checks above; kept for totality.
    return { ...base, label: 'Error', stats: null, reason: { code: 'metricError', message: `${metric}: ${tested.left.message}`, metric } }
  }
  const mw = tested.right
  const alpha = Number((1 - spec.confidence).toPrecision(12)) // 0.02, not 0.020000000000000018
  const meanCanary = mean(c)
  const meanPrimary = mean(p)
  const rawRatio = meanCanary / meanPrimary
  const ratio = meanCanary === 0 || meanPrimary === 0 || !Number.isFinite(rawRatio) ? null : rawRatio
  const toleranceBound = spec.tolerance * Math.abs(mw.estimate)
  const stats: KayentaStats = {
    nCanary: c.length,
    nPrimary: p.length,
    removedCanary: rawC.length - c.length,
    removedPrimary: rawP.length - p.length,
    meanCanary,
    meanPrimary,
    ratio,
    estimate: mw.estimate,
    lower: mw.lower,
    upper: mw.upper,
    pValue: mw.pValue,
    alpha,
    toleranceBound,
    method: mw.method,
  }
  // the reason's details are the statistics themselves (without the undefined ratio)
  const details = Object.fromEntries(Object.entries(stats).filter(([, v]) => v !== null)) as Record<string, number | string | boolean>
  const significant = mw.pValue < alpha
  const up = significant && mw.lower > toleranceBound
  const down = significant && mw.upper < -toleranceBound
  const shift = `canary ${signed(mw.estimate)} (HL shift, ${pct(spec.confidence)} CI ${fmt(mw.lower)}..${fmt(mw.upper)})`
  const pText = `p = ${pFmt(mw.pValue)} ${significant ? '<' : '>='} ${fmt(alpha)}`
  const ratioText = ratio === null ? 'mean ratio n/a (a mean is 0)' : `mean ratio ${fmt(ratio)}`
  const crit = critical ? ' (critical)' : ''
  const pass = (message: string, observed: number, bound: number): KayentaClassification => ({
    ...base, label: 'Pass', stats, reason: { code: 'metricPassed', message: `${metric}: ${message}`, metric, observed, bound, details },
  })
  const badUp = spec.direction === 'increase' || spec.direction === 'either'
  const badDown = spec.direction === 'decrease' || spec.direction === 'either'

  if (up || down) {
    const higher = up
    const bad = higher ? badUp : badDown
    const word = higher ? 'higher' : 'lower'
    if (!bad) {
      return pass(`${shift} ${word} than primary, ${ratioText}; only ${spec.direction}s fail (${pText})`, ratio ?? mw.estimate, ratio === null ? 0 : 1)
    }
    const allowance = higher ? spec.allowedIncrease : spec.allowedDecrease
    const tolerated = ratio !== null && (higher ? ratio <= allowance : ratio >= allowance)
    if (tolerated) {
      return pass(
        `${shift} ${word} than primary, tolerated: ${ratioText} ${higher ? '<=' : '>='} allowed ${fmt(allowance)} (${pText})`,
        ratio,
        allowance,
      )
    }
    const edge = higher ? mw.lower : mw.upper
    return {
      ...base,
      label: higher ? 'High' : 'Low',
      stats,
      reason: {
        code: 'metricFailed',
        message:
          `${metric}: ${shift} ${word} than primary${crit}, ` +
          (ratio === null ? `${ratioText}, interval clears ${higher ? '' : '-'}${fmt(toleranceBound)}` : `${ratioText} ${higher ? '>' : '<'} allowed ${fmt(allowance)}`) +
          ` (${pText})`,
        metric,
        observed: ratio ?? edge,
        bound: ratio === null ? (higher ? toleranceBound : -toleranceBound) : allowance,
        details,
      },
    }
  }
  if (!significant) {
    return pass(`no significant difference, ${shift}, ${ratioText} (${pText})`, mw.pValue, alpha)
  }
  // Significant, but the interval does not clear tolerance * |estimate|.
  const edge = mw.estimate >= 0 ? mw.lower : mw.upper
  return pass(
    `${shift} within tolerance: interval ${mw.estimate >= 0 ? 'lower' : 'upper'} bound ${fmt(edge)} does not clear ${fmt(spec.tolerance)} x |shift| = ${fmt(toleranceBound)}, ${ratioText} (${pText})`,
    edge,
    mw.estimate >= 0 ? toleranceBound : -toleranceBound,
  )
}, (m, _f, [metric]) => ({ metric: typeof metric === 'string' ? metric : '?', group: 'default', critical: false, label: 'Error' as const, stats: null, reason: { code: 'metricError' as const, message: m, ...(typeof metric === 'string' ? { metric } : {}) } }))

/**
 * Judges one `points` sample with the Kayenta-style classifier (stateless per window, `judgeState`
 * null): `Pass` -> pass, `High`/`Low` -> fail (with `final: 'fail'` on a critical metric: roll back at
 * once), `NoData` -> noData when neither arm has a point, inconclusive when there are too few,
 * `Error` or a non-points sample -> error.
 *
 * @example
 * ```ts
 * const spec: MannWhitneyJudgeSpec = {
 *   kind: 'mannWhitney', confidence: 0.98, direction: 'increase', allowedIncrease: 1.1, allowedDecrease: 1,
 *   nanStrategy: 'remove', removeOutliers: false, critical: false, group: 'default', minPoints: 10, tolerance: 0.25,
 * }
 * judgeKayenta('latency', spec, { kind: 'points', metric: 'latency', window: { from: 0, to: 60_000 }, canary: [], primary: [] }).verdict // 'noData'
 * ```
 * @category judges
 */
export const judgeKayenta = guarded('judgeKayenta', (metric: string, spec: MannWhitneyJudgeSpec, sample: Sample): Judgement => {
  if (sample.kind !== 'points') {
    return {
      verdict: 'error',
      judgeState: null,
      reason: { code: 'metricError', message: `${metric}: expected a points sample, got ${sample.kind}`, metric },
    }
  }
  const c = classifyKayenta(metric, spec, sample.canary, sample.primary)
  switch (c.label) {
    case 'Pass':
      return { verdict: 'pass', judgeState: null, reason: c.reason }
    case 'High':
    case 'Low':
      return c.critical ? { verdict: 'fail', final: 'fail', judgeState: null, reason: c.reason } : { verdict: 'fail', judgeState: null, reason: c.reason }
    case 'NoData':
      return { verdict: c.reason.code === 'noData' ? 'noData' : 'inconclusive', judgeState: null, reason: c.reason }
    default:
      return { verdict: 'error', judgeState: null, reason: c.reason }
  }
}, (m, _f, [metric]) => unreadableJudgement(m, null, metric))
