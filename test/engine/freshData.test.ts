import { describe, expect, it } from 'vitest'
import * as E from 'fp-ts/lib/Either.js'
import { decodeSpec } from '../../src/config/decodeSpec.js'
import { initialState } from '../../src/engine/initialState.js'
import { step } from '../../src/engine/step.js'

const decode = (input: unknown) => {
  const r = decodeSpec(input)
  if (E.isLeft(r)) throw new Error(JSON.stringify(r.left))
  return r.right
}

describe('decisions never share editable data with the spec (issue 15 item 13)', () => {
  const spec = decode({
    strategy: {
      canary: {
        steps: [{ setHeaderRoute: { name: 'beta', match: [{ headerName: 'x-beta', headerValue: { exact: 'yes' } }] } }, { setWeight: 20 }, { pause: {} }],
      },
    },
    analysis: { interval: '1m', threshold: 2, metrics: [] },
  })

  it('the decoded spec is deeply frozen', () => {
    expect(Object.isFrozen(spec)).toBe(true)
    expect(Object.isFrozen(spec.analysis.metrics)).toBe(true)
    expect(Object.isFrozen(spec.strategy)).toBe(true)
  })

  it('editing an action that carries a header route leaves the spec and the state as they were', () => {
    const specBefore = JSON.stringify(spec)
    let state = initialState(spec, 0, { stable: 'v1' })
    let routed: { routes: { match: unknown[] }[] } | undefined
    for (let i = 0, at = 0; i < 12 && routed === undefined; i++, at += 60_000) {
      const d = step(spec, state, { at, revision: 'v2', ready: { canary: true, primary: true } })
      state = d.state
      if (d.action.type === 'setWeight' && d.action.routes.length > 0) routed = d.action as unknown as { routes: { match: unknown[] }[] }
    }
    expect(routed).toBeDefined()
    const stateBefore = JSON.stringify(state)
    routed!.routes[0]!.match.push({ headers: { evil: { exact: 'x' } } })
    ;const first = routed!.routes[0]!.match[0] as { headers?: Record<string, unknown> }
    if (first.headers !== undefined) first.headers['x-beta'] = { exact: 'no' }
    expect(JSON.stringify(spec)).toBe(specBefore)
    expect(JSON.stringify(state)).toBe(stateBefore)
  })
})
