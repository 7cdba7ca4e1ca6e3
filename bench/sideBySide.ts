/**
 * Timings taken side by side: several bodies measured in the same repeats, their order rotated from one
 * repeat to the next, so the machine's load and the JIT's state weigh on each alike. Each body returns how
 * many operations it did; the answer is nanoseconds per operation, per body and per repeat.
 *
 * @module
 */
import { median } from './stats.js'

/**
 * Nanoseconds per operation of each body in each repeat (`[body][repeat]`), every body run for at least
 * `minMs` per repeat.
 *
 * @example
 * ```ts
 * const [a, b] = sideBySide(3, 50, [() => 1, () => 1])
 * ```
 */
export const sideBySide = (repeats: number, minMs: number, bodies: readonly (() => number)[]): number[][] => {
  const out = bodies.map((): number[] => [])
  for (let r = 0; r < repeats; r++) {
    for (let k = 0; k < bodies.length; k++) {
      const i = (k + r) % bodies.length
      const body = bodies[i]!
      let n = 0
      const t0 = performance.now()
      let t1 = t0
      while (t1 - t0 < minMs) {
        n += body()
        t1 = performance.now()
      }
      out[i]!.push(((t1 - t0) * 1e6) / n)
    }
  }
  return out
}

/**
 * The median over repeats of `a[r] / b[r]`: a ratio of two side-by-side timings, each repeat against its own.
 *
 * @example
 * ```ts
 * medianRatio([2, 4], [1, 2]) // 2
 * ```
 */
export const medianRatio = (a: readonly number[], b: readonly number[]): number => median(a.map((x, r) => x / (b[r] ?? Number.NaN)))
