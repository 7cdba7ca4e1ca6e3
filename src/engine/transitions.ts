/**
 * The transitions every strategy shares: start or restart a run, change the routing, promote, roll back.
 *
 * @module
 */
import type { Reason } from './decision.js'
import type { StepContext } from './context.js'
import { decide, emit } from './context.js'
import type { FailureRecord, MetricState } from './state.js'
import { noTraffic, type Traffic } from '../model/traffic.js'
import { deferScaleDown } from './strategies/blueGreenAbort.js'
import { experimentRollbackReason, removeExperiment } from './experiment.js'

const clip = (s: string, n = 240): string => (s.length > n ? `${s.slice(0, n - 3)}...` : s)

/**
 * Resets the run counters for `revision` and enters `waiting` (confirm-rollout, readiness, pre-rollout).
 *
 * @example
 * ```ts
 * declare const ctx: StepContext
 * startRun(ctx, 'v2')
 * ```
 * @category transitions
 */
export const startRun = (ctx: StepContext, revision: string): void => {
  const { d, at } = ctx
  d.phase = 'waiting'
  d.revision = revision
  d.startedAt = at
  d.stepIndex = 0
  d.stepStartedAt = null
  d.stepPasses = 0
  d.failedChecks = 0
  d.consecutiveFailures = 0
  d.noDataTicks = 0
  d.inconclusiveTicks = 0
  d.ticks = 0
  d.nextTickAt = null
  d.waitingSince = at
  d.canaryReady = ctx.obs.ready?.canary ?? null
  d.approved = []
  d.paused = null
  d.resumePhase = null
  d.metrics = {}
  d.lastFailure = null
  delete d.scaleDownAt
}

const sameJson = (a: unknown, b: unknown): boolean => a === b || JSON.stringify(a) === JSON.stringify(b)

/**
 * True when two routings are the same (cheap checks first: this runs on every routing change).
 *
 * @example
 * ```ts
 * sameTraffic({ weight: 10, routes: [] }, { weight: 10, routes: [] }) // true
 * ```
 * @category utils
 */
export const sameTraffic = (a: Traffic, b: Traffic): boolean =>
  a === b ||
  (a.weight === b.weight &&
    a.mirror === b.mirror &&
    a.preview === b.preview &&
    (a.experiment === b.experiment || sameJson(a.experiment, b.experiment)) &&
    a.routes.length === b.routes.length &&
    (a.routes === b.routes || sameJson(a.routes, b.routes)) &&
    (a.canaryScale === b.canaryScale || sameJson(a.canaryScale, b.canaryScale)))

/**
 * Sets the wanted routing; a change makes the call's action a `setWeight`.
 *
 * @example
 * ```ts
 * declare const ctx: StepContext
 * setTraffic(ctx, { ...ctx.d.traffic, weight: 20 })
 * ```
 * @category transitions
 */
export const setTraffic = (ctx: StepContext, traffic: Traffic): void => {
  const before = ctx.d.traffic
  if (sameTraffic(before, traffic)) return
  ctx.d.traffic = traffic
  ctx.trafficChanged = true
  if (before.weight !== traffic.weight) {
    emit(ctx, 'weightChanged', 'info', `canary weight ${before.weight} -> ${traffic.weight}`)
  }
}

/**
 * Ends the current run in a terminal phase: no traffic to the canary, nothing paused, nothing scheduled,
 * no gate approvals kept.
 *
 * @example
 * ```ts
 * declare const ctx: StepContext
 * endRun(ctx, 'succeeded')
 * ```
 * @category transitions
 */
export const endRun = (ctx: StepContext, phase: 'succeeded' | 'failed'): void => {
  const { d } = ctx
  d.phase = phase
  d.traffic = noTraffic
  d.paused = null
  d.resumePhase = null
  d.nextTickAt = null
  d.waitingSince = null
  d.approved = []
}

/**
 * Rolls back: all traffic to the primary, managed routes removed, phase `failed`. The failure's reason is
 * kept in `state.lastFailure` (Flagger loses it).
 *
 * @example
 * ```ts
 * declare const ctx: StepContext
 * rollback(ctx, { code: 'thresholdReached', message: '5 failed checks >= threshold 5' })
 * ```
 * @category transitions
 */
export const rollback = (ctx: StepContext, reason: Reason): void => {
  const { d, at } = ctx
  const revision = d.revision ?? ''
  const record: FailureRecord = {
    code: reason.code,
    message: clip(reason.message),
    ...(reason.metric !== undefined ? { metric: reason.metric } : {}),
    ...(reason.observed !== undefined ? { observed: reason.observed } : {}),
    ...(reason.bound !== undefined ? { bound: reason.bound } : {}),
    at,
  }
  const before = d.traffic
  endRun(ctx, 'failed')
  d.lastFailure = record
  dropFailureCopy(ctx, record)
  ctx.reasons.push(reason)
  experimentRollbackReason(ctx, before, reason)
  // blue/green with an abort scale-down delay: the traffic moves now, the rollback action follows after the delay
  const move = deferScaleDown(ctx, before)
  decide(ctx, move ?? { type: 'rollback', revision })
  emit(ctx, 'rolledBack', 'error', `rolled back ${revision}: ${reason.message}`)
}

/**
 * The run has ended on `record`: a metric whose pending verdict carries the same message would store the
 * failure's text a second time (the state's size budget, docs/sequential.md). Its pending verdict is
 * dropped: no tick reads it after the run ended, and `lastFailure` keeps the verdict, the message and the
 * numbers (status views fall back to it for that metric).
 */
const dropFailureCopy = (ctx: StepContext, record: FailureRecord): void => {
  const { d } = ctx
  const copy = (m: MetricState): boolean => m.pending !== null && clip(m.pending.message) === record.message
  if (!Object.values(d.metrics).some(copy)) return
  // fromEntries defines each key as data (a metric named `__proto__` stays a key), in the same order
  d.metrics = Object.fromEntries(Object.entries(d.metrics).map(([k, m]) => [k, copy(m) ? { ...m, pending: null } : m]))
}

/**
 * Promotes the canary revision: the caller rolls the primary to it; the `promoting` phase then shifts the
 * traffic back to the primary.
 *
 * @example
 * ```ts
 * declare const ctx: StepContext
 * promote(ctx, 'analysis passed at weight 50')
 * ```
 * @category transitions
 */
export const promote = (ctx: StepContext, why: string): void => {
  const { d, at } = ctx
  const revision = d.revision ?? ''
  // a full promotion mid-experiment ends it (the routing actions of the promotion carry no experiment)
  removeExperiment(ctx, 'the rollout is promoted')
  d.phase = 'promoting'
  d.paused = null
  d.resumePhase = null
  d.waitingSince = null
  d.approved = []
  d.nextTickAt = at + ctx.spec.analysis.intervalMs
  delete d.scaleDownAt
  ctx.reasons.push({ code: 'promoting', message: `promoting ${revision}: ${why}` })
  decide(ctx, { type: 'promote', revision })
  emit(ctx, 'promoted', 'info', `promoting ${revision}: ${why}`)
}

/**
 * The next analysis tick after one that was due at `due`: one interval later, or one interval from now
 * when the caller came late (no catch-up bursts).
 *
 * @example
 * ```ts
 * nextTick(0, 60_000, 30_000)  // 60_000
 * nextTick(0, 60_000, 200_000) // 260_000
 * ```
 * @category utils
 */
export const nextTick = (due: number, interval: number, at: number): number => (due + interval > at ? due + interval : at + interval)

/** The traffic of a rollout that sends nothing to the canary. */
export { noTraffic }
