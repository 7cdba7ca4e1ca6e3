/**
 * Promotion, for every strategy: past the last step the confirm gates (`enterPromotion`), then `promoting`
 * (traffic shifted back to the promoted primary, `stepWeightPromotion` at a time, while the primary is
 * ready) and `finalising` (the canary scaled down; the rollout succeeded).
 *
 * @module
 */
import type { Reason } from './decision.js'
import type { StepContext } from './context.js'
import { decide, emit } from './context.js'
import { checkGates } from './gates.js'
import { endRun, nextTick, promote, rollback, setTraffic } from './transitions.js'
import { formatDuration } from '../config/duration.js'
import { switchedTraffic } from './strategies/blueGreen.js'
import { programSize } from './programLabels.js'
import { holdForEvidence } from './evidenceGate.js'

/**
 * The program is over: for a canary, ask the confirm-traffic-increase gates (the promotion gives the new
 * revision all the traffic; Flagger asks them in the tick that promotes at max weight), then the
 * confirm-promotion gates (analysis goes on meanwhile), and promote when they approve.
 *
 * @example
 * ```ts
 * declare const ctx: StepContext
 * enterPromotion(ctx)
 * ```
 * @category canary
 */
export const enterPromotion = (ctx: StepContext): void => {
  const { d } = ctx
  if (d.phase !== 'waitingPromotion') {
    d.phase = 'waitingPromotion'
    emit(ctx, 'promotionReady', 'info', `${d.revision} passed every step; ready for promotion`)
  }
  if (ctx.trafficChanged) {
    ctx.reasons.push({ code: 'promotionReady', message: 'all steps passed; promotion follows the routing change of this step' })
    return
  }
  if (holdForEvidence(ctx)) return
  if (ctx.spec.strategy.kind === 'canary') {
    const inc = checkGates(ctx, 'confirm-traffic-increase')
    if (inc === 'rollback') return rollback(ctx, { code: 'gateRollback', message: 'a confirm-traffic-increase gate asked for a rollback' })
    if (inc !== 'approved') {
      ctx.reasons.push({ code: 'promotionReady', message: "all steps passed; waiting for confirm-traffic-increase before the promotion's traffic shift" })
      return
    }
  }
  const g = checkGates(ctx, 'confirm-promotion')
  if (g === 'rollback') return rollback(ctx, { code: 'gateRollback', message: 'a confirm-promotion gate asked for a rollback' })
  if (g !== 'approved') {
    ctx.reasons.push({ code: 'promotionReady', message: 'all steps passed; waiting for confirm-promotion' })
    return
  }
  promote(ctx, `${programSize(ctx)} passed`)
}

/**
 * After the promotion the primary runs the new revision: while it is not ready the split is held (no
 * traffic moves to it, the canary is not scaled down), within the progress deadline counted from the
 * first "not ready". Past the deadline the promotion failed (Flagger #1898): all traffic goes back to the
 * canary, the only ready copy of the revision, which is kept; the phase is `failed`. A readiness report
 * that omits `primary` keeps the last known one (a wait in progress goes on).
 *
 * @example
 * ```ts
 * declare const ctx: StepContext
 * if (primaryReady(ctx)) console.log('shift traffic to the primary')
 * ```
 * @category canary
 */
export const primaryReady = (ctx: StepContext): boolean => {
  const { d, at, spec } = ctx
  const reported = ctx.obs.ready?.primary
  const ready = reported ?? d.waitingSince === null
  if (ready) {
    d.waitingSince = null
    return true
  }
  const since = d.waitingSince ?? at
  d.waitingSince = since
  const waited = at - since
  const revision = d.revision ?? ''
  if (at >= since + spec.progressDeadlineMs) {
    failPromotion(ctx, {
      code: 'progressDeadline',
      message: `primary (promoted to ${revision}) not ready for ${formatDuration(waited)} >= progressDeadline ${formatDuration(spec.progressDeadlineMs)}: all traffic back to the canary, which is kept`,
      observed: waited,
      bound: spec.progressDeadlineMs,
    })
    return false
  }
  ctx.reasons.push({
    code: 'awaitingReadiness',
    message: `${d.phase}: waiting for the primary (promoted to ${revision}) to be ready (${formatDuration(waited)} of ${formatDuration(spec.progressDeadlineMs)} progress deadline); the traffic split is held`,
    observed: waited,
    bound: spec.progressDeadlineMs,
  })
  return false
}

const failPromotion = (ctx: StepContext, reason: Reason): void => {
  const { d, at } = ctx
  const revision = d.revision ?? ''
  endRun(ctx, 'failed')
  // the promoted primary failed: the traffic stays switched to the canary (endRun would send none)
  d.traffic = switchedTraffic
  d.lastFailure = {
    code: reason.code,
    message: reason.message.slice(0, 240),
    ...(reason.observed !== undefined ? { observed: reason.observed } : {}),
    ...(reason.bound !== undefined ? { bound: reason.bound } : {}),
    at,
  }
  ctx.reasons.push(reason)
  decide(ctx, ctx.spec.strategy.kind === 'blueGreen' ? { type: 'switch', to: 'canary', revision } : { type: 'setWeight', weight: 100, routes: [] })
  emit(ctx, 'deadlineExceeded', 'error', `promotion of ${revision} failed: ${reason.message}`)
}

/**
 * `promoting`: once per interval, move `stepWeightPromotion` of the canary's share back to the (now
 * promoted) primary, or all of it; at 0 go to `finalising`.
 *
 * @example
 * ```ts
 * declare const ctx: StepContext
 * runPromoting(ctx)
 * ```
 * @category canary
 */
export const runPromoting = (ctx: StepContext): void => {
  const { d, at, spec } = ctx
  if (!primaryReady(ctx)) return
  if (d.nextTickAt !== null && at < d.nextTickAt) {
    ctx.reasons.push({ code: 'promoting', message: `promoting: next traffic shift in ${formatDuration(d.nextTickAt - at)}` })
    return
  }
  const stepDown = spec.strategy.kind === 'canary' ? spec.strategy.stepWeightPromotion : null
  const weight = stepDown === null ? 0 : Math.max(0, d.traffic.weight - stepDown)
  setTraffic(ctx, { weight, routes: [] })
  d.nextTickAt = nextTick(d.nextTickAt ?? at, spec.analysis.intervalMs, at)
  if (weight === 0) d.phase = 'finalising'
  ctx.reasons.push({ code: 'promoting', message: `promoting: canary weight ${weight}, primary ${100 - weight}` })
}

/**
 * `finalising`: scale the canary down; the rollout `succeeded` and the revision is the new stable one.
 *
 * @example
 * ```ts
 * declare const ctx: StepContext
 * runFinalising(ctx)
 * ```
 * @category canary
 */
export const runFinalising = (ctx: StepContext): void => {
  const { d, at } = ctx
  if (!primaryReady(ctx)) return
  if (d.nextTickAt !== null && at < d.nextTickAt) {
    ctx.reasons.push({ code: 'finalising', message: `finalising in ${formatDuration(d.nextTickAt - at)}` })
    return
  }
  const revision = d.revision ?? ''
  d.phase = 'succeeded'
  d.stable = revision
  d.nextTickAt = null
  d.approved = []
  decide(ctx, { type: 'finalize', revision })
  ctx.reasons.push({ code: 'succeeded', message: `${revision} promoted; canary scaled down` })
  emit(ctx, 'succeeded', 'info', `${revision} succeeded`)
}
