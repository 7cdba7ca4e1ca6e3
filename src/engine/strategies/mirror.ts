/**
 * Flagger's traffic mirroring (`mirror: true`) as a phase of its own: before the first live weight the
 * canary only receives a copy of the primary's requests (responses are discarded), the analysis runs on
 * that mirrored traffic, and live weight starts only after one passing analysis interval. Entering and
 * staying in the mirrored phase asks no confirm-traffic-increase gate (no user is served by the canary);
 * the step from mirror to live weight does. The mirror is removed when live weight starts.
 *
 * @module
 */
import type { StepContext } from '../context.js'
import type { RolloutState } from '../state.js'
import type { Traffic } from '../../model/traffic.js'
import { formatInstant } from '../../config/duration.js'

/**
 * True while the rollout is in the mirrored phase and its analysis interval has not passed yet: the canary
 * gets mirrored traffic only (no live weight) and no passing tick has been counted at the current step.
 *
 * @example
 * ```ts
 * declare const s: RolloutState
 * if (mirrorPending(s)) console.log('still shadowing')
 * ```
 * @category predicates
 */
export const mirrorPending = (s: Pick<RolloutState, 'traffic' | 'stepPasses'>): boolean =>
  (s.traffic.mirror ?? 0) > 0 && s.traffic.weight === 0 && s.stepPasses < 1

/**
 * Called by a weight step about to raise live weight above 0: holds (with a reason) while the mirrored
 * analysis interval has not passed; returns true when the step must wait.
 *
 * @example
 * ```ts
 * declare const ctx: StepContext
 * if (holdForMirror(ctx, 10)) console.log('wait for the mirrored interval')
 * ```
 * @category canary
 */
export const holdForMirror = (ctx: StepContext, weight: number): boolean => {
  const { d } = ctx
  if (weight <= 0 || !mirrorPending(d)) return false
  ctx.reasons.push({
    code: 'mirroring',
    message: `mirroring ${d.traffic.mirror ?? 0}% of the primary's requests to the canary; live weight ${weight} after one passing analysis (next at ${d.nextTickAt === null ? '-' : formatInstant(d.nextTickAt)})`,
  })
  return true
}

/**
 * The routing with live weight `weight`: the mirror is dropped as soon as live weight starts (Flagger).
 *
 * @example
 * ```ts
 * withLiveWeight({ weight: 0, routes: [], mirror: 100 }, 10) // { weight: 10, routes: [] }
 * ```
 * @category constructors
 */
export const withLiveWeight = (traffic: Traffic, weight: number): Traffic => {
  if (weight <= 0 || traffic.mirror === undefined) return { ...traffic, weight }
  const { mirror: _mirror, ...rest } = traffic
  return { ...rest, weight }
}
