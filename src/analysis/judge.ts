/**
 * The judge dispatch: one function that judges one sample of one metric, whatever the metric's judge
 * kind, and returns a verdict, the judge's next state and a reason. Pure.
 *
 * @module
 */
import type { MetricSpec } from '../model/metricSpec.js'
import type { Sample } from '../model/observation.js'
import type { Judgement } from '../model/verdict.js'
import { initialSequentialState, judgeSequential } from './sequential.js'
import { judgeThreshold } from './threshold.js'
import { countVerdict, initialCounters, judgeConditionWith } from './measurement.js'
import type { CompiledConditions } from './condition.js'
import { judgeKayenta } from './kayenta.js'
import { guarded } from '../model/guard.js'
import { unreadableJudgement } from './judgeFallback.js'

// the verdict vocabulary lives in src/model (a leaf), so judges and the engine state share it without a cycle
export type { Final, Judgement, Verdict } from '../model/verdict.js'

/**
 * The state a metric's judge starts a run with.
 *
 * @example
 * ```ts
 * initialJudgeState({ name: 'sr', windowMs: 60_000, sample: 'value', judge: { kind: 'threshold', min: 99 }, background: true, dryRun: false }) // null
 * ```
 * @category constructors
 */
export const initialJudgeState = guarded('initialJudgeState', (metric: MetricSpec): unknown => {
  switch (metric.judge.kind) {
    case 'threshold':
      return metric.limits ? initialCounters() : null
    case 'condition':
      return initialCounters()
    case 'sequential':
      return initialSequentialState(metric.judge)
    default:
      return null
  }
}, () => null)

/**
 * Judges one sample of `metric`. The sample's metric name and kind have been checked by the engine;
 * a `noData` sample always gives `noData`. Never throws.
 *
 * @example
 * ```ts
 * const metric: MetricSpec = { name: 'sr', windowMs: 60_000, sample: 'value', judge: { kind: 'threshold', min: 99 }, background: true, dryRun: false }
 * judgeSample(metric, null, { kind: 'value', metric: 'sr', window: { from: 0, to: 60_000 }, value: 98 }).verdict // 'fail'
 * ```
 * @category judges
 */
export const judgeSample = guarded(
  'judgeSample',
  (metric: MetricSpec, judgeState: unknown, sample: Sample): Judgement => judgeSampleWith(metric, judgeState, sample, undefined),
  (m, _f, [, judgeState]) => unreadableJudgement(m, judgeState),
)

/**
 * {@link judgeSample} with the metric's conditions already compiled: the engine passes what the decoded
 * spec carries (config/specIndex.ts), so a condition metric is judged without compiling or looking up its
 * text; `undefined` compiles on demand.
 *
 * @example
 * ```ts
 * declare const metric: MetricSpec, sample: Sample, compiled: CompiledConditions | undefined
 * judgeSampleWith(metric, null, sample, compiled).verdict
 * ```
 * @internal
 */
export const judgeSampleWith = (metric: MetricSpec, judgeState: unknown, sample: Sample, conditions: CompiledConditions | undefined): Judgement => {
  if (sample.kind === 'noData') {
    return {
      verdict: 'noData',
      judgeState,
      reason: {
        code: 'noData',
        message: `${metric.name}: no data for the window${sample.detail ? ` (${sample.detail})` : ''}`,
        metric: metric.name,
      },
    }
  }
  const judge = metric.judge
  switch (judge.kind) {
    case 'threshold':
      return metric.limits
        ? countVerdict(metric, judgeState, judgeThreshold(metric.name, judge, sample))
        : judgeThreshold(metric.name, judge, sample)
    case 'condition':
      return judgeConditionWith(metric, judgeState, sample, conditions)
    case 'mannWhitney':
      return judgeKayenta(metric.name, judge, sample)
    case 'sequential':
      return judgeSequential(metric.name, judge, judgeState, sample)
    default:
      return {
        verdict: 'error',
        judgeState,
        reason: { code: 'metricError', message: `${metric.name}: judge ${(judge as { kind: string }).kind} is not available`, metric: metric.name },
      }
  }
}
