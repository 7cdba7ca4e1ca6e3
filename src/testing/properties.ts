/**
 * Liveness and safety checkers for runs of the cooperative caller (src/testing/cooperative.ts) and for any
 * trace of (state before, observation, decision):
 *
 * Liveness (`checkLiveness`, for a `runToEnd` result):
 * - `reachesEnd`: the run ends in the phase the world calls for (see `LivenessExpectation`);
 * - `withinPlan`: a healthy run succeeds within `plan`'s minimum duration (`minimumDuration`) plus one
 *   analysis interval;
 * Both liveness and traces (`checkProgress`):
 * - `sameTimeCalls`: never more than `maxSameAt` (3) calls in a row at the same time without a state change;
 * - `wakeAtMoves`: `wakeAt > at` whenever a decision changed nothing but the state's clock.
 *
 * Safety (`checkSafety`, for any trace):
 * - `primaryReadyAtSuccess`: never `succeeded` (nor `finalize`) while the primary was last reported unready;
 * - `canaryKept`: the canary is never scaled down (`finalize`, `rollback`) while it is the only ready copy
 *   (the primary last reported unready, the canary ready);
 * - `rollbackClean`: a rollback leaves no canary traffic, no canary routes and no mirror;
 * - `commandAnswered`: an operator command is acted on or refused with a reason (`commandIgnored`), never
 *   silently dropped; only an observation refused as a whole for its time (time going backwards) may drop it.
 *
 * @module
 */
import type { ExperimentStep, MetricSpec, RolloutSpec } from '../config/spec.js'
import type { Command } from '../model/observation.js'
import type { RolloutState } from '../engine/state.js'
import type { TraceEntry } from './trace.js'
import type { RunOptions, RunResult } from './cooperative.js'
import { longestSameTimeRun, runToEnd } from './cooperative.js'
import { metricWorld } from './world.js'
import { boundedList, guarded, rethrow } from '../model/guard.js'

/**
 * The name of a liveness or safety property.
 *
 * @example
 * ```ts
 * const p: PropertyName = 'canaryKept'
 * ```
 * @category model
 */
export type PropertyName =
  | 'reachesEnd'
  | 'withinPlan'
  | 'sameTimeCalls'
  | 'wakeAtMoves'
  | 'primaryReadyAtSuccess'
  | 'canaryKept'
  | 'rollbackClean'
  | 'commandAnswered'

/**
 * A broken property at trace entry `index` (-1: the run as a whole).
 *
 * @example
 * ```ts
 * const v: PropertyViolation = { index: -1, property: 'reachesEnd', message: 'ended stalled, expected succeeded' }
 * ```
 * @category model
 */
export interface PropertyViolation {
  readonly index: number
  readonly property: PropertyName
  readonly message: string
}

/**
 * The caller `plan` plays (src/cli/plan-run.ts): gates answered at once, indefinite pauses promoted at once,
 * no samples in those same-time calls.
 *
 * @example
 * ```ts
 * runToEnd(spec, metricWorld(spec, 'healthy'), PLAN_CALLER)
 * ```
 * @category cooperative
 */
export const PLAN_CALLER: RunOptions = { maxCalls: 5000, maxMs: Number.MAX_SAFE_INTEGER, gateTiming: 'now', operatorMs: 0, sameTimeCallsWithoutSamples: true }

/**
 * `plan`'s minimum duration to promotion: the length of the run where every check passes at its first
 * chance, gates are approved at once (`rollback` gates answered "carry on") and indefinite pauses are
 * promoted at once; `null` when that run does not succeed.
 *
 * @example
 * ```ts
 * declare const spec: RolloutSpec
 * minimumDuration(spec) // e.g. 300_000
 * ```
 * @category cooperative
 */
export const minimumDuration = guarded('minimumDuration', (spec: RolloutSpec): number | null => {
  const run = runToEnd(spec, metricWorld(spec, 'healthy'), PLAN_CALLER)
  return run.outcome === 'succeeded' ? run.endedAt - run.startedAt : null
}, (m) => rethrow(m))

const withoutClock = (s: RolloutState): string => JSON.stringify({ ...s, at: 0 })

/**
 * The progress properties of any trace: `sameTimeCalls` and `wakeAtMoves`.
 *
 * @example
 * ```ts
 * declare const run: RunResult
 * checkProgress(run.calls) // []
 * ```
 * @category properties
 */
export const checkProgress = guarded('checkProgress', (trace: readonly TraceEntry[], maxSameAt: number = 3): PropertyViolation[] => {
  const out: PropertyViolation[] = []
  const same = longestSameTimeRun(trace)
  if (same > maxSameAt) out.push({ index: -1, property: 'sameTimeCalls', message: `${same + 1} calls in a row at the same time without a state change (at most ${maxSameAt + 1})` })
  boundedList(trace, 'trace').forEach((e, i) => {
    const d = e.decision
    if (d === null || d.wakeAt === null) return
    if (e.observation.at < e.before.at) return // refused as a whole; the clock did not move
    if (d.action.type === 'hold' && withoutClock(d.state) === withoutClock(e.before) && !(d.wakeAt > e.observation.at)) {
      out.push({ index: i, property: 'wakeAtMoves', message: `nothing changed at ${e.observation.at} but wakeAt is ${d.wakeAt} (${d.reasons.map((r) => r.code).join(', ')})` })
    }
  })
  return out
}, (m) => rethrow(m))

/**
 * What a run should end in.
 * - `succeeded`: `succeeded`, within `withinMs` of the start when given;
 * - `failed`: `failed`;
 * - `ends`: `succeeded` or `failed` (never stalled, idle or at a limit);
 * - `failedOrHold`: `failed`, or idle in an indefinite pause waiting for an operator (the documented
 *   bounded hold of an inconclusive analysis or a pause step), or `succeeded` when no metric that can hold
 *   the rollout (`holdingMetrics`) was ever asked for, or when the evidence timeout promoted (`onEvidenceTimeout: promote`).
 *
 * @example
 * ```ts
 * const e: LivenessExpectation = { end: 'succeeded', withinMs: 360_000 }
 * ```
 * @category model
 */
export interface LivenessExpectation {
  readonly end: 'succeeded' | 'failed' | 'ends' | 'failedOrHold'
  readonly withinMs?: number | null
  /**
   * Accept a run parked at an `analysis: { untilDecided: true }` step that cannot decide (see
   * `undecidableStep`, or no canary traffic at that step): docs/config.md documents that such a step holds
   * until a `promote` (default true).
   */
  readonly undecidedHold?: boolean
}

/**
 * A metric that can reach a final pass on its own: a sequential test with `earlyPass` and a tolerance of at
 * least 1.1 (the grid's nearest point below the tolerance is `tolerance * exp(-0.1)`: with equal arms a
 * tolerance under `exp(0.05)` can never be proven, docs/sequential.md), or Argo measurement
 * limits with a `count` or a `consecutiveSuccessLimit`.
 *
 * @example
 * ```ts
 * declare const m: MetricSpec
 * canDecide(m)
 * ```
 * @category properties
 */
export const canDecide = guarded('canDecide', (m: MetricSpec): boolean =>
  (m.judge.kind === 'sequential' && m.judge.earlyPass && m.judge.tolerance >= 1.1) || (m.limits !== undefined && (m.limits.count !== null || m.limits.consecutiveSuccessLimit > 0)), (m) => rethrow(m))

/**
 * True when the program step at `index` is an `analysis: { untilDecided: true }` step whose relevant metrics
 * (the ones it names, or else the background metrics from `startingStep` on; dry-run metrics never decide)
 * cannot reach the final pass the
 * step waits for under the spec's aggregation: none relevant, or not all (`worst`), none (`anyPass`), not
 * more than half (`majority`) able to decide. Such a step holds until a `promote` (docs/config.md).
 *
 * @example
 * ```ts
 * declare const spec: RolloutSpec
 * undecidableStep(spec, 0)
 * ```
 * @category properties
 */
export const undecidableStep = guarded('undecidableStep', (spec: RolloutSpec, index: number): boolean => {
  const step = spec.strategy.steps[index]
  if (step?.type === 'experiment') return undecidableExperiment(spec, step)
  if (step === undefined || step.type !== 'analysis' || step.intervals !== null) return false
  const named = step.metrics
  const relevant = (
    named !== undefined && named.length > 0
      ? spec.analysis.metrics.filter((m) => named.includes(m.name))
      : index >= spec.analysis.startingStep
        ? spec.analysis.metrics.filter((m) => m.background)
        : []
  ).filter((m) => !m.dryRun) // dry-run metrics never decide a step
  const deciding = relevant.filter(canDecide).length
  if (relevant.length === 0) return true
  switch (spec.analysis.aggregation ?? 'worst') {
    case 'worst':
      return deciding < relevant.length
    case 'anyPass':
      return deciding === 0
    case 'majority':
      return deciding * 2 <= relevant.length
  }
}, (m) => rethrow(m))

/**
 * True when an experiment step waits for a `requiredForCompletion` analysis with a (not dry-run) metric that
 * cannot reach a final pass (`canDecide`): the step then holds until a `promote`, as Argo's experiment runs
 * until its required analyses complete (docs/strategies.md).
 *
 * @example
 * ```ts
 * declare const spec: RolloutSpec, step: ExperimentStep
 * undecidableExperiment(spec, step)
 * ```
 * @category properties
 */
export const undecidableExperiment = guarded('undecidableExperiment', (spec: RolloutSpec, step: ExperimentStep): boolean =>
  step.analyses.some(
    (a) => a.requiredForCompletion && a.metrics.some((name) => spec.analysis.metrics.some((m) => m.name === name && !m.dryRun && !canDecide(m))),
  ), (m) => rethrow(m))

/**
 * The metrics whose verdicts can hold a rollout: not dry-run, and background, named by an analysis step or in a
 * `requiredForCompletion` experiment analysis (a metric measured only by an experiment's other analyses never
 * holds its step: the experiment completes at its duration whatever they measured, as in Argo).
 *
 * @example
 * ```ts
 * declare const spec: RolloutSpec
 * holdingMetrics(spec).has('error-rate')
 * ```
 * @category properties
 */
export const holdingMetrics = guarded('holdingMetrics', (spec: RolloutSpec): ReadonlySet<string> => {
  const named = new Set<string>()
  for (const s of spec.strategy.steps) {
    if (s.type === 'analysis') for (const n of s.metrics ?? []) named.add(n)
    if (s.type === 'experiment') for (const a of s.analyses) if (a.requiredForCompletion) for (const n of a.metrics) named.add(n)
  }
  return new Set(spec.analysis.metrics.filter((m) => !m.dryRun && (m.background || named.has(m.name))).map((m) => m.name))
}, (m) => rethrow(m))

/**
 * Checks a `runToEnd` result against what it should end in, plus `checkProgress`.
 *
 * @example
 * ```ts
 * declare const spec: RolloutSpec
 * const run = runToEnd(spec, metricWorld(spec, 'healthy'))
 * checkLiveness(spec, run, { end: 'succeeded', withinMs: (minimumDuration(spec) ?? 0) + spec.analysis.intervalMs })
 * ```
 * @category properties
 */
export const checkLiveness = guarded('checkLiveness', (spec: RolloutSpec, run: RunResult, expected: LivenessExpectation): PropertyViolation[] => {
  const out = checkProgress(run.calls)
  const last = run.last
  // parked at an until-decided step that cannot decide: its metrics cannot reach a final pass, or the canary
  // has no traffic at all there (nothing is measured without canary traffic)
  const t = last.state.traffic
  const noTraffic = t.weight === 0 && t.routes.length === 0 && (t.mirror ?? 0) === 0 && t.preview !== true
  const step = spec.strategy.steps[last.state.stepIndex]
  const untilDecided = step?.type === 'analysis' && step.intervals === null
  const parked =
    (run.outcome === 'limit' || run.outcome === 'idle') &&
    ['progressing', 'paused'].includes(last.state.phase) &&
    (undecidableStep(spec, last.state.stepIndex) || (untilDecided && noTraffic))
  if (expected.undecidedHold !== false && parked) return out
  const why = `${last.reasons.map((r) => `${r.code}: ${r.message}`).join(' | ')}`
  const fail = (message: string): void => void out.push({ index: -1, property: 'reachesEnd', message: `${message}; last phase ${last.state.phase} at ${run.endedAt} after ${run.calls.length} calls (${why})` })
  switch (expected.end) {
    case 'succeeded':
      if (run.outcome !== 'succeeded') fail(`ended ${run.outcome}, expected succeeded`)
      else if (expected.withinMs != null && run.endedAt - run.startedAt > expected.withinMs) {
        out.push({ index: -1, property: 'withinPlan', message: `succeeded after ${run.endedAt - run.startedAt} ms, more than plan's minimum plus one interval (${expected.withinMs} ms)` })
      }
      break
    case 'failed':
      if (run.outcome !== 'failed') fail(`ended ${run.outcome}, expected failed`)
      break
    case 'ends':
      if (run.outcome !== 'failed' && run.outcome !== 'succeeded') fail(`ended ${run.outcome}, expected succeeded or failed`)
      break
    case 'failedOrHold': {
      const judged = holdingMetrics(spec)
      const measured = run.calls.some((c) => (c.observation.samples ?? []).some((x) => judged.has(x.metric)))
      // waiting for an operator; a rollback gate may still be polled meanwhile (then the run hits its limit)
      const hold = (run.outcome === 'idle' || run.outcome === 'limit') && last.state.paused !== null && last.state.paused.until === null
      // `onEvidenceTimeout: promote` is the spec's explicit choice to promote without evidence once the wait is over
      const promotedOnTimeout =
        run.outcome === 'succeeded' && spec.analysis.onEvidenceTimeout === 'promote' && run.calls.some((c) => (c.decision?.reasons ?? []).some((r) => r.code === 'evidenceTimeout'))
      if (!(run.outcome === 'failed' || hold || promotedOnTimeout || (run.outcome === 'succeeded' && !measured))) fail(`ended ${run.outcome}, expected failed or an indefinite hold`)
      break
    }
  }
  return out
}, (m) => rethrow(m))

const ACTED: Readonly<Record<Command, readonly string[]>> = {
  abort: ['aborted'],
  retry: ['restarted'],
  pause: ['paused'],
  resume: ['resumed'],
  promote: ['resumed', 'promoting'],
  promoteFull: ['promoting'],
}

/**
 * Checks the safety properties over a trace (see the module comment). Readiness is tracked as the caller
 * last reported it (an omitted field keeps its value).
 *
 * @example
 * ```ts
 * declare const run: RunResult
 * checkSafety(run.calls) // []
 * ```
 * @category properties
 */
export const checkSafety = guarded('checkSafety', (trace: readonly TraceEntry[]): PropertyViolation[] => {
  const out: PropertyViolation[] = []
  let canary: boolean | null = null
  let primary: boolean | null = null
  boundedList(trace, 'trace').forEach((e, i) => {
    const obs = e.observation
    if (obs.at >= e.before.at) {
      if (obs.ready?.canary !== undefined) canary = obs.ready.canary
      if (obs.ready?.primary !== undefined) primary = obs.ready.primary
    }
    const d = e.decision
    if (d === null) return
    const add = (property: PropertyName, message: string): void => void out.push({ index: i, property, message })
    const a = d.action
    const entering = d.state.phase === 'succeeded' && e.before.phase !== 'succeeded'
    if (primary === false && (entering || a.type === 'finalize')) {
      add('primaryReadyAtSuccess', `${entering ? 'succeeded' : 'finalize'} while the primary is not ready (phase ${e.before.phase} -> ${d.state.phase})`)
    }
    if (primary === false && canary !== false && (a.type === 'finalize' || a.type === 'rollback')) {
      add('canaryKept', `${a.type} scales the canary down while it is the only ready copy (primary not ready, phase ${e.before.phase})`)
    }
    if (a.type === 'rollback') {
      const t = d.state.traffic
      if (t.weight !== 0 || t.routes.length > 0 || (t.mirror ?? 0) > 0) {
        add('rollbackClean', `rollback left weight ${t.weight}, ${t.routes.length} route(s), mirror ${t.mirror ?? 0}`)
      }
    }
    const command = obs.command
    if (command !== undefined) {
      const codes: readonly string[] = d.reasons.map((r) => r.code)
      const acted = ACTED[command].some((c) => codes.includes(c)) || (command === 'abort' && d.state.phase === 'failed')
      const refused = d.reasons.some((r) => r.code === 'commandIgnored' && r.message.startsWith(command))
      const wholeRefusal = obs.at < e.before.at
      if (!acted && !refused && !wholeRefusal) add('commandAnswered', `${command} neither acted on nor refused with a reason (${d.reasons.map((r) => `${r.code}: ${r.message}`).join(' | ')})`)
    }
  })
  return out
}, (m) => rethrow(m))

/**
 * Renders property violations for an assertion message.
 *
 * @example
 * ```ts
 * formatPropertyViolations([{ index: 4, property: 'canaryKept', message: 'finalize scales the canary down ...' }])
 * // '#4 canaryKept: finalize scales the canary down ...'
 * ```
 * @category properties
 */
export const formatPropertyViolations = guarded('formatPropertyViolations', (violations: readonly PropertyViolation[], limit: number = 10): string =>
  [
    ...violations.slice(0, limit).map((v) => `${v.index < 0 ? 'run' : `#${v.index}`} ${v.property}: ${v.message}`),
    ...(violations.length > limit ? [`... and ${violations.length - limit} more`] : []),
  ].join('\n'), (m) => rethrow(m))
