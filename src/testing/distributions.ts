/**
 * Random variates and a few special functions for the traffic simulator: normal, lognormal, gamma,
 * beta, Poisson (inversion for small means, Hörmann's transformed rejection PTRS for large ones) and
 * binomial (inversion for small means, an exact Beta-splitting recursion for large ones). Every draw
 * costs O(1) expected time (binomial O(log n)), never O(n).
 *
 * @module
 */
import type { Prng } from './prng.js'

const LN_SQRT_2PI = 0.5 * Math.log(2 * Math.PI)

const LOG_FACTORIAL_TABLE: Float64Array = (() => {
  const t = new Float64Array(256)
  for (let k = 2; k < t.length; k++) t[k] = (t[k - 1] ?? 0) + Math.log(k)
  return t
})()

/**
 * `ln Γ(x)` for `x > 0` (Stirling series with upward recurrence; absolute error below 1e-10).
 *
 * @example
 * ```ts
 * Math.exp(logGamma(5)) // ≈ 24
 * ```
 * @category special functions
 */
export const logGamma = (x: number): number => {
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
}

/**
 * `ln k!` for a non-negative integer `k` (table below 256, Stirling above).
 *
 * @example
 * ```ts
 * logFactorial(3) // ≈ Math.log(6)
 * ```
 * @category special functions
 */
export const logFactorial = (k: number): number =>
  k < 256 ? (LOG_FACTORIAL_TABLE[k] ?? 0) : logGamma(k + 1)

/**
 * The complementary error function (Chebyshev fit, relative error below 1.2e-7).
 *
 * @example
 * ```ts
 * erfc(0) // 1
 * ```
 * @category special functions
 */
export const erfc = (x: number): number => {
  const z = Math.abs(x)
  const t = 1 / (1 + 0.5 * z)
  const poly =
    -z * z -
    1.26551223 +
    t *
      (1.00002368 +
        t *
          (0.37409196 +
            t * (0.09678418 + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277))))))))
  const r = t * Math.exp(poly)
  return x >= 0 ? r : 2 - r
}

/**
 * The standard normal cumulative distribution function Φ(x).
 *
 * @example
 * ```ts
 * normalCdf(1.959964) // ≈ 0.975
 * ```
 * @category special functions
 */
export const normalCdf = (x: number): number => 0.5 * erfc(-x / Math.SQRT2)

const QA = [-39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716, 2.506628277459239] as const
const QB = [-54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572] as const
const QC = [-0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783] as const
const QD = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416] as const

/**
 * The standard normal quantile Φ⁻¹(p) for `0 < p < 1` (rational approximation refined by one Halley
 * step; about 1e-9 absolute). Returns ±Infinity at 0 and 1, NaN outside.
 *
 * @example
 * ```ts
 * normalQuantile(0.99) // ≈ 2.3263
 * ```
 * @category special functions
 */
export const normalQuantile = (p: number): number => {
  if (!(p >= 0 && p <= 1)) return Number.NaN
  if (p === 0) return -Infinity
  if (p === 1) return Infinity
  const lo = 0.02425
  let x: number
  if (p < lo || p > 1 - lo) {
    const q = Math.sqrt(-2 * Math.log(p < lo ? p : 1 - p))
    const num = ((((QC[0] * q + QC[1]) * q + QC[2]) * q + QC[3]) * q + QC[4]) * q + QC[5]
    const den = (((QD[0] * q + QD[1]) * q + QD[2]) * q + QD[3]) * q + 1
    x = p < lo ? num / den : -num / den
  } else {
    const q = p - 0.5
    const r = q * q
    const num = (((((QA[0] * r + QA[1]) * r + QA[2]) * r + QA[3]) * r + QA[4]) * r + QA[5]) * q
    const den = ((((QB[0] * r + QB[1]) * r + QB[2]) * r + QB[3]) * r + QB[4]) * r + 1
    x = num / den
  }
  // one Halley refinement against the CDF
  const e = normalCdf(x) - p
  const u = e * Math.sqrt(2 * Math.PI) * Math.exp((x * x) / 2)
  return x - u / (1 + (x * u) / 2)
}

/**
 * A standard normal variate (Box-Muller; one variate per two uniforms).
 *
 * @example
 * ```ts
 * const z = normal(createPrng(1))
 * ```
 * @category variates
 */
export const normal = (rng: Prng): number => {
  const u = rng.nextOpen()
  const v = rng.next()
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v)
}

/**
 * A lognormal variate `exp(mu + sigma Z)`; its median is `exp(mu)`.
 *
 * @example
 * ```ts
 * const latencyMs = lognormal(createPrng(1), Math.log(100), 0.6)
 * ```
 * @category variates
 */
export const lognormal = (rng: Prng, mu: number, sigma: number): number => Math.exp(mu + sigma * normal(rng))

/**
 * A Gamma(shape, 1) variate (Marsaglia-Tsang squeeze; shape < 1 via the `U^(1/shape)` boost).
 *
 * @example
 * ```ts
 * const g = gamma(createPrng(1), 2.5)
 * ```
 * @category variates
 */
export const gamma = (rng: Prng, shape: number): number => {
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
}

/**
 * A Beta(a, b) variate, from two gamma variates.
 *
 * @example
 * ```ts
 * const x = beta(createPrng(1), 2, 5) // in (0, 1)
 * ```
 * @category variates
 */
export const beta = (rng: Prng, a: number, b: number): number => {
  const x = gamma(rng, a)
  const y = gamma(rng, b)
  return x + y > 0 ? x / (x + y) : 0.5
}

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
export const poisson = (rng: Prng, lambda: number): number => {
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
}

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
export const binomial = (rng: Prng, n: number, p: number): number => {
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
}
