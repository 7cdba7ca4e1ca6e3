/**
 * `rollout-kernel/testing`: the seeded traffic simulator, fast-check arbitraries (spec inputs and observation
 * scripts), the script player and the invariant checkers. fast-check is an optional peer dependency, needed
 * only by the arbitraries. Never imported by the main entry.
 *
 * @packageDocumentation
 */
export * from './prng.js'
export * from './distributions.js'
export * from './simulator.js'
export * from './arbitraries.js'
export * from './play.js'
export * from './invariants.js'
export * from './specArbitraries.js'
export * from './probe.js'
export * from './world.js'
export * from './cooperative.js'
export * from './properties.js'
