import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import * as E from 'fp-ts/lib/Either.js'
import { decodeSpec, DEFAULTS, parseDuration, formatDuration, type RolloutSpec, type SpecError } from '../../src/index.js'
import { linearWeights } from '../../src/config/normalize.js'

const ok = (input: unknown): RolloutSpec => {
  const r = decodeSpec(input)
  if (E.isLeft(r)) throw new Error(JSON.stringify(r.left))
  return r.right
}
const errors = (input: unknown): SpecError[] => {
  const r = decodeSpec(input)
  if (E.isRight(r)) throw new Error('expected errors')
  return r.left
}

describe('durations', () => {
  it.each([
    ['30s', 30_000],
    ['5m', 300_000],
    ['1h30m', 5_400_000],
    ['250ms', 250],
    ['1.5s', 1_500],
    [30, 30_000],
    ['45', 45_000],
    [0, 0],
  ])('%s -> %d ms', (input, ms) => expect(parseDuration(input)).toEqual(E.right(ms)))
  it.each(['5 min', '', 'm', '-1s', '1d', '1h30', null, {}, Number.NaN, -5])('refuses %s', (input) => expect(E.isLeft(parseDuration(input))).toBe(true))
  // an interval of Infinity (1e308 s) decoded and left the rollout without metric needs or wakeAt, stuck forever
  it.each([1e308, '99999999999h', '9'.repeat(30)])('refuses the absurdly long %s', (input) => expect(E.isLeft(parseDuration(input))).toBe(true))
  it('refuses a stepWeight that makes more than 1000 weight steps (they were cut at 1000: 0.0001% steps jumped from 0.1% to promotion)', () => {
    const r = decodeSpec({ strategy: { canary: { stepWeight: 0.0001 } } })
    expect(E.isLeft(r) && r.left).toEqual([{ path: 'strategy.canary.stepWeight', message: 'stepWeight 0.0001 up to maxWeight 100 makes 1000000 weight steps; at most 1000' }])
    const edge = decodeSpec({ strategy: { canary: { stepWeight: 0.1 } } })
    expect(E.isRight(edge) && edge.right.strategy.steps.filter((s) => s.type === 'setWeight').at(-1)).toEqual({ type: 'setWeight', weight: 100 })
  })
  it('names the limit when an interval is absurdly long', () => {
    const r = decodeSpec({ strategy: { canary: { stepWeight: 10 } }, analysis: { interval: 1e308 } })
    expect(E.isLeft(r) && r.left[0]).toMatchObject({ path: 'analysis.interval', message: expect.stringContaining('100 years') })
  })
  it('formats what it parses', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10 * 3_600_000 }), (ms) => {
        expect(parseDuration(formatDuration(ms))).toEqual(E.right(ms))
      }),
    )
  })
})

describe('decodeSpec', () => {
  it('applies every default', () => {
    const s = ok({ strategy: { canary: { stepWeight: 10 } } })
    expect(s.analysis.intervalMs).toBe(DEFAULTS.analysisIntervalMs)
    expect(s.analysis.threshold).toBe(DEFAULTS.threshold)
    expect(s.analysis.noDataLimit).toBe(DEFAULTS.noDataLimit)
    expect(s.analysis.consecutiveFailureLimit).toBeNull()
    expect(s.progressDeadlineMs).toBe(600_000)
    expect(s.strategy.maxWeight).toBe(100)
    expect(s.skipAnalysis).toBe(false)
    expect(s.gates).toEqual([])
  })

  it('compiles the linear form into setWeight + one-interval analysis steps, clamped at maxWeight', () => {
    const s = ok({ strategy: { canary: { stepWeight: 20, maxWeight: 50 } } })
    expect(s.strategy.steps.filter((x) => x.type === 'setWeight').map((x) => (x.type === 'setWeight' ? x.weight : 0))).toEqual([20, 40, 50])
    expect(s.strategy.steps.filter((x) => x.type === 'analysis')).toHaveLength(3)
    expect(linearWeights(10, 50)).toEqual([10, 20, 30, 40, 50])
    expect(linearWeights(30, 100)).toEqual([30, 60, 90, 100])
  })

  it('rejects a misspelt field, names it, and suggests the right one', () => {
    const e = errors({ strategy: { canary: { stepWieght: 10 } } })
    expect(e[0]?.path).toBe('strategy.canary.stepWieght')
    expect(e[0]?.message).toContain('did you mean "stepWeight"')
  })

  it('gives paths into lists', () => {
    const e = errors({
      strategy: { canary: { stepWeight: 10 } },
      analysis: { metrics: [{ name: 'a', thresholdRange: { min: 1 } }, { name: 'b', thresholdRange: { min: 'ninety' } }] },
    })
    expect(e).toEqual([{ path: 'analysis.metrics[1].thresholdRange.min', message: 'expected a finite number, got "ninety"' }])
  })

  it('refuses unsorted stepWeights with the offending index', () => {
    const e = errors({ strategy: { canary: { stepWeights: [1, 25, 5, 50] } } })
    expect(e[0]?.path).toBe('strategy.canary.stepWeights[2]')
    expect(e[0]?.message).toContain('strictly increasing')
  })

  it('requires exactly one canary form and exactly one judge per metric', () => {
    expect(errors({ strategy: { canary: {} } })[0]?.message).toContain('needs one of')
    expect(errors({ strategy: { canary: { stepWeight: 10, stepWeights: [10] } } })[0]?.message).toContain('only one of')
    expect(errors({ strategy: { canary: { stepWeight: 10 } }, analysis: { metrics: [{ name: 'x' }] } })[0]?.message).toContain('needs a judge')
    expect(
      errors({ strategy: { canary: { stepWeight: 10 } }, analysis: { metrics: [{ name: 'x', thresholdRange: { min: 1 }, sequential: {} }] } })[0]?.message,
    ).toContain('exactly one judge')
  })

  it('reports duplicate names, bad steps and unknown step metrics', () => {
    const e = errors({
      strategy: { canary: { steps: [{ setWeight: 10, pause: {} }, {}, { analysis: { metrics: ['nope'] } }, { pause: { duration: '5 min' } }] } },
      analysis: { metrics: [{ name: 'a', thresholdRange: { min: 1 } }, { name: 'a', thresholdRange: { min: 1 } }] },
      gates: [{ name: 'g', type: 'rollout' }, { name: 'g', type: 'confirm-teleport' }],
    })
    const paths = e.map((x) => x.path)
    expect(paths).toContain('strategy.canary.steps[3].pause.duration')
    expect(paths).toContain('gates[1].type')
    expect(errors({ strategy: { canary: { steps: [{ setWeight: 10, pause: {} }] } } })[0]?.path).toBe('strategy.canary.steps[0]')
  })

  it('decodes the steps program, pauses and analysis steps', () => {
    const s = ok({
      strategy: { canary: { steps: [{ setWeight: 20 }, { pause: {} }, { pause: { duration: '1m' } }, { analysis: { untilDecided: true } }, { setWeight: 60 }] } },
      analysis: { metrics: [{ name: 'errors', sequential: { tolerance: 1.2 } }] },
    })
    expect(s.strategy.steps).toEqual([
      { type: 'setWeight', weight: 20 },
      { type: 'pause', durationMs: null },
      { type: 'pause', durationMs: 60_000 },
      { type: 'analysis', intervals: null },
      { type: 'setWeight', weight: 60 },
    ])
    expect(s.strategy.maxWeight).toBe(60)
    expect(s.analysis.metrics[0]?.judge).toMatchObject({ kind: 'sequential', tolerance: 1.2, alpha: DEFAULTS.sequentialAlpha })
    expect(s.analysis.metrics[0]?.sample).toBe('counts')
  })

  it('never throws on arbitrary input', () => {
    fc.assert(
      fc.property(fc.anything(), (u) => {
        const r = decodeSpec(u)
        expect(E.isLeft(r) || E.isRight(r)).toBe(true)
      }),
      { numRuns: 2000 },
    )
    fc.assert(
      fc.property(fc.record({ strategy: fc.record({ canary: fc.dictionary(fc.constantFrom('stepWeight', 'maxWeight', 'stepWeights', 'steps', 'x'), fc.anything()) }) }), (u) => {
        const r = decodeSpec(u)
        if (E.isLeft(r)) for (const e of r.left) expect(typeof e.path).toBe('string')
      }),
      { numRuns: 2000 },
    )
  })
})

describe('defaults shared with the judges', () => {
  it('uses the sequential judge’s tuned tolerance', async () => {
    const { DEFAULT_TOLERANCE } = await import('../../src/analysis/sequential.js')
    expect(DEFAULTS.sequentialTolerance).toBe(DEFAULT_TOLERANCE)
  })
})

describe('names used as keys', () => {
  it('refuses metric and gate names that collide with built-in object properties', () => {
    for (const name of ['constructor', 'toString', '__proto__', 'hasOwnProperty']) {
      const e = errors({
        strategy: { canary: { stepWeight: 10 } },
        analysis: { metrics: [{ name, thresholdRange: { min: 1 } }] },
        gates: [{ name, type: 'rollout' }],
      })
      expect(e.map((x) => x.path)).toEqual(['analysis.metrics[0].name', 'gates[0].name'])
    }
  })
})

describe('workload', () => {
  it('resolves maxSurge to pods (a percentage rounds up; 25% by default)', () => {
    expect(ok({ strategy: { canary: { stepWeight: 10 } }, workload: { replicas: 10 } }).workload).toEqual({ replicas: 10, maxSurge: 3 })
    expect(ok({ strategy: { canary: { stepWeight: 10 } }, workload: { replicas: 3, maxSurge: '25%' } }).workload).toEqual({ replicas: 3, maxSurge: 1 })
    expect(ok({ strategy: { canary: { stepWeight: 10 } }, workload: { replicas: 3, maxSurge: 2 } }).workload).toEqual({ replicas: 3, maxSurge: 2 })
    expect(errors({ strategy: { canary: { stepWeight: 10 } }, workload: { replicas: 3, maxSurge: '250%' } })[0]?.path).toBe('workload.maxSurge')
  })
})

describe('no blind promotion: detect and the evidence timeout (docs/evidence.md)', () => {
  const base = { strategy: { canary: { stepWeight: 10, maxWeight: 50 } } }
  const seq = (sequential: Record<string, unknown>, analysis: Record<string, unknown> = {}): unknown => ({
    ...base,
    analysis: { ...analysis, metrics: [{ name: 'errors', sequential }] },
  })
  it('detect defaults to 2 on a sequential metric; "off" turns it off', () => {
    const on = ok(seq({})).analysis.metrics[0]!.judge
    expect(on.kind === 'sequential' && on.detect).toBe(DEFAULTS.sequentialDetect)
    expect(on.kind === 'sequential' && on.detectLevel).toBe(0.05)
    expect(DEFAULTS.sequentialDetect).toBe(2)
    const level = ok(seq({ detectLevel: 0.01 })).analysis.metrics[0]!.judge
    expect(level.kind === 'sequential' && level.detectLevel).toBe(0.01)
    const off = ok(seq({ detect: 'off' })).analysis.metrics[0]!.judge
    expect(off.kind === 'sequential' && 'detect' in off).toBe(false)
  })
  it('refuses a detect at or below the tolerance, or not a number', () => {
    expect(errors(seq({ tolerance: 1.5, detect: 1.4 }))).toEqual([
      { path: 'analysis.metrics[0].sequential.detect', message: expect.stringContaining('detect 1.4 must be above the tolerance 1.5') },
    ])
    expect(errors(seq({ detect: 'twice' }))[0]).toMatchObject({ path: 'analysis.metrics[0].sequential.detect', message: expect.stringContaining('or "off"') })
    expect(errors(seq({ detect: 1 }))[0]?.path).toBe('analysis.metrics[0].sequential.detect')
  })
  it('suggests the field on a typo', () => {
    expect(errors(seq({ detekt: 2 }))[0]?.message).toContain('did you mean "detect"')
    expect(errors(seq({}, { evidenceTimout: '10m' }))[0]?.message).toContain('did you mean "evidenceTimeout"')
  })
  it('keeps a non-default timeout and outcome; the defaults stay implicit', () => {
    const a = ok(seq({}, { evidenceTimeout: '10m', onEvidenceTimeout: 'promote' })).analysis
    expect(a.evidenceTimeoutMs).toBe(600_000)
    expect(a.onEvidenceTimeout).toBe('promote')
    const d = ok(seq({}, { evidenceTimeout: '30m', onEvidenceTimeout: 'rollback' })).analysis
    expect('evidenceTimeoutMs' in d || 'onEvidenceTimeout' in d).toBe(false)
    expect(errors(seq({}, { onEvidenceTimeout: 'pause' }))[0]?.path).toBe('analysis.onEvidenceTimeout')
  })
})
