/**
 * Runs the real engine with synthetic answers for `plan`: every check passes (or fails) at its first
 * chance, gates are approved at once, and indefinite pauses are ended by a `promote` at once. The trace
 * is what the plan's table and timings are read from, so they cannot drift from the engine.
 *
 * @module
 */
import type { RolloutSpec } from '../config/spec.js'
import type { Decision } from '../engine/decision.js'
import type { GateAnswer, Observation, Sample } from '../engine/observation.js'
import { initialState } from '../engine/initialState.js'
import { step } from '../engine/step.js'
import type { Answer } from './probe.js'

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
  const ticks: PlanTick[] = []
  let state = initialState(spec, 0, { stable: 'v1' })
  let obs: Observation = { at: 0, revision: 'v2', ready: { canary: true, primary: true } }
  let approved: string[] = []
  let promoted = false
  const approvedAt = new Map<string, number>()
  for (let i = 0; i < maxTicks; i++) {
    const decision = step(spec, state, obs)
    ticks.push({ at: obs.at, decision, approved, promoted })
    state = decision.state
    if (state.phase === 'succeeded') return { ticks, outcome: 'promoted' }
    if (state.phase === 'failed') return { ticks, outcome: 'rolledBack' }
    // gates are approved at once; a gate asked again at the same time (a `rollout` gate asked before
    // every analysis tick) is answered together with the next tick's samples instead
    const gates: Record<string, GateAnswer> = {}
    for (const n of decision.needs) if (n.kind === 'gate') gates[n.gate] = 'approve'
    approved = Object.keys(gates)
    const fresh = approved.some((g) => approvedAt.get(g) !== state.at)
    for (const g of approved) approvedAt.set(g, state.at)
    promoted = state.paused !== null && state.paused.until === null && state.paused.by !== 'operator'
    const now = fresh || promoted
    const at = now ? state.at : decision.wakeAt
    if (at === null) return { ticks, outcome: 'unfinished' }
    const samples: Sample[] = []
    if (!now) {
      for (const n of decision.needs) {
        // a window that has not ended yet (the wake-up is earlier, e.g. a blue/green scale-down time) is
        // answered at a later call: a sample from the future would make the engine refuse the observation
        if (n.kind !== 'metric' || n.window.to > at) continue
        const a = answers.get(n.metric)
        if (a !== undefined) samples.push(a(n.window))
      }
    }
    obs = {
      at,
      ready: { canary: true, primary: true },
      ...(samples.length > 0 ? { samples } : {}),
      ...(approved.length > 0 ? { gates } : {}),
      ...(promoted ? { command: 'promote' as const } : {}),
    }
  }
  return { ticks, outcome: 'unfinished' }
}
