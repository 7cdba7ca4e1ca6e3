/**
 * Issue 15 items 5-8 with stub servers (fast; the loopback server versions are in test/integration):
 * every series counts, options are validated up front, the body is capped (decompressed bytes), one
 * deadline covers everything, parsing is linear, counts above 2^53 are no data.
 */
import { describe, expect, it } from 'vitest'
import type { AdapterContext, MetricNeed } from '../../src/driver/adapters.js'
import type { RolloutSpec } from '../../src/config/spec.js'
import type { RolloutState } from '../../src/engine/state.js'
import { judgeThreshold } from '../../src/analysis/threshold.js'
import { checkClientOptions, instantQuery, parsePromNumber, prometheusSource, type FetchLike } from '../../src/prometheus/index.js'

const spec = { analysis: { metrics: [] } } as unknown as RolloutSpec
const ctx: AdapterContext = { spec, state: {} as RolloutState, now: 120_000, signal: new AbortController().signal }
const window = { from: 60_000, to: 120_000 }
const need = (metric: string, sample: MetricNeed['sample'] = 'value'): MetricNeed => ({ kind: 'metric', metric, window, sample })
const json = (body: unknown) => new Response(JSON.stringify(body), { status: 200, headers: { 'content-type': 'application/json' } })
const vector = (...values: string[]) => json({ status: 'success', data: { resultType: 'vector', result: values.map((v, i) => ({ metric: { pod: `p${i}` }, value: [120, v] })) } })
const answer = (r: () => Response | Promise<Response>): FetchLike => async () => r()

describe('every series counts (item 5)', () => {
  it('a failing second series fails the threshold, naming the worst value', () => {
    const j = judgeThreshold('sr', { kind: 'threshold', min: 99 }, { kind: 'value', metric: 'sr', window, value: [100, 50] })
    expect(j.verdict).toBe('fail')
    expect(j.reason).toMatchObject({ observed: 50, bound: 99, message: 'sr 50 (lowest of 2 series) < min 99' })
    const hi = judgeThreshold('lat', { kind: 'threshold', max: 500 }, { kind: 'value', metric: 'lat', window, value: [100, 900, 200] })
    expect(hi.reason).toMatchObject({ observed: 900, message: 'lat 900 (highest of 3 series) > max 500' })
    expect(judgeThreshold('sr', { kind: 'threshold', min: 99 }, { kind: 'value', metric: 'sr', window, value: [100, 99.5] }).verdict).toBe('pass')
  })

  it('through prometheusSource: both series arrive', async () => {
    const src = prometheusSource({ address: 'http://prom', fetch: answer(() => vector('100', '50')), queries: { sr: 'q' } })
    expect(await src.gather([need('sr')], ctx)).toEqual([{ kind: 'value', metric: 'sr', window, value: [100, 50] }])
  })
})

describe('options validated up front (item 8)', () => {
  const bad: [string, unknown][] = [
    ['timeoutMs', Infinity],
    ['timeoutMs', Number.NaN],
    ['timeoutMs', -1],
    ['timeoutMs', 2 ** 53],
    ['timeoutMs', 0],
    ['timeoutMs', 1.5],
    ['timeoutMs', '1000'],
    ['maxBodyBytes', -1],
    ['maxBodyBytes', Infinity],
    ['address', 'prom:9090'],
  ]
  it.each(bad)('%s = %s: instantQuery resolves to a Left naming the option', async (key, value) => {
    const r = await instantQuery({ address: 'http://prom', fetch: answer(() => vector('1')), [key]: value } as never, 'up', 0)
    expect(r._tag).toBe('Left')
    if (r._tag === 'Left') expect(r.left.message).toContain(`invalid Prometheus client options: ${key}:`)
  })

  it('prometheusSource: every need is noData with the option problem', async () => {
    const src = prometheusSource({ address: 'http://prom', timeoutMs: Infinity, fetch: answer(() => vector('1')), queries: { sr: 'q' } })
    const [s] = await src.gather([need('sr')], ctx)
    expect(s).toMatchObject({ kind: 'noData', detail: expect.stringContaining('timeoutMs: expected a whole number of milliseconds from 1 to 2147483647, got Infinity') })
  })

  it('good options pass', () => {
    expect(checkClientOptions({ address: 'https://p:9090/prefix', timeoutMs: 2_147_483_647, maxBodyBytes: 1 })).toBeNull()
  })

  it('counts above 2^53 are noData with a detail, never an invalid sample', async () => {
    const src = prometheusSource({ address: 'http://prom', fetch: answer(() => vector('1e20')), queries: { e: { kind: 'counts', total: 't', bad: 'b' } } })
    const [s] = await src.gather([need('e', 'counts')], ctx)
    expect(s).toMatchObject({ kind: 'noData', detail: expect.stringContaining('above 2^53') })
  })
})

describe('bounded body, one deadline, linear parsing (items 6 and 7)', () => {
  it('abandons a body past maxBodyBytes without reading the rest', async () => {
    let pulled = 0
    const endless = new ReadableStream<Uint8Array>({
      pull(c) {
        pulled++
        c.enqueue(new Uint8Array(64 * 1024).fill(0x20))
      },
    })
    const r = await instantQuery({ address: 'http://prom', maxBodyBytes: 1024 * 1024, fetch: answer(() => new Response(endless)) }, 'up', 0)
    expect(r._tag === 'Left' && r.left.message).toContain('response body larger than 1048576 bytes (maxBodyBytes)')
    expect(pulled).toBeLessThan(40)
  })

  it('times out a fetch that ignores its signal', async () => {
    const never: FetchLike = () => new Promise(() => undefined)
    const r = await instantQuery({ address: 'http://prom', timeoutMs: 20, fetch: never }, 'up', 0)
    expect(r._tag === 'Left' && r.left.message).toContain('timed out after 20 ms')
  })

  it('times out a body that never ends (the deadline covers reading)', async () => {
    const stalled = new ReadableStream<Uint8Array>({ start(c) { c.enqueue(new TextEncoder().encode('{"status":')) } })
    const r = await instantQuery({ address: 'http://prom', timeoutMs: 20, fetch: answer(() => new Response(stalled)) }, 'up', 0)
    expect(r._tag === 'Left' && r.left.message).toContain('timed out after 20 ms')
  })

  it('parses long numbers in linear time', () => {
    // quadratic before: a 100 KB value took 12 s; 1 MB would take about 20 minutes
    const digits = '1'.repeat(1_000_000)
    expect(parsePromNumber(`${digits}x`)).toBeUndefined()
    expect(parsePromNumber(`${digits}.5e-999999`)).toBeCloseTo(1.1111, 3)
    expect(parsePromNumber('1.5e3')).toBe(1500)
    expect(parsePromNumber('.5')).toBe(0.5)
    expect(parsePromNumber('5.')).toBe(5)
    expect(parsePromNumber('1e')).toBeUndefined()
  })
})
