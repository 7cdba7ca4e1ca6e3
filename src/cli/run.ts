/**
 * `rollout-kernel run FILE --prometheus URL [--dry-run] [--state FILE] ...`: drives a rollout (native,
 * Flagger or Argo manifest) with `drive` and the Prometheus source against a live Prometheus. With
 * `--dry-run` (shadow mode) nothing is applied: the routing each action would apply is printed (the
 * rendered router objects with `--render`). Without it, `--apply CMD` receives each rendered object on
 * stdin. Exit code 0 promoted, 1 rolled back, 2 usage or configuration error, 130 interrupted.
 *
 * @module
 */
import { spawn } from 'node:child_process'
import * as fs from 'node:fs'
import * as E from 'fp-ts/lib/Either.js'
import { stringify } from 'yaml'
import type { RolloutSpec } from '../config/spec.js'
import type { Action } from '../engine/decision.js'
import { drive, type DriveSummary } from '../driver/drive.js'
import type { Clock, RoutingAction, TrafficRouter } from '../driver/adapters.js'
import type { DriveEvent } from '../driver/events.js'
import { memoryWorkloads } from '../driver/memory.js'
import { systemClock } from '../driver/clock.js'
import { rolloutMetrics, serveMetrics, type MetricsServer } from '../driver/metrics.js'
import { instantQuery, type FetchLike } from '../prometheus/client.js'
import type { ArmVariables, MetricQuery } from '../prometheus/queries.js'
import { prometheusSource } from '../prometheus/source.js'
import type { TemplateVariables } from '../prometheus/template.js'
import { renderHTTPRoute, renderIstio, renderTrafficSplit } from '../render/index.js'
import type { ParsedArgs } from './args.js'
import type { CommandDef } from './command.js'
import { CliError, describeFsError, UsageError } from './errors.js'
import type { CliIo } from './io.js'
import { parseDocuments, templateFiles, TEMPLATES_OPTION, type LoadedSpec } from './load.js'
import { requireSpec } from './simulate.js'
import { parseStateFile, stateFileText } from './stateFile.js'
import { decisionJson, decisionLine, latestVerdicts, statusView, type LastDecision } from './statusView.js'
import type { Reason } from '../engine/decision.js'
import { num } from './format.js'

const NAME = 'run'

/**
 * Exit codes of `run`: promoted (or nothing to roll out), rolled back, usage or configuration error,
 * internal error, interrupted (Ctrl-C; the state file keeps the progress).
 *
 * @example
 * ```ts
 * RUN_EXIT.rolledBack // 1
 * ```
 * @category constants
 */
export const RUN_EXIT = { promoted: 0, rolledBack: 1, config: 2, internal: 3, interrupted: 130 } as const

/**
 * What `run` needs from the world besides `CliIo`: the clock, fetch, whether stdout is a terminal,
 * Ctrl-C, atomic file writes, a shell for `--apply`. `processRunEnv()` is the real one; tests pass fakes.
 *
 * @example
 * ```ts
 * import { fakeClock } from 'rollout-kernel/driver'
 * const env: RunEnv = { clock: fakeClock(0), isTTY: false, onInterrupt: () => () => undefined, writeFileAtomic: () => undefined }
 * ```
 * @category model
 */
export interface RunEnv {
  readonly clock: Clock
  /** fetch for the Prometheus client (default: the global fetch). */
  readonly fetch?: FetchLike
  /** stdout is a terminal: redraw the status view in place. */
  readonly isTTY: boolean
  /** Registers a Ctrl-C (SIGINT/SIGTERM) handler; returns the function that removes it. */
  readonly onInterrupt: (handler: () => void) => () => void
  /** Writes a file so that a reader sees the old or the new content, never a mix (temp file + rename). */
  readonly writeFileAtomic: (path: string, text: string) => void
  /** Runs a shell command with `input` on stdin; rejects when it exits non-zero. */
  readonly exec?: (command: string, input: string) => Promise<void>
  /** Redraw timer for the TTY view (the countdown); absent: redraw on decisions only. */
  readonly every?: (ms: number, f: () => void) => () => void
}

/**
 * The real environment: `systemClock`, the global fetch, `process.stdout.isTTY`, SIGINT/SIGTERM,
 * `node:fs` rename, `sh -c` for `--apply`.
 *
 * @example
 * ```ts
 * const env = processRunEnv()
 * ```
 * @category constructors
 */
export const processRunEnv = (): RunEnv => {
  return {
    clock: systemClock,
    isTTY: process.stdout.isTTY === true,
    onInterrupt: (handler) => {
      process.on('SIGINT', handler)
      process.on('SIGTERM', handler)
      return () => {
        process.off('SIGINT', handler)
        process.off('SIGTERM', handler)
      }
    },
    writeFileAtomic: (path, text) => {
      const tmp = `${path}.${process.pid}.tmp`
      const fd = fs.openSync(tmp, 'w')
      try {
        fs.writeFileSync(fd, text, 'utf8')
        fs.fsyncSync(fd)
      } finally {
        fs.closeSync(fd)
      }
      fs.renameSync(tmp, path)
    },
    exec: (command, input) =>
      new Promise<void>((resolve, reject) => {
        const child = spawn('sh', ['-c', command], { stdio: ['pipe', 'inherit', 'pipe'] })
        let err = ''
        child.stderr.on('data', (b: Buffer) => void (err = (err + b.toString()).slice(-2000)))
        child.on('error', reject)
        child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`${command} exited with ${code ?? 'a signal'}${err !== '' ? `: ${err.trim()}` : ''}`))))
        child.stdin.end(input)
      }),
    every: (ms, f) => {
      const t = setInterval(f, ms)
      return () => clearInterval(t)
    },
  }
}

/** The queries file of `--queries FILE`. */
interface QueriesFile {
  readonly queries: Readonly<Record<string, MetricQuery>>
  readonly variables: TemplateVariables
  readonly arms?: ArmVariables
}

const isRecord = (u: unknown): u is Record<string, unknown> => typeof u === 'object' && u !== null && !Array.isArray(u)

/**
 * Reads a `--queries` file: `queries` (metric name -> PromQL string, or a `counts` / `latency` / `points`
 * query object), `variables` (template variables) and `arms` (per-arm variables). Throws `CliError`.
 */
const loadQueries = (path: string | undefined, io: CliIo): QueriesFile => {
  if (path === undefined) return { queries: {}, variables: {} }
  let text: string
  try {
    text = io.readFile(path)
  } catch (e) {
    throw new CliError(describeFsError(path, e))
  }
  const docs = parseDocuments(path, text)
  if (E.isLeft(docs)) throw new CliError(docs.left.join('\n'))
  const doc = docs.right[0]
  if (!isRecord(doc)) throw new CliError(`${path}: expected a mapping with "queries" (and optionally "variables", "arms")`)
  const unknown = Object.keys(doc).filter((k) => !['queries', 'variables', 'arms'].includes(k))
  if (unknown.length > 0) throw new CliError(`${path}: unknown field "${unknown[0] ?? ''}" (expected queries, variables, arms)`)
  const queries = doc['queries'] ?? {}
  if (!isRecord(queries)) throw new CliError(`${path}: queries: expected a mapping from metric name to a query`)
  for (const [name, q] of Object.entries(queries)) {
    if (typeof q === 'string') continue
    if (!isRecord(q) || !['value', 'counts', 'latency', 'points'].includes(String(q['kind']))) {
      throw new CliError(`${path}: queries.${name}: expected a PromQL string or an object with kind value, counts, latency or points`)
    }
  }
  const variables = doc['variables'] ?? {}
  if (!isRecord(variables) || !Object.values(variables).every((v) => typeof v === 'string')) throw new CliError(`${path}: variables: expected a mapping of strings`)
  const arms = doc['arms']
  if (arms !== undefined && !isRecord(arms)) throw new CliError(`${path}: arms: expected { canary: {...}, primary: {...} }`)
  return { queries: queries as Record<string, MetricQuery>, variables: variables as TemplateVariables, ...(arms !== undefined ? { arms: arms as ArmVariables } : {}) }
}

const RENDERERS = ['istio', 'gateway-api', 'smi'] as const
type Renderer = (typeof RENDERERS)[number]

/** The router objects an action renders to, or a note when it changes no routing. */
const renderAction = (renderer: Renderer, action: RoutingAction, name: string, namespace: string): { objects: unknown[]; summary: string } => {
  const names = { name, namespace }
  const left = (errs: readonly { message: string }[]): { objects: unknown[]; summary: string } => ({ objects: [], summary: `no routing change (${errs.map((e) => e.message).join('; ')})` })
  switch (renderer) {
    case 'istio': {
      const r = renderIstio(action, names)
      if (E.isLeft(r)) return left(r.left)
      const route = r.right.virtualService.spec.http.at(-1)?.route ?? []
      return { objects: [r.right.virtualService, ...r.right.destinationRules], summary: `VirtualService ${name}: ${route.map((d) => `${d.destination.host} ${d.weight ?? 0}`).join(', ')}` }
    }
    case 'gateway-api': {
      const r = renderHTTPRoute(action, names)
      if (E.isLeft(r)) return left(r.left)
      const refs = r.right.spec.rules.at(-1)?.backendRefs ?? []
      return { objects: [r.right], summary: `HTTPRoute ${name}: ${refs.map((b) => `${b.name} ${b.weight ?? 0}`).join(', ')}` }
    }
    case 'smi': {
      const r = renderTrafficSplit(action, names)
      if (E.isLeft(r)) return left(r.left)
      return { objects: [r.right], summary: `TrafficSplit ${name}: ${r.right.spec.backends.map((b) => `${b.service} ${b.weight}`).join(', ')}` }
    }
  }
}

const describeAction = (a: Action): string =>
  a.type === 'setWeight' ? `setWeight ${a.weight}%${a.mirror !== undefined ? ` (mirror ${a.mirror}%)` : ''}` : a.type === 'switch' ? `switch to ${a.to}` : 'revision' in a ? `${a.type} ${a.revision}` : a.type

const metricQueryMissing = (spec: RolloutSpec, q: QueriesFile): string[] =>
  spec.analysis.metrics
    .filter((m) => q.queries[m.name] === undefined && m.query === undefined)
    .map((m) => m.name)

const prefixed = (message: string): string =>
  message
    .split('\n')
    .map((l) => `error: ${l}\n`)
    .join('')

/**
 * Options of one `run`, parsed from the command line.
 *
 * @example
 * ```ts
 * const o: RunOptions = { file: 'canary.yaml', prometheus: 'http://127.0.0.1:9090', dryRun: true, json: false, templates: [] }
 * ```
 * @category model
 */
export interface RunOptions {
  readonly file: string
  readonly prometheus: string
  readonly dryRun: boolean
  readonly json: boolean
  readonly templates: readonly string[]
  readonly state?: string
  readonly queries?: string
  readonly render?: Renderer
  readonly apply?: string
  readonly name?: string
  readonly namespace?: string
  readonly revision?: string
  readonly stable?: string
  readonly metricsAddress?: string
  readonly timeoutMs?: number
}

const parseHostPort = (s: string): { host: string; port: number } => {
  const m = /^(?:\[([^\]]+)\]|([^:]*)):(\d+)$/.exec(s.trim())
  const port = m !== null ? Number(m[3]) : NaN
  if (m === null || !(port >= 0 && port < 65536)) throw new UsageError(`option --metrics-address: expected HOST:PORT (e.g. 127.0.0.1:9464), got "${s}"`, NAME)
  const host = m[1] ?? m[2] ?? ''
  return { host: host === '' ? '127.0.0.1' : host, port }
}

/**
 * Runs one rollout to its end and returns the exit code. Never throws for a user error: configuration
 * problems print one `error:` line each and return 2.
 *
 * @example
 * ```ts
 * import { processIo } from './io.js'
 * declare const env: RunEnv
 * const code = await runRollout({ file: 'canary.yaml', prometheus: 'http://127.0.0.1:9090', dryRun: true, json: false, templates: [] }, processIo(), env)
 * ```
 * @category commands
 */
export const runRollout = async (o: RunOptions, io: CliIo, env: RunEnv): Promise<number> => {
  try {
    return await runChecked(o, io, env)
  } catch (e) {
    if (e instanceof CliError) {
      io.stderr(prefixed(e.message))
      return RUN_EXIT.config
    }
    throw e
  }
}

const runChecked = async (o: RunOptions, io: CliIo, env: RunEnv): Promise<number> => {
  if (!o.dryRun && o.apply === undefined) {
    throw new CliError('run applies routing only through --apply CMD (e.g. "kubectl apply -f -"); use --dry-run for shadow mode')
  }
  let url: URL
  try {
    url = new URL(o.prometheus)
  } catch {
    throw new CliError(`--prometheus: "${o.prometheus}" is not a URL (expected e.g. http://prometheus.monitoring:9090)`)
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new CliError(`--prometheus: expected an http:// or https:// URL, got "${o.prometheus}"`)
  const loaded: LoadedSpec = requireSpec(o.file, io, o.templates)
  const spec = loaded.spec
  const q = loadQueries(o.queries, io)
  const missing = metricQueryMissing(spec, q)
  if (missing.length > 0) {
    throw new CliError(
      `no Prometheus query for metric${missing.length === 1 ? '' : 's'} ${missing.map((m) => `'${m}'`).join(', ')}: give one in --queries FILE (queries: { ${missing[0] ?? ''}: "..." }) or in the spec (Flagger's builtin metrics carry none)`,
    )
  }
  const rollout = o.name ?? loaded.name ?? 'rollout'
  const namespace = o.namespace ?? 'default'
  const renderer: Renderer = o.render ?? 'istio'

  // Prometheus must answer before anything starts: a wrong address is a configuration error.
  const probe = await instantQuery({ address: o.prometheus, timeoutMs: o.timeoutMs ?? 5000, ...(env.fetch !== undefined ? { fetch: env.fetch } : {}) }, 'vector(1)', env.clock.now())
  if (E.isLeft(probe)) throw new CliError(`Prometheus at ${o.prometheus} does not answer: ${probe.left.message.replace(/^query "vector\(1\)" to \S+ /, '')}`)

  // Resume from the state file when it exists.
  let saved: unknown
  let resumedVerdicts: Record<string, Reason> = {}
  let text: string | undefined
  if (o.state !== undefined) {
    try {
      text = io.readFile(o.state)
    } catch (e) {
      const code = typeof e === 'object' && e !== null && 'code' in e ? (e as { code: unknown }).code : undefined
      if (code !== 'ENOENT') throw new CliError(`--state: ${describeFsError(o.state, e)}`)
    }
    if (text !== undefined) {
      const parsed = parseStateFile(o.state, text)
      if (E.isLeft(parsed)) throw new CliError(`--state: the file does not hold a rollout state (move it away to start afresh):\n${parsed.left.join('\n')}`)
      saved = parsed.right.encoded
      resumedVerdicts = { ...parsed.right.verdicts }
    }
  }

  const metrics = rolloutMetrics(spec, { rollout, namespace })
  let server: MetricsServer | undefined
  if (o.metricsAddress !== undefined) {
    const { host, port } = parseHostPort(o.metricsAddress)
    try {
      server = await serveMetrics(metrics.text, { host, port })
    } catch (e) {
      throw new CliError(`--metrics-address ${o.metricsAddress}: cannot listen (${e instanceof Error ? e.message : String(e)})`)
    }
  }

  const line = (s: string): void => io.stdout(`${s}\n`)
  const json = (value: unknown): void => io.stdout(`${JSON.stringify(value)}\n`)
  const mode = o.dryRun ? `shadow mode (--dry-run): nothing is applied; Prometheus ${o.prometheus}` : `applying with: ${o.apply ?? ''}; Prometheus ${o.prometheus}`
  let last: LastDecision | null = null
  let lastState = null as import('../engine/state.js').RolloutState | null
  let applied: string | undefined
  const notes: string[] = []
  let verdicts: Record<string, Reason> = resumedVerdicts
  const warnedNoData = new Set<string>()
  let startedAt = env.clock.now()

  const draw = (): void => {
    if (!env.isTTY || lastState === null) return
    const view = statusView({ spec, state: lastState, last, now: env.clock.now(), name: rollout, mode, verdicts, notes: notes.slice(-5), ...(applied !== undefined ? { applied } : {}) })
    io.stdout(`\x1b[H\x1b[2J${view}`)
  }
  const warn = (s: string): void => {
    if (o.json) json({ type: 'warning', message: s })
    else if (env.isTTY) {
      notes.push(`warning: ${s}`)
      draw()
    } else io.stderr(`warning: ${s}\n`)
  }

  const router: TrafficRouter = {
    apply: async (action) => {
      const r = renderAction(renderer, action, rollout, namespace)
      applied = r.objects.length > 0 ? r.summary : undefined
      const described = `${describeAction(action)}${r.objects.length > 0 ? ` -> ${r.summary}` : ''}`
      if (o.dryRun) {
        if (o.json) json({ type: 'wouldApply', action, ...(o.render !== undefined ? { objects: r.objects } : {}) })
        else if (!env.isTTY) {
          line(`  would apply: ${described}`)
          if (o.render !== undefined) for (const obj of r.objects) io.stdout(`---\n${stringify(obj)}`)
        }
        draw()
        return
      }
      if (r.objects.length === 0) return
      const exec = env.exec
      if (exec === undefined) throw new Error('no shell to run --apply in')
      for (const obj of r.objects) await exec(o.apply ?? '', stringify(obj))
      if (o.json) json({ type: 'applied', action })
      else if (!env.isTTY) line(`  applied: ${described}`)
      draw()
    },
  }

  const onEvent = (e: DriveEvent): void => {
    metrics.observe(e)
    if (e.type === 'started') {
      startedAt = env.clock.now()
      return
    }
    if (e.type === 'decision') {
      const d = e.decision
      last = { at: e.observation.at, action: d.action, reasons: d.reasons, wakeAt: d.wakeAt, needs: d.needs, events: d.events }
      applied = undefined // the router sets it when this decision's routing is applied
      lastState = d.state
      verdicts = latestVerdicts(verdicts, d.reasons)
      if (d.state.startedAt !== null) startedAt = Math.min(startedAt, d.state.startedAt)
      for (const s of e.observation.samples ?? []) {
        if (s.kind === 'noData' && !warnedNoData.has(s.metric)) {
          warnedNoData.add(s.metric)
          warn(`no data for '${s.metric}': ${s.detail ?? 'the query returned nothing'} (counts towards noDataLimit ${spec.analysis.noDataLimit}; shown once per metric)`)
        }
      }
      if (o.json) io.stdout(`${decisionJson(d.state, last, startedAt).replace(/^\{/, '{"type":"decision",')}\n`)
      else if (env.isTTY) draw()
      else line(decisionLine(spec, d.state, last, startedAt))
      return
    }
    if (e.type === 'effectApplied' || e.type === 'command') return
    if (e.type === 'metricsFailed') warn(`metrics: ${e.error}`)
    else if (e.type === 'effectFailed') warn(`${e.effect.kind} failed (attempt ${e.attempt}, retried): ${e.error}`)
    else if (e.type === 'persistFailed') warn(`cannot save the state: ${e.error}`)
    else if (e.type === 'stateDiscarded') warn(`saved state discarded: ${e.errors.map((x) => x.message).join('; ')}`)
    else if ('error' in e) warn(`${e.type}: ${String(e.error)}`)
  }

  const controller = new AbortController()
  let interrupted = false
  const off = env.onInterrupt(() => {
    interrupted = true
    controller.abort()
  })
  const stopTimer = env.isTTY && env.every !== undefined ? env.every(1000, draw) : () => undefined

  if (!o.json && !env.isTTY) {
    line(`${o.file}: ${loaded.source === 'native' ? 'native' : loaded.source === 'flagger' ? 'Flagger' : 'Argo'} ${spec.strategy.kind} rollout "${rollout}" of ${o.revision ?? 'v2'} over ${o.stable ?? 'v1'}; ${mode}${saved !== undefined ? `; resuming from ${o.state ?? ''}` : o.state !== undefined ? `; state in ${o.state}` : ''}`)
    if (server !== undefined) line(`metrics on ${server.url}`)
  }

  let summary: DriveSummary
  try {
    summary = await drive(
      spec,
      {
        metrics: prometheusSource({
          address: o.prometheus,
          timeoutMs: o.timeoutMs ?? 10_000,
          variables: { name: rollout, namespace, target: rollout, ...q.variables },
          queries: q.queries,
          ...(q.arms !== undefined ? { arms: q.arms } : {}),
          ...(env.fetch !== undefined ? { fetch: env.fetch } : {}),
        }),
        router,
        workloads: memoryWorkloads({ primary: o.stable ?? 'v1' }),
        clock: env.clock,
        ...(o.state !== undefined
          ? {
              persistence: {
                load: async () => saved,
                save: async (encoded: unknown) => env.writeFileAtomic(o.state ?? '', stateFileText(encoded, last, verdicts)),
              },
            }
          : {}),
      },
      { revision: o.revision ?? 'v2', stable: o.stable ?? 'v1', signal: controller.signal, onEvent, callTimeoutMs: Math.max(5000, (o.timeoutMs ?? 10_000) + 1000) },
    )
  } finally {
    off()
    stopTimer()
    await server?.close()
  }

  draw()
  const s = summary.state
  const f = s.lastFailure
  const exit =
    summary.stoppedBy === 'aborted' || interrupted
      ? RUN_EXIT.interrupted
      : summary.stoppedBy === 'error'
        ? RUN_EXIT.internal
        : s.phase === 'failed'
          ? RUN_EXIT.rolledBack
          : RUN_EXIT.promoted
  const outcome =
    exit === RUN_EXIT.interrupted
      ? `interrupted in phase ${s.phase} at weight ${s.traffic.weight}%${o.state !== undefined ? `; state saved in ${o.state}: run the same command again to resume` : ' (no --state: progress is lost)'}`
      : exit === RUN_EXIT.internal
        ? `stopped by an internal error: ${summary.error ?? 'unknown'}`
        : s.phase === 'failed'
          ? `rolled back ${s.revision ?? ''}: ${f?.message ?? 'no reason recorded'}${f?.metric !== undefined ? ` [metric ${f.metric}${f.observed !== undefined ? `, value ${num(f.observed)}` : ''}${f.bound !== undefined ? `, bound ${num(f.bound)}` : ''}]` : ''}`
          : summary.stoppedBy === 'baseline'
            ? `nothing to roll out: ${o.revision ?? 'v2'} is the stable revision`
            : `promoted ${s.revision ?? ''} after ${summary.decisions} decisions${o.dryRun ? ' (shadow mode: nothing was applied)' : ''}`
  if (o.json) json({ type: 'summary', phase: s.phase, stoppedBy: summary.stoppedBy, decisions: summary.decisions, exit, message: outcome, lastFailure: f })
  else line(`\n${outcome}`)
  return exit
}

const rendererOption = (args: ParsedArgs): Renderer | undefined => {
  const r = args.values.get('render')
  if (r === undefined) return undefined
  if (!(RENDERERS as readonly string[]).includes(r)) throw new UsageError(`option --render: expected ${RENDERERS.join(', ')}, got "${r}"`, NAME)
  return r as Renderer
}

/**
 * Reads `run`'s command line into `RunOptions`. Throws `UsageError`.
 *
 * @example
 * ```ts
 * import { parseArgs } from './args.js'
 * runOptions(parseArgs(['a.yaml', '--prometheus', 'http://p:9090', '--dry-run'], runCommand.options, 'run')).dryRun // true
 * ```
 * @category parsers
 */
export const runOptions = (args: ParsedArgs): RunOptions => {
  const [file, ...extra] = args.positionals
  if (file === undefined) throw new UsageError('missing FILE (the rollout to drive)', NAME)
  if (extra.length > 0) throw new UsageError(`unexpected argument "${extra[0] ?? ''}" (run takes one FILE)`, NAME)
  const prometheus = args.values.get('prometheus')
  if (prometheus === undefined) throw new UsageError('missing --prometheus URL', NAME)
  const dryRun = args.flags.has('dry-run')
  const apply = args.values.get('apply')
  if (dryRun && apply !== undefined) throw new UsageError('--dry-run and --apply exclude each other', NAME)
  const timeout = args.values.get('timeout')
  let timeoutMs: number | undefined
  if (timeout !== undefined) {
    timeoutMs = Number(timeout) * 1000
    if (!(timeoutMs > 0)) throw new UsageError(`option --timeout: expected seconds > 0, got "${timeout}"`, NAME)
  }
  const pick = (k: string): Record<string, string> => {
    const v = args.values.get(k)
    return v === undefined ? {} : { [k]: v }
  }
  const render = rendererOption(args)
  const metricsAddress = args.values.get('metrics-address')
  return {
    file,
    prometheus,
    dryRun,
    json: args.flags.has('json'),
    templates: templateFiles(args.values),
    ...pick('state'),
    ...pick('queries'),
    ...pick('apply'),
    ...pick('name'),
    ...pick('namespace'),
    ...pick('revision'),
    ...pick('stable'),
    ...(render !== undefined ? { render } : {}),
    ...(metricsAddress !== undefined ? { metricsAddress } : {}),
    ...(timeoutMs !== undefined ? { timeoutMs } : {}),
  }
}

/**
 * The `run` command.
 *
 * @example
 * ```ts
 * runCommand.name // 'run'
 * ```
 * @category commands
 */
export const runCommand: CommandDef = {
  name: NAME,
  summary: 'drive a rollout against a live Prometheus (--dry-run: shadow mode, nothing applied)',
  usage: 'FILE --prometheus URL [--dry-run | --apply CMD] [--state FILE] [--queries FILE] [--render istio|gateway-api|smi] [--json] [--templates FILE]',
  options: [
    { name: 'prometheus', value: 'URL', description: 'Prometheus server, e.g. http://prometheus.monitoring:9090' },
    { name: 'dry-run', description: 'shadow mode: apply nothing, print what would be applied' },
    { name: 'apply', value: 'CMD', description: 'shell command that receives each rendered router object on stdin (e.g. "kubectl apply -f -")' },
    { name: 'state', value: 'FILE', description: 'save the state after every decision and resume from it (Ctrl-C safe)' },
    { name: 'queries', value: 'FILE', description: 'YAML: queries per metric, template variables, per-arm variables' },
    { name: 'render', value: 'ROUTER', description: 'print the rendered router objects: istio (default for --apply), gateway-api, smi' },
    { name: 'name', value: 'NAME', description: 'rollout / service name (default: the manifest\'s metadata.name)' },
    { name: 'namespace', value: 'NS', description: 'namespace of the router objects and {{ namespace }} (default "default")' },
    { name: 'revision', value: 'REV', description: 'the new revision (default v2)' },
    { name: 'stable', value: 'REV', description: 'the revision the primary runs (default v1)' },
    { name: 'metrics-address', value: 'HOST:PORT', description: 'serve rollout metrics for Prometheus/Grafana at http://HOST:PORT/metrics' },
    { name: 'timeout', value: 'SECONDS', description: 'time limit of each Prometheus query (default 10)' },
    { name: 'json', description: 'JSON lines: decisions, would-apply records, warnings, the summary' },
    TEMPLATES_OPTION,
  ],
  details: [
    'On a terminal the status view is redrawn in place (phase, steps, weight, metric verdicts, next',
    'wake-up); otherwise one line per decision. Queries come from the spec (Flagger MetricTemplates,',
    'Argo prometheus providers) or from --queries; {{ interval }} is each metric\'s window, {{ name }},',
    '{{ namespace }} and {{ target }} default to --name and --namespace.',
    '',
    'exit codes: 0 promoted (or nothing to roll out), 1 rolled back, 2 usage or configuration error',
    '(bad spec, Prometheus unreachable, a metric without a query), 3 internal error, 130 interrupted',
  ].join('\n'),
  run: (args) => {
    runOptions(args) // usage errors first
    throw new CliError('run waits on Prometheus and the clock: call mainAsync, not main')
  },
  runAsync: async (args, io) => runRollout(runOptions(args), io, processRunEnv()),
}
