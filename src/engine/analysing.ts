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
import { finalDecides } from './analysisRun.js'
import { canaryReady } from './waiting.js'
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
  const paused = ctx.spec.analysis.metrics.filter((m) => d.metrics[m.name]?.final === 'pause')
  if (paused.length > 0 && finalDecides(ctx.spec, d.metrics, 'pause')) {
    d.resumePhase = d.phase
    d.phase = 'paused'
    d.paused = { by: 'inconclusive', since: ctx.at, until: null }
    const msg = `analysis inconclusive for ${paused.map((m) => m.name).join(', ')}: paused until promoted or aborted`
    ctx.reasons.push({ code: 'metricInconclusive', message: msg })
    emit(ctx, 'paused', 'warn', msg)
    experimentInconclusive(ctx, paused.map((m) => m.name))
    return
  }
  resolveTick(ctx)
  const operatorPromoted = ctx.obs.command === 'promote' && ctx.tick === 'awaiting'
  if (ctx.done || (ctx.tick !== 'none' && ctx.tick !== 'pass' && !operatorPromoted)) return
  if (d.phase === 'waitingPromotion') return enterPromotion(ctx)
  runSteps(ctx)
}
