/**
 * Small summary statistics for the benchmark report.
 *
 * @module
 */

/**
 * The `q`-quantile (type 7, linear interpolation) of values; Infinity entries are allowed (censored runs).
 *
 * @example
 * ```ts
 * quantile([1, 2, 3, 4], 0.5) // 2.5
 * ```
 */
export const quantile = (values: readonly number[], q: number): number => {
  if (values.length === 0) return Number.NaN
  const xs = [...values].sort((a, b) => a - b)
  const h = (xs.length - 1) * q
  const lo = Math.floor(h)
  const a = xs[lo] ?? Number.NaN
  const b = xs[Math.min(xs.length - 1, lo + 1)] ?? a
  if (a === Infinity || b === Infinity) return h === lo ? a : b === Infinity ? Infinity : a
  return a + (h - lo) * (b - a)
}

/**
 * Wilson score 95% interval of a binomial proportion.
 *
 * @example
 * ```ts
 * wilson(10, 1000) // ≈ [0.0054, 0.0183]
 * ```
 */
export const wilson = (k: number, n: number, z = 1.959963984540054): [number, number] => {
  if (n === 0) return [0, 1]
  const p = k / n
  const d = 1 + (z * z) / n
  const c = (p + (z * z) / (2 * n)) / d
  const h = (z * Math.sqrt((p * (1 - p)) / n + (z * z) / (4 * n * n))) / d
  return [Math.max(0, c - h), Math.min(1, c + h)]
}

/**
 * The median of a list of numbers.
 *
 * @example
 * ```ts
 * median([3, 1, 2]) // 2
 * ```
 */
export const median = (values: readonly number[]): number => quantile(values, 0.5)
