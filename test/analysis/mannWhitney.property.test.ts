/** Invariants of the Mann-Whitney test and the pairwise-difference selection (fast-check). */
import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import * as E from 'fp-ts/lib/Either.js'
import { mannWhitney, type Alternative, type MannWhitneyResult } from '../../src/analysis/mannWhitney.js'
import { kthPairwiseDifference } from '../../src/analysis/hodgesLehmann.js'

const alternatives: Alternative[] = ['two-sided', 'greater', 'less']
const anyDoubles = fc.array(fc.double(), { maxLength: 40 })
const ints = (min: number, max: number) => fc.array(fc.integer({ min: -50, max: 50 }), { minLength: min, maxLength: max })
const method = fc.constantFrom<'auto' | 'exact' | 'normal'>('auto', 'exact', 'normal')

const run = (c: number[], p: number[], alternative: Alternative, m: 'auto' | 'exact' | 'normal' = 'auto', confidence = 0.95): MannWhitneyResult => {
  const r = mannWhitney(c, p, { confidence, alternative, method: m })
  if (E.isLeft(r)) throw new Error(r.left.message)
  return r.right
}

describe('mannWhitney properties', () => {
  it('never throws on arbitrary arrays (NaN, Infinity, empty); p in [0, 1]; Left only without finite points', () => {
    fc.assert(
      fc.property(anyDoubles, anyDoubles, fc.constantFrom(...alternatives), method, fc.double({ min: 0.5, max: 0.999, noNaN: true }), (c, p, alt, m, conf) => {
        const r = mannWhitney(c, p, { confidence: conf, alternative: alt, method: m })
        const finiteC = c.filter(Number.isFinite).length
        const finiteP = p.filter(Number.isFinite).length
        if (finiteC === 0 || finiteP === 0) {
          expect(E.isLeft(r)).toBe(true)
          return
        }
        expect(E.isRight(r)).toBe(true)
        if (E.isRight(r)) {
          const v = r.right
          expect(v.pValue).toBeGreaterThanOrEqual(0)
          expect(v.pValue).toBeLessThanOrEqual(1)
          expect(v.u).toBeGreaterThanOrEqual(0)
          expect(v.u).toBeLessThanOrEqual(finiteC * finiteP)
          expect(v.lower).toBeLessThanOrEqual(v.upper)
          expect(v.dropped).toBe(c.length - finiteC + p.length - finiteP)
        }
      }),
      { numRuns: 400 },
    )
  })

  it('swapping the arms mirrors U, the one-sided p-values, the estimate and the interval', () => {
    fc.assert(
      fc.property(ints(1, 30), ints(1, 30), method, (c, p, m) => {
        const g = run(c, p, 'greater', m)
        const l = run(p, c, 'less', m)
        expect(l.u).toBe(c.length * p.length - g.u)
        expect(l.pValue).toBeCloseTo(g.pValue, 12)
        expect(l.upper + 0).toBe(-g.lower + 0) // +0 folds -0 into 0
        const t1 = run(c, p, 'two-sided', m)
        const t2 = run(p, c, 'two-sided', m)
        expect(t2.pValue).toBeCloseTo(t1.pValue, 12)
        expect(t2.estimate + 0).toBe(-t1.estimate + 0)
        expect(t2.lower + 0).toBe(-t1.upper + 0)
        expect(t2.upper + 0).toBe(-t1.lower + 0)
      }),
      { numRuns: 300 },
    )
  })

  it('one-sided p-values of the same data add up to at least 1 (the point U itself counted twice)', () => {
    fc.assert(
      fc.property(ints(1, 30), ints(1, 30), method, (c, p, m) => {
        expect(run(c, p, 'greater', m).pValue + run(c, p, 'less', m).pValue).toBeGreaterThanOrEqual(1 - 1e-12)
      }),
    )
  })

  it('shifting one arm by a large constant gives a significant result, and the interval contains the shift', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.integer({ min: 0, max: 1000 }), { minLength: 8, maxLength: 60 }),
        fc.uniqueArray(fc.integer({ min: 0, max: 1000 }), { minLength: 8, maxLength: 60 }),
        method,
        (c, p, m) => {
          const shifted = c.map((v) => v + 10_000)
          const up = run(shifted, p, 'two-sided', m, 0.98)
          expect(up.pValue).toBeLessThan(0.02)
          expect(up.lower).toBeGreaterThan(0)
          expect(run(shifted, p, 'greater', m).pValue).toBeLessThan(0.01)
          const down = run(c.map((v) => v - 10_000), p, 'less', m)
          expect(down.pValue).toBeLessThan(0.01)
          expect(down.upper).toBeLessThan(0)
        },
      ),
      { numRuns: 200 },
    )
  })

  it('adding a constant to both arms changes nothing', () => {
    fc.assert(
      fc.property(ints(1, 40), ints(1, 40), fc.integer({ min: -1e6, max: 1e6 }), fc.constantFrom(...alternatives), method, (c, p, k, alt, m) => {
        const a = run(c, p, alt, m)
        const b = run(c.map((v) => v + k), p.map((v) => v + k), alt, m)
        expect(b).toEqual(a)
      }),
      { numRuns: 300 },
    )
  })

  it('the estimate lies inside its two-sided interval', () => {
    fc.assert(
      fc.property(ints(1, 40), ints(1, 40), method, fc.constantFrom(0.8, 0.9, 0.95, 0.98, 0.99), (c, p, m, conf) => {
        const r = run(c, p, 'two-sided', m, conf)
        expect(r.lower).toBeLessThanOrEqual(r.estimate)
        expect(r.estimate).toBeLessThanOrEqual(r.upper)
      }),
      { numRuns: 300 },
    )
  })

  it('exact and normal methods agree roughly on mid-sized samples without ties', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.integer({ min: 0, max: 100_000 }), { minLength: 60, maxLength: 60 }).map((a) => [a.slice(0, 30), a.slice(30)] as const),
        ([c, p]) => {
          const ex = run(c, p, 'two-sided', 'exact')
          const no = run(c, p, 'two-sided', 'normal')
          expect(ex.method).toBe('exact')
          expect(Math.abs(ex.pValue - no.pValue)).toBeLessThan(0.01)
        },
      ),
      { numRuns: 50 },
    )
  })
})

describe('kthPairwiseDifference', () => {
  it('equals the k-th element of the fully sorted difference list', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: -1e6, max: 1e6, noNaN: true }), { minLength: 1, maxLength: 70 }),
        fc.array(fc.oneof(fc.integer({ min: -5, max: 5 }), fc.double({ min: -1e6, max: 1e6, noNaN: true })), { minLength: 1, maxLength: 70 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (x, y, q) => {
          const xs = [...x].sort((a, b) => a - b)
          const ys = [...y].sort((a, b) => a - b)
          const all = xs.flatMap((a) => ys.map((b) => a - b)).sort((a, b) => a - b)
          const k = 1 + Math.floor(q * (all.length - 1))
          expect(kthPairwiseDifference(xs, ys, k)).toBe(all[k - 1])
        },
      ),
      { numRuns: 300 },
    )
  })
})
