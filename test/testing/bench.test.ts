import { describe, expect, it } from 'vitest'
import { floorStep } from '../../bench/floor.js'
import { argo, flagger, kayenta, sequential } from '../../bench/methods.js'
import { SCENARIOS, nominalCanaryRate } from '../../bench/scenarios.js'
import { sprtFloor } from '../../bench/sprt.js'
import { quantile, wilson } from '../../bench/stats.js'
import type { Stream } from '../../bench/stream.js'
import { makeStream } from '../../bench/stream.js'
import { barChart, lineChart } from '../../bench/svg.js'

describe('bench building blocks', () => {
  it('the SPRT floor reproduces statistics.md section 3 (two-sample, equal split)', () => {
    expect(Math.round(sprtFloor(0.01, 0.015).requestsPerArm)).toBeGreaterThan(8250)
    expect(Math.round(sprtFloor(0.01, 0.015).requestsPerArm)).toBeLessThan(8350)
    expect(Math.round(sprtFloor(0.01, 0.02).requestsPerArm)).toBeGreaterThan(2430)
    expect(Math.round(sprtFloor(0.01, 0.02).requestsPerArm)).toBeLessThan(2490)
    expect(Math.round(sprtFloor(0.01, 0.05).requestsPerArm)).toBeGreaterThan(280)
    expect(Math.round(sprtFloor(0.01, 0.05).requestsPerArm)).toBeLessThan(295)
    expect(sprtFloor(0.01, 0.02).badEvents).toBeCloseTo(73.8, 0)
  })
  it('latency scenarios map to the share above the 404-ms boundary (1.51% at +10%, 4.94% at +50%)', () => {
    const rate = (id: string): number => nominalCanaryRate(SCENARIOS.find((s) => s.id === id)!)
    expect(rate('lat-0')).toBeCloseTo(0.01, 4)
    expect(rate('lat-10')).toBeCloseTo(0.0151, 3)
    expect(rate('lat-50')).toBeCloseTo(0.0494, 3)
  })
  it('quantiles treat Infinity as a censored run, Wilson intervals contain the estimate', () => {
    expect(quantile([1, 2, 3, 4], 0.5)).toBe(2.5)
    expect(quantile([1, Infinity, Infinity], 0.5)).toBe(Infinity)
    const [lo, hi] = wilson(10, 1000)
    expect(lo).toBeLessThan(0.01)
    expect(hi).toBeGreaterThan(0.01)
  })
  it('the methods decide on crafted streams', () => {
    const sc = SCENARIOS[0]!
    const base = makeStream(sc, 10, 1, 0)
    const slots = base.slots
    const make = (canaryRate: number): Stream => ({
      ...base,
      canaryTotal: new Int32Array(slots).fill(100),
      primaryTotal: new Int32Array(slots).fill(100),
      canaryBad: new Int32Array(slots).fill(canaryRate),
      primaryBad: new Int32Array(slots).fill(1),
    })
    const bad = make(20)
    const good = make(1)
    expect(flagger(bad, 'errors', 99)).toMatchObject({ type: 'rollback', atMs: 5 * 60_000 })
    expect(flagger(good, 'errors', 98)).toMatchObject({ type: 'promote', atMs: 5 * 60_000 })
    expect(argo(bad, 'errors', 0.985)).toMatchObject({ type: 'rollback', atMs: 3 * 60_000 })
    expect(argo(good, 'errors', 0.985)).toMatchObject({ type: 'promote', atMs: 10 * 60_000 })
    expect(kayenta(bad, 'errors', 0.98)).toMatchObject({ type: 'rollback', atMs: 10 * 60_000 })
    const seq = sequential(bad, { kind: 'sequential', alpha: 0.01, tolerance: 1.1, earlyPass: false, minBadEvents: 0 })
    expect(seq.type).toBe('rollback')
    expect(seq.atMs).toBeLessThan(60_000)
    expect(seq.canaryRequests).toBe((seq.atMs / 10_000) * 100)
  })
  it('the floor reducer follows the threshold canary', () => {
    let s = { phase: 0, weight: 10, fails: 0, nextTickAt: 60_000, lastTo: 0 }
    for (let m = 1; m <= 5; m++) s = floorStep(s, m * 60_000, 99.5, m * 60_000).state
    expect(s.phase).toBe(1)
    let f = { phase: 0, weight: 10, fails: 0, nextTickAt: 60_000, lastTo: 0 }
    for (let m = 1; m <= 5; m++) f = floorStep(f, m * 60_000, 90, m * 60_000).state
    expect(f.phase).toBe(3)
  })
  it('charts are well-formed SVG', () => {
    const svg = lineChart({ title: 'a<b', xLabel: 'x', yLabel: 'y', series: [{ name: 's', points: [{ x: 1, y: 2, label: '1' }, { x: 2, y: 3 }] }] })
    expect(svg.startsWith('<svg')).toBe(true)
    expect(svg).toContain('a&lt;b')
    expect(svg).toContain('<polyline')
    const bars = barChart({ title: 't', yLabel: 'min', categories: ['a', 'b'], series: [{ name: 's', values: [1, Infinity] }], cap: 60 })
    expect(bars.match(/<rect /g)?.length).toBeGreaterThanOrEqual(4)
  })
})
