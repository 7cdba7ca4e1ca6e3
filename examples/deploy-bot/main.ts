/**
 * A deploy bot: drives one canary rollout with `drive`, reading metrics from Prometheus and "applying"
 * the routing by printing the Istio VirtualService it would apply (rendered by `rollout-kernel/render`),
 * and posting a notification for every notable decision (`rollout-kernel/notify`) to Slack, Teams,
 * Discord and a generic webhook. It imports the package's public entries only (in this repository the
 * tsconfig maps `rollout-kernel/*` to the sources).
 *
 *   npx tsx examples/deploy-bot/main.ts --dry-run                  # in-memory metrics, virtual clock: CI-friendly
 *   npx tsx examples/deploy-bot/main.ts --dry-run --scenario faulty
 *   npx tsx examples/deploy-bot/main.ts --prometheus http://127.0.0.1:9090 --name podinfo --namespace test \
 *       --revision v2 --stable v1 [--state rollout-state.json] [--spec rollout.json]
 *
 * Notifications go to --slack URL, --teams URL, --discord URL, --webhook URL. With --dry-run and none of
 * these, the bot starts a local receiver on 127.0.0.1 and posts all four payloads to it.
 * Ctrl-C stops the bot; with --state it resumes where it stopped on the next run.
 * Exit code: 0 succeeded, 1 failed (rolled back), 2 anything else (bad arguments, aborted).
 */
import { readFileSync, writeFileSync, existsSync } from 'node:fs'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { parseArgs } from 'node:util'
import * as E from 'fp-ts/lib/Either.js'
import { stringify } from 'yaml'
import { decodeSpec } from 'rollout-kernel'
import type { Sample } from 'rollout-kernel'
import {
  drive,
  fakeClock,
  memoryWorkloads,
  systemClock,
  type Adapters,
  type DriveEvent,
  type MetricsSource,
  type Persistence,
  type TrafficRouter,
} from 'rollout-kernel/driver'
import { discordMessage, noticeOf, slackMessage, teamsMessage, webhookPayload } from 'rollout-kernel/notify'
import { counterIncrease, prometheusSource, type MetricQuery } from 'rollout-kernel/prometheus'
import { renderIstio } from 'rollout-kernel/render'

const { values: args } = parseArgs({
  options: {
    'dry-run': { type: 'boolean', default: false },
    scenario: { type: 'string', default: 'healthy' },
    prometheus: { type: 'string' },
    name: { type: 'string', default: 'podinfo' },
    namespace: { type: 'string', default: 'test' },
    revision: { type: 'string', default: 'v2' },
    stable: { type: 'string', default: 'v1' },
    state: { type: 'string' },
    spec: { type: 'string' },
    quiet: { type: 'boolean', default: false },
    slack: { type: 'string' },
    teams: { type: 'string' },
    discord: { type: 'string' },
    webhook: { type: 'string' },
  },
})

const fail = (message: string): never => {
  console.error(`deploy-bot: ${message}`)
  process.exit(2)
}

// The rollout: the native spec format (docs/config.md), from --spec or this default.
const specInput: unknown = args.spec !== undefined
  ? JSON.parse(readFileSync(args.spec, 'utf8'))
  : {
      strategy: { canary: { stepWeight: 20, maxWeight: 60 } },
      analysis: {
        interval: '1m',
        threshold: 3,
        metrics: [
          { name: 'request-success-rate', thresholdRange: { min: 99 } },
          { name: 'errors', sequential: {} },
        ],
      },
    }
const decoded = decodeSpec(specInput)
const spec = E.isRight(decoded) ? decoded.right : fail(`invalid spec:\n${decoded.left.map((e) => `  ${e.path}: ${e.message}`).join('\n')}`)

// Istio telemetry queries, Flagger style. {{ target }} is the workload, {{ arm }} picks primary or canary.
const queries: Record<string, MetricQuery> = {
  'request-success-rate':
    'sum(rate(istio_requests_total{reporter="destination",destination_workload_namespace="{{ namespace }}",destination_workload="{{ target }}",response_code!~"5.*"}[{{ interval }}])) / sum(rate(istio_requests_total{reporter="destination",destination_workload_namespace="{{ namespace }}",destination_workload="{{ target }}"}[{{ interval }}])) * 100',
  errors: {
    kind: 'counts',
    total: counterIncrease('istio_requests_total{reporter="destination",destination_workload_namespace="{{ namespace }}",destination_workload="{{ target }}"}'),
    bad: `${counterIncrease('istio_requests_total{reporter="destination",destination_workload_namespace="{{ namespace }}",destination_workload="{{ target }}",response_code=~"5.*"}')} or vector(0)`,
    arms: { canary: { target: args.name }, primary: { target: `${args.name}-primary` } },
  },
}

/** Dry run: a deterministic in-memory source; `faulty` makes the canary fail 10x as often. */
const inMemorySource = (faulty: boolean): MetricsSource => ({
  gather: async (needs) =>
    needs.map((n): Sample => {
      const seconds = (n.window.to - n.window.from) / 1000
      const canary = Math.round(30 * seconds)
      const primary = Math.round(120 * seconds)
      const canaryRate = faulty ? 0.05 : 0.005
      if (n.sample === 'counts') {
        return { kind: 'counts', metric: n.metric, window: n.window, canary: { total: canary, bad: Math.round(canary * canaryRate) }, primary: { total: primary, bad: Math.round(primary * 0.005) } }
      }
      return { kind: 'value', metric: n.metric, window: n.window, value: 100 * (1 - canaryRate) }
    }),
})

/** Prints the VirtualService each routing action would apply. */
const printingRouter: TrafficRouter = {
  apply: async (action) => {
    const rendered = renderIstio(action, { name: args.name, namespace: args.namespace })
    if (E.isRight(rendered)) {
      const weights = rendered.right.virtualService.spec.http.at(-1)?.route.map((d) => `${d.destination.host}=${d.weight ?? 0}`).join(' ')
      console.log(`[router] ${action.type}: ${weights ?? ''}`)
      if (!args.quiet) console.log(stringify(rendered.right.virtualService).replace(/^/gm, '    '))
    } else {
      console.log(`[router] ${action.type}${'revision' in action ? ` ${action.revision}` : ''}: no routing change (${rendered.left.map((e) => e.message).join('; ')})`)
    }
  },
}

const filePersistence = (path: string): Persistence => ({
  load: async () => (existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as unknown) : undefined),
  save: async (state) => writeFileSync(path, `${JSON.stringify(state, null, 2)}\n`),
})

const dryRun = args['dry-run'] === true
if (!dryRun && args.prometheus === undefined) fail('give --prometheus <address> or --dry-run')

const clock = dryRun ? fakeClock(Date.parse('2026-01-01T00:00:00Z')) : systemClock
const adapters: Adapters = {
  metrics: dryRun
    ? inMemorySource(args.scenario === 'faulty')
    : prometheusSource({ address: args.prometheus as string, timeoutMs: 10_000, variables: { name: args.name, namespace: args.namespace, target: args.name }, queries }),
  router: printingRouter,
  workloads: memoryWorkloads({ primary: args.stable }),
  clock,
  ...(args.state !== undefined ? { persistence: filePersistence(args.state) } : {}),
}

// Notifications: the payloads are pure functions of the decision; posting them is the bot's job.
type Channel = 'slack' | 'teams' | 'discord' | 'webhook'
const render = { slack: slackMessage, teams: teamsMessage, discord: discordMessage, webhook: webhookPayload } as const
const targets = new Map<Channel, string>()
for (const c of ['slack', 'teams', 'discord', 'webhook'] as const) if (args[c] !== undefined) targets.set(c, args[c] as string)

/** A local receiver for CI and demos: accepts JSON POSTs on /slack, /teams, /discord, /webhook and keeps them. */
const startReceiver = async (): Promise<{ url: string; received: { path: string; body: unknown }[]; close: () => Promise<void> }> => {
  const received: { path: string; body: unknown }[] = []
  const server = createServer((req, res) => {
    let body = ''
    req.on('data', (b: Buffer) => void (body += b.toString()))
    req.on('end', () => {
      try {
        received.push({ path: req.url ?? '/', body: JSON.parse(body) as unknown })
        res.writeHead(200, { 'content-type': 'text/plain' }).end('ok')
      } catch {
        res.writeHead(400, { 'content-type': 'text/plain' }).end('body is not JSON')
      }
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()))
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  return { url, received, close: () => new Promise<void>((resolve) => server.close(() => resolve())) }
}
const receiver = dryRun && targets.size === 0 ? await startReceiver() : undefined
if (receiver !== undefined) for (const c of ['slack', 'teams', 'discord', 'webhook'] as const) targets.set(c, `${receiver.url}/${c}`)

const posts: Promise<void>[] = []
const notify = (e: DriveEvent): void => {
  if (e.type !== 'decision') return
  const notice = noticeOf(e.decision, { rollout: args.name, namespace: args.namespace, at: e.observation.at })
  if (notice === null) return
  for (const [channel, url] of targets) {
    posts.push(
      fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(render[channel](notice)), signal: AbortSignal.timeout(10_000) })
        .then((res) => console.log(`[notify] ${channel}: HTTP ${res.status} ${notice.title}: ${notice.summary}`))
        .catch((err: unknown) => console.log(`[notify] ${channel} failed: ${String(err)}`)),
    )
  }
}

const controller = new AbortController()
process.once('SIGINT', () => controller.abort())

const started = clock.now()
const log = (e: DriveEvent): void => {
  notify(e)
  const t = `${((clock.now() - started) / 1000).toFixed(0).padStart(5)}s`
  if (e.type === 'decision') {
    const d = e.decision
    console.log(`${t} ${d.state.phase.padEnd(16)} ${d.action.type.padEnd(9)} weight ${String(d.state.traffic.weight).padStart(3)}  ${d.reasons.map((r) => r.message).join(' | ')}`)
  } else if (e.type !== 'effectApplied') {
    console.log(`${t} [${e.type}] ${JSON.stringify(e)}`)
  }
}

const summary = await drive(spec, adapters, { revision: args.revision, stable: args.stable, signal: controller.signal, maxSleepMs: 60_000, onEvent: log })
console.log(`\n${args.revision}: ${summary.phase} after ${summary.decisions} decisions (${summary.stoppedBy})${summary.state.lastFailure ? `; ${summary.state.lastFailure.message}` : ''}`)
await Promise.all(posts)
if (receiver !== undefined) {
  const byPath = new Map<string, number>()
  for (const r of receiver.received) byPath.set(r.path, (byPath.get(r.path) ?? 0) + 1)
  console.log(`[notify] local receiver got ${receiver.received.length} payloads (${[...byPath].map(([p, n]) => `${p} ${n}`).join(', ')})`)
  await receiver.close()
}
process.exit(summary.phase === 'succeeded' ? 0 : summary.phase === 'failed' ? 1 : 2)
