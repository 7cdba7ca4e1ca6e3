/**
 * The `waiting` phase of every strategy: confirm-rollout gates, canary readiness under the progress
 * deadline, then (with `skipAnalysis`) promotion, or pre-rollout gates and the start of the step program.
 *
 * @module
 */
import type { StepContext } from './context.js'
import { emit } from './context.js'
import { checkGates, clearApprovals } from './gates.js'
import { promote, rollback, setTraffic } from './transitions.js'
import { formatDuration } from '../config/duration.js'
import { runSteps } from './program.js'

/**
 * Readiness of the canary with the progress deadline: returns false (and holds, or rolls back past the
 * deadline) while the canary is not ready. Readiness waits are visible in the reasons.
 *
 * @example
 * ```ts
 * declare const ctx: StepContext
 * if (canaryReady(ctx)) console.log('go on')
 * ```
 * @category canary
 */
export const canaryReady = (ctx: StepContext, requireKnown: boolean): boolean => {
  const { d, at, spec } = ctx
  const ready = ctx.obs.ready?.canary ?? d.canaryReady
  d.canaryReady = ready
  if (ready === true || (!requireKnown && ready === null)) {
    d.waitingSince = null
    return true
  }
  const since = d.waitingSince ?? at
  d.waitingSince = since
  const deadline = since + spec.progressDeadlineMs
  if (at >= deadline) {
    emit(ctx, 'deadlineExceeded', 'error', `canary not ready after ${formatDuration(at - since)}`)
    rollback(ctx, {
      code: 'progressDeadline',
      message: `canary not ready for ${formatDuration(at - since)} >= progressDeadline ${formatDuration(spec.progressDeadlineMs)}`,
      observed: at - since,
      bound: spec.progressDeadlineMs,
    })
    return false
  }
  ctx.reasons.push({
    code: 'awaitingReadiness',
    message: `waiting for the canary to be ready (${formatDuration(at - since)} of ${formatDuration(spec.progressDeadlineMs)} progress deadline)`,
    observed: at - since,
    bound: spec.progressDeadlineMs,
  })
  return false
}

/**
 * `waiting`: confirm-rollout gates, then canary readiness, then (with `skipAnalysis`) promotion, or
 * pre-rollout gates (a denial counts a failed check once per interval) and the start of the program.
 *
 * @example
 * ```ts
 * declare const ctx: StepContext
 * runWaiting(ctx)
 * ```
 * @category canary
 */
export const runWaiting = (ctx: StepContext): void => {
  const { d, at, spec } = ctx
  const confirm = checkGates(ctx, 'confirm-rollout')
  if (confirm === 'rollback') return rollback(ctx, { code: 'gateRollback', message: 'a confirm-rollout gate asked for a rollback' })
  if (confirm !== 'approved') return
  if (!canaryReady(ctx, true)) return
  if (spec.skipAnalysis) {
    // Flagger's fast path: confirm-rollout (above) and post-rollout only; no pre-rollout hook is run
    clearApprovals(ctx, ['confirm-rollout'])
    ctx.reasons.push({ code: 'skipAnalysis', message: 'skipAnalysis is set: promoting without analysis (pre-rollout gates are not asked)' })
    return promote(ctx, 'skipAnalysis')
  }
  const pre = checkGates(ctx, 'pre-rollout')
  if (pre === 'rollback') return rollback(ctx, { code: 'gateRollback', message: 'a pre-rollout gate asked for a rollback' })
  if (pre === 'denied') {
    if (d.nextTickAt === null || at >= d.nextTickAt) {
      d.failedChecks += 1
      d.nextTickAt = at + spec.analysis.intervalMs
      emit(ctx, 'checkFailed', 'warn', `pre-rollout gate denied (${d.failedChecks}/${spec.analysis.threshold})`)
      if (d.failedChecks >= spec.analysis.threshold) {
        return rollback(ctx, { code: 'thresholdReached', message: `pre-rollout gates denied ${d.failedChecks} times, reaching threshold ${spec.analysis.threshold}` })
      }
    }
    return
  }
  if (pre !== 'approved') return
  clearApprovals(ctx, ['confirm-rollout', 'pre-rollout'])
  d.phase = 'progressing'
  d.stepIndex = 0
  d.stepStartedAt = at
  d.stepPasses = 0
  d.nextTickAt = at + spec.analysis.intervalMs
  emit(ctx, 'started', 'info', `rollout of ${d.revision} started`)
  ctx.reasons.push({ code: 'started', message: `rollout of ${d.revision} started` })
  if (spec.strategy.kind === 'canary' && spec.strategy.mirror !== undefined) {
    setTraffic(ctx, { ...d.traffic, mirror: spec.strategy.mirror.percentage })
  }
  runSteps(ctx)
}
