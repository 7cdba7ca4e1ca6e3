import { describe, expect, it } from 'vitest'
import type { AdapterContext, MetricNeed } from '../../src/driver/adapters.js'
import type { RolloutSpec } from '../../src/config/spec.js'
import type { RolloutState } from '../../src/engine/state.js'
import { counterIncrease, instantQuery, prometheusSource, type FetchLike } from '../../src/prometheus/index.js'

const spec = {
  analysis: {
    metrics: [
      { name: 'from-spec', windowMs: 60_000, sample: 'value', judge: { kind: 'threshold', min: 1 }, background: true, dryRun: false, query: 'spec_query{t="{{ target }}",d="{{ variables.dir }}"}', provider: { templateVariables: { dir: 'in' } } },
    ],
  },
} as unknown as RolloutSpec

const ctx = (signal: AbortSignal = new AbortController().signal): AdapterContext => ({
  spec,
  state: {} as RolloutState,
  now: 120_000,
  signal,
})

const window = { from: 60_000, to: 120_000 }
const need = (metric: string, sample: MetricNeed['sample'] = 'value'): MetricNeed => ({ kind: 'metric', metric, window, sample })

const json = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } })
const vector = (...values: string[]) => json({ status: 'success', data: { resultType: 'vector', result: values.map((v) => ({ metric: {}, value: [120, v] })) } })

/** A stub Prometheus: answers by looking the rendered query up in `table`; records every request. */
const stub = (table: Record<string, () => Response | Promise<Response>>) => {
  const calls: { url: string; query: string; time: string }[] = []
  const f: FetchLike = async (url, init) => {
    const params = new URLSearchParams(init.body)
    const query = params.get('query') ?? ''
    calls.push({ url, query, time: params.get('time') ?? '' })
    const h = table[query]
    if (h === undefined) return json({ status: 'error', errorType: 'bad_data', error: `no stub for ${query}` }, 400)
    return h()
  }
  return { f, calls }
}

describe('prometheusSource: value needs', () => {
  it('renders the template with the window as {{ interval }}, queries at the window end and answers a value sample', async () => {
    const { f, calls } = stub({ 'rate(x{app="podinfo"}[1m])': () => vector('99.5') })
    const src = prometheusSource({ address: 'http://prom:9090/', fetch: f, variables: { target: 'podinfo' }, queries: { sr: 'rate(x{app="{{ target }}"}[{{ interval }}])' } })
    const samples = await src.gather([need('sr')], ctx())
    expect(samples).toEqual([{ kind: 'value', metric: 'sr', window, value: 99.5 }])
    expect(calls).toEqual([{ url: 'http://prom:9090/api/v1/query', query: 'rate(x{app="podinfo"}[1m])', time: '120.000' }])
  })

  it("falls back to the spec metric's query and its provider template variables", async () => {
    const { f } = stub({ 'spec_query{t="podinfo",d="in"}': () => vector('3') })
    const src = prometheusSource({ address: 'http://prom', fetch: f, variables: { target: 'podinfo' } })
    expect(await src.gather([need('from-spec')], ctx())).toEqual([{ kind: 'value', metric: 'from-spec', window, value: 3 }])
  })

  it('NaN, empty results, Prometheus errors and missing queries are noData with a detail', async () => {
    const { f } = stub({ nan: () => vector('NaN'), empty: () => vector(), bad: () => json({ status: 'error', errorType: 'bad_data', error: 'parse error' }, 400) })
    const src = prometheusSource({ address: 'http://prom', fetch: f, queries: { a: 'nan', b: 'empty', c: 'bad', d: '{{ ingress }}' } })
    const samples = await src.gather([need('a'), need('b'), need('c'), need('d'), need('e')], ctx())
    expect(samples.map((s) => s.kind)).toEqual(['noData', 'noData', 'noData', 'noData', 'noData'])
    const details = samples.map((s) => (s.kind === 'noData' ? s.detail : ''))
    expect(details[0]).toContain('NaN')
    expect(details[1]).toContain('empty vector')
    expect(details[2]).toContain('Prometheus error (bad_data): parse error')
    expect(details[2]).toContain('HTTP 400')
    expect(details[3]).toContain("template variable 'ingress' is not set")
    expect(details[4]).toContain("no Prometheus query configured for metric 'e'")
  })

  it('infinite and negative values are noData (a value sample the engine refuses would void the whole observation)', async () => {
    const { f } = stub({ inf: () => vector('+Inf'), neg: () => vector('-0.5'), mixed: () => vector('1', '-Inf') })
    const src = prometheusSource({ address: 'http://prom', fetch: f, queries: { a: 'inf', b: 'neg', c: 'mixed' } })
    const samples = await src.gather([need('a'), need('b'), need('c')], ctx())
    expect(samples.map((s) => s.kind)).toEqual(['noData', 'noData', 'noData'])
    expect(samples.map((s) => (s.kind === 'noData' ? s.detail : ''))).toEqual([
      "query for 'a': value Infinity is not a finite, non-negative number (e.g. a division by zero)",
      "query for 'b': value -0.5 is not a finite, non-negative number (e.g. a division by zero)",
      "query for 'c': value -Infinity is not a finite, non-negative number (e.g. a division by zero)",
    ])
  })

  it('several series: a vector value, or noData naming the series count with series: single', async () => {
    const { f } = stub({ two: () => vector('1', '2') })
    const src = prometheusSource({ address: 'http://prom', fetch: f, queries: { v: 'two', s: { kind: 'value', query: 'two', series: 'single' } } })
    const [v, s] = await src.gather([need('v'), need('s')], ctx())
    expect(v).toEqual({ kind: 'value', metric: 'v', window, value: [1, 2] })
    expect(s?.kind === 'noData' && s.detail).toContain('expected one series, got 2')
  })

  it('a network failure and a non-JSON body are noData with clear messages', async () => {
    const down: FetchLike = async () => {
      throw new TypeError('fetch failed', { cause: { code: 'ECONNREFUSED' } })
    }
    const [s1] = await prometheusSource({ address: 'http://prom', fetch: down, queries: { a: 'up' } }).gather([need('a')], ctx())
    expect(s1?.kind === 'noData' && s1.detail).toMatch(/fetch failed \(ECONNREFUSED\)/)
    const html: FetchLike = async () => new Response('<html>bad gateway</html>', { status: 502 })
    const [s2] = await prometheusSource({ address: 'http://prom', fetch: html, queries: { a: 'up' } }).gather([need('a')], ctx())
    expect(s2?.kind === 'noData' && s2.detail).toMatch(/HTTP 502, body is not JSON/)
  })
})

describe('prometheusSource: timeouts and cancellation', () => {
  const hang: FetchLike = (_url, init) =>
    new Promise((_resolve, reject) => init.signal.addEventListener('abort', () => reject(init.signal.reason), { once: true }))

  it('a query that does not answer within timeoutMs is noData saying it timed out', async () => {
    const [s] = await prometheusSource({ address: 'http://prom', fetch: hang, timeoutMs: 20, queries: { a: 'up' } }).gather([need('a')], ctx())
    expect(s?.kind === 'noData' && s.detail).toContain('timed out after 20 ms')
  })

  it('an aborted context signal cancels the query', async () => {
    const ac = new AbortController()
    const p = prometheusSource({ address: 'http://prom', fetch: hang, timeoutMs: 60_000, queries: { a: 'up' } }).gather([need('a')], ctx(ac.signal))
    ac.abort()
    const [s] = await p
    expect(s?.kind === 'noData' && s.detail).toContain('was cancelled')
  })

  it('instantQuery never rejects', async () => {
    const r = await instantQuery({ address: 'http://prom', fetch: hang, timeoutMs: 10 }, 'up', 0)
    expect(r._tag).toBe('Left')
  })
})

describe('prometheusSource: counts needs', () => {
  const errors = {
    kind: 'counts' as const,
    total: counterIncrease('req_total{app="{{ target }}",arm="{{ arm }}"}'),
    bad: counterIncrease('req_total{app="{{ target }}",arm="{{ arm }}",code="500"}'),
  }
  const q = (arm: string, bad = false) => `sum(increase(req_total{app="podinfo",arm="${arm}"${bad ? ',code="500"' : ''}}[1m]))`

  it('runs a total and a bad counter query per arm and answers rounded, clamped counts', async () => {
    const { f, calls } = stub({
      [q('canary')]: () => vector('100.4'),
      [q('canary', true)]: () => vector('3.6'),
      [q('primary')]: () => vector('200'),
      [q('primary', true)]: () => vector('1'),
    })
    const src = prometheusSource({ address: 'http://prom', fetch: f, variables: { target: 'podinfo' }, queries: { errors } })
    expect(await src.gather([need('errors', 'counts')], ctx())).toEqual([
      { kind: 'counts', metric: 'errors', window, canary: { total: 100, bad: 4 }, primary: { total: 200, bad: 1 } },
    ])
    expect(calls).toHaveLength(4)
  })

  it('per-arm variables override the base variables; good counts give bad = total - good', async () => {
    const { f } = stub({
      'sum(increase(r{d="podinfo"}[1m]))': () => vector('50'),
      'sum(increase(ok{d="podinfo"}[1m]))': () => vector('49'),
      'sum(increase(r{d="podinfo-primary"}[1m]))': () => vector('10'),
      'sum(increase(ok{d="podinfo-primary"}[1m]))': () => vector('11'),
    })
    const src = prometheusSource({
      address: 'http://prom',
      fetch: f,
      variables: { target: 'ignored' },
      arms: { canary: { target: 'podinfo' }, primary: { target: 'podinfo-primary' } },
      queries: { sr: { kind: 'counts', total: counterIncrease('r{d="{{ target }}"}'), good: counterIncrease('ok{d="{{ target }}"}') } },
    })
    expect(await src.gather([need('sr', 'counts')], ctx())).toEqual([
      { kind: 'counts', metric: 'sr', window, canary: { total: 50, bad: 1 }, primary: { total: 10, bad: 0 } },
    ])
  })

  it('an empty total is noData; an empty bad is noData unless missingBadIsZero', async () => {
    const table = {
      [q('canary')]: () => vector('10'),
      [q('canary', true)]: () => vector(),
      [q('primary')]: () => vector('10'),
      [q('primary', true)]: () => vector('0'),
    }
    const { f } = stub(table)
    const strict = prometheusSource({ address: 'http://prom', fetch: f, variables: { target: 'podinfo' }, queries: { errors } })
    const [s] = await strict.gather([need('errors', 'counts')], ctx())
    expect(s?.kind === 'noData' && s.detail).toContain('no data for the canary bad count')
    const lenient = prometheusSource({ address: 'http://prom', fetch: f, variables: { target: 'podinfo' }, queries: { errors: { ...errors, missingBadIsZero: true } } })
    expect((await lenient.gather([need('errors', 'counts')], ctx()))[0]).toMatchObject({ kind: 'counts', canary: { total: 10, bad: 0 } })
    const { f: f2 } = stub({ ...table, [q('canary', true)]: () => vector('1'), [q('primary')]: () => vector() })
    const [s2] = await prometheusSource({ address: 'http://prom', fetch: f2, variables: { target: 'podinfo' }, queries: { errors } }).gather([need('errors', 'counts')], ctx())
    expect(s2?.kind === 'noData' && s2.detail).toContain('no data for the primary total')
  })

  it('latency exceedance: one bucket query per arm, bad = requests above the boundary', async () => {
    const buckets = (...pairs: [string, string][]) =>
      json({ status: 'success', data: { resultType: 'vector', result: pairs.map(([le, v]) => ({ metric: { le }, value: [120, v] })) } })
    const { f, calls } = stub({
      'sum by (le) (increase(lat_bucket{arm="canary"}[1m]))': () => buckets(['+Inf', '100'], ['0.1', '80'], ['0.25', '90.4']),
      // increase() extrapolation can make a higher bucket slightly smaller: read as non-decreasing
      'sum by (le) (increase(lat_bucket{arm="primary"}[1m]))': () => buckets(['0.1', '99.2'], ['0.25', '99.1'], ['+Inf', '100']),
    })
    const src = prometheusSource({ address: 'http://prom', fetch: f, queries: { slow: { kind: 'latency', histogram: 'lat', matchers: 'arm="{{ arm }}"', le: '0.250' } } })
    expect(await src.gather([need('slow', 'counts')], ctx())).toEqual([
      { kind: 'counts', metric: 'slow', window, canary: { total: 100, bad: 10 }, primary: { total: 100, bad: 1 } },
    ])
    expect(calls).toHaveLength(2)
  })

  it('latency: a boundary that is not a bucket bound, or an empty histogram, is noData', async () => {
    const buckets = json({ status: 'success', data: { resultType: 'vector', result: [{ metric: { le: '0.1' }, value: [1, '5'] }, { metric: { le: '+Inf' }, value: [1, '6'] }] } })
    const { f } = stub({
      'sum by (le) (increase(lat_bucket{arm="canary"}[1m]))': () => buckets.clone(),
      'sum by (le) (increase(lat_bucket{arm="primary"}[1m]))': () => buckets.clone(),
      'sum by (le) (increase(none_bucket{arm="canary"}[1m]))': () => vector(),
      'sum by (le) (increase(none_bucket{arm="primary"}[1m]))': () => vector(),
    })
    const src = prometheusSource({
      address: 'http://prom',
      fetch: f,
      queries: {
        slow: { kind: 'latency', histogram: 'lat', matchers: 'arm="{{ arm }}"', le: 0.3 },
        none: { kind: 'latency', histogram: 'none', matchers: 'arm="{{ arm }}"', le: 0.1 },
      },
    })
    const [a, b] = await src.gather([need('slow', 'counts'), need('none', 'counts')], ctx())
    expect(a?.kind === 'noData' && a.detail).toContain('no bucket with le = 0.3')
    expect(b?.kind === 'noData' && b.detail).toContain('no data for the canary histogram')
  })

  it('a need whose sample kind does not fit the query is noData naming both', async () => {
    const src = prometheusSource({ address: 'http://prom', fetch: stub({}).f, queries: { sr: 'x', errors } })
    const [a, b] = await src.gather([need('sr', 'counts'), need('errors', 'value')], ctx())
    expect(a?.kind === 'noData' && a.detail).toContain('needs a counts sample')
    expect(b?.kind === 'noData' && b.detail).toContain('needs a value sample')
  })
})

describe('prometheusSource: points needs', () => {
  it('flattens a matrix per arm', async () => {
    const matrix = (...vals: string[]) => json({ status: 'success', data: { resultType: 'matrix', result: [{ metric: {}, values: vals.map((v, i) => [i, v]) }] } })
    const { f } = stub({ 'lat{arm="canary"}[1m:15s]': () => matrix('1', '2'), 'lat{arm="primary"}[1m:15s]': () => matrix('3') })
    const src = prometheusSource({ address: 'http://prom', fetch: f, queries: { lat: { kind: 'points', query: 'lat{arm="{{ arm }}"}[{{ interval }}:15s]' } } })
    expect(await src.gather([need('lat', 'points')], ctx())).toEqual([{ kind: 'points', metric: 'lat', window, canary: [1, 2], primary: [3] }])
  })

  it('keeps NaN points for the judge (nanStrategy) but answers noData for an infinite point', async () => {
    const matrix = (...vals: string[]) => json({ status: 'success', data: { resultType: 'matrix', result: [{ metric: {}, values: vals.map((v, i) => [i, v]) }] } })
    const { f } = stub({ 'c[1m:15s]': () => matrix('1', 'NaN'), 'p[1m:15s]': () => matrix('3'), 'i[1m:15s]': () => matrix('2', '+Inf') })
    const src = (canary: string) =>
      prometheusSource({ address: 'http://prom', fetch: f, queries: { lat: { kind: 'points', query: '{{ target }}[{{ interval }}:15s]', arms: { canary: { target: canary }, primary: { target: 'p' } } } } })
    const [ok] = await src('c').gather([need('lat', 'points')], ctx())
    expect(ok).toMatchObject({ kind: 'points', canary: [1, Number.NaN], primary: [3] })
    const [inf] = await src('i').gather([need('lat', 'points')], ctx())
    expect(inf).toMatchObject({ kind: 'noData', detail: "infinite point in the canary of 'lat'" })
  })
})
