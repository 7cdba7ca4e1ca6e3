/**
 * What the caller must gather before the next call, and when to call: derived from the state alone, so
 * that the same state always asks for the same things (and an answer to a gate nobody asked for can be
 * recognised).
 *
 * @module
 */
import type { GateType, RolloutSpec } from '../config/spec.js'
import type { Need } from './decision.js'
import type { RolloutState } from './state.js'
import { dueShared, idlePause, initialDelayEnd } from './metricsDue.js'
import { mirrorPending } from './strategies/mirror.js'
import { experimentNeedOf, experimentWakeAt } from './experiment.js'
import { evidenceDeadline, evidencePending } from './evidenceGate.js'
import { ANALYSING_PHASES, phaseSet } from '../model/phase.js'

const ANALYSING = phaseSet(ANALYSING_PHASES)

/** Appends the unapproved gates of `type` to `out` (spec order), without intermediate arrays. */
const pushGates = (out: Need[], spec: RolloutSpec, s: RolloutState, type: GateType): void => {
  const gates = spec.gates
  for (let i = 0; i < gates.length; i++) {
    const g = gates[i]!
    if (g.type === type && !s.approved.includes(g.name)) out.push({ kind: 'gate', gate: g.name, type: g.type })
  }
}

/** True when some gate of `type` is not approved yet (without building the list). */
const hasPendingGate = (spec: RolloutSpec, s: RolloutState, type: GateType): boolean => {
  const gates = spec.gates
  for (let i = 0; i < gates.length; i++) {
    const g = gates[i]!
    if (g.type === type && !s.approved.includes(g.name)) return true
  }
  return false
}

/** The confirm-traffic-increase gates are asked in `progressing` when the current step raises live weight. */
const increasePending = (spec: RolloutSpec, s: RolloutState): boolean => {
  const step = spec.strategy.steps[s.stepIndex]
  return step?.type === 'setWeight' && step.weight > s.traffic.weight && !mirrorPending(s)
}

/**
 * The promotion of a canary gives the new revision all the traffic: the confirm-traffic-increase gates are
 * asked before it (Flagger asks them in the tick that promotes at max weight), then confirm-promotion.
 */
const promotionIncreasePending = (spec: RolloutSpec, s: RolloutState): boolean =>
  spec.strategy.kind === 'canary' && hasPendingGate(spec, s, 'confirm-traffic-increase')

/** `gateNeeds` appended to `out`. */
const pushGateNeeds = (out: Need[], spec: RolloutSpec, s: RolloutState): void => {
  if (spec.gates.length === 0) return
  switch (s.phase) {
    case 'waiting':
      // pre-rollout hooks run once the canary is ready (never against a canary that is not up), and
      // never on skipAnalysis's fast path (Flagger asks only confirm-rollout and post-rollout there)
      if (hasPendingGate(spec, s, 'confirm-rollout')) pushGates(out, spec, s, 'confirm-rollout')
      else if (!spec.skipAnalysis && s.canaryReady === true) pushGates(out, spec, s, 'pre-rollout')
      return
    case 'progressing':
      pushGates(out, spec, s, 'rollback')
      pushGates(out, spec, s, 'rollout')
      if (increasePending(spec, s)) pushGates(out, spec, s, 'confirm-traffic-increase')
      return
    case 'waitingPromotion':
      pushGates(out, spec, s, 'rollback')
      pushGates(out, spec, s, 'rollout')
      if (promotionIncreasePending(spec, s)) pushGates(out, spec, s, 'confirm-traffic-increase')
      else pushGates(out, spec, s, 'confirm-promotion')
      return
    case 'paused':
      pushGates(out, spec, s, 'rollback')
      return
    case 'succeeded':
    case 'failed':
      if (s.startedAt !== null) pushGates(out, spec, s, 'post-rollout')
      return
    default:
      return
  }
}

/**
 * The gates the engine waits for in this state.
 *
 * @example
 * ```ts
 * declare const spec: RolloutSpec, s: RolloutState
 * gateNeeds(spec, s).map((n) => n.kind === 'gate' && n.gate)
 * ```
 * @category selectors
 */
export const gateNeeds = (spec: RolloutSpec, s: RolloutState): Need[] => {
  const out: Need[] = []
  pushGateNeeds(out, spec, s)
  return out
}

/**
 * Metric needs for the next analysis tick: counts windows are contiguous (from the last consumed end);
 * other samples cover the metric's window ending at the tick.
 *
 * @example
 * ```ts
 * declare const spec: RolloutSpec, s: RolloutState
 * metricNeeds(spec, s)
 * ```
 * @category selectors
 */
export const metricNeeds = (spec: RolloutSpec, s: RolloutState): Need[] => {
  const out: Need[] = []
  pushMetricNeeds(out, spec, s)
  return out
}

/** `metricNeeds` appended to `out`. */
const pushMetricNeeds = (out: Need[], spec: RolloutSpec, s: RolloutState): void => {
  if (!ANALYSING.has(s.phase) || s.nextTickAt === null || s.canaryReady === false) return
  const to = s.nextTickAt
  const due = dueShared(spec, s)
  for (let i = 0; i < due.length; i++) {
    const m = due[i]!
    const ms = s.metrics[m.name]
    if (ms?.pending != null) continue
    // inside the metric's initialDelay: not measured yet (the tick is deferred to the delay's end)
    const delayEnd = initialDelayEnd(m, s)
    if (delayEnd !== null && to < delayEnd) continue
    const lastTo = ms?.lastTo ?? null
    // a metric of the running experiment carries the experiment's analysis and args, and is measured from its
    // readiness on (unless that leaves nothing to measure: readiness at or after the tick's end)
    const ex = s.traffic.experiment === undefined ? undefined : experimentNeedOf(spec, s, m.name)
    const from0 = m.sample === 'counts' ? (lastTo ?? s.startedAt ?? to - m.windowMs) : Math.max(to - m.windowMs, lastTo ?? -Infinity)
    const from = ex !== undefined && s.stepStartedAt !== null && s.stepStartedAt < to ? Math.max(from0, s.stepStartedAt) : from0
    if (!(from < to)) continue
    const need: Need =
      m.query !== undefined
        ? { kind: 'metric', metric: m.name, window: { from, to }, sample: m.sample, query: m.query }
        : { kind: 'metric', metric: m.name, window: { from, to }, sample: m.sample }
    out.push(ex === undefined ? need : { ...need, experiment: ex })
  }
}

/**
 * Everything to gather before the next call.
 *
 * @example
 * ```ts
 * declare const spec: RolloutSpec, s: RolloutState
 * computeNeeds(spec, s)
 * ```
 * @category selectors
 */
export const computeNeeds = (spec: RolloutSpec, s: RolloutState): Need[] => {
  const out: Need[] = []
  if (s.phase === 'waiting' || s.phase === 'progressing' || s.phase === 'waitingPromotion' || s.phase === 'promoting' || s.phase === 'finalising') {
    out.push({ kind: 'readiness' })
  }
  pushGateNeeds(out, spec, s)
  pushMetricNeeds(out, spec, s)
  return out
}

/** The earlier of `best` and `c`, ignoring a non-finite `c` (Math.min, as over the whole list). */
const earliest = (best: number | null, c: number): number | null => (Number.isFinite(c) ? (best === null ? c : Math.min(best, c)) : best)

/**
 * The next moment anything can change by itself: the next analysis tick, the end of a pause, a readiness
 * deadline, or a gate to ask again. `null` when only the caller can move things on (terminal phases,
 * indefinite pauses without background analysis or a deadline).
 *
 * @example
 * ```ts
 * declare const spec: RolloutSpec, s: RolloutState
 * computeWakeAt(spec, s)
 * ```
 * @category selectors
 */
export const computeWakeAt = (spec: RolloutSpec, s: RolloutState): number | null => {
  // the earliest finite candidate (Math.min pairwise, as Math.min over the list would give), never before s.at
  let best: number | null = null
  const deadline = s.waitingSince !== null ? s.waitingSince + spec.progressDeadlineMs : null
  if (s.scaleDownAt !== undefined && s.scaleDownAt > s.at && (ANALYSING.has(s.phase) || s.phase === 'failed')) best = earliest(best, s.scaleDownAt)
  switch (s.phase) {
    case 'waiting':
      if (deadline !== null) best = earliest(best, deadline)
      best = earliest(best, s.at + spec.analysis.intervalMs)
      break
    case 'progressing':
    case 'waitingPromotion':
      if (s.nextTickAt !== null && !idlePause(spec, s)) best = earliest(best, s.nextTickAt)
      if (s.paused?.until != null) best = earliest(best, s.paused.until)
      if (deadline !== null) best = earliest(best, deadline)
      if (s.traffic.experiment !== undefined) {
        const ex = experimentWakeAt(spec, s)
        if (ex !== null) best = earliest(best, ex)
      }
      if (s.phase === 'waitingPromotion' && evidencePending(spec, s)) {
        // no blind promotion: the next window brings the evidence, or the evidence timeout ends the wait
        const end = evidenceDeadline(spec, s)
        if (end !== null && end > s.at) best = earliest(best, end)
        best = earliest(best, s.at + spec.analysis.intervalMs)
      } else if (s.phase === 'waitingPromotion' && !hasPendingGate(spec, s, 'confirm-promotion') && !promotionIncreasePending(spec, s)) {
        // promotion was deferred only because this call changed the routing: it follows at once
        best = earliest(best, s.at)
      } else if (s.phase === 'waitingPromotion' || (increasePending(spec, s) && hasPendingGate(spec, s, 'confirm-traffic-increase'))) {
        best = earliest(best, s.at + spec.analysis.intervalMs)
      }
      break
    case 'promoting':
    case 'finalising':
      if (s.waitingSince !== null) {
        // waiting for the promoted primary to be ready: ask again every interval, up to the deadline
        best = earliest(best, s.at + spec.analysis.intervalMs)
        if (deadline !== null) best = earliest(best, deadline)
      } else if (s.nextTickAt !== null) {
        best = earliest(best, s.nextTickAt)
      }
      break
    default:
      break
  }
  return best !== null ? Math.max(s.at, best) : null
}
