/**
 * What a played script leaves behind (`TraceEntry`) and the step function it plays against
 * (`StepFunction`): the types shared by the script player, the cooperative caller and the invariant
 * checkers, in a file of their own so that none of them imports another for a type.
 *
 * @module
 */
import type { RolloutSpec } from '../config/spec.js'
import type { Decision } from '../engine/decision.js'
import type { Observation } from '../model/observation.js'
import type { RolloutState } from '../engine/state.js'

/**
 * One stepped observation: the state it was applied to, the observation, and the decision (or what was thrown).
 *
 * @example
 * ```ts
 * declare const e: TraceEntry
 * e.decision?.action.type
 * ```
 * @category model
 */
export interface TraceEntry {
  readonly before: RolloutState
  readonly observation: Observation
  readonly decision: Decision | null
  readonly thrown: unknown
}

/**
 * The step function under test (the real `step` by default; pass your own wrapper to test it).
 *
 * @example
 * ```ts
 * const f: StepFunction = (spec, state, obs) => step(spec, state, obs)
 * ```
 * @category model
 */
export type StepFunction = (spec: RolloutSpec, state: RolloutState, obs: Observation) => Decision
