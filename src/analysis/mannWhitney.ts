/**
 * The Mann-Whitney U test (Wilcoxon rank-sum test) of canary against primary, with the Hodges-Lehmann
 * shift estimate and its confidence interval, following R's `wilcox.test(x = canary, y = primary,
 * conf.int = TRUE)`:
 *
 * - `u` is R's `W`: the number of pairs with canary > primary, ties counting one half.
 * - Exact distribution (R's default when both arms have fewer than 50 points and there are no ties in
 *   the pooled sample): p-values and the confidence interval come from the exact null distribution of
 *   U, counted by the recurrence N(k; m, n) = N(k - n; m - 1, n) + N(k; m, n - 1).
 * - Otherwise the normal approximation with tie correction and continuity correction
 *   (R's `exact = FALSE, correct = TRUE`). The interval is where the continuity-corrected, tie-corrected
 *   z of the shifted samples crosses the normal quantile; R finds it with `uniroot` (tol 1e-4), this
 *   module returns the exact crossing point, which is always one of the pairwise differences (so the
 *   bounds agree with R's to within R's 1e-4 tolerance).
 * - The estimate is the median of the pairwise differences canary - primary (see `hodgesLehmann`).
 *
 * Differences from R, all on inputs where R fails or warns: non-finite points are dropped (as R does)
 * and counted in `dropped`; when every point is tied (no variance) R gives p = NaN and no interval, this
 * module gives p = 1, estimate 0 and the interval [0, 0]; an empty arm or a confidence outside (0, 1) is a
 * typed `Left`. Never throws.
 *
 * @module
 */
import { describeValue } from '../model/errors.js'
import * as E from 'fp-ts/lib/Either.js'
import { hodgesLehmann, kthPairwiseDifference } from './hodgesLehmann.js'
import { normalCdf, normalQuantile, normalSurvival } from './normalDistribution.js'
import { boundedList, guarded } from '../model/guard.js'

/**
 * The alternative hypothesis about the shift canary - primary: `greater` = the canary is larger.
 *
 * @example
 * ```ts
 * const a: Alternative = 'greater'
 * ```
 * @category statistics
 */
export type Alternative = 'two-sided' | 'greater' | 'less'

/**
 * Options of `mannWhitney`.
 * - `confidence`: level of the confidence interval, in (0, 1), e.g. 0.98;
 * - `alternative`: the p-value's and the interval's sidedness;
 * - `method`: `auto` (R's default: exact when both arms < 50 points and no ties), `exact` (exact
 *   whenever there are no ties and m * n <= 10 000, else normal), `normal`;
 * - `continuityCorrection`: default true (R's `correct = TRUE`).
 *
 * @example
 * ```ts
 * const o: MannWhitneyOptions = { confidence: 0.95, alternative: 'two-sided' }
 * ```
 * @category statistics
 */
export interface MannWhitneyOptions {
  readonly confidence: number
  readonly alternative: Alternative
  readonly method?: 'auto' | 'exact' | 'normal'
  readonly continuityCorrection?: boolean
}

/**
 * The outcome of a Mann-Whitney test of canary against primary.
 *
 * @example
 * ```ts
 * const r: MannWhitneyResult = {
 *   u: 35, nCanary: 10, nPrimary: 5, method: 'exact', alternative: 'greater', pValue: 0.1272, z: null,
 *   estimate: 0.305, lower: -0.08, upper: Infinity, confidence: 0.95, ties: false, dropped: 0,
 * }
 * ```
 * @category statistics
 */
export interface MannWhitneyResult {
  /** R's W: pairs with canary > primary, ties counting 1/2. */
  readonly u: number
  readonly nCanary: number
  readonly nPrimary: number
  readonly method: 'exact' | 'normal'
  readonly alternative: Alternative
  readonly pValue: number
  /** The continuity-corrected z (normal method only). */
  readonly z: number | null
  /** Hodges-Lehmann shift estimate: median of canary[i] - primary[j]. */
  readonly estimate: number
  /** Confidence interval for the shift (-Infinity / +Infinity on the open side of a one-sided test). */
  readonly lower: number
  readonly upper: number
  readonly confidence: number
  /** Whether the pooled sample has ties. */
  readonly ties: boolean
  /** Non-finite points (NaN, +-Infinity) removed before testing, both arms together. */
  readonly dropped: number
}

/**
 * Why `mannWhitney` could not test.
 *
 * @example
 * ```ts
 * const e: MannWhitneyError = { code: 'emptyArm', arm: 'canary', message: 'canary has no finite points' }
 * ```
 * @category statistics
 */
export type MannWhitneyError =
  | { readonly code: 'emptyArm'; readonly arm: 'canary' | 'primary'; readonly message: string }
  | { readonly code: 'invalidOptions'; readonly message: string }
  | { readonly code: 'unreadableInput'; readonly message: string }

const EXACT_AUTO_LIMIT = 50
const EXACT_FORCED_CELLS = 10_000

/**
 * Probabilities P(U = k), k = 0..m*n, of the Mann-Whitney U statistic under the null hypothesis,
 * for arms of sizes `m` and `n` without ties. Counts by N(k; i, j) = N(k - j; i - 1, j) + N(k; i, j - 1),
 * all additions of non-negative numbers, then divides by C(m + n, m). Empty for negative or non-integer sizes, and when `m · n` is above
 * 10 000 (the exact distribution then costs too much; `mannWhitney` uses the normal approximation there).
 *
 * @example
 * ```ts
 * rankSumDistribution(2, 2) // [1/6, 1/6, 2/6, 1/6, 1/6]
 * ```
 * @category statistics
 */
export const rankSumDistribution = (m: number, n: number): number[] => {
  if (!Number.isInteger(m) || !Number.isInteger(n) || m < 0 || n < 0 || m * n > EXACT_FORCED_CELLS) return []
  // prev[j] = counts for (i - 1, j); cur[j] = counts for (i, j); arrays of length (i * j + 1).
  let prev: Float64Array[] = []
  for (let j = 0; j <= n; j++) prev.push(Float64Array.of(1))
  for (let i = 1; i <= m; i++) {
    const cur: Float64Array[] = [Float64Array.of(1)]
    for (let j = 1; j <= n; j++) {
      const out = new Float64Array(i * j + 1)
      const left = cur[j - 1] as Float64Array // (i, j - 1)
      const up = prev[j] as Float64Array // (i - 1, j), shifted by j
      for (let k = 0; k < left.length; k++) out[k] = left[k] as number
      for (let k = 0; k < up.length; k++) out[k + j] = (out[k + j] as number) + (up[k] as number)
      cur.push(out)
    }
    prev = cur
  }
  const counts = prev[n] as Float64Array
  let total = 0
  for (const c of counts) total += c
  return Array.from(counts, (c) => c / total)
}

/** P(U <= q) from the distribution (q may be fractional or out of range). */
const cdfAt = (dist: readonly number[], q: number): number => {
  const top = Math.floor(q)
  if (top < 0) return 0
  let s = 0
  for (let k = 0; k <= top && k < dist.length; k++) s += dist[k] as number
  return Math.min(1, s)
}

/** R's qwilcox: smallest q with P(U <= q) >= p (with R's 10 * epsilon fuzz). */
const quantileAt = (dist: readonly number[], p: number): number => {
  const target = p - 10 * Number.EPSILON
  let s = 0
  for (let q = 0; q < dist.length; q++) {
    s += dist[q] as number
    if (s >= target) return q
  }
  return dist.length - 1
}

const isFiniteNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v)

interface Ranked {
  readonly rankSumCanary: number
  readonly tieTerm: number // sum over tie groups of (t^3 - t)
}

/** Mid-ranks of the pooled sample; returns canary's rank sum and the tie term. */
const rankPooled = (canary: readonly number[], primary: readonly number[]): Ranked => {
  const pooled = canary.map((v) => ({ v, c: true })).concat(primary.map((v) => ({ v, c: false })))
  pooled.sort((a, b) => a.v - b.v)
  let rankSumCanary = 0
  let tieTerm = 0
  let i = 0
  while (i < pooled.length) {
    let j = i
    while (j + 1 < pooled.length && (pooled[j + 1] as { v: number }).v === (pooled[i] as { v: number }).v) j++
    const t = j - i + 1
    const midRank = (i + 1 + (j + 1)) / 2
    for (let k = i; k <= j; k++) if ((pooled[k] as { c: boolean }).c) rankSumCanary += midRank
    tieTerm += t * t * t - t
    i = j + 1
  }
  return { rankSumCanary, tieTerm }
}

/** Tie term of one arm alone (ties within the arm). */
const tieTermOf = (sorted: readonly number[]): number => {
  let s = 0
  let i = 0
  while (i < sorted.length) {
    let j = i
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[i]) j++
    const t = j - i + 1
    s += t * t * t - t
    i = j + 1
  }
  return s
}

const sigmaOf = (m: number, n: number, tieTerm: number): number => {
  const N = m + n
  const v = ((m * n) / 12) * (N + 1 - tieTerm / (N * (N - 1) || 1))
  return v > 0 ? Math.sqrt(v) : 0
}

const correctionFor = (alternative: Alternative, dz: number, correct: boolean): number => {
  if (!correct) return 0
  if (alternative === 'greater') return 0.5
  if (alternative === 'less') return -0.5
  return Math.sign(dz) * 0.5
}

/**
 * Normal-approximation interval bound: the shift d where the corrected z of (canary - d, primary) crosses
 * `zq`. Between consecutive pairwise differences, W(d) = #{differences > d} and only within-arm ties
 * remain, so the crossing is at the (mn - w*)-th smallest difference, w* = the largest W with
 * z(W) <= zq (clamped to the extreme differences as R's `root` does).
 */
const normalBound = (
  xs: readonly number[],
  ys: readonly number[],
  zq: number,
  sigma0: number,
  alternative: Alternative,
  correct: boolean,
): number => {
  const mn = xs.length * ys.length
  const h = (w: number): number => {
    const dz = w - mn / 2
    return (dz - correctionFor(alternative, dz, correct)) / sigma0 - zq
  }
  // largest w in [0, mn] with h(w) <= 0 (h is non-decreasing); -1 when none.
  let lo = -1
  let hi = mn
  if (h(mn) <= 0) lo = mn
  else {
    while (hi - lo > 1) {
      const mid = Math.floor((lo + hi) / 2)
      if (h(mid) <= 0) lo = mid
      else hi = mid
    }
  }
  const index = Math.min(Math.max(mn - lo, 1), mn)
  return kthPairwiseDifference(xs, ys, index)
}

/**
 * The Mann-Whitney U test of `canary` against `primary` (R's `wilcox.test(canary, primary, conf.int = TRUE,
 * conf.level = confidence, alternative)`), with the Hodges-Lehmann shift estimate canary - primary and its
 * confidence interval. Non-finite points are dropped. Never throws.
 *
 * @example
 * ```ts
 * // R: wilcox.test(x, y, alternative = "greater") on Hollander & Wolfe's permeability data: W = 35, p = 0.1272
 * const r = mannWhitney(
 *   [0.8, 0.83, 1.89, 1.04, 1.45, 1.38, 1.91, 1.64, 0.73, 1.46], [1.15, 0.88, 0.9, 0.74, 1.21],
 *   { confidence: 0.95, alternative: 'greater' },
 * )
 * // r = right({ u: 35, method: 'exact', pValue: 0.12720..., estimate: 0.305, lower: -0.08, upper: Infinity, ... })
 * ```
 * @category statistics
 */
export const mannWhitney = guarded('mannWhitney', (
  canary: readonly number[],
  primary: readonly number[],
  options: MannWhitneyOptions,
): E.Either<MannWhitneyError, MannWhitneyResult> => {
  const confidence = options?.confidence
  const alternative = options?.alternative
  if (!isFiniteNumber(confidence) || confidence <= 0 || confidence >= 1) {
    return E.left({ code: 'invalidOptions', message: `confidence must be in (0, 1), got ${describeValue(confidence)}` })
  }
  if (alternative !== 'two-sided' && alternative !== 'greater' && alternative !== 'less') {
    return E.left({ code: 'invalidOptions', message: `alternative must be two-sided, greater or less, got ${describeValue(alternative)}` })
  }
  const rawC = Array.isArray(canary) ? boundedList(canary, 'canary') : []
  const rawP = Array.isArray(primary) ? boundedList(primary, 'primary') : []
  const xs = rawC.filter(isFiniteNumber).sort((a, b) => a - b)
  const ys = rawP.filter(isFiniteNumber).sort((a, b) => a - b)
  const dropped = rawC.length - xs.length + (rawP.length - ys.length)
  if (xs.length === 0) return E.left({ code: 'emptyArm', arm: 'canary', message: 'canary has no finite points' })
  if (ys.length === 0) return E.left({ code: 'emptyArm', arm: 'primary', message: 'primary has no finite points' })

  const m = xs.length
  const n = ys.length
  const mn = m * n
  const { rankSumCanary, tieTerm } = rankPooled(xs, ys)
  const u = rankSumCanary - (m * (m + 1)) / 2
  const ties = tieTerm > 0
  const method = options.method ?? 'auto'
  const correct = options.continuityCorrection ?? true
  const useExact =
    !ties &&
    (method === 'auto' ? m < EXACT_AUTO_LIMIT && n < EXACT_AUTO_LIMIT : method === 'exact' && mn <= EXACT_FORCED_CELLS)
  const alpha = 1 - confidence
  const estimate = hodgesLehmann(xs, ys)

  if (useExact) {
    const dist = rankSumDistribution(m, n)
    const upperTail = (q: number): number => {
      // P(U >= q), summed directly (no 1 - x cancellation for small p).
      let t = 0
      for (let k = Math.max(0, Math.ceil(q)); k < dist.length; k++) t += dist[k] as number
      return Math.min(1, t)
    }
    let pValue: number
    if (alternative === 'greater') pValue = upperTail(u)
    else if (alternative === 'less') pValue = cdfAt(dist, u)
    else pValue = Math.min(1, 2 * (u > mn / 2 ? upperTail(u) : cdfAt(dist, u)))
    let lower = -Infinity
    let upper = Infinity
    if (alternative === 'two-sided') {
      const qu = Math.max(quantileAt(dist, alpha / 2), 1)
      lower = kthPairwiseDifference(xs, ys, qu)
      upper = kthPairwiseDifference(xs, ys, mn - qu + 1)
    } else {
      const qu = Math.max(quantileAt(dist, alpha), 1)
      if (alternative === 'greater') lower = kthPairwiseDifference(xs, ys, qu)
      else upper = kthPairwiseDifference(xs, ys, mn - qu + 1)
    }
    return E.right({
      u, nCanary: m, nPrimary: n, method: 'exact', alternative, pValue: clamp01(pValue), z: null,
      estimate, lower, upper, confidence, ties, dropped,
    })
  }

  const sigma = sigmaOf(m, n, tieTerm)
  const dz = u - mn / 2
  if (sigma === 0) {
    // Every point tied: no evidence of any shift (R: p = NaN, no interval).
    return E.right({
      u, nCanary: m, nPrimary: n, method: 'normal', alternative, pValue: 1, z: 0,
      estimate: 0, lower: alternative === 'less' ? -Infinity : 0, upper: alternative === 'greater' ? Infinity : 0,
      confidence, ties, dropped,
    })
  }
  const z = (dz - correctionFor(alternative, dz, correct)) / sigma
  const pValue =
    alternative === 'less' ? normalCdf(z) : alternative === 'greater' ? normalSurvival(z) : 2 * Math.min(normalCdf(z), normalSurvival(z))
  // Off the pairwise differences only within-arm ties remain.
  const sigma0 = sigmaOf(m, n, tieTermOf(xs) + tieTermOf(ys))
  let lower = -Infinity
  let upper = Infinity
  if (alternative === 'two-sided') {
    lower = normalBound(xs, ys, normalQuantile(1 - alpha / 2), sigma0, alternative, correct)
    upper = normalBound(xs, ys, normalQuantile(alpha / 2), sigma0, alternative, correct)
  } else if (alternative === 'greater') {
    lower = normalBound(xs, ys, normalQuantile(1 - alpha), sigma0, alternative, correct)
  } else {
    upper = normalBound(xs, ys, normalQuantile(alpha), sigma0, alternative, correct)
  }
  return E.right({
    u, nCanary: m, nPrimary: n, method: 'normal', alternative, pValue: clamp01(pValue), z,
    estimate, lower, upper, confidence, ties, dropped,
  })
}, (m) => E.left({ code: 'unreadableInput' as const, message: m }))

const clamp01 = (p: number): number => (Number.isNaN(p) ? 1 : Math.min(1, Math.max(0, p)))
