import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import type { ConditionJudgeSpec, MeasurementLimits, MetricSpec } from '../../src/config/spec.js'
import type { Sample } from '../../src/model/observation.js'
import {
  aggregateRunPhase,
  asCounters,
  classifyMeasurement,
  countMeasurement,
  firstMeasurementAt,
  initialCounters,
  isRunTerminating,
  metricPhase,
  skipForInitialDelay,
  validateLimits,
  worsePhase,
} from '../../src/analysis/measurement.js'
import type { MeasurementCounters, MeasurementPhase, MetricPhase } from '../../src/analysis/measurement.js'
import { initialJudgeState, judgeSample } from '../../src/analysis/judge.js'

const S = 'result[0] >= 0.95'
const F = 'result[0] < 0.5'
const cond = (successCondition?: string, failureCondition?: string): ConditionJudgeSpec => ({
  kind: 'condition',
  dialect: 'argo',
  ...(successCondition !== undefined ? { successCondition } : {}),
  ...(failureCondition !== undefined ? { failureCondition } : {}),
})

describe('classifyMeasurement (Argo rows)', () => {
  it.each<[string, string | undefined, string | undefined, number[], MeasurementPhase]>([
    ['no conditions', undefined, undefined, [0.1], 'Successful'],
    ['no conditions, even an empty result', undefined, undefined, [], 'Successful'],
    ['only success, true', S, undefined, [0.97], 'Successful'],
    ['only success, false -> failed = !success', S, undefined, [0.93], 'Failed'],
    ['only failure, true', undefined, F, [0.4], 'Failed'],
    ['only failure, false -> success = !failed', undefined, F, [0.6], 'Successful'],
    ['both, success only', S, F, [0.97], 'Successful'],
    ['both, failure only', S, F, [0.4], 'Failed'],
    ['both true: failure wins', 'result[0] > 0', 'result[0] > 0', [1], 'Failed'],
    ['neither true -> Inconclusive', S, F, [0.7], 'Inconclusive'],
    ['nil result (empty vector) -> Error', S, undefined, [], 'Error'],
    ['nil in failureCondition -> Error', undefined, F, [], 'Error'],
    ['error in one condition even if the other decides -> Error', 'result[0] > 0', 'result[3] > 0', [1], 'Error'],
    ['non-boolean outcome -> Error', 'result[0] + 1', undefined, [1], 'Error'],
    ['invalid condition text -> Error', 'result = 1', undefined, [1], 'Error'],
    ['NaN fails a comparison -> Failed', S, undefined, [NaN], 'Failed'],
    ['NaN guarded by isNaN -> Inconclusive', `!isNaN(result[0]) && ${S}`, '!isNaN(result[0]) && result[0] < 0.5', [NaN], 'Inconclusive'],
  ])('%s', (_name, s, f, result, phase) => {
    const c = classifyMeasurement(cond(s, f), result)
    expect(c.phase).toBe(phase)
  })

  it('explains with the result value and the condition text', () => {
    expect(classifyMeasurement(cond(S), [0.93]).detail).toBe("result [0.93] failed successCondition 'result[0] >= 0.95'")
    expect(classifyMeasurement(cond(S, F), [0.4]).detail).toBe("result [0.4] met failureCondition 'result[0] < 0.5'")
    expect(classifyMeasurement(cond(S), []).detail).toMatch(/successCondition 'result\[0\] >= 0.95' could not be evaluated on result \[\]: result\[0\] is nil/)
  })
})

describe('countMeasurement (Argo counter rules)', () => {
  const c0 = initialCounters()
  it.each<[MeasurementPhase, Partial<MeasurementCounters>]>([
    ['Successful', { count: 1, successful: 1, consecutiveSuccess: 1 }],
    ['Failed', { count: 1, failed: 1 }],
    ['Inconclusive', { count: 1, inconclusive: 1 }],
    ['Error', { error: 1, consecutiveError: 1 }],
  ])('%s from zero', (phase, expected) => {
    expect(countMeasurement(c0, phase)).toEqual({ ...c0, ...expected })
  })

  it('any non-error resets consecutiveError; anything but Successful resets consecutiveSuccess', () => {
    const mid: MeasurementCounters = { count: 3, successful: 3, failed: 0, inconclusive: 0, error: 2, consecutiveError: 2, consecutiveSuccess: 3 }
    expect(countMeasurement(mid, 'Successful')).toMatchObject({ consecutiveError: 0, consecutiveSuccess: 4 })
    expect(countMeasurement(mid, 'Failed')).toMatchObject({ consecutiveError: 0, consecutiveSuccess: 0 })
    expect(countMeasurement(mid, 'Inconclusive')).toMatchObject({ consecutiveError: 0, consecutiveSuccess: 0 })
    expect(countMeasurement(mid, 'Error')).toMatchObject({ consecutiveError: 3, consecutiveSuccess: 0, count: 3 })
  })

  it('invariants over any sequence of measurements', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom<MeasurementPhase>('Successful', 'Failed', 'Inconclusive', 'Error'), { maxLength: 60 }), (phases) => {
        const c = phases.reduce(countMeasurement, initialCounters())
        expect(c.count).toBe(c.successful + c.failed + c.inconclusive)
        expect(c.count + c.error).toBe(phases.length)
        expect(c.consecutiveSuccess).toBeLessThanOrEqual(c.successful)
        expect(c.consecutiveError).toBeLessThanOrEqual(c.error)
        let tailS = 0
        let tailE = 0
        for (let i = phases.length - 1; i >= 0 && phases[i] === 'Successful'; i--) tailS++
        for (let i = phases.length - 1; i >= 0 && phases[i] === 'Error'; i--) tailE++
        expect(c.consecutiveSuccess).toBe(tailS)
        expect(c.consecutiveError).toBe(tailE)
        expect(asCounters(JSON.parse(JSON.stringify(c)))).toEqual(c)
      }),
    )
  })

  it('asCounters refuses malformed states', () => {
    expect(asCounters(undefined)).toEqual(initialCounters())
    expect(asCounters({ count: -1 })).toEqual(initialCounters())
    expect(asCounters({ ...initialCounters(), failed: 1.5 })).toEqual(initialCounters())
  })
})

const limits = (l: Partial<MeasurementLimits> = {}): MeasurementLimits => ({
  failureLimit: 0,
  inconclusiveLimit: 0,
  consecutiveErrorLimit: 4,
  consecutiveSuccessLimit: 0,
  count: null,
  initialDelayMs: 0,
  ...l,
})
const counters = (c: Partial<MeasurementCounters>): MeasurementCounters => ({ ...initialCounters(), ...c })

describe('metricPhase (Argo rows)', () => {
  it.each<[string, Partial<MeasurementLimits>, Partial<MeasurementCounters>, MetricPhase, RegExp]>([
    ['nothing measured', {}, {}, 'Pending', /no measurement/],
    ['failed > failureLimit', { failureLimit: 1 }, { count: 2, failed: 2 }, 'Failed', /failed 2 > failureLimit 1/],
    ['failed == failureLimit keeps running', { failureLimit: 1 }, { count: 1, failed: 1 }, 'Running', /measured 1/],
    ['default failureLimit 0: first failure fails', {}, { count: 1, failed: 1 }, 'Failed', /failed 1 > failureLimit 0/],
    ['failureLimit -1 disables failure', { failureLimit: -1, consecutiveSuccessLimit: 2 }, { count: 9, failed: 9 }, 'Running', /measured 9/],
    ['inconclusive > inconclusiveLimit', { inconclusiveLimit: 1 }, { count: 2, inconclusive: 2 }, 'Inconclusive', /inconclusive 2 > inconclusiveLimit 1/],
    ['default inconclusiveLimit 0', {}, { count: 1, inconclusive: 1 }, 'Inconclusive', /inconclusive 1 > inconclusiveLimit 0/],
    ['consecutiveError > consecutiveErrorLimit', {}, { error: 5, consecutiveError: 5 }, 'Error', /consecutiveError 5 > consecutiveErrorLimit 4/],
    ['consecutiveError == limit keeps running', {}, { error: 4, consecutiveError: 4 }, 'Running', /errors in a row 4/],
    ['failure is checked before inconclusive and error', { failureLimit: 0 }, { count: 2, failed: 1, inconclusive: 1, error: 9, consecutiveError: 9 }, 'Failed', /failed/],
    ['consecutiveSuccess >= consecutiveSuccessLimit', { consecutiveSuccessLimit: 3, failureLimit: 2, count: 10 }, { count: 4, successful: 3, failed: 1, consecutiveSuccess: 3 }, 'Successful', /consecutiveSuccess 3 >= consecutiveSuccessLimit 3/],
    ['consecutiveSuccessLimit 0 is off', {}, { count: 5, successful: 5, consecutiveSuccess: 5 }, 'Running', /measured 5/],
    ['count reached -> Successful', { count: 3 }, { count: 3, successful: 3 }, 'Successful', /count 3 reached/],
    ['count reached with failures within the limit -> Successful', { count: 5, failureLimit: 2 }, { count: 5, successful: 3, failed: 2 }, 'Successful', /count 5 reached \(successful 3, failed 2/],
    ['count reached, both limits active -> Inconclusive', { count: 5, failureLimit: 1, consecutiveSuccessLimit: 3 }, { count: 5, successful: 4, failed: 1, consecutiveSuccess: 2 }, 'Inconclusive', /before consecutiveSuccessLimit 3/],
    ['count reached, only consecutiveSuccessLimit (failureLimit -1) -> Failed', { count: 5, failureLimit: -1, consecutiveSuccessLimit: 3 }, { count: 5, successful: 2, failed: 3, consecutiveSuccess: 2 }, 'Failed', /failureLimit -1/],
    ['errors do not count towards count', { count: 2 }, { count: 1, successful: 1, error: 3, consecutiveError: 0 }, 'Running', /measured 1 of 2/],
    ['terminating ends a running metric as Successful', {}, { count: 2, successful: 2 }, 'Successful', /run ended/],
  ])('%s', (name, l, c, phase, why) => {
    const r = metricPhase(limits(l), counters(c), { terminating: name.startsWith('terminating') })
    expect(r.phase).toBe(phase)
    expect(r.why).toMatch(why)
  })

  describe('#4479: count reached and no measurement was Successful', () => {
    const l = limits({ count: 5, failureLimit: 5 })
    it('Argo says Successful (rule argo)', () => {
      expect(metricPhase(l, counters({ count: 5, failed: 5 }), { rule: 'argo' }).phase).toBe('Successful')
    })
    it('rollout-kernel says Failed by default', () => {
      const r = metricPhase(l, counters({ count: 5, failed: 5 }))
      expect(r.phase).toBe('Failed')
      expect(r.why).toBe('count 5 reached and no measurement was Successful (successful 0, failed 5, inconclusive 0)')
    })
    it('all inconclusive within the limit: Inconclusive (rule kernel), Successful (rule argo)', () => {
      const li = limits({ count: 3, inconclusiveLimit: 3 })
      expect(metricPhase(li, counters({ count: 3, inconclusive: 3 })).phase).toBe('Inconclusive')
      expect(metricPhase(li, counters({ count: 3, inconclusive: 3 }), { rule: 'argo' }).phase).toBe('Successful')
    })
    it('one success is enough to keep Argo\u2019s answer', () => {
      expect(metricPhase(l, counters({ count: 5, failed: 4, successful: 1 })).phase).toBe('Successful')
    })
    it('the rules differ only there (property)', () => {
      fc.assert(
        fc.property(
          fc.record({ failureLimit: fc.integer({ min: -1, max: 5 }), inconclusiveLimit: fc.nat(5), consecutiveErrorLimit: fc.nat(5), consecutiveSuccessLimit: fc.nat(5), count: fc.option(fc.nat(12)), initialDelayMs: fc.constant(0) }),
          fc.array(fc.constantFrom<MeasurementPhase>('Successful', 'Failed', 'Inconclusive', 'Error'), { maxLength: 15 }),
          fc.boolean(),
          (l2, phases, terminating) => {
            const c = phases.reduce(countMeasurement, initialCounters())
            const k = metricPhase(l2, c, { terminating })
            const a = metricPhase(l2, c, { rule: 'argo', terminating })
            if (k.phase !== a.phase) {
              expect(a.phase).toBe('Successful')
              expect(c.successful).toBe(0)
              expect(c.count).toBeGreaterThan(0)
              expect(k.phase).toBe(c.failed > 0 ? 'Failed' : 'Inconclusive')
            }
          },
        ),
      )
    })
  })
})

describe('validateLimits', () => {
  it.each<[string, Partial<MeasurementLimits>, RegExp | null]>([
    ['defaults are valid', {}, null],
    ['failureLimit -2', { failureLimit: -2 }, /failureLimit must be an integer >= -1/],
    ['fractional failureLimit', { failureLimit: 1.5 }, /failureLimit must be an integer/],
    ['negative inconclusiveLimit', { inconclusiveLimit: -1 }, /inconclusiveLimit must be an integer >= 0/],
    ['negative consecutiveErrorLimit', { consecutiveErrorLimit: -1 }, /consecutiveErrorLimit/],
    ['negative consecutiveSuccessLimit', { consecutiveSuccessLimit: -1 }, /consecutiveSuccessLimit/],
    ['negative count', { count: -1 }, /count must be an integer >= 0/],
    ['negative initialDelay', { initialDelayMs: -5 }, /initialDelayMs/],
    ['failureLimit -1 without consecutiveSuccessLimit', { failureLimit: -1 }, /needs consecutiveSuccessLimit > 0/],
    ['failureLimit -1 with consecutiveSuccessLimit', { failureLimit: -1, consecutiveSuccessLimit: 2 }, null],
    ['count < failureLimit + consecutiveSuccessLimit', { count: 4, failureLimit: 2, consecutiveSuccessLimit: 3 }, /count 4 must be >= failureLimit \+ consecutiveSuccessLimit \(5\)/],
    ['count == failureLimit + consecutiveSuccessLimit', { count: 5, failureLimit: 2, consecutiveSuccessLimit: 3 }, null],
    ['count < inconclusiveLimit', { count: 2, inconclusiveLimit: 3 }, /count 2 must be >= inconclusiveLimit \(3\)/],
    ['count unset: no count rules', { count: null, failureLimit: 9, inconclusiveLimit: 9 }, null],
  ])('%s', (_name, l, message) => {
    const errors = validateLimits(limits(l))
    if (message === null) expect(errors).toEqual([])
    else expect(errors.join('; ')).toMatch(message)
  })
  it('never throws on garbage', () => {
    fc.assert(fc.property(fc.anything(), (x) => Array.isArray(validateLimits(x as MeasurementLimits))))
  })
})

describe('aggregateRunPhase', () => {
  const ps = (...phases: MetricPhase[]) => phases.map((phase) => ({ phase }))
  it('worst wins in Argo\u2019s order Successful < Running < Pending < Inconclusive < Error < Failed', () => {
    const order: MetricPhase[] = ['Successful', 'Running', 'Pending', 'Inconclusive', 'Error', 'Failed']
    order.forEach((a, i) => order.forEach((b, j) => expect(worsePhase(a, b)).toBe(order[Math.max(i, j)])))
    expect(aggregateRunPhase(ps('Successful', 'Running', 'Inconclusive'))).toBe('Inconclusive')
    expect(aggregateRunPhase(ps('Successful', 'Successful'))).toBe('Successful')
    expect(aggregateRunPhase(ps('Error', 'Failed', 'Successful'))).toBe('Failed')
    expect(aggregateRunPhase(ps('Running', 'Pending'))).toBe('Pending')
  })
  it('dryRun metrics never affect the run phase', () => {
    expect(aggregateRunPhase([{ phase: 'Successful' }, { phase: 'Failed', dryRun: true }])).toBe('Successful')
    expect(aggregateRunPhase([{ phase: 'Failed', dryRun: true }])).toBe('Successful')
    expect(aggregateRunPhase([])).toBe('Successful')
    fc.assert(
      fc.property(
        fc.array(fc.record({ phase: fc.constantFrom<MetricPhase>('Successful', 'Running', 'Pending', 'Inconclusive', 'Error', 'Failed'), dryRun: fc.boolean() })),
        fc.constantFrom('worst' as const, 'anyPass' as const, 'majority' as const),
        (ms, mode) => {
          const real = ms.filter((m) => !m.dryRun).map((m) => ({ phase: m.phase }))
          expect(aggregateRunPhase(ms, mode)).toBe(aggregateRunPhase(real, mode))
        },
      ),
    )
  })
  it('anyPass: one success is enough; otherwise wait, then the worst', () => {
    expect(aggregateRunPhase(ps('Failed', 'Successful'), 'anyPass')).toBe('Successful')
    expect(aggregateRunPhase(ps('Failed', 'Running'), 'anyPass')).toBe('Running')
    expect(aggregateRunPhase(ps('Failed', 'Pending'), 'anyPass')).toBe('Pending')
    expect(aggregateRunPhase(ps('Inconclusive', 'Error'), 'anyPass')).toBe('Error')
  })
  it('majority: more than half succeed; the worst once a majority is out of reach', () => {
    expect(aggregateRunPhase(ps('Successful', 'Successful', 'Failed'), 'majority')).toBe('Successful')
    expect(aggregateRunPhase(ps('Successful', 'Failed'), 'majority')).toBe('Failed')
    expect(aggregateRunPhase(ps('Successful', 'Running', 'Failed'), 'majority')).toBe('Running')
    expect(aggregateRunPhase(ps('Inconclusive', 'Error', 'Running'), 'majority')).toBe('Error')
    expect(aggregateRunPhase(ps('Successful', 'Successful', 'Inconclusive', 'Inconclusive'), 'majority')).toBe('Inconclusive')
  })
  it('a run terminates on the first non-dryRun Failed / Error / Inconclusive metric', () => {
    expect(isRunTerminating(ps('Running', 'Successful'))).toBe(false)
    expect(isRunTerminating(ps('Running', 'Inconclusive'))).toBe(true)
    expect(isRunTerminating(ps('Error'))).toBe(true)
    expect(isRunTerminating([{ phase: 'Running' }, { phase: 'Failed', dryRun: true }])).toBe(false)
  })
  it('modes agree when every metric ended the same way', () => {
    for (const p of ['Successful', 'Failed', 'Inconclusive', 'Error'] as const) {
      for (const mode of ['worst', 'anyPass', 'majority'] as const) expect(aggregateRunPhase(ps(p, p, p), mode)).toBe(p)
    }
  })
})

describe('initialDelay', () => {
  it('skips windows that end before startedAt + initialDelay', () => {
    expect(skipForInitialDelay(1_000, 60_000, { from: 1_000, to: 60_999 })).toBe(true)
    expect(skipForInitialDelay(1_000, 60_000, { from: 1_000, to: 61_000 })).toBe(false)
    expect(skipForInitialDelay(1_000, 0, { from: 0, to: 1 })).toBe(false)
    expect(firstMeasurementAt(1_000, 60_000)).toBe(61_000)
    expect(firstMeasurementAt(1_000, -5)).toBe(1_000)
  })
})

describe('judge integration (judgeSample)', () => {
  const window = { from: 0, to: 60_000 }
  const value = (v: number | number[]): Sample => ({ kind: 'value', metric: 'success-rate', window, value: v })
  const metric = (l?: Partial<MeasurementLimits>, judge: MetricSpec['judge'] = cond(S)): MetricSpec => ({
    name: 'success-rate',
    windowMs: 60_000,
    sample: 'value',
    judge,
    background: true,
    dryRun: false,
    ...(l !== undefined ? { limits: limits(l) } : {}),
  })
  const feed = (m: MetricSpec, values: (number | number[])[]) => {
    let state = initialJudgeState(m)
    return values.map((v) => {
      const j = judgeSample(m, state, value(v))
      state = j.judgeState
      expect(JSON.parse(JSON.stringify(state))).toEqual(state)
      return j
    })
  }

  it('verdict per measurement, and the reason names metric, result and condition', () => {
    const [ok, bad, err] = feed(metric(), [[0.97], [0.93], []])
    expect(ok?.verdict).toBe('pass')
    expect(ok?.reason).toMatchObject({ code: 'metricPassed', metric: 'success-rate', observed: 0.97 })
    expect(bad?.verdict).toBe('fail')
    expect(bad?.reason.message).toBe("success-rate: result [0.93] failed successCondition 'result[0] >= 0.95'")
    expect(err?.verdict).toBe('error')
    expect(err?.reason.code).toBe('metricError')
    expect(ok?.final).toBeUndefined()
  })

  it('with limits: failureLimit 1 fails on the second failure, with the counters in the reason', () => {
    const js = feed(metric({ failureLimit: 1 }), [[0.93], [0.97], [0.9]])
    expect(js.map((j) => j.final)).toEqual([undefined, undefined, 'fail'])
    expect(js[2]?.reason.message).toBe("success-rate: result [0.9] failed successCondition 'result[0] >= 0.95' (failed 2 > failureLimit 1: metric Failed)")
    expect(js[2]?.reason.details).toMatchObject({ metricPhase: 'Failed', failed: 2, count: 3 })
  })

  it('with limits: Inconclusive pauses, Error after consecutiveErrorLimit fails, count reached passes', () => {
    const inc = feed(metric({}, cond(S, F)), [[0.7]])
    expect(inc[0]).toMatchObject({ verdict: 'inconclusive', final: 'pause' })
    const errs = feed(metric({ consecutiveErrorLimit: 2 }), [[], [], []])
    expect(errs.map((j) => j.final)).toEqual([undefined, undefined, 'fail'])
    expect(errs[2]?.reason.message).toMatch(/consecutiveError 3 > consecutiveErrorLimit 2/)
    const counted = feed(metric({ count: 2 }), [[0.99], [0.98]])
    expect(counted.map((j) => j.final)).toEqual([undefined, 'pass'])
    const early = feed(metric({ consecutiveSuccessLimit: 2, failureLimit: 3, count: 10 }), [[0.9], [0.99], [0.99]])
    expect(early.map((j) => j.final)).toEqual([undefined, undefined, 'pass'])
  })

  it('noData samples are not measurements: counters unchanged', () => {
    const m = metric({ consecutiveErrorLimit: 0 })
    const j = judgeSample(m, initialJudgeState(m), { kind: 'noData', metric: 'success-rate', window })
    expect(j.verdict).toBe('noData')
    expect(j.judgeState).toEqual(initialCounters())
  })

  it('threshold judges with limits get the same counting', () => {
    const m = metric({ failureLimit: 1 }, { kind: 'threshold', min: 99 })
    expect(initialJudgeState(m)).toEqual(initialCounters())
    const js = feed(m, [98, 99.5, 97])
    expect(js.map((j) => j.verdict)).toEqual(['fail', 'pass', 'fail'])
    expect(js.map((j) => j.final)).toEqual([undefined, undefined, 'fail'])
    expect(js[2]?.reason.message).toMatch(/success-rate 97 < min 99 \(failed 2 > failureLimit 1: metric Failed\)/)
    // without limits: unchanged stateless behaviour
    const plain = metric(undefined, { kind: 'threshold', min: 99 })
    expect(initialJudgeState(plain)).toBeNull()
    expect(judgeSample(plain, null, value(98)).judgeState).toBeNull()
  })

  it('a wrong sample kind is an Error measurement, and garbage judge state is reset', () => {
    const m = metric({})
    const j = judgeSample(m, { nonsense: true }, { kind: 'counts', metric: 'success-rate', window, canary: { total: 1, bad: 0 }, primary: { total: 1, bad: 0 } })
    expect(j.verdict).toBe('error')
    expect(j.judgeState).toMatchObject({ error: 1, consecutiveError: 1 })
  })
})
