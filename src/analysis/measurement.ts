/**
 * Argo measurement semantics: classify one measurement against success / failure conditions, count it,
 * derive the metric's phase from its limits (failureLimit, inconclusiveLimit, consecutiveErrorLimit,
 * consecutiveSuccessLimit, count), aggregate metric phases into a run phase, and the judge glue that applies
 * this counting to any judge's verdict when a metric has `limits`. All pure; state is a few counters.
 *
 * One deliberate difference to Argo (#4479, see docs/conditions.md): when `count` is reached and NO
 * measurement was Successful, the metric is Failed (some failed) or Inconclusive (all inconclusive), not
 * Successful. `metricPhase(..., { rule: 'argo' })` gives Argo's rule exactly.
 *
 * @module
 */
import { describeValue } from '../model/errors.js'
import * as E from 'fp-ts/lib/Either.js'
import type { ConditionJudgeSpec, MeasurementLimits, MetricSpec } from '../model/metricSpec.js'
import type { Reason } from '../model/reason.js'
import type { Sample, SampleValue, Window } from '../model/observation.js'
import { checkCondition, evaluateCondition, formatResult } from './condition.js'
import type { CompiledCondition, CompiledConditions } from './condition.js'
import type { Judgement } from '../model/verdict.js'
import {
  finalOfMetricPhase,
  measurementPhaseOf,
  reasonCodeOfMeasurement,
  verdictOfMeasurement,
  type MeasurementPhase,
  type MetricPhase,
  type RunPhase,
} from './outcome.js'
import { guarded } from '../model/guard.js'
import { unreadableJudgement } from './judgeFallback.js'

// ---------------------------------------------------------------------------------------------------------
// model
// ---------------------------------------------------------------------------------------------------------

// Argo's phase vocabularies and their mappings to verdicts, finals and reason codes live in outcome.ts
export type { MeasurementPhase, MetricPhase, RunPhase } from './outcome.js'

/**
 * A classified measurement: its phase and a sentence saying why (result value and condition text).
 *
 * @example
 * ```ts
 * const c: Classification = { phase: 'Failed', detail: "result [0.93] failed successCondition 'result[0] >= 0.95'" }
 * ```
 * @category model
 */
export interface Classification {
  readonly phase: MeasurementPhase
  readonly detail: string
}

/**
 * Argo's per-metric counters (plain JSON, bounded). `count` = successful + failed + inconclusive
 * (errors are not counted in `count`).
 *
 * @example
 * ```ts
 * const c: MeasurementCounters = { count: 3, successful: 2, failed: 1, inconclusive: 0, error: 0, consecutiveError: 0, consecutiveSuccess: 2 }
 * ```
 * @category model
 */
export interface MeasurementCounters {
  readonly count: number
  readonly successful: number
  readonly failed: number
  readonly inconclusive: number
  readonly error: number
  readonly consecutiveError: number
  readonly consecutiveSuccess: number
}

/**
 * Which rule decides when `count` is reached: `kernel` (default: a metric with no Successful measurement
 * cannot pass) or `argo` (Successful whenever no limit was exceeded, #4479).
 *
 * @example
 * ```ts
 * const r: CountRule = 'argo'
 * ```
 * @category model
 */
export type CountRule = 'kernel' | 'argo'

/**
 * A metric phase with the sentence that explains it.
 *
 * @example
 * ```ts
 * const p: MetricPhaseResult = { phase: 'Failed', why: 'failed 2 > failureLimit 1' }
 * ```
 * @category model
 */
export interface MetricPhaseResult {
  readonly phase: MetricPhase
  readonly why: string
}

// ---------------------------------------------------------------------------------------------------------
// classification
// ---------------------------------------------------------------------------------------------------------

type ResultValue = SampleValue

const evaluate = (
  which: 'successCondition' | 'failureCondition',
  text: string,
  dialect: ConditionJudgeSpec['dialect'],
  result: ResultValue,
  given: CompiledCondition | undefined,
): E.Either<string, boolean> => {
  // the decoded spec's compiled condition when it is this very text; otherwise compiled on demand
  const compiled = given !== undefined && given.text === text && given.dialect === dialect ? E.right(given) : checkCondition(text, dialect)
  if (E.isLeft(compiled)) return E.left(`${which} '${text}' is invalid: ${compiled.left.message}`)
  const out = evaluateCondition(compiled.right, result)
  return E.isLeft(out) ? E.left(`${which} '${text}' could not be evaluated on result ${formatResult(result)}: ${out.left}`) : out
}

/**
 * Classifies one measurement as Argo does. Both conditions are evaluated; an evaluation error (including a
 * nil value such as `result[0]` of an empty vector, or a non-boolean outcome) makes the measurement `Error`.
 * Then: no conditions -> Successful; only successCondition -> Successful or Failed; only failureCondition ->
 * Failed or Successful; both -> Failed if failureCondition holds (it wins), Successful if only
 * successCondition holds, Inconclusive if neither. Never throws.
 *
 * @example
 * ```ts
 * classifyMeasurement({ kind: 'condition', dialect: 'argo', successCondition: 'result[0] >= 0.95' }, [0.93]).phase // 'Failed'
 * classifyMeasurement({ kind: 'condition', dialect: 'argo', successCondition: 'result[0] >= 0.95' }, []).phase    // 'Error'
 * ```
 * @category measurements
 */
export const classifyMeasurement = (spec: ConditionJudgeSpec, result: ResultValue): Classification => classifyWith(spec, result, undefined)

/**
 * {@link classifyMeasurement} with the judge's conditions already compiled (the decoded spec's; a
 * compiled condition whose text is not the judge's is not used).
 *
 * @example
 * ```ts
 * declare const judge: ConditionJudgeSpec, compiled: CompiledConditions
 * classifyWith(judge, [0.93], compiled).phase
 * ```
 * @internal
 */
export const classifyWith = (spec: ConditionJudgeSpec, result: ResultValue, compiled: CompiledConditions | undefined): Classification => {
  const r = formatResult(result)
  const s = spec.successCondition
  const f = spec.failureCondition
  const hasS = typeof s === 'string' && s !== ''
  const hasF = typeof f === 'string' && f !== ''
  if (!hasS && !hasF) return { phase: 'Successful', detail: `result ${r} (no conditions)` }
  const success = hasS ? evaluate('successCondition', s, spec.dialect, result, compiled?.successCondition) : E.right(false)
  if (E.isLeft(success)) return { phase: 'Error', detail: success.left }
  const failure = hasF ? evaluate('failureCondition', f, spec.dialect, result, compiled?.failureCondition) : E.right(false)
  if (E.isLeft(failure)) return { phase: 'Error', detail: failure.left }
  if (hasF && failure.right) return { phase: 'Failed', detail: `result ${r} met failureCondition '${f}'` }
  if (hasS && !success.right) {
    return hasF
      ? { phase: 'Inconclusive', detail: `result ${r} met neither successCondition '${s}' nor failureCondition '${f}'` }
      : { phase: 'Failed', detail: `result ${r} failed successCondition '${s}'` }
  }
  return hasS
    ? { phase: 'Successful', detail: `result ${r} met successCondition '${s}'` }
    : { phase: 'Successful', detail: `result ${r} did not meet failureCondition '${f}'` }
}

// ---------------------------------------------------------------------------------------------------------
// counters
// ---------------------------------------------------------------------------------------------------------

/**
 * Counters at the start of a run (all zero).
 *
 * @example
 * ```ts
 * initialCounters().count // 0
 * ```
 * @category measurements
 */
export const initialCounters = (): MeasurementCounters => ({
  count: 0,
  successful: 0,
  failed: 0,
  inconclusive: 0,
  error: 0,
  consecutiveError: 0,
  consecutiveSuccess: 0,
})

const KEYS = ['count', 'successful', 'failed', 'inconclusive', 'error', 'consecutiveError', 'consecutiveSuccess'] as const

/**
 * Reads counters from an untrusted judge state (e.g. a decoded rollout state): anything that is not a
 * complete set of non-negative integer counters gives fresh counters. Never throws.
 *
 * @example
 * ```ts
 * asCounters(null).failed // 0
 * ```
 * @category measurements
 */
export const asCounters = (x: unknown): MeasurementCounters => {
  if (typeof x !== 'object' || x === null) return initialCounters()
  const o = x as Record<string, unknown>
  return KEYS.every((k) => Number.isSafeInteger(o[k]) && (o[k] as number) >= 0)
    ? (Object.fromEntries(KEYS.map((k) => [k, o[k]])) as unknown as MeasurementCounters)
    : initialCounters()
}

/**
 * Counts one measurement (Argo's rules): Successful / Failed / Inconclusive increment `count` and their own
 * counter; Error increments `error` and `consecutiveError` only; anything but Error resets
 * `consecutiveError`; anything but Successful resets `consecutiveSuccess`.
 *
 * @example
 * ```ts
 * countMeasurement(initialCounters(), 'Error') // { count: 0, error: 1, consecutiveError: 1, ... }
 * ```
 * @category measurements
 */
export const countMeasurement = (c: MeasurementCounters, phase: MeasurementPhase): MeasurementCounters => {
  if (phase === 'Error') {
    return { ...c, error: c.error + 1, consecutiveError: c.consecutiveError + 1, consecutiveSuccess: 0 }
  }
  return {
    ...c,
    count: c.count + 1,
    successful: c.successful + (phase === 'Successful' ? 1 : 0),
    failed: c.failed + (phase === 'Failed' ? 1 : 0),
    inconclusive: c.inconclusive + (phase === 'Inconclusive' ? 1 : 0),
    consecutiveError: 0,
    consecutiveSuccess: phase === 'Successful' ? c.consecutiveSuccess + 1 : 0,
  }
}

// ---------------------------------------------------------------------------------------------------------
// metric phase and limit validation
// ---------------------------------------------------------------------------------------------------------

/**
 * The metric's phase from its limits and counters, checked in Argo's order:
 * 1. failureLimit >= 0 and failed > failureLimit -> Failed (failureLimit -1 disables this);
 * 2. inconclusive > inconclusiveLimit -> Inconclusive;
 * 3. consecutiveError > consecutiveErrorLimit -> Error;
 * 4. consecutiveSuccessLimit > 0 and consecutiveSuccess >= consecutiveSuccessLimit -> Successful;
 * 5. count set (> 0) and reached: with consecutiveSuccessLimit > 0 (not met) -> Inconclusive when failureLimit
 *    is active, Failed when it is -1; otherwise Successful (rule `argo`) or, rule `kernel` (default), Failed
 *    when no measurement was Successful and some failed, Inconclusive when all were inconclusive;
 * 6. otherwise Pending (nothing measured yet) or Running; with `terminating` (the run is ending) these become
 *    Successful (Argo), except under rule `kernel` a metric that measured only failures is Failed.
 *
 * @example
 * ```ts
 * const limits = { failureLimit: 1, inconclusiveLimit: 0, consecutiveErrorLimit: 4, consecutiveSuccessLimit: 0, count: 5, initialDelayMs: 0 }
 * metricPhase(limits, { ...initialCounters(), count: 2, failed: 2 }).phase // 'Failed'
 * ```
 * @category measurements
 */
export const metricPhase = (
  limits: MeasurementLimits,
  c: MeasurementCounters,
  options: { readonly rule?: CountRule; readonly terminating?: boolean } = {},
): MetricPhaseResult => {
  const rule = options.rule ?? 'kernel'
  const failureActive = limits.failureLimit >= 0
  const successActive = limits.consecutiveSuccessLimit > 0
  if (failureActive && c.failed > limits.failureLimit) {
    return { phase: 'Failed', why: `failed ${c.failed} > failureLimit ${limits.failureLimit}` }
  }
  if (c.inconclusive > limits.inconclusiveLimit) {
    return { phase: 'Inconclusive', why: `inconclusive ${c.inconclusive} > inconclusiveLimit ${limits.inconclusiveLimit}` }
  }
  if (c.consecutiveError > limits.consecutiveErrorLimit) {
    return { phase: 'Error', why: `consecutiveError ${c.consecutiveError} > consecutiveErrorLimit ${limits.consecutiveErrorLimit}` }
  }
  if (successActive && c.consecutiveSuccess >= limits.consecutiveSuccessLimit) {
    return { phase: 'Successful', why: `consecutiveSuccess ${c.consecutiveSuccess} >= consecutiveSuccessLimit ${limits.consecutiveSuccessLimit}` }
  }
  const tally = `successful ${c.successful}, failed ${c.failed}, inconclusive ${c.inconclusive}`
  const noSuccess = (end: string): MetricPhaseResult | null =>
    rule === 'kernel' && c.count > 0 && c.successful === 0
      ? c.failed > 0
        ? { phase: 'Failed', why: `${end} and no measurement was Successful (${tally})` }
        : { phase: 'Inconclusive', why: `${end} and no measurement was Successful (${tally})` }
      : null
  if (limits.count !== null && limits.count > 0 && c.count >= limits.count) {
    const end = `count ${limits.count} reached`
    if (successActive && failureActive) {
      return { phase: 'Inconclusive', why: `${end} before consecutiveSuccessLimit ${limits.consecutiveSuccessLimit} (${tally})` }
    }
    if (successActive) {
      return { phase: 'Failed', why: `${end} before consecutiveSuccessLimit ${limits.consecutiveSuccessLimit} (failureLimit -1; ${tally})` }
    }
    return noSuccess(end) ?? { phase: 'Successful', why: `${end} (${tally}; failureLimit ${limits.failureLimit})` }
  }
  if (options.terminating === true) {
    return noSuccess('run ended') ?? { phase: 'Successful', why: `run ended (${tally})` }
  }
  if (c.count === 0 && c.error === 0) return { phase: 'Pending', why: 'no measurement yet' }
  const of = limits.count !== null && limits.count > 0 ? ` of ${limits.count}` : ''
  return { phase: 'Running', why: `measured ${c.count}${of}: ${tally}, errors in a row ${c.consecutiveError}` }
}

const isInt = (n: unknown): n is number => typeof n === 'number' && Number.isSafeInteger(n)

/**
 * Validates measurement limits (Argo's rules plus type checks); returns one message per problem, empty when
 * valid. Rules: all limits are integers; failureLimit >= -1; the other limits >= 0; failureLimit -1 needs
 * consecutiveSuccessLimit > 0 (else the metric could neither fail nor succeed early); with `count` > 0:
 * count >= max(failureLimit, 0) + consecutiveSuccessLimit and count >= inconclusiveLimit; initialDelayMs is a
 * finite number >= 0. (Argo's "count > 1 needs an interval" is the decoder's: the engine always has one.)
 *
 * @example
 * ```ts
 * validateLimits({ failureLimit: 3, inconclusiveLimit: 0, consecutiveErrorLimit: 4, consecutiveSuccessLimit: 0, count: 2, initialDelayMs: 0 })
 * // ['count 2 must be >= failureLimit + consecutiveSuccessLimit (3)']
 * ```
 * @category measurements
 */
export const validateLimits = (limits: MeasurementLimits): string[] => {
  const errors: string[] = []
  const l = (typeof limits === 'object' && limits !== null ? limits : {}) as Partial<Record<keyof MeasurementLimits, unknown>>
  const { failureLimit, inconclusiveLimit, consecutiveErrorLimit, consecutiveSuccessLimit, count, initialDelayMs } = l
  if (!isInt(failureLimit) || failureLimit < -1) errors.push(`failureLimit must be an integer >= -1, got ${describeValue(failureLimit)}`)
  for (const [name, v] of [
    ['inconclusiveLimit', inconclusiveLimit],
    ['consecutiveErrorLimit', consecutiveErrorLimit],
    ['consecutiveSuccessLimit', consecutiveSuccessLimit],
  ] as const) {
    if (!isInt(v) || v < 0) errors.push(`${name} must be an integer >= 0, got ${describeValue(v)}`)
  }
  if (count !== null && (!isInt(count) || count < 0)) errors.push(`count must be an integer >= 0 or unset, got ${describeValue(count)}`)
  if (typeof initialDelayMs !== 'number' || !Number.isFinite(initialDelayMs) || initialDelayMs < 0) {
    errors.push(`initialDelayMs must be a number >= 0, got ${describeValue(initialDelayMs)}`)
  }
  if (errors.length > 0) return errors
  const fl = failureLimit as number
  const csl = consecutiveSuccessLimit as number
  if (fl === -1 && csl === 0) {
    errors.push('failureLimit -1 (failure disabled) needs consecutiveSuccessLimit > 0, otherwise the metric can never end early')
  }
  if (isInt(count) && count > 0) {
    const need = Math.max(fl, 0) + csl
    if (count < need) errors.push(`count ${count} must be >= failureLimit + consecutiveSuccessLimit (${need})`)
    if (count < (inconclusiveLimit as number)) errors.push(`count ${count} must be >= inconclusiveLimit (${describeValue(inconclusiveLimit)})`)
  }
  return errors
}

/**
 * Argo `initialDelay`: a measurement whose window ends before `startedAt + initialDelayMs` is skipped
 * (not counted, not judged). `startedAt` is when the analysis run (or step) started, epoch ms.
 *
 * @example
 * ```ts
 * skipForInitialDelay(0, 60_000, { from: 0, to: 30_000 }) // true
 * skipForInitialDelay(0, 60_000, { from: 0, to: 60_000 }) // false
 * ```
 * @category measurements
 */
export const skipForInitialDelay = (startedAt: number, initialDelayMs: number, window: Window): boolean =>
  initialDelayMs > 0 && window.to < startedAt + initialDelayMs

/**
 * When the first measurement of a metric is due (epoch ms): `startedAt + initialDelayMs`.
 *
 * @example
 * ```ts
 * firstMeasurementAt(1_000, 30_000) // 31_000
 * ```
 * @category measurements
 */
export const firstMeasurementAt = (startedAt: number, initialDelayMs: number): number =>
  startedAt + Math.max(0, initialDelayMs)

// ---------------------------------------------------------------------------------------------------------
// run phase
// ---------------------------------------------------------------------------------------------------------

/**
 * How metric phases combine into a run phase:
 * - `worst` (Argo): the worst phase, order Successful < Running < Pending < Inconclusive < Error < Failed;
 * - `anyPass`: Successful as soon as one metric is Successful (alternative signals, e.g. two sources for the
 *   same health); while none is and some are still measuring, Running (or Pending); when all ended without
 *   success, the worst of them;
 * - `majority`: Successful once more than half of the metrics are Successful; the worst of the ended ones
 *   once a majority can no longer be reached; otherwise Running (or Pending).
 *
 * @example
 * ```ts
 * const m: RunAggregation = 'anyPass'
 * ```
 * @category model
 */
export type RunAggregation = 'worst' | 'anyPass' | 'majority'

const ORDER: readonly RunPhase[] = ['Successful', 'Running', 'Pending', 'Inconclusive', 'Error', 'Failed']

/**
 * The worse of two phases in Argo's order.
 *
 * @example
 * ```ts
 * worsePhase('Inconclusive', 'Error') // 'Error'
 * ```
 * @category measurements
 */
export const worsePhase = (a: RunPhase, b: RunPhase): RunPhase => (ORDER.indexOf(b) > ORDER.indexOf(a) ? b : a)

/**
 * Aggregates metric phases into the run phase. dryRun metrics never count. No (non-dryRun) metric gives
 * Successful.
 *
 * @example
 * ```ts
 * aggregateRunPhase([{ phase: 'Successful' }, { phase: 'Failed', dryRun: true }]) // 'Successful'
 * aggregateRunPhase([{ phase: 'Successful' }, { phase: 'Failed' }])              // 'Failed'
 * aggregateRunPhase([{ phase: 'Successful' }, { phase: 'Failed' }], 'anyPass')   // 'Successful'
 * ```
 * @category measurements
 */
export const aggregateRunPhase = (
  metrics: readonly { readonly phase: MetricPhase; readonly dryRun?: boolean }[],
  mode: RunAggregation = 'worst',
): RunPhase => {
  const phases = metrics.filter((m) => m.dryRun !== true).map((m) => m.phase)
  const worst = (ps: readonly RunPhase[]): RunPhase => ps.reduce<RunPhase>(worsePhase, 'Successful')
  if (mode === 'worst' || phases.length === 0) return worst(phases)
  const successful = phases.filter((p) => p === 'Successful').length
  const open = phases.filter((p) => p === 'Running' || p === 'Pending')
  const ended = phases.filter((p) => p !== 'Successful' && p !== 'Running' && p !== 'Pending')
  const undecided: RunPhase = open.includes('Running') ? 'Running' : 'Pending'
  if (mode === 'anyPass') {
    if (successful > 0) return 'Successful'
    return open.length > 0 ? undecided : worst(ended)
  }
  // majority
  if (successful * 2 > phases.length) return 'Successful'
  if ((successful + open.length) * 2 <= phases.length) return worst(ended)
  return undecided
}

/**
 * Argo ends an analysis run early as soon as one non-dryRun metric is Failed, Error or Inconclusive; the
 * other metrics then stop measuring (and `metricPhase(..., { terminating: true })` closes them).
 *
 * @example
 * ```ts
 * isRunTerminating([{ phase: 'Running' }, { phase: 'Inconclusive' }])               // true
 * isRunTerminating([{ phase: 'Running' }, { phase: 'Failed', dryRun: true }])       // false
 * ```
 * @category measurements
 */
export const isRunTerminating = (metrics: readonly { readonly phase: MetricPhase; readonly dryRun?: boolean }[]): boolean =>
  metrics.some((m) => m.dryRun !== true && (m.phase === 'Failed' || m.phase === 'Error' || m.phase === 'Inconclusive'))

// ---------------------------------------------------------------------------------------------------------
// judge glue
// ---------------------------------------------------------------------------------------------------------

/**
 * Applies Argo counting to a judge's verdict on one measurement: the judge state becomes the counters
 * (`noData` is not a measurement: counters unchanged, left to the engine's noDataLimit). When the metric has
 * `limits`, the metric phase sets `final` (Failed / Error -> 'fail', Inconclusive -> 'pause',
 * Successful -> 'pass') and the reason message gains the counters, e.g. "(failed 2 > failureLimit 1)".
 *
 * @example
 * ```ts
 * const metric: MetricSpec = { name: 'sr', windowMs: 60_000, sample: 'value', judge: { kind: 'threshold', min: 99 }, background: true, dryRun: false,
 *   limits: { failureLimit: 0, inconclusiveLimit: 0, consecutiveErrorLimit: 4, consecutiveSuccessLimit: 0, count: null, initialDelayMs: 0 } }
 * countVerdict(metric, null, { verdict: 'fail', judgeState: null, reason: { code: 'metricFailed', message: 'sr 98 < min 99' } }).final // 'fail'
 * ```
 * @category judges
 */
export const countVerdict = (metric: MetricSpec, judgeState: unknown, judgement: Judgement): Judgement => {
  const phase = measurementPhaseOf(judgement.verdict)
  const before = asCounters(judgeState)
  if (phase === null || phase === undefined) return { ...judgement, judgeState: before }
  const counters = countMeasurement(before, phase)
  if (metric.limits === undefined) return { ...judgement, judgeState: counters }
  const mp = metricPhase(metric.limits, counters, { rule: metric.limits.countRule ?? 'kernel' })
  const final = finalOfMetricPhase(mp.phase)
  const reason: Reason = {
    ...judgement.reason,
    message: `${judgement.reason.message} (${mp.why}${final !== null ? `: metric ${mp.phase}` : ''})`,
    details: {
      ...(judgement.reason.details ?? {}),
      metricPhase: mp.phase,
      count: counters.count,
      failed: counters.failed,
      inconclusive: counters.inconclusive,
      consecutiveError: counters.consecutiveError,
      consecutiveSuccess: counters.consecutiveSuccess,
    },
  }
  return final === null ? { ...judgement, judgeState: counters, reason } : { ...judgement, judgeState: counters, reason, final }
}

const firstNumber = (v: ResultValue): number | undefined => {
  const x: unknown = typeof v === 'number' ? v : Array.isArray(v) ? v[0] : undefined
  return typeof x === 'number' && Number.isFinite(x) ? x : undefined
}

/**
 * The `condition` judge: classifies a value sample with the metric's success / failure conditions and counts
 * it (see {@link countVerdict}). Reason messages name the metric, the result and the condition text, e.g.
 * "success-rate: result [0.93] failed successCondition 'result[0] >= 0.95' (failed 2 > failureLimit 1: metric Failed)".
 * Never throws.
 *
 * @example
 * ```ts
 * const metric: MetricSpec = { name: 'sr', windowMs: 60_000, sample: 'value', background: true, dryRun: false,
 *   judge: { kind: 'condition', dialect: 'argo', successCondition: 'result[0] >= 0.95' } }
 * judgeCondition(metric, null, { kind: 'value', metric: 'sr', window: { from: 0, to: 60_000 }, value: [0.97] }).verdict // 'pass'
 * ```
 * @category judges
 */
export const judgeCondition = guarded(
  'judgeCondition',
  (metric: MetricSpec, judgeState: unknown, sample: Sample): Judgement => judgeConditionWith(metric, judgeState, sample, undefined),
  (m, _f, [, judgeState]) => unreadableJudgement(m, judgeState),
)

/**
 * {@link judgeCondition} with the metric's conditions already compiled (what a decoded spec carries).
 *
 * @example
 * ```ts
 * declare const metric: MetricSpec, sample: Sample, compiled: CompiledConditions
 * judgeConditionWith(metric, null, sample, compiled).verdict
 * ```
 * @internal
 */
export const judgeConditionWith = (metric: MetricSpec, judgeState: unknown, sample: Sample, compiled: CompiledConditions | undefined): Judgement => {
  const judge = metric.judge
  if (judge.kind !== 'condition' || sample.kind !== 'value') {
    const what = judge.kind !== 'condition' ? `judge ${judge.kind} is not a condition judge` : `expected a value sample, got ${sample.kind}`
    return countVerdict(metric, judgeState, {
      verdict: 'error',
      judgeState,
      reason: { code: 'metricError', message: `${metric.name}: ${what}`, metric: metric.name },
    })
  }
  const c = classifyWith(judge, sample.value, compiled)
  const observed = firstNumber(sample.value)
  return countVerdict(metric, judgeState, {
    verdict: verdictOfMeasurement(c.phase),
    judgeState,
    reason: {
      code: reasonCodeOfMeasurement(c.phase),
      message: `${metric.name}: ${c.detail}`,
      metric: metric.name,
      ...(observed !== undefined ? { observed } : {}),
    },
  })
}
