/**
 * Random variates and a few special functions for the traffic simulator: normal, lognormal, gamma,
 * beta, Poisson (inversion for small means, Hörmann's transformed rejection PTRS for large ones) and
 * binomial (inversion for small means, an exact Beta-splitting recursion for large ones). Every draw
 * costs O(1) expected time (binomial O(log n)), never O(n).
 *
 * @module
 */
import type { Prng } from './prng.js'
import { guarded, rethrow } from '../model/guard.js'

const LN_SQRT_2PI = 0.5 * Math.log(2 * Math.PI)

const LOG_FACTORIAL_TABLE: Float64Array = (() => {
  const t = new Float64Array(256)
  for (let k = 2; k < t.length; k++) t[k] = (t[k - 1] ?? 0) + Math.log(k)
  return t
})()

/**
 * `ln Γ(x)` for `x > 0` (Stirling series with upward recurrence; absolute error below 1e-10); `NaN` for
 * negative or NaN inputs, `Infinity` at 0 and at `Infinity`.
 *
 * @example
 * ```ts
 * Math.exp(logGamma(5)) // ≈ 24
 * ```
 * @category special functions
 */
export const logGamma = guarded('logGamma', (x: number): number => {
  // outside the domain: NaN (-Infinity or -1e300 would never reach 10 by adding 1); the pole at 0 is +Infinity
  if (!(x > 0)) return x === 0 ? Infinity : Number.NaN
  if (x === Infinity) return Infinity
  let shift = 0
  let y = x
  while (y < 10) {
    shift += Math.log(y)
    y += 1
  }
  const inv = 1 / y
  const inv2 = inv * inv
  const series = inv * (1 / 12 - inv2 * (1 / 360 - inv2 * (1 / 1260 - inv2 / 1680)))
  return (y - 0.5) * Math.log(y) - y + LN_SQRT_2PI + series - shift
}, (m) => rethrow(m))

/**
 * `ln k!` for a non-negative integer `k` (table below 256, Stirling above).
 *
 * @example
 * ```ts
 * logFactorial(3) // ≈ Math.log(6)
 * ```
 * @category special functions
 */
export const logFactorial = guarded('logFactorial', (k: number): number =>
  k < 256 ? (LOG_FACTORIAL_TABLE[k] ?? 0) : logGamma(k + 1), (m) => rethrow(m))

// The normal CDF and quantile are the core's (src/analysis/normalDistribution.ts): one implementation.
export { erfc, normalCdf, normalQuantile } from '../analysis/normalDistribution.js'


/**
 * A standard normal variate (Box-Muller; one variate per two uniforms).
 *
 * @example
 * ```ts
 * const z = normal(createPrng(1))
 * ```
 * @category variates
 */
export const normal = guarded('normal', (rng: Prng): number => {
  const u = rng.nextOpen()
  const v = rng.next()
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v)
}, (m) => rethrow(m))

/**
 * A lognormal variate `exp(mu + sigma Z)`; its median is `exp(mu)`.
 *
 * @example
 * ```ts
 * const latencyMs = lognormal(createPrng(1), Math.log(100), 0.6)
 * ```
 * @category variates
 */
export const lognormal = guarded('lognormal', (rng: Prng, mu: number, sigma: number): number => Math.exp(mu + sigma * normal(rng)), (m) => rethrow(m))

/**
 * A Gamma(shape, 1) variate (Marsaglia-Tsang squeeze; shape < 1 via the `U^(1/shape)` boost).
 *
 * @example
 * ```ts
 * const g = gamma(createPrng(1), 2.5)
 * ```
 * @category variates
 */
export const gamma = guarded('gamma', (rng: Prng, shape: number): number => {
  if (!(shape > 0)) return 0
  if (shape < 1) return gamma(rng, shape + 1) * Math.pow(rng.nextOpen(), 1 / shape)
  const d = shape - 1 / 3
  const c = 1 / Math.sqrt(9 * d)
  for (;;) {
    const x = normal(rng)
    const t = 1 + c * x
    if (t <= 0) continue
    const v = t * t * t
    const u = rng.nextOpen()
    const x2 = x * x
    if (u < 1 - 0.0331 * x2 * x2) return d * v
    if (Math.log(u) < 0.5 * x2 + d * (1 - v + Math.log(v))) return d * v
  }
}, (m) => rethrow(m))

/**
 * A Beta(a, b) variate, from two gamma variates.
 *
 * @example
 * ```ts
 * const x = beta(createPrng(1), 2, 5) // in (0, 1)
 * ```
 * @category variates
 */
export const beta = guarded('beta', (rng: Prng, a: number, b: number): number => {
  const x = gamma(rng, a)
  const y = gamma(rng, b)
  return x + y > 0 ? x / (x + y) : 0.5
}, (m) => rethrow(m))

/**
 * A Poisson(lambda) variate. `lambda < 10`: inversion by sequential search; otherwise Hörmann's
 * transformed rejection with squeeze (PTRS), exact and O(1). `lambda <= 0` (or NaN) gives 0.
 *
 * @example
 * ```ts
 * const requests = poisson(createPrng(1), 10 * 600) // requests in 10 min at 10 req/s
 * ```
 * @category variates
 */
export const poisson = guarded('poisson', (rng: Prng, lambda: number): number => {
  if (!(lambda > 0)) return 0
  if (lambda < 10) {
    let p = Math.exp(-lambda)
    let cdf = p
    const u = rng.next()
    let k = 0
    while (u > cdf && k < 1000) {
      k++
      p *= lambda / k
      cdf += p
    }
    return k
  }
  const slam = Math.sqrt(lambda)
  const logLam = Math.log(lambda)
  const b = 0.931 + 2.53 * slam
  const a = -0.059 + 0.02483 * b
  const invAlpha = 1.1239 + 1.1328 / (b - 3.4)
  const vr = 0.9277 - 3.6224 / (b - 2)
  for (;;) {
    const u = rng.next() - 0.5
    const v = rng.next()
    const us = 0.5 - Math.abs(u)
    const k = Math.floor(((2 * a) / us + b) * u + lambda + 0.43)
    if (us >= 0.07 && v <= vr) return k
    if (k < 0 || (us < 0.013 && v > us)) continue
    if (Math.log(v) + Math.log(invAlpha) - Math.log(a / (us * us) + b) <= -lambda + k * logLam - logFactorial(k)) return k
  }
}, (m) => rethrow(m))

const binomialInversion = (rng: Prng, n: number, p: number): number => {
  // p <= 0.5 and n p small: walk the CDF from 0
  const q = 1 - p
  const s = p / q
  const a = (n + 1) * s
  let r = Math.pow(q, n)
  let u = rng.next()
  let x = 0
  while (u > r) {
    u -= r
    x++
    if (x > n) return n
    r *= a / x - s
    if (r <= 0) return x
  }
  return x
}

/**
 * A Binomial(n, p) variate, exact. Small means use inversion; large ones split `n` with a Beta draw of
 * the median order statistic (Knuth's recursion), so the cost is O(log n), independent of `n p`.
 *
 * @example
 * ```ts
 * const bad = binomial(createPrng(1), 6000, 0.01) // bad requests among 6000
 * ```
 * @category variates
 */
export const binomial = guarded('binomial', (rng: Prng, n: number, p: number): number => {
  let trials = Math.floor(n)
  if (!(trials > 0) || !(p > 0)) return 0
  if (p >= 1) return trials
  if (p > 0.5) return trials - binomial(rng, trials, 1 - p)
  let prob = p
  let acc = 0
  while (trials * prob >= 30) {
    const a = 1 + Math.floor(trials / 2)
    const b = trials + 1 - a
    const x = beta(rng, a, b)
    if (x >= prob) {
      trials = a - 1
      prob = prob / x
    } else {
      acc += a
      trials = b - 1
      prob = (prob - x) / (1 - x)
    }
    if (prob > 0.5) return acc + trials - binomial(rng, trials, 1 - prob)
  }
  return acc + binomialInversion(rng, trials, prob)
}, (m) => rethrow(m))
