/**
 * A small seeded pseudo-random generator for tests and simulations (never used by src/). xoshiro128**
 * seeded through splitmix32, with uniform, normal, Poisson and binomial draws. Deterministic per seed.
 *
 * @module
 */

/**
 * A seeded random source.
 *
 * @example
 * ```ts
 * const rng = makePrng(42)
 * rng.uniform() // in [0, 1)
 * ```
 */
export interface Prng {
  /** Uniform in [0, 1). */
  readonly uniform: () => number
  /** Standard normal. */
  readonly normal: () => number
  /** Poisson with mean `lambda` (>= 0). */
  readonly poisson: (lambda: number) => number
  /** Binomial(n, p). */
  readonly binomial: (n: number, p: number) => number
}

const LOG_FACT_SMALL: number[] = [0]
for (let k = 1; k < 64; k++) LOG_FACT_SMALL.push((LOG_FACT_SMALL[k - 1] ?? 0) + Math.log(k))

/**
 * log(k!) (exact table below 64, Stirling series above).
 *
 * @example
 * ```ts
 * logFactorial(3) // ~ Math.log(6)
 * ```
 */
export const logFactorial = (k: number): number => {
  if (k < 64) return LOG_FACT_SMALL[k] ?? 0
  const x = k + 1
  return (x - 0.5) * Math.log(x) - x + 0.5 * Math.log(2 * Math.PI) + 1 / (12 * x) - 1 / (360 * x * x * x)
}

/**
 * Makes a seeded generator.
 *
 * @example
 * ```ts
 * const a = makePrng(7).uniform()
 * const b = makePrng(7).uniform() // a === b
 * ```
 */
export const makePrng = (seed: number): Prng => {
  let z = seed >>> 0
  const splitmix = (): number => {
    z = (z + 0x9e3779b9) >>> 0
    let t = z
    t = Math.imul(t ^ (t >>> 16), 0x21f0aaad) >>> 0
    t = Math.imul(t ^ (t >>> 15), 0x735a2d97) >>> 0
    return (t ^ (t >>> 15)) >>> 0
  }
  let s0 = splitmix()
  let s1 = splitmix()
  let s2 = splitmix()
  let s3 = splitmix()
  const next = (): number => {
    const result = Math.imul(((Math.imul(s1, 5) << 7) | (Math.imul(s1, 5) >>> 25)) >>> 0, 9) >>> 0
    const t = (s1 << 9) >>> 0
    s2 ^= s0
    s3 ^= s1
    s1 ^= s2
    s0 ^= s3
    s2 ^= t
    s3 = ((s3 << 11) | (s3 >>> 21)) >>> 0
    return result
  }
  const uniform = (): number => (next() >>> 8) / 16777216 + (next() >>> 11) / 16777216 / 2097152
  let spare: number | null = null
  const normal = (): number => {
    if (spare !== null) {
      const s = spare
      spare = null
      return s
    }
    let u = uniform()
    while (u <= 0) u = uniform()
    const v = uniform()
    const r = Math.sqrt(-2 * Math.log(u))
    spare = r * Math.sin(2 * Math.PI * v)
    return r * Math.cos(2 * Math.PI * v)
  }
  const poisson = (lambda: number): number => {
    if (!(lambda > 0)) return 0
    if (lambda < 30) {
      // inversion by sequential search
      let k = 0
      let p = Math.exp(-lambda)
      let cdf = p
      const u = uniform()
      while (u > cdf && k < 1000) {
        k++
        p *= lambda / k
        cdf += p
      }
      return k
    }
    // transformed rejection with squeeze (Hörmann's PTRS)
    const slam = Math.sqrt(lambda)
    const loglam = Math.log(lambda)
    const b = 0.931 + 2.53 * slam
    const a = -0.059 + 0.02483 * b
    const invAlpha = 1.1239 + 1.1328 / (b - 3.4)
    const vr = 0.9277 - 3.6224 / (b - 2)
    for (;;) {
      const u = uniform() - 0.5
      const v = uniform()
      const us = 0.5 - Math.abs(u)
      const k = Math.floor(((2 * a) / us + b) * u + lambda + 0.43)
      if (us >= 0.07 && v <= vr) return k
      if (k < 0 || (us < 0.013 && v > us)) continue
      if (Math.log(v) + Math.log(invAlpha) - Math.log(a / (us * us) + b) <= -lambda + k * loglam - logFactorial(k)) return k
    }
  }
  const binomial = (n: number, p: number): number => {
    if (n <= 0 || p <= 0) return 0
    if (p >= 1) return n
    if (n < 40) {
      let c = 0
      for (let i = 0; i < n; i++) if (uniform() < p) c++
      return c
    }
    // sum of geometric waiting times (fast for small n*p), else normal approximation with continuity
    if (n * p < 30) {
      let count = 0
      let pos = 0
      const lq = Math.log1p(-p)
      for (;;) {
        let u = uniform()
        while (u <= 0) u = uniform()
        pos += Math.floor(Math.log(u) / lq) + 1
        if (pos > n) return count
        count++
      }
    }
    if (n * (1 - p) < 30) return n - binomial(n, 1 - p)
    const x = Math.round(n * p + Math.sqrt(n * p * (1 - p)) * normal())
    return Math.min(n, Math.max(0, x))
  }
  return { uniform, normal, poisson, binomial }
}
