/**
 * The standard normal distribution: CDF (lower and upper tail) and quantile, written out here so the
 * rank tests need no special-function library at import time. Pure, total, no dependencies.
 *
 * - `erfc` is the positive-term power series of `erf` below 2.5 and the Laplace continued fraction
 *   (evaluated with the modified Lentz method) from 2.5 on; relative error about 1e-13 or better.
 * - `normalQuantile` starts from Abramowitz & Stegun 26.2.23 (|error| < 4.5e-4) and polishes with
 *   Halley steps on `normalCdf`, so it is as accurate as the CDF.
 *
 * @module
 */

const SQRT_PI = Math.sqrt(Math.PI)
const SQRT2 = Math.SQRT2

/** erf(x) for x >= 0 by the series 2x/sqrt(pi) e^{-x^2} sum (2x^2)^k / (1*3*...*(2k+1)) (all terms positive). */
const erfSeries = (x: number): number => {
  const x2 = x * x
  let term = 1
  let sum = 1
  for (let k = 1; k < 500; k++) {
    term *= (2 * x2) / (2 * k + 1)
    sum += term
    if (term < sum * 1e-17) break
  }
  return ((2 * x) / SQRT_PI) * Math.exp(-x2) * sum
}

/** erfc(x) for x >= 2.5 by the continued fraction e^{-x^2}/sqrt(pi) * 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + ...)))). */
const erfcContinuedFraction = (x: number): number => {
  const tiny = 1e-300
  let f = x
  let c = x
  let d = 0
  for (let k = 1; k < 1000; k++) {
    const a = k / 2
    d = x + a * d
    d = d === 0 ? tiny : d
    c = x + a / c
    c = c === 0 ? tiny : c
    d = 1 / d
    const delta = c * d
    f *= delta
    if (Math.abs(delta - 1) < 1e-16) break
  }
  return Math.exp(-x * x) / (SQRT_PI * f)
}

/**
 * The complementary error function erfc(x) = 1 - erf(x). Total: NaN gives NaN.
 *
 * @example
 * ```ts
 * erfc(0) // 1
 * erfc(1) // 0.157299207050285...
 * ```
 * @category statistics
 */
export const erfc = (x: number): number => {
  if (Number.isNaN(x)) return Number.NaN
  if (x < 0) return 2 - erfc(-x)
  if (x === Infinity) return 0
  if (x < 2.5) return 1 - erfSeries(x)
  return erfcContinuedFraction(x)
}

/**
 * Standard normal CDF, P(Z <= z). Accurate in the far lower tail (no `1 - x` cancellation).
 *
 * @example
 * ```ts
 * normalCdf(-1.959963984540054) // 0.025
 * ```
 * @category statistics
 */
export const normalCdf = (z: number): number => 0.5 * erfc(-z / SQRT2)

/**
 * Standard normal upper tail, P(Z > z) = normalCdf(-z), accurate in the far upper tail.
 *
 * @example
 * ```ts
 * normalSurvival(3) // 0.0013498980316301...
 * ```
 * @category statistics
 */
export const normalSurvival = (z: number): number => 0.5 * erfc(z / SQRT2)

/** Standard normal density. */
const normalPdf = (z: number): number => Math.exp(-0.5 * z * z) / Math.sqrt(2 * Math.PI)

/**
 * Standard normal quantile: the z with P(Z <= z) = p. `p <= 0` gives -Infinity, `p >= 1` gives
 * +Infinity, NaN gives NaN (never throws).
 *
 * @example
 * ```ts
 * normalQuantile(0.975) // 1.959963984540054
 * ```
 * @category statistics
 */
export const normalQuantile = (p: number): number => {
  if (Number.isNaN(p)) return Number.NaN
  if (p <= 0) return -Infinity
  if (p >= 1) return Infinity
  if (p === 0.5) return 0
  // Work in the lower tail: q = min(p, 1 - p), result negative, then mirror.
  const upper = p > 0.5
  const q = upper ? 1 - p : p
  const t = Math.sqrt(-2 * Math.log(q))
  // Abramowitz & Stegun 26.2.23 starting value (for the upper-tail point, hence the sign flip).
  let z = -(t - (2.515517 + 0.802853 * t + 0.010328 * t * t) / (1 + 1.432788 * t + 0.189269 * t * t + 0.001308 * t * t * t))
  for (let i = 0; i < 6; i++) {
    const pdf = normalPdf(z)
    if (pdf === 0) break
    const r = (normalCdf(z) - q) / pdf
    const step = r / (1 + (z * r) / 2)
    z -= step
    if (Math.abs(step) <= 1e-15 * Math.max(1, Math.abs(z))) break
  }
  // For p > 0.5 the target was 1 - p, computed exactly enough from p for all but p within 1e-16 of 1.
  return upper ? -z : z
}
