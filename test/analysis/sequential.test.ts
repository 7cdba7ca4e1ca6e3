import { describe, expect, it } from 'vitest'
import type { MetricSpec, SequentialJudgeSpec } from '../../src/config/spec.js'
import type { Counts, CountsSample, Sample } from '../../src/model/observation.js'
import { initialJudgeState, judgeSample } from '../../src/analysis/judge.js'
import {
  DEFAULT_TOLERANCE,
  initialSequentialState,
  judgeSequential,
  summariseSequential,
  windowExponent,
  updateSequential,
  type SequentialState,
} from '../../src/analysis/sequential.js'
import {
  addWindow,
  compileDesign,
  confidenceBounds,
  defaultCompiled,
  logEValue,
} from '../../src/analysis/sequentialGrid.js'
import { makePrng } from '../helpers/prng.js'
import { PI_START, startMass } from '../../src/analysis/sequentialDetector.js'

const spec: SequentialJudgeSpec = { kind: 'sequential', alpha: 0.01, tolerance: DEFAULT_TOLERANCE, earlyPass: false, minBadEvents: 0 }
const counts = (canary: Counts, primary: Counts, from = 0): CountsSample => ({
  kind: 'counts',
  metric: 'errors',
  window: { from, to: from + 10_000 },
  canary,
  primary,
})

describe('sequentialGrid: hand-computed e-values', () => {
  const two = compileDesign({ offsets: [0, Math.log(2)], upper: () => 1, lower: () => 1 })

  it('one alternative at rho = 2 against rho0 = 1: the likelihood ratio of the attributed events', () => {
    const l = [0, 0]
    // 3 canary events at q = 0.5: p(2) = 2/3 vs p(1) = 1/2 -> LR = (4/3)^3
    addWindow(two.offsets, 1, l, 3, 0, 0.5)
    expect(Math.exp(logEValue(two, l, 0, 'up'))).toBeCloseTo((4 / 3) ** 3, 12)
    // 2 primary events at q = 0.25: p(2) = 0.4 vs 0.25 -> LR for a primary event = 0.6 / 0.75
    addWindow(two.offsets, 1, l, 0, 2, 0.25)
    expect(Math.exp(logEValue(two, l, 0, 'up'))).toBeCloseTo((4 / 3) ** 3 * 0.8 ** 2, 12)
    // the same evidence read the other way: e-value against rho = 2 with the alternative 1 below it
    expect(Math.exp(logEValue(two, l, 1, 'down'))).toBeCloseTo(1 / ((4 / 3) ** 3 * 0.8 ** 2), 12)
  })

  it('windows without bad events, or with q = 0 or 1, carry no evidence', () => {
    const l = [0, 0]
    addWindow(two.offsets, 1, l, 0, 0, 0.3)
    addWindow(two.offsets, 1, l, 0, 5, 0)
    addWindow(two.offsets, 1, l, 4, 0, 1)
    expect(l[1]).toBeCloseTo(0, 12)
  })

  it('the default mixture equals sum_k w_k prod p_k^c (1-p_k)^b / p_0^c (1-p_0)^b, computed independently', () => {
    const windows: [number, number, number][] = [
      [5, 2, 0.1],
      [9, 4, 0.3],
      [1, 0, 0.5],
      [0, 3, 0.2],
    ]
    const llr = defaultCompiled().offsets.map(() => 0)
    for (const [c, b, q] of windows) addWindow(defaultCompiled().offsets, 1.12, llr, c, b, q)
    const j = defaultCompiled().nullIndex
    const p = (rho: number, q: number): number => (q * rho) / (q * rho + 1 - q)
    let expected = 0
    defaultCompiled().offsets.forEach((x, k) => {
      const w = defaultCompiled().up[j]?.[k] ?? 0
      if (w === 0) return
      let lr = 1
      for (const [c, b, q] of windows) {
        const pk = p(1.12 * Math.exp(x), q)
        const p0 = p(1.12, q)
        lr *= (pk / p0) ** c * ((1 - pk) / (1 - p0)) ** b
      }
      expected += w * lr
    })
    expect(Math.exp(logEValue(defaultCompiled(), llr, j, 'up'))).toBeCloseTo(expected, 9)
  })

  it('mixture weights are proper: every row sums to 1 (0 where there is no alternative)', () => {
    const n = defaultCompiled().offsets.length
    defaultCompiled().up.forEach((row, j) => {
      const s = row.reduce((a, b) => a + b, 0)
      expect(s).toBeCloseTo(j === n - 1 ? 0 : 1, 12)
      row.forEach((w, k) => expect(w === 0 || k > j).toBe(true))
    })
    defaultCompiled().down.forEach((row, j) => {
      const s = row.reduce((a, b) => a + b, 0)
      expect(s).toBeCloseTo(j === 0 ? 0 : 1, 12)
      row.forEach((w, k) => expect(w === 0 || k < j).toBe(true))
    })
    expect(defaultCompiled().offsets[defaultCompiled().nullIndex]).toBe(0)
  })

  it('bounds: none before any data; lower > 1 for a clear regression and upper at the grid\'s floor for a clear improvement', () => {
    expect(confidenceBounds(defaultCompiled(), 1.12, defaultCompiled().offsets.map(() => 0), 0.01)).toEqual({ lower: 0, upper: Infinity })
    const worse = defaultCompiled().offsets.map(() => 0)
    addWindow(defaultCompiled().offsets, 1.12, worse, 300, 100, 0.5)
    const bw = confidenceBounds(defaultCompiled(), 1.12, worse, 0.01)
    expect(bw.lower).toBeGreaterThan(1.5)
    expect(bw.upper).toBeGreaterThan(3)
    const better = defaultCompiled().offsets.map(() => 0)
    addWindow(defaultCompiled().offsets, 1.12, better, 100, 300, 0.5)
    const bb = confidenceBounds(defaultCompiled(), 1.12, better, 0.01)
    // the grid stops at tolerance / 1.21: the lowest upper bound it can show is tolerance x exp(-0.1)
    expect(bb.upper).toBeLessThanOrEqual(1.12 * Math.exp(-0.1) + 1e-9)
    expect(bb.lower).toBeLessThan(1)
  })
})

describe('updateSequential', () => {
  it('keeps totals and a Mantel-Haenszel estimate; stored log-likelihood ratios never exceed the exact ones', () => {
    const rng = makePrng(3)
    let s = initialSequentialState(spec)
    const exact = defaultCompiled().offsets.map(() => 0)
    for (let w = 0; w < 500; w++) {
      const ct = 1 + Math.floor(rng.uniform() * 500)
      const pt = 1 + Math.floor(rng.uniform() * 500)
      const c = { total: ct, bad: rng.binomial(ct, 0.02) }
      const p = { total: pt, bad: rng.binomial(pt, 0.02) }
      const a = windowExponent(s, c, p)
      s = updateSequential(s, c, p, 10_000)
      const w = defaultCompiled().offsets.map(() => 0)
      addWindow(defaultCompiled().offsets, spec.tolerance, w, c.bad, p.bad, ct / (ct + pt))
      // the exact recursion with the floor at -40 nats (see sequential.ts: the floor adds at most exp(-40) per window)
      w.forEach((x, k) => (exact[k] = Math.max(-40, (exact[k] ?? 0) + a * x)))
    }
    s.llr.forEach((stored, k) => {
      // hundredths of a nat, floored after each window
      const x = stored / 100
      const e = exact[k] ?? 0
      expect(x).toBeLessThanOrEqual(e + 1e-9)
      expect(x).toBeGreaterThan(e - 500 * 1e-2 - 1e-9)
    })
    expect(s.llr[defaultCompiled().nullIndex]).toBe(0)
  })

  it('equal shares: the relative risk is the ratio of bad counts (with the 0.25/0.25 correction)', () => {
    const s = updateSequential(initialSequentialState(spec), { total: 1000, bad: 30 }, { total: 1000, bad: 10 })
    expect(summariseSequential(0.01, s).relativeRisk).toBeCloseTo((15 + 0.25) / (5 + 0.25), 9)
    expect(summariseSequential(0.01, initialSequentialState(spec)).relativeRisk).toBe(1)
  })
})

describe('judgeSequential', () => {
  it('rolls back a clear regression with a reason naming metric, estimate, bounds, tolerance and e-value', () => {
    // one first window: its 66 bad events count as about 25.5 (the count cap before 100 bad events: e + sqrt(e) + 1
    // at e = 20 expected), so a 60 vs 10 split (e-value 79) waits a window and 60 vs 6 rolls back at once
    const j = judgeSequential('errors', spec, null, counts({ total: 1000, bad: 60 }, { total: 1000, bad: 6 }))
    expect(j.verdict).toBe('fail')
    expect(j.final).toBe('fail')
    expect(j.reason.code).toBe('metricFailed')
    expect(j.reason.metric).toBe('errors')
    expect(j.reason.bound).toBe(spec.tolerance)
    // the reason keeps four significant digits of the estimate, the details the full value
    expect(j.reason.observed).toBe(9.308)
    expect(j.reason.details?.['relativeRisk']).toBeCloseTo((60 * 0.5 + 0.25) / (6 * 0.5 + 0.25), 9)
    expect(j.reason.message).toMatch(
      /^errors: relative risk 9\.31 \(anytime 99% bounds \d+\.\d\d\.\.(\d+\.\d\d|inf)\) > tolerance 1\.12; e-value \S+ >= 100$/,
    )
    const d = j.reason.details ?? {}
    expect(d['eValue']).toBeGreaterThanOrEqual(100)
    expect(d['lower']).toBeGreaterThan(spec.tolerance)
    expect(d).toMatchObject({ canaryBad: 60, canaryTotal: 1000, primaryBad: 6, primaryTotal: 1000 })
  })

  it('passes the tick (no final) while the evidence is short of 1/alpha', () => {
    const j = judgeSequential('errors', spec, null, counts({ total: 1000, bad: 12 }, { total: 1000, bad: 10 }))
    expect(j.verdict).toBe('pass')
    expect(j.final).toBeUndefined()
    expect(j.reason.code).toBe('metricPassed')
    expect(j.reason.message).toMatch(/not shown above tolerance 1\.12; e-value \S+ < 100/)
    expect(j.reason.details?.['eValue']).toBeLessThan(100)
  })

  it('its rollback decision is exactly the e-detector value reaching 1/alpha', () => {
    const rng = makePrng(11)
    let state: unknown = null
    for (let w = 0; w < 400; w++) {
      const c = { total: 200, bad: rng.binomial(200, 0.015) }
      const p = { total: 200, bad: rng.binomial(200, 0.01) }
      const before = state === null ? initialSequentialState(spec) : (state as SequentialState)
      const after = updateSequential(before, c, p, 10_000)
      const e = summariseSequential(0.01, after).eValue
      const j = judgeSequential('errors', spec, state, counts(c, p, w * 10_000))
      expect(j.judgeState).toEqual(after)
      expect(j.verdict === 'fail').toBe(e >= 100)
      if (j.verdict === 'fail') return
      state = j.judgeState
    }
  })

  it('early pass: proves non-inferiority for equal rates at volume, only when enabled', () => {
    const rng = makePrng(5)
    for (const earlyPass of [true, false]) {
      const s = { ...spec, earlyPass }
      let state: unknown = initialSequentialState(s)
      let final: string | undefined
      let w = 0
      for (; w < 2000 && final === undefined; w++) {
        const j = judgeSequential('errors', s, state, counts({ total: 1000, bad: rng.binomial(1000, 0.01) }, { total: 1000, bad: rng.binomial(1000, 0.01) }))
        expect(j.verdict).toBe('pass')
        final = j.final
        state = j.judgeState
        if (final === 'pass') {
          expect(j.reason.code).toBe('analysisDecided')
          expect(j.reason.details?.['upper']).toBeLessThanOrEqual(s.tolerance)
          expect(j.reason.details?.['eValuePass']).toBeGreaterThanOrEqual(100)
          expect(j.reason.message).toMatch(/<= tolerance 1\.12 proven/)
        }
      }
      expect(final).toBe(earlyPass ? 'pass' : undefined)
    }
  })

  it('minBadEvents holds back decisions until that many bad events were seen', () => {
    const s = { ...spec, minBadEvents: 100 }
    const j = judgeSequential('errors', s, null, counts({ total: 1000, bad: 60 }, { total: 1000, bad: 10 }))
    expect(j.verdict).toBe('pass')
    const k = judgeSequential('errors', s, j.judgeState, counts({ total: 1000, bad: 60 }, { total: 1000, bad: 10 }))
    expect(k.verdict).toBe('fail')
  })

  const bad: [string, Counts, Counts][] = [
    ['notFinite', { total: NaN, bad: 0 }, { total: 10, bad: 0 }],
    ['notFinite', { total: 10, bad: 0 }, { total: Infinity, bad: 0 }],
    ['negative', { total: 10, bad: -1 }, { total: 10, bad: 0 }],
    ['notInteger', { total: 10, bad: 0.5 }, { total: 10, bad: 0 }],
    ['badAboveTotal', { total: 10, bad: 11 }, { total: 10, bad: 0 }],
    ['badAboveTotal', { total: 10, bad: 1 }, { total: 3, bad: 4 }],
  ]
  it.each(bad)('bad input (%s) gives error, a typed reason and the state unchanged', (problem, c, p) => {
    const state = updateSequential(initialSequentialState(spec), { total: 100, bad: 2 }, { total: 100, bad: 1 })
    const j = judgeSequential('errors', spec, state, counts(c, p))
    expect(j.verdict).toBe('error')
    expect(j.final).toBeUndefined()
    expect(j.judgeState).toBe(state)
    expect(j.reason.code).toBe('metricError')
    expect(j.reason.details?.['problem']).toBe(problem)
    expect(j.reason.message).toMatch(/^errors: (canary|primary)\.(total|bad) = /)
  })

  it('zero traffic in both arms is noData, state unchanged', () => {
    const state = initialSequentialState(spec)
    const j = judgeSequential('errors', spec, state, counts({ total: 0, bad: 0 }, { total: 0, bad: 0 }))
    expect(j.verdict).toBe('noData')
    expect(j.judgeState).toBe(state)
    expect(j.reason.details?.['problem']).toBe('noTraffic')
  })

  it('a malformed state, a changed tolerance, a wrong sample kind or a bad spec is an error', () => {
    const c = counts({ total: 10, bad: 0 }, { total: 10, bad: 0 })
    const garbage = { v: 1, tol: 1.12, llr: [1, 2] }
    expect(judgeSequential('errors', spec, garbage, c)).toMatchObject({ verdict: 'error', judgeState: garbage, reason: { details: { problem: 'badState' } } })
    const other = initialSequentialState({ ...spec, tolerance: 1.3 })
    expect(judgeSequential('errors', spec, other, c).reason.details?.['problem']).toBe('toleranceChanged')
    const v: Sample = { kind: 'value', metric: 'errors', window: { from: 0, to: 1 }, value: 1 }
    expect(judgeSequential('errors', spec, null, v).reason.details?.['problem']).toBe('wrongSampleKind')
    expect(judgeSequential('errors', { ...spec, alpha: 0 }, null, c).reason.details?.['problem']).toBe('badSpec')
  })

  it('a state read back from JSON judges exactly like the live one', () => {
    const rng = makePrng(9)
    let live: unknown = null
    let stored: unknown = null
    for (let w = 0; w < 200; w++) {
      const c = counts({ total: 300, bad: rng.binomial(300, 0.012) }, { total: 700, bad: rng.binomial(700, 0.01) }, w * 10_000)
      const a = judgeSequential('errors', spec, live, c)
      const b = judgeSequential('errors', spec, JSON.parse(JSON.stringify(stored)) as unknown, c)
      expect(b).toEqual(a)
      live = a.judgeState
      stored = b.judgeState
    }
  })

  it('state stays small: a 60-minute run at 100 req/s per arm encodes to <= 450 bytes of JSON', () => {
    const rng = makePrng(21)
    let state: unknown = null
    for (let w = 0; w < 360; w++) {
      const j = judgeSequential('errors', spec, state, counts({ total: 1000, bad: rng.binomial(1000, 0.01) }, { total: 1000, bad: rng.binomial(1000, 0.01) }))
      state = j.judgeState
    }
    const size = JSON.stringify(state).length
    expect(size).toBeLessThanOrEqual(450)
  })
})

describe('judge dispatch', () => {
  const metric: MetricSpec = { name: 'errors', windowMs: 10_000, sample: 'counts', judge: spec, background: true, dryRun: false }
  it('initialJudgeState and judgeSample route to the sequential judge', () => {
    const s0 = initialJudgeState(metric)
    expect(s0).toEqual(initialSequentialState(spec))
    const j = judgeSample(metric, s0, counts({ total: 1000, bad: 60 }, { total: 1000, bad: 6 }))
    expect(j.verdict).toBe('fail')
    expect(j.final).toBe('fail')
    const n = judgeSample(metric, s0, { kind: 'noData', metric: 'errors', window: { from: 0, to: 10_000 } })
    expect(n.verdict).toBe('noData')
    expect(n.judgeState).toBe(s0)
  })
})

describe('the rollback detector start prior', () => {
  it('puts PI_START on the first window, never decreases and stays below 1', () => {
    expect(startMass(0)).toBe(PI_START)
    expect(startMass(-5)).toBe(PI_START)
    expect(startMass(Number.NaN)).toBe(PI_START)
    let last = startMass(0)
    for (let u = 10_000; u <= 48 * 3_600_000; u *= 1.3) {
      const g = startMass(u)
      expect(g).toBeGreaterThanOrEqual(last)
      expect(g).toBeLessThan(1)
      last = g
    }
    // about 0.18 of the mass on starts within the first 20 minutes, 0.27 within the hour, 0.01 after two hours
    expect(startMass(20 * 60_000) - PI_START).toBeCloseTo(0.178, 3)
    expect(startMass(60 * 60_000) - PI_START).toBeCloseTo(0.272, 3)
    expect(1 - startMass(120 * 60_000)).toBeCloseTo(0.0107, 4)
  })
})

describe('the count cap', () => {
  it('is e + sqrt(e) + 1 before 100 bad events and e + 2 sqrt(e) + 1 after', () => {
    const s0 = initialSequentialState(spec)
    // no rate known: e = 2000 requests x 1 / 100 = 20
    expect(windowExponent(s0, { total: 1000, bad: 60 }, { total: 1000, bad: 10 })).toBeCloseTo((20 + Math.sqrt(20) + 1) / 70, 9)
    const seen: SequentialState = { ...s0, cb: 50, pb: 50, ct: 9900, pt: 9900 }
    // 100 bad events in 19,800 requests: e = 2000 x 101 / 19,900, the wider cap
    const e = (2000 * 101) / 19_900
    expect(windowExponent(seen, { total: 1000, bad: 60 }, { total: 1000, bad: 10 })).toBeCloseTo((e + 2 * Math.sqrt(e) + 1) / 70, 9)
    // one bad event fewer: still the tighter cap
    const e99 = (2000 * 100) / 19_900
    expect(windowExponent({ ...seen, cb: 49 }, { total: 1000, bad: 60 }, { total: 1000, bad: 10 })).toBeCloseTo((e99 + Math.sqrt(e99) + 1) / 70, 9)
  })
})

describe('the tempering deadband', () => {
  it('does not temper while the dispersion estimate is below 1.25, and tempers by it above', () => {
    const s0 = initialSequentialState(spec)
    // 40 requests per arm: the long-run estimate rests on its prior, 1.125 + 0.4 / 8 = 1.175 (at 100 requests
    // per arm it would be 1.25 itself, the deadband's edge, where the window is tempered)
    const c = { total: 40, bad: 1 }
    const p = { total: 40, bad: 1 }
    // recent estimate (4 + 20) / (0 + 20) = 1.2: the larger of the two is below 1.25, exponent 1
    expect(windowExponent({ ...s0, ds: [0, 0, 0, 0, 0, 0, 4, 0] }, c, p)).toBe(1)
    // (6 + 20) / 20 = 1.3: exponent 1 / 1.3
    expect(windowExponent({ ...s0, ds: [0, 0, 0, 0, 0, 0, 6, 0] }, c, p)).toBeCloseTo(1 / 1.3, 12)
    // 100 requests per arm (1 expected bad event each): the long-run prior is 1.125 + 1 / 8 = 1.25, not below
    // the deadband, so the first window of a 10 req/s/arm canary is tempered by 1 / 1.25
    expect(windowExponent(s0, { total: 100, bad: 1 }, { total: 100, bad: 1 })).toBeCloseTo(0.8, 12)
  })
})
