/**
 * Calibration of the sequential test with fixed seeds: simulated rollouts checked at EVERY window, the canary's
 * share of traffic changing from window to window (uniform in 0.05..0.5). Per-window binomial draws.
 */
import { describe, expect, it } from 'vitest'
import type { SequentialJudgeSpec } from '../../src/config/spec.js'
import { initialSequentialState, judgeSequential, updateSequential, type SequentialState } from '../../src/analysis/sequential.js'
import { DEFAULT_COMPILED, logEValue } from '../../src/analysis/sequentialGrid.js'
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
  canaryRate: number,
  primaryRate: number,
  volume: number,
): Outcome => {
  const rng = makePrng(seed)
  const spec: SequentialJudgeSpec = { kind: 'sequential', alpha: ALPHA, tolerance, earlyPass: true, minBadEvents: 0 }
  const threshold = Math.log(1 / ALPHA)
  let s: SequentialState = initialSequentialState(spec)
  let passedAt: number | null = null
  for (let w = 0; w < WINDOWS; w++) {
    const q = 0.05 + 0.45 * rng.uniform()
    const ct = rng.binomial(volume, q)
    const pt = volume - ct
    s = updateSequential(s, { total: ct, bad: rng.binomial(ct, canaryRate) }, { total: pt, bad: rng.binomial(pt, primaryRate) })
    // the judge's two decisions (see judgeSequential): rollback / early pass when an e-value reaches 1/alpha
    if (logEValue(DEFAULT_COMPILED, s.llr, DEFAULT_COMPILED.nullIndex, 'up') >= threshold) return { failedAt: w, passedAt }
    if (passedAt === null && logEValue(DEFAULT_COMPILED, s.llr, DEFAULT_COMPILED.nullIndex, 'down') >= threshold) passedAt = w
  }
  return { failedAt: null, passedAt }
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
        s = updateSequential(s, canary, primary)
        const j = judgeSequential('errors', spec, judgeState, { kind: 'counts', metric: 'errors', window: { from: w, to: w + 1 }, canary, primary })
        judgeState = j.judgeState
        const fail = logEValue(DEFAULT_COMPILED, s.llr, DEFAULT_COMPILED.nullIndex, 'up') >= Math.log(1 / ALPHA)
        const pass = !fail && logEValue(DEFAULT_COMPILED, s.llr, DEFAULT_COMPILED.nullIndex, 'down') >= Math.log(1 / ALPHA)
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
