/**
 * `rollout-kernel/compat`: importers from upstream manifests (parsed objects) to the native config.
 * `fromFlagger` / `fromArgoRollout` give `Either<SpecError[], RolloutSpec>`; `importFlagger` /
 * `importArgoRollout` give the full `ImportResult` (spec, native input, warnings, carried fields).
 *
 * @packageDocumentation
 */
export type { ImportResult, ImportWarning, NativeInput } from './types.js'
export { importFlagger, fromFlagger, type FlaggerCarried } from './flagger.js'
export { flaggerInterval, flaggerLinearWeights, flaggerStepWeights, flaggerStrategy, flaggerThreshold, type FlaggerStrategy } from './flaggerPlan.js'
export { FLAGGER_BUILTINS } from './flaggerMetrics.js'
export { FLAGGER_WEBHOOK_TYPES } from './flaggerWebhooks.js'
export { parseGoDuration } from './goDuration.js'
export { importArgoRollout, fromArgoRollout, type ArgoCarried } from './argo.js'
export { argoPauseSeconds } from './argoSteps.js'
export { substituteArgs, readArgs, type ArgValues } from './argoArgs.js'
export { JOB_RESULT_CONTRACT } from './argoMetrics.js'
