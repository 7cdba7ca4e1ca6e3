/**
 * Turning an engine action into adapter calls ("effects") and applying them in order. A failed effect
 * stays queued, with the effects after it, and is retried on the next loop: effects are idempotent.
 *
 * @module
 */
import type { Action } from '../engine/decision.js'
import type { Traffic } from '../model/traffic.js'
import type { AdapterContext, Adapters, CanaryScaleTarget, RoutingAction } from './adapters.js'
import { asError, guarded } from '../model/guard.js'

/**
 * One adapter call: route traffic, scale the canary, or promote the primary to a revision.
 *
 * @example
 * ```ts
 * const e: Effect = { kind: 'scaleCanary', target: { kind: 'zero' } }
 * ```
 * @category model
 */
export type Effect =
  | { readonly kind: 'route'; readonly action: RoutingAction }
  | { readonly kind: 'scaleCanary'; readonly target: CanaryScaleTarget }
  | { readonly kind: 'promote'; readonly revision: string }

const scaleFor = (weight: number, scale: Traffic['canaryScale']): CanaryScaleTarget =>
  scale?.replicas !== undefined
    ? { kind: 'replicas', replicas: scale.replicas }
    : scale?.weight !== undefined
      ? { kind: 'share', weight: scale.weight }
      : { kind: 'followWeight', weight }

/**
 * The effects of an action, in the order they are applied:
 * - `setWeight`: scale the canary (following the weight or the step's canary scale), then route;
 * - `promote`: roll the primary to the revision, then route (routers that only shift weights may ignore it);
 * - `rollback`: route everything to the primary, then scale the canary to zero;
 * - `finalize`: scale the canary to zero; `switch`: route; `hold`: nothing.
 *
 * @example
 * ```ts
 * effectsOf({ type: 'rollback', revision: 'v2' })
 * // [{ kind: 'route', action: { type: 'rollback', revision: 'v2' } }, { kind: 'scaleCanary', target: { kind: 'zero' } }]
 * ```
 * @category effects
 */
export const effectsOf = guarded('effectsOf', (action: Action): Effect[] => {
  switch (action.type) {
    case 'hold':
      return []
    case 'setWeight':
      return [
        { kind: 'scaleCanary', target: scaleFor(action.weight, action.canaryScale) },
        { kind: 'route', action },
      ]
    case 'promote':
      return [
        { kind: 'promote', revision: action.revision },
        { kind: 'route', action },
      ]
    case 'rollback':
      return [
        { kind: 'route', action },
        { kind: 'scaleCanary', target: { kind: 'zero' } },
      ]
    case 'finalize':
      return [{ kind: 'scaleCanary', target: { kind: 'zero' } }]
    case 'switch':
      return [{ kind: 'route', action }]
  }
}, () => [])

/**
 * The effects that re-assert the routing a state wants (used when resuming, since effects that failed
 * before a restart were not persisted): a `setWeight` for the wanted traffic.
 *
 * @example
 * ```ts
 * reassertTraffic({ weight: 20, routes: [] }) // [scaleCanary followWeight 20, route setWeight 20]
 * ```
 * @category effects
 */
export const reassertTraffic = guarded('reassertTraffic', (traffic: Traffic): Effect[] =>
  effectsOf({
    type: 'setWeight',
    weight: traffic.weight,
    routes: traffic.routes,
    ...(traffic.mirror !== undefined ? { mirror: traffic.mirror } : {}),
    ...(traffic.canaryScale !== undefined ? { canaryScale: traffic.canaryScale } : {}),
  }), () => [])

/**
 * Performs one effect through the adapters.
 *
 * @example
 * ```ts
 * declare const adapters: Adapters, ctx: AdapterContext
 * await runEffect(adapters, { kind: 'promote', revision: 'v2' }, ctx)
 * ```
 * @category effects
 */
export const runEffect = async (adapters: Adapters, effect: Effect, ctx: AdapterContext): Promise<void> => {
  try {
    await runEffectUnguarded(adapters, effect, ctx)
  } catch (e) {
    throw asError(e)
  }
}

const runEffectUnguarded = (adapters: Adapters, effect: Effect, ctx: AdapterContext): Promise<void> => {
  switch (effect.kind) {
    case 'route':
      return adapters.router.apply(effect.action, ctx)
    case 'scaleCanary':
      return adapters.workloads.scaleCanary(effect.target, ctx)
    case 'promote':
      return adapters.workloads.promote(effect.revision, ctx)
  }
}

/**
 * A short description of an effect for logs.
 *
 * @example
 * ```ts
 * describeEffect({ kind: 'route', action: { type: 'setWeight', weight: 20, routes: [] } }) // 'route setWeight 20%'
 * ```
 * @category utils
 */
export const describeEffect = guarded('describeEffect', (effect: Effect): string => {
  switch (effect.kind) {
    case 'route':
      return effect.action.type === 'setWeight'
        ? `route setWeight ${effect.action.weight}%`
        : effect.action.type === 'switch'
          ? `route switch to ${effect.action.to}`
          : `route ${effect.action.type} ${effect.action.revision}`
    case 'scaleCanary':
      return `scale canary ${effect.target.kind === 'zero' ? 'to zero' : effect.target.kind === 'replicas' ? `to ${effect.target.replicas} replicas` : `to ${effect.target.weight}%`}`
    case 'promote':
      return `promote primary to ${effect.revision}`
  }
}, (m) => m)
