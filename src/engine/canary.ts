/**
 * The canary strategy: waiting (confirm-rollout, readiness with a deadline, pre-rollout), the step program
 * (setWeight, pause, analysis, setCanaryScale, setHeaderRoute, setMirrorRoute) driven by analysis ticks,
 * waiting for promotion, promoting (traffic shifted back by `stepWeightPromotion`) and finalising.
 *
 * @module
 */
import type { ProgramStep } from '../config/spec.js'
import type { StepContext } from './context.js'
import { emit } from './context.js'
import { checkGates, clearApprovals, rollbackRequested } from './gates.js'
import { absorbSamples, resolveTick } from './tick.js'
import { nextTick, promote, rollback, setTraffic } from './transitions.js'
import { idlePause, relevantShared } from './metricsDue.js'
import type { ManagedRoute } from '../model/traffic.js'
import { formatDuration, formatInstant } from '../config/duration.js'
import { holdForMirror, withLiveWeight } from './mirror.js'
import { runBlueGreenStep, switchedTraffic } from './blueGreen.js'
import type { Reason } from './decision.js'
import { finalDecides, runPhaseOf } from './analysisRun.js'

/**
 * Leaving a pause step that had nothing to measure: its skipped analysis ticks are not caught up, the next
 * one is one interval from now.
 *
 * @example
 * ```ts
 * declare const ctx: StepContext
 * leaveIdlePause(ctx) // before moving past the current step
 * ```
 * @internal
 */
export const leaveIdlePause = (ctx: StepContext): void => {
  const { d, at, spec } = ctx
  if (d.nextTickAt !== null && d.nextTickAt < at && idlePause(spec, d)) d.nextTickAt = at + spec.analysis.intervalMs
}

const advance = (ctx: StepContext): void => {
  const { d } = ctx
  leaveIdlePause(ctx)
  d.stepIndex += 1
  d.stepStartedAt = ctx.at
  d.stepPasses = 0
  if (d.paused?.by === 'step') d.paused = null
}

const upsertRoute = (routes: readonly ManagedRoute[], route: ManagedRoute): ManagedRoute[] => {
  const rest = routes.filter((r) => r.name !== route.name)
  return route.match.length === 0 && route.kind === 'header' ? rest : [...rest, route]
}

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


/** Per spec: the weight-step number of each program step and the count (memoised: specs are immutable data). */
const weightSteps = new WeakMap<object, { readonly upTo: readonly number[]; readonly total: number }>()
const weightInfo = (steps: readonly ProgramStep[]): { readonly upTo: readonly number[]; readonly total: number } => {
  let info = weightSteps.get(steps)
  if (info === undefined) {
    let k = 0
    const upTo = steps.map((s) => (s.type === 'setWeight' ? ++k : k))
    info = { upTo, total: k }
    weightSteps.set(steps, info)
  }
  return info
}

/** "step 3/7" for step programs; "weight 2/5" for the linear and stepWeights forms (compiled programs). */
const where = (ctx: StepContext): string => {
  const { steps } = ctx.spec.strategy
  if (ctx.spec.strategy.kind !== 'canary' || ctx.spec.strategy.form === 'steps') return `step ${ctx.d.stepIndex + 1}/${steps.length}`
  const info = weightInfo(steps)
  return `weight ${Math.max(1, info.upTo[ctx.d.stepIndex] ?? info.total)}/${info.total}`
}

const programSize = (ctx: StepContext): string => {
  const { steps } = ctx.spec.strategy
  const plural = (n: number, what: string): string => `${n === 1 ? 'the' : `all ${n}`} ${what}${n === 1 ? '' : 's'}`
  if (ctx.spec.strategy.kind !== 'canary' || ctx.spec.strategy.form === 'steps') return plural(steps.length, 'step')
  return plural(weightInfo(steps).total, 'weight step')
}

const stepLabel = (s: ProgramStep): string => {
  switch (s.type) {
    case 'setWeight':
      return `setWeight ${s.weight}`
    case 'pause':
      return s.durationMs === null ? 'pause (until promoted)' : `pause ${formatDuration(s.durationMs)}`
    case 'analysis':
      return s.intervals === null ? 'analysis (until decided)' : `analysis ${s.intervals} interval${s.intervals === 1 ? '' : 's'}`
    default:
      return s.type
  }
}

/**
 * Runs the step program from the current step as far as it can go in this call: instant steps complete at
 * once, a pause waits for its end (or a `promote`), an analysis step waits for passing ticks, a weight
 * increase waits for confirm-traffic-increase gates. Past the last step: waiting for promotion.
 *
 * @example
 * ```ts
 * declare const ctx: StepContext
 * runSteps(ctx)
 * ```
 * @category canary
 */
export const runSteps = (ctx: StepContext): void => {
  const { d, at, spec } = ctx
  const steps = spec.strategy.steps
  for (let guard = 0; guard <= steps.length + 1 && !ctx.done; guard++) {
    const step = steps[d.stepIndex]
    if (step === undefined) return enterPromotion(ctx)
    switch (step.type) {
      case 'setWeight': {
        if (holdForMirror(ctx, step.weight)) return
        if (step.weight > d.traffic.weight) {
          const g = checkGates(ctx, 'confirm-traffic-increase')
          if (g === 'rollback') return rollback(ctx, { code: 'gateRollback', message: 'a confirm-traffic-increase gate asked for a rollback' })
          if (g !== 'approved') return
          clearApprovals(ctx, ['confirm-traffic-increase'])
        }
        setTraffic(ctx, withLiveWeight(d.traffic, step.weight))
        ctx.reasons.push({ code: 'weightIncreased', message: `${where(ctx)}: canary weight ${step.weight}` })
        advance(ctx)
        break
      }
      case 'pause': {
        const startedAt = d.stepStartedAt ?? at
        if (step.durationMs !== null && at >= startedAt + step.durationMs) {
          ctx.reasons.push({ code: 'pauseEnded', message: `${where(ctx)}: pause of ${formatDuration(step.durationMs)} ended` })
          advance(ctx)
          break
        }
        const until = step.durationMs === null ? null : startedAt + step.durationMs
        if (d.paused?.by !== 'step') {
          d.paused = { by: 'step', since: startedAt, until }
          emit(ctx, 'paused', 'info', `paused at step ${d.stepIndex + 1}: ${stepLabel(step)}`)
        }
        ctx.reasons.push({
          code: 'pauseStep',
          message: `${where(ctx)}: ${until === null ? 'paused until promoted' : `paused until ${formatInstant(until)}`}`,
        })
        return
      }
      case 'analysis': {
        // a step that names its metrics is decided by those; otherwise by every metric relevant now
        const named = step.metrics
        const relevant = named !== undefined && named.length > 0 ? spec.analysis.metrics.filter((m) => named.includes(m.name)) : relevantShared(spec, d)
        // dry-run metrics are measured and reported but never decide the rollout: they do not hold the step
        const deciding = relevant.filter((m) => !m.dryRun)
        const decided =
          deciding.length > 0 &&
          ((spec.analysis.aggregation ?? 'worst') === 'worst'
            ? deciding.every((m) => d.metrics[m.name]?.final === 'pass')
            : runPhaseOf(spec, d.metrics) === 'Successful')
        if (decided || (step.intervals !== null && d.stepPasses >= step.intervals)) {
          if (decided) ctx.reasons.push({ code: 'analysisDecided', message: `${where(ctx)}: every metric reached a final pass` })
          advance(ctx)
          break
        }
        ctx.reasons.push({
          code: 'waitingInterval',
          message: `${where(ctx)}: ${stepLabel(step)} (${d.stepPasses} passed); next analysis in ${d.nextTickAt === null ? '-' : formatDuration(d.nextTickAt - at)}`,
        })
        return
      }
      case 'setCanaryScale': {
        const scale = step.matchTrafficWeight === true ? undefined : step.replicas !== undefined ? { replicas: step.replicas } : { weight: step.weight ?? 0 }
        const { canaryScale: _old, ...rest } = d.traffic
        setTraffic(ctx, scale === undefined ? rest : { ...rest, canaryScale: scale })
        advance(ctx)
        break
      }
      case 'setHeaderRoute':
        setTraffic(ctx, { ...d.traffic, routes: upsertRoute(d.traffic.routes, { name: step.name, kind: 'header', match: step.match }) })
        advance(ctx)
        break
      case 'setMirrorRoute':
        setTraffic(ctx, {
          ...d.traffic,
          routes: upsertRoute(d.traffic.routes, { name: step.name, kind: 'mirror', match: step.match, percentage: step.percentage }),
        })
        advance(ctx)
        break
      default:
        if (runBlueGreenStep(ctx, step, `${where(ctx)}`) === 'wait') return
        advance(ctx)
        break
    }
  }
}

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
  if (!absorbSamples(ctx)) return
  const paused = ctx.spec.analysis.metrics.filter((m) => d.metrics[m.name]?.final === 'pause')
  if (paused.length > 0 && finalDecides(ctx.spec, d.metrics, 'pause')) {
    d.resumePhase = d.phase
    d.phase = 'paused'
    d.paused = { by: 'inconclusive', since: ctx.at, until: null }
    const msg = `analysis inconclusive for ${paused.map((m) => m.name).join(', ')}: paused until promoted or aborted`
    ctx.reasons.push({ code: 'metricInconclusive', message: msg })
    emit(ctx, 'paused', 'warn', msg)
    return
  }
  resolveTick(ctx)
  const operatorPromoted = ctx.obs.command === 'promote' && ctx.tick === 'awaiting'
  if (ctx.done || (ctx.tick !== 'none' && ctx.tick !== 'pass' && !operatorPromoted)) return
  if (d.phase === 'waitingPromotion') return enterPromotion(ctx)
  runSteps(ctx)
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
  d.phase = 'failed'
  d.traffic = switchedTraffic
  d.paused = null
  d.resumePhase = null
  d.nextTickAt = null
  d.waitingSince = null
  d.approved = []
  d.lastFailure = {
    code: reason.code,
    message: reason.message.slice(0, 240),
    ...(reason.observed !== undefined ? { observed: reason.observed } : {}),
    ...(reason.bound !== undefined ? { bound: reason.bound } : {}),
    at,
  }
  ctx.reasons.push(reason)
  ctx.action = ctx.spec.strategy.kind === 'blueGreen' ? { type: 'switch', to: 'canary', revision } : { type: 'setWeight', weight: 100, routes: [] }
  ctx.trafficChanged = false
  ctx.done = true
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
  ctx.action = { type: 'finalize', revision }
  ctx.done = true
  ctx.reasons.push({ code: 'succeeded', message: `${revision} promoted; canary scaled down` })
  emit(ctx, 'succeeded', 'info', `${revision} succeeded`)
}
