/**
 * Blue/green (Argo Rollouts and Flagger semantics, docs/strategies.md). The strategy runs as a step program
 * through the same runner, analysis ticks and gates as the canary; this module holds the steps only
 * blue/green has:
 * - `preview`: the new version is up (optionally at `previewReplicas`) and reachable through the preview
 *   service only: a `setWeight` action with weight 0 and `preview: true` (plus `mirror` in Flagger's mirrored
 *   blue/green);
 * - `switch`: the active service points at the new version: a `switch` action to `'canary'`; the state's
 *   traffic weight is 100 from then on (all live traffic on the new version);
 * - `scaleDownDelay`: the old version is kept until `scaleDownAt` (set at the switch), so that an abort or a
 *   failed post-promotion analysis switches back at once.
 *
 * After the program: confirm-promotion gates, `promote` (the primary takes the new revision), one
 * `setWeight` 0 (the active service back on the primary, which now runs it) and `finalize`.
 *
 * @module
 */
import type { BlueGreenStep } from '../../config/spec.js'
import type { StepContext } from '../context.js'
import { addEffect, emit } from '../context.js'
import { setTraffic } from '../transitions.js'
import type { Traffic } from '../../model/traffic.js'
import type { MetricState } from '../state.js'
import { emptyMetricState } from '../state.js'
import { initialJudgeState } from '../../analysis/judge.js'
import { formatDuration, formatInstant } from '../../config/duration.js'
import type { StepHandlers } from '../stepHandler.js'
import { where } from '../programLabels.js'

/**
 * The routing of the preview stage: no live weight, preview on, optional mirror and preview replica count.
 *
 * @example
 * ```ts
 * previewTraffic({ type: 'preview', replicas: 1 }) // { weight: 0, routes: [], preview: true, canaryScale: { replicas: 1 } }
 * ```
 * @category constructors
 */
export const previewTraffic = (step: Extract<BlueGreenStep, { type: 'preview' }>): Traffic => ({
  weight: 0,
  routes: [],
  preview: true,
  ...(step.mirror !== undefined ? { mirror: step.mirror } : {}),
  ...(step.replicas !== undefined ? { canaryScale: { replicas: step.replicas } } : {}),
})

/**
 * The routing after the switch: all live traffic on the new version, no preview, mirror or replica override.
 *
 * @example
 * ```ts
 * switchedTraffic.weight // 100
 * ```
 * @category constructors
 */
export const switchedTraffic: Traffic = { weight: 100, routes: [] }

/**
 * True when the active service points at the new version (after the switch, before promotion).
 *
 * @example
 * ```ts
 * isSwitched({ weight: 100, routes: [] }) // true
 * ```
 * @category predicates
 */
export const isSwitched = (traffic: Traffic): boolean => traffic.weight >= 100

/**
 * The switch starts a new analysis (Argo's post-promotion AnalysisRun): every metric starts over from the
 * switch (windows and counts begin there, judges and final verdicts are reset) and the next tick is one
 * interval after the switch. Failed-check counters are kept (cumulative over the run, Flagger's rule).
 *
 * @example
 * ```ts
 * declare const ctx: StepContext
 * freshAnalysis(ctx)
 * ```
 * @category blueGreen
 */
export const freshAnalysis = (ctx: StepContext): void => {
  const { d, at, spec } = ctx
  const metrics: Record<string, MetricState> = {}
  for (const m of spec.analysis.metrics) metrics[m.name] = { ...emptyMetricState, judge: initialJudgeState(m), lastTo: at }
  d.metrics = metrics
  d.nextTickAt = at + spec.analysis.intervalMs
}

/**
 * The blue/green step handlers, registered with the program runner (the shared steps, `analysis` and
 * `pause`, are the canary's).
 *
 * @example
 * ```ts
 * declare const ctx: StepContext
 * blueGreenSteps.switch(ctx, { type: 'switch' }) // 'advance'
 * ```
 * @category blueGreen
 */
export const blueGreenSteps: StepHandlers<'preview' | 'switch' | 'scaleDownDelay'> = {
  preview: (ctx, step) => {
    const { d } = ctx
    const label = where(ctx)
    setTraffic(ctx, previewTraffic(step))
    const extra = [
      step.mirror !== undefined ? `${step.mirror}% of live requests mirrored to it` : '',
      step.replicas !== undefined ? `${step.replicas} preview replicas` : '',
    ].filter((x) => x !== '')
    ctx.reasons.push({
      code: 'preview',
      message: `${label}: ${d.revision} reachable through the preview service only${extra.length > 0 ? ` (${extra.join(', ')})` : ''}`,
    })
    return 'advance'
  },
  switch: (ctx) => {
    const { d, at, spec } = ctx
    const label = where(ctx)
    const delay = spec.strategy.kind === 'blueGreen' ? spec.strategy.scaleDownDelayMs : 0
    setTraffic(ctx, switchedTraffic)
    if (delay > 0) d.scaleDownAt = at + delay
    freshAnalysis(ctx)
    const revision = d.revision ?? ''
    addEffect(ctx, { type: 'switch', to: 'canary', revision })
    ctx.reasons.push({ code: 'switched', message: `${label}: active service switched to ${revision}; the previous version is kept${delay > 0 ? ` until ${formatInstant(at + delay)}` : ' until promotion'}` })
    emit(ctx, 'switched', 'info', `active service switched to ${revision}`)
    return 'advance'
  },
  scaleDownDelay: (ctx, step) => {
    const { d, at } = ctx
    const label = where(ctx)
    const until = d.scaleDownAt ?? (d.stepStartedAt ?? at) + step.durationMs
    if (at >= until) {
      delete d.scaleDownAt
      ctx.reasons.push({ code: 'scaleDownDelayEnded', message: `${label}: scale-down delay of ${formatDuration(step.durationMs)} after the switch is over` })
      return 'advance'
    }
    ctx.reasons.push({
      code: 'scaleDownDelay',
      message: `${label}: keeping the previous version until ${formatInstant(until)} (scale-down delay ${formatDuration(step.durationMs)}); an abort switches back at once`,
    })
    return 'wait'
  },
}
