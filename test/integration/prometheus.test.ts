/**
 * End-to-end: a real Prometheus (started here on a free loopback port, 1 s scrape interval, temp data dir)
 * scrapes two in-process apps (one healthy new version, one whose new version fails 10x as often), and
 * `drive` + `prometheusSource` run whole rollouts against them on the REAL clock with 3 s analysis
 * intervals. The router sets the app's canary traffic share, so the canary's counters grow with the weight.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { decodeSpec } from '../../src/index.js'
import { drive, systemClock, type Adapters, type DriveEvent } from '../../src/driver/index.js'
import { counterIncrease, prometheusSource, type MetricQuery } from '../../src/prometheus/index.js'
import { startApp, type FakeApp } from './app.js'
import { findPrometheus, startPrometheus, waitForScrapes, type PrometheusServer } from './prometheusServer.js'

const bin = findPrometheus()
const MISSING = `prometheus binary not found (looked at ${process.env['PROMETHEUS_BIN'] ? `PROMETHEUS_BIN=${process.env['PROMETHEUS_BIN']}` : '/usr/bin/prometheus and $PATH'}); install it with \`apt-get install -y prometheus\``

const specResult = decodeSpec({
  strategy: { canary: { stepWeight: 25, maxWeight: 50 } },
  analysis: {
    interval: '3s',
    threshold: 2,
    metrics: [
      { name: 'request-success-rate', interval: '6s', thresholdRange: { min: 95 } },
      { name: 'errors', sequential: {} },
      { name: 'slow-requests', sequential: {} },
    ],
  },
})

const queries: Record<string, MetricQuery> = {
  'request-success-rate':
    'sum(rate(http_requests_total{job="{{ target }}",arm="canary",code!~"5.."}[{{ interval }}])) / sum(rate(http_requests_total{job="{{ target }}",arm="canary"}[{{ interval }}])) * 100',
  errors: {
    kind: 'counts',
    total: counterIncrease('http_requests_total{job="{{ target }}",arm="{{ arm }}"}'),
    bad: counterIncrease('http_requests_total{job="{{ target }}",arm="{{ arm }}",code="500"}'),
  },
  'slow-requests': { kind: 'latency', histogram: 'http_request_duration_seconds', matchers: 'job="{{ target }}",arm="{{ arm }}"', le: '0.1' },
}

const runRollout = async (prom: PrometheusServer, app: FakeApp, job: string) => {
  if (specResult._tag === 'Left') throw new Error(`spec: ${JSON.stringify(specResult.left)}`)
  const log: string[] = []
  const events: DriveEvent[] = []
  const adapters: Adapters = {
    metrics: prometheusSource({ address: prom.address, timeoutMs: 2000, variables: { target: job }, queries }),
    router: {
      apply: async (a) => {
        if (a.type === 'setWeight') app.weight = a.weight
        if (a.type === 'rollback') app.weight = 0
        log.push(a.type === 'setWeight' ? `weight ${a.weight}` : a.type)
      },
    },
    workloads: {
      readiness: async () => ({ canary: true, primary: true }),
      promote: async () => app.promote(),
      scaleCanary: async () => undefined,
    },
    clock: systemClock,
  }
  const started = Date.now()
  const summary = await drive(specResult.right, adapters, {
    revision: 'v2',
    stable: 'v1',
    maxSleepMs: 3000,
    callTimeoutMs: 5000,
    signal: AbortSignal.timeout(110_000),
    onEvent: (e) => events.push(e),
  })
  const trace = events
    .map((e) =>
      e.type === 'decision'
        ? `${((e.observation.at - started) / 1000).toFixed(1)}s ${e.decision.state.phase} ${e.decision.action.type}: ${e.decision.reasons.map((r) => r.message).join(' | ')}${(e.observation.samples ?? [])
            .map((s) => ` [${s.metric} ${s.kind}${s.kind === 'noData' ? ` ${s.detail ?? ''}` : s.kind === 'counts' ? ` c=${s.canary.bad}/${s.canary.total} p=${s.primary.bad}/${s.primary.total}` : s.kind === 'value' ? ` ${String(s.value)}` : ''}]`)
            .join('')}`
        : `   ${e.type}: ${JSON.stringify(e)}`,
    )
    .join('\n')
  if (process.env['ROLLOUT_TRACE'] !== undefined) console.log(`${job}:\n${trace}`)
  return { summary, log, events, trace, seconds: (Date.now() - started) / 1000 }
}

if (bin === undefined) {
  if (process.env['CI'] === 'true') {
    describe('prometheus integration', () => {
      it('needs the prometheus binary', () => {
        throw new Error(MISSING)
      })
    })
  } else {
    console.warn(`[prometheus integration] skipped: ${MISSING} (set CI=true to make this a failure)`)
    describe.skip(`prometheus integration (skipped: ${MISSING})`, () => {
      it('drives rollouts against a real Prometheus', () => undefined)
    })
  }
} else {
  const prometheusBin = bin
  describe('prometheus integration: drive + prometheusSource against a real Prometheus', () => {
    let prom: PrometheusServer | undefined
    const apps: FakeApp[] = []
    let healthy: FakeApp
    let faulty: FakeApp

    beforeAll(async () => {
      healthy = await startApp({ rps: 2000, oldVersion: { errorRate: 0.01 }, newVersion: { errorRate: 0.01 } })
      apps.push(healthy)
      faulty = await startApp({ rps: 2000, oldVersion: { errorRate: 0.01 }, newVersion: { errorRate: 0.1 } })
      apps.push(faulty)
      prom = await startPrometheus(prometheusBin, { healthy: `127.0.0.1:${healthy.port}`, faulty: `127.0.0.1:${faulty.port}` })
      await waitForScrapes(prom.address, ['healthy', 'faulty'], 3)
    }, 60_000)

    afterAll(async () => {
      await Promise.allSettled(apps.map((a) => a.close()))
      await prom?.stop()
    }, 30_000)

    it('a healthy canary is promoted: succeeded', async () => {
      const r = await runRollout(prom as PrometheusServer, healthy, 'healthy')
      expect(r.summary.phase, r.trace).toBe('succeeded')
      expect(r.summary.stoppedBy).toBe('terminal')
      expect(r.log, r.trace).toEqual(['weight 25', 'weight 50', 'promote', 'weight 0'])
      // real samples were used, not noData
      const decisions = r.events.flatMap((e) => (e.type === 'decision' ? [e] : []))
      const counts = decisions.flatMap((d) => d.observation.samples ?? []).filter((s) => s.kind === 'counts')
      expect(counts.length, r.trace).toBeGreaterThan(0)
      expect(counts.some((s) => s.kind === 'counts' && s.canary.total > 50 && s.primary.total > 50), r.trace).toBe(true)
      // every metric, including the histogram-based one, was answered from Prometheus
      const samples = decisions.flatMap((d) => d.observation.samples ?? [])
      expect(samples.filter((s) => s.kind === 'noData'), r.trace).toEqual([])
      expect(new Set(samples.map((s) => `${s.metric}:${s.kind}`)), r.trace).toEqual(
        new Set(['request-success-rate:value', 'errors:counts', 'slow-requests:counts']),
      )
      // no blind promotion: the healthy canary waits at 50% until the errors rule out 2x (docs/evidence.md)
      expect(r.seconds).toBeLessThan(100)
    }, 150_000)

    it('a canary failing 10x as often is rolled back: failed, blaming the error metrics', async () => {
      const r = await runRollout(prom as PrometheusServer, faulty, 'faulty')
      expect(r.summary.phase, r.trace).toBe('failed')
      expect(r.log, r.trace).toContain('rollback')
      expect(r.log).not.toContain('promote')
      const failure = r.summary.state.lastFailure
      expect(failure, r.trace).not.toBeNull()
      expect(['request-success-rate', 'errors'], r.trace).toContain(failure?.metric)
      expect(failure?.code, r.trace).not.toMatch(/noData/)
      expect(faulty.weight).toBe(0)
      // no blind promotion: the healthy canary waits at 50% until the errors rule out 2x (docs/evidence.md)
      expect(r.seconds).toBeLessThan(100)
    }, 150_000)
  })
}
