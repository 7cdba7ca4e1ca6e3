/**
 * Gate handling inside one step: read the answers the caller gave, remember approvals, report denials.
 *
 * @module
 */
import type { GateType } from '../config/spec.js'
import type { StepContext } from './context.js'
import { emit } from './context.js'

/**
 * Where a group of gates stands: all approved, waiting for answers, denied, or asking for a rollback.
 *
 * @example
 * ```ts
 * const g: GateStatus = 'approved'
 * ```
 * @category model
 */
export type GateStatus = 'approved' | 'pending' | 'denied' | 'rollback'

/**
 * Checks every gate of `type`: approvals are remembered in the state (so a gate is asked once per stage),
 * a `rollback` answer wins, then a denial, then a missing answer.
 *
 * @example
 * ```ts
 * declare const ctx: StepContext
 * if (checkGates(ctx, 'confirm-promotion') === 'approved') console.log('promote')
 * ```
 * @category gates
 */
export const checkGates = (ctx: StepContext, type: GateType): GateStatus => {
  const { d } = ctx
  let status: GateStatus = 'approved'
  for (const g of ctx.spec.gates) {
    if (g.type !== type || d.approved.includes(g.name)) continue
    const answer = ctx.obs.gates?.[g.name]
    if (answer === 'approve') {
      d.approved = [...d.approved, g.name]
    } else if (answer === 'rollback') {
      ctx.reasons.push({ code: 'gateRollback', message: `gate "${g.name}" (${type}) asked for a rollback` })
      return 'rollback'
    } else if (answer === 'deny') {
      ctx.reasons.push({ code: 'gateDenied', message: `gate "${g.name}" (${type}) denied` })
      emit(ctx, 'gateDenied', 'warn', `gate "${g.name}" (${type}) denied`)
      status = 'denied'
    } else if (status === 'approved') {
      status = 'pending'
    }
  }
  if (status === 'pending') {
    const waiting = ctx.spec.gates.filter((g) => g.type === type && !d.approved.includes(g.name)).map((g) => g.name)
    ctx.reasons.push({ code: 'awaitingGate', message: `waiting for ${type} gate${waiting.length > 1 ? 's' : ''} ${waiting.map((n) => `"${n}"`).join(', ')}` })
  }
  return status
}

/**
 * Forgets approvals of the given gate types (the stage they guarded is over).
 *
 * @example
 * ```ts
 * declare const ctx: StepContext
 * clearApprovals(ctx, ['confirm-traffic-increase'])
 * ```
 * @category gates
 */
export const clearApprovals = (ctx: StepContext, types: readonly GateType[]): void => {
  if (ctx.d.approved.length === 0) return
  const names = new Set(ctx.spec.gates.filter((g) => types.includes(g.type)).map((g) => g.name))
  if (ctx.d.approved.some((n) => names.has(n))) ctx.d.approved = ctx.d.approved.filter((n) => !names.has(n))
}

/**
 * Checks the `rollback` gates: an `approve` or `rollback` answer from any of them rolls back (Flagger's
 * rollback webhook: a 2xx means "roll back now"); `deny` means carry on.
 *
 * @example
 * ```ts
 * declare const ctx: StepContext
 * if (rollbackRequested(ctx)) console.log('roll back')
 * ```
 * @category gates
 */
export const rollbackRequested = (ctx: StepContext): boolean => {
  for (const g of ctx.spec.gates) {
    if (g.type !== 'rollback') continue
    const answer = ctx.obs.gates?.[g.name]
    if (answer === 'approve' || answer === 'rollback') {
      ctx.reasons.push({ code: 'gateRollback', message: `rollback gate "${g.name}" asked for a rollback` })
      return true
    }
  }
  return false
}
