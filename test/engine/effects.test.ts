import { describe, expect, it } from 'vitest'
import * as E from 'fp-ts/lib/Either.js'
import { decodeSpec, initialState, step } from '../../src/index.js'
import { addEffect, createContext, decide, decisionEffect, endCall } from '../../src/engine/context.js'

const spec = (input: unknown) => {
  const r = decodeSpec(input)
  if (E.isLeft(r)) throw new Error(JSON.stringify(r.left))
  return r.right
}

describe('effects of one call are appended, never overwritten', () => {
  const s = spec({ strategy: { canary: { stepWeight: 10, maxWeight: 50 } }, analysis: { interval: '1m' } })

  it('keeps every effect in order; the decision carries the last', () => {
    const ctx = createContext(s, initialState(s, 0), { at: 0 })
    expect(decisionEffect(ctx)).toBeNull()
    addEffect(ctx, { type: 'switch', to: 'canary', revision: 'v2' })
    expect(ctx.done).toBe(false)
    decide(ctx, { type: 'rollback', revision: 'v2' })
    expect(ctx.effects).toEqual([
      { type: 'switch', to: 'canary', revision: 'v2' },
      { type: 'rollback', revision: 'v2' },
    ])
    expect(decisionEffect(ctx)).toEqual({ type: 'rollback', revision: 'v2' })
    expect(ctx.done).toBe(true)
    expect(ctx.trafficChanged).toBe(false)
  })

  it('ends a call without an effect (operator pause)', () => {
    const ctx = createContext(s, initialState(s, 0), { at: 0 })
    endCall(ctx)
    expect(ctx.done).toBe(true)
    expect(ctx.effects).toEqual([])
  })

  it('an abort in the observation that restarts the run rolls back (the rollback follows the restart)', () => {
    let state = step(s, initialState(s, 0), { at: 0, revision: 'v1' }).state
    state = step(s, state, { at: 1000, revision: 'v2', ready: { canary: true } }).state
    const d = step(s, state, { at: 2000, revision: 'v3', command: 'abort' })
    expect(d.action).toEqual({ type: 'rollback', revision: 'v3' })
    expect(d.reasons.map((r) => r.code)).toContain('restarted')
    expect(d.reasons.map((r) => r.code)).toContain('aborted')
  })

  it('a pause in the observation that restarts the run keeps the restart weight 0', () => {
    let state = step(s, initialState(s, 0), { at: 0, revision: 'v1' }).state
    state = step(s, state, { at: 1000, revision: 'v2', ready: { canary: true } }).state
    const d = step(s, state, { at: 2000, revision: 'v3', command: 'pause' })
    expect(d.action).toEqual({ type: 'setWeight', weight: 0, routes: [] })
    expect(d.state.phase).toBe('paused')
  })
})
