/**
 * Runs the real engine with synthetic answers for `plan`: every check passes (or fails) at its first
 * chance, gates are approved at once, and indefinite pauses are ended by a `promote` at once. The trace
 * is what the plan's table and timings are read from, so they cannot drift from the engine.
 *
 * @module
 */
import type { RolloutSpec } from '../config/spec.js'
import type { Decision } from '../engine/decision.js'
import type { Answer } from '../testing/probe.js'
import { runToEnd } from '../testing/cooperative.js'
import { PLAN_CALLER } from '../testing/properties.js'
import { answersWorld } from '../testing/world.js'

/**
 * One engine call of a plan run.
 *
 * @example
 * ```ts
 * declare const t: PlanTick
 * console.log(t.at, t.decision.state.stepIndex, t.promoted)
 * ```
 * @category model
 */
export interface PlanTick {
  readonly at: number
  readonly decision: Decision
  /** The gates approved in this call's observation. */
  readonly approved: readonly string[]
  /** True when this call carried a `promote` command ending an indefinite pause. */
  readonly promoted: boolean
}

/**
 * A plan run's trace and how it ended.
 *
 * @example
 * ```ts
 * declare const r: PlanRun
 * if (r.outcome === 'rolledBack') console.log(r.ticks.at(-1)?.at)
 * ```
 * @category model
 */
export interface PlanRun {
  readonly ticks: readonly PlanTick[]
  readonly outcome: 'promoted' | 'rolledBack' | 'unfinished'
}

/**
 * Runs v2 over stable v1 from time 0 with `answers` (metric name -> answer; metrics without one get
 * no sample), approving gates and ending indefinite pauses at once.
 *
 * @example
 * ```ts
 * import * as E from 'fp-ts/lib/Either.js'
 * import { decodeSpec } from '../config/decodeSpec.js'
 * const spec = decodeSpec({ strategy: { canary: { stepWeight: 50, maxWeight: 100 } } })
 * if (E.isRight(spec)) planRun(spec.right, new Map()).outcome // 'promoted'
 * ```
 * @category plan
 */
export const planRun = (spec: RolloutSpec, answers: ReadonlyMap<string, Answer>, maxTicks = 5000): PlanRun => {
  // gates are approved at once (a `rollback` gate answers "carry on": its approval asks for a rollback); a gate asked again at the same time (a `rollout` gate asked before every
  // analysis tick) is answered together with the next tick's samples instead. A window that has not ended
  // yet (the wake-up is earlier, e.g. a blue/green scale-down time) is answered at a later call.
  const run = runToEnd(spec, answersWorld(answers), { ...PLAN_CALLER, maxCalls: maxTicks })
  const ticks = run.calls.map((c): PlanTick => ({ at: c.observation.at, decision: c.decision, approved: c.gates.map((g) => g.gate), promoted: c.promoted }))
  return { ticks, outcome: run.outcome === 'succeeded' ? 'promoted' : run.outcome === 'failed' ? 'rolledBack' : 'unfinished' }
}
