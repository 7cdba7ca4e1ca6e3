/**
 * The canary `experiment` step (Argo's experiment step, docs/strategies.md): the action asks the caller to
 * create the experiment's ReplicaSets (`traffic.experiment`), the step waits for them to be ready (the
 * observation's `ready.experiment`, bounded by the progress deadline), then measures the experiment's
 * analyses like the metrics of an analysis step (their needs carry the analysis's `args`), and completes
 * after its duration from readiness once every `requiredForCompletion` analysis passed. Leaving the step in
 * any way (completion, promote, rollback, an inconclusive pause, a revision change) removes the ReplicaSets.
 *
 * @module
 */
import type { ExperimentAnalysisSpec, ExperimentStep, RolloutSpec } from '../config/spec.js'
import type { Reason } from './decision.js'
import type { StepContext } from './context.js'
import { emit } from './context.js'
import type { RolloutState } from './state.js'
import type { ExperimentTraffic, Traffic } from '../model/traffic.js'
import { formatDuration, formatInstant } from '../config/duration.js'
import { buildExperimentIndex, specIndex, type ExperimentIndex } from '../config/specIndex.js'

/**
 * The experiment step at the rollout's current step, or `undefined`.
 *
 * @example
 * ```ts
 * declare const spec: RolloutSpec, s: RolloutState
 * currentExperiment(spec, s)?.name
 * ```
 * @category selectors
 */
export const currentExperiment = (spec: RolloutSpec, s: Pick<RolloutState, 'stepIndex'>): ExperimentStep | undefined => {
  const step = spec.strategy.steps[s.stepIndex]
  return step?.type === 'experiment' ? step : undefined
}

/**
 * The running experiment of the current step (its ReplicaSets were reported ready), or `undefined`.
 *
 * @example
 * ```ts
 * declare const spec: RolloutSpec, s: RolloutState
 * if (runningExperiment(spec, s) !== undefined) console.log('its analyses are measured')
 * ```
 * @category selectors
 */
export const runningExperiment = (spec: RolloutSpec, s: Pick<RolloutState, 'stepIndex' | 'traffic'>): ExperimentStep | undefined => {
  const step = currentExperiment(spec, s)
  const ex = s.traffic.experiment
  return step !== undefined && ex !== undefined && ex.name === step.name && ex.running === true ? step : undefined
}

/** The experiment step's analyses by metric, from the spec index (computed once by `decodeSpec`). */
const indexAt = (spec: RolloutSpec, stepIndex: number, step: ExperimentStep): ExperimentIndex =>
  specIndex(spec).experimentAt[stepIndex] ?? buildExperimentIndex(step)

/**
 * The names of the metrics an experiment's analyses run.
 *
 * @example
 * ```ts
 * declare const step: ExperimentStep
 * experimentMetrics(step) // e.g. ['error-ratio', 'latency']
 * ```
 * @category selectors
 */
export const experimentMetrics = (step: ExperimentStep): readonly string[] => buildExperimentIndex(step).names

/**
 * What a metric need carries when the metric belongs to the running experiment: the experiment's name,
 * the analysis and its `args` (the caller's metrics adapter substitutes them into the query).
 *
 * @example
 * ```ts
 * declare const spec: RolloutSpec, s: RolloutState
 * experimentNeedOf(spec, s, 'error-ratio') // { name: 'bvc', analysis: 'compare', args: { ... } }
 * ```
 * @category selectors
 */
export const experimentNeedOf = (
  spec: RolloutSpec,
  s: Pick<RolloutState, 'stepIndex' | 'traffic'>,
  metric: string,
): { readonly name: string; readonly analysis: string; readonly args: Readonly<Record<string, string>> } | undefined => {
  const step = runningExperiment(spec, s)
  if (step === undefined) return undefined
  const a = indexAt(spec, s.stepIndex, step).byMetric.get(metric)
  return a === undefined ? undefined : { name: step.name, analysis: a.name, args: { ...(a.args ?? {}) } }
}

/**
 * When the current experiment can change by itself: the readiness deadline while its ReplicaSets are not
 * ready, the end of its duration while it runs; `null` otherwise, and once that moment has passed (an
 * experiment past its duration waits for its required analyses, whose ticks wake the rollout).
 *
 * @example
 * ```ts
 * declare const spec: RolloutSpec, s: RolloutState
 * experimentWakeAt(spec, s)
 * ```
 * @category selectors
 */
export const experimentWakeAt = (spec: RolloutSpec, s: RolloutState): number | null => {
  const step = currentExperiment(spec, s)
  const ex = s.traffic.experiment
  if (s.phase !== 'progressing' || step === undefined || ex === undefined || ex.name !== step.name || s.stepStartedAt === null) return null
  const end = ex.running !== true ? s.stepStartedAt + spec.progressDeadlineMs : step.durationMs !== null ? s.stepStartedAt + step.durationMs : null
  // a duration already over (the step waits for its required analyses): their ticks wake the rollout, not this
  return end !== null && end > s.at ? end : null
}

const templateList = (ex: ExperimentTraffic): string => ex.templates.map((t) => `${t.name} (${t.specRef}, ${t.replicas} replica${t.replicas === 1 ? '' : 's'}${t.weight !== undefined && ex.running === true ? `, weight ${t.weight}` : ''})`).join(', ')

const withoutExperiment = (traffic: Traffic): Traffic => {
  const { experiment: _gone, ...rest } = traffic
  return rest
}

/**
 * Removes the experiment from the wanted routing (the caller scales its ReplicaSets down) with a reason.
 *
 * @example
 * ```ts
 * declare const ctx: StepContext
 * removeExperiment(ctx, 'step 2 completed by promote')
 * ```
 * @category transitions
 */
export const removeExperiment = (ctx: StepContext, why: string): void => {
  const ex = ctx.d.traffic.experiment
  if (ex === undefined) return
  ctx.d.traffic = withoutExperiment(ctx.d.traffic)
  ctx.trafficChanged = true
  ctx.reasons.push({ code: 'experimentRemoved', message: `experiment "${ex.name}" removed (${why}): scale down its ReplicaSets ${ex.templates.map((t) => t.name).join(', ')}` })
  emit(ctx, 'experimentEnded', 'info', `experiment "${ex.name}" removed: ${why}`)
}

/**
 * Drops an experiment that no longer belongs to the current step (the step was completed by `promote`,
 * or the program moved on): called before each step runs.
 *
 * @example
 * ```ts
 * declare const ctx: StepContext
 * settleExperiment(ctx)
 * ```
 * @internal
 */
export const settleExperiment = (ctx: StepContext): void => {
  const ex = ctx.d.traffic.experiment
  if (ex === undefined) return
  const step = currentExperiment(ctx.spec, ctx.d)
  if (step === undefined || step.name !== ex.name) removeExperiment(ctx, 'its step was completed by promote')
}

/**
 * Readiness of the current experiment's ReplicaSets, before the analysis tick: `ready.experiment: true`
 * makes it run (from now: its duration starts, its analyses are measured, its weights are routed); past
 * the progress deadline (counted from the step's start) without it, the rollout rolls back. Returns false
 * when the call is over (rolled back). Readiness reported after the experiment runs changes nothing.
 *
 * @example
 * ```ts
 * declare const ctx: StepContext, rollback: (ctx: StepContext, reason: Reason) => void
 * if (!trackExperiment(ctx, rollback)) console.log('rolled back')
 * ```
 * @internal
 */
export const trackExperiment = (ctx: StepContext, rollback: (ctx: StepContext, reason: Reason) => void): boolean => {
  const { d, at, spec } = ctx
  if (d.phase !== 'progressing') return true
  const step = currentExperiment(spec, d)
  const ex = d.traffic.experiment
  if (step === undefined || ex === undefined || ex.name !== step.name || ex.running === true) return true
  const since = d.stepStartedAt ?? at
  if (ctx.obs.ready?.experiment === true) {
    ctx.d.traffic = { ...d.traffic, experiment: { name: step.name, templates: step.templates.map((t) => ({ ...t })), running: true } }
    ctx.trafficChanged = true
    d.stepStartedAt = at
    const running = ctx.d.traffic.experiment as ExperimentTraffic
    ctx.reasons.push({ code: 'experimentRunning', message: `experiment "${step.name}": ReplicaSets ready after ${formatDuration(at - since)}: ${templateList(running)}` })
    emit(ctx, 'experimentStarted', 'info', `experiment "${step.name}" running: ${templateList(running)}`)
    return true
  }
  if (at >= since + spec.progressDeadlineMs) {
    const names = ex.templates.map((t) => t.name).join(', ')
    emit(ctx, 'deadlineExceeded', 'error', `experiment "${step.name}" not ready after ${formatDuration(at - since)}`)
    rollback(ctx, {
      code: 'experimentNotReady',
      message: `experiment "${step.name}": ReplicaSets ${names} not ready for ${formatDuration(at - since)} >= progressDeadline ${formatDuration(spec.progressDeadlineMs)}`,
      observed: at - since,
      bound: spec.progressDeadlineMs,
    })
    return false
  }
  return true
}

const requiredPending = (ctx: StepContext, step: ExperimentStep): string[] =>
  step.analyses
    .filter((a) => a.requiredForCompletion)
    .flatMap((a) =>
      a.metrics
        .filter((m) => ctx.spec.analysis.metrics.find((x) => x.name === m)?.dryRun !== true && ctx.d.metrics[m]?.final !== 'pass')
        .map((m) => `${a.name}/${m}`),
    )

/**
 * Runs the experiment step: starts it (the action asks for its ReplicaSets), waits for readiness, then for
 * its end. `done` when the experiment completed (its ReplicaSets are removed in the same action). An
 * experiment without a duration and without a required analysis never ends by itself: the rollout is held
 * (`paused` by the step, until promoted) while the experiment runs, as at `pause: {}`.
 *
 * @example
 * ```ts
 * declare const ctx: StepContext, step: ExperimentStep
 * if (runExperimentStep(ctx, step, 'step 1/3') === 'wait') console.log('the step holds')
 * ```
 * @category canary
 */
export const runExperimentStep = (ctx: StepContext, step: ExperimentStep, where: string): 'wait' | 'done' => {
  const { d, at, spec } = ctx
  const ex = d.traffic.experiment
  if (ex === undefined || ex.name !== step.name) {
    // the templates' weights are routed only once the ReplicaSets are ready
    const templates = step.templates.map(({ weight: _w, ...t }) => t)
    ctx.d.traffic = { ...withoutExperiment(d.traffic), experiment: { name: step.name, templates } }
    ctx.trafficChanged = true
    d.stepStartedAt = at
    ctx.reasons.push({
      code: 'experimentStarted',
      message: `${where}: experiment "${step.name}" started: create ReplicaSets ${templateList(ctx.d.traffic.experiment as ExperimentTraffic)}; waiting for them to be ready (progressDeadline ${formatDuration(spec.progressDeadlineMs)})`,
    })
    return 'wait'
  }
  const since = d.stepStartedAt ?? at
  if (ex.running !== true) {
    ctx.reasons.push({
      code: 'experimentPending',
      message: `${where}: experiment "${step.name}": waiting for ReplicaSets ${ex.templates.map((t) => t.name).join(', ')} to be ready (${formatDuration(at - since)} of ${formatDuration(spec.progressDeadlineMs)} progress deadline)`,
      observed: at - since,
      bound: spec.progressDeadlineMs,
    })
    return 'wait'
  }
  const pending = requiredPending(ctx, step)
  const durationOver = step.durationMs !== null && at >= since + step.durationMs
  const hasRequired = step.analyses.some((a) => a.requiredForCompletion)
  if ((step.durationMs !== null ? durationOver : hasRequired) && pending.length === 0) {
    const how = step.durationMs !== null ? `ran ${formatDuration(step.durationMs)}` : 'its required analyses passed'
    ctx.reasons.push({ code: 'experimentCompleted', message: `${where}: experiment "${step.name}" completed: ${how}` })
    removeExperiment(ctx, 'completed')
    return 'done'
  }
  const waits: string[] = []
  if (step.durationMs !== null && !durationOver) waits.push(`runs until ${formatInstant(since + step.durationMs)}`)
  if (pending.length > 0) waits.push(`waiting for required analyses ${pending.join(', ')}`)
  if (step.durationMs === null && !hasRequired) {
    // nothing ends it by itself: held like an indefinite pause step until an operator promotes past it
    waits.push('no duration and no required analysis: runs until promoted or aborted')
    if (d.paused?.by !== 'step') {
      d.paused = { by: 'step', since: at, until: null }
      emit(ctx, 'paused', 'info', `experiment "${step.name}" runs until promoted`)
    }
  }
  ctx.reasons.push({ code: 'experimentRunning', message: `${where}: experiment "${step.name}" ${waits.join('; ')}` })
  return 'wait'
}

/**
 * The reason a rollback adds when it ends a running experiment: `experimentFailed` naming the analysis and
 * metric when one of the experiment's metrics caused it, `experimentRemoved` otherwise (abort, deadline,
 * another metric). `before` is the routing before the rollback.
 *
 * @example
 * ```ts
 * declare const ctx: StepContext, before: Traffic, reason: Reason
 * experimentRollbackReason(ctx, before, reason)
 * ```
 * @internal
 */
export const experimentRollbackReason = (ctx: StepContext, before: Traffic, reason: Reason): void => {
  const ex = before.experiment
  if (ex === undefined) return
  const names = ex.templates.map((t) => t.name).join(', ')
  const step = currentExperiment(ctx.spec, ctx.d)
  const analysis = reason.metric !== undefined && step !== undefined ? indexAt(ctx.spec, ctx.d.stepIndex, step).byMetric.get(reason.metric) : undefined
  if (analysis !== undefined && reason.metric !== undefined) {
    ctx.reasons.push({
      code: 'experimentFailed',
      message: `experiment "${ex.name}" failed: analysis "${analysis.name}", metric "${reason.metric}" (${reason.code}); its ReplicaSets ${names} are removed with the rollback`,
      metric: reason.metric,
      ...(reason.observed !== undefined ? { observed: reason.observed } : {}),
      ...(reason.bound !== undefined ? { bound: reason.bound } : {}),
    })
  } else {
    ctx.reasons.push({ code: 'experimentRemoved', message: `experiment "${ex.name}" ended by the rollback (${reason.code}): its ReplicaSets ${names} are removed` })
  }
  emit(ctx, 'experimentEnded', 'warn', `experiment "${ex.name}" ended by the rollback (${reason.code})`)
}

/**
 * An inconclusive pause during an experiment: when one of the experiment's own metrics is inconclusive
 * (Argo's InconclusiveExperiment) the experiment ends (its ReplicaSets are removed); `promote` then moves past
 * the step, `resume` runs the experiment again, `abort` rolls back. Adds the reason naming the experiment and
 * its inconclusive metrics. Another metric's inconclusive pause leaves the experiment running (as Argo does
 * for InconclusiveAnalysisRun).
 *
 * @example
 * ```ts
 * declare const ctx: StepContext
 * experimentInconclusive(ctx, ['error-ratio'])
 * ```
 * @internal
 */
export const experimentInconclusive = (ctx: StepContext, metrics: readonly string[]): void => {
  const step = currentExperiment(ctx.spec, ctx.d)
  const ex = ctx.d.traffic.experiment
  if (step === undefined || ex === undefined || ex.name !== step.name) return
  const byMetric = indexAt(ctx.spec, ctx.d.stepIndex, step).byMetric
  const own = metrics.filter((m) => byMetric.has(m)).map((m) => `${byMetric.get(m)?.name ?? ''}/${m}`)
  // another metric's inconclusive pause (Argo's InconclusiveAnalysisRun) leaves the experiment running
  if (own.length === 0) return
  ctx.reasons.push({
    code: 'experimentInconclusive',
    message: `experiment "${step.name}" inconclusive (${own.join(', ')}): paused (InconclusiveExperiment); promote to go past it, resume to run it again, abort to roll back`,
  })
  removeExperiment(ctx, 'inconclusive')
}
