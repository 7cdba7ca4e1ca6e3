/**
 * The seeded random numbers the analysis tests and tuning scripts use: a thin adapter over the project's
 * own generator and samplers in src/testing (sfc32; exact Poisson and binomial draws), so there is one PRNG
 * in the code base.
 */
import { createPrng } from '../../src/testing/prng.js'
import { binomial, normal, poisson } from '../../src/testing/distributions.js'

export { logFactorial } from '../../src/testing/distributions.js'

/**
 * A seeded source of uniform, normal, Poisson and binomial draws.
 *
 * @example
 * ```ts
 * const r = makePrng(1)
 * r.binomial(1000, 0.01)
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

/**
 * A deterministic generator for `seed`.
 *
 * @example
 * ```ts
 * makePrng(7).uniform() === makePrng(7).uniform() // true
 * ```
 */
export const makePrng = (seed: number): Prng => {
  const r = createPrng(seed)
  return {
    uniform: r.next,
    normal: () => normal(r),
    poisson: (lambda) => poisson(r, lambda),
    binomial: (n, p) => binomial(r, n, p),
  }
}
