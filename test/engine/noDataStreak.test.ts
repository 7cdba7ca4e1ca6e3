import { describe, expect, it } from 'vitest'
import * as E from 'fp-ts/lib/Either.js'
import { decodeSpec, decodeState, initialState, step, type Decision, type RolloutState } from '../../src/index.js'
import { STATE_KEYS } from '../../src/engine/state.js'

// errors <= 0.05 passes, > 0.5 fails, in between is inconclusive (docs/semantics.md)
const spec = (() => {
  const r = decodeSpec({
    strategy: { canary: { steps: [{ setWeight: 20 }, { analysis: { intervals: 5 } }, { setWeight: 50 }] } },
    analysis: { interval: '1m', noDataLimit: 3, metrics: [{ name: 'errors', successCondition: 'result <= 0.05', failureCondition: 'result > 0.5' }] },
  })
  if (E.isLeft(r)) throw new Error(JSON.stringify(r.left))
  return r.right
})()

type Answer = 'noData' | 'inconclusive' | 'pass'
const VALUES = { inconclusive: 0.2, pass: 0.01 } as const

/** The first call (the canary at 20%), then one analysis tick per answer. */
const run = (answers: readonly Answer[], from: RolloutState = initialState(spec, 0, { stable: 'v1' })): Decision[] => {
  const out: Decision[] = [step(spec, from, { at: 0, revision: 'v2', ready: { canary: true } })]
  for (const a of answers) {
    const d = out[out.length - 1]!
    const at = d.wakeAt!
    const samples = d.needs.flatMap((n) =>
      n.kind === 'metric' && n.window.to <= at
        ? [a === 'noData' ? { kind: 'noData' as const, metric: n.metric, window: n.window } : { kind: 'value' as const, metric: n.metric, window: n.window, value: VALUES[a] }]
        : [],
    )
    out.push(step(spec, d.state, { at, ready: { canary: true }, samples }))
  }
  return out
}

const last = (ds: readonly Decision[]): Decision => ds[ds.length - 1]!
/** The decision's last reason with `code` (a judged sample gives its own reason first, with the same code). */
const reason = (d: Decision, code: string) => [...d.reasons].reverse().find((r) => r.code === code)

describe('noDataLimit over a streak of ticks without data and inconclusive ones (the reason says which)', () => {
  it('only ticks without data: the rollback says so, with both counts in the details', () => {
    const d = last(run(['noData', 'noData', 'noData']))
    expect(d.action.type).toBe('rollback')
    const r = reason(d, 'noDataLimit')!
    expect(r.message).toBe('3 analysis ticks in a row without data reached noDataLimit 3')
    expect(r.details).toEqual({ noDataTicks: 3, inconclusiveTicks: 0, noDataLimit: 3 })
    expect(d.state.lastFailure?.message).toBe(r.message)
    expect(d.events.find((e) => e.type === 'noData')?.message).toBe('no usable data for the analysis (3/3): errors: noData')
  })

  it('mixed, reached on a tick without data: rollback, the reason counts each kind', () => {
    const ds = run(['noData', 'inconclusive', 'noData'])
    const d = last(ds)
    expect(d.action.type).toBe('rollback')
    const r = reason(d, 'noDataLimit')!
    expect(r.message).toBe('3 analysis ticks in a row without a decision (2 without data, 1 inconclusive) reached noDataLimit 3')
    expect(r.details).toEqual({ noDataTicks: 2, inconclusiveTicks: 1, noDataLimit: 3 })
    // the hold on the way says the same split
    expect(reason(ds[2]!, 'metricInconclusive')!.message).toContain('2/3 ticks without a decision: 1 without data, 1 inconclusive')
    expect(reason(ds[2]!, 'metricInconclusive')!.details).toEqual({ noDataTicks: 1, inconclusiveTicks: 1, noDataLimit: 3 })
  })

  it('mixed, reached on an inconclusive tick: pause, the reason counts each kind', () => {
    const ds = run(['inconclusive', 'noData', 'inconclusive'])
    const d = last(ds)
    expect(d.state.phase).toBe('paused')
    const r = reason(d, 'metricInconclusive')!
    expect(r.message).toBe(
      '3 analysis ticks in a row without a decision (1 without data, 2 inconclusive) reached noDataLimit 3, the last inconclusive (errors: inconclusive): paused until promoted or aborted',
    )
    expect(r.details).toEqual({ noDataTicks: 1, inconclusiveTicks: 2, noDataLimit: 3 })
    expect(reason(ds[2]!, 'noData')!.message).toContain('2/3 ticks without a decision: 1 without data, 1 inconclusive')
    expect(ds[2]!.events.find((e) => e.type === 'noData')?.message).toBe('no usable data for the analysis (2/3 ticks without a decision: 1 without data, 1 inconclusive): errors: noData')
    // the pause starts the count again
    expect(d.state.noDataTicks).toBe(0)
    expect(d.state.inconclusiveTicks).toBe(0)
  })

  it('only inconclusive ticks: the pause says so', () => {
    const d = last(run(['inconclusive', 'inconclusive', 'inconclusive']))
    const r = reason(d, 'metricInconclusive')!
    expect(r.message).toBe('3 analysis ticks in a row inconclusive reached noDataLimit 3 (errors: inconclusive): paused until promoted or aborted')
    expect(r.details).toEqual({ noDataTicks: 0, inconclusiveTicks: 3, noDataLimit: 3 })
  })

  it('a pass starts both counts again', () => {
    const ds = run(['noData', 'inconclusive', 'pass'])
    expect(last(ds).state.noDataTicks).toBe(0)
    expect(last(ds).state.inconclusiveTicks).toBe(0)
    expect(ds[2]!.state.noDataTicks).toBe(1)
    expect(ds[2]!.state.inconclusiveTicks).toBe(1)
  })
})

describe('a state written before the inconclusive count existed', () => {
  /** The state after one tick without data, as the previous release wrote it (no `inconclusiveTicks`). */
  const older = (): Record<string, unknown> => {
    const s = { ...run(['noData'])[1]!.state } as Record<string, unknown>
    delete s['inconclusiveTicks']
    return JSON.parse(JSON.stringify(s)) as Record<string, unknown>
  }

  it('decodes, with no inconclusive tick counted, its keys in the usual order', () => {
    const r = decodeState(older())
    if (E.isLeft(r)) throw new Error(JSON.stringify(r.left))
    expect(r.right.noDataTicks).toBe(1)
    expect(r.right.inconclusiveTicks).toBe(0)
    expect(Object.keys(r.right)).toEqual([...STATE_KEYS])
  })

  it('step reads it as it is: the count goes on from there', () => {
    const s = older() as unknown as RolloutState
    const ds = run(['noData', 'noData'], s).slice(1)
    // the first call of run() restarts nothing: v2 is already the revision
    expect(ds[0]!.state.noDataTicks).toBe(2)
    expect(ds[0]!.state.inconclusiveTicks).toBe(0)
    expect(Object.keys(ds[0]!.state)).toEqual([...STATE_KEYS])
    expect(reason(ds[1]!, 'noDataLimit')!.message).toBe('3 analysis ticks in a row without data reached noDataLimit 3')
  })

  it('a count that is not a whole number >= 0 is refused with its path', () => {
    const r = decodeState({ ...older(), inconclusiveTicks: -1 })
    expect(E.isLeft(r) && r.left.some((e) => e.path === 'inconclusiveTicks')).toBe(true)
  })
})
