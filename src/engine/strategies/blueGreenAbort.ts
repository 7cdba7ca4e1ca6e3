/**
 * How a blue/green rollout goes back (docs/strategies.md): the rollback itself is immediate (phase `failed`,
 * no traffic to the new version) but, with `abortScaleDownDelay` > 0, the first action only moves the
 * traffic (a `switch` back to `'primary'` when the active service pointed at the new version, else a
 * `setWeight` 0 that takes the preview away) and the `rollback` action that scales the rejected version
 * down follows once the delay is over (Argo's `abortScaleDownDelaySeconds`).
 *
 * @module
 */
import type { StepContext } from '../context.js'
import { decide } from '../context.js'
import type { Action } from '../decision.js'
import type { Traffic } from '../../model/traffic.js'
import { formatInstant } from '../../config/duration.js'

const hadTraffic = (t: Traffic): boolean => t.weight > 0 || t.preview === true || (t.mirror ?? 0) > 0 || t.routes.length > 0

/**
 * Called by `rollback` after it reset the routing: for blue/green with an abort scale-down delay, schedules
 * the scale-down in `state.scaleDownAt` and returns the traffic move that `rollback` decides instead of the
 * `rollback` action (which follows once the delay is over); `null` when the scale-down is not deferred.
 * `before` is the routing before the rollback.
 *
 * @example
 * ```ts
 * declare const ctx: StepContext
 * const before = ctx.d.traffic
 * // ... rollback(ctx, reason) resets ctx.d.traffic, then:
 * const move = deferScaleDown(ctx, before) // the action to decide, or null for the rollback itself
 * ```
 * @category blueGreen
 */
export const deferScaleDown = (ctx: StepContext, before: Traffic): Action | null => {
  const { spec, d, at } = ctx
  delete d.scaleDownAt
  if (spec.strategy.kind !== 'blueGreen') return null
  const delay = spec.strategy.abortScaleDownDelayMs
  if (delay <= 0 || !hadTraffic(before)) return null
  const revision = d.revision ?? ''
  d.scaleDownAt = at + delay
  const switched = before.weight >= 100
  ctx.reasons.push({
    code: switched ? 'switchedBack' : 'previewRemoved',
    message: `${switched ? 'active service switched back to the primary' : 'preview removed'}; ${revision} is scaled down at ${formatInstant(at + delay)} (abortScaleDownDelay)`,
  })
  return switched ? { type: 'switch', to: 'primary', revision } : { type: 'setWeight', weight: 0, routes: [] }
}

/**
 * In `failed`: once `state.scaleDownAt` has passed, the `rollback` action scales the rejected version down.
 *
 * @example
 * ```ts
 * declare const ctx: StepContext
 * runDeferredScaleDown(ctx)
 * ```
 * @category blueGreen
 */
export const runDeferredScaleDown = (ctx: StepContext): void => {
  const { d, at } = ctx
  if (d.scaleDownAt === undefined) return
  if (at < d.scaleDownAt) {
    ctx.reasons.push({ code: 'abortScaleDownDelay', message: `${d.revision ?? ''} is kept until ${formatInstant(d.scaleDownAt)} (abortScaleDownDelay), then scaled down` })
    return
  }
  delete d.scaleDownAt
  const revision = d.revision ?? ''
  decide(ctx, { type: 'rollback', revision })
  ctx.reasons.push({ code: 'failed', message: `abortScaleDownDelay over: scaling ${revision} down` })
}
