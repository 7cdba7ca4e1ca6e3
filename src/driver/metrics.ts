/**
 * Rollout metrics for Grafana: what `drive` reports (phase, weight, failed checks, e-values, decision
 * counts) in the Prometheus text exposition format (version 0.0.4), written by hand (no client library).
 * `rolloutMetrics` folds `DriveEvent`s into a small registry (pass its `observe` as `onEvent`, or call it
 * from your own `onEvent`); `exposition` is a pure function of the registry's snapshot; `serveMetrics`
 * serves it over HTTP on loopback by default.
 *
 * @module
 */
import type { RolloutSpec } from '../config/spec.js'
import type { Phase, RolloutState } from '../engine/state.js'
import { isSequentialState, summariseSequential } from '../analysis/sequential.js'
import type { DriveEvent } from './events.js'
import { PHASES as ALL_PHASES } from '../model/phase.js'
import { guarded } from '../model/guard.js'

/**
 * Every phase, in the order the `rollout_kernel_phase` gauge lists them.
 *
 * @example
 * ```ts
 * PHASES.includes('progressing') // true
 * ```
 * @category metrics
 */
export const PHASES: readonly Phase[] = ALL_PHASES

/**
 * Flagger's `flagger_canary_status` scale: 0 running (or not started), 1 succeeded, 2 failed.
 *
 * @example
 * ```ts
 * statusCode('failed') // 2
 * ```
 * @category metrics
 */
export const statusCode = (phase: Phase): 0 | 1 | 2 => (phase === 'succeeded' ? 1 : phase === 'failed' ? 2 : 0)

/**
 * Per-metric numbers of the latest decision.
 *
 * @example
 * ```ts
 * const m: MetricGauges = { value: 99.5, bound: 99, failed: false }
 * ```
 * @category model
 */
export interface MetricGauges {
  /** Last observed value (for a sequential metric: the relative risk estimate). */
  readonly value?: number
  readonly bound?: number
  /** Whether the last verdict of this metric was a failure. */
  readonly failed: boolean
  /** Sequential metrics: e-value against "within tolerance" and the anytime bounds of the relative risk. */
  readonly eValue?: number
  readonly relativeRisk?: number
  readonly lower?: number
  readonly upper?: number
}

/**
 * What the exposition shows: labels of the rollout and the numbers of its latest decision.
 *
 * @example
 * ```ts
 * const s: MetricsSnapshot = { rollout: 'podinfo', namespace: 'test', phase: 'progressing', weight: 20, failedChecks: 0, threshold: 5, stepIndex: 2, decisions: {}, events: {}, metrics: {}, lastDecisionAt: null }
 * ```
 * @category model
 */
export interface MetricsSnapshot {
  readonly rollout: string
  readonly namespace: string
  readonly phase: Phase
  readonly weight: number
  readonly failedChecks: number
  readonly threshold: number
  readonly stepIndex: number
  /** Decisions so far, by action type. */
  readonly decisions: Readonly<Record<string, number>>
  /** Engine events so far, by event type. */
  readonly events: Readonly<Record<string, number>>
  readonly metrics: Readonly<Record<string, MetricGauges>>
  /** Epoch ms of the last decision. */
  readonly lastDecisionAt: number | null
}

const escapeLabel = (v: string): string => v.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"')

const fmt = (x: number): string => (x === Infinity ? '+Inf' : x === -Infinity ? '-Inf' : Number.isNaN(x) ? 'NaN' : String(x))

/**
 * Renders a snapshot in the Prometheus text exposition format (`# HELP`, `# TYPE`, one sample a line).
 * Pure. Metric names: `rollout_kernel_phase{phase}` (1 for the current phase), `rollout_kernel_status`
 * (0 running, 1 succeeded, 2 failed, as Flagger's), `rollout_kernel_canary_weight`, `rollout_kernel_step`,
 * `rollout_kernel_failed_checks`, `rollout_kernel_failed_checks_threshold`, `rollout_kernel_metric_value`,
 * `rollout_kernel_metric_bound`, `rollout_kernel_metric_failed`, `rollout_kernel_metric_e_value`,
 * `rollout_kernel_metric_relative_risk{bound="estimate|lower|upper"}`, `rollout_kernel_decisions_total{action}`,
 * `rollout_kernel_events_total{type}`, `rollout_kernel_last_decision_timestamp_seconds`.
 *
 * @example
 * ```ts
 * declare const snapshot: MetricsSnapshot
 * exposition(snapshot).includes('rollout_kernel_canary_weight{') // true
 * ```
 * @category metrics
 */
export const exposition = guarded('exposition', (s: MetricsSnapshot): string => {
  const base = `rollout="${escapeLabel(s.rollout)}",namespace="${escapeLabel(s.namespace)}"`
  const out: string[] = []
  const family = (name: string, type: 'gauge' | 'counter', help: string, samples: readonly [string, number][]): void => {
    if (samples.length === 0) return
    out.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`)
    for (const [labels, v] of samples) out.push(`${name}{${base}${labels === '' ? '' : `,${labels}`}} ${fmt(v)}`)
  }
  const l = (k: string, v: string): string => `${k}="${escapeLabel(v)}"`
  family('rollout_kernel_phase', 'gauge', 'Current phase of the rollout (1 for the current phase, 0 for the others).', PHASES.map((p) => [l('phase', p), p === s.phase ? 1 : 0]))
  family('rollout_kernel_status', 'gauge', 'Rollout status as Flagger counts it: 0 running, 1 succeeded, 2 failed.', [['', statusCode(s.phase)]])
  family('rollout_kernel_canary_weight', 'gauge', 'Share of live traffic routed to the canary (percent).', [['', s.weight]])
  family('rollout_kernel_step', 'gauge', 'Index of the current step of the rollout program (0-based).', [['', s.stepIndex]])
  family('rollout_kernel_failed_checks', 'gauge', 'Failed checks in this run.', [['', s.failedChecks]])
  family('rollout_kernel_failed_checks_threshold', 'gauge', 'Failed checks that roll the rollout back.', [['', s.threshold]])
  const ms = Object.entries(s.metrics).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
  const per = (pick: (g: MetricGauges) => number | undefined): [string, number][] =>
    ms.flatMap(([name, g]) => {
      const v = pick(g)
      return v === undefined ? [] : [[l('metric', name), v] as [string, number]]
    })
  family('rollout_kernel_metric_value', 'gauge', 'Last observed value of each analysis metric (relative risk for sequential metrics).', per((g) => g.value))
  family('rollout_kernel_metric_bound', 'gauge', 'The bound the last value was judged against.', per((g) => g.bound))
  family('rollout_kernel_metric_failed', 'gauge', '1 when the last verdict of the metric was a failure.', per((g) => (g.failed ? 1 : 0)))
  family('rollout_kernel_metric_e_value', 'gauge', 'Sequential metrics: e-value against "relative risk within tolerance" (rollback at 1/alpha).', per((g) => g.eValue))
  family(
    'rollout_kernel_metric_relative_risk',
    'gauge',
    'Sequential metrics: relative risk estimate and its anytime-valid confidence bounds.',
    ms.flatMap(([name, g]) =>
      (
        [
          ['estimate', g.relativeRisk],
          ['lower', g.lower],
          ['upper', g.upper],
        ] as const
      ).flatMap(([b, v]) => (v === undefined ? [] : [[`${l('metric', name)},${l('bound', b)}`, v] as [string, number]])),
    ),
  )
  const counts = (r: Readonly<Record<string, number>>, key: string): [string, number][] =>
    Object.entries(r)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([k, v]) => [l(key, k), v])
  family('rollout_kernel_decisions_total', 'counter', 'Decisions made by the engine, by action.', counts(s.decisions, 'action'))
  family('rollout_kernel_events_total', 'counter', 'Engine events (started, checkFailed, rolledBack...), by type.', counts(s.events, 'type'))
  if (s.lastDecisionAt !== null) family('rollout_kernel_last_decision_timestamp_seconds', 'gauge', 'Time of the last decision (Unix seconds).', [['', s.lastDecisionAt / 1000]])
  return `${out.join('\n')}\n`
}, (m) => `# ${m.replace(/\n/g, ' ')}\n`)

/**
 * Per-metric gauges of a state: sequential numbers from the judge state, values and bounds from the
 * decision's reasons.
 */
const gaugesOf = (spec: RolloutSpec, state: RolloutState, reasons: readonly { metric?: string; code: string; observed?: number; bound?: number }[], previous: Readonly<Record<string, MetricGauges>>): Record<string, MetricGauges> => {
  const out: Record<string, MetricGauges> = {}
  for (const m of spec.analysis.metrics) {
    const r = reasons.find((x) => x.metric === m.name && (x.code === 'metricFailed' || x.code === 'metricPassed' || x.code === 'metricInconclusive'))
    const prev = previous[m.name]
    let g: MetricGauges =
      r === undefined
        ? prev ?? { failed: false }
        : { ...(r.observed !== undefined ? { value: r.observed } : {}), ...(r.bound !== undefined ? { bound: r.bound } : {}), failed: r.code === 'metricFailed' }
    const js = state.metrics[m.name]?.judge
    if (m.judge.kind === 'sequential' && isSequentialState(js)) {
      const s = summariseSequential(m.judge.alpha, js)
      g = { ...g, eValue: s.eValue, relativeRisk: s.relativeRisk, lower: s.lower, upper: s.upper }
    }
    out[m.name] = g
  }
  return out
}

/**
 * A registry fed with `DriveEvent`s.
 *
 * @example
 * ```ts
 * declare const m: RolloutMetrics
 * const options = { onEvent: m.observe }
 * ```
 * @category model
 */
export interface RolloutMetrics {
  /** Folds one drive event into the registry (pass it as `onEvent`). Never throws. */
  readonly observe: (event: DriveEvent) => void
  /** The current snapshot. */
  readonly snapshot: () => MetricsSnapshot
  /** The current exposition text. */
  readonly text: () => string
}

/**
 * Creates a metrics registry for one rollout.
 *
 * @example
 * ```ts
 * import * as E from 'fp-ts/lib/Either.js'
 * import { decodeSpec } from 'rollout-kernel'
 * const spec = decodeSpec({ strategy: { canary: { stepWeight: 50, maxWeight: 50 } } })
 * if (E.isRight(spec)) {
 *   const m = rolloutMetrics(spec.right, { rollout: 'podinfo', namespace: 'test' })
 *   m.text().includes('rollout_kernel_status') // true
 * }
 * ```
 * @category metrics
 */
export const rolloutMetrics = guarded('rolloutMetrics', (spec: RolloutSpec, labels: { readonly rollout: string; readonly namespace?: string }): RolloutMetrics => {
  let snap: MetricsSnapshot = {
    rollout: labels.rollout,
    namespace: labels.namespace ?? '',
    phase: 'idle',
    weight: 0,
    failedChecks: 0,
    threshold: spec.analysis.threshold,
    stepIndex: 0,
    decisions: {},
    events: {},
    metrics: {},
    lastDecisionAt: null,
  }
  const observe = (e: DriveEvent): void => {
    try {
      if (e.type === 'started') snap = { ...snap, phase: e.phase }
      if (e.type !== 'decision') return
      const d = e.decision
      const events = { ...snap.events }
      for (const ev of d.events) events[ev.type] = (events[ev.type] ?? 0) + 1
      snap = {
        ...snap,
        phase: d.state.phase,
        weight: d.state.traffic.weight,
        failedChecks: d.state.failedChecks,
        stepIndex: d.state.stepIndex,
        decisions: { ...snap.decisions, [d.action.type]: (snap.decisions[d.action.type] ?? 0) + 1 },
        events,
        metrics: gaugesOf(spec, d.state, d.reasons, snap.metrics),
        lastDecisionAt: e.observation.at,
      }
    } catch {
      // metrics must never stop a rollout
    }
  }
  return { observe, snapshot: () => snap, text: () => exposition(snap) }
}, (_m, f) => f({ analysis: { threshold: 0, metrics: [] } } as unknown as RolloutSpec, { rollout: '?' }))

/**
 * A running metrics endpoint.
 *
 * @example
 * ```ts
 * declare const server: MetricsServer
 * console.log(`metrics on ${server.url}`)
 * await server.close()
 * ```
 * @category model
 */
export interface MetricsServer {
  /** `http://host:port/metrics`. */
  readonly url: string
  readonly port: number
  readonly close: () => Promise<void>
}

/**
 * Serves `text()` at `/metrics` (and `/`) over HTTP with `node:http`, on 127.0.0.1 unless `host` says
 * otherwise; port 0 picks a free one. Rejects when the address cannot be bound.
 *
 * @example
 * ```ts
 * declare const metrics: RolloutMetrics
 * const server = await serveMetrics(metrics.text, { port: 9464 })
 * ```
 * @category metrics
 */
export const serveMetrics = async (text: () => string, options: { readonly host?: string; readonly port: number }): Promise<MetricsServer> => {
  const { createServer } = await import('node:http')
  const host = options.host ?? '127.0.0.1'
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0]
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD' }).end()
      return
    }
    if (path !== '/metrics' && path !== '/') {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found: try /metrics\n')
      return
    }
    let body: string
    try {
      body = text()
    } catch (err) {
      res.writeHead(500, { 'content-type': 'text/plain' }).end(`metrics failed: ${String(err)}\n`)
      return
    }
    res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4; charset=utf-8' }).end(req.method === 'HEAD' ? undefined : body)
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port, host, () => {
      server.off('error', reject)
      resolve()
    })
  })
  const addr = server.address()
  const port = typeof addr === 'object' && addr !== null ? addr.port : options.port
  const shown = host.includes(':') ? `[${host}]` : host
  return {
    url: `http://${shown}:${port}/metrics`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}
