/**
 * Calibration of the sequential test, seconds-scale for CI (the full version, 2,000 runs per cell at alpha 0.01,
 * is bench/sequential-calibration.ts): fixed seeds, simulated rollouts checked at EVERY window, the canary's
 * share of traffic changing from window to window (test/analysis/sequentialSim.ts). The null cells run at alpha
 * 0.1 as well as 0.01: the e-process crosses far below its Ville bound (about 1% at alpha 0.1), so besides the
 * bound each alpha-0.1 cell has a regression guard at 3.5%: a few hundred runs then catch an e-process that
 * crosses several times as often as this one, which the bound alone would not.
 */
import { describe, expect, it } from 'vitest'
import type { SequentialJudgeSpec } from '../../src/config/spec.js'
import { initialSequentialState, judgeSequential, summariseSequential, updateSequential, type SequentialState } from '../../src/analysis/sequential.js'
import { makePrng } from '../helpers/prng.js'
import { rates, simulateRun } from './sequentialSim.js'

const ALPHA = 0.01
/** alpha + 3 standard errors of a rate measured over `runs` runs. */
const margin = (alpha: number, runs: number): number => alpha + 3 * Math.sqrt((alpha * (1 - alpha)) / runs)

describe('sequential calibration (seeded runs, checked every window)', () => {
  it('equal rates at tolerance 1 (the least favourable null), alpha 0.1: false rollbacks <= alpha + 3 SD (600 runs)', () => {
    const r = rates(10_000, 600, (seed) => simulateRun(seed, 1, 0.01, 0.01, 2000, { alpha: 0.1 }))
    expect(r.fails / 600).toBeLessThanOrEqual(margin(0.1, 600))
    // regression guard: measured 0.83% here, 0.95% over 2,000 runs (bench/sequential-calibration.ts)
    expect(r.fails / 600).toBeLessThanOrEqual(0.035)
  })

  it('canary rate exactly tolerance x primary, alpha 0.1: false rollbacks and false early passes <= alpha + 3 SD (600 runs)', () => {
    const r = rates(20_000, 600, (seed) => simulateRun(seed, 1.12, 0.0112, 0.01, 2000, { alpha: 0.1 }))
    expect(r.fails / 600).toBeLessThanOrEqual(margin(0.1, 600))
    expect(r.passes / 600).toBeLessThanOrEqual(margin(0.1, 600))
    // regression guards: measured 0.83% false rollbacks and 1.8% false early passes
    expect(r.fails / 600).toBeLessThanOrEqual(0.035)
    expect(r.passes / 600).toBeLessThanOrEqual(0.05)
  })

  it('equal rates at tolerance 1, alpha 0.01: false rollbacks <= alpha + 3 SD (500 runs)', () => {
    const r = rates(15_000, 500, (seed) => simulateRun(seed, 1, 0.01, 0.01, 2000))
    expect(r.fails / 500).toBeLessThanOrEqual(margin(ALPHA, 500))
  })

  it('equal rates at the default tolerance: (almost) never rolls back, and mostly passes early', () => {
    const r = rates(30_000, 500, (seed) => simulateRun(seed, 1.12, 0.01, 0.01, 2000))
    expect(r.fails / 500).toBeLessThanOrEqual(0.004)
    expect(r.passes / 500).toBeGreaterThan(0.5)
  })

  it('a clear regression (1% -> 5%) at 200 requests per window is caught in >= 95% of runs, mostly within minutes', () => {
    const r = rates(40_000, 400, (seed) => simulateRun(seed, 1.12, 0.05, 0.01, 200))
    expect(r.fails / 400).toBeGreaterThanOrEqual(0.95)
    const at = [...r.failedAt].sort((a, b) => a - b)
    // median detection within 30 windows (5 minutes of 10 s windows)
    expect(at[Math.floor(at.length / 2)]).toBeLessThanOrEqual(30)
  })

  it('retried-error clusters (mean size 3, all in one arm), equal split: false rollbacks stay near alpha (tempering and clustering-aware counting)', () => {
    // measured 1.5% over these 600 runs (2.8% with the per-arm long-run dispersion estimate before; the judge as
    // shipped before: about 27%); dependent errors are outside the
    // model, so this is a regression guard on the measured robustness, not the alpha guarantee (docs/sequential.md)
    const r = rates(60_000, 600, (seed) => simulateRun(seed, 1.12, 0.01, 0.01, 200, { cluster: true, share: 0.5 }))
    expect(r.fails / 600).toBeLessThanOrEqual(0.025)
  })

  it('a regression that starts after 20 minutes (1% -> 5%) is caught within minutes of its onset (the e-detector)', () => {
    const after: number[] = []
    for (let r = 0; r < 300; r++) {
      const o = simulateRun(70_000 + r, 1.12, 0.05, 0.01, 200, { onset: 120 })
      if (o.failedAt !== null && o.failedAt >= 120) after.push(o.failedAt - 120)
    }
    expect(after.length / 300).toBeGreaterThanOrEqual(0.95)
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
        expect(j.judgeState).toEqual(s)
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
