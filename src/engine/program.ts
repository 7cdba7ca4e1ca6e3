/**
 * The step-program runner: every strategy compiles to a program of steps (config/normalize*.ts) and this
 * runner executes it from the current step as far as it can go in one call. Each step type has one handler,
 * registered by the strategy that owns it (engine/strategies/); past the last step the promotion begins
 * (engine/promotion.ts).
 *
 * @module
 */
import type { ProgramStep } from '../config/spec.js'
import type { StepContext } from './context.js'
import type { StepHandlers, StepResult } from './stepHandler.js'
import { idlePause } from './metricsDue.js'
import { canarySteps } from './strategies/canary.js'
import { blueGreenSteps } from './strategies/blueGreen.js'
import { enterPromotion } from './promotion.js'
import { settleExperiment } from './experiment.js'

/** One handler per step type (the compiler checks that every type of `ProgramStep` has one). */
const STEP_HANDLERS: StepHandlers<ProgramStep['type']> = { ...canarySteps, ...blueGreenSteps }

const runStep = (ctx: StepContext, step: ProgramStep): StepResult =>
  (STEP_HANDLERS[step.type] as (ctx: StepContext, step: ProgramStep) => StepResult)(ctx, step)

/**
 * Leaving a pause step that had nothing to measure: its skipped analysis ticks are not caught up, the next
 * one is one interval from now.
 *
 * @example
 * ```ts
 * declare const ctx: StepContext
 * leaveIdlePause(ctx) // before moving past the current step
 * ```
 * @internal
 */
export const leaveIdlePause = (ctx: StepContext): void => {
  const { d, at, spec } = ctx
  if (d.nextTickAt !== null && d.nextTickAt < at && idlePause(spec, d)) d.nextTickAt = at + spec.analysis.intervalMs
}

const advance = (ctx: StepContext): void => {
  const { d } = ctx
  leaveIdlePause(ctx)
  d.stepIndex += 1
  d.stepStartedAt = ctx.at
  d.stepPasses = 0
  if (d.paused?.by === 'step') d.paused = null
}

/**
 * Runs the step program from the current step as far as it can go in this call: instant steps complete at
 * once, a pause waits for its end (or a `promote`), an analysis step waits for passing ticks, a weight
 * increase waits for confirm-traffic-increase gates. Past the last step: waiting for promotion.
 *
 * @example
 * ```ts
 * declare const ctx: StepContext
 * runSteps(ctx)
 * ```
 * @category canary
 */
export const runSteps = (ctx: StepContext): void => {
  const { d } = ctx
  const steps = ctx.spec.strategy.steps
  for (let guard = 0; guard <= steps.length + 1 && !ctx.done; guard++) {
    const step = steps[d.stepIndex]
    settleExperiment(ctx)
    if (step === undefined) return enterPromotion(ctx)
    if (runStep(ctx, step) === 'wait') return
    advance(ctx)
  }
}
