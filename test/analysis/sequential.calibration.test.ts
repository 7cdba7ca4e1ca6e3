/**
 * Calibration of the sequential test with fixed seeds: simulated rollouts checked at EVERY window, the canary's
 * share of traffic changing from window to window (uniform in 0.05..0.5). Per-window binomial draws.
 */
import { describe, expect, it } from 'vitest'
import type { SequentialJudgeSpec } from '../../src/config/spec.js'
import { initialSequentialState, judgeSequential, summariseSequential, updateSequential, type SequentialState } from '../../src/analysis/sequential.js'
import { makePrng } from '../helpers/prng.js'

const ALPHA = 0.01
const RUNS = 2000
const WINDOWS = 360

interface Outcome {
  readonly failedAt: number | null
  readonly passedAt: number | null
}

/** One rollout: `volume` requests per window split by a random share q; bad-event rates per arm. */
const simulate = (
  seed: number,
  tolerance: number,
  canaryRateIn: number,
  primaryRate: number,
  volume: number,
  options: { readonly cluster?: boolean; readonly onset?: number; readonly share?: number } = {},
): Outcome => {
  const cluster = options.cluster ?? false
  const onset = options.onset
  const lateRate = canaryRateIn
  let canaryRate = canaryRateIn
  const rng = makePrng(seed)
  const spec: SequentialJudgeSpec = { kind: 'sequential', alpha: ALPHA, tolerance, earlyPass: true, minBadEvents: 0 }
  let s: SequentialState = initialSequentialState(spec)
  let passedAt: number | null = null
  for (let w = 0; w < WINDOWS; w++) {
    if (onset !== undefined && w < onset) canaryRate = primaryRate
    else if (onset !== undefined) canaryRate = lateRate
    const q = options.share ?? 0.05 + 0.45 * rng.uniform()
    const ct = rng.binomial(volume, q)
    const pt = volume - ct
    const bad = (n: number, p: number): number => (cluster ? clustered(rng, n, p) : rng.binomial(n, p))
    s = updateSequential(s, { total: ct, bad: bad(ct, canaryRate) }, { total: pt, bad: bad(pt, primaryRate) }, 10_000)
    // the judge's two decisions (see judgeSequential): rollback / early pass when an e-value reaches 1/alpha
    const sum = summariseSequential(ALPHA, s)
    if (sum.eValue >= 1 / ALPHA) return { failedAt: w, passedAt }
    if (passedAt === null && sum.eValuePass >= 1 / ALPHA) passedAt = w
  }
  return { failedAt: null, passedAt }
}

/** Bad events of `n` requests at rate p in clusters: starts at rate p / 3, sizes 1 + Geometric (mean 3). */
const clustered = (rng: ReturnType<typeof makePrng>, n: number, p: number): number => {
  let bad = 0
  const starts = rng.binomial(n, p / 3)
  for (let i = 0; i < starts; i++) {
    let size = 1
    while (rng.uniform() >= 1 / 3) size++
    bad += size
  }
  return Math.min(bad, n)
}

const margin = ALPHA + 3 * Math.sqrt((ALPHA * (1 - ALPHA)) / RUNS)

describe('sequential calibration (2,000 seeded runs per cell, checked every window)', () => {
  it('equal rates at tolerance 1 (the least favourable null): false rollbacks <= alpha + 3 SD', () => {
    let fails = 0
    for (let r = 0; r < RUNS; r++) if (simulate(10_000 + r, 1, 0.01, 0.01, 2000).failedAt !== null) fails++
    expect(fails / RUNS).toBeLessThanOrEqual(margin)
  })

  it('canary rate exactly tolerance x primary (default tolerance): false rollbacks and false early passes <= alpha + 3 SD', () => {
    let fails = 0
    let passes = 0
    for (let r = 0; r < RUNS; r++) {
      const o = simulate(20_000 + r, 1.12, 0.0112, 0.01, 2000)
      if (o.failedAt !== null) fails++
      if (o.passedAt !== null) passes++
    }
    expect(fails / RUNS).toBeLessThanOrEqual(margin)
    expect(passes / RUNS).toBeLessThanOrEqual(margin)
  })

  it('equal rates at the default tolerance: (almost) never rolls back, and mostly passes early', () => {
    let fails = 0
    let passes = 0
    for (let r = 0; r < RUNS; r++) {
      const o = simulate(30_000 + r, 1.12, 0.01, 0.01, 2000)
      if (o.failedAt !== null) fails++
      if (o.passedAt !== null) passes++
    }
    expect(fails / RUNS).toBeLessThanOrEqual(0.002)
    expect(passes / RUNS).toBeGreaterThan(0.5)
  })

  it('a clear regression (1% -> 5%) at 200 requests per window is caught in >= 95% of runs, mostly within minutes', () => {
    const at: number[] = []
    for (let r = 0; r < RUNS; r++) {
      const o = simulate(40_000 + r, 1.12, 0.05, 0.01, 200)
      if (o.failedAt !== null) at.push(o.failedAt)
    }
    expect(at.length / RUNS).toBeGreaterThanOrEqual(0.95)
    at.sort((a, b) => a - b)
    // median detection within 30 windows (5 minutes of 10 s windows)
    expect(at[Math.floor(at.length / 2)]).toBeLessThanOrEqual(30)
  })

  it('retried-error clusters (mean size 3, all in one arm), equal split: false rollbacks stay near alpha (tempering and clustering-aware counting)', () => {
    // measured 2.1% (the judge as shipped before: about 27%); dependent errors are outside the model, so this is
    // a regression guard on the measured robustness, not the alpha guarantee (docs/sequential.md)
    let fails = 0
    for (let r = 0; r < 1000; r++) if (simulate(60_000 + r, 1.12, 0.01, 0.01, 200, { cluster: true, share: 0.5 }).failedAt !== null) fails++
    expect(fails / 1000).toBeLessThanOrEqual(0.03)
  })

  it('a regression that starts after 20 minutes (1% -> 5%) is caught within minutes of its onset (the e-detector)', () => {
    const after: number[] = []
    for (let r = 0; r < 500; r++) {
      const o = simulate(70_000 + r, 1.12, 0.05, 0.01, 200, { onset: 120 })
      if (o.failedAt !== null && o.failedAt >= 120) after.push(o.failedAt - 120)
    }
    expect(after.length / 500).toBeGreaterThanOrEqual(0.95)
    after.sort((a, b) => a - b)
    // median within 18 windows (3 minutes) of the onset
    expect(after[Math.floor(after.length / 2)]).toBeLessThanOrEqual(18)
  })

  it('the rule calibrated above is the one judgeSequential applies (same verdicts, window by window)', () => {
    // the runs above call the grid directly for speed; this ties them to the judge the engine ships
    let compared = 0
    let decided = 0
    for (let r = 0; r < 200; r++) {
      const rng = makePrng(50_000 + r)
      const tolerance = r % 2 === 0 ? 1.12 : 1
      const spec: SequentialJudgeSpec = { kind: 'sequential', alpha: ALPHA, tolerance, earlyPass: true, minBadEvents: 0 }
      const canaryRate = [0.01, 0.0112, 0.02, 0.005][r % 4] ?? 0.01
      let s: SequentialState = initialSequentialState(spec)
      let judgeState: unknown = null
      for (let w = 0; w < 120; w++) {
        const q = 0.05 + 0.45 * rng.uniform()
        const ct = rng.binomial(2000, q)
        const pt = 2000 - ct
        const canary = { total: ct, bad: rng.binomial(ct, canaryRate) }
        const primary = { total: pt, bad: rng.binomial(pt, 0.01) }
        s = updateSequential(s, canary, primary, 10_000)
        const j = judgeSequential('errors', spec, judgeState, { kind: 'counts', metric: 'errors', window: { from: w * 10_000, to: (w + 1) * 10_000 }, canary, primary })
        judgeState = j.judgeState
        const sum = summariseSequential(ALPHA, s)
        const fail = sum.eValue >= 1 / ALPHA
        const pass = !fail && sum.eValuePass >= 1 / ALPHA
        expect(j.verdict).toBe(fail ? 'fail' : 'pass')
        expect(j.final ?? null).toBe(fail ? 'fail' : pass ? 'pass' : null)
        compared++
        if (fail || pass) {
          decided++
          break
        }
      }
    }
    expect(compared).toBeGreaterThan(1000)
    expect(decided).toBeGreaterThan(50)
  })
})
