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
import { dueMetrics } from './metricsDue.js'
import { mirrorPending } from './mirror.js'

const ANALYSING = new Set(['progressing', 'waitingPromotion'])

const gatesOf = (spec: RolloutSpec, s: RolloutState, type: GateType): Need[] =>
  spec.gates
    .filter((g) => g.type === type && !s.approved.includes(g.name))
    .map((g) => ({ kind: 'gate', gate: g.name, type: g.type }) as const)

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
  switch (s.phase) {
    case 'waiting': {
      const confirm = gatesOf(spec, s, 'confirm-rollout')
      return confirm.length > 0 ? confirm : gatesOf(spec, s, 'pre-rollout')
    }
    case 'progressing': {
      const step = spec.strategy.steps[s.stepIndex]
      const increase = step?.type === 'setWeight' && step.weight > s.traffic.weight && !mirrorPending(s) ? gatesOf(spec, s, 'confirm-traffic-increase') : []
      return [...gatesOf(spec, s, 'rollback'), ...gatesOf(spec, s, 'rollout'), ...increase]
    }
    case 'waitingPromotion':
      return [...gatesOf(spec, s, 'rollback'), ...gatesOf(spec, s, 'rollout'), ...gatesOf(spec, s, 'confirm-promotion')]
    case 'paused':
      return gatesOf(spec, s, 'rollback')
    case 'succeeded':
    case 'failed':
      return s.startedAt !== null ? gatesOf(spec, s, 'post-rollout') : []
    default:
      return []
  }
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
  if (!ANALYSING.has(s.phase) || s.nextTickAt === null || s.canaryReady === false) return []
  const to = s.nextTickAt
  const out: Need[] = []
  for (const m of dueMetrics(spec, s)) {
    const ms = s.metrics[m.name]
    if (ms?.pending != null) continue
    const lastTo = ms?.lastTo ?? null
    const from = m.sample === 'counts' ? (lastTo ?? s.startedAt ?? to - m.windowMs) : Math.max(to - m.windowMs, lastTo ?? -Infinity)
    if (!(from < to)) continue
    out.push({ kind: 'metric', metric: m.name, window: { from, to }, sample: m.sample, ...(m.query !== undefined ? { query: m.query } : {}) })
  }
  return out
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
  const readiness: Need[] =
    s.phase === 'waiting' || s.phase === 'progressing' || s.phase === 'waitingPromotion' || s.phase === 'promoting'
      ? [{ kind: 'readiness' }]
      : []
  return [...readiness, ...gateNeeds(spec, s), ...metricNeeds(spec, s)]
}

/**
 * The next moment anything can change by itself: the next analysis tick, the end of a pause, a readiness
 * deadline, or a gate to ask again. `null` when only the caller can move things on (terminal phases,
 * indefinite pauses).
 *
 * @example
 * ```ts
 * declare const spec: RolloutSpec, s: RolloutState
 * computeWakeAt(spec, s)
 * ```
 * @category selectors
 */
export const computeWakeAt = (spec: RolloutSpec, s: RolloutState): number | null => {
  const candidates: number[] = []
  const deadline = s.waitingSince !== null ? s.waitingSince + spec.progressDeadlineMs : null
  if (s.scaleDownAt !== undefined && s.scaleDownAt > s.at && (ANALYSING.has(s.phase) || s.phase === 'failed')) candidates.push(s.scaleDownAt)
  switch (s.phase) {
    case 'waiting':
      if (deadline !== null) candidates.push(deadline)
      candidates.push(s.at + spec.analysis.intervalMs)
      break
    case 'progressing':
    case 'waitingPromotion':
      if (s.nextTickAt !== null) candidates.push(s.nextTickAt)
      if (s.paused?.until != null) candidates.push(s.paused.until)
      if (deadline !== null) candidates.push(deadline)
      if (s.phase === 'waitingPromotion' && !gateNeeds(spec, s).some((n) => n.kind === 'gate' && n.type === 'confirm-promotion')) {
        // promotion was deferred only because this call changed the routing: it follows at once
        candidates.push(s.at)
      } else if (s.phase === 'waitingPromotion' || gateNeeds(spec, s).some((n) => n.kind === 'gate' && n.type === 'confirm-traffic-increase')) {
        candidates.push(s.at + spec.analysis.intervalMs)
      }
      break
    case 'promoting':
    case 'finalising':
      if (s.nextTickAt !== null) candidates.push(s.nextTickAt)
      break
    default:
      break
  }
  const future = candidates.filter((c) => Number.isFinite(c))
  return future.length > 0 ? Math.max(s.at, Math.min(...future)) : null
}
