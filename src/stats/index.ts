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

// one sample against one metric, whatever its judge
export { initialJudgeState, judgeSample } from '../analysis/judge.js'
export { FINALS, VERDICTS, type Final, type Judgement, type Verdict } from '../model/verdict.js'
export { judgeThreshold } from '../analysis/threshold.js'
export { judgeCondition } from '../analysis/measurement.js'
export { judgeKayenta, classifyKayenta, type KayentaClassification, type KayentaLabel, type KayentaStats } from '../analysis/kayenta.js'
export {
  DEFAULT_TOLERANCE,
  initialSequentialState,
  judgeSequential,
  summariseSequential,
  updateSequential,
  type SequentialProblem,
  type SequentialState,
  type SequentialSummary,
} from '../analysis/sequential.js'
export { ruleOut, type RuleOut } from '../analysis/sequentialDetect.js'
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
