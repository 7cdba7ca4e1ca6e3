import { describe, expect, it } from 'vitest'
import type { Adapters, AdapterContext, MetricsSource } from '../../src/driver/index.js'
import { fakeClock, gatherNeeds, memoryWorkloads, type DriveEvent } from '../../src/driver/index.js'
import type { Need } from '../../src/engine/decision.js'
import type { RolloutState } from '../../src/engine/state.js'
import { specOf } from './helpers.js'

const spec = specOf({
  strategy: { canary: { stepWeight: 20, maxWeight: 60 } },
  analysis: { interval: '1m', threshold: 2, metrics: [{ name: 'sr', thresholdRange: { min: 99 } }, { name: 'lat', thresholdRange: { max: 500 } }] },
  gates: [{ name: 'approve', type: 'confirm-promotion', timeout: '10s' }],
})
const w = { from: 0, to: 60_000 }
const needs: Need[] = [
  { kind: 'metric', metric: 'sr', window: w, sample: 'value' },
  { kind: 'metric', metric: 'lat', window: w, sample: 'value' },
  { kind: 'gate', gate: 'approve', type: 'confirm-promotion' },
  { kind: 'readiness' },
]

const setup = (over: Partial<Adapters>) => {
  const clock = fakeClock(60_000)
  const adapters: Adapters = {
    metrics: { gather: async (ns) => ns.map((n) => ({ kind: 'value', metric: n.metric, window: n.window, value: 100 })) },
    router: { apply: async () => undefined },
    workloads: memoryWorkloads(),
    clock,
    gates: { run: async () => 'approve' },
    ...over,
  }
  const ctx: AdapterContext = { spec, state: {} as RolloutState, now: clock.now(), signal: new AbortController().signal }
  const events: DriveEvent[] = []
  return { adapters, ctx, events, report: (e: DriveEvent) => events.push(e), clock }
}

describe('gatherNeeds', () => {
  it('answers metric, gate and readiness needs from the adapters', async () => {
    const { adapters, ctx, report } = setup({})
    expect(await gatherNeeds(adapters, needs, ctx, 1000, report)).toEqual({
      samples: [
        { kind: 'value', metric: 'sr', window: w, value: 100 },
        { kind: 'value', metric: 'lat', window: w, value: 100 },
      ],
      gates: { approve: 'approve' },
      ready: { canary: true, primary: true },
    })
  })

  it('a metrics source that throws gives noData for every needed metric, with the error text', async () => {
    const { adapters, ctx, report, events } = setup({ metrics: { gather: async () => Promise.reject(new Error('prometheus down')) } })
    const g = await gatherNeeds(adapters, needs, ctx, 1000, report)
    expect(g.samples).toEqual([
      { kind: 'noData', metric: 'sr', window: w, detail: 'metrics source failed: prometheus down' },
      { kind: 'noData', metric: 'lat', window: w, detail: 'metrics source failed: prometheus down' },
    ])
    expect(events).toContainEqual({ type: 'metricsFailed', error: 'prometheus down', metrics: ['sr', 'lat'] })
  })

  it('a metrics source that hangs times out (virtual clock) into noData', async () => {
    const hang: MetricsSource = { gather: () => new Promise(() => undefined) }
    const { adapters, ctx, report, clock } = setup({ metrics: hang })
    const g = await gatherNeeds(adapters, needs.slice(0, 1), ctx, 30_000, report)
    expect(g.samples[0]).toMatchObject({ kind: 'noData', detail: 'metrics source failed: metrics source timed out after 30000 ms' })
    expect(clock.now()).toBe(90_000)
  })

  it('needs the source did not answer are filled with noData', async () => {
    const { adapters, ctx, report } = setup({ metrics: { gather: async () => [{ kind: 'value', metric: 'sr', window: w, value: 99.5 }] } })
    const g = await gatherNeeds(adapters, needs, ctx, 1000, report)
    expect(g.samples[1]).toEqual({ kind: 'noData', metric: 'lat', window: w, detail: 'the metrics source returned no sample for this window' })
  })

  it('samples the engine could not use become noData (the engine would otherwise refuse every observation and hold forever)', async () => {
    const { adapters, ctx, report, events } = setup({
      metrics: {
        gather: async () => [
          { kind: 'value', metric: 'sr', window: w, value: Number.NaN },
          { kind: 'counts', metric: 'lat', window: w, canary: { total: 1, bad: 0 }, primary: { total: 1, bad: 0 } },
        ],
      },
    })
    const g = await gatherNeeds(adapters, needs, ctx, 1000, report)
    expect(g.samples).toEqual([
      { kind: 'noData', metric: 'sr', window: w, detail: expect.stringMatching(/^unusable sample from the metrics source: value: expected a finite/) },
      { kind: 'noData', metric: 'lat', window: w, detail: expect.stringMatching(/^unusable sample from the metrics source: metric "lat" takes value samples/) },
    ])
    expect(events).toContainEqual({ type: 'metricsFailed', error: expect.stringContaining('sr: value: expected a finite'), metrics: ['sr', 'lat'] })
  })

  it('null entries, samples for metrics or windows not asked for and duplicates are dropped; the needs get one sample each', async () => {
    const { adapters, ctx, report, events } = setup({
      metrics: {
        gather: async () =>
          [
            null,
            'x',
            { kind: 'value', metric: 'other', window: w, value: 1 },
            { kind: 'value', metric: 'sr', window: { from: 0, to: 30_000 }, value: 1 },
            { kind: 'value', metric: 'sr', window: w, value: 99.5 },
            { kind: 'value', metric: 'sr', window: w, value: 50 },
          ] as never,
      },
    })
    const g = await gatherNeeds(adapters, needs, ctx, 1000, report)
    expect(g.samples).toEqual([
      { kind: 'value', metric: 'sr', window: w, value: 99.5 },
      { kind: 'noData', metric: 'lat', window: w, detail: 'the metrics source returned no sample for this window' },
    ])
    expect(events).toContainEqual({ type: 'metricsFailed', error: '4 samples for metrics or windows that were not asked for (dropped)', metrics: ['sr', 'lat'] })
  })

  it('a failing gate, a gate with a bad answer and a missing Gates adapter are deny', async () => {
    const a = setup({ gates: { run: async () => Promise.reject(new Error('webhook 500')) } })
    expect((await gatherNeeds(a.adapters, needs, a.ctx, 1000, a.report)).gates).toEqual({ approve: 'deny' })
    expect(a.events).toContainEqual({ type: 'gateFailed', gate: 'approve', error: 'webhook 500' })
    const b = setup({ gates: { run: async () => 'yes' as never } })
    expect((await gatherNeeds(b.adapters, needs, b.ctx, 1000, b.report)).gates).toEqual({ approve: 'deny' })
    const c = setup({ gates: undefined })
    expect((await gatherNeeds(c.adapters, needs, c.ctx, 1000, c.report)).gates).toEqual({ approve: 'deny' })
  })

  it("a gate's own timeout from the spec bounds it", async () => {
    const a = setup({ gates: { run: () => new Promise(() => undefined) } })
    const g = await gatherNeeds(a.adapters, [needs[2] as Need], a.ctx, 60_000, a.report)
    expect(g.gates).toEqual({ approve: 'deny' })
    expect(a.events).toContainEqual({ type: 'gateFailed', gate: 'approve', error: 'gate approve timed out after 10000 ms' })
  })

  it('a failing readiness probe leaves readiness unknown and is reported', async () => {
    const a = setup({ workloads: { ...memoryWorkloads(), readiness: async () => Promise.reject(new Error('api server down')) } })
    const g = await gatherNeeds(a.adapters, needs, a.ctx, 1000, a.report)
    expect(g.ready).toBeUndefined()
    expect(a.events).toContainEqual({ type: 'readinessFailed', error: 'api server down' })
  })

  it("passes the experiment's readiness on, and only booleans", async () => {
    const ok = setup({ workloads: { ...memoryWorkloads(), readiness: async () => ({ canary: true, experiment: true }) } })
    expect((await gatherNeeds(ok.adapters, needs, ok.ctx, 1000, ok.report)).ready).toEqual({ canary: true, experiment: true })
    const odd = setup({ workloads: { ...memoryWorkloads(), readiness: async () => ({ experiment: 'yes' }) as never } })
    expect((await gatherNeeds(odd.adapters, needs, odd.ctx, 1000, odd.report)).ready).toEqual({})
  })

  it('gathers nothing that was not asked for', async () => {
    const { adapters, ctx, report } = setup({
      metrics: { gather: async () => Promise.reject(new Error('should not be called')) },
    })
    expect(await gatherNeeds(adapters, [], ctx, 1000, report)).toEqual({ samples: [], gates: {} })
  })
})
