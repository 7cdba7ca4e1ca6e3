/**
 * Test helper: drives `step` on an imported spec until a terminal phase, answering every need the way a
 * healthy or failing canary would (metric needs -> value samples that pass or fail the metric's judge,
 * readiness -> ready, gates -> approve; `rollback` gates -> deny), and counting analysis intervals.
 * Indefinite pauses are ended with a `promote` command (counted in `manualPromotions`).
 */
import type { MetricSpec, RolloutSpec } from '../../src/config/spec.js'
import type { Decision } from '../../src/engine/decision.js'
import type { Observation, Sample, SampleValue } from '../../src/engine/observation.js'
import { probeAnswer } from '../../src/cli/probe.js'
import { initialState } from '../../src/engine/initialState.js'
import { step } from '../../src/engine/step.js'
import { classifyMeasurement } from '../../src/analysis/measurement.js'

/** How the canary behaves. */
export type Health = 'healthy' | 'failing'

/** What happened. */
export interface SimResult {
  readonly outcome: 'succeeded' | 'failed' | 'stuck'
  /** Time from the start of the analysis (phase `progressing`) to the promote action, in analysis intervals. */
  readonly intervalsToPromote: number | null
  /** Time from the start of the analysis to the rollback action, in analysis intervals. */
  readonly intervalsToRollback: number | null
  /** The same in milliseconds. */
  readonly msToPromote: number | null
  readonly msToRollback: number | null
  /** Analysis ticks evaluated when promoted (or rolled back). */
  readonly ticks: number
  /** Highest canary weight set. */
  readonly maxWeightSeen: number
  /** Every weight set, in order. */
  readonly weights: readonly number[]
  readonly manualPromotions: number
  readonly calls: number
  readonly last: Decision
}

const CANDIDATES: readonly (number | readonly number[])[] = [
  [1], [0], [100], [0.99], [0.5], [0.01], [1000], [-1], [99.9], [0.9], [10], [0.1], [5], [50], 1, 0, 100, 0.99, 0.5,
]

/**
 * A value that makes the metric's judge pass (healthy) or fail (failing), or undefined when none exists.
 */
export const valueFor = (m: MetricSpec, health: Health): SampleValue | undefined => {
  const j = m.judge
  if (j.kind === 'threshold') {
    if (health === 'healthy') {
      if (j.min !== undefined && j.max !== undefined) return (j.min + j.max) / 2
      if (j.min !== undefined) return j.min + 1
      if (j.max !== undefined) return j.max >= 1 ? j.max - 1 : j.max / 2
      return 0
    }
    if (j.min !== undefined) return j.min - 1
    if (j.max !== undefined) return j.max + 1
    return undefined
  }
  if (j.kind === 'condition') {
    const want = health === 'healthy' ? 'Successful' : 'Failed'
    const numeric = CANDIDATES.find((v) => classifyMeasurement(j, v).phase === want)
    if (numeric !== undefined) return numeric
    // string and JSON conditions: the CLI's stand-in search (string literals, objects along result paths)
    const a = probeAnswer(m, health === 'healthy' ? 'pass' : 'fail')
    const s = a?.({ from: 0, to: m.windowMs })
    return s?.kind === 'value' ? s.value : undefined
  }
  return undefined
}

const sampleFor = (spec: RolloutSpec, metric: string, window: { from: number; to: number }, health: Health): Sample => {
  const m = spec.analysis.metrics.find((x) => x.name === metric)
  const v = m === undefined ? undefined : valueFor(m, health)
  return v === undefined ? { kind: 'noData', metric, window } : { kind: 'value', metric, window, value: v }
}

/**
 * Runs a rollout of revision `v2` over stable `v1`, starting at `t0`.
 */
export const simulate = (
  spec: RolloutSpec,
  health: Health,
  options: { readonly maxCalls?: number; readonly t0?: number; /** how long the operator takes to promote an indefinite pause (1 s) */ readonly operatorMs?: number } = {},
): SimResult => {
  const operatorMs = options.operatorMs ?? 1000
  const t0 = options.t0 ?? Date.parse('2026-01-01T00:00:00Z')
  const interval = spec.analysis.intervalMs
  let state = initialState(spec, t0, { stable: 'v1' })
  let d = step(spec, state, { at: t0, revision: 'v2', ready: { canary: true, primary: true } })
  state = d.state
  let at = t0
  let calls = 1
  let manualPromotions = 0
  let startedAt: number | null = null
  let promotedAt: number | null = null
  let rolledBackAt: number | null = null
  let ticks = 0
  const weights: number[] = []
  const record = (dec: Decision, when: number): void => {
    if (startedAt === null && ['progressing', 'paused', 'waitingPromotion', 'promoting'].includes(dec.state.phase)) startedAt = when
    if (dec.action.type === 'setWeight' && dec.state.phase !== 'promoting' && dec.state.phase !== 'finalising' && dec.action.weight !== (weights[weights.length - 1] ?? 0)) {
      weights.push(dec.action.weight)
    }
    if (dec.action.type === 'promote' && promotedAt === null) {
      promotedAt = when
      ticks = dec.state.ticks
    }
    if (dec.action.type === 'rollback' && rolledBackAt === null) {
      rolledBackAt = when
      ticks = dec.state.ticks
    }
  }
  record(d, t0)
  let sameTime = 0
  const max = options.maxCalls ?? 2000
  while (state.phase !== 'succeeded' && state.phase !== 'failed' && calls < max) {
    const gateNeeds = d.needs.filter((n) => n.kind === 'gate')
    let command: Observation['command']
    if (gateNeeds.length > 0 && sameTime < 2) {
      sameTime += 1 // answer the gates at once, as a controller would within the same reconcile
    } else if (state.phase === 'paused' || (state.paused !== null && state.paused.until === null)) {
      command = 'promote' // an indefinite pause step (or inconclusive analysis) waits for a human
      manualPromotions += 1
      at = Math.max(at + 1, (state.paused?.since ?? at) + operatorMs)
      if (d.wakeAt !== null && d.wakeAt < at) {
        command = undefined // something happens before the operator acts
        manualPromotions -= 1
        at = d.wakeAt
      }
      sameTime = 0
    } else if (d.wakeAt !== null && d.wakeAt > at) {
      at = d.wakeAt
      sameTime = 0
    } else if (d.wakeAt === null) {
      command = 'promote' // an indefinite pause (or inconclusive analysis) waits for a human
      manualPromotions += 1
      at += 1000
      sameTime = 0
    } else {
      at += 1000
      sameTime = 0
    }
    const samples = d.needs.flatMap((n) => (n.kind === 'metric' && n.window.to <= at ? [sampleFor(spec, n.metric, n.window, health)] : []))
    const gates: Record<string, 'approve' | 'deny'> = {}
    for (const n of d.needs) if (n.kind === 'gate') gates[n.gate] = n.type === 'rollback' ? 'deny' : 'approve'
    d = step(spec, state, {
      at,
      ready: { canary: true, primary: true },
      ...(samples.length > 0 ? { samples } : {}),
      ...(Object.keys(gates).length > 0 ? { gates } : {}),
      ...(command !== undefined ? { command } : {}),
    })
    record(d, at)
    state = d.state
    calls += 1
  }
  const per = (t: number | null): number | null => (t === null || startedAt === null ? null : (t - startedAt) / interval)
  return {
    outcome: state.phase === 'succeeded' ? 'succeeded' : state.phase === 'failed' ? 'failed' : 'stuck',
    intervalsToPromote: per(promotedAt),
    intervalsToRollback: per(rolledBackAt),
    msToPromote: promotedAt === null || startedAt === null ? null : promotedAt - startedAt,
    msToRollback: rolledBackAt === null || startedAt === null ? null : rolledBackAt - startedAt,
    ticks,
    maxWeightSeen: weights.length > 0 ? Math.max(...weights) : 0,
    weights,
    manualPromotions,
    calls,
    last: d,
  }
}
