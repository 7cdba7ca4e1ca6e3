/**
 * `rollout-kernel/stats`: the judges behind the metrics and the statistics they use, for callers who
 * judge samples themselves, check a condition before deploying it, or reproduce a decision offline. The
 * engine (`step`) calls them for you: a controller needs only the main entry. docs/packaging.md says what
 * each entry holds; docs/sequential.md, docs/conditions.md and docs/kayenta.md describe the judges.
 *
 * @example
 * ```ts
 * import { isRight } from 'rollout-kernel'
 * import { mannWhitney } from 'rollout-kernel/stats'
 * const r = mannWhitney([12, 14, 15, 19, 22], [10, 11, 12, 12, 13], { confidence: 0.95, alternative: 'greater' })
 * if (isRight(r)) console.log(r.right.pValue)
 * ```
 * @packageDocumentation
 */
import * as S from '../analysis/sequential.js'
import * as D from '../analysis/sequentialDetect.js'
import type { RuleOut } from '../analysis/sequentialDetect.js'
import { unreadableJudgement } from '../analysis/judgeFallback.js'
import type { SequentialJudgeSpec } from '../model/metricSpec.js'
import type { Counts } from '../model/observation.js'
import { guarded } from '../model/guard.js'

// one sample against one metric, whatever its judge
export { initialJudgeState, judgeSample } from '../analysis/judge.js'
export { FINALS, VERDICTS, type Final, type Judgement, type Verdict } from '../model/verdict.js'
export { judgeThreshold } from '../analysis/threshold.js'
export { judgeCondition } from '../analysis/measurement.js'
export { judgeKayenta, classifyKayenta, type KayentaClassification, type KayentaLabel, type KayentaStats } from '../analysis/kayenta.js'
export { DEFAULT_TOLERANCE, type SequentialProblem, type SequentialState, type SequentialSummary } from '../analysis/sequential.js'
export type { RuleOut } from '../analysis/sequentialDetect.js'
export type { DispersionState } from '../analysis/sequentialDispersion.js'

// the condition language (Argo's successCondition / failureCondition, mathjs conditions)
export {
  CONDITION_LIMITS,
  checkCondition,
  evaluateCondition,
  type CompiledCondition,
  type ConditionDialect,
  type ConditionError,
} from '../analysis/condition.js'

// statistics
export {
  mannWhitney,
  rankSumDistribution,
  type Alternative,
  type MannWhitneyError,
  type MannWhitneyOptions,
  type MannWhitneyResult,
} from '../analysis/mannWhitney.js'
export { hodgesLehmann } from '../analysis/hodgesLehmann.js'
export { iqrFences, quantileSorted, removeOutliers, type Fences } from '../analysis/outliers.js'
export {
  kayentaScore,
  type KayentaGroupScore,
  type KayentaScore,
  type KayentaScoreError,
  type KayentaScoreOptions,
} from '../analysis/kayentaScore.js'

// The sequential judge's functions, guarded here at the entry (their module is the sequential core):
// an input they cannot read gives the documented fallback below instead of an exception (docs/totality.md).

/**
 * The state a sequential metric starts a run with. A spec that cannot be read gives the state for the
 * default tolerance (`DEFAULT_TOLERANCE`). Never throws.
 *
 * @example
 * ```ts
 * initialSequentialState({ kind: 'sequential', alpha: 0.01, tolerance: 1.1, earlyPass: false, minBadEvents: 0 }).ct // 0
 * ```
 * @category sequential
 */
export const initialSequentialState = guarded('initialSequentialState', S.initialSequentialState, (_m, f) => f({ tolerance: S.DEFAULT_TOLERANCE } as SequentialJudgeSpec))

/**
 * Adds one window of counts to a sequential state. A state that is not a sequential state of the current
 * layout, or counts that cannot be read, give the state back unchanged (no evidence added). Never throws.
 *
 * @example
 * ```ts
 * const s0 = initialSequentialState({ kind: 'sequential', alpha: 0.01, tolerance: 1.1, earlyPass: false, minBadEvents: 0 })
 * updateSequential(s0, { total: 100, bad: 3 }, { total: 100, bad: 1 }, 10_000).cb // 3
 * ```
 * @category sequential
 */
export const updateSequential = guarded(
  'updateSequential',
  (state: S.SequentialState, canary: Counts, primary: Counts, durationMs?: number): S.SequentialState => S.updateSequential(sequentialState(state), canary, primary, durationMs),
  (_m, _f, [state]) => state,
)

/**
 * What a sequential state says at level `alpha` (e-values, relative-risk estimate and interval). A state
 * that cannot be read gives the summary of a run with no evidence yet. Never throws.
 *
 * @example
 * ```ts
 * const s0 = initialSequentialState({ kind: 'sequential', alpha: 0.01, tolerance: 1.1, earlyPass: false, minBadEvents: 0 })
 * summariseSequential(0.01, s0).relativeRisk // 1
 * ```
 * @category sequential
 */
export const summariseSequential = guarded(
  'summariseSequential',
  (alpha: number, state: S.SequentialState): S.SequentialSummary => S.summariseSequential(alpha, sequentialState(state)),
  () => S.summariseSequential(0.01, S.initialSequentialState({ tolerance: S.DEFAULT_TOLERANCE } as SequentialJudgeSpec)),
)

/**
 * Judges one `counts` sample of a sequential metric (docs/sequential.md). An input that cannot be read gives
 * an `error` verdict saying why, with the judge state it was given. Never throws.
 *
 * @example
 * ```ts
 * const spec = { kind: 'sequential', alpha: 0.01, tolerance: 1.1, earlyPass: false, minBadEvents: 0 } as const
 * const j = judgeSequential('errors', spec, undefined, { kind: 'counts', metric: 'errors', window: { from: 0, to: 10_000 }, canary: { total: 100, bad: 3 }, primary: { total: 100, bad: 1 } })
 * j.verdict // 'inconclusive'
 * ```
 * @category judges
 */
export const judgeSequential = guarded('judgeSequential', S.judgeSequential, (m, _f, [metric, , judgeState]) => unreadableJudgement(m, judgeState, metric))

/**
 * Whether a sequential state rules out a relative risk of `detect` or more at level `alpha` (docs/evidence.md).
 * A state that cannot be read is not ruled out (`ruledOut: false`, `eValue` 1, `moreBadEvents` and `moreWindows` Infinity).
 * Never throws.
 *
 * @example
 * ```ts
 * const s = initialSequentialState({ kind: 'sequential', alpha: 0.01, tolerance: 1.12, earlyPass: false, minBadEvents: 0 })
 * ruleOut(s, 2, 0.01, 0.5).ruledOut // false: no evidence yet
 * ```
 * @category sequential
 */
export const ruleOut = guarded(
  'ruleOut',
  (state: S.SequentialState, detect: number, alpha: number, share: number, durationMs?: number): RuleOut => D.ruleOut(sequentialState(state), detect, alpha, share, durationMs),
  (): RuleOut => ({ ruledOut: false, against: Number.NaN, eValue: 1, moreBadEvents: Infinity, moreWindows: Infinity }),
)

/** `state` when it is a sequential state of the current layout (bounded lists), else a throw for the guard. */
const sequentialState = (state: S.SequentialState): S.SequentialState => {
  if (!S.isSequentialState(state)) throw new TypeError('expected a sequential state of the current layout (see initialSequentialState)')
  return state
}
