import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import {
  addDispersionWindow,
  dispersionEstimate,
  INITIAL_DISPERSION,
  isDispersionState,
  RECENT_PRIOR_EVENTS,
  recentDispersion,
  temperingExponent,
  type DispersionState,
  type DispersionTotals,
} from '../../src/analysis/sequentialDispersion.js'
import { initialSequentialState, judgeSequential, updateSequential } from '../../src/analysis/sequential.js'
import { makePrng } from '../helpers/prng.js'
import { clustered } from './sequentialSim.js'

/** The accumulators with the judge's totals beside them (what updateSequential passes). */
interface Run {
  readonly d: DispersionState
  readonly t: DispersionTotals
}
const START: Run = { d: INITIAL_DISPERSION, t: { bad: 0, requests: 0 } }

/** One 10-s window. */
const add = (r: Run, canaryRequests: number, canaryBad: number, primaryRequests: number, primaryBad: number): Run => ({
  d: addDispersionWindow(r.d, canaryRequests, canaryBad, primaryRequests, primaryBad, 10_000, r.t),
  t: { bad: r.t.bad + canaryBad + primaryBad, requests: r.t.requests + canaryRequests + primaryRequests },
})

/** Feeds `n` 10-s windows of `requests` per arm with the given bad counts. */
const feed = (r: Run, n: number, requests: number, canaryBad: number, primaryBad: number): Run => {
  let s = r
  for (let i = 0; i < n; i++) s = add(s, requests, canaryBad, requests, primaryBad)
  return s
}

const longRun = (r: Run, perArm = 0): number => dispersionEstimate(r.d, perArm, 10_000)
const exponent = (r: Run, perArm = 0): number => temperingExponent(r.d, perArm, 10_000)


const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN

describe('sequentialDispersion: the long-run estimate (the windows\' totals about a fitted rate)', () => {
  it('stays near 1 under independent requests, at 10 and at 100 req/s per arm', () => {
    for (const requests of [100, 1000]) {
      const phis: number[] = []
      for (let seed = 0; seed < 40; seed++) {
        const rng = makePrng(1000 + seed)
        let r = START
        for (let w = 0; w < 120; w++) r = add(r, requests, rng.binomial(requests, 0.01), requests, rng.binomial(requests, 0.01))
        phis.push(longRun(r, requests * 0.01))
      }
      expect(median(phis)).toBeLessThan(1.15)
    }
  })

  it('learns retry clusters from the first minutes (median above 3 at minute 3; their variance inflation is 5)', () => {
    const at3: number[] = []
    for (let seed = 0; seed < 60; seed++) {
      const rng = makePrng(2000 + seed)
      let r = START
      for (let w = 0; w < 18; w++) r = add(r, 100, clustered(rng, 100, 0.01), 100, clustered(rng, 100, 0.01))
      at3.push(longRun(r, 1))
    }
    expect(median(at3)).toBeGreaterThan(3)
  })

  it('sees a cluster whichever arm it falls in, and never looks at how a window splits', () => {
    const before = feed(START, 30, 100, 1, 1)
    const inCanary = add(before, 100, 12, 100, 0)
    const inPrimary = add(before, 100, 0, 100, 12)
    // one cluster of 12 where about 2.3 were expected, over 31 windows: (6.25 + 42) / 35
    expect(longRun(inCanary, 1)).toBeGreaterThan(1.3)
    expect(inCanary.d.slice(0, 2)).toEqual(inPrimary.d.slice(0, 2))
    expect(longRun(inCanary, 1)).toBe(longRun(inPrimary, 1))
  })

  it('is not moved by a regression present from the start (the totals keep one rate)', () => {
    const rng = makePrng(7)
    let r = START
    for (let w = 0; w < 60; w++) r = add(r, 100, rng.binomial(100, 0.05), 100, rng.binomial(100, 0.01))
    expect(longRun(r, 3)).toBeLessThan(1.3)
  })

  it('the long-run sums see only the window\'s totals: any split of the same bad events gives the same sums (property)', () => {
    const before = feed(START, 5, 1000, 10, 10)
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 5000 }), fc.integer({ min: 1, max: 5000 }), fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true }), (cr, pr, u, v1, v2) => {
        const n = Math.floor(u * (cr + pr))
        const lo = Math.max(0, n - pr)
        const hi = Math.min(n, cr)
        const c1 = lo + Math.floor(v1 * (hi - lo))
        const c2 = lo + Math.floor(v2 * (hi - lo))
        const one = add(before, cr, c1, pr, n - c1)
        const other = add(before, cr, c2, pr, n - c2)
        expect(one.d.slice(0, 2)).toEqual(other.d.slice(0, 2))
        expect(longRun(one, 5)).toBe(longRun(other, 5))
      }),
    )
  })

  it('stays near 1 at 0.5 req/s per arm (one bad event in ten windows; the statistic is carried as one short number)', () => {
    let r = START
    for (let w = 0; w < 360; w++) r = add(r, 5, w % 10 === 0 ? 1 : 0, 5, 0)
    expect(r.d[1]).toBe(360)
    expect(longRun(r, 0.05)).toBeLessThan(1.1)
  })
})

describe('sequentialDispersion: the recent estimate (pod bursts)', () => {
  it('is 1 with steady counts, however long the run', () => {
    const r = feed(START, 360, 1000, 10, 10)
    expect(recentDispersion(r.d)).toBe(1)
    expect(exponent(r)).toBeCloseTo(1 / longRun(r), 12)
  })

  it('jumps within the first windows of a burst in one arm and tempers the rest of it', () => {
    // 100 req/s per arm at 1%: 10 bad events per arm per 10 s; then the canary's rate doubles for a minute
    const before = feed(START, 60, 1000, 10, 10)
    expect(exponent(before, 10)).toBeGreaterThan(0.9)
    // each burst window adds (20 - 10)^2 = 100 squares to recent sums holding about 3.5 windows (70 events) of
    // expected bad events, plus 20 pseudo events at 1
    const after = [1, 2, 3, 4].map((n) => feed(before, n, 1000, 20, 10))
    const phis = after.map((r) => recentDispersion(r.d))
    expect(phis[0]).toBeGreaterThan(1.2)
    expect(phis[1]).toBeGreaterThan(1.8)
    expect(phis[2]).toBeGreaterThan(2.2)
    expect(phis[3]).toBeGreaterThan(2.4)
    // (the arm's rate average moves towards the burst's level, so the excess shrinks a little)
    expect(exponent(after[3]!, 10)).toBeLessThan(0.4)
    // the long-run estimate barely moves: it is the recent one that tempers
    expect(longRun(after[3]!)).toBeLessThan(1.5)
  })

  it('forgets a burst within minutes (time constant 30 s), so a later regression is judged at full weight', () => {
    const burst = feed(feed(START, 60, 1000, 10, 10), 6, 1000, 20, 10)
    // the rate average (5 min) still remembers the burst for a while, so a few more residuals come in
    const later = feed(burst, 30, 1000, 10, 10)
    expect(recentDispersion(later.d)).toBeLessThan(1.1)
  })

  it('at low traffic one window moves it little (pooled over expected events)', () => {
    // 10 req/s per arm at 1%: one expected bad event per arm-window; a window with 3 in one arm
    const before = feed(START, 60, 100, 1, 1)
    const after = add(before, 100, 3, 100, 1)
    expect(recentDispersion(after.d)).toBeLessThan(1 + 8 / RECENT_PRIOR_EVENTS)
  })
})

describe('sequentialDispersion: states stored by earlier releases', () => {
  const spec = { kind: 'sequential', alpha: 0.01, tolerance: 1.12, earlyPass: false, minBadEvents: 0 } as const
  const sample = {
    kind: 'counts',
    metric: 'errors',
    window: { from: 10_000, to: 20_000 },
    canary: { total: 1000, bad: 10 },
    primary: { total: 1000, bad: 10 },
  } as const
  const s0 = updateSequential(initialSequentialState(spec), { total: 1000, bad: 10 }, { total: 1000, bad: 10 }, 10_000)

  it('eight numbers, as before; other shapes are refused', () => {
    expect(INITIAL_DISPERSION.length).toBe(8)
    expect(isDispersionState(INITIAL_DISPERSION)).toBe(true)
    expect(isDispersionState([1, 2, 3, 4, 5, 6, 7])).toBe(false)
    expect(isDispersionState([1, 2, 3, 4, 5, 6, 7, 8, 9])).toBe(false)
    expect(isDispersionState([1, -2, 3, 4, 5, 6, 7, 8])).toBe(false)
  })

  it('a six-number state (before the recent estimate) reads as a sum of indices and its count, with a recent estimate of 1', () => {
    const six: DispersionState = [50, 20, 10, 1000, 10, 1000]
    expect(isDispersionState(six)).toBe(true)
    expect(recentDispersion(six)).toBe(1)
    // per-arm residuals 50 over 20 arm-windows, read with the prior (5 windows at 1.125): 2.7 (the old estimate said 2.04)
    expect(dispersionEstimate(six)).toBeCloseTo((5 * 1.125 + 50) / (5 + 19), 12)
    const next = addDispersionWindow(six, 100, 1, 100, 1, 10_000, { bad: 100, requests: 10_000 })
    expect(next.length).toBe(8)
    expect(next[1]).toBe(21)
    expect(judgeSequential('errors', spec, { ...s0, ds: [12.5, 30, 8, 900, 7, 880] }, sample).verdict).toBe('pass')
  })

  it('an eight-number state of the earlier release reads and judges, its averages and recent sums kept', () => {
    const eight: DispersionState = [40, 20, 10, 1000, 10, 1000, 200, 20]
    expect(recentDispersion(eight)).toBeCloseTo(5.5, 12)
    const j = judgeSequential('errors', spec, { ...s0, ds: eight }, sample)
    expect(j.verdict).toBe('pass')
    const ds = (j.judgeState as { ds: readonly number[] }).ds
    expect(ds.length).toBe(8)
    expect(ds[1]).toBe(21)
  })

  it('without totals (a projection of expected windows) the long-run estimate stays where it is', () => {
    const d: DispersionState = [45, 10, 10, 1000, 10, 1000, 0, 0]
    const next = addDispersionWindow(d, 1000, 10, 1000, 10, 10_000)
    expect(next[0] / next[1]).toBeCloseTo(4.5, 12)
    const bad = addDispersionWindow(d, 1000, 10, 1000, 10, 10_000, { bad: Number.NaN, requests: 5 })
    expect(bad[0] / bad[1]).toBeCloseTo(4.5, 12)
  })
})
