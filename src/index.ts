/**
 * rollout-kernel: the pure decision core of progressive delivery.
 *
 * @packageDocumentation
 * @module rollout-kernel
 */
export * from './config/errors.js'
export * from './config/spec.js'
export * from './config/duration.js'
export * from './config/defaults.js'
export { decodeSpec } from './config/decodeSpec.js'
export type { MetricCheck } from './config/normalize.js'
export * from './engine/observation.js'
export * from './engine/traffic.js'
export { valueMatches, requestMatches, routeRequest, type RequestAttributes } from './engine/abTest.js'
export * from './engine/decision.js'
export * from './engine/state.js'
export { initialState, type InitialStateOptions } from './engine/initialState.js'
export { step } from './engine/step.js'
export { sampleProblem } from './engine/sampleCheck.js'
export { encodeState, decodeState } from './engine/stateCodec.js'
export { splitReplicas, canaryReplicas, type ReplicaSplit } from './engine/replicas.js'
export * from './analysis/judge.js'
export * from './analysis/threshold.js'
export * from './analysis/condition.js'
export * from './analysis/measurement.js'
export * from './analysis/mannWhitney.js'
export * from './analysis/hodgesLehmann.js'
export * from './analysis/outliers.js'
export * from './analysis/kayenta.js'
export * from './analysis/kayentaScore.js'
export * from './analysis/sequential.js'
export * from './analysis/sequentialGrid.js'
export * from './analysis/bucketExceedance.js'
