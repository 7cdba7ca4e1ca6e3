/**
 * What the caller tells the engine at each step: time, revision, readiness, metric samples,
 * gate answers and operator commands.
 *
 * @module
 */

/**
 * A half-open time window `[from, to)` in epoch milliseconds, `from < to`.
 *
 * @example
 * ```ts
 * const w: Window = { from: 1_700_000_000_000, to: 1_700_000_060_000 }
 * ```
 * @category model
 */
export interface Window {
  readonly from: number
  readonly to: number
}

/**
 * Event counts of one arm in one window: integers with `0 <= bad <= total`.
 *
 * @example
 * ```ts
 * const c: Counts = { total: 600, bad: 6 }
 * ```
 * @category model
 */
export interface Counts {
  readonly total: number
  readonly bad: number
}

/**
 * What a `value` sample carries: a number or a vector of numbers (Prometheus), and for condition metrics
 * also a string, a boolean, null or JSON (objects and arrays of these), as Argo's web provider returns.
 *
 * @example
 * ```ts
 * const v: SampleValue = { ok: true, data: { count: 3 } }
 * ```
 * @category model
 */
export type SampleValue = number | string | boolean | null | readonly SampleValue[] | { readonly [key: string]: SampleValue }

/**
 * A single value (or a vector, as Prometheus returns) for threshold and condition metrics; condition
 * metrics also take strings and JSON ({@link SampleValue}).
 *
 * @example
 * ```ts
 * const s: ValueSample = { kind: 'value', metric: 'request-success-rate', window: { from: 0, to: 60_000 }, value: 99.5 }
 * ```
 * @category model
 */
export interface ValueSample {
  readonly kind: 'value'
  readonly metric: string
  readonly window: Window
  readonly value: SampleValue
}

/**
 * Per-arm event counts for the sequential test (canary against primary in the same window).
 *
 * @example
 * ```ts
 * const s: CountsSample = {
 *   kind: 'counts', metric: 'errors', window: { from: 0, to: 10_000 },
 *   canary: { total: 100, bad: 1 }, primary: { total: 100, bad: 2 },
 * }
 * ```
 * @category model
 */
export interface CountsSample {
  readonly kind: 'counts'
  readonly metric: string
  readonly window: Window
  readonly canary: Counts
  readonly primary: Counts
}

/**
 * Raw per-arm points for the Mann-Whitney (Kayenta-style) judge.
 *
 * @example
 * ```ts
 * const s: PointsSample = { kind: 'points', metric: 'latency', window: { from: 0, to: 600_000 }, canary: [101, 99], primary: [100, 98] }
 * ```
 * @category model
 */
export interface PointsSample {
  readonly kind: 'points'
  readonly metric: string
  readonly window: Window
  readonly canary: readonly number[]
  readonly primary: readonly number[]
}

/**
 * The metrics source had nothing for this window (empty result, NaN, no traffic). Never a pass.
 *
 * @example
 * ```ts
 * const s: NoDataSample = { kind: 'noData', metric: 'errors', window: { from: 0, to: 60_000 }, detail: 'empty vector' }
 * ```
 * @category model
 */
export interface NoDataSample {
  readonly kind: 'noData'
  readonly metric: string
  readonly window: Window
  readonly detail?: string
}

/**
 * A measurement the caller gathered, tagged by `kind`. Every sample names its metric and window so that
 * a replayed sample is never counted twice.
 *
 * @example
 * ```ts
 * const samples: Sample[] = [{ kind: 'noData', metric: 'errors', window: { from: 0, to: 60_000 } }]
 * ```
 * @category model
 */
export type Sample = ValueSample | CountsSample | PointsSample | NoDataSample

/**
 * Every gate answer, in a stable order.
 *
 * @example
 * ```ts
 * GATE_ANSWERS.includes('deny') // true
 * ```
 * @category model
 */
export const GATE_ANSWERS = ['approve', 'deny', 'rollback'] as const

/**
 * An answer to a gate the engine asked for: `approve` lets the rollout go on, `deny` holds it,
 * `rollback` rolls back at once.
 *
 * @example
 * ```ts
 * const g: GateAnswer = 'approve'
 * ```
 * @category model
 */
export type GateAnswer = (typeof GATE_ANSWERS)[number]

/**
 * Every operator command, in a stable order (see `Command`).
 *
 * @example
 * ```ts
 * COMMANDS.includes('abort') // true
 * ```
 * @category model
 */
export const COMMANDS = ['promote', 'promoteFull', 'abort', 'retry', 'pause', 'resume'] as const

/**
 * Operator commands, as `kubectl argo rollouts` offers them.
 * - `promote`: end the current pause / step (or move past an inconclusive analysis);
 * - `promoteFull`: skip every remaining step and analysis, go to promotion;
 * - `abort`: roll back now; `retry`: restart a failed rollout of the same revision;
 * - `pause` / `resume`: hold without counting anything.
 *
 * @example
 * ```ts
 * const c: Command = 'promote'
 * ```
 * @category model
 */
export type Command = (typeof COMMANDS)[number]

/**
 * Everything the caller observed since the last step.
 *
 * @example
 * ```ts
 * const obs: Observation = { at: Date.parse('2026-01-01T00:01:00Z'), revision: 'v2', ready: { canary: true } }
 * ```
 * @category model
 */
export interface Observation {
  /** Epoch milliseconds; must not go backwards for one rollout. */
  readonly at: number
  /** The desired canary revision; a new value starts or restarts a rollout. */
  readonly revision?: string
  /**
   * Readiness of the workloads; an omitted field keeps its last known value. `experiment`: every
   * ReplicaSet of the current experiment step is ready (read only while the experiment waits for it).
   */
  readonly ready?: { readonly canary?: boolean; readonly primary?: boolean; readonly experiment?: boolean }
  /** Measurements the caller gathered (see `Decision.needs`). */
  readonly samples?: readonly Sample[]
  /** Answers to gates the engine asked for, keyed by gate name. */
  readonly gates?: Readonly<Record<string, GateAnswer>>
  /** An operator command. */
  readonly command?: Command
}
