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

  it('accepts the state initialState gives', () => {
    const d = step(spec, initialState(spec, 0), { at: 1, revision: 'v1' })
    expect(d.action).toEqual({ type: 'promote', revision: 'v1' })
  })
})
