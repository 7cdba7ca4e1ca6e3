/**
 * The working copy of one `step` call: a shallow mutable copy of the input state plus the reasons, events
 * and action gathered so far. Local to one call, so `step` stays pure and the caller's state is never
 * touched.
 *
 * @module
 */
import type { RolloutSpec } from '../config/spec.js'
import type { Action, Reason, RolloutEvent } from './decision.js'
import type { Observation } from './observation.js'
import type { MetricState, RolloutState } from './state.js'

/**
 * A mutable view of `RolloutState`.
 *
 * @example
 * ```ts
 * declare const s: RolloutState
 * const d: Draft = { ...s }
 * ```
 * @category model
 */
export type Draft = { -readonly [K in keyof RolloutState]: RolloutState[K] }

/**
 * How the analysis tick went in this call.
 *
 * @example
 * ```ts
 * const t: TickOutcome = 'pass'
 * ```
 * @category model
 */
export type TickOutcome = 'none' | 'awaiting' | 'pass' | 'fail' | 'noData' | 'inconclusive'

/**
 * Everything one `step` call works on.
 *
 * @example
 * ```ts
 * declare const ctx: StepContext
 * ctx.reasons.push({ code: 'waitingInterval', message: 'next analysis at ...' })
 * ```
 * @category model
 */
export interface StepContext {
  readonly spec: RolloutSpec
  readonly obs: Observation
  readonly at: number
  readonly d: Draft
  readonly reasons: Reason[]
  readonly events: RolloutEvent[]
  /** A decisive action (promote, rollback, finalize, restart); `null` = derive from traffic changes. */
  action: Action | null
  /** The traffic changed in this call (a setWeight action is due). */
  trafficChanged: boolean
  /** The analysis tick's outcome in this call. */
  tick: TickOutcome
  /** The call is over: later stages must not run. */
  done: boolean
  /** The metrics record this call copied and may write in place (null until the first write). */
  ownedMetrics: Record<string, MetricState> | null
}

/**
 * Creates the context of one call.
 *
 * @example
 * ```ts
 * declare const spec: RolloutSpec, state: RolloutState
 * const ctx = createContext(spec, state, { at: state.at })
 * ```
 * @category constructors
 */
export const createContext = (spec: RolloutSpec, state: RolloutState, obs: Observation): StepContext => ({
  spec,
  obs,
  at: obs.at,
  d: { ...state, at: obs.at },
  reasons: [],
  events: [],
  action: null,
  trafficChanged: false,
  tick: 'none',
  done: false,
  ownedMetrics: null,
})

/**
 * Records an event (and its reason when given).
 *
 * @example
 * ```ts
 * declare const ctx: StepContext
 * emit(ctx, 'paused', 'info', 'paused by an operator')
 * ```
 * @category utils
 */
export const emit = (ctx: StepContext, type: RolloutEvent['type'], severity: RolloutEvent['severity'], message: string): void => {
  ctx.events.push({ type, severity, message })
}
