/**
 * The canary strategy's step handlers (Argo's canary steps; Flagger's linear and stepWeights forms
 * compile to them): `setWeight`, `pause`, `analysis`, `setCanaryScale`, `setHeaderRoute` and
 * `setMirrorRoute`. Blue/green and A/B programs use `pause` and `analysis` too. The program runner
 * (engine/program.ts) calls them; the phases around the program (waiting, analysing, promotion) are in
 * engine/waiting.ts, engine/analysing.ts and engine/promotion.ts.
 *
 * @module
 */
import type { StepHandlers } from '../stepHandler.js'
import { emit } from '../context.js'
import { checkGates, clearApprovals } from '../gates.js'
import { rollback, setTraffic } from '../transitions.js'
import { relevantShared } from '../metricsDue.js'
import type { ManagedRoute } from '../../model/traffic.js'
import { formatDuration, formatInstant } from '../../config/duration.js'
import { holdForMirror, withLiveWeight } from './mirror.js'
import { runPhaseOf } from '../analysisRun.js'
import { stepLabel, where } from '../programLabels.js'
import { runExperimentStep } from '../experiment.js'

const upsertRoute = (routes: readonly ManagedRoute[], route: ManagedRoute): ManagedRoute[] => {
  const rest = routes.filter((r) => r.name !== route.name)
  return route.match.length === 0 && route.kind === 'header' ? rest : [...rest, route]
}

/**
 * The canary's step handlers, registered with the program runner.
 * - `setWeight`: waits for the mirror phase and, for an increase, the confirm-traffic-increase gates;
 * - `pause`: holds until its end (or a `promote` for an indefinite pause);
 * - `analysis`: holds until its intervals passed or every deciding metric reached a final pass;
 * - `setCanaryScale`, `setHeaderRoute`, `setMirrorRoute`: change the routing and complete at once;
 * - `experiment`: Argo's experiment step (engine/experiment.ts).
 *
 * @example
 * ```ts
 * declare const ctx: StepContext
 * canarySteps.setWeight(ctx, { type: 'setWeight', weight: 20 }) // 'advance' once the gates approve
 * ```
 * @category canary
 */
export const canarySteps: StepHandlers<'setWeight' | 'pause' | 'analysis' | 'setCanaryScale' | 'setHeaderRoute' | 'setMirrorRoute' | 'experiment'> = {
  setWeight: (ctx, step) => {
    const { d } = ctx
    if (holdForMirror(ctx, step.weight)) return 'wait'
    if (step.weight > d.traffic.weight) {
      const g = checkGates(ctx, 'confirm-traffic-increase')
      if (g === 'rollback') {
        rollback(ctx, { code: 'gateRollback', message: 'a confirm-traffic-increase gate asked for a rollback' })
        return 'wait'
      }
      if (g !== 'approved') return 'wait'
      clearApprovals(ctx, ['confirm-traffic-increase'])
    }
    setTraffic(ctx, withLiveWeight(d.traffic, step.weight))
    ctx.reasons.push({ code: 'weightIncreased', message: `${where(ctx)}: canary weight ${step.weight}` })
    return 'advance'
  },
  pause: (ctx, step) => {
    const { d, at } = ctx
    const startedAt = d.stepStartedAt ?? at
    if (step.durationMs !== null && at >= startedAt + step.durationMs) {
      ctx.reasons.push({ code: 'pauseEnded', message: `${where(ctx)}: pause of ${formatDuration(step.durationMs)} ended` })
      return 'advance'
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
    return 'wait'
  },
  analysis: (ctx, step) => {
    const { d, at, spec } = ctx
    // a step that names its metrics is decided by those; otherwise by every metric relevant now
    const named = step.metrics
    const relevant = named !== undefined && named.length > 0 ? spec.analysis.metrics.filter((m) => named.includes(m.name)) : relevantShared(spec, d)
    // dry-run metrics are measured and reported but never decide the rollout: they do not hold the step
    const deciding = relevant.filter((m) => !m.dryRun)
    const decided =
      deciding.length > 0 &&
      ((spec.analysis.aggregation ?? 'worst') === 'worst'
        ? deciding.every((m) => d.metrics[m.name]?.final === 'pass')
        : runPhaseOf(spec, d.metrics, deciding) === 'Successful')
    if (decided || (step.intervals !== null && d.stepPasses >= step.intervals)) {
      if (decided) ctx.reasons.push({ code: 'analysisDecided', message: `${where(ctx)}: every metric reached a final pass` })
      return 'advance'
    }
    ctx.reasons.push({
      code: 'waitingInterval',
      message: `${where(ctx)}: ${stepLabel(step)} (${d.stepPasses} passed); next analysis in ${d.nextTickAt === null ? '-' : formatDuration(d.nextTickAt - at)}`,
    })
    return 'wait'
  },
  setCanaryScale: (ctx, step) => {
    const scale = step.matchTrafficWeight === true ? undefined : step.replicas !== undefined ? { replicas: step.replicas } : { weight: step.weight ?? 0 }
    const { canaryScale: _old, ...rest } = ctx.d.traffic
    setTraffic(ctx, scale === undefined ? rest : { ...rest, canaryScale: scale })
    return 'advance'
  },
  setHeaderRoute: (ctx, step) => {
    setTraffic(ctx, { ...ctx.d.traffic, routes: upsertRoute(ctx.d.traffic.routes, { name: step.name, kind: 'header', match: step.match }) })
    return 'advance'
  },
  setMirrorRoute: (ctx, step) => {
    setTraffic(ctx, {
      ...ctx.d.traffic,
      routes: upsertRoute(ctx.d.traffic.routes, { name: step.name, kind: 'mirror', match: step.match, percentage: step.percentage }),
    })
    return 'advance'
  },
  experiment: (ctx, step) => (runExperimentStep(ctx, step, where(ctx)) === 'wait' ? 'wait' : 'advance'),
}
