/**
 * The phase table: what `step` does in each phase, one handler per `Phase` (the compiler checks that
 * every phase has one). The handlers of the running phases live in their own files: engine/waiting.ts,
 * engine/analysing.ts, engine/promotion.ts; the step program itself is engine/program.ts.
 *
 * @module
 */
import type { Phase } from '../model/phase.js'
import type { StepContext } from './context.js'
import { runWaiting } from './waiting.js'
import { runAnalysing } from './analysing.js'
import { runFinalising, runPromoting } from './promotion.js'
import { runDeferredScaleDown } from './strategies/blueGreenAbort.js'

/** post-rollout gates are informational: an answer is recorded (asked once), whatever it says. */
const recordPostRollout = (ctx: StepContext): void => {
  const answers = ctx.obs.gates
  if (answers === undefined) return
  for (const g of ctx.spec.gates) {
    const answer = answers[g.name]
    if (g.type !== 'post-rollout' || answer === undefined || ctx.d.approved.includes(g.name)) continue
    ctx.d.approved = [...ctx.d.approved, g.name]
    ctx.reasons.push({ code: 'gateAnswered', message: `post-rollout gate "${g.name}" answered ${answer} (recorded; it changes nothing)` })
  }
}

/**
 * One handler per phase, run after the revision and the command of the observation (unless they ended
 * the call).
 *
 * @example
 * ```ts
 * declare const ctx: StepContext
 * PHASE_HANDLERS[ctx.d.phase](ctx)
 * ```
 * @category engine
 */
export const PHASE_HANDLERS: Readonly<Record<Phase, (ctx: StepContext) => void>> = {
  idle: (ctx) => {
    ctx.reasons.push({ code: 'noRevision', message: 'no revision observed yet' })
  },
  initialized: () => {},
  waiting: runWaiting,
  progressing: runAnalysing,
  waitingPromotion: runAnalysing,
  promoting: runPromoting,
  finalising: runFinalising,
  paused: (ctx) => {
    ctx.reasons.push({
      code: 'paused',
      message: ctx.d.paused?.by === 'inconclusive' ? 'paused: analysis inconclusive; promote to go on, abort to roll back' : 'paused by an operator; resume to go on',
    })
  },
  failed: (ctx) => {
    recordPostRollout(ctx)
    runDeferredScaleDown(ctx)
  },
  succeeded: recordPostRollout,
}

/**
 * Runs the handler of the context's current phase (a state whose phase is not a `Phase` does nothing:
 * `step` refuses such a state before).
 *
 * @example
 * ```ts
 * declare const ctx: StepContext
 * runCurrentPhase(ctx)
 * ```
 * @category engine
 */
export const runCurrentPhase = (ctx: StepContext): void => {
  const handler = Object.prototype.hasOwnProperty.call(PHASE_HANDLERS, ctx.d.phase) ? PHASE_HANDLERS[ctx.d.phase] : undefined
  if (handler !== undefined) handler(ctx)
}
