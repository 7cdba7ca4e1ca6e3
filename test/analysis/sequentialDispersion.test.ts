import { describe, expect, it } from 'vitest'
import {
  addDispersionWindow,
  dispersionEstimate,
  INITIAL_DISPERSION,
  isDispersionState,
  RECENT_PRIOR_EVENTS,
  recentDispersion,
  temperingExponent,
  type DispersionState,
} from '../../src/analysis/sequentialDispersion.js'
import { initialSequentialState, judgeSequential, updateSequential } from '../../src/analysis/sequential.js'

/** Feeds `n` 10-s windows of `requests` per arm with the given bad counts. */
const feed = (d: DispersionState, n: number, requests: number, canaryBad: number, primaryBad: number): DispersionState => {
  let s = d
  for (let i = 0; i < n; i++) s = addDispersionWindow(s, requests, canaryBad, requests, primaryBad, 10_000)
  return s
}

describe('sequentialDispersion: the recent estimate (pod bursts)', () => {
  it('is 1 with steady counts, however long the run', () => {
    const d = feed(INITIAL_DISPERSION, 360, 1000, 10, 10)
    expect(recentDispersion(d)).toBe(1)
    expect(temperingExponent(d)).toBeCloseTo(1 / dispersionEstimate(d), 12)
  })

  it('jumps within the first windows of a burst in one arm and tempers the rest of it', () => {
    // 100 req/s per arm at 1%: 10 bad events per arm per 10 s; then the canary's rate doubles for a minute
    const before = feed(INITIAL_DISPERSION, 60, 1000, 10, 10)
    expect(temperingExponent(before)).toBeGreaterThan(0.9)
    // each burst window adds (20 - 10)^2 = 100 squares to recent sums holding about 3.5 windows (70 events) of
    // expected bad events, plus 20 pseudo events at 1
    const after = [1, 2, 3, 4].map((n) => feed(before, n, 1000, 20, 10))
    const phis = after.map(recentDispersion)
    expect(phis[0]).toBeGreaterThan(1.2)
    expect(phis[1]).toBeGreaterThan(1.8)
    expect(phis[2]).toBeGreaterThan(2.2)
    expect(phis[3]).toBeGreaterThan(2.4)
    // (the arm's rate average moves towards the burst's level, so the excess shrinks a little)
    expect(temperingExponent(after[3]!)).toBeLessThan(0.4)
    // the long-run estimate barely moves: it is the recent one that tempers
    expect(dispersionEstimate(after[3]!)).toBeLessThan(1.5)
  })

  it('forgets a burst within minutes (time constant 30 s), so a later regression is judged at full weight', () => {
    const burst = feed(feed(INITIAL_DISPERSION, 60, 1000, 10, 10), 6, 1000, 20, 10)
    // the rate average (5 min) still remembers the burst for a while, so a few more residuals come in
    const later = feed(burst, 30, 1000, 10, 10)
    expect(recentDispersion(later)).toBeLessThan(1.1)
  })

  it('at low traffic one window moves it little (pooled over expected events)', () => {
    // 10 req/s per arm at 1%: one expected bad event per arm-window; a window with 3 in one arm
    const before = feed(INITIAL_DISPERSION, 60, 100, 1, 1)
    const after = feed(before, 1, 100, 3, 1)
    expect(recentDispersion(after)).toBeLessThan(1 + 8 / RECENT_PRIOR_EVENTS)
  })

  it('a stored six-number state (before the recent estimate) still reads and judges, with a recent estimate of 1', () => {
    const six: DispersionState = [12.5, 30, 8, 900, 7, 880]
    expect(isDispersionState(six)).toBe(true)
    expect(recentDispersion(six)).toBe(1)
    const next = addDispersionWindow(six, 100, 1, 100, 1, 10_000)
    expect(next.length).toBe(8)
    const spec = { kind: 'sequential', alpha: 0.01, tolerance: 1.12, earlyPass: false, minBadEvents: 0 } as const
    const s0 = updateSequential(initialSequentialState(spec), { total: 1000, bad: 10 }, { total: 1000, bad: 10 }, 10_000)
    const old = { ...s0, ds: s0.ds.slice(0, 6) }
    const j = judgeSequential('errors', spec, old, {
      kind: 'counts',
      metric: 'errors',
      window: { from: 10_000, to: 20_000 },
      canary: { total: 1000, bad: 10 },
      primary: { total: 1000, bad: 10 },
    })
    expect(j.verdict).toBe('pass')
    expect(isDispersionState([1, 2, 3, 4, 5, 6, 7])).toBe(false)
  })
})
