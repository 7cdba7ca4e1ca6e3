import { describe, expect, it } from 'vitest'
import type { Need } from '../../src/engine/decision.js'
import { createSimulator, exceedance } from '../../src/testing/simulator.js'

const MIN = 60_000

describe('createSimulator', () => {
  it('is deterministic: same seed and config, same windows; another seed differs', () => {
    const cfg = { traffic: { rate: 10 }, badRate: 0.01 }
    const a = createSimulator(cfg, 5)
    const b = createSimulator(cfg, 5)
    const c = createSimulator(cfg, 6)
    const wa = a.window(0, 10 * MIN)
    expect(b.window(0, 10 * MIN)).toEqual(wa)
    expect(c.window(0, 10 * MIN)).not.toEqual(wa)
  })

  it('gives the same slot counts whatever order windows are queried in', () => {
    const cfg = { traffic: { rate: 10 }, badRate: 0.02 }
    const a = createSimulator(cfg, 9)
    const b = createSimulator(cfg, 9)
    const whole = a.window(0, 5 * MIN)
    let total = 0
    let bad = 0
    for (let t = 0; t < 5 * MIN; t += 10_000) {
      const w = b.window(t, t + 10_000)
      total += w.canary.total
      bad += w.canary.bad
    }
    expect(total).toBe(whole.canary.total)
    expect(bad).toBe(whole.canary.bad)
    // re-querying a drawn window never redraws it
    expect(a.window(0, MIN)).toEqual(a.window(0, MIN))
  })

  it('draws Poisson traffic at the configured per-arm rate and the configured bad rate', () => {
    const sim = createSimulator({ traffic: { rate: 100 }, badRate: 0.01, diurnal: false, heterogeneity: false }, 1)
    const w = sim.window(0, 600 * MIN)
    const expected = 100 * 600 * 60
    expect(Math.abs(w.canary.total - expected) / expected).toBeLessThan(0.01)
    expect(Math.abs(w.primary.total - expected) / expected).toBeLessThan(0.01)
    expect(w.canary.bad / w.canary.total).toBeCloseTo(0.01, 3)
    // latency boundary = nominal p99: about 1% slow
    expect(w.primary.slow / w.primary.total).toBeCloseTo(0.01, 3)
    expect(sim.config.latencyBoundaryMs).toBeCloseTo(404.3, 0)
  })

  it('injects the regression at the given time on the canary only', () => {
    const sim = createSimulator(
      { traffic: { rate: 100 }, badRate: 0.01, diurnal: false, heterogeneity: false, regression: { at: 60 * MIN, badRateMultiplier: 5, latencyMultiplier: 1.5 } },
      2,
    )
    const before = sim.window(0, 60 * MIN)
    const after = sim.window(60 * MIN, 120 * MIN)
    expect(before.canary.bad / before.canary.total).toBeLessThan(0.012)
    expect(after.canary.bad / after.canary.total).toBeGreaterThan(0.045)
    expect(after.primary.bad / after.primary.total).toBeLessThan(0.012)
    // +50% latency puts ~4.94% of requests above the baseline p99
    expect(after.canary.slow / after.canary.total).toBeCloseTo(0.0494, 2)
    expect(exceedance(404.3 / 1.5, Math.log(100), 0.6, 0, 1)).toBeCloseTo(0.0494, 3)
  })

  it('a tail-only shift moves the p99 but barely the median', () => {
    const sim = createSimulator(
      { traffic: { rate: 100 }, badRate: 0.01, diurnal: false, heterogeneity: false, regression: { at: 0, tail: { fraction: 0.02, multiplier: 3 } } },
      3,
    )
    const p50c = sim.latencyQuantile('canary', 0, 30 * MIN, 0.5)
    const p50p = sim.latencyQuantile('primary', 0, 30 * MIN, 0.5)
    const p99c = sim.latencyQuantile('canary', 0, 30 * MIN, 0.99)
    const p99p = sim.latencyQuantile('primary', 0, 30 * MIN, 0.99)
    expect(p50c / p50p).toBeLessThan(1.05)
    // 2% of requests 3x slower: mixture p99 ≈ 456 ms vs 404 ms
    expect(p99c / p99p).toBeGreaterThan(1.08)
    expect(p99p).toBeGreaterThan(390)
    expect(p99p).toBeLessThan(420)
  })

  it('the empirical quantile is stable per window and NaN for empty windows', () => {
    const sim = createSimulator({ traffic: { rate: 10, split: 'weighted' }, badRate: 0.01 }, 4)
    expect(Number.isNaN(sim.latencyQuantile('canary', 0, MIN, 0.99))).toBe(true) // weight 0 => no canary traffic
    sim.window(MIN, 2 * MIN, 50)
    const q = sim.latencyQuantile('canary', MIN, 2 * MIN, 0.99)
    expect(q).toBeGreaterThan(0)
    expect(sim.latencyQuantile('canary', MIN, 2 * MIN, 0.99)).toBe(q)
  })

  it('weighted split follows the canary weight', () => {
    const sim = createSimulator({ traffic: { rate: 100, split: 'weighted' }, badRate: 0.01, diurnal: false }, 5)
    const w0 = sim.window(0, 10 * MIN, 0)
    const w20 = sim.window(10 * MIN, 20 * MIN, 20)
    expect(w0.canary.total).toBe(0)
    expect(w20.canary.total / (w20.canary.total + w20.primary.total)).toBeCloseTo(0.2, 1)
  })

  it('heterogeneity makes the arms differ persistently; without it they agree', () => {
    const ratio = (het: boolean, seed: number): number => {
      const sim = createSimulator({ traffic: { rate: 100 }, badRate: 0.05, diurnal: false, heterogeneity: het ? {} : false }, seed)
      const w = sim.window(0, 600 * MIN)
      return w.canary.bad / w.canary.total / (w.primary.bad / w.primary.total)
    }
    const spread = (het: boolean): number => {
      const rs = Array.from({ length: 30 }, (_, i) => Math.log(ratio(het, 100 + i)))
      const m = rs.reduce((a, b) => a + b, 0) / rs.length
      return Math.sqrt(rs.reduce((a, b) => a + (b - m) ** 2, 0) / (rs.length - 1))
    }
    // log-ratio SD ≈ sqrt(2) x 5% = 7% with heterogeneity; ~1% from sampling noise alone
    expect(spread(true)).toBeGreaterThan(0.04)
    expect(spread(false)).toBeLessThan(0.025)
  })

  it('the diurnal swing changes the traffic rate over a day', () => {
    const sim = createSimulator({ traffic: { rate: 10 }, badRate: 0.01, diurnal: { amplitude: 0.3, phase: 0 }, heterogeneity: false }, 6)
    const hour = 60 * MIN
    const peak = sim.window(5 * hour, 7 * hour) // sin peaks at 6 h
    const trough = sim.window(17 * hour, 19 * hour) // sin is lowest at 18 h
    expect(peak.canary.total / trough.canary.total).toBeGreaterThan(1.6)
  })

  it('answers metric needs with samples of the asked kind', () => {
    const sim = createSimulator({ traffic: { rate: 10 }, badRate: 0.01, regression: { at: 0, badRateMultiplier: 2 } }, 7)
    const w = { from: 0, to: 10 * MIN }
    const needs: Need[] = [
      { kind: 'metric', metric: 'request-success-rate', window: w, sample: 'value' },
      { kind: 'metric', metric: 'errors', window: w, sample: 'counts' },
      { kind: 'metric', metric: 'errors', window: w, sample: 'points' },
      { kind: 'metric', metric: 'latency', window: w, sample: 'value' },
      { kind: 'metric', metric: 'latency', window: w, sample: 'counts' },
      { kind: 'metric', metric: 'nope', window: w, sample: 'value' },
      { kind: 'gate', gate: 'g', type: 'confirm-rollout' },
      { kind: 'readiness' },
    ]
    const s = sim.answer(needs, 10 * MIN)
    expect(s.map((x) => x.kind)).toEqual(['value', 'counts', 'points', 'value', 'counts', 'noData'])
    const stats = sim.window(0, 10 * MIN)
    const sr = s[0]
    expect(sr?.kind === 'value' && sr.value).toBeCloseTo((100 * (stats.canary.total - stats.canary.bad)) / stats.canary.total, 9)
    const counts = s[1]
    expect(counts?.kind === 'counts' && counts.canary).toEqual({ total: stats.canary.total, bad: stats.canary.bad })
    const points = s[2]
    expect(points?.kind === 'points' && points.canary.length).toBe(10)
    const lat = s[4]
    expect(lat?.kind === 'counts' && lat.primary.bad).toBe(stats.primary.slow)
    for (const x of s) expect(x.window).toEqual(w)
  })

  it('clips windows at `at` and answers noData for empty or future windows', () => {
    const sim = createSimulator({ traffic: { rate: 1, split: 'weighted' }, badRate: 0.01 }, 8)
    const [empty] = sim.answer([{ kind: 'metric', metric: 'request-success-rate', window: { from: 0, to: MIN }, sample: 'value' }], MIN, 0)
    expect(empty?.kind).toBe('noData')
    const [future] = sim.answer([{ kind: 'metric', metric: 'errors', window: { from: 2 * MIN, to: 3 * MIN }, sample: 'counts' }], MIN)
    expect(future?.kind).toBe('noData')
    const [clipped] = sim.answer([{ kind: 'metric', metric: 'errors', window: { from: 0, to: 3 * MIN }, sample: 'counts' }], 2 * MIN, 50)
    expect(clipped?.window).toEqual({ from: 0, to: 2 * MIN })
  })

  it('histograms are cumulative and end at the window total', () => {
    const sim = createSimulator({ traffic: { rate: 50 }, badRate: 0.01 }, 9)
    const h = sim.histogram('primary', 0, 5 * MIN, [50, 100, 250, 500, 1000])
    const total = sim.window(0, 5 * MIN).primary.total
    expect(h.length).toBe(6)
    expect(h[5]).toBe(total)
    for (let i = 1; i < h.length; i++) expect((h[i] ?? 0) >= (h[i - 1] ?? 0)).toBe(true)
    expect((h[1] ?? 0) / total).toBeGreaterThan(0.4) // median 100 ms
    expect((h[1] ?? 0) / total).toBeLessThan(0.6)
  })
})
