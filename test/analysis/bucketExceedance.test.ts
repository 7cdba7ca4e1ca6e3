import * as E from 'fp-ts/lib/Either.js'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { bucketExceedance, type Bucket } from '../../src/analysis/bucketExceedance.js'

const canary: Bucket[] = [
  { le: 0.05, count: 200 },
  { le: 0.1, count: 700 },
  { le: 0.4, count: 985 },
  { le: 1, count: 998 },
  { le: Infinity, count: 1000 },
]
const primary: Bucket[] = [
  { le: 0.05, count: 300 },
  { le: 0.1, count: 720 },
  { le: 0.4, count: 1995 - 1000 },
  { le: 1, count: 999 },
  { le: Infinity, count: 1000 },
]

describe('bucketExceedance', () => {
  it('counts requests above the boundary as bad, the +Inf bucket as total', () => {
    expect(bucketExceedance(canary, primary, 0.4)).toEqual(
      E.right({ canary: { total: 1000, bad: 15 }, primary: { total: 1000, bad: 5 } }),
    )
    expect(bucketExceedance(canary, primary, 0.05)).toEqual(
      E.right({ canary: { total: 1000, bad: 800 }, primary: { total: 1000, bad: 700 } }),
    )
  })

  it('rounds the fractional counts of increase() and keeps bad <= total', () => {
    const c = [{ le: 0.4, count: 10.4 }, { le: Infinity, count: 10.45 }]
    const p = [{ le: 0.4, count: 3.6 }, { le: Infinity, count: 4.2 }]
    expect(bucketExceedance(c, p, 0.4)).toEqual(E.right({ canary: { total: 10, bad: 0 }, primary: { total: 4, bad: 0 } }))
  })

  it('rejects a boundary that is not a bucket bound of both arms', () => {
    const r = bucketExceedance(canary, primary.filter((b) => b.le !== 0.4), 0.4)
    expect(E.isLeft(r) && r.left.problem).toBe('boundaryNotFound')
    expect(E.isLeft(r) && r.left.arm).toBe('primary')
    const s = bucketExceedance(canary, primary, 0.3)
    expect(E.isLeft(s) && s.left.problem).toBe('boundaryNotFound')
    const t = bucketExceedance(canary, primary, Infinity)
    expect(E.isLeft(t) && t.left.problem).toBe('badBoundary')
  })

  it.each([
    ['empty', [] as Bucket[]],
    ['noInfBucket', [{ le: 0.4, count: 1 }, { le: 1, count: 2 }]],
    ['notCumulative', [{ le: 0.4, count: 5 }, { le: Infinity, count: 4 }]],
    ['notAscending', [{ le: 0.4, count: 1 }, { le: 0.4, count: 2 }, { le: Infinity, count: 3 }]],
    ['negative', [{ le: 0.4, count: -1 }, { le: Infinity, count: 3 }]],
    ['notFinite', [{ le: 0.4, count: NaN }, { le: Infinity, count: 3 }]],
  ] as const)('reports %s', (problem, buckets) => {
    const r = bucketExceedance(buckets, primary, 0.4)
    expect(E.isLeft(r) && r.left.problem).toBe(problem)
    expect(E.isLeft(r) && r.left.arm).toBe('canary')
  })

  it('does not throw on a boundary that cannot be printed (found by fuzzing: an object whose toString is not a function)', () => {
    const r = bucketExceedance(undefined as unknown as Bucket[], 0 as unknown as Bucket[], { toString: false } as unknown as number)
    expect(E.isLeft(r)).toBe(true)
  })

  it('never throws and returns valid counts for arbitrary cumulative histograms', () => {
    const hist = fc
      .array(fc.nat({ max: 1000 }), { minLength: 1, maxLength: 8 })
      .map((incs) => {
        let c = 0
        const out: Bucket[] = incs.map((inc, i) => ({ le: 0.1 * (i + 1), count: (c += inc) }))
        out.push({ le: Infinity, count: c + 3 })
        return out
      })
    fc.assert(
      fc.property(hist, hist, fc.integer({ min: 1, max: 8 }), (c, p, i) => {
        const r = bucketExceedance(c, p, 0.1 * i)
        if (E.isRight(r)) {
          for (const arm of [r.right.canary, r.right.primary]) {
            expect(Number.isInteger(arm.total) && Number.isInteger(arm.bad)).toBe(true)
            expect(arm.bad).toBeGreaterThanOrEqual(3)
            expect(arm.bad).toBeLessThanOrEqual(arm.total)
          }
        } else {
          expect(r.left.problem).toBe('boundaryNotFound')
        }
      }),
    )
    fc.assert(
      fc.property(fc.anything(), fc.anything(), fc.anything(), (a, b, x) => {
        expect(() => bucketExceedance(a as Bucket[], b as Bucket[], x as number)).not.toThrow()
      }),
    )
  })
})
