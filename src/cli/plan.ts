/**
 * `rollout-kernel plan FILE`: the stages, gates and timings a rollout goes through, its minimum duration
 * to promotion and its fastest rollback, read from runs of the real engine (`plan-run.ts`) with answers
 * that pass or fail at the first chance (`probe.ts`).
 *
 * @module
 */
import { formatDuration } from '../config/duration.js'
import type { ProgramStep, RolloutSpec } from '../config/spec.js'
import type { ParsedArgs } from './args.js'
import type { CommandDef } from './command.js'
import { UsageError } from './errors.js'
import { clock, programSize, table } from './format.js'
import type { CliIo } from './io.js'
import { planRun, type PlanRun } from './plan-run.js'
import { probeAnswer, type Answer } from './probe.js'
import { requireSpec } from './simulate.js'
import { templateFiles, TEMPLATES_OPTION } from './load.js'
import { NO_THRESHOLD, shortMessage } from './timeline.js'
import { blindPromotionWarning, evidenceTimeLines } from './evidencePlan.js'
import { BASE_RATE_OPTION, TRAFFIC_OPTION, trafficOf } from './trafficOption.js'

/**
 * A short description of one program step.
 *
 * @example
 * ```ts
 * describeStep({ type: 'pause', durationMs: null }) // 'pause until promoted'
 * describeStep({ type: 'analysis', intervals: 2 })  // 'analysis: 2 intervals'
 * ```
 * @category formatters
 */
export const describeStep = (s: ProgramStep): string => {
  switch (s.type) {
    case 'setWeight':
      return `setWeight ${s.weight}`
    case 'pause':
      return s.durationMs === null ? 'pause until promoted' : `pause ${formatDuration(s.durationMs)}`
    case 'analysis': {
      const n = s.intervals === null ? 'until decided' : `${s.intervals} interval${s.intervals === 1 ? '' : 's'}`
      return `analysis: ${n}${s.metrics !== undefined && s.metrics.length > 0 ? ` (+ ${s.metrics.join(', ')})` : ''}`
    }
    case 'setCanaryScale': {
      const what = s.replicas !== undefined ? `${s.replicas} replicas` : s.weight !== undefined ? `${s.weight}%` : s.matchTrafficWeight ? 'match traffic weight' : 'default'
      return `setCanaryScale ${what}`
    }
    case 'setHeaderRoute':
      return `setHeaderRoute "${s.name}"`
    case 'setMirrorRoute':
      return `setMirrorRoute "${s.name}" ${s.percentage}%`
    case 'experiment':
      return `experiment "${s.name}" ${s.durationMs === null ? '(no duration)' : formatDuration(s.durationMs)}: ${s.templates.map((t) => `${t.name}=${t.specRef}`).join(', ')}${s.analyses.length > 0 ? ` (+ ${s.analyses.map((a) => a.name).join(', ')})` : ''}`
    case 'preview':
      return 'preview (new version on the preview service)'
    case 'switch':
      return 'switch the active service'
    case 'scaleDownDelay':
      return `scaleDownDelay ${formatDuration(s.durationMs)}`
  }
}

/**
 * One row of the plan table.
 *
 * @example
 * ```ts
 * const r: PlanRow = { step: '1', stage: 'setWeight 10', weight: '10%', at: '00:00', waits: '-', analysis: '-' }
 * ```
 * @category model
 */
export interface PlanRow {
  readonly step: string
  readonly stage: string
  readonly weight: string
  readonly at: string
  readonly waits: string
  readonly analysis: string
}

const IN_PROGRAM = new Set(['progressing', 'paused', 'waitingPromotion'])

/**
 * The plan table, read from a run where every check passes: one row per program step (when it starts,
 * how long it holds, which metrics are checked meanwhile), one per gate, then promotion and finalising.
 *
 * @example
 * ```ts
 * declare const spec: RolloutSpec
 * declare const run: PlanRun
 * planRows(spec, run).map((r) => r.stage)
 * ```
 * @category plan
 */
export const planRows = (spec: RolloutSpec, run: PlanRun): PlanRow[] => {
  const steps = spec.strategy.steps
  const entered: (number | undefined)[] = []
  const left: (number | undefined)[] = []
  const waitsForPromote = new Set<number>()
  const checked: Set<string>[] = steps.map(() => new Set<string>())
  const entryWeight: number[] = []
  const rows: { at: number; row: PlanRow | number }[] = []
  const gatesSeen = new Set<string>()
  let reached = -1
  for (const t of run.ticks) {
    const s = t.decision.state
    if (t.promoted && reached >= 0 && reached < steps.length) waitsForPromote.add(reached)
    const inProgram = IN_PROGRAM.has(s.phase)
    const index = inProgram ? Math.min(s.stepIndex, steps.length) : s.phase === 'waiting' || s.phase === 'initialized' ? -1 : steps.length
    for (let i = reached + 1; i <= Math.min(index, steps.length - 1); i++) {
      entered[i] = t.at
      entryWeight[i] = s.traffic.weight
      rows.push({ at: t.at, row: i })
    }
    for (let i = Math.max(0, reached); i < index && i < steps.length; i++) if (left[i] === undefined && entered[i] !== undefined) left[i] = t.at
    reached = Math.max(reached, Math.min(index, steps.length - 1))
    if (inProgram && s.stepIndex < steps.length) {
      for (const n of t.decision.needs) if (n.kind === 'metric') checked[s.stepIndex]?.add(n.metric)
    }
    for (const n of t.decision.needs) {
      if (n.kind !== 'gate' || gatesSeen.has(n.gate)) continue
      gatesSeen.add(n.gate)
      const every = n.type === 'rollout' ? ' (before every analysis)' : ''
      rows.push({ at: t.at, row: { step: '', stage: `${n.type} gate "${n.gate}"${every}`, weight: `${s.traffic.weight}%`, at: clock(t.at), waits: 'until approved', analysis: '-' } })
    }
    const a = t.decision.action
    if (a.type === 'promote') rows.push({ at: t.at, row: { step: '', stage: `promote ${a.revision}`, weight: `${s.traffic.weight}%`, at: clock(t.at), waits: '-', analysis: '-' } })
    // a switch to the canary is the program's own `switch` step, which has its row already
    else if (a.type === 'switch' && a.to !== 'canary') rows.push({ at: t.at, row: { step: '', stage: `switch to ${a.to}`, weight: `${s.traffic.weight}%`, at: clock(t.at), waits: '-', analysis: '-' } })
    else if (a.type === 'setWeight' && (s.phase === 'promoting' || s.phase === 'finalising')) {
      rows.push({ at: t.at, row: { step: '', stage: 'shift traffic to the primary', weight: `${a.weight}%`, at: clock(t.at), waits: '-', analysis: '-' } })
    } else if (a.type === 'finalize') rows.push({ at: t.at, row: { step: '', stage: 'finalise (canary scaled down)', weight: `${s.traffic.weight}%`, at: clock(t.at), waits: '-', analysis: '-' } })
  }
  let programWeight = 0
  return rows.map(({ row }) => {
    if (typeof row !== 'number') return row
    const i = row
    const st = steps[i]
    if (st?.type === 'setWeight') programWeight = st.weight
    const weight = spec.strategy.kind === 'blueGreen' ? (entryWeight[i] ?? 0) : programWeight
    const from = entered[i] ?? 0
    const to = left[i]
    const waits = waitsForPromote.has(i) ? 'waits for promote' : to === undefined ? '-' : to - from === 0 ? '-' : formatDuration(to - from)
    const metrics = [...(checked[i] ?? [])]
    return {
      step: String(i + 1),
      stage: st === undefined ? '?' : describeStep(st),
      weight: `${weight}%`,
      at: clock(from),
      waits,
      analysis: metrics.length > 0 ? metrics.join(', ') : '-',
    }
  })
}

const endOf = (run: PlanRun): number => run.ticks[run.ticks.length - 1]?.at ?? 0

const analysisStart = (run: PlanRun): number | undefined => run.ticks.find((t) => t.decision.needs.some((n) => n.kind === 'metric'))?.at

const rollbackWhy = (spec: RolloutSpec, run: PlanRun): string => {
  const last = run.ticks[run.ticks.length - 1]
  const reasons = last?.decision.reasons ?? []
  const interval = formatDuration(spec.analysis.intervalMs)
  if (reasons.some((r) => r.code === 'thresholdReached')) return `threshold ${spec.analysis.threshold} x interval ${interval}`
  if (reasons.some((r) => r.code === 'consecutiveFailureLimit')) return `consecutiveFailureLimit ${spec.analysis.consecutiveFailureLimit ?? '?'} x interval ${interval}`
  const f = last?.decision.state.lastFailure
  return f ? shortMessage(f.message) : 'see the engine reasons'
}

/**
 * The summary lines under the plan table: minimum duration to promotion and fastest rollback.
 *
 * @example
 * ```ts
 * declare const spec: RolloutSpec
 * planSummary(spec).join('\n')
 * ```
 * @category plan
 */
export const planSummary = (spec: RolloutSpec, passing: PlanRun, passAnswers: ReadonlyMap<string, Answer>): string[] => {
  const lines: string[] = []
  if (passing.outcome === 'promoted') {
    const promoteAt = passing.ticks.find((t) => t.decision.action.type === 'promote')?.at
    const operator = passing.ticks.filter((t) => t.promoted).length
    lines.push(
      `minimum duration to promotion: ${formatDuration(endOf(passing))} (promote at ${clock(promoteAt ?? endOf(passing))}, then the promotion and finalising ticks; every check passes at its first chance, gates approved at once${operator > 0 ? `; plus the time until an operator promotes ${operator} indefinite pause${operator === 1 ? '' : 's'}` : ''})`,
    )
  } else {
    lines.push(`the rollout does not reach promotion with every check passing (ends ${passing.outcome} at ${clock(endOf(passing))})`)
  }
  const metrics = spec.analysis.metrics.filter((m) => !m.dryRun)
  if (spec.skipAnalysis || metrics.length === 0) {
    lines.push('fastest rollback: no check can fail (no metrics, or skipAnalysis): only gates, the progress deadline and abort roll back')
    return lines
  }
  const sequential = metrics.filter((m) => m.judge.kind === 'sequential')
  const others = metrics.filter((m) => m.judge.kind !== 'sequential')
  const failing = (names: readonly string[]): Map<string, Answer> => {
    const m = new Map(passAnswers)
    for (const n of names) {
      const metric = metrics.find((x) => x.name === n)
      const a = metric && probeAnswer(metric, 'fail')
      if (a !== undefined) m.set(n, a)
    }
    return m
  }
  if (others.length > 0) {
    const run = planRun(spec, failing(others.map((m) => m.name)))
    const start = analysisStart(run) ?? 0
    lines.push(
      run.outcome === 'rolledBack'
        ? `fastest rollback on failed checks: ${formatDuration(endOf(run) - start)} after the start of analysis at ${clock(start)} (${rollbackWhy(spec, run)}), rolled back at ${clock(endOf(run))}`
        : `failing checks (${others.map((m) => m.name).join(', ')}) never roll back on their own here (the run ends ${run.outcome} at ${clock(endOf(run))})`,
    )
  }
  for (const m of sequential) {
    const run = planRun(spec, failing([m.name]))
    lines.push(
      run.outcome === 'rolledBack'
        ? `fastest rollback by ${m.name} (sequential test): at the first window with enough evidence; at the earliest ${clock(endOf(run))}, after one window of overwhelming evidence`
        : `${m.name} (sequential test) did not reject in this plan run (ends ${run.outcome})`,
    )
  }
  return lines
}

const run = (args: ParsedArgs, io: CliIo): number => {
  const [file, ...extra] = args.positionals
  if (file === undefined) throw new UsageError('missing FILE (the rollout spec to plan)', 'plan')
  if (extra.length > 0) throw new UsageError(`unexpected argument "${extra[0] ?? ''}" (plan takes one FILE)`, 'plan')
  const loaded = requireSpec(file, io, templateFiles(args.values))
  const spec = loaded.spec
  const passAnswers = new Map<string, Answer>()
  const unanswerable: string[] = []
  for (const m of spec.analysis.metrics) {
    const a = probeAnswer(m, 'pass')
    if (a === undefined) unanswerable.push(m.name)
    else passAnswers.set(m.name, a)
  }
  const passing = planRun(spec, passAnswers)
  const a = spec.analysis
  io.stdout(
    `${file}: ${spec.strategy.kind} rollout, ${programSize(spec)}${spec.strategy.kind === 'canary' && spec.strategy.form !== 'steps' ? ` (${spec.strategy.steps.length} program steps)` : ''}, analysis every ${formatDuration(a.intervalMs)}, ${a.threshold >= NO_THRESHOLD ? 'rollback on the metrics\' own limits' : `rollback after ${a.threshold} failed checks`}${a.consecutiveFailureLimit !== null ? ` or ${a.consecutiveFailureLimit} in a row` : ''}\n\n`,
  )
  const rows = planRows(spec, passing)
  io.stdout(
    table(
      ['step', 'stage', 'weight', 'at', 'waits', 'analysis'],
      rows.map((r) => [r.step, r.stage, r.weight, r.at, r.waits, r.analysis]),
      ['right', 'left', 'right', 'left', 'left', 'left'],
    ),
  )
  io.stdout('\n')
  if (unanswerable.length > 0) io.stdout(`note: no probe value passes ${unanswerable.join(', ')}; the plan runs without samples for them\n`)
  for (const l of planSummary(spec, passing, passAnswers)) io.stdout(`${l}\n`)
  const traffic = trafficOf(args, 'plan')
  if (traffic !== null) {
    for (const l of evidenceTimeLines(spec, traffic.perSec, traffic.base)) io.stdout(`expected time to the evidence: ${l}\n`)
    const w = blindPromotionWarning(spec, traffic.perSec, traffic.base)
    if (w !== null) io.stdout(`warning: ${w}\n`)
  } else if (spec.analysis.metrics.some((m) => m.judge.kind === 'sequential' && m.judge.detect !== undefined && !m.dryRun)) {
    io.stdout('the promotion also waits until the sequential metrics rule out their detect (no blind promotion); --traffic RATE shows the expected time\n')
  }
  return 0
}

/**
 * The `plan` command.
 *
 * @example
 * ```ts
 * import { processIo } from './io.js'
 * import { parseArgs } from './args.js'
 * planCommand.run(parseArgs(['examples/canary.yaml'], planCommand.options, 'plan'), processIo()) // 0
 * ```
 * @category commands
 */
export const planCommand: CommandDef = {
  name: 'plan',
  summary: 'show the stages, gates and timings of a rollout, its minimum duration and fastest rollback',
  usage: 'FILE [--templates FILE] [--traffic RATE [--base-rate RATE]]',
  options: [TEMPLATES_OPTION, TRAFFIC_OPTION, BASE_RATE_OPTION],
  details: [
    'The plan is read from runs of the real engine: one where every check passes at its first chance',
    '(gates approved at once, indefinite pauses promoted at once: "waits for promote"), and runs where',
    'the checks fail, to find the fastest rollback. A sequential metric can reject at the first window',
    'with enough evidence; its earliest possible rejection is reported separately.',
    '--traffic RATE (requests per second of the whole service, e.g. 20/s) adds the expected time until',
    'the sequential metrics rule out their detect, and warns when a threshold-only canary at that',
    'traffic cannot tell a doubled error rate (--base-rate, default 1%) from a healthy one (docs/cli.md).',
    '',
    'exit codes: 0 planned, 1 invalid spec, 2 usage error',
  ].join('\n'),
  run,
}
