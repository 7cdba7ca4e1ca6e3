/**
 * Issue 15 item 12: the persisted state stays small. Metric and gate names are bounded at decode (63
 * characters), so the state is bounded too; this property drives rollouts with up to four sequential metrics
 * (the README's promise) with names of the longest length allowed, through failures, no data, commands and
 * restarts, and checks the encoded size of every state.
 */
import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import * as E from 'fp-ts/lib/Either.js'
import { decodeSpec, encodeState, initialState, step, type Observation, type Sample } from '../../src/index.js'

/** The bounds this property checks (bytes of JSON); the README states them. */
const BOUND_TYPICAL = 2560
const BOUND_LONGEST = 3072

interface Names {
  readonly metric: (i: number) => string
  readonly revision: (n: number) => string
  readonly gate: string
}
/** Names as they usually are: metric names up to 24 characters, revisions up to 63 (a pod-template hash, a tag). */
const TYPICAL: Names = { metric: (i) => `request-success-rate-${i}`.padEnd(24, 'x'), revision: (n) => `podinfo-${n}-`.padEnd(63, 'a'), gate: 'confirm-promotion-gate' }
/** The longest names decodeSpec and the engine accept: 63-character metric and gate names, 253-character revisions. */
const LONGEST: Names = { metric: (i) => `${'m'.repeat(62)}${i}`, revision: (n) => `v${n}-`.padEnd(253, 'r'), gate: 'g'.repeat(63) }

interface Move {
  readonly dt: number
  readonly canaryBad: number
  readonly primaryBad: number
  readonly total: number
  readonly noData: boolean
  readonly command: Observation['command'] | undefined
  readonly restart: boolean
}
const moveArb: fc.Arbitrary<Move> = fc.record({
  dt: fc.constantFrom(60_000, 60_000, 120_000, 1, 3_600_000),
  canaryBad: fc.nat({ max: 1000 }),
  primaryBad: fc.nat({ max: 1000 }),
  total: fc.oneof(fc.constantFrom(1000, 2 ** 53 - 1, 123_456_789_012), fc.integer({ min: 1000, max: 10_000_000 })),
  noData: fc.boolean(),
  command: fc.option(fc.constantFrom('pause', 'resume', 'abort', 'retry', 'promote') as fc.Arbitrary<Observation['command']>, { nil: undefined, freq: 6 }),
  restart: fc.boolean(),
})

const measureStateSizes = (names: Names, runs: number): { steps: number; max: number } => {
  let steps = 0
  let max = 0
  fc.assert(
    fc.property(fc.integer({ min: 1, max: 4 }), fc.array(moveArb, { minLength: 1, maxLength: 60 }), (k, moves) => {
      const spec = decodeSpec({
        strategy: { canary: { stepWeight: 10, maxWeight: 50 } },
        analysis: { interval: '1m', threshold: 3, metrics: Array.from({ length: k }, (_, i) => ({ name: names.metric(i), sequential: { tolerance: 1.2 } })) },
        gates: [{ name: names.gate, type: 'confirm-promotion' }],
      })
      if (E.isLeft(spec)) throw new Error(JSON.stringify(spec.left))
      let d = step(spec.right, initialState(spec.right, 0, { stable: 'v1' }), { at: 0, revision: names.revision(2), ready: { canary: true } })
      let rev = 2
      for (const m of moves) {
        const at = d.state.at + m.dt
        const samples: Sample[] = d.needs.flatMap((n): Sample[] =>
          n.kind !== 'metric' || n.window.to > at
            ? []
            : m.noData
              ? [{ kind: 'noData', metric: n.metric, window: n.window, detail: 'x'.repeat(500) }]
              : [{ kind: 'counts', metric: n.metric, window: n.window, canary: { total: m.total, bad: Math.min(m.total, m.canaryBad) }, primary: { total: m.total, bad: Math.min(m.total, m.primaryBad) } }],
        )
        const gates = Object.fromEntries(d.needs.flatMap((n) => (n.kind === 'gate' ? [[n.gate, 'approve' as const]] : [])))
        d = step(spec.right, d.state, {
          at,
          ready: { canary: true },
          samples,
          ...(Object.keys(gates).length > 0 ? { gates } : {}),
          ...(m.command !== undefined ? { command: m.command } : {}),
          ...(m.restart ? { revision: names.revision(++rev) } : {}),
        })
        steps++
        const size = JSON.stringify(encodeState(d.state)).length
        max = Math.max(max, size)
      }
    }),
    { numRuns: runs },
  )
  return { steps, max }
}

describe('state size (issue 15 item 12)', () => {
  it('names longer than 63 characters are refused at decode', () => {
    const r = decodeSpec({ strategy: { canary: { stepWeight: 10, maxWeight: 50 } }, analysis: { metrics: [{ name: 'x'.repeat(100_000), sequential: {} }] }, gates: [{ name: 'g'.repeat(64), type: 'rollout' }] })
    expect(E.isLeft(r) && r.left.map((e) => e.path)).toEqual(['analysis.metrics[0].name', 'gates[0].name'])
    expect(E.isLeft(r) && r.left[0]!.message.length).toBeLessThan(200)
  })

  const runs = Number(process.env['STATE_SIZE_RUNS'] ?? 100)
  it(`stays under ${BOUND_TYPICAL} bytes with up to four sequential metrics and typical names`, () => {
    const { max, steps } = measureStateSizes(TYPICAL, runs)
    if (process.env['STATE_SIZE_DUMP'] !== undefined) console.log(`typical names: ${steps} steps, largest state ${max} B`)
    expect(max).toBeLessThan(BOUND_TYPICAL)
  })

  it(`stays under ${BOUND_LONGEST} bytes with up to four sequential metrics and the longest names allowed`, () => {
    const { max, steps } = measureStateSizes(LONGEST, runs)
    if (process.env['STATE_SIZE_DUMP'] !== undefined) console.log(`longest names: ${steps} steps, largest state ${max} B`)
    expect(max).toBeLessThan(BOUND_LONGEST)
  })
})
