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
export { playScript, type PlayOptions, type StepFunction, type TraceEntry } from './play.js'
export {
  assertInvariants,
  checkInvariants,
  formatViolations,
  type InvariantName,
  type InvariantOptions,
  type Violation,
} from './invariants.js'
export { hostileValue, hostileWithin, revokedProxy, throwingGetter, throwingProxy, unprintable, type Hostile } from './hostile.js'
// the cooperative caller, world models and their arbitraries (explicit lists: follow-up)
export * from './specArbitraries.js'
export * from './probe.js'
export * from './world.js'
export * from './cooperative.js'
export * from './properties.js'
