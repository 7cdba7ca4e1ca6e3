/**
 * The rollout state: plain, versioned JSON, bounded in size whatever the rollout's length (counters and
 * sufficient statistics, never the sample history). A controller keeps it in a CRD status; any replica
 * can resume from it.
 *
 * @module
 */
import type { Traffic } from '../model/traffic.js'
import type { Final, Verdict } from '../model/verdict.js'
import type { Phase } from '../model/phase.js'

// the phase list, its type and codec live in src/model (written once)
export type { Phase } from '../model/phase.js'

/**
 * Per-metric analysis state: the last consumed window end (so replays never count twice), the verdict
 * waiting for the next tick, the judge's own bounded state and whether the metric reached a final outcome.
 *
 * @example
 * ```ts
 * const m: MetricState = { lastTo: null, pending: null, judge: null, final: null, measurements: 0 }
 * ```
 * @category model
 */
export interface MetricState {
  /** End of the last window consumed for this metric (epoch ms). */
  readonly lastTo: number | null
  /** The latest verdict since the previous analysis tick, with its reason code and message. */
  readonly pending: { readonly verdict: Verdict; readonly message: string; readonly observed?: number; readonly bound?: number } | null
  /** The judge's state (sufficient statistics), plain JSON. */
  readonly judge: unknown
  /** Final outcome of this metric for the run, once its judge reached one. */
  readonly final: Final | null
  /** Number of samples judged with usable data in this run (a `noData` or `error` verdict is not counted). */
  readonly measurements: number
}

/**
 * The empty state of a metric at the start of a run.
 *
 * @example
 * ```ts
 * emptyMetricState.lastTo // null
 * ```
 * @category constructors
 */
export const emptyMetricState: MetricState = { lastTo: null, pending: null, judge: null, final: null, measurements: 0 }

/**
 * The last failure, kept in the state so a failed rollout still says why (Flagger loses it: #1533, #1810).
 *
 * @example
 * ```ts
 * const f: FailureRecord = { code: 'metricFailed', message: 'sr 97 < min 99', metric: 'sr', observed: 97, bound: 99, at: 0 }
 * ```
 * @category model
 */
export interface FailureRecord {
  readonly code: string
  readonly message: string
  readonly metric?: string
  readonly observed?: number
  readonly bound?: number
  readonly at: number
}

/**
 * The complete rollout state (schema version 1).
 *
 * @example
 * ```ts
 * import { initialState, decodeSpec } from 'rollout-kernel'
 * ```
 * @category model
 */
export interface RolloutState {
  readonly v: 1
  readonly phase: Phase
  /** Time of the last accepted observation (epoch ms). */
  readonly at: number
  /** The revision being rolled out (or the last one rolled out, in terminal phases). */
  readonly revision: string | null
  /** The last promoted (stable) revision. */
  readonly stable: string | null
  /** When the current run started. */
  readonly startedAt: number | null
  /** Index of the current step in the strategy's program. */
  readonly stepIndex: number
  /** When the current step started. */
  readonly stepStartedAt: number | null
  /** Passing analysis ticks in the current step. */
  readonly stepPasses: number
  /** The routing currently wanted. */
  readonly traffic: Traffic
  /** Failed checks in this run (cumulative, Flagger's rule). */
  readonly failedChecks: number
  /** Failed checks in a row. */
  readonly consecutiveFailures: number
  /**
   * Ticks without data in the current streak of analysis ticks without a decision (ticks without data and
   * inconclusive ones, in a row; a pass or a failed check ends it). `noDataLimit` bounds the whole streak,
   * `noDataTicks + inconclusiveTicks`.
   */
  readonly noDataTicks: number
  /**
   * Inconclusive ticks in that streak. A state written before this count existed has none: `decodeState`
   * and `step` read it as 0 (its streak is all counted in `noDataTicks`).
   */
  readonly inconclusiveTicks: number
  /** Analysis ticks evaluated in this run. */
  readonly ticks: number
  /** When the next analysis tick is due (epoch ms), or null when no analysis runs. */
  readonly nextTickAt: number | null
  /** Since when the engine waits for something with a deadline (canary readiness). */
  readonly waitingSince: number | null
  /** Last known canary readiness. */
  readonly canaryReady: boolean | null
  /** Gates approved in the current stage (cleared when the stage moves on). */
  readonly approved: readonly string[]
  /** Paused by an operator, a pause step or an inconclusive analysis. */
  readonly paused: null | { readonly by: 'operator' | 'step' | 'inconclusive'; readonly since: number; readonly until: number | null }
  /** The phase to return to on `resume`. */
  readonly resumePhase: Phase | null
  /** Per-metric analysis state, keyed by metric name. */
  readonly metrics: Readonly<Record<string, MetricState>>
  /** Why the rollout last failed (kept after rollback). */
  readonly lastFailure: FailureRecord | null
  /**
   * Blue/green only, absent otherwise: after the switch, when the old version may be scaled down
   * (`scaleDownDelay`); in `failed`, when the rejected version is scaled down (`abortScaleDownDelay`).
   */
  readonly scaleDownAt?: number
}

/**
 * The keys of a state, written once: in the order `initialState`, `decodeState` and `step` write them
 * (`scaleDownAt`, optional, comes last when present and is not listed). The compiler checks the list
 * against `RolloutState` and the state codec's fields (engine/stateCodec.ts).
 *
 * @example
 * ```ts
 * STATE_KEYS[0] // 'v'
 * ```
 * @category model
 */
export const STATE_KEYS = [
  'v', 'phase', 'at', 'revision', 'stable', 'startedAt', 'stepIndex', 'stepStartedAt', 'stepPasses', 'traffic', 'failedChecks',
  'consecutiveFailures', 'noDataTicks', 'inconclusiveTicks', 'ticks', 'nextTickAt', 'waitingSince', 'canaryReady', 'approved', 'paused', 'resumePhase',
  'metrics', 'lastFailure',
] as const satisfies readonly (keyof RolloutState)[]

/** Every required key of `RolloutState` is in `STATE_KEYS` (a compile error names the missing one). */
type MissingStateKeys = Exclude<keyof RolloutState, (typeof STATE_KEYS)[number] | 'scaleDownAt'>
const everyStateKeyListed: [MissingStateKeys] extends [never] ? true : MissingStateKeys = true
void everyStateKeyListed

