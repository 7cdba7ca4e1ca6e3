/** Kayenta-style per-metric classification: classification tables, preprocessing, judge integration. */
import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import type { MannWhitneyJudgeSpec, MetricSpec } from '../../src/config/spec.js'
import type { PointsSample } from '../../src/model/observation.js'
import { classifyKayenta, judgeKayenta, type KayentaLabel } from '../../src/analysis/kayenta.js'
import { judgeSample, type Verdict } from '../../src/analysis/judge.js'
import { iqrFences, quantileSorted, removeOutliers } from '../../src/analysis/outliers.js'

const spec: MannWhitneyJudgeSpec = {
  kind: 'mannWhitney',
  confidence: 0.98,
  direction: 'increase',
  allowedIncrease: 1.1,
  allowedDecrease: 1,
  nanStrategy: 'remove',
  removeOutliers: false,
  critical: false,
  group: 'latency',
  minPoints: 10,
  tolerance: 0.25,
}
/** 30 points, 100..109 three times (ties within the arm). */
const primary = Array.from({ length: 30 }, (_, i) => 100 + (i % 10))
const scaled = (f: number): number[] => primary.map((v) => v * f)
const sample = (canary: readonly number[], prim: readonly number[] = primary): PointsSample => ({
  kind: 'points',
  metric: 'latency',
  window: { from: 0, to: 600_000 },
  canary,
  primary: prim,
})

interface Row {
  readonly name: string
  readonly over: Partial<MannWhitneyJudgeSpec>
  readonly canary: readonly number[]
  readonly primary?: readonly number[]
  readonly label: KayentaLabel
  readonly verdict: Verdict
  readonly message?: RegExp
}

const rows: Row[] = [
  { name: 'x1.5, increase is bad', over: {}, canary: scaled(1.5), label: 'High', verdict: 'fail', message: /higher than primary, mean ratio 1\.5 > allowed 1\.1/ },
  { name: 'x1.12 over the 1.10 allowance', over: {}, canary: scaled(1.12), label: 'High', verdict: 'fail', message: /mean ratio 1\.12 > allowed 1\.1 \(p = .* < 0\.02\)/ },
  { name: 'x1.12 within a 1.2 allowance', over: { allowedIncrease: 1.2 }, canary: scaled(1.12), label: 'Pass', verdict: 'pass', message: /tolerated: mean ratio 1\.12 <= allowed 1\.2/ },
  { name: 'x1.05 within the 1.10 allowance', over: {}, canary: scaled(1.05), label: 'Pass', verdict: 'pass', message: /tolerated/ },
  { name: 'x1.05 without allowance', over: { allowedIncrease: 1 }, canary: scaled(1.05), label: 'High', verdict: 'fail' },
  // x1.05: estimate ~5.2, 98% CI lower ~3.2: clears 0.25 x 5.2 = 1.3 but not 0.9 x 5.2 = 4.7.
  { name: 'x1.05, interval does not clear tolerance 0.9 x |shift|', over: { allowedIncrease: 1, tolerance: 0.9 }, canary: scaled(1.05), label: 'Pass', verdict: 'pass', message: /within tolerance: interval lower bound .* does not clear 0\.9 x \|shift\|/ },
  { name: '+0.5: not significant', over: {}, canary: primary.map((v) => v + 0.5), label: 'Pass', verdict: 'pass', message: /no significant difference.*p = .* >= 0\.02/ },
  { name: 'x0.8 but only increases are bad', over: {}, canary: scaled(0.8), label: 'Pass', verdict: 'pass', message: /only increases fail/ },
  { name: 'x0.8, decrease is bad', over: { direction: 'decrease' }, canary: scaled(0.8), label: 'Low', verdict: 'fail', message: /lower than primary, mean ratio 0\.8 < allowed 1/ },
  { name: 'x0.8 within a 0.75 decrease allowance', over: { direction: 'decrease', allowedDecrease: 0.75 }, canary: scaled(0.8), label: 'Pass', verdict: 'pass' },
  { name: 'x0.8, either direction is bad', over: { direction: 'either' }, canary: scaled(0.8), label: 'Low', verdict: 'fail' },
  { name: 'x1.5, decrease is bad: an increase passes', over: { direction: 'decrease' }, canary: scaled(1.5), label: 'Pass', verdict: 'pass', message: /only decreases fail/ },
  { name: 'identical points', over: {}, canary: [...primary].reverse(), label: 'Pass', verdict: 'pass', message: /identical/ },
  { name: 'a single value across both arms', over: {}, canary: new Array(12).fill(7), primary: new Array(15).fill(7), label: 'Pass', verdict: 'pass', message: /every point is 7/ },
  // Constant but different arms: a finite tie-corrected test, no noise needed (Kayenta adds Gaussian noise).
  { name: 'constant arms 2 vs 1', over: { allowedIncrease: 1.5 }, canary: new Array(20).fill(2), primary: new Array(20).fill(1), label: 'High', verdict: 'fail', message: /mean ratio 2 > allowed 1\.5/ },
  { name: 'too few points', over: {}, canary: scaled(1.5).slice(0, 9), label: 'NoData', verdict: 'inconclusive', message: /canary has 9 usable points < minPoints 10/ },
  { name: 'no points at all', over: {}, canary: [], primary: [], label: 'NoData', verdict: 'noData' },
  // Primary mean 0: no ratio, so the allowance cannot tolerate; the interval decides.
  { name: 'primary mean 0: ratio n/a', over: { allowedIncrease: 100 }, canary: Array.from({ length: 21 }, (_, i) => i - 10 + 30), primary: Array.from({ length: 21 }, (_, i) => i - 10), label: 'High', verdict: 'fail', message: /mean ratio n\/a/ },
  { name: 'invalid confidence', over: { confidence: 1.5 }, canary: scaled(1.5), label: 'Error', verdict: 'error', message: /confidence must be in \(0, 1\)/ },
]

describe('classifyKayenta: classification table', () => {
  for (const r of rows) {
    it(r.name, () => {
      const s = { ...spec, ...r.over }
      const c = classifyKayenta('latency', s, r.canary, r.primary ?? primary)
      expect(c.label).toBe(r.label)
      expect(c.metric).toBe('latency')
      expect(c.reason.metric).toBe('latency')
      if (r.message) expect(c.reason.message).toMatch(r.message)
      expect(judgeKayenta('latency', s, sample(r.canary, r.primary ?? primary)).verdict).toBe(r.verdict)
    })
  }

  it('reasons of a failure name the observed ratio, the allowance and the interval', () => {
    const c = classifyKayenta('latency', spec, scaled(1.12), primary)
    expect(c.reason.code).toBe('metricFailed')
    expect(c.reason.observed).toBeCloseTo(1.12, 12)
    expect(c.reason.bound).toBe(1.1)
    expect(c.reason.message).toMatch(/^latency: canary \+12\.\d+ \(HL shift, 98% CI \d+\.?\d*\.\.\d+\.?\d*\) higher than primary/)
    expect(c.stats?.lower).toBeGreaterThan(c.stats?.toleranceBound ?? Infinity)
    expect(c.stats?.pValue).toBeLessThan(0.02)
    expect(JSON.parse(JSON.stringify(c))).toEqual(c) // plain JSON
  })
})

describe('classifyKayenta: preprocessing', () => {
  it('NaN strategy: remove drops NaN points, replace turns them into 0', () => {
    const canary = [...scaled(1.5).slice(0, 5), ...new Array(25).fill(Number.NaN)]
    const removed = classifyKayenta('latency', { ...spec, minPoints: 15 }, canary, primary)
    expect(removed.label).toBe('NoData')
    expect(removed.reason.message).toMatch(/canary has 5 usable points < minPoints 15/)
    // replace: 5 points at 150..156 and 25 zeros; with direction 'either' the zeros make the canary Low.
    const replaced = classifyKayenta('latency', { ...spec, minPoints: 15, nanStrategy: 'replace', direction: 'either' }, canary, primary)
    expect(replaced.stats?.nCanary).toBe(30)
    expect(replaced.stats?.removedCanary).toBe(0)
    expect(replaced.stats?.meanCanary).toBeCloseTo((150 + 151.5 + 153 + 154.5 + 156) / 30, 9)
    expect(replaced.label).toBe('Low')
  })
  it('+-Infinity points are always dropped and counted as removed', () => {
    const c = classifyKayenta('latency', spec, [...scaled(1.5), Infinity, -Infinity], primary)
    expect(c.label).toBe('High')
    expect(c.stats?.removedCanary).toBe(2)
  })
  it('IQR outlier removal (factor 3) keeps a huge spike from inflating the mean ratio', () => {
    // canary = primary x 1.05 (tolerated by the 1.1 allowance) plus 3 spikes at 1e5.
    const canary = [...scaled(1.05), 1e5, 1e5, 1e5]
    const kept = classifyKayenta('latency', spec, canary, primary)
    expect(kept.label).toBe('High') // mean ratio ~ 100 with the spikes
    const cleaned = classifyKayenta('latency', { ...spec, removeOutliers: true }, canary, primary)
    expect(cleaned.label).toBe('Pass')
    expect(cleaned.stats?.removedCanary).toBe(3)
    expect(cleaned.stats?.ratio).toBeCloseTo(1.05, 9)
  })
  it('never throws and always names the metric, whatever the points', () => {
    const arm = fc.array(fc.oneof(fc.double(), fc.integer({ min: -3, max: 3 })), { maxLength: 40 })
    fc.assert(
      fc.property(
        arm,
        arm,
        fc.record({
          direction: fc.constantFrom<MannWhitneyJudgeSpec['direction']>('increase', 'decrease', 'either'),
          nanStrategy: fc.constantFrom<MannWhitneyJudgeSpec['nanStrategy']>('remove', 'replace'),
          removeOutliers: fc.boolean(),
          critical: fc.boolean(),
          minPoints: fc.integer({ min: 0, max: 12 }),
        }),
        (c, p, over) => {
          const s = { ...spec, ...over }
          const k = classifyKayenta('m', s, c, p)
          expect(['Pass', 'High', 'Low', 'NoData']).toContain(k.label)
          expect(k.reason.metric).toBe('m')
          expect(k.reason.message.startsWith('m: ')).toBe(true)
          const j = judgeKayenta('m', s, sample(c, p))
          expect(j.judgeState).toBeNull()
          if (j.final !== undefined) expect(j.final === 'fail' && s.critical && j.verdict === 'fail').toBe(true)
        },
      ),
      { numRuns: 300 },
    )
  })
})

describe('outliers', () => {
  it('linear-interpolation quartiles and Tukey fences', () => {
    expect(quantileSorted([1, 2, 3, 4], 0.25)).toBe(1.75)
    expect(quantileSorted([], 0.5)).toBeNaN()
    // Q1 = 2, Q3 = 4, IQR = 2: fences [2 - 6, 4 + 6] = [-4, 10]
    expect(iqrFences([1, 2, 3, 4, 100], 3)).toEqual({ lower: -4, upper: 10 })
    expect(removeOutliers([1, 2, 3, 4, 100], 3)).toEqual([1, 2, 3, 4])
    expect(removeOutliers([10, -4, 2, 3, 4, 1], 3)).toEqual([10, -4, 2, 3, 4, 1]) // bounds kept, order kept
    expect(iqrFences([Number.NaN], 3)).toBeNull()
    // Kayenta's widening to the 1st / 99th percentiles never narrows.
    const xs = Array.from({ length: 200 }, (_, i) => (i % 7 === 0 ? 1000 + i : i % 13))
    const plain = iqrFences(xs, 0.1) as { lower: number; upper: number }
    const wide = iqrFences(xs, 0.1, true) as { lower: number; upper: number }
    expect(wide.lower).toBeLessThanOrEqual(plain.lower)
    expect(wide.upper).toBeGreaterThanOrEqual(plain.upper)
  })
})

describe('judgeSample integration', () => {
  const metric: MetricSpec = { name: 'latency', windowMs: 600_000, sample: 'points', judge: spec, background: true, dryRun: false }
  it('dispatches mannWhitney metrics to the Kayenta judge, stateless per window', () => {
    const fail = judgeSample(metric, null, sample(scaled(1.12)))
    expect(fail.verdict).toBe('fail')
    expect(fail.final).toBeUndefined()
    expect(fail.judgeState).toBeNull()
    expect(fail.reason.message).toMatch(/^latency: canary \+12\.\d+ \(HL shift, 98% CI .*\) higher than primary, mean ratio 1\.12 > allowed 1\.1 \(p = .* < 0\.02\)$/)
    expect(judgeSample(metric, null, sample(scaled(1.05))).verdict).toBe('pass')
    expect(judgeSample(metric, null, { kind: 'noData', metric: 'latency', window: { from: 0, to: 1 } }).verdict).toBe('noData')
    const wrong = judgeSample(metric, null, { kind: 'value', metric: 'latency', window: { from: 0, to: 1 }, value: 3 })
    expect(wrong.verdict).toBe('error')
    expect(wrong.reason.message).toMatch(/expected a points sample, got value/)
  })
  it('a critical failure is final', () => {
    const critical: MetricSpec = { ...metric, judge: { ...spec, critical: true } }
    const j = judgeSample(critical, null, sample(scaled(1.5)))
    expect(j.verdict).toBe('fail')
    expect(j.final).toBe('fail')
    expect(j.reason.message).toMatch(/\(critical\)/)
  })
})
