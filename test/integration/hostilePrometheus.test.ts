/**
 * Issue 15 items 5-8 against a hostile Prometheus on loopback (a node:http server on 127.0.0.1, no real
 * Prometheus needed): slow to answer, slow to send, huge, a gzip bomb, long numbers, many series. Every
 * case is bounded in time (the client's deadline, the test's timeout) and in memory (the heap growth is
 * measured per case and must stay far below the body the server offers).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createServer, type Server, type ServerResponse } from 'node:http'
import { gzipSync } from 'node:zlib'
import type { AddressInfo } from 'node:net'
import { instantQuery, prometheusSource } from '../../src/prometheus/index.js'
import type { AdapterContext } from '../../src/driver/adapters.js'
import type { RolloutSpec } from '../../src/config/spec.js'
import type { RolloutState } from '../../src/engine/state.js'

const MB = 1024 * 1024
type Handler = (res: ServerResponse) => void
const ok = (result: unknown) => JSON.stringify({ status: 'success', data: { resultType: 'vector', result } })

// 1 MB of gzip that expands to 1 GB (built once, lazily: 1 GB of zeros compresses about 1000:1)
let bomb: Buffer | undefined
const gzipBomb = (): Buffer => {
  if (bomb === undefined) {
    const chunk = Buffer.alloc(64 * MB, 0x20)
    const parts: Buffer[] = []
    // 16 x 64 MB = 1 GB of spaces, compressed chunk by chunk (concatenated gzip members are valid gzip)
    const one = gzipSync(chunk, { level: 9 })
    for (let i = 0; i < 16; i++) parts.push(one)
    bomb = Buffer.concat(parts)
  }
  return bomb
}

const handlers: Record<string, Handler> = {
  // never answers
  '/dead/api/v1/query': () => undefined,
  // headers at once, then one byte a second (slowloris body)
  '/drip/api/v1/query': (res) => {
    res.writeHead(200, { 'content-type': 'application/json' })
    const t = setInterval(() => res.write(' '), 1000)
    res.on('close', () => clearInterval(t))
  },
  // 200 MB of valid JSON padding, streamed
  '/huge/api/v1/query': (res) => {
    res.writeHead(200, { 'content-type': 'application/json' })
    const chunk = Buffer.alloc(MB, 0x20)
    let sent = 0
    const pump = (): void => {
      while (sent < 200 && res.write(chunk)) sent++
      if (sent >= 200) res.end(ok([]))
      else res.once('drain', pump)
    }
    res.on('close', () => (sent = 1e9))
    pump()
  },
  '/bomb/api/v1/query': (res) => {
    res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip' })
    res.end(gzipBomb())
  },
  // a sample value of 1 MB of digits (quadratic parsing took 12 s for 100 KB)
  '/long/api/v1/query': (res) => {
    res.writeHead(200, { 'content-type': 'application/json' })
    res.end(ok([{ metric: {}, value: [120, `${'9'.repeat(MB)}x`] }]))
  },
  // 100,000 series, the last one failing
  '/many/api/v1/query': (res) => {
    res.writeHead(200, { 'content-type': 'application/json' })
    res.end(ok(Array.from({ length: 100_000 }, (_, i) => ({ metric: { pod: `p${i}` }, value: [120, i === 99_999 ? '50' : '100'] }))))
  },
  // a count above 2^53
  '/bigcount/api/v1/query': (res) => {
    res.writeHead(200, { 'content-type': 'application/json' })
    res.end(ok([{ metric: {}, value: [120, '1e20'] }]))
  },
}

let server: Server
let base = ''
beforeAll(async () => {
  server = createServer((req, res) => {
    req.resume()
    const h = handlers[req.url ?? '']
    if (h === undefined) {
      res.writeHead(404)
      res.end()
    } else h(res)
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()))
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
})
afterAll(async () => {
  server.closeAllConnections()
  await new Promise<void>((r) => server.close(() => r()))
})

/** Runs `f`, sampling the process' RSS every 20 ms; returns the result, the time and the peak RSS growth. */
const measured = async <A>(f: () => Promise<A>): Promise<{ result: A; ms: number; peakMB: number }> => {
  globalThis.gc?.()
  const before = process.memoryUsage().rss
  let peak = before
  const t = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20)
  const start = performance.now()
  try {
    const result = await f()
    peak = Math.max(peak, process.memoryUsage().rss)
    return { result, ms: performance.now() - start, peakMB: (peak - before) / MB }
  } finally {
    clearInterval(t)
  }
}

const report: string[] = []
afterAll(() => console.log(`hostile Prometheus on loopback:\n${report.join('\n')}`))

const query = async (path: string, extra: { timeoutMs?: number; maxBodyBytes?: number } = {}) => {
  const m = await measured(() => instantQuery({ address: `${base}/${path}`, timeoutMs: 2000, ...extra }, 'up', 120_000))
  report.push(`  ${path}: ${m.ms.toFixed(0)} ms, peak RSS +${m.peakMB.toFixed(0)} MB: ${m.result._tag === 'Left' ? m.result.left.message.replace(base, '').slice(0, 200) : 'Right'}`)
  return m
}

describe('a hostile Prometheus on loopback (issue 15 items 5-8)', () => {
  it('a server that never answers times out at the deadline', async () => {
    const m = await query('dead', { timeoutMs: 500 })
    expect(m.result._tag === 'Left' && m.result.left.message).toContain('timed out after 500 ms')
    expect(m.ms).toBeLessThan(5_000)
  })

  it('a body that drips one byte a second times out at the deadline', async () => {
    const m = await query('drip', { timeoutMs: 1500 })
    expect(m.result._tag === 'Left' && m.result.left.message).toContain('timed out after 1500 ms')
    expect(m.ms).toBeLessThan(6_000)
  })

  it('a 200 MB body stops at maxBodyBytes, memory bounded', async () => {
    const m = await query('huge', { maxBodyBytes: 16 * MB, timeoutMs: 20_000 })
    expect(m.result._tag === 'Left' && m.result.left.message).toContain('response body larger than 16777216 bytes')
    expect(m.peakMB).toBeLessThan(150)
  })

  it('a 1 MB gzip that expands to 1 GB stops at maxBodyBytes, memory bounded', async () => {
    gzipBomb()
    const m = await query('bomb', { maxBodyBytes: 16 * MB, timeoutMs: 20_000 })
    expect(m.result._tag === 'Left' && m.result.left.message).toContain('response body larger than 16777216 bytes')
    expect(m.peakMB).toBeLessThan(150)
  })

  it('a 1 MB number is refused at once (linear parsing)', async () => {
    const m = await query('long', { timeoutMs: 5_000 })
    expect(m.result._tag === 'Left' && m.result.left.message).toContain('is not a number')
  })

  it('100,000 series: the one failing series fails the check', async () => {
    const spec = { analysis: { metrics: [] } } as unknown as RolloutSpec
    const ctx: AdapterContext = { spec, state: {} as RolloutState, now: 120_000, signal: new AbortController().signal }
    const src = prometheusSource({ address: `${base}/many`, timeoutMs: 10_000, queries: { sr: 'q' } })
    const m = await measured(() => src.gather([{ kind: 'metric', metric: 'sr', window: { from: 60_000, to: 120_000 }, sample: 'value' }], ctx))
    report.push(`  many: ${m.ms.toFixed(0)} ms, peak RSS +${m.peakMB.toFixed(0)} MB`)
    const [s] = m.result
    expect(s?.kind).toBe('value')
    const values = s?.kind === 'value' ? s.value : []
    expect(Array.isArray(values) && values.length).toBe(100_000)
    const { judgeThreshold } = await import('../../src/analysis/threshold.js')
    expect(judgeThreshold('sr', { kind: 'threshold', min: 99 }, s!).verdict).toBe('fail')
  })

  it('a count above 2^53 is noData with a detail', async () => {
    const spec = { analysis: { metrics: [] } } as unknown as RolloutSpec
    const ctx: AdapterContext = { spec, state: {} as RolloutState, now: 120_000, signal: new AbortController().signal }
    const src = prometheusSource({ address: `${base}/bigcount`, timeoutMs: 2000, queries: { e: { kind: 'counts', total: 't', bad: 'b' } } })
    const [s] = await src.gather([{ kind: 'metric', metric: 'e', window: { from: 60_000, to: 120_000 }, sample: 'counts' }], ctx)
    expect(s).toMatchObject({ kind: 'noData', detail: expect.stringContaining('above 2^53') })
  })

  it('invalid options are one clear message (timeoutMs Infinity)', async () => {
    const r = await instantQuery({ address: `${base}/many`, timeoutMs: Infinity }, 'up', 0)
    expect(r._tag === 'Left' && r.left.message).toContain('timeoutMs')
  })
})
