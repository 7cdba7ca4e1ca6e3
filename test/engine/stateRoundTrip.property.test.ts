/**
 * Issue 15 item 1: every state `step` returns survives encodeState -> JSON -> decodeState unchanged, under
 * hostile values: metric values near the largest double (1e308) or past the Date range (8.6e15+, bytes and
 * nanoseconds), observation times near the largest instant (8.64e15, so `nextTickAt` passes it), windows
 * far in the past, counts near 2^53. A state that does not decode back makes a controller restart from
 * scratch (and send `setWeight` to a canary it just rolled back).
 */
import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import * as E from 'fp-ts/lib/Either.js'
import { decodeSpec, decodeState, encodeState, initialState, step, type Decision, type Observation, type RolloutSpec, type RolloutState, type Sample } from '../../src/index.js'

const MAX_INSTANT = 8.64e15

const hostileValue = fc.oneof(
  fc.constantFrom(0, 1e308, Number.MAX_VALUE, 8.6e15, 8.64e15 + 1, 9e15, 2 ** 53 + 2, Number.MIN_VALUE, 5e-324, 99.9, 50, 1e-300),
  fc.double({ min: 0, max: Number.MAX_VALUE, noNaN: true }),
)

const specInput = fc.record({
  interval: fc.constantFrom('10s', '1m', '876000h', '870000h'),
  metrics: fc.subarray(
    [
      { name: 'sr', thresholdRange: { min: 99 } },
      { name: 'lat', thresholdRange: { max: 500 } },
      { name: 'big', thresholdRange: { max: 1e300 } },
      { name: 'errors', sequential: {} },
      { name: 'cpu', successCondition: 'result < 90' },
      { name: 'p', mannWhitney: { minPoints: 3 } },
    ],
    { minLength: 1 },
  ),
  steps: fc.constantFrom(
    { stepWeight: 20, maxWeight: 60 },
    { steps: [{ setWeight: 10 }, { pause: { duration: '876000h' } }, { setWeight: 50 }, { analysis: { intervals: 2 } }] },
  ),
})

interface Move {
  readonly dt: number
  readonly value: number
  readonly count: number
  readonly revision: 'v2' | 'v3' | undefined
  readonly command: Observation['command'] | undefined
  readonly oldWindow: boolean
}

const moveArb: fc.Arbitrary<Move> = fc.record({
  dt: fc.oneof(fc.constantFrom(0, 10_000, 60_000, MAX_INSTANT), fc.integer({ min: 0, max: 3_600_000 })),
  value: hostileValue,
  count: fc.oneof(fc.constantFrom(0, 1, 2 ** 53 - 1, 2 ** 52), fc.nat()),
  revision: fc.option(fc.constantFrom('v2' as const, 'v3' as const), { nil: undefined, freq: 10 }),
  command: fc.option(fc.constantFrom('promote', 'promoteFull', 'abort', 'retry', 'pause', 'resume') as fc.Arbitrary<Observation['command']>, { nil: undefined, freq: 8 }),
  oldWindow: fc.boolean(),
})

const answer = (d: Decision, at: number, m: Move): Sample[] =>
  d.needs.flatMap((n): Sample[] => {
    if (n.kind !== 'metric' || n.window.to > at) return []
    const window = m.oldWindow ? { from: -1e300, to: Math.min(n.window.to, -1e299) } : n.window
    switch (n.sample) {
      case 'counts':
        return [{ kind: 'counts', metric: n.metric, window, canary: { total: m.count, bad: Math.floor(m.count / 2) }, primary: { total: m.count, bad: 0 } }]
      case 'points':
        return [{ kind: 'points', metric: n.metric, window, canary: [m.value, 1, 2, m.value], primary: [1, 2, 3, 4] }]
      default:
        return [{ kind: 'value', metric: n.metric, window, value: m.value }]
    }
  })

const roundTrip = (s: RolloutState): E.Either<unknown, RolloutState> => decodeState(JSON.parse(JSON.stringify(encodeState(s))))

describe('persisted state (issue 15 item 1)', () => {
  it('every state step returns decodes back to itself, hostile values included', () => {
    fc.assert(
      fc.property(specInput, fc.constantFrom(0, 1_700_000_000_000, MAX_INSTANT - 3_600_000, MAX_INSTANT - 1), fc.array(moveArb, { minLength: 1, maxLength: 30 }), (input, start, moves) => {
        const spec = decodeSpec({ strategy: { canary: input.steps }, analysis: { interval: input.interval, threshold: 2, metrics: input.metrics } })
        if (E.isLeft(spec)) throw new Error(JSON.stringify(spec.left))
        const s: RolloutSpec = spec.right
        let d = step(s, initialState(s, start, { stable: 'v1' }), { at: start, revision: 'v2', ready: { canary: true } })
        for (const m of moves) {
          const back = roundTrip(d.state)
          if (E.isLeft(back)) throw new Error(`state does not decode back: ${JSON.stringify(back.left)}\n${JSON.stringify(d.state)}`)
          expect(JSON.stringify(back.right)).toBe(JSON.stringify(d.state))
          const at = Math.min(MAX_INSTANT, d.state.at + m.dt)
          const obs: Observation = {
            at,
            ready: { canary: true },
            ...(m.revision !== undefined ? { revision: m.revision } : {}),
            ...(m.command !== undefined ? { command: m.command } : {}),
            samples: answer(d, at, m),
          }
          const next = step(s, d.state, obs)
          // the decoded state gives the same decision as the original
          expect(step(s, back.right, obs)).toEqual(next)
          d = next
        }
        const last = roundTrip(d.state)
        expect(E.isRight(last) ? JSON.stringify(last.right) : last.left).toBe(JSON.stringify(d.state))
      }),
      { numRuns: 400 },
    )
  })

  it('a rollback on a value above the Date range (bytes, nanoseconds) is still readable after a restart', () => {
    const spec = decodeSpec({ strategy: { canary: { stepWeight: 10, maxWeight: 50 } }, analysis: { interval: '1m', threshold: 1, metrics: [{ name: 'mem', thresholdRange: { max: 1e9 } }] } })
    if (E.isLeft(spec)) throw new Error(JSON.stringify(spec.left))
    let d = step(spec.right, initialState(spec.right, 0, { stable: 'v1' }), { at: 0, revision: 'v2', ready: { canary: true } })
    for (let i = 0; i < 10 && d.state.phase !== 'failed'; i++) {
      const at = d.wakeAt ?? d.state.at + 60_000
      d = step(spec.right, d.state, { at, samples: answer(d, at, { dt: 0, value: 9e15, count: 0, revision: undefined, command: undefined, oldWindow: false }) })
    }
    expect(d.state.phase).toBe('failed')
    expect(d.state.lastFailure?.observed).toBe(9e15)
    const back = roundTrip(d.state)
    expect(E.isRight(back) && back.right.lastFailure?.observed).toBe(9e15)
  })

  it('an `at` beyond the Date range is still refused', () => {
    const spec = decodeSpec({ strategy: { canary: { stepWeight: 10, maxWeight: 50 } }, analysis: { interval: '1m', threshold: 1, metrics: [] } })
    if (E.isLeft(spec)) throw new Error(JSON.stringify(spec.left))
    const s = { ...initialState(spec.right, 0), at: 9e15 }
    expect(E.isLeft(decodeState(JSON.parse(JSON.stringify(s))))).toBe(true)
  })
})
