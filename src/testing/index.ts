/**
 * `rollout-kernel/testing`: the seeded traffic simulator, fast-check arbitraries (spec inputs and observation
 * scripts), the script player and the invariant checkers. fast-check is an optional peer dependency, needed
 * only by the arbitraries. Never imported by the main entry.
 *
 * @packageDocumentation
 */
export { createPrng, deriveSeed, hashString, mix32, type Prng } from './prng.js'
export {
  beta,
  binomial,
  erfc,
  gamma,
  logFactorial,
  logGamma,
  lognormal,
  normal,
  normalCdf,
  normalQuantile,
  poisson,
} from './distributions.js'
export {
  createSimulator,
  defaultHeterogeneity,
  defaultMetricBindings,
  exceedance,
  type Arm,
  type ArmStats,
  type Heterogeneity,
  type LatencyModel,
  type MetricBinding,
  type Regression,
  type ResolvedSimulatorConfig,
  type Simulator,
  type SimulatorConfig,
  type WindowStats,
} from './simulator.js'
export {
  canarySpecInput,
  observationScript,
  type CanarySpecInput,
  type Garbage,
  type MetricInput,
  type SampleMood,
  type ScriptOptions,
  type ScriptStep,
  type SpecInputOptions,
  type StepInput,
} from './arbitraries.js'
export { playScript, type PlayOptions } from './play.js'
export type { StepFunction, TraceEntry } from './trace.js'
export {
  assertInvariants,
  checkInvariants,
  formatViolations,
  type InvariantName,
  type InvariantOptions,
  type Violation,
} from './invariants.js'
export {
  hostileValue,
  hostileWithin,
  nullProtoWithGetter,
  oneTrapProxy,
  revokedProxy,
  throwingConversion,
  throwingGetter,
  throwingProxy,
  unprintable,
  type Hostile,
} from './hostile.js'
export { ALL_GATE_TYPES, rolloutSpecInput, type JudgeKind, type RolloutSpecInput, type RolloutSpecOptions, type StrategyKind } from './specArbitraries.js'
export { probeAnswer, type Answer } from './probe.js'
export {
  answersWorld,
  approveEveryGate,
  cooperativeGate,
  metricAnswers,
  metricWorld,
  type GateNeed,
  type Health,
  type MetricNeed,
  type Readiness,
  type World,
} from './world.js'
export {
  answerNeeds,
  longestSameTimeRun,
  runToEnd,
  type AnswerOptions,
  type Answered,
  type GateReply,
  type RunCall,
  type RunOptions,
  type RunOutcome,
  type RunResult,
} from './cooperative.js'
export {
  canDecide,
  checkLiveness,
  checkProgress,
  checkSafety,
  formatPropertyViolations,
  holdingMetrics,
  minimumDuration,
  PLAN_CALLER,
  undecidableExperiment,
  undecidableStep,
  type LivenessExpectation,
  type PropertyName,
  type PropertyViolation,
} from './properties.js'
export { assertLive, assertNoViolations, decodeDrawn, shortTrace } from './propertyAssertions.js'
