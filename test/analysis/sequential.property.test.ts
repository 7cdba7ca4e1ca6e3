import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type { SequentialJudgeSpec } from '../../src/config/spec.js'
import type { Counts, Sample } from '../../src/model/observation.js'
import {
  initialSequentialState,
  judgeSequential,
  summariseSequential,
  updateSequential,
  type SequentialState,
} from '../../src/analysis/sequential.js'
import { makePrng } from '../helpers/prng.js'

const spec: SequentialJudgeSpec = { kind: 'sequential', alpha: 0.01, tolerance: 1.12, earlyPass: true, minBadEvents: 0 }
const sample = (canary: Counts, primary: Counts): Sample => ({
  kind: 'counts',
  metric: 'errors',
  window: { from: 0, to: 10_000 },
  canary,
  primary,
})

/** A valid window: totals up to 5000, bad <= total, not both totals 0. */
const window = fc
  .tuple(fc.nat({ max: 5000 }), fc.nat({ max: 5000 }), fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true }))
  .filter(([ct, pt]) => ct + pt > 0)
  .map(([ct, pt, fc_, fp]): [Counts, Counts] => [
    { total: ct, bad: Math.floor(ct * fc_ * fc_) },
    { total: pt, bad: Math.floor(pt * fp * fp) },
  ])
const tolerance = fc.constantFrom(1, 1.05, 1.12, 1.2, 1.5, 2)

describe('sequential judge properties', () => {
  it('never throws, whatever the counts and the state', () => {
    const anyCount = fc.oneof(fc.anything(), fc.double(), fc.integer(), fc.constantFrom(NaN, Infinity, -Infinity, -1, 0.5, 2 ** 60))
    fc.assert(
      fc.property(fc.record({ total: anyCount, bad: anyCount }), fc.record({ total: anyCount, bad: anyCount }), fc.anything(), (c, p, s) => {
        expect(() => judgeSequential('errors', spec, s, sample(c as Counts, p as Counts))).not.toThrow()
        expect(() => judgeSequential('errors', spec, null, sample(c as Counts, p as Counts))).not.toThrow()
      }),
      { numRuns: 500 },
    )
  })

  it('invalid counts leave the state unchanged (same object) and never decide', () => {
    const invalid = fc.oneof(fc.constantFrom(NaN, Infinity, -1, 0.5), fc.double({ min: -1e6, max: -1e-9 }))
    fc.assert(
      fc.property(window, invalid, fc.constantFrom('canary.total', 'canary.bad', 'primary.total', 'primary.bad'), ([c, p], x, field) => {
        const state = updateSequential(initialSequentialState(spec), { total: 50, bad: 1 }, { total: 50, bad: 1 })
        const [arm, key] = field.split('.') as ['canary' | 'primary', 'total' | 'bad']
        const counts = { canary: { ...c }, primary: { ...p } }
        counts[arm] = { ...counts[arm], [key]: x }
        const j = judgeSequential('errors', spec, state, sample(counts.canary, counts.primary))
        expect(j.verdict).toBe('error')
        expect(j.final).toBeUndefined()
        expect(j.judgeState).toBe(state)
      }),
    )
  })

  it('e-values are >= 0 and the bounds are ordered (equal shares in every window)', () => {
    // the bounds come from the tempered likelihood (each window weighted by its exponent), the estimate is the
    // untempered Mantel-Haenszel one: with erratic windows the two can disagree, so containment is not asserted
    const equalShareWindow = fc
      .tuple(fc.integer({ min: 1, max: 5000 }), fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true }))
      .map(([n, a, b]): [Counts, Counts] => [
        { total: n, bad: Math.floor(n * a * a * a) },
        { total: n, bad: Math.floor(n * b * b * b) },
      ])
    fc.assert(
      fc.property(tolerance, fc.array(equalShareWindow, { minLength: 1, maxLength: 40 }), (tol, windows) => {
        let s = initialSequentialState({ ...spec, tolerance: tol })
        for (const [c, p] of windows) {
          s = updateSequential(s, c, p)
          const sum = summariseSequential(0.01, s)
          expect(sum.eValue).toBeGreaterThanOrEqual(0)
          expect(sum.eValuePass).toBeGreaterThanOrEqual(0)
          expect(sum.lower).toBeLessThanOrEqual(sum.upper)
        }
      }),
    )
  })

  it('with varying shares: e-values >= 0, bounds ordered, a rollback has its e-value >= 1/alpha, an early pass upper <= tolerance', () => {
    // a rollback comes from the e-detector (a regression may have started late), so the from-start lower bound
    // need not be above the tolerance then
    fc.assert(
      fc.property(tolerance, fc.array(window, { minLength: 1, maxLength: 40 }), (tol, windows) => {
        const s0 = { ...spec, tolerance: tol }
        let state: unknown = null
        for (const [c, p] of windows) {
          const j = judgeSequential('errors', s0, state, sample(c, p))
          expect(['pass', 'fail']).toContain(j.verdict)
          const d = j.reason.details ?? {}
          expect(d['eValue']).toBeGreaterThanOrEqual(0)
          expect(d['lower']).toBeLessThanOrEqual(d['upper'] as number)
          if (j.verdict === 'fail') expect(d['eValue']).toBeGreaterThanOrEqual(100)
          if (j.final === 'pass') expect(d['upper']).toBeLessThanOrEqual(tol)
          if (j.final !== undefined) return
          state = j.judgeState
        }
      }),
    )
  })

  it('more canary-attributed bad events never lower the rollback e-value (monotone evidence)', () => {
    fc.assert(
      fc.property(fc.array(window, { maxLength: 20 }), window, fc.integer({ min: 1, max: 50 }), (history, [c, p], extra) => {
        let s = initialSequentialState(spec)
        for (const [hc, hp] of history) s = updateSequential(s, hc, hp, 10_000)
        const base = summariseSequential(0.01, updateSequential(s, c, p, 10_000)).eValue
        // the same requests and the same total of bad events (so the same exponent), `moved` of them the canary's
        const moved = Math.min(extra, p.bad, c.total - c.bad)
        const more = summariseSequential(0.01, updateSequential(s, { total: c.total, bad: c.bad + moved }, { total: p.total, bad: p.bad - moved }, 10_000)).eValue
        expect(more).toBeGreaterThanOrEqual(base * (1 - 1e-3))
      }),
    )
  })

  it('state size is bounded: after 10,000 updates it still encodes to <= 600 bytes of JSON', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2 ** 31 - 1 }), fc.constantFrom(10, 1000, 20_000), (seed, volume) => {
        const rng = makePrng(seed)
        let s: SequentialState = initialSequentialState(spec)
        const rate = 0.001 + 0.1 * rng.uniform()
        for (let w = 0; w < 10_000; w++) {
          const ct = rng.binomial(volume, 0.05 + 0.9 * rng.uniform())
          const pt = volume - ct
          s = updateSequential(s, { total: ct, bad: rng.binomial(ct, rate) }, { total: pt, bad: rng.binomial(pt, rate) }, 10_000)
        }
        expect(JSON.stringify(s).length).toBeLessThanOrEqual(600)
      }),
      { numRuns: 6 },
    )
  })
})

describe('grid functions on malformed likelihood vectors', () => {
  it('do not depend on earlier calls (no entry left over from a shared buffer)', async () => {
    const { gridSummary, logEValue, defaultCompiled } = await import('../../src/analysis/sequentialGrid.js')
    const c = defaultCompiled()
    const full = c.offsets.map((_, k) => (k % 3) * 2)
    const short = [1, 2]
    const before = gridSummary(c, 1.12, short, 0.01)
    const beforeE = logEValue(c, short, 3, 'up')
    gridSummary(c, 1.12, full, 0.01)
    logEValue(c, full, 3, 'up')
    expect(gridSummary(c, 1.12, short, 0.01)).toEqual(before)
    expect(logEValue(c, short, 3, 'up')).toBe(beforeE)
  })
})
