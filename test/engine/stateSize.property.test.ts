/**
 * The persisted state stays small (issue 15 item 12, issue 12): the bound the README and docs/sequential.md
 * state. One property, parameterised by the names (20 characters, typical, the longest decodeSpec accepts)
 * and the traffic domain (production windows, a million requests per window, totals up to 2^53-1), drives
 * canaries with up to four sequential metrics (four most of the time; two at the default tolerance, two at
 * 1.2) through failures, no data, commands, restarts, gates and window lengths from 1 ms to an hour, and
 * checks the encoded size of every state.
 *
 * `STATE_SIZE_RUNS` scales the runs; `STATE_SIZE_DUMP=1` prints the largest size per case, `=full` every new
 * largest state.
 */
import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import * as E from 'fp-ts/lib/Either.js'
import { decodeSpec, encodeState, initialState, step, type Observation, type Sample } from '../../src/index.js'

interface Names {
  readonly label: string
  readonly metric: (i: number) => string
  readonly revision: (n: number) => string
  readonly gate: string
}
/** The names of the budget: 20-character metric, revision and gate names. */
const TWENTY: Names = { label: '20-character names', metric: (i) => `request-errors-${i}`.padEnd(20, 'x'), revision: (n) => `podinfo-${n}-`.padEnd(20, 'a'), gate: 'confirm-promotion-gx' }
/** Names as they usually are: metric names up to 24 characters, revisions up to 63 (a pod-template hash, a tag). */
const TYPICAL: Names = { label: 'typical names', metric: (i) => `request-success-rate-${i}`.padEnd(24, 'x'), revision: (n) => `podinfo-${n}-`.padEnd(63, 'a'), gate: 'confirm-promotion-gate' }
/** The longest names decodeSpec and the engine accept: 63-character metric and gate names, 253-character revisions. */
const LONGEST: Names = { label: 'longest names', metric: (i) => `${'m'.repeat(62)}${i}`, revision: (n) => `v${n}-`.padEnd(253, 'r'), gate: 'g'.repeat(63) }

interface Domain {
  readonly label: string
  /** Requests per arm per window. */
  readonly total: fc.Arbitrary<number>
  /** Largest share of a window's requests that are bad. */
  readonly maxBadShare: number
}
/** Production windows: up to 100,000 requests per arm, at most 20% bad. */
const PRODUCTION: Domain = { label: 'production', total: fc.oneof(fc.integer({ min: 1, max: 100_000 }), fc.integer({ min: 1, max: 5_000 })), maxBadShare: 0.2 }
/** Up to a million requests per window, any share bad. */
const MILLION: Domain = { label: 'a million per window', total: fc.oneof(fc.integer({ min: 1, max: 1_000_000 }), fc.integer({ min: 1, max: 5_000 })), maxBadShare: 1 }
/** Totals that saturate the counters: windows of up to 2^53-1 requests. */
const SATURATING: Domain = {
  label: 'totals up to 2^53-1',
  total: fc.oneof(fc.constantFrom(1000, 2 ** 53 - 1, 123_456_789_012), fc.integer({ min: 1000, max: 10_000_000 })),
  maxBadShare: 1,
}

interface Move {
  readonly dt: number
  readonly total: number
  readonly canaryBad: number
  readonly primaryBad: number
  readonly badShare: number
  readonly noData: boolean
  readonly command: Observation['command'] | undefined
  readonly restart: boolean
}
const moveArb = (domain: Domain): fc.Arbitrary<Move> =>
  fc.record({
    dt: fc.constantFrom(10_000, 60_000, 60_000, 61_001, 120_000, 1, 3_600_000),
    total: domain.total,
    canaryBad: fc.nat({ max: 100_000 }),
    primaryBad: fc.nat({ max: 100_000 }),
    badShare: fc.constantFrom(0, 0, 0.001, 0.01, 0.02, 0.2, 1),
    noData: fc.boolean(),
    command: fc.option(fc.constantFrom('pause', 'resume', 'abort', 'retry', 'promote') as fc.Arbitrary<Observation['command']>, { nil: undefined, freq: 6 }),
    restart: fc.boolean(),
  })

/** Four metrics three times in four, else one to three. */
const metricCount = fc.oneof({ arbitrary: fc.constant(4), weight: 3 }, { arbitrary: fc.integer({ min: 1, max: 3 }), weight: 1 })

const largestState = (names: Names, domain: Domain, runs: number): { readonly steps: number; readonly max: number } => {
  let steps = 0
  let max = 0
  fc.assert(
    fc.property(metricCount, fc.array(moveArb(domain), { minLength: 1, maxLength: 80 }), (k, moves) => {
      const spec = decodeSpec({
        strategy: { canary: { stepWeight: 10, maxWeight: 50 } },
        analysis: { interval: '1m', threshold: 3, metrics: Array.from({ length: k }, (_, i) => ({ name: names.metric(i), sequential: i % 2 === 0 ? {} : { tolerance: 1.2 } })) },
        gates: [{ name: names.gate, type: 'confirm-promotion' }],
      })
      if (E.isLeft(spec)) throw new Error(JSON.stringify(spec.left))
      let d = step(spec.right, initialState(spec.right, 0, { stable: names.revision(1) }), { at: 0, revision: names.revision(2), ready: { canary: true } })
      let rev = 2
      for (const m of moves) {
        const at = d.state.at + m.dt
        const share = Math.min(m.badShare, domain.maxBadShare)
        // a window's bad events: a share of its requests, or a raw count; never above the domain's share
        const bad = (n: number, b: number): number => Math.min(n, Math.floor(n * domain.maxBadShare), share > 0 ? Math.round(n * share) : b)
        const samples: Sample[] = d.needs.flatMap((n): Sample[] =>
          n.kind !== 'metric' || n.window.to > at
            ? []
            : m.noData
              ? [{ kind: 'noData', metric: n.metric, window: n.window, detail: 'x'.repeat(500) }]
              : [{ kind: 'counts', metric: n.metric, window: n.window, canary: { total: m.total, bad: bad(m.total, m.canaryBad) }, primary: { total: m.total, bad: bad(m.total, m.primaryBad) } }],
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
        if (size > max && process.env['STATE_SIZE_DUMP'] === 'full') console.log(JSON.stringify(encodeState(d.state)))
        max = Math.max(max, size)
      }
    }),
    { numRuns: runs },
  )
  return { steps, max }
}

/**
 * The cases and the bounds the README and docs/sequential.md state (bytes of JSON). 2 KB is the issue's
 * budget for four sequential metrics with 20-character names.
 */
const CASES: readonly { readonly names: Names; readonly domain: Domain; readonly bound: number; readonly runs: number }[] = [
  { names: TWENTY, domain: PRODUCTION, bound: 2048, runs: 300 },
  { names: TWENTY, domain: MILLION, bound: 2304, runs: 150 },
  { names: TWENTY, domain: SATURATING, bound: 2816, runs: 100 },
  { names: TYPICAL, domain: PRODUCTION, bound: 2304, runs: 100 },
  { names: TYPICAL, domain: SATURATING, bound: 2816, runs: 100 },
  { names: LONGEST, domain: MILLION, bound: 3072, runs: 100 },
  { names: LONGEST, domain: SATURATING, bound: 3328, runs: 100 },
]

describe('state size (issue 15 item 12, issue 12)', () => {
  it('names longer than 63 characters are refused at decode', () => {
    const r = decodeSpec({ strategy: { canary: { stepWeight: 10, maxWeight: 50 } }, analysis: { metrics: [{ name: 'x'.repeat(100_000), sequential: {} }] }, gates: [{ name: 'g'.repeat(64), type: 'rollout' }] })
    expect(E.isLeft(r) && r.left.map((e) => e.path)).toEqual(['analysis.metrics[0].name', 'gates[0].name'])
    expect(E.isLeft(r) && r.left[0]!.message.length).toBeLessThan(200)
  })

  const scale = Number(process.env['STATE_SIZE_RUNS'] ?? 1)
  for (const c of CASES) {
    it(`stays within ${c.bound} bytes: up to four sequential metrics, ${c.names.label}, ${c.domain.label}`, () => {
      const { max, steps } = largestState(c.names, c.domain, Math.max(1, Math.round(c.runs * scale)))
      if (process.env['STATE_SIZE_DUMP'] !== undefined) console.log(`${c.names.label}, ${c.domain.label}: ${steps} steps, largest state ${max} B`)
      expect(max).toBeLessThanOrEqual(c.bound)
    })
  }
})
