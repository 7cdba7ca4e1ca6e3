import { describe, expect, it } from 'vitest'
import * as E from 'fp-ts/lib/Either.js'
import { decodeSpec, initialState, step, type RolloutState } from '../../src/index.js'

const spec = (() => {
  const r = decodeSpec({ strategy: { canary: { stepWeight: 10 } }, analysis: { metrics: [{ name: 'sr', thresholdRange: { min: 99 } }] } })
  if (E.isLeft(r)) throw new Error(JSON.stringify(r.left))
  return r.right
})()

describe('step on a state that is not one', () => {
  it.each([{}, null, 42, { phase: 'progressing' }, { v: 2, at: 0, phase: 'idle', traffic: {}, metrics: {}, approved: [] }])(
    'holds with invalidState and returns the input untouched: %j',
    (bad) => {
      const d = step(spec, bad as unknown as RolloutState, { at: 1, revision: 'v2', command: 'abort' })
      expect(d.action).toEqual({ type: 'hold' })
      expect(d.reasons.map((r) => r.code)).toEqual(['invalidState'])
      expect(d.state).toBe(bad)
    },
  )

  it('refuses, at once, a state whose approved list is longer than any spec has gates (2^32-1 holes took minutes to walk)', () => {
    const approved: string[] = []
    approved.length = 2 ** 32 - 1
    const bad = { ...initialState(spec, 0, { stable: 'v1' }), approved }
    const d = step(spec, bad, { at: 1, revision: 'v2' })
    expect(d.reasons.map((r) => r.code)).toEqual(['invalidState'])
    expect(d.state).toBe(bad)
  })

  it('accepts the state initialState gives', () => {
    const d = step(spec, initialState(spec, 0), { at: 1, revision: 'v1' })
    expect(d.action).toEqual({ type: 'promote', revision: 'v1' })
  })
})

describe('a failed rollout stores its reason once (issue 12: the state budget)', () => {
  it('lastFailure keeps the failing metric verdict; the pending verdict that repeated it is dropped', () => {
    const r = decodeSpec({ strategy: { canary: { stepWeight: 10, maxWeight: 50 } }, analysis: { interval: '1m', metrics: [{ name: 'errors', sequential: {} }, { name: 'other', sequential: {} }] } })
    if (E.isLeft(r)) throw new Error(JSON.stringify(r.left))
    const s = r.right
    const ready = { canary: true, primary: true }
    let d = step(s, initialState(s, 0, { stable: 'v1' }), { at: 0, revision: 'v2', ready })
    for (let i = 0; i < 20 && d.state.phase !== 'failed'; i++) {
      const at = d.wakeAt ?? d.state.at + 60_000
      const samples = d.needs.flatMap((n) =>
        n.kind === 'metric' && n.window.to <= at
          ? [{ kind: 'counts' as const, metric: n.metric, window: n.window, canary: { total: 10_000, bad: n.metric === 'errors' ? 2_000 : 100 }, primary: { total: 10_000, bad: 100 } }]
          : [],
      )
      d = step(s, d.state, { at, ready, samples })
    }
    expect(d.state.phase).toBe('failed')
    const f = d.state.lastFailure
    expect(f?.code).toBe('metricFailed')
    expect(f?.metric).toBe('errors')
    expect(f?.message).toContain('errors: relative risk')
    // the failing metric's own verdict is in lastFailure only
    expect(d.state.metrics['errors']?.pending).toBeNull()
    expect(d.state.metrics['errors']?.final).toBe('fail')
    expect(JSON.stringify(d.state).split(f!.message).length - 1).toBe(1)
    // the decision's reasons still carry the failure in full
    expect(d.reasons.some((x) => x.code === 'metricFailed' && x.message === f!.message)).toBe(true)
  })
})
