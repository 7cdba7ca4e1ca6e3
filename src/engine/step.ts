/**
 * `step`: the whole engine in one pure, total, deterministic function, in the manner of xstate's
 * `transition`: it returns the next state and the action as data and executes nothing.
 *
 * @module
 */
import type { RolloutSpec } from '../config/spec.js'
import type { Decision, Reason, SetWeightAction } from './decision.js'
import type { ReasonCode } from '../model/reason.js'
import * as E from 'fp-ts/lib/Either.js'
import { canaryReplicas, splitReplicas } from './replicas.js'
import { COMMANDS, type Observation } from '../model/observation.js'
import type { RolloutState } from './state.js'
import { createContext, decide, decisionEffect, emit, type StepContext } from './context.js'
import { checkObservation } from './validate.js'
import { computeNeeds, computeWakeAt } from './needs.js'
import { applyCommand } from './commands.js'
import { runCurrentPhase } from './phases.js'
import { endRun, startRun } from './transitions.js'
import { noTraffic, type ExperimentTraffic } from '../model/traffic.js'
import { thrownMessage } from '../model/thrown.js'
import { oversizedSpec } from './specGuard.js'
import { PLAIN_DATA_LIMITS } from '../config/plainData.js'
import { MID_RUN_PHASES, PHASES, phaseSet } from '../model/phase.js'

/** Parts of the observation left out: each one's reason, and one warning event per part (at most five, then one for the rest). */
const ignoredInputs = (ctx: StepContext, ignored: readonly Reason[]): void => {
  for (let i = 0; i < ignored.length; i++) {
    const r = ignored[i]!
    ctx.reasons.push(r)
    if (i < 5) emit(ctx, 'inputIgnored', 'warn', r.message)
  }
  if (ignored.length > 5) emit(ctx, 'inputIgnored', 'warn', `${ignored.length - 5} more parts of the observation ignored (see the reasons)`)
}

/** Copies of the managed routes (their match lists come from the spec). */
const freshRoutes = (routes: RolloutState['traffic']['routes']): RolloutState['traffic']['routes'] => JSON.parse(JSON.stringify(routes))

const MID_RUN = phaseSet(MID_RUN_PHASES)

const COMMAND_NAMES = new Set<string>(COMMANDS)

/** " (the command X was not applied: send it again)" when a refused observation carried a command. */
const commandNotApplied = (obs: unknown): string => {
  try {
    const c = typeof obs === 'object' && obs !== null ? (obs as { command?: unknown }).command : undefined
    return typeof c === 'string' && COMMAND_NAMES.has(c) ? ` (the command ${c} was not applied: send it again)` : ''
  } catch {
    return ''
  }
}

const unchanged = (spec: RolloutSpec, state: RolloutState, code: ReasonCode, message: string): Decision => {
  let wakeAt: number | null = null
  let needs: Decision['needs'] = []
  try {
    wakeAt = computeWakeAt(spec, state)
    needs = computeNeeds(spec, state)
  } catch {
    // a hand-made spec or state that does not fit: nothing to ask for
  }
  return {
    state,
    action: { type: 'hold' },
    reasons: [{ code, message }],
    wakeAt,
    needs,
    events: [{ type: 'invalidObservation', severity: 'warn', message }],
  }
}

/** Revision handling: a first revision is the baseline; a new one starts or restarts a rollout. */
const applyRevision = (ctx: StepContext): void => {
  const { d, obs } = ctx
  const rev = obs.revision
  if (rev === undefined || rev === d.revision) return
  ctx.revisionChange = { from: d.revision, to: rev, outcome: d.phase === 'idle' || d.stable === null ? 'baseline' : rev === d.stable ? 'ended' : 'started' }
  if (d.phase === 'idle' || d.stable === null) {
    d.phase = 'initialized'
    d.revision = rev
    d.stable = rev
    ctx.reasons.push({ code: 'baseline', message: `first revision ${rev} is the baseline: promoted without analysis` })
    emit(ctx, 'promoted', 'info', `${rev} initialised as the baseline`)
    decide(ctx, { type: 'promote', revision: rev })
    return
  }
  const midRun = MID_RUN.has(d.phase)
  const previous = d.revision
  if (rev === d.stable) {
    endRun(ctx, 'succeeded')
    d.revision = rev
    delete d.scaleDownAt
    ctx.reasons.push({ code: 'revisionIsStable', message: `revision ${rev} is the stable one: all traffic to the primary` })
    if (midRun) emit(ctx, 'aborted', 'warn', `the stable revision ${rev} is back: rollout of ${previous} ended, all traffic to the primary`)
    decide(ctx, { type: 'setWeight', weight: 0, routes: [] })
    return
  }
  startRun(ctx, rev)
  if (midRun) {
    d.traffic = noTraffic
    ctx.reasons.push({ code: 'restarted', message: `revision changed ${previous} -> ${rev} mid-rollout: weight back to 0, restarting` })
    emit(ctx, 'restarted', 'warn', `revision changed ${previous} -> ${rev} mid-rollout; restarting`)
    decide(ctx, { type: 'setWeight', weight: 0, routes: [] })
    return
  }
}

/**
 * A command sent together with a revision change (docs/semantics.md): the revision change happens first.
 * When it started a new run, `abort` and `pause` apply to that run (both make it safer); every other
 * command was meant for the run that just ended and is refused with a reason. When the change made the
 * baseline or ended the run, there is nothing left for a command to act on.
 */
const applyCommandAfterRevision = (ctx: StepContext): void => {
  const command = ctx.obs.command
  const change = ctx.revisionChange
  if (command === undefined || change === null) return
  const refuse = (why: string): void => {
    ctx.reasons.push({ code: 'commandIgnored', message: `${command} ignored: ${why}` })
  }
  if (change.outcome === 'baseline') return refuse(`the first revision ${change.to} became the baseline in this observation; there is no rollout to ${command}`)
  if (change.outcome === 'ended') return refuse(`the revision changed to the stable ${change.to} in this observation, which ended the rollout of ${change.from ?? '-'}`)
  if (command === 'abort' || command === 'pause') {
    const wasDone = ctx.done
    ctx.done = false
    applyCommand(ctx)
    // pause appends nothing (the restart's weight 0 stays the action); abort appends the rollback, which supersedes it
    ctx.done = ctx.done || wasDone
    return
  }
  refuse(
    `the revision changed ${change.from ?? '-'} -> ${change.to} in this observation and a new run started; ${command} was meant for the previous run (send it again to apply it to ${change.to})`,
  )
}

/** Samples the analysis did not read in this call are left out with a reason (never silently). */
const reportUnreadSamples = (ctx: StepContext, phaseBefore: string): void => {
  const samples = ctx.obs.samples
  if (samples === undefined || samples.length === 0 || ctx.samplesRead) return
  const why =
    ctx.revisionChange !== null
      ? `the revision changed in this observation (${ctx.revisionChange.from ?? '-'} -> ${ctx.revisionChange.to}); it belongs to the previous run`
      : phaseBefore === ctx.d.phase
        ? `nothing is measured now (phase ${phaseBefore})`
        : `nothing was measured in this call (phase ${phaseBefore} -> ${ctx.d.phase})`
  const n = Math.min(samples.length, 20)
  for (let i = 0; i < n; i++) {
    const s = samples[i]!
    ctx.reasons.push({ code: 'sampleIgnored', message: `${s.metric}: sample [${s.window.from}, ${s.window.to}) not used: ${why}`, metric: s.metric })
  }
  if (samples.length > n) ctx.reasons.push({ code: 'sampleIgnored', message: `${samples.length - n} more samples not used: ${why}` })
}

/**
 * Replica counts for callers without a mesh (spec `workload`): with a canary scale override (Argo
 * `setCanaryScale`) the canary gets that many pods and the stable side keeps its full count; otherwise the
 * pods split by the traffic weight (Argo's basic canary rule, `splitReplicas`).
 */
const withReplicas = (action: SetWeightAction, w: NonNullable<RolloutSpec['workload']>): SetWeightAction => {
  const weight = Math.round(action.weight)
  if (action.canaryScale !== undefined) {
    const c = canaryReplicas(action.canaryScale, weight, w.replicas)
    return E.isRight(c) ? { ...action, replicas: { canary: c.right, stable: w.replicas } } : action
  }
  const split = splitReplicas(w.replicas, weight, w.maxSurge)
  return E.isRight(split) ? { ...action, replicas: split.right } : action
}

const ANY_PHASE = phaseSet(PHASES)

/**
 * A cheap structural check on every call (the full check is `decodeState`, for states read from storage). The
 * approved list is walked by every call that clears approvals: one longer than any plain-data list (a hostile
 * 2^32-1 holes took minutes) is refused here, in constant time.
 */
const looksLikeState = (s: unknown): s is RolloutState => {
  if (typeof s !== 'object' || s === null) return false
  const o = s as Partial<Record<keyof RolloutState, unknown>>
  return (
    o.v === 1 &&
    typeof o.at === 'number' &&
    ANY_PHASE.has(o.phase as string) &&
    typeof o.traffic === 'object' &&
    o.traffic !== null &&
    typeof o.metrics === 'object' &&
    o.metrics !== null &&
    Array.isArray(o.approved) &&
    o.approved.length <= PLAIN_DATA_LIMITS.maxItems
  )
}

/**
 * Decides what to do next. Pure, total and deterministic: the same spec, state and observation always
 * give the same decision; the input state is never modified. Each part of the observation is checked on
 * its own: an unusable sample, gate answer, readiness field, revision or command is left out with a
 * reason (and an `inputIgnored` event) and the rest is used, the command first (see `sampleProblem`).
 * Only an unusable `at` (not epoch milliseconds, or before the last observation) refuses the whole
 * observation: the state is unchanged and the decision says why. A command is always acted on or refused
 * with a `commandIgnored` reason.
 *
 * `decodeSpec` returns a deeply frozen spec that carries its own indexes (e.g. which metrics a step
 * evaluates); a spec built by hand or copied has none and is indexed per call, so no spec is seen stale.
 * Actions carry their own copies of route data, so editing a decision never edits the spec or the state.
 *
 * @example
 * ```ts
 * import * as E from 'fp-ts/lib/Either.js'
 * import { decodeSpec, initialState, step } from 'rollout-kernel'
 *
 * const spec = decodeSpec({ strategy: { canary: { stepWeight: 10, maxWeight: 50 } }, analysis: { interval: '1m' } })
 * if (E.isRight(spec)) {
 *   let state = initialState(spec.right, 0)
 *   state = step(spec.right, state, { at: 0, revision: 'v1' }).state            // baseline
 *   const d = step(spec.right, state, { at: 1000, revision: 'v2', ready: { canary: true } })
 *   d.action // { type: 'setWeight', weight: 10, routes: [] }
 * }
 * ```
 * @category engine
 */
export const step = (spec: RolloutSpec, state: RolloutState, obs: Observation): Decision => {
  try {
    const badSpec = oversizedSpec(spec)
    if (badSpec !== null) return { state, action: { type: 'hold' }, reasons: [{ code: 'invalidSpec', message: badSpec }], wakeAt: null, needs: [], events: [{ type: 'invalidObservation', severity: 'warn', message: badSpec }] }
    if (!looksLikeState(state)) {
      return unchanged(spec, state, 'invalidState', 'the state is not a rollout-kernel state (version 1): read persisted states back with decodeState')
    }
    const checked = checkObservation(spec, state, obs)
    if ('refused' in checked) return unchanged(spec, state, 'invalidObservation', `observation ignored: ${checked.refused}${commandNotApplied(obs)}`)
    const ctx = createContext(spec, state, checked.obs)
    if (checked.ignored.length > 0) ignoredInputs(ctx, checked.ignored)
    const phaseBefore = ctx.d.phase
    applyRevision(ctx)
    if (ctx.revisionChange !== null) applyCommandAfterRevision(ctx)
    else applyCommand(ctx)
    if (!ctx.done) runCurrentPhase(ctx)
    reportUnreadSamples(ctx, phaseBefore)
    const next: RolloutState = { ...ctx.d }
    const action =
      decisionEffect(ctx) ??
      (ctx.trafficChanged
        ? {
            type: 'setWeight' as const,
            weight: next.traffic.weight,
            // fresh data: a caller that edits the action must not edit the state or the spec
            routes: next.traffic.routes.length === 0 ? [] : freshRoutes(next.traffic.routes),
            ...(next.traffic.mirror !== undefined ? { mirror: next.traffic.mirror } : {}),
            ...(next.traffic.canaryScale !== undefined ? { canaryScale: next.traffic.canaryScale } : {}),
            ...(next.traffic.preview === true ? { preview: true } : {}),
            ...(next.traffic.experiment !== undefined ? { experiment: JSON.parse(JSON.stringify(next.traffic.experiment)) as ExperimentTraffic } : {}),
          }
        : { type: 'hold' as const })
    return {
      state: next,
      action: action.type === 'setWeight' && spec.workload !== undefined ? withReplicas(action, spec.workload) : action,
      reasons: ctx.reasons,
      wakeAt: computeWakeAt(spec, next),
      needs: computeNeeds(spec, next),
      events: ctx.events,
    }
  } catch (e) {
    return unchanged(spec, state, 'internalError', `internal error, state unchanged: ${thrownMessage(e)}`)
  }
}
