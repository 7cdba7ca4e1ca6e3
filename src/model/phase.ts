/**
 * The phases of a rollout, written once: `PHASES` is the `as const` list, `Phase` and the state codec's
 * `PhaseCodec` are derived from it, and each group of phases the code asks about ("is a run under way?",
 * "does the analysis tick?") is a named sub-list here, checked against `Phase` by the compiler.
 *
 * @module
 */
import { literalCodec } from './literals.js'

/**
 * Every phase, in a stable order (the state codec's and the `rollout_kernel_phase` gauge's order).
 * - `idle`: no revision seen yet; `initialized`: the first revision is the baseline (stable);
 * - `waiting`: a new revision waits for confirm-rollout, pre-rollout gates or canary readiness;
 * - `progressing`: the step program runs; `paused`: an operator or a pause step / inconclusive analysis holds it;
 * - `waitingPromotion`: at the end of the program, waiting for confirm-promotion;
 * - `promoting`: the primary runs the new revision and traffic shifts back to it; `finalising`: canary scaled down;
 * - `succeeded` / `failed`: terminal until a new revision (or `retry` for `failed`).
 *
 * @example
 * ```ts
 * PHASES.includes('progressing') // true
 * ```
 * @category model
 */
export const PHASES = [
  'idle',
  'initialized',
  'waiting',
  'progressing',
  'paused',
  'waitingPromotion',
  'promoting',
  'finalising',
  'succeeded',
  'failed',
] as const

/**
 * Where a rollout is: one of `PHASES` (see there for each).
 *
 * @example
 * ```ts
 * const p: Phase = 'progressing'
 * ```
 * @category model
 */
export type Phase = (typeof PHASES)[number]

/**
 * io-ts codec of a phase, derived from `PHASES`.
 *
 * @example
 * ```ts
 * PhaseCodec.is('paused') // true
 * ```
 * @category codecs
 */
export const PhaseCodec = literalCodec(PHASES)

/**
 * A run is under way: it started and has not ended (a revision change restarts it, `abort` is possible
 * in part of them, see `ABORTABLE_PHASES`).
 *
 * @example
 * ```ts
 * MID_RUN_PHASES.includes('promoting') // true
 * ```
 * @category model
 */
export const MID_RUN_PHASES = ['waiting', 'progressing', 'paused', 'waitingPromotion', 'promoting', 'finalising'] as const satisfies readonly Phase[]

/**
 * Before promotion: the phases where `abort`, `pause` and `promote` act (once promoting, the new revision
 * is already the primary).
 *
 * @example
 * ```ts
 * ABORTABLE_PHASES.includes('promoting') // false
 * ```
 * @category model
 */
export const ABORTABLE_PHASES = ['waiting', 'progressing', 'paused', 'waitingPromotion'] as const satisfies readonly Phase[]

/**
 * The analysis ticks (metrics are asked for and judged).
 *
 * @example
 * ```ts
 * ANALYSING_PHASES.includes('paused') // false
 * ```
 * @category model
 */
export const ANALYSING_PHASES = ['progressing', 'waitingPromotion'] as const satisfies readonly Phase[]

/**
 * The phases the routing of a run is in force (a driver re-applies it on resume).
 *
 * @example
 * ```ts
 * ROUTED_PHASES.includes('promoting') // true
 * ```
 * @category model
 */
export const ROUTED_PHASES = ['progressing', 'paused', 'waitingPromotion', 'promoting'] as const satisfies readonly Phase[]

/**
 * Promotion started (the new revision is or becomes the primary).
 *
 * @example
 * ```ts
 * PROMOTION_PHASES.includes('succeeded') // true
 * ```
 * @category model
 */
export const PROMOTION_PHASES = ['promoting', 'finalising', 'succeeded'] as const satisfies readonly Phase[]

/**
 * A run ended (until a new revision, or `retry` for `failed`).
 *
 * @example
 * ```ts
 * TERMINAL_PHASES.includes('failed') // true
 * ```
 * @category model
 */
export const TERMINAL_PHASES = ['succeeded', 'failed'] as const satisfies readonly Phase[]

/**
 * A set of phases from one of the lists above, for `has` tests on strings that may not be phases.
 *
 * @example
 * ```ts
 * phaseSet(TERMINAL_PHASES).has('failed') // true
 * ```
 * @category model
 */
export const phaseSet = (list: readonly Phase[]): ReadonlySet<string> => new Set<string>(list)
