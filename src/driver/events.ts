/**
 * What the shell reports while it drives: every decision, adapter failures (turned into observations or
 * retried, never thrown), state that could not be resumed, commands taken.
 *
 * @module
 */
import type { SpecError } from '../model/errors.js'
import type { Decision } from '../engine/decision.js'
import type { Command, Observation } from '../model/observation.js'
import type { Phase } from '../engine/state.js'
import type { Effect } from './effects.js'

/**
 * A report from `drive`, tagged by `type`. Decisions carry the engine's own events (`decision.events`)
 * for notifications; the other types are about the shell and its adapters.
 *
 * @example
 * ```ts
 * const log = (e: DriveEvent) => {
 *   if (e.type === 'decision') for (const ev of e.decision.events) console.log(ev.severity, ev.message)
 *   else if (e.type === 'effectFailed') console.warn(`${e.effect.kind} failed (attempt ${e.attempt}): ${e.error}`)
 * }
 * ```
 * @category model
 */
export type DriveEvent =
  | { readonly type: 'started'; readonly fresh: boolean; readonly phase: Phase }
  | { readonly type: 'stateDiscarded'; readonly errors: readonly SpecError[] }
  | { readonly type: 'loadFailed'; readonly error: string }
  | { readonly type: 'command'; readonly command: Command }
  /** The observation carrying the command was refused as a whole: the command is queued again. */
  | { readonly type: 'commandDeferred'; readonly command: Command; readonly reason: string }
  | { readonly type: 'decision'; readonly observation: Observation; readonly decision: Decision }
  | { readonly type: 'effectApplied'; readonly effect: Effect }
  | { readonly type: 'effectFailed'; readonly effect: Effect; readonly error: string; readonly attempt: number }
  | { readonly type: 'metricsFailed'; readonly error: string; readonly metrics: readonly string[] }
  | { readonly type: 'gateFailed'; readonly gate: string; readonly error: string }
  | { readonly type: 'readinessFailed'; readonly error: string }
  | { readonly type: 'revisionFailed'; readonly error: string }
  | { readonly type: 'persistFailed'; readonly error: string }
  | { readonly type: 'commandSourceFailed'; readonly error: string }
  | { readonly type: 'stepFailed'; readonly error: string }
