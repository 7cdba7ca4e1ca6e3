/**
 * Runs the real engine against the seeded traffic simulator: the loop a controller would run, with the
 * simulator as the metrics source, every gate approved, both workloads ready, and indefinite pauses
 * ended by a simulated operator `promote`. Pure apart from the simulator's own (seeded) randomness.
 *
 * @module
 */
import type { RolloutSpec, MetricSpec } from '../config/spec.js'
import type { Decision } from '../engine/decision.js'
import type { Observation, Sample } from '../model/observation.js'
import { createSimulator } from '../testing/simulator.js'
import { runToEnd } from '../testing/cooperative.js'
import type { World } from '../testing/world.js'
import { createPrng, deriveSeed } from '../testing/prng.js'
import { inOutage, metricScale, type Scenario } from './scenario.js'
import { probeAnswer, type Answer } from './probe.js'

/**
 * One call of `step` in a simulation: the time (ms since the rollout started), what was observed, what
 * the engine decided, and what the simulated world did (`notes`: gate approvals, operator commands...).
 *
 * @example
 * ```ts
 * declare const t: SimTick
 * console.log(t.at, t.decision.action.type)
 * ```
 * @category model
 */
export interface SimTick {
  readonly at: number
  readonly observation: Observation
  readonly decision: Decision
  readonly notes: readonly string[]
}

/**
 * How a simulation ended.
 *
 * @example
 * ```ts
 * const o: SimOutcome = 'promoted'
 * ```
 * @category model
 */
export type SimOutcome = 'promoted' | 'rolledBack' | 'unfinished'

/**
 * The result of `runSimulation`.
 *
 * @example
 * ```ts
 * declare const r: SimResult
 * if (r.outcome === 'rolledBack') console.log(r.ticks.at(-1)?.decision.state.lastFailure?.message)
 * ```
 * @category model
 */
export interface SimResult {
  readonly ticks: readonly SimTick[]
  readonly outcome: SimOutcome
  /** The metric names the simulator has data for. */
  readonly simulatedMetrics: readonly string[]
}

/**
 * Limits of a simulation.
 *
 * @example
 * ```ts
 * const o: SimOptions = { seed: 1, maxTicks: 500, maxMs: 6 * 3_600_000 }
 * ```
 * @category model
 */
export interface SimOptions {
  readonly seed: number
  /** Stop after this many steps (default 2000). */
  readonly maxTicks?: number
  /** Stop after this much simulated time (default 24 h). */
  readonly maxMs?: number
}

/** The revision being rolled out and the stable one. */
const STABLE = 'v1'
const CANARY = 'v2'

/**
 * Pushes a value sample of a flaky window across its metric's bounds (threshold judges only; other
 * samples are returned unchanged).
 *
 * @example
 * ```ts
 * const m: MetricSpec = { name: 'sr', windowMs: 60_000, sample: 'value', judge: { kind: 'threshold', min: 99 }, background: true, dryRun: false }
 * degrade(m, { kind: 'value', metric: 'sr', window: { from: 0, to: 60_000 }, value: 99.8 }) // value 98
 * ```
 * @category simulation
 */
export const degrade = (metric: MetricSpec | undefined, s: Sample): Sample => {
  if (metric === undefined || s.kind !== 'value' || metric.judge.kind !== 'threshold' || typeof s.value !== 'number') return s
  const { min, max } = metric.judge
  if (min !== undefined) return { ...s, value: min - Math.max(1, Math.abs(min) * 0.01) }
  if (max !== undefined) return { ...s, value: max * 1.25 + 1 }
  return s
}

const isFlaky = (seed: number, flaky: number, w: { from: number }): boolean =>
  flaky > 0 && createPrng(deriveSeed(seed, 0x666c6b, Math.floor(w.from / 1000))).next() < flaky

/**
 * Runs a rollout of revision v2 over stable v1 from time 0 until it is promoted, rolled back, or a limit
 * is reached. Metric needs are answered by the simulator (with the scenario's outages and flaky
 * windows) once their window has ended; gates are approved at the next call; an indefinite pause or an
 * inconclusive analysis is ended by an operator `promote` one analysis interval later.
 *
 * @example
 * ```ts
 * import * as E from 'fp-ts/lib/Either.js'
 * import { decodeSpec } from '../config/decodeSpec.js'
 * import { builtinScenario } from './scenario.js'
 * const spec = decodeSpec({ strategy: { canary: { stepWeight: 25, maxWeight: 50 } }, analysis: { interval: '1m' } })
 * const scenario = builtinScenario('healthy', 100, 60_000)
 * if (E.isRight(spec) && scenario) runSimulation(spec.right, scenario, { seed: 1 }).outcome // 'promoted'
 * ```
 * @category simulation
 */
export const runSimulation = (spec: RolloutSpec, scenario: Scenario, options: SimOptions): SimResult => {
  const maxTicks = options.maxTicks ?? 2000
  const maxMs = options.maxMs ?? 24 * 3_600_000
  const sim = createSimulator({ ...scenario.simulator, start: 0 }, options.seed)
  const metricsByName = new Map(spec.analysis.metrics.map((m) => [m.name, m]))
  const interval = spec.analysis.intervalMs
  const simulatedMetrics = Object.keys(sim.config.metrics)
  // the simulator's values are in ms and percent; each metric gets them in its own unit
  const scales = new Map<string, number>()
  for (const m of spec.analysis.metrics) {
    const binding = sim.config.metrics[m.name]
    const scale = binding === undefined ? 1 : metricScale(binding.source, m.judge, m.query)
    if (scale !== 1) scales.set(m.name, scale)
  }
  // an Argo condition that indexes result (result[0]) reads a Prometheus vector: give it one
  const vectors = new Set(
    spec.analysis.metrics
      .filter((m) => m.judge.kind === 'condition' && [m.judge.successCondition, m.judge.failureCondition].some((t) => typeof t === 'string' && /\bresult\s*\[/.test(t)))
      .map((m) => m.name),
  )
  const scaled = (s: Sample): Sample => {
    if (s.kind !== 'value') return s
    const k = scales.get(s.metric) ?? 1
    const v = s.value
    const out = typeof v === 'number' ? v * k : Array.isArray(v) ? v.map((x: unknown) => (typeof x === 'number' ? x * k : x)) : v
    return { ...s, value: typeof out === 'number' && vectors.has(s.metric) ? [out] : (out as number) }
  }
  // metrics the simulator has no model for (e.g. an Argo Job metric) get a stand-in that passes their judge
  const standIns = new Map<string, Answer>()
  for (const m of spec.analysis.metrics) {
    if (simulatedMetrics.includes(m.name)) continue
    const a = probeAnswer(m, 'pass')
    if (a !== undefined) standIns.set(m.name, a)
  }

  // gates: the cooperative answer (approve; a `rollback` gate answers "carry on")
  const world: World = {
    samples: (due, at, state) =>
      sim.answer(due, at, state.traffic.weight).map((raw): Sample => {
        const standIn = standIns.get(raw.metric)
        const s = standIn !== undefined ? { ...standIn(raw.window), metric: raw.metric } : scaled(raw)
        if (inOutage(scenario.outages, s.metric, s.window)) return { kind: 'noData', metric: s.metric, window: s.window, detail: 'scenario outage' }
        return isFlaky(options.seed, scenario.flaky, s.window) ? degrade(metricsByName.get(s.metric), s) : s
      }),
  }
  // gates are approved at the next call; an indefinite pause is ended by an operator `promote` at the next
  // call (one analysis interval later when the engine sets no wake-up)
  const run = runToEnd(spec, world, {
    start: 0,
    stable: STABLE,
    revision: CANARY,
    maxCalls: maxTicks,
    maxMs,
    gateTiming: 'next',
    operatorMs: interval,
    operatorAtNextCall: true,
  })
  const ticks = run.calls.map((c): SimTick => ({
    at: c.observation.at,
    observation: c.observation,
    decision: c.decision,
    notes: [
      ...c.gates.map((g) => (g.answer === 'approve' ? `${g.type} gate "${g.gate}" approved (simulated)` : `${g.type} gate "${g.gate}" answered ${g.answer}: carry on (simulated)`)),
      ...(c.promoted ? ['operator promotes (simulated)'] : []),
    ],
  }))
  const outcome: SimOutcome = run.outcome === 'succeeded' ? 'promoted' : run.outcome === 'failed' ? 'rolledBack' : 'unfinished'
  return { ticks, outcome, simulatedMetrics }
}
