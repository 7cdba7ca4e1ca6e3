/**
 * The `progressing` and `waitingPromotion` phases of every strategy: rollback gates, canary readiness,
 * the samples and the analysis tick, then the step program or the promotion gates.
 *
 * @module
 */
import type { StepContext } from './context.js'
import { emit } from './context.js'
import { rollbackRequested } from './gates.js'
import { absorbSamples, resolveTick } from './tick.js'
import { rollback } from './transitions.js'
import { currentRuns, decidesAs, runPhaseOf } from './analysisRun.js'
import type { MetricSpec } from '../config/spec.js'
import { canaryReady } from './waiting.js'
import { dueShared } from './metricsDue.js'
import { enterPromotion } from './promotion.js'
import { runSteps } from './program.js'
import { experimentInconclusive, trackExperiment } from './experiment.js'

/**
 * `progressing` and `waitingPromotion`: rollback gates, canary readiness, samples, the analysis tick,
 * then the step program or the promotion gates (never after a tick that did not pass).
 *
 * @example
 * ```ts
 * declare const ctx: StepContext
 * runAnalysing(ctx)
 * ```
 * @category canary
 */
export const runAnalysing = (ctx: StepContext): void => {
  const { d } = ctx
  if (rollbackRequested(ctx)) return rollback(ctx, { code: 'gateRollback', message: 'a rollback gate asked for a rollback' })
  if (!canaryReady(ctx, false)) return
  if (!trackExperiment(ctx, rollback)) return
  if (!absorbSamples(ctx)) return
  if (!settleRuns(ctx)) return
  resolveTick(ctx)
  // an operator's promote moves the program on past a tick still waiting (for a gate or a sample), never past
  // a failed measurement already judged for that tick: the weight is held and the tick decides next time
  const operatorPromoted = ctx.obs.command === 'promote' && ctx.tick === 'awaiting' && !failurePending(ctx)
  if (ctx.done || (ctx.tick !== 'none' && ctx.tick !== 'pass' && !operatorPromoted)) return
  if (d.phase === 'waitingPromotion') return enterPromotion(ctx)
  runSteps(ctx)
}

/** A due metric's verdict waiting for the tick is a failure (not dry-run). */
const failurePending = (ctx: StepContext): boolean =>
  dueShared(ctx.spec, ctx.d).some((m) => !m.dryRun && ctx.d.metrics[m.name]?.pending?.verdict === 'fail')

const pauseInconclusive = (ctx: StepContext, paused: readonly MetricSpec[]): void => {
  const { d } = ctx
  d.resumePhase = d.phase
  d.phase = 'paused'
  d.paused = { by: 'inconclusive', since: ctx.at, until: null }
  const msg = `analysis inconclusive for ${paused.map((m) => m.name).join(', ')}: paused until promoted or aborted`
  ctx.reasons.push({ code: 'metricInconclusive', message: msg })
  emit(ctx, 'paused', 'warn', msg)
  experimentInconclusive(ctx, paused.map((m) => m.name))
}

/**
 * The runs' final outcomes, after the samples: under `worst` one inconclusive metric pauses (a failed one
 * has rolled back already); under `majority` and `anyPass` each analysis run of the current step
 * (`currentRuns`) whose combined phase is Failed or Error rolls back, and one that is Inconclusive pauses.
 * Returns false when the call is over.
 */
const settleRuns = (ctx: StepContext): boolean => {
  const { d, spec } = ctx
  if ((spec.analysis.aggregation ?? 'worst') === 'worst') {
    const paused = spec.analysis.metrics.filter((m) => d.metrics[m.name]?.final === 'pause')
    if (paused.length === 0) return true
    pauseInconclusive(ctx, paused)
    return false
  }
  for (const run of currentRuns(spec, d)) {
    const phase = runPhaseOf(spec, d.metrics, run)
    if (decidesAs(phase, 'fail')) {
      const failed = run.filter((m) => !m.dryRun && d.metrics[m.name]?.final === 'fail')
      const first = failed[0]
      const msg = `analysis run ${phase.toLowerCase()} under aggregation "${spec.analysis.aggregation}": ${failed.map((m) => m.name).join(', ')} failed (${failed.length} of ${run.filter((m) => !m.dryRun).length} metrics)`
      d.failedChecks += 1
      d.consecutiveFailures += 1
      emit(ctx, 'checkFailed', 'error', msg)
      rollback(ctx, { code: 'metricFailed', message: msg, ...(first !== undefined ? { metric: first.name } : {}) })
      return false
    }
    if (decidesAs(phase, 'pause')) {
      pauseInconclusive(ctx, run.filter((m) => !m.dryRun && d.metrics[m.name]?.final === 'pause'))
      return false
    }
  }
  return true
}
