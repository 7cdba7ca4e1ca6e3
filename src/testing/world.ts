/**
 * World models for the cooperative caller (`runToEnd`, src/testing/cooperative.ts): what the outside world
 * answers when the engine asks. A world gives the samples of the metric needs whose window has ended, the
 * answer to each gate, and the readiness of both workloads.
 *
 * `metricWorld` builds the three textbook worlds from each metric's own judge (the probe answers of
 * src/testing/probe.ts): `healthy` (every sample passes its judge), `failing` (every sample fails it) and
 * `noData` (every query returns no data).
 *
 * @module
 */
import type { RolloutSpec } from '../config/spec.js'
import type { Need } from '../engine/decision.js'
import type { GateAnswer, Sample } from '../model/observation.js'
import type { RolloutState } from '../engine/state.js'
import { probeAnswer, type Answer } from './probe.js'
import { guarded, rethrow } from '../model/guard.js'

/**
 * A metric need of a decision.
 *
 * @example
 * ```ts
 * const n: MetricNeed = { kind: 'metric', metric: 'sr', window: { from: 0, to: 60_000 }, sample: 'value' }
 * ```
 * @category model
 */
export type MetricNeed = Extract<Need, { kind: 'metric' }>

/**
 * A gate need of a decision.
 *
 * @example
 * ```ts
 * const n: GateNeed = { kind: 'gate', gate: 'ship-it', type: 'confirm-promotion' }
 * ```
 * @category model
 */
export type GateNeed = Extract<Need, { kind: 'gate' }>

/**
 * Readiness of both workloads as a caller reports it.
 *
 * @example
 * ```ts
 * const r: Readiness = { canary: true, primary: true }
 * ```
 * @category model
 */
export interface Readiness {
  readonly canary: boolean
  readonly primary: boolean
  /** The current experiment's ReplicaSets (default: ready). Reported only while an experiment is wanted. */
  readonly experiment?: boolean
}

/**
 * What the world answers.
 * - `samples`: the samples for the metric needs `due` at `at` (each window has ended by `at`); return fewer
 *   (or none) for a source that has no answer;
 * - `gate`: the answer to one gate need (`null`: no answer yet). Default `cooperativeGate`;
 * - `ready`: the readiness reported with the call at `at` (default: both ready).
 *
 * @example
 * ```ts
 * const w: World = { samples: (due) => due.map((n) => ({ kind: 'noData', metric: n.metric, window: n.window })) }
 * ```
 * @category model
 */
export interface World {
  readonly samples: (due: readonly MetricNeed[], at: number, state: RolloutState) => readonly Sample[]
  readonly gate?: (need: GateNeed, at: number, state: RolloutState) => GateAnswer | null
  readonly ready?: (at: number, state: RolloutState) => Readiness
}

/**
 * The cooperative answer to a gate: `approve`, except for `rollback` gates (a rollback hook that approves
 * asks for a rollback), which are answered `deny` ("carry on").
 *
 * @example
 * ```ts
 * cooperativeGate({ kind: 'gate', gate: 'rb', type: 'rollback' }) // 'deny'
 * cooperativeGate({ kind: 'gate', gate: 'ok', type: 'confirm-promotion' }) // 'approve'
 * ```
 * @category world
 */
export const cooperativeGate = guarded('cooperativeGate', (need: GateNeed): GateAnswer => (need.type === 'rollback' ? 'deny' : 'approve'), (m) => rethrow(m))

/**
 * Approves every gate, `rollback` gates included (what `plan` and `simulate` have always done).
 *
 * @example
 * ```ts
 * approveEveryGate({ kind: 'gate', gate: 'rb', type: 'rollback' }) // 'approve'
 * ```
 * @category world
 */
export const approveEveryGate = guarded('approveEveryGate', (_need: GateNeed): GateAnswer => 'approve', (m) => rethrow(m))

/**
 * The health of the metrics in a `metricWorld`.
 *
 * @example
 * ```ts
 * const h: Health = 'failing'
 * ```
 * @category model
 */
export type Health = 'healthy' | 'failing' | 'noData'

/**
 * Answers built from each metric's probe answer: a sample its judge passes (`healthy`) or fails (`failing`),
 * or a `noData` sample for every need (`noData`). A metric no probe value can pass (or fail) gets `noData`
 * samples (and is listed in `unanswerable`).
 *
 * @example
 * ```ts
 * declare const spec: RolloutSpec
 * metricAnswers(spec, 'healthy').answers.size
 * ```
 * @category world
 */
export const metricAnswers = guarded('metricAnswers', (spec: RolloutSpec, health: Health): { readonly answers: ReadonlyMap<string, Answer>; readonly unanswerable: readonly string[] } => {
  const answers = new Map<string, Answer>()
  const unanswerable: string[] = []
  for (const m of spec.analysis.metrics) {
    if (health === 'noData') {
      answers.set(m.name, (window) => ({ kind: 'noData', metric: m.name, window, detail: 'no data (world model)' }))
      continue
    }
    const a = probeAnswer(m, health === 'healthy' ? 'pass' : 'fail')
    if (a !== undefined) answers.set(m.name, a)
    else {
      // no probe value gives the verdict: the source answers that it has nothing (a cooperative caller
      // always answers a due need)
      unanswerable.push(m.name)
      answers.set(m.name, (window) => ({ kind: 'noData', metric: m.name, window, detail: `no ${health} value for this judge (world model)` }))
    }
  }
  return { answers, unanswerable }
}, (m) => rethrow(m))

/**
 * A world answering each metric need from `answers` (metric name -> answer; metrics without one get no
 * sample).
 *
 * @example
 * ```ts
 * const w = answersWorld(new Map([['sr', (window) => ({ kind: 'value', metric: 'sr', window, value: 99.9 })]]))
 * ```
 * @category world
 */
export const answersWorld = guarded('answersWorld', (answers: ReadonlyMap<string, Answer>, extra: Omit<World, 'samples'> = {}): World => ({
  ...extra,
  samples: (due) =>
    due.flatMap((n): Sample[] => {
      const a = answers.get(n.metric)
      return a === undefined ? [] : [{ ...a(n.window), metric: n.metric }]
    }),
}), (m) => rethrow(m))

/**
 * The textbook world: every metric healthy, failing, or without data; gates answered by
 * `cooperativeGate`; both workloads ready (override any of it with `extra`).
 *
 * @example
 * ```ts
 * declare const spec: RolloutSpec
 * runToEnd(spec, metricWorld(spec, 'failing')).outcome // 'failed'
 * ```
 * @category world
 */
export const metricWorld = guarded('metricWorld', (spec: RolloutSpec, health: Health, extra: Omit<World, 'samples'> = {}): World =>
  answersWorld(metricAnswers(spec, health).answers, extra), (m) => rethrow(m))
