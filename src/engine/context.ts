/**
 * The context of one `step` call (`StepContext`): a shallow mutable copy of the input state (`Draft`) plus
 * the reasons, events and effects gathered so far. Local to one call, so `step` stays pure and the caller's
 * state is never touched.
 *
 * @module
 */
import type { RolloutSpec } from '../config/spec.js'
import type { Action, Reason, RolloutEvent } from './decision.js'
import type { Observation } from '../model/observation.js'
import { STATE_KEYS, type MetricState, type RolloutState } from './state.js'

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
  /**
   * The effects decided in this call, in order: appended (`addEffect`, `decide`), never overwritten or
   * removed. The decision's action is the last one (`decisionEffect`); none means "derive it from the
   * traffic change".
   */
  readonly effects: Action[]
  /** The traffic changed in this call (a setWeight action is due). */
  trafficChanged: boolean
  /** The analysis tick's outcome in this call. */
  tick: TickOutcome
  /** The call is over: later stages must not run. */
  done: boolean
  /** The metrics record this call copied and may write in place (null until the first write). */
  ownedMetrics: Record<string, MetricState> | null
  /**
   * What a revision change in this observation did: made the baseline, ended the run (the stable
   * revision is back) or started a new run; `null` when the revision did not change.
   */
  revisionChange: null | { readonly from: string | null; readonly to: string; readonly outcome: 'baseline' | 'ended' | 'started' }
  /** The observation's samples were read by the analysis in this call. */
  samplesRead: boolean
}

/** The keys of a state written before `inconclusiveTicks` existed. */
const EARLIER_KEYS: readonly string[] = STATE_KEYS.filter((k) => k !== 'inconclusiveTicks')

/** The enumerable keys of `state` are exactly `keys` in that order, optionally followed by `scaleDownAt`. */
const keysAre = (state: RolloutState, keys: readonly string[]): boolean => {
  let i = 0
  for (const k in state) {
    if (i < keys.length ? k !== keys[i] : i > keys.length || k !== 'scaleDownAt') return false
    i++
  }
  return i === keys.length || i === keys.length + 1
}

/**
 * True when `state` is a plain object whose enumerable keys are exactly `STATE_KEYS` in that order (or those of a
 * state written before `inconclusiveTicks` existed), optionally followed by `scaleDownAt`: then `canonicalCopy`
 * gives what `{ ...state, at }` gives (same keys, same order, same values; the missing count as 0, in its place),
 * as one object layout whatever the input's history, which keeps the engine's property accesses monomorphic.
 * Anything else (extra keys, another order, a prototype) takes the spread.
 */
const hasCanonicalKeys = (state: RolloutState): boolean =>
  Object.getPrototypeOf(state) === Object.prototype && (keysAre(state, STATE_KEYS) || keysAre(state, EARLIER_KEYS))

/** `inconclusiveTicks`, 0 in a state written before it existed (`step` reads such states as they are). */
const inconclusiveTicksOf = (s: RolloutState): number => (s as Partial<RolloutState>).inconclusiveTicks ?? 0

const canonicalCopy = (s: RolloutState, at: number): Draft => {
  const d: Draft = {
    v: s.v,
    phase: s.phase,
    at,
    revision: s.revision,
    stable: s.stable,
    startedAt: s.startedAt,
    stepIndex: s.stepIndex,
    stepStartedAt: s.stepStartedAt,
    stepPasses: s.stepPasses,
    traffic: s.traffic,
    failedChecks: s.failedChecks,
    consecutiveFailures: s.consecutiveFailures,
    noDataTicks: s.noDataTicks,
    inconclusiveTicks: inconclusiveTicksOf(s),
    ticks: s.ticks,
    nextTickAt: s.nextTickAt,
    waitingSince: s.waitingSince,
    canaryReady: s.canaryReady,
    approved: s.approved,
    paused: s.paused,
    resumePhase: s.resumePhase,
    metrics: s.metrics,
    lastFailure: s.lastFailure,
  }
  if (Object.prototype.hasOwnProperty.call(s, 'scaleDownAt')) d.scaleDownAt = s.scaleDownAt as number
  return d
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
  d: hasCanonicalKeys(state) ? canonicalCopy(state, obs.at) : { ...state, at: obs.at, inconclusiveTicks: inconclusiveTicksOf(state) },
  reasons: [],
  events: [],
  effects: [],
  trafficChanged: false,
  tick: 'none',
  done: false,
  ownedMetrics: null,
  revisionChange: null,
  samplesRead: false,
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

/**
 * Appends an effect that does not end the call (the blue/green `switch`: the program goes on after it).
 *
 * @example
 * ```ts
 * declare const ctx: StepContext
 * addEffect(ctx, { type: 'switch', to: 'canary', revision: 'v2' })
 * ```
 * @category utils
 */
export const addEffect = (ctx: StepContext, action: Action): void => {
  ctx.effects.push(action)
}

/**
 * Appends a decisive effect (promote, rollback or its deferred traffic move, finalize, a restart's weight 0)
 * and ends the call: later stages do not run, and the routing changes made before it are superseded by it.
 *
 * @example
 * ```ts
 * declare const ctx: StepContext
 * decide(ctx, { type: 'promote', revision: 'v2' })
 * ```
 * @category utils
 */
export const decide = (ctx: StepContext, action: Action): void => {
  ctx.effects.push(action)
  ctx.trafficChanged = false
  ctx.done = true
}

/**
 * Ends the call without an effect (an operator `pause`: the routing stays as it is).
 *
 * @example
 * ```ts
 * declare const ctx: StepContext
 * endCall(ctx)
 * ```
 * @category utils
 */
export const endCall = (ctx: StepContext): void => {
  ctx.done = true
}

/**
 * The effect the decision carries: the last one appended. Effects follow each other in one call only when a
 * later one supersedes the earlier: a rollback (an operator `abort` in the observation that restarted the
 * run; a rollback gate or a failed check after a blue/green `switch`) undoes the routing the earlier effect
 * asked for. `null`: no effect; the action follows from the traffic change (or is `hold`).
 *
 * @example
 * ```ts
 * declare const ctx: StepContext
 * const action = decisionEffect(ctx) ?? { type: 'hold' }
 * ```
 * @category utils
 */
export const decisionEffect = (ctx: StepContext): Action | null => ctx.effects[ctx.effects.length - 1] ?? null

