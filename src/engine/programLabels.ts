/**
 * How reasons name the place in the step program: "step 3/7" for step programs, "weight 2/5" for the
 * linear and stepWeights forms (compiled programs), and a short label per step.
 *
 * @module
 */
import type { ProgramStep } from '../config/spec.js'
import type { StepContext } from './context.js'
import { formatDuration } from '../config/duration.js'
import { specIndex } from '../config/specIndex.js'

/**
 * "step 3/7" for step programs; "weight 2/5" for the linear and stepWeights forms (compiled programs).
 *
 * @example
 * ```ts
 * declare const ctx: StepContext
 * where(ctx) // e.g. 'step 3/7'
 * ```
 * @category canary
 */
export const where = (ctx: StepContext): string => {
  const { steps } = ctx.spec.strategy
  if (ctx.spec.strategy.kind !== 'canary' || ctx.spec.strategy.form === 'steps') return `step ${ctx.d.stepIndex + 1}/${steps.length}`
  const index = specIndex(ctx.spec)
  return `weight ${Math.max(1, index.weightStepUpTo[ctx.d.stepIndex] ?? index.weightSteps)}/${index.weightSteps}`
}

/**
 * "all 7 steps" / "the step" (or weight steps) for the promotion reason.
 *
 * @example
 * ```ts
 * declare const ctx: StepContext
 * programSize(ctx) // e.g. 'all 5 weight steps'
 * ```
 * @category canary
 */
export const programSize = (ctx: StepContext): string => {
  const { steps } = ctx.spec.strategy
  const plural = (n: number, what: string): string => `${n === 1 ? 'the' : `all ${n}`} ${what}${n === 1 ? '' : 's'}`
  if (ctx.spec.strategy.kind !== 'canary' || ctx.spec.strategy.form === 'steps') return plural(steps.length, 'step')
  return plural(specIndex(ctx.spec).weightSteps, 'weight step')
}

/**
 * A short label of one step (`setWeight 20`, `pause 5m`, `analysis 3 intervals`).
 *
 * @example
 * ```ts
 * stepLabel({ type: 'setWeight', weight: 20 }) // 'setWeight 20'
 * ```
 * @category canary
 */
export const stepLabel = (s: ProgramStep): string => {
  switch (s.type) {
    case 'setWeight':
      return `setWeight ${s.weight}`
    case 'pause':
      return s.durationMs === null ? 'pause (until promoted)' : `pause ${formatDuration(s.durationMs)}`
    case 'analysis':
      return s.intervals === null ? 'analysis (until decided)' : `analysis ${s.intervals} interval${s.intervals === 1 ? '' : 's'}`
    default:
      return s.type
  }
}

