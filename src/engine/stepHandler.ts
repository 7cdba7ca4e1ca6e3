/**
 * The shape of a step handler: what the program runner (engine/program.ts) calls for one step of the
 * program, and what each strategy (engine/strategies/) registers for the step types it owns.
 *
 * @module
 */
import type { ProgramStep } from '../config/spec.js'
import type { StepContext } from './context.js'

/**
 * What a step did: `advance` (the step is complete: the runner moves to the next one in this call) or
 * `wait` (the step holds, or the call is over, e.g. after a rollback).
 *
 * @example
 * ```ts
 * const r: StepResult = 'advance'
 * ```
 * @category model
 */
export type StepResult = 'advance' | 'wait'

/**
 * Handlers for the step types `T`, one per type, each typed with its own step.
 *
 * @example
 * ```ts
 * const pauseOnly: StepHandlers<'pause'> = { pause: () => 'wait' }
 * ```
 * @category model
 */
export type StepHandlers<T extends ProgramStep['type']> = {
  readonly [K in T]: (ctx: StepContext, step: Extract<ProgramStep, { readonly type: K }>) => StepResult
}
