import fc from 'fast-check'
import * as E from 'fp-ts/lib/Either.js'
import { describe, expect, it } from 'vitest'
import type { Decision, Observation, RolloutSpec, RolloutState } from '../../src/index.js'
import { decodeSpec, step } from '../../src/index.js'
import { canarySpecInput, observationScript } from '../../src/testing/arbitraries.js'
import { assertInvariants, checkInvariants } from '../../src/testing/invariants.js'
import { playScript } from '../../src/testing/play.js'

const decode = (input: unknown): RolloutSpec => {
  const r = decodeSpec(input)
  if (E.isLeft(r)) throw new Error(JSON.stringify(r.left))
  return r.right
}

describe('canarySpecInput', () => {
  it('draws inputs that decodeSpec accepts', () => {
    fc.assert(
      fc.property(canarySpecInput(), (input) => {
        const r = decodeSpec(input)
        if (E.isLeft(r)) throw new Error(`${JSON.stringify(input)} rejected: ${JSON.stringify(r.left)}`)
      }),
      { numRuns: 300 },
    )
  })
  it('honours the form and metric options', () => {
    fc.assert(
      fc.property(canarySpecInput({ forms: ['stepWeights'], metricKinds: ['sequential'], gates: false }), (input) => {
        const c = input.strategy.canary
        expect('stepWeights' in c).toBe(true)
        if ('stepWeights' in c) for (let i = 1; i < c.stepWeights.length; i++) expect(c.stepWeights[i]! > c.stepWeights[i - 1]!).toBe(true)
        expect(input.analysis.metrics.every((m) => 'sequential' in m)).toBe(true)
        expect(input.gates).toBeUndefined()
      }),
      { numRuns: 100 },
    )
  })
})

describe('playScript', () => {
  it('turns scripts into observations with monotone time except scripted garbage', () => {
    fc.assert(
      fc.property(canarySpecInput(), observationScript({ garbage: 0 }), (input, script) => {
        const trace = playScript(decode(input), script)
        expect(trace.length).toBe(script.length + 2)
        for (let i = 1; i < trace.length; i++) expect(trace[i]!.observation.at).toBeGreaterThanOrEqual(trace[i - 1]!.observation.at)
      }),
      { numRuns: 50 },
    )
  })
})

describe('invariants hold for the real engine', () => {
  it('on random specs and random observation scripts (with garbage)', () => {
    fc.assert(
      fc.property(canarySpecInput(), observationScript({ maxLength: 40 }), (input, script) => {
        const spec = decode(input)
        assertInvariants(spec, playScript(spec, script))
      }),
      { numRuns: 300 },
    )
  })
})

describe('the checkers catch broken engines', () => {
  const spec = decode({
    strategy: { canary: { stepWeight: 10, maxWeight: 50 } },
    analysis: { interval: '1m', threshold: 2, metrics: [{ name: 'sr', thresholdRange: { min: 99 } }] },
  })
  const script = fc.sample(observationScript({ minLength: 30, maxLength: 30, garbage: 0, commands: 0 }), { seed: 7, numRuns: 1 })[0]!

  const wrap = (f: (d: Decision, state: RolloutState, obs: Observation) => Decision) => (s: RolloutSpec, st: RolloutState, o: Observation) =>
    f(step(s, st, o), st, o)

  it('flags a step that throws', () => {
    const broken = wrap((d, _s, o) => {
      if (o.samples) throw new Error('boom')
      return d
    })
    const v = checkInvariants(spec, playScript(spec, script, { step: broken }), { step: broken })
    expect(v.some((x) => x.invariant === 'noThrow')).toBe(true)
  })

  it('flags weights beyond maxWeight, rollbacks that keep traffic and a non-deterministic step', () => {
    let calls = 0
    const broken = wrap((d) => {
      calls++
      if (d.action.type === 'setWeight' && d.action.weight > 0) return { ...d, action: { ...d.action, weight: 80 }, state: { ...d.state, traffic: { ...d.state.traffic, weight: 80 } } }
      return { ...d, wakeAt: (d.wakeAt ?? 0) + (calls % 2) }
    })
    const v = checkInvariants(spec, playScript(spec, script, { step: broken }), { step: broken })
    expect(v.some((x) => x.invariant === 'weightBounds')).toBe(true)
    expect(v.some((x) => x.invariant === 'deterministic')).toBe(true)
  })

  it('flags an oversized state and a rollback that keeps traffic', () => {
    const state = playScript(spec, [], {})[1]!.decision!.state
    const entry = {
      before: state,
      observation: { at: state.at + 1000 },
      decision: {
        state: { ...state, traffic: { weight: 20, routes: [] }, lastFailure: { code: 'x', message: 'y'.repeat(3000), at: 0 } },
        action: { type: 'rollback' as const, revision: 'v2' },
        reasons: [],
        wakeAt: null,
        needs: [],
        events: [],
      },
      thrown: undefined,
    }
    const v = checkInvariants(spec, [entry], { skip: ['deterministic'] })
    expect(v.map((x) => x.invariant)).toEqual(expect.arrayContaining(['rollbackShape', 'stateSize']))
  })
})
