/**
 * rollout-kernel: the pure decision core of progressive delivery. Decode a spec (`decodeSpec`), start a
 * state (`initialState`), and call `step` with what you observed: the decision says what to do, why, what
 * to measure next and when to call again. Every name is exported explicitly; the judges and statistics
 * behind the metrics live in `rollout-kernel/stats`.
 *
 * @packageDocumentation
 * @module rollout-kernel
 */

// results: Either without fp-ts
export { isLeft, isRight, type Either, type Left, type Right } from './either.js'

// the spec and its decoder
export type { SpecError } from './model/errors.js'
export type {
  AbTestStrategySpec,
  AnalysisSpec,
  BlueGreenStep,
  BlueGreenStrategySpec,
  CanaryStep,
  CanaryStrategySpec,
  ConditionJudgeSpec,
  ExperimentAnalysisSpec,
  ExperimentStep,
  ExperimentTemplateSpec,
  GateSpec,
  GateType,
  JudgeSpec,
  MannWhitneyJudgeSpec,
  MeasurementLimits,
  MetricSpec,
  ProgramStep,
  PromotionAnalysisSpec,
  RolloutSpec,
  ScoreSpec,
  SequentialJudgeSpec,
  StrategySpec,
  ThresholdJudgeSpec,
} from './config/spec.js'
export { decodeSpec } from './config/decodeSpec.js'
export type { MetricCheck } from './config/normalize.js'
export { DEFAULTS } from './config/defaults.js'
export { formatDuration, parseDuration } from './config/duration.js'

// what the caller observed
export { COMMANDS, GATE_ANSWERS } from './model/observation.js'
export type {
  Command,
  Counts,
  CountsSample,
  GateAnswer,
  NoDataSample,
  Observation,
  PointsSample,
  Sample,
  ValueSample,
  Window,
} from './model/observation.js'
// a `counts` sample from two latency histograms (bad = requests above a bucket bound)
export { bucketExceedance, type Bucket, type BucketProblem } from './analysis/bucketExceedance.js'

// traffic, routes and replicas
export type { CanaryScale, ExperimentTraffic, ManagedRoute, RequestMatch, StringMatch, Traffic } from './model/traffic.js'
export { requestMatches, routeRequest, valueMatches, type RequestAttributes } from './engine/strategies/abTest.js'
export { canaryReplicas, splitReplicas, type ReplicaSplit } from './engine/replicas.js'

// the state and the decision
export type { FailureRecord, MetricState, RolloutState } from './engine/state.js'
export { PHASES, type Phase } from './model/phase.js'
export { FINALS, VERDICTS, type Final, type Judgement, type Verdict } from './model/verdict.js'
export type {
  Action,
  Decision,
  FinalizeAction,
  HoldAction,
  Need,
  PromoteAction,
  Reason,
  RollbackAction,
  RolloutEvent,
  SetWeightAction,
  SwitchAction,
} from './engine/decision.js'
export { REASON_CODES, type ReasonCode } from './model/reason.js'
export { ROLLOUT_EVENT_TYPES, type RolloutEventType } from './model/event.js'

// the engine
export { initialState, type InitialStateOptions } from './engine/initialState.js'
export { step } from './engine/step.js'
export { decodeState, encodeState } from './engine/stateCodec.js'
// is a sample usable before you send it (the reason it would be ignored, or null)
export { sampleProblem } from './engine/sampleCheck.js'
