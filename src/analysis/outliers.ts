import { boundedList, guarded } from '../model/guard.js'
/**
 * Tukey-style interquartile-range outlier removal, as Kayenta's judge offers it before the rank test.
 * Points outside `[Q1 - factor * IQR, Q3 + factor * IQR]` are removed; the judge uses `factor = 3`
 * (Kayenta's default outlier factor; Tukey's "far out" fence). Quartiles are linear-interpolation
 * percentiles (R's `quantile` type 7, numpy's default). Kayenta additionally widens the fences to at
 * least the 1st / 99th percentiles ("reduce sensitivity"); that is available as `widenToP1P99`.
 *
 * @module
 */

/**
 * The `p`-th quantile (0..1) of ascending `sorted` by linear interpolation (R type 7). NaN when empty.
 *
 * @example
 * ```ts
 * quantileSorted([1, 2, 3, 4], 0.25) // 1.75
 * ```
 * @category statistics
 */
export const quantileSorted = guarded('quantileSorted', (sorted: readonly number[], p: number): number => {
  const n = sorted.length
  if (n === 0 || Number.isNaN(p)) return Number.NaN
  const h = (n - 1) * Math.min(1, Math.max(0, p))
  const lo = Math.floor(h)
  const hi = Math.min(lo + 1, n - 1)
  const a = sorted[lo] as number
  const b = sorted[hi] as number
  return a + (h - lo) * (b - a)
}, () => Number.NaN)

/**
 * Fences of the IQR rule.
 *
 * @example
 * ```ts
 * const f: Fences = { lower: -5, upper: 12 }
 * ```
 * @category statistics
 */
export interface Fences {
  readonly lower: number
  readonly upper: number
}

/**
 * The fences `[Q1 - factor * IQR, Q3 + factor * IQR]` of the finite points of `values` (optionally widened
 * to the 1st / 99th percentiles as Kayenta does). `null` when there is no finite point.
 *
 * @example
 * ```ts
 * iqrFences([1, 2, 3, 4, 100], 3) // { lower: -4, upper: 10 }   (Q1 = 2, Q3 = 4, IQR = 2)
 * ```
 * @category statistics
 */
export const iqrFences = guarded('iqrFences', (values: readonly number[], factor: number, widenToP1P99: boolean = false): Fences | null => {
  const sorted = boundedList(values, 'values').filter(Number.isFinite).sort((a, b) => a - b)
  if (sorted.length === 0) return null
  const q1 = quantileSorted(sorted, 0.25)
  const q3 = quantileSorted(sorted, 0.75)
  const f = Number.isFinite(factor) && factor >= 0 ? factor : 3
  let lower = q1 - f * (q3 - q1)
  let upper = q3 + f * (q3 - q1)
  if (widenToP1P99) {
    lower = Math.min(lower, quantileSorted(sorted, 0.01))
    upper = Math.max(upper, quantileSorted(sorted, 0.99))
  }
  return { lower, upper }
}, () => null)

/**
 * Keeps the points of `values` within the IQR fences (bounds included), in their original order.
 * Non-finite points are not outliers by this rule and are kept for the caller's NaN handling; an
 * invalid `factor` (negative, NaN) falls back to 3.
 *
 * @example
 * ```ts
 * removeOutliers([1, 2, 3, 4, 100], 3) // [1, 2, 3, 4]
 * ```
 * @category statistics
 */
export const removeOutliers = guarded('removeOutliers', (values: readonly number[], factor: number = 3, widenToP1P99: boolean = false): number[] => {
  const fences = iqrFences(boundedList(values, 'values'), factor, widenToP1P99)
  if (fences === null) return [...values]
  return values.filter((v) => !Number.isFinite(v) || (v >= fences.lower && v <= fences.upper))
}, () => [])
