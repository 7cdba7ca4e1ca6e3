import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { drive } from '../../src/driver/drive.js'
import { fakeClock } from '../../src/driver/clock.js'
import { memoryWorkloads } from '../../src/driver/memory.js'
import { exposition, rolloutMetrics, serveMetrics, type MetricsSnapshot } from '../../src/driver/metrics.js'
import type { MetricsSource } from '../../src/driver/adapters.js'
import { specOf } from './helpers.js'

const spec = specOf({
  strategy: { canary: { stepWeight: 25, maxWeight: 50 } },
  analysis: { interval: '1m', threshold: 2, metrics: [{ name: 'sr', thresholdRange: { min: 99 } }, { name: 'errors', sequential: {} }] },
})

const source = (canaryBad: number): MetricsSource => ({
  gather: async (needs) =>
    needs.map((n) =>
      n.sample === 'counts'
        ? { kind: 'counts', metric: n.metric, window: n.window, canary: { total: 1000, bad: canaryBad }, primary: { total: 1000, bad: 10 } }
        : { kind: 'value', metric: n.metric, window: n.window, value: 100 - canaryBad / 10 },
    ),
})

/** One exposition line: a comment, or `name{labels} value` (text format 0.0.4). */
const LINE = /^(# (HELP|TYPE) [a-z_:][a-z0-9_:]* .+|[a-z_:][a-z0-9_:]*\{([a-z_][a-z0-9_]*="([^"\\\n]|\\[\\n"])*",?)*\} (-?\d+(\.\d+)?(e[+-]?\d+)?|\+Inf|-Inf|NaN))$/

const runWith = async (canaryBad: number) => {
  const m = rolloutMetrics(spec, { rollout: 'podinfo', namespace: 'test' })
  const summary = await drive(spec, { metrics: source(canaryBad), router: { apply: async () => undefined }, workloads: memoryWorkloads(), clock: fakeClock(0) }, { revision: 'v2', stable: 'v1', onEvent: m.observe })
  return { m, summary }
}

describe('rollout metrics (Prometheus text exposition)', () => {
  it('a promoted rollout: status 1, phase succeeded, decisions by action; every line well-formed', async () => {
    const { m, summary } = await runWith(10)
    expect(summary.phase).toBe('succeeded')
    const text = m.text()
    for (const line of text.trimEnd().split('\n')) expect(line).toMatch(LINE)
    expect(text).toContain('rollout_kernel_status{rollout="podinfo",namespace="test"} 1')
    expect(text).toContain('rollout_kernel_phase{rollout="podinfo",namespace="test",phase="succeeded"} 1')
    expect(text).toContain('rollout_kernel_phase{rollout="podinfo",namespace="test",phase="failed"} 0')
    expect(text).toMatch(/rollout_kernel_decisions_total\{rollout="podinfo",namespace="test",action="setWeight"\} [2-9]/)
    expect(text).toMatch(/rollout_kernel_metric_e_value\{rollout="podinfo",namespace="test",metric="errors"\} [\d.e+-]+/)
    expect(text).toMatch(/rollout_kernel_metric_relative_risk\{rollout="podinfo",namespace="test",metric="errors",bound="upper"\} /)
    expect(text).toContain('# TYPE rollout_kernel_decisions_total counter')
  })

  it('a rolled-back rollout: status 2, weight 0, the failing metric flagged, a rolledBack event counted', async () => {
    const { m } = await runWith(100)
    const s = m.snapshot()
    expect(s.phase).toBe('failed')
    expect(m.text()).toContain('rollout_kernel_status{rollout="podinfo",namespace="test"} 2')
    expect(s.weight).toBe(0)
    expect(s.events['rolledBack']).toBe(1)
    expect(Object.values(s.metrics).some((g) => g.failed)).toBe(true)
  })

  it('labels are escaped; exposition is a pure function of the snapshot', () => {
    const snap: MetricsSnapshot = { rollout: 'a"b\\c\nd', namespace: '', phase: 'progressing', weight: 20, failedChecks: 1, threshold: 5, stepIndex: 2, decisions: { hold: 3 }, events: {}, metrics: { 'x"y': { failed: true, value: 1.5, bound: 1, upper: Infinity } }, lastDecisionAt: 1000 }
    const a = exposition(snap)
    expect(a).toBe(exposition(snap))
    expect(a).toContain('rollout="a\\"b\\\\c\\nd"')
    expect(a).toContain('metric="x\\"y",bound="upper"} +Inf')
    for (const line of a.trimEnd().split('\n')) expect(line).toMatch(LINE)
  })

  it('serveMetrics answers GET /metrics on loopback with the text format content type; 404 elsewhere', async () => {
    const server = await serveMetrics(() => 'rollout_kernel_up{rollout="x",namespace=""} 1\n', { port: 0 })
    try {
      expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/metrics$/)
      const res = await fetch(server.url)
      expect(res.status).toBe(200)
      expect(res.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8')
      expect(await res.text()).toContain('rollout_kernel_up')
      expect((await fetch(server.url.replace('/metrics', '/nope'))).status).toBe(404)
    } finally {
      await server.close()
    }
  })

  it('the Grafana dashboard queries only metrics the exposition has', async () => {
    const dash = readFileSync('examples/grafana/rollout-kernel.json', 'utf8')
    const used = new Set(dash.match(/rollout_kernel_[a-z_]+/g) ?? [])
    const { m } = await runWith(100)
    const exposed = new Set((m.text().match(/^# TYPE (rollout_kernel_[a-z_]+)/gm) ?? []).map((l) => l.slice(7)))
    expect(used.size).toBeGreaterThan(5)
    for (const name of used) expect(exposed, name).toContain(name)
  })
})
