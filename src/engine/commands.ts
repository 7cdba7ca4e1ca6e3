/**
 * Operator commands: promote, promoteFull, abort, retry, pause, resume. A command that does not apply in
 * the current phase is ignored with a reason, never an error.
 *
 * @module
 */
import type { Command } from '../model/observation.js'
import { ABORTABLE_PHASES, phaseSet } from '../model/phase.js'
import type { StepContext } from './context.js'
import { emit, endCall } from './context.js'
import { promote, rollback, startRun } from './transitions.js'
import { leaveIdlePause } from './program.js'

const ABORTABLE = phaseSet(ABORTABLE_PHASES)

const ignored = (ctx: StepContext, command: Command, why: string): void => {
  ctx.reasons.push({ code: 'commandIgnored', message: `${command} ignored: ${why}` })
}

/**
 * Applies `ctx.obs.command`, if any, before the phase logic runs.
 *
 * @example
 * ```ts
 * declare const ctx: StepContext
 * applyCommand(ctx)
 * ```
 * @category commands
 */
export const applyCommand = (ctx: StepContext): void => {
  const command = ctx.obs.command
  if (command === undefined) return
  const { d, at, spec } = ctx
  switch (command) {
    case 'abort':
      if (!ABORTABLE.has(d.phase)) return ignored(ctx, command, `nothing to abort in phase ${d.phase}`)
      emit(ctx, 'aborted', 'warn', `${d.revision} aborted by an operator`)
      return rollback(ctx, { code: 'aborted', message: `aborted by an operator in phase ${d.phase}` })
    case 'retry':
      if (d.phase !== 'failed' || d.revision === null) return ignored(ctx, command, `only a failed rollout can be retried (phase ${d.phase})`)
      startRun(ctx, d.revision)
      ctx.reasons.push({ code: 'restarted', message: `retrying ${d.revision}` })
      emit(ctx, 'restarted', 'info', `retrying ${d.revision}`)
      return
    case 'pause':
      if (!ABORTABLE.has(d.phase) || d.phase === 'paused') return ignored(ctx, command, `cannot pause in phase ${d.phase}`)
      d.resumePhase = d.phase
      d.phase = 'paused'
      d.paused = { by: 'operator', since: at, until: null }
      ctx.reasons.push({ code: 'paused', message: 'paused by an operator: nothing is measured or counted until resume' })
      emit(ctx, 'paused', 'info', 'paused by an operator')
      endCall(ctx)
      return
    case 'resume':
      if (d.phase !== 'paused' || d.paused?.by === 'step') return ignored(ctx, command, 'not paused by an operator or an inconclusive analysis')
      return resume(ctx, 'resumed')
    case 'promote':
      if (d.phase === 'paused' && d.paused?.by === 'inconclusive') {
        resume(ctx, 'promoted past an inconclusive analysis')
        skipStep(ctx)
        return
      }
      // past the last step (a promote already skipped it, and no tick has passed since): promote
      if (d.phase === 'progressing' && d.stepIndex >= spec.strategy.steps.length) return promote(ctx, 'promoted by an operator after the last step')
      if (d.phase === 'progressing') return skipStep(ctx)
      if (d.phase === 'waitingPromotion') return promote(ctx, 'promoted by an operator')
      return ignored(ctx, command, `nothing to promote in phase ${d.phase}`)
    case 'promoteFull':
      if (!ABORTABLE.has(d.phase)) return ignored(ctx, command, `nothing to promote in phase ${d.phase}`)
      return promote(ctx, 'full promotion requested by an operator, skipping the remaining steps')
  }
}

const resume = (ctx: StepContext, why: string): void => {
  const { d, at, spec } = ctx
  const back = d.resumePhase ?? 'progressing'
  d.phase = back
  d.resumePhase = null
  d.paused = null
  if (back === 'progressing' || back === 'waitingPromotion') d.nextTickAt = at + spec.analysis.intervalMs
  if (back === 'waiting') d.waitingSince = at
  const cleared = Object.fromEntries(Object.entries(d.metrics).map(([k, m]) => [k, m.final === 'pause' ? { ...m, final: null, pending: null } : m]))
  d.metrics = cleared
  ctx.reasons.push({ code: 'resumed', message: why })
  emit(ctx, 'resumed', 'info', why)
}

const skipStep = (ctx: StepContext): void => {
  const { d, spec, at } = ctx
  const step = spec.strategy.steps[d.stepIndex]
  if (step === undefined) {
    ctx.reasons.push({ code: 'resumed', message: 'promote: every step is already completed; the promotion follows the next passing analysis tick' })
    return
  }
  ctx.reasons.push({ code: 'resumed', message: `step ${d.stepIndex + 1} (${step.type}) completed by promote` })
  leaveIdlePause(ctx)
  d.stepIndex += 1
  d.stepStartedAt = at
  d.stepPasses = 0
  if (d.paused?.by === 'step') {
    d.paused = null
    emit(ctx, 'resumed', 'info', 'pause step ended by promote')
  }
}
