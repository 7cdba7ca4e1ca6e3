/**
 * Invariants of every strategy (blue/green in both forms, A/B testing, the canary with Flagger's mirror),
 * over random specs and random observation sequences (time jumps, readiness, samples good and bad, gate
 * answers, operator commands, revision changes, garbage).
 */
import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import * as E from 'fp-ts/lib/Either.js'
import {
  decodeSpec,
  decodeState,
  encodeState,
  initialState,
  step,
  type Decision,
  type Observation,
  type RolloutSpec,
  type RolloutState,
  type Sample,
} from '../../src/index.js'
import { runToEnd, type World } from '../../src/testing/index.js'
import { basicMetric, blueGreenIterations, blueGreenPreview, GATE_TYPES, moveArb as moveArb_, observeMove } from '../helpers/rolloutArbitraries.js'

const blueGreenArb = fc.oneof(blueGreenIterations({ autoPromotion: true }), blueGreenPreview).map((b) => ({ blueGreen: b }))

const valueMatch = fc.oneof(
  fc.string({ maxLength: 5 }).map((s) => ({ exact: s })),
  fc.string({ maxLength: 5 }).map((s) => ({ prefix: s })),
  fc.constant({ regex: '^(.*;)?canary=always(;.*)?$' }),
)
const abTestArb = fc
  .record({
    iterations: fc.integer({ min: 1, max: 4 }),
    match: fc.array(fc.oneof(fc.record({ headers: fc.dictionary(fc.constantFrom('x-canary', 'user-agent'), valueMatch, { minKeys: 1 }) }), fc.record({ cookies: fc.dictionary(fc.constantFrom('canary', 'beta'), valueMatch, { minKeys: 1 }) })), { minLength: 1, maxLength: 3 }),
  })
  .map((a) => ({ abTest: a }))

const mirrorCanaryArb = fc
  .record({ stepWeight: fc.integer({ min: 5, max: 60 }), maxWeight: fc.integer({ min: 10, max: 100 }), mirrorWeight: fc.option(fc.integer({ min: 1, max: 100 }), { nil: undefined }) })
  .map((c) => ({ canary: { stepWeight: c.stepWeight, maxWeight: c.maxWeight, mirror: true, ...(c.mirrorWeight !== undefined ? { mirrorWeight: c.mirrorWeight } : {}) } }))

const specArb = fc
  .record({
    strategy: fc.oneof(blueGreenArb, abTestArb, mirrorCanaryArb),
    interval: fc.integer({ min: 10, max: 120 }),
    threshold: fc.integer({ min: 1, max: 4 }),
    noDataLimit: fc.integer({ min: 1, max: 4 }),
    metrics: fc.uniqueArray(basicMetric, { maxLength: 3, selector: (m) => m.name }),
    gates: fc.subarray([...GATE_TYPES]),
  })
  .map((r) => ({
    strategy: r.strategy,
    analysis: { interval: r.interval, threshold: r.threshold, noDataLimit: r.noDataLimit, metrics: r.metrics },
    gates: r.gates.map((type, i) => ({ name: `g${i}`, type })),
    progressDeadline: 300,
  }))

const moveArb = moveArb_({ wakeJumps: 2, revisionFreq: 10, commands: ['promote', 'promoteFull', 'abort', 'abort', 'retry', 'pause', 'resume'], commandFreq: 8, unknownMetric: false })
const observe = observeMove

const NO_TRAFFIC = { weight: 0, routes: [] }

/** Checks one transition; returns nothing, fails the property through expect. */
const checkTransition = (spec: RolloutSpec, state: RolloutState, obs: Observation, d: Decision): void => {
  const s = spec.strategy
  const t = d.state.traffic
  const a = d.action
  // never an internal error (the engine's catch-all) for any strategy
  expect(d.reasons.filter((r) => r.code === 'internalError')).toEqual([])
  // rollback: no traffic to the new version at all (weight 0, no routes, no mirror, no preview, no scale override)
  const enteredFailed = d.state.phase === 'failed' && state.phase !== 'failed'
  if (a.type === 'rollback' || enteredFailed) expect(t).toEqual(NO_TRAFFIC)
  if (enteredFailed) {
    const ok =
      a.type === 'rollback' ||
      (a.type === 'switch' && a.to === 'primary') ||
      (a.type === 'setWeight' && a.weight === 0 && a.routes.length === 0 && a.preview === undefined && a.mirror === undefined)
    expect(ok, JSON.stringify(a)).toBe(true)
  }
  // in failed, only the deferred scale-down ever acts
  if (state.phase === 'failed' && d.state.phase === 'failed') expect(['hold', 'rollback']).toContain(a.type)
  if (a.type === 'switch' && a.to === 'primary') expect(d.state.phase).toBe('failed')
  // terminal phases absorb (until a new revision or retry)
  if ((state.phase === 'succeeded' || state.phase === 'failed') && (obs.revision === undefined || obs.revision === state.revision) && obs.command !== 'retry') {
    expect(d.state.phase).toBe(state.phase)
  }
  switch (s.kind) {
    case 'blueGreen':
      // the active service points at one side: weight is 0 or 100; the preview exists only before the switch
      expect([0, 100]).toContain(t.weight)
      if (t.preview === true) expect(t.weight).toBe(0)
      expect(t.routes).toEqual([])
      if (a.type === 'switch' && a.to === 'canary') expect(t).toEqual({ weight: 100, routes: [] })
      if (t.weight === 100 && state.traffic.weight === 0 && d.state.phase !== 'promoting' && !(state.phase === 'promoting')) expect(a).toMatchObject({ type: 'switch', to: 'canary' })
      if (s.mirror === undefined) expect(t.mirror).toBeUndefined()
      break
    case 'abTest':
      // A/B never moves live weight: only the matched requests reach the canary
      expect(t.weight).toBe(0)
      expect(t.routes.map((r) => r.name).every((n) => n === 'ab-test')).toBe(true)
      expect(t.mirror).toBeUndefined()
      expect(a.type).not.toBe('switch')
      break
    case 'canary':
      // the mirror is a phase before live weight: never both
      if ((t.mirror ?? 0) > 0) expect(t.weight).toBe(0)
      expect(a.type).not.toBe('switch')
      break
  }
  if (a.type === 'setWeight') {
    expect(a.weight).toBe(t.weight)
    expect(a.routes).toEqual(t.routes)
  }
  if (d.wakeAt !== null) expect(d.wakeAt).toBeGreaterThanOrEqual(d.state.at)
  expect(JSON.stringify(encodeState(d.state)).length).toBeLessThan(2048)
}

describe('strategy invariants (property): blue/green, A/B testing, mirrored canary', () => {
  it('never throws, never mutates, is deterministic and JSON-transparent, and rolls back to no traffic', () => {
    const seen = { switchToCanary: 0, switchBack: 0, deferredRollback: 0, abRoute: 0, mirrorToLive: 0, succeeded: 0 }
    fc.assert(
      fc.property(specArb, fc.array(moveArb, { minLength: 1, maxLength: 50 }), (input, moves) => {
        const decoded = decodeSpec(input)
        if (E.isLeft(decoded)) throw new Error(`generated spec does not decode: ${JSON.stringify(decoded.left)}`)
        const spec = decoded.right
        let state = initialState(spec, 1_000_000)
        let prev: Decision | null = null
        for (const m of [{ ...moves[0]!, revision: 'v1' as const, garbage: 'none' as const }, ...moves]) {
          const obs = observe(spec, prev, state, m)
          const frozen = JSON.stringify(state)
          const d = step(spec, state, obs)
          expect(JSON.stringify(state)).toBe(frozen)
          expect(step(spec, state, obs)).toEqual(d)
          const back = decodeState(JSON.parse(JSON.stringify(encodeState(state))))
          expect(E.isRight(back)).toBe(true)
          if (E.isRight(back)) expect(step(spec, back.right, obs)).toEqual(d)
          checkTransition(spec, state, obs, d)
          if (d.action.type === 'switch') seen[d.action.to === 'canary' ? 'switchToCanary' : 'switchBack'] += 1
          if (d.action.type === 'rollback' && state.phase === 'failed') seen.deferredRollback += 1
          if (d.state.traffic.routes.length > 0 && spec.strategy.kind === 'abTest') seen.abRoute += 1
          if ((state.traffic.mirror ?? 0) > 0 && d.state.traffic.weight > 0 && spec.strategy.kind === 'canary') seen.mirrorToLive += 1
          if (d.state.phase === 'succeeded' && state.phase !== 'succeeded' && state.phase !== 'initialized' && state.phase !== 'idle') seen.succeeded += 1
          prev = d
          state = d.state
        }
      }),
      { numRuns: 1200, seed: 20261126 },
    )
    // the random runs reach every interesting transition (otherwise the invariants above say little)
    for (const [k, n] of Object.entries(seen)) expect(n, k).toBeGreaterThan(0)
  })

  it('reaches every stage: random well-behaved runs of each strategy end succeeded', () => {
    for (const strategy of [{ blueGreen: { iterations: 2 } }, { blueGreen: { prePromotionAnalysis: { intervals: 1 }, postPromotionAnalysis: { intervals: 1 } } }, { abTest: { iterations: 2, match: [{ headers: { 'x-canary': { exact: 'insider' } } }] } }, { canary: { stepWeight: 50, maxWeight: 100, mirror: true } }]) {
      const spec = decodeSpec({ strategy, analysis: { interval: '1m', metrics: [{ name: 'sr', thresholdRange: { min: 99 } }] } })
      if (E.isLeft(spec)) throw new Error(JSON.stringify(spec.left))
      const healthy: World = { samples: (due) => due.map((n): Sample => ({ kind: 'value', metric: n.metric, window: n.window, value: 99.9 })) }
      const run = runToEnd(spec.right, healthy, { maxCalls: 50 })
      const d = run.last
      const actions = run.calls.map((c) => c.decision.action.type)
      expect(d.state.phase, JSON.stringify(strategy)).toBe('succeeded')
      expect(actions).toContain('promote')
      expect(actions[actions.length - 1]).toBe('finalize')
      if ('blueGreen' in strategy) expect(actions).toContain('switch')
    }
  })
})
