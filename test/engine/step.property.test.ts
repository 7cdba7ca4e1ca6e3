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
import { basicMetric, GATE_TYPES, moveArb as moveArb_, observeMove } from '../helpers/rolloutArbitraries.js'

const canaryArb = fc.oneof(
  fc.record({ stepWeight: fc.integer({ min: 1, max: 100 }), maxWeight: fc.integer({ min: 1, max: 100 }) }),
  fc.uniqueArray(fc.integer({ min: 1, max: 100 }), { minLength: 1, maxLength: 6 }).map((ws) => ({ stepWeights: [...ws].sort((a, b) => a - b) })),
  fc
    .array(
      fc.oneof(
        fc.integer({ min: 0, max: 100 }).map((w) => ({ setWeight: w })),
        fc.option(fc.integer({ min: 1, max: 300 }), { nil: undefined }).map((d) => ({ pause: d === undefined ? {} : { duration: d } })),
        fc.integer({ min: 1, max: 3 }).map((n) => ({ analysis: { intervals: n } })),
        fc.constant({ setHeaderRoute: { name: 'beta', match: [{ headerName: 'x-beta', headerValue: { exact: 'yes' } }] } }),
        fc.constant({ setCanaryScale: { weight: 30 } }),
      ),
      { minLength: 1, maxLength: 8 },
    )
    .map((steps) => ({ steps })),
)

const specArb = fc
  .record({
    canary: canaryArb,
    interval: fc.integer({ min: 10, max: 120 }),
    threshold: fc.integer({ min: 1, max: 5 }),
    consecutiveFailureLimit: fc.option(fc.integer({ min: 1, max: 4 }), { nil: undefined }),
    noDataLimit: fc.integer({ min: 1, max: 5 }),
    metrics: fc.uniqueArray(basicMetric, { maxLength: 3, selector: (m) => m.name }),
    gates: fc.subarray([...GATE_TYPES]),
    skipAnalysis: fc.boolean(),
    stepWeightPromotion: fc.option(fc.integer({ min: 1, max: 60 }), { nil: undefined }),
  })
  .map((r) => ({
    strategy: { canary: { ...r.canary, ...(r.stepWeightPromotion !== undefined ? { stepWeightPromotion: r.stepWeightPromotion } : {}) } },
    analysis: {
      interval: r.interval,
      threshold: r.threshold,
      noDataLimit: r.noDataLimit,
      ...(r.consecutiveFailureLimit !== undefined ? { consecutiveFailureLimit: r.consecutiveFailureLimit } : {}),
      metrics: r.metrics,
    },
    gates: r.gates.map((type, i) => ({ name: `g${i}`, type })),
    skipAnalysis: r.skipAnalysis,
  }))

const moveArb = moveArb_({ wakeJumps: 1, revisionFreq: 8, commands: ['promote', 'promoteFull', 'abort', 'retry', 'pause', 'resume'], commandFreq: 10, unknownMetric: true })
const observe = observeMove

const maxWeightOf = (spec: RolloutSpec): number => Math.max(spec.strategy.maxWeight, ...spec.strategy.steps.map((s) => (s.type === 'setWeight' ? s.weight : 0)))

describe('engine invariants (property)', () => {
  it('holds for thousands of random specs and observation sequences', () => {
    fc.assert(
      fc.property(specArb, fc.array(moveArb, { minLength: 1, maxLength: 60 }), (input, moves) => {
        const decoded = decodeSpec(input)
        if (E.isLeft(decoded)) throw new Error(`generated spec does not decode: ${JSON.stringify(decoded.left)}`)
        const spec = decoded.right
        const max = maxWeightOf(spec)
        let state = initialState(spec, 1_000_000)
        let viaJson = state
        let prev: Decision | null = null
        for (const m of [{ ...moves[0]!, revision: 'v1' as const, garbage: 'none' as const }, ...moves]) {
          const obs = observe(spec, prev, state, m)
          const frozen = JSON.stringify(state)
          const d = step(spec, state, obs)
          // the input state is never modified
          expect(JSON.stringify(state)).toBe(frozen)
          // same inputs, same outputs
          expect(step(spec, state, obs)).toEqual(d)
          // persisting through JSON between every step changes nothing
          const back = decodeState(JSON.parse(JSON.stringify(encodeState(viaJson))))
          expect(E.isRight(back)).toBe(true)
          if (E.isRight(back)) expect(step(spec, back.right, obs)).toEqual(d)
          const w = d.state.traffic.weight
          expect(w).toBeGreaterThanOrEqual(0)
          expect(w).toBeLessThanOrEqual(max)
          if (d.events.some((e) => e.type === 'checkFailed')) expect(w).toBeLessThanOrEqual(state.traffic.weight)
          if (d.action.type === 'rollback') {
            expect(d.state.phase).toBe('failed')
            expect(d.state.traffic).toEqual({ weight: 0, routes: [] })
          }
          if ((state.phase === 'succeeded' || state.phase === 'failed') && (obs.revision === undefined || obs.revision === state.revision) && obs.command !== 'retry') {
            expect(d.state.phase).toBe(state.phase)
          }
          if (d.wakeAt !== null) expect(d.wakeAt).toBeGreaterThanOrEqual(d.state.at)
          expect(JSON.stringify(encodeState(d.state)).length).toBeLessThan(2048)
          prev = d
          state = d.state
          viaJson = d.state
        }
      }),
      { numRuns: 1500 },
    )
  })

  it('keeps the encoded state under 2 KB however long the rollout runs', () => {
    // a step program whose analysis step lasts 3,000 ticks, so the run is long (a linear spec promotes in ~20)
    const spec = decodeSpec({
      strategy: { canary: { steps: [{ setWeight: 5 }, { analysis: { intervals: 3000 } }, { setWeight: 50 }, { analysis: { intervals: 1 } }] } },
      analysis: {
        interval: '10s',
        threshold: 1_000_000,
        metrics: [
          { name: 'request-success-rate', thresholdRange: { min: 99 } },
          { name: 'errors', sequential: {} },
          { name: 'latency-above-slo', sequential: { tolerance: 1.2 } },
          { name: 'latency', mannWhitney: { minPoints: 3 } },
          { name: 'cpu', successCondition: 'result < 90' },
        ],
      },
    })
    if (E.isLeft(spec)) throw new Error(JSON.stringify(spec.left))
    let d = step(spec.right, initialState(spec.right, 0, { stable: 'v1' }), { at: 0, revision: 'v2', ready: { canary: true } })
    let biggest = 0
    for (let i = 0; i < 20_000 && d.wakeAt !== null; i++) {
      const samples: Sample[] = d.needs.flatMap((n): Sample[] =>
        n.kind !== 'metric'
          ? []
          : n.sample === 'counts'
            ? [{ kind: 'counts', metric: n.metric, window: n.window, canary: { total: 1000 + (i % 7), bad: i % 3 }, primary: { total: 1000, bad: 1 + (i % 2) } }]
            : n.sample === 'points'
              ? [{ kind: 'points', metric: n.metric, window: n.window, canary: [100 + (i % 4), 101, 99, 102], primary: [100, 101, 99, 100 + (i % 3)] }]
              : [{ kind: 'value', metric: n.metric, window: n.window, value: n.metric === 'cpu' ? 50 + (i % 45) : i % 5 === 0 ? 98 : 99.5 }],
      )
      d = step(spec.right, d.state, { at: d.wakeAt, samples })
      biggest = Math.max(biggest, JSON.stringify(encodeState(d.state)).length)
    }
    expect(d.state.ticks).toBeGreaterThan(2_000)
    expect(biggest).toBeLessThan(2048)
  })
})
