/**
 * Test helper: drives `step` on an imported spec until a terminal phase, answering every need the way a
 * healthy or failing canary would (metric needs -> value samples that pass or fail the metric's judge,
 * readiness -> ready, except a failing canary's experiment ReplicaSets, which never become ready; gates ->
 * approve; `rollback` gates -> deny), and counting analysis intervals.
 * Indefinite pauses are ended with a `promote` command (counted in `manualPromotions`).
 */
import type { MetricSpec, RolloutSpec } from '../../src/config/spec.js'
import type { Decision } from '../../src/engine/decision.js'
import type { Sample, SampleValue } from '../../src/model/observation.js'
import { probeAnswer } from '../../src/cli/probe.js'
import { classifyMeasurement } from '../../src/analysis/measurement.js'
import { runToEnd, type World } from '../../src/testing/index.js'

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
 * Runs a rollout of revision `v2` over stable `v1`, starting at `t0`, with the cooperative caller
 * (src/testing/cooperative.ts): gates answered at once (`rollback` gates "carry on"), indefinite pauses
 * promoted `operatorMs` after they start, and a spin guard of one second when `wakeAt` does not move.
 */
export const simulate = (
  spec: RolloutSpec,
  health: Health,
  options: {
    readonly maxCalls?: number
    readonly t0?: number
    /** how long the operator takes to promote an indefinite pause (1 s) */
    readonly operatorMs?: number
    /** whether experiment ReplicaSets become ready (default: when healthy) */
    readonly experimentReady?: boolean
  } = {},
): SimResult => {
  const t0 = options.t0 ?? Date.parse('2026-01-01T00:00:00Z')
  const interval = spec.analysis.intervalMs
  // a failing canary's experiment ReplicaSets never become ready (an experiment step then rolls back at the progress deadline)
  const world: World = {
    samples: (due) => due.map((n) => sampleFor(spec, n.metric, n.window, health)),
    ready: () => ({ canary: true, primary: true, experiment: options.experimentReady ?? health === 'healthy' }),
  }
  const run = runToEnd(spec, world, {
    start: t0,
    maxCalls: options.maxCalls ?? 2000,
    maxMs: Number.MAX_SAFE_INTEGER,
    gateTiming: 'now',
    operatorMs: options.operatorMs ?? 1000,
    minAdvanceMs: 1000,
  })
  let startedAt: number | null = null
  let promotedAt: number | null = null
  let rolledBackAt: number | null = null
  let ticks = 0
  const weights: number[] = []
  for (const c of run.calls) {
    const dec = c.decision
    const when = c.observation.at
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
  const per = (t: number | null): number | null => (t === null || startedAt === null ? null : (t - startedAt) / interval)
  return {
    outcome: run.outcome === 'succeeded' ? 'succeeded' : run.outcome === 'failed' ? 'failed' : 'stuck',
    intervalsToPromote: per(promotedAt),
    intervalsToRollback: per(rolledBackAt),
    msToPromote: promotedAt === null || startedAt === null ? null : promotedAt - startedAt,
    msToRollback: rolledBackAt === null || startedAt === null ? null : rolledBackAt - startedAt,
    ticks,
    maxWeightSeen: weights.length > 0 ? Math.max(...weights) : 0,
    weights,
    manualPromotions: run.calls.filter((c) => c.promoted).length,
    calls: run.calls.length,
    last: run.last,
  }
}
