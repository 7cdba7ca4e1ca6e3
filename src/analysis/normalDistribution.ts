/**
 * The standard normal distribution: CDF (lower and upper tail) and quantile. Pure and total.
 *
 * - `erfc` is 1 - mathjs's `erf` below 2.5 (a minimal mathjs instance, built on first use so importing the
 *   library stays cheap) and, from 2.5 on, the Laplace continued fraction (modified Lentz method): there
 *   `1 - erf(x)` would lose the tail to cancellation, and p-values far in the tail still need relative
 *   accuracy. mathjs has no normal quantile, hence the next item.
 * - `normalQuantile` starts from Abramowitz & Stegun 26.2.23 (|error| < 4.5e-4) and polishes with
 *   Halley steps on `normalCdf`, so it is as accurate as the CDF.
 *
 * @module
 */

import { mathjsErf } from './mathjsErf.js'

const SQRT_PI = Math.sqrt(Math.PI)
const SQRT2 = Math.SQRT2

/** mathjs's erf (Cody's rational approximations), loaded on first use (`mathjsErf.ts`). */
const erf = (x: number): number => mathjsErf(x)

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
 * The complementary error function erfc(x) = 1 - erf(x). Total: NaN, or anything that is not a number, gives NaN.
 *
 * @example
 * ```ts
 * erfc(0) // 1
 * erfc(1) // 0.157299207050285...
 * ```
 * @category statistics
 */
export const erfc = (x: number): number => {
  if (typeof x !== 'number' || Number.isNaN(x)) return Number.NaN
  if (x < 0) return 2 - erfc(-x)
  if (x === Infinity) return 0
  if (x < 2.5) return 1 - erf(x)
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
export const normalCdf = (z: number): number => (typeof z === 'number' ? 0.5 * erfc(-z / SQRT2) : Number.NaN)

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
  if (typeof p !== 'number' || Number.isNaN(p)) return Number.NaN
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
