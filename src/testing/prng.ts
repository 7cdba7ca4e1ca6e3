import { guarded, rethrow } from '../model/guard.js'
/**
 * A small, fast, seeded pseudo-random number generator (sfc32, Chris Doty-Humphrey's "small fast chaotic"
 * generator, 128-bit state) and seed derivation. Deterministic across platforms: only 32-bit integer
 * arithmetic. Never use `Math.random` in simulations; pass a `Prng` around instead.
 *
 * @module
 */

/**
 * A seeded source of uniform random numbers.
 *
 * @example
 * ```ts
 * const rng: Prng = createPrng(42)
 * rng.next() // a float in [0, 1)
 * ```
 * @category model
 */
export interface Prng {
  /** A uniform unsigned 32-bit integer. */
  readonly nextU32: () => number
  /** A uniform float in `[0, 1)` with 32 bits of resolution. */
  readonly next: () => number
  /** A uniform float in the open interval `(0, 1)`: safe for `Math.log`. */
  readonly nextOpen: () => number
}

const TWO_POW_32 = 4294967296

/**
 * Mixes a 32-bit integer (the finaliser of splitmix32 / murmur3): a bijection with good avalanche.
 *
 * @example
 * ```ts
 * mix32(1) !== mix32(2) // true
 * ```
 * @category utils
 */
export const mix32 = guarded('mix32', (x: number): number => {
  let z = (x + 0x9e3779b9) | 0
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b)
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35)
  return (z ^ (z >>> 16)) >>> 0
}, (m) => rethrow(m))

/**
 * Derives an independent-looking 32-bit seed from a seed and any number of integer (or finite) parts,
 * e.g. a run index and a stream name hash. The same inputs always give the same seed.
 *
 * @example
 * ```ts
 * const runSeed = deriveSeed(1, 17)        // run 17 of experiment seed 1
 * const armSeed = deriveSeed(runSeed, 2)   // a sub-stream
 * ```
 * @category utils
 */
export const deriveSeed = guarded('deriveSeed', (seed: number, ...parts: readonly number[]): number => {
  let h = mix32(seed >>> 0)
  for (const p of parts) {
    // fold both 32-bit halves of large values (epoch ms) into the hash
    const lo = p >>> 0
    const hi = Math.floor(p / TWO_POW_32) >>> 0
    h = mix32((h ^ lo) >>> 0)
    h = mix32((h ^ hi ^ 0x5bd1e995) >>> 0)
  }
  return h
}, (m) => rethrow(m))

/**
 * Hashes a string into a 32-bit integer (FNV-1a), for deriving seeds from names.
 *
 * @example
 * ```ts
 * deriveSeed(7, hashString('canary'))
 * ```
 * @category utils
 */
export const hashString = guarded('hashString', (s: string): number => {
  let h = 0x811c9dc5
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i)
    h = Math.imul(h, 0x01000193)
  }
  return h >>> 0
}, (m) => rethrow(m))

/**
 * Creates an sfc32 generator from a 32-bit seed (any number; non-integers are truncated).
 * The state is expanded from the seed with a mixing function and warmed up, so nearby seeds give
 * unrelated streams.
 *
 * @example
 * ```ts
 * const a = createPrng(1), b = createPrng(1)
 * a.next() === b.next() // true: same seed, same stream
 * ```
 * @category constructors
 */
export const createPrng = guarded('createPrng', (seed: number): Prng => {
  const s0 = seed >>> 0
  let a = mix32(s0)
  let b = mix32(s0 ^ 0x6a09e667)
  let c = mix32(s0 ^ 0xbb67ae85)
  let d = 1
  const nextU32 = (): number => {
    const t = (((a + b) | 0) + d) | 0
    d = (d + 1) | 0
    a = b ^ (b >>> 9)
    b = (c + (c << 3)) | 0
    c = (c << 21) | (c >>> 11)
    c = (c + t) | 0
    return t >>> 0
  }
  for (let i = 0; i < 12; i++) nextU32()
  return {
    nextU32,
    next: () => nextU32() / TWO_POW_32,
    nextOpen: () => (nextU32() + 0.5) / TWO_POW_32,
  }
}, (m) => rethrow(m))
