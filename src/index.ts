/**
 * rollout-kernel: the pure decision core of progressive delivery.
 *
 * @packageDocumentation
 */
export * from './config/errors.js'
export * from './config/spec.js'
export * from './engine/observation.js'
export * from './engine/traffic.js'
export * from './engine/decision.js'
export * from './engine/state.js'
export * from './analysis/judge.js'
export * from './analysis/threshold.js'
export * from './analysis/condition.js'
export * from './analysis/measurement.js'
