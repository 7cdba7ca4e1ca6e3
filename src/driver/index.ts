/**
 * `rollout-kernel/driver`: the reference imperative shell. `drive` runs needs -> gather -> step -> apply
 * -> persist -> wait against adapters you provide (metrics, router, workloads, gates, clock, persistence).
 *
 * @packageDocumentation
 */
export * from './adapters.js'
export * from './clock.js'
export * from './commands.js'
export * from './events.js'
export * from './effects.js'
export * from './gather.js'
export * from './timeout.js'
export * from './memory.js'
export * from './drive.js'
export * from './metrics.js'
