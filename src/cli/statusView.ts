/**
 * The status view of a rollout, as text: a pure function of (spec, state, last decision, now). `run`
 * redraws it in place on a terminal; `status` prints it once for a saved state. Also the one-line and
 * JSON-line forms of a decision, used when the output is not a terminal.
 *
 * @module
 */
import type { MetricSpec, ProgramStep, RolloutSpec } from '../config/spec.js'
import { formatDuration } from '../config/duration.js'
import type { Decision, Need, Reason } from '../engine/decision.js'
import type { RolloutState } from '../engine/state.js'
import { isSequentialState, summariseSequential } from '../analysis/sequential.js'
import { clock, num, short } from './format.js'
import { NO_THRESHOLD, shortMessage } from './timeline.js'

/**
 * What the view shows: the spec, the state, the last decision when there is one (a saved state may have
 * none), the time the view is drawn for (epoch ms) and labels.
 *
 * @example
 * ```ts
 * declare const spec: RolloutSpec, state: RolloutState
 * const input: StatusInput = { spec, state, last: null, now: state.at, name: 'podinfo' }
 * ```
 * @category model
 */
export interface StatusInput {
  readonly spec: RolloutSpec
  readonly state: RolloutState
  /** The decision that produced `state`, or null. */
  readonly last: LastDecision | null
  /** The time the view is drawn for (epoch ms); the countdown to the next wake-up is computed from it. */
  readonly now: number
  /** The rollout's name (the manifest's `metadata.name`), shown in the header. */
  readonly name?: string
  /** A line under the header, e.g. `shadow mode: nothing is applied`. */
  readonly mode?: string
  /** The router objects the last action would apply or applied, in short (`VirtualService podinfo: podinfo-primary 75, ...`). */
  readonly applied?: string
  /**
   * The latest verdict reason of each metric over the whole run (a decision without analysis has no
   * metric reasons); see `latestVerdicts`.
   */
  readonly verdicts?: Readonly<Record<string, Reason>>
  /** Lines shown at the bottom (warnings). */
  readonly notes?: readonly string[]
}

const VERDICT_CODES = new Set(['metricPassed', 'metricFailed', 'noData', 'metricInconclusive', 'metricError', 'sampleIgnored'])

/**
 * Folds a decision's metric reasons into the latest verdict per metric (a failure wins over other
 * reasons of the same decision).
 *
 * @example
 * ```ts
 * latestVerdicts({}, [{ code: 'metricPassed', message: 'sr 99.5 within min 99', metric: 'sr', observed: 99.5, bound: 99 }]).sr?.observed // 99.5
 * ```
 * @category formatters
 */
export const latestVerdicts = (previous: Readonly<Record<string, Reason>>, reasons: readonly Reason[]): Record<string, Reason> => {
  const out: Record<string, Reason> = { ...previous }
  const seen = new Set<string>()
  for (const r of reasons) {
    if (r.metric === undefined || !VERDICT_CODES.has(r.code)) continue
    if (seen.has(r.metric) && out[r.metric]?.code === 'metricFailed') continue
    out[r.metric] = r
    seen.add(r.metric)
  }
  return out
}

/**
 * The parts of a decision the view reads (a full `Decision` fits; a saved one keeps only these).
 *
 * @example
 * ```ts
 * const d: LastDecision = { at: 0, action: { type: 'hold' }, reasons: [], wakeAt: null, needs: [], events: [] }
 * ```
 * @category model
 */
export interface LastDecision {
  /** When the decision was made (the observation's `at`). */
  readonly at: number
  readonly action: Decision['action']
  readonly reasons: Decision['reasons']
  readonly wakeAt: Decision['wakeAt']
  readonly needs: Decision['needs']
  readonly events: Decision['events']
}

/**
 * Marks of the step list: done, current, pending, and the step where a failed rollout stopped.
 *
 * @example
 * ```ts
 * MARKS.done // '✔'
 * ```
 * @category constants
 */
export const MARKS = { done: '✔', current: '▶', pending: '·', failed: '✖' } as const

/**
 * One program step as a short label (`setWeight 20`, `pause 5m`, `analysis 3 intervals`...).
 *
 * @example
 * ```ts
 * stepLabel({ type: 'setWeight', weight: 20 }) // 'setWeight 20%'
 * stepLabel({ type: 'pause', durationMs: null }) // 'pause (until promoted)'
 * ```
 * @category formatters
 */
export const stepLabel = (s: ProgramStep): string => {
  switch (s.type) {
    case 'setWeight':
      return `setWeight ${s.weight}%`
    case 'pause':
      return s.durationMs === null ? 'pause (until promoted)' : `pause ${formatDuration(s.durationMs)}`
    case 'analysis': {
      const n = s.intervals === null ? 'until decided' : `${s.intervals} interval${s.intervals === 1 ? '' : 's'}`
      return `analysis ${n}${s.metrics !== undefined && s.metrics.length > 0 ? ` (${s.metrics.join(', ')})` : ''}`
    }
    case 'setCanaryScale':
      return `setCanaryScale ${s.replicas !== undefined ? `${s.replicas} replicas` : s.weight !== undefined ? `${s.weight}%` : 'match traffic'}`
    case 'setHeaderRoute':
      return `setHeaderRoute ${s.name}`
    case 'setMirrorRoute':
      return `setMirrorRoute ${s.name} ${s.percentage}%`
    case 'experiment':
      return `experiment ${s.name}${s.durationMs === null ? '' : ` ${formatDuration(s.durationMs)}`}`
    case 'preview':
      return `preview${s.mirror !== undefined ? ` (mirror ${s.mirror}%)` : ''}`
    case 'switch':
      return 'switch active service'
    case 'scaleDownDelay':
      return `scaleDownDelay ${formatDuration(s.durationMs)}`
  }
}

const PROGRAM_PHASES = new Set(['progressing', 'paused', 'waiting'])
const AFTER_PROGRAM = new Set(['waitingPromotion', 'promoting', 'finalising', 'succeeded'])

/**
 * The mark of step `i` in a state.
 *
 * @example
 * ```ts
 * declare const state: RolloutState
 * stepMark(state, 0) // '✔' once the rollout moved past its first step
 * ```
 * @category formatters
 */
export const stepMark = (state: RolloutState, i: number): string => {
  if (AFTER_PROGRAM.has(state.phase)) return MARKS.done
  if (i < state.stepIndex) return MARKS.done
  if (i === state.stepIndex) {
    if (state.phase === 'failed') return MARKS.failed
    if (PROGRAM_PHASES.has(state.phase)) return MARKS.current
  }
  return MARKS.pending
}

/**
 * A weight bar: `[██████░░░░░░░░░░░░░░]  30%`.
 *
 * @example
 * ```ts
 * weightBar(50, 10) // '[█████░░░░░]  50%'
 * ```
 * @category formatters
 */
export const weightBar = (weight: number, width = 20): string => {
  const w = Math.max(0, Math.min(100, Number.isFinite(weight) ? weight : 0))
  const full = Math.round((w / 100) * width)
  return `[${'█'.repeat(full)}${'░'.repeat(width - full)}] ${String(Math.round(w)).padStart(3)}%`
}

const verdictWord = (r: Reason): string => {
  switch (r.code) {
    case 'metricPassed':
      return 'pass'
    case 'metricFailed':
      return 'FAIL'
    case 'noData':
      return 'no data'
    case 'metricInconclusive':
      return 'inconclusive'
    case 'metricError':
      return 'error'
    case 'sampleIgnored':
      return 'ignored'
    default:
      return r.code
  }
}

const detailNum = (r: Reason, key: string): number | undefined => {
  const v: unknown = r.details?.[key]
  // a saved decision went through JSON: an infinite bound became null
  return typeof v === 'number' ? v : v === null ? Infinity : undefined
}

const bound = (x: number | undefined): string => (x === undefined ? '?' : x === Infinity ? 'inf' : num(x, 3))

/** The sequential numbers of a metric: from the last reason's details, else from the judge's state. */
const sequentialLine = (m: MetricSpec, r: Reason | undefined, state: RolloutState): string | undefined => {
  if (m.judge.kind !== 'sequential') return undefined
  let e = r !== undefined ? detailNum(r, 'eValue') : undefined
  let rr = r !== undefined ? detailNum(r, 'relativeRisk') : undefined
  let lo = r !== undefined ? detailNum(r, 'lower') : undefined
  let hi = r !== undefined ? detailNum(r, 'upper') : undefined
  if (e === undefined) {
    const js = state.metrics[m.name]?.judge
    if (!isSequentialState(js)) return undefined
    const s = summariseSequential(m.judge.alpha, js)
    e = s.eValue
    rr = s.relativeRisk
    lo = s.lower
    hi = s.upper
  }
  const level = Math.round((1 - m.judge.alpha) * 1000) / 10
  return `e-value ${num(e, 3)} (rollback at ${num(1 / m.judge.alpha, 3)}), relative risk ${rr === undefined ? '?' : num(rr, 3)} [${bound(lo)}, ${bound(hi)}] at ${level}%, tolerance ${num(m.judge.tolerance, 3)}`
}

const judgeBound = (m: MetricSpec): string => {
  const j = m.judge
  switch (j.kind) {
    case 'threshold':
      return [j.min !== undefined ? `min ${num(j.min)}` : '', j.max !== undefined ? `max ${num(j.max)}` : ''].filter((s) => s !== '').join(', ')
    case 'sequential':
      return `relative risk <= ${num(j.tolerance, 3)}`
    case 'condition':
      return 'condition'
    case 'mannWhitney':
      return 'Mann-Whitney'
  }
}

/** One metric's line: its last verdict with value and bound. */
const metricLines = (m: MetricSpec, state: RolloutState, last: LastDecision | null, verdicts: Readonly<Record<string, Reason>>, width: number): string[] => {
  const reasons = (last?.reasons ?? []).filter((r) => r.metric === m.name && VERDICT_CODES.has(r.code))
  const r = reasons.find((x) => x.code === 'metricFailed') ?? reasons[0] ?? verdicts[m.name]
  const ms = state.metrics[m.name]
  const label = `${m.name}${m.dryRun ? ' (dry run)' : ''}`.padEnd(width)
  const valueName = m.judge.kind === 'sequential' ? 'relative risk' : 'value'
  const numbers = (observed: number | undefined, b: number | undefined): string =>
    [observed !== undefined ? `${valueName} ${short(observed)}` : '', b !== undefined ? `bound ${short(b)}` : ''].filter((x) => x !== '').join(', ')
  let head: string
  if (r !== undefined) {
    const n = numbers(r.observed, r.bound)
    // passes say it all with the numbers; other verdicts keep the engine's words (no-data detail, failed bound)
    const words = r.code === 'metricPassed' && n !== '' ? '' : shortMessage(r.message)
    head = `${verdictWord(r).padEnd(7)} ${n}${n !== '' && words !== '' ? ': ' : ''}${words}`
  } else if (ms?.pending != null) {
    const p = ms.pending
    const n = numbers(p.observed, p.bound)
    head = `${p.verdict.padEnd(7)} ${n}${n !== '' ? ': ' : ''}${shortMessage(p.message)}`
  } else if (state.lastFailure?.metric === m.name) {
    const f = state.lastFailure
    const n = numbers(f.observed, f.bound)
    head = `${'FAIL'.padEnd(7)} ${n}${n !== '' ? ': ' : ''}${shortMessage(f.message)}`
  } else if (ms?.final != null) {
    head = `${ms.final.padEnd(7)} final outcome`
  } else {
    head = `${'-'.padEnd(7)} not measured yet (${judgeBound(m)})`
  }
  const lines = [`  ${label}  ${head}`.trimEnd()]
  const seq = sequentialLine(m, r, state)
  if (seq !== undefined) lines.push(`    ${seq}`)
  return lines
}

/**
 * What the engine waits for, in words: metric windows, gates, readiness, an operator command.
 *
 * @example
 * ```ts
 * awaited([{ kind: 'gate', gate: 'ship-it', type: 'confirm-promotion' }], null) // ['gate "ship-it" (confirm-promotion)']
 * ```
 * @category formatters
 */
export const awaited = (needs: readonly Need[], paused: RolloutState['paused']): string[] => {
  const out: string[] = []
  const metrics = needs.flatMap((n) => (n.kind === 'metric' ? [n] : []))
  if (metrics.length > 0) {
    const to = Math.max(...metrics.map((n) => n.window.to))
    out.push(`metrics ${[...new Set(metrics.map((n) => n.metric))].join(', ')} (window ending ${new Date(to).toISOString().slice(11, 19)}Z)`)
  }
  for (const n of needs) {
    if (n.kind === 'gate') out.push(`gate "${n.gate}" (${n.type})`)
    if (n.kind === 'readiness') out.push('canary readiness')
  }
  if (paused !== null && paused.until === null) out.push('command promote or resume (paused indefinitely)')
  return out
}

const pausedText = (p: NonNullable<RolloutState['paused']>): string =>
  `paused by ${p.by}${p.until !== null ? ` until ${new Date(p.until).toISOString().slice(11, 19)}Z` : ''}`

/**
 * The status view: header, phase, weight bar, failed checks, the step list with marks, each metric's
 * last verdict (value and bound; e-value and relative risk bounds for sequential metrics), the next
 * wake-up and what is awaited, the last failure. Pure: the same input gives the same text.
 *
 * @example
 * ```ts
 * import * as E from 'fp-ts/lib/Either.js'
 * import { decodeSpec, initialState } from 'rollout-kernel'
 * const spec = decodeSpec({ strategy: { canary: { stepWeight: 50, maxWeight: 50 } } })
 * if (E.isRight(spec)) statusView({ spec: spec.right, state: initialState(spec.right, 0), last: null, now: 0 })
 * ```
 * @category formatters
 */
export const statusView = (input: StatusInput): string => {
  const { spec, state, last, now } = input
  const lines: string[] = []
  const start = state.startedAt ?? state.at
  lines.push(`Name:          ${input.name ?? '(unnamed)'}`)
  if (input.mode !== undefined) lines.push(`Mode:          ${input.mode}`)
  lines.push(`Strategy:      ${spec.strategy.kind}`)
  lines.push(`Revision:      ${state.revision ?? '-'} (stable ${state.stable ?? '-'})`)
  lines.push(`Phase:         ${state.phase}${state.paused !== null ? ` (${pausedText(state.paused)})` : ''}`)
  lines.push(`Weight:        ${weightBar(state.traffic.weight)}${spec.strategy.maxWeight > 0 ? ` of max ${spec.strategy.maxWeight}%` : ''}`)
  const threshold = spec.analysis.threshold >= NO_THRESHOLD ? '' : `/${spec.analysis.threshold}`
  const streak =
    state.inconclusiveTicks > 0
      ? `ticks without a decision ${state.noDataTicks + state.inconclusiveTicks}/${spec.analysis.noDataLimit} (${state.noDataTicks} without data, ${state.inconclusiveTicks} inconclusive)`
      : `no-data ticks ${state.noDataTicks}/${spec.analysis.noDataLimit}`
  lines.push(`Failed checks: ${state.failedChecks}${threshold}   ${streak}   analysis ticks ${state.ticks}`)
  lines.push(`Elapsed:       ${clock(Math.max(0, state.at - start))} (last decision at ${new Date(last?.at ?? state.at).toISOString().slice(11, 19)}Z)`)
  if (last !== null) {
    const a = last.action
    const what = a.type === 'setWeight' ? `setWeight ${a.weight}%` : a.type === 'switch' ? `switch to ${a.to}` : 'revision' in a ? `${a.type} ${a.revision}` : a.type
    lines.push(`Action:        ${what}${input.applied !== undefined ? ` -> ${input.applied}` : ''}`)
  }
  lines.push('')
  lines.push('Steps:')
  spec.strategy.steps.forEach((s, i) => lines.push(`  ${stepMark(state, i)} ${String(i + 1).padStart(2)}. ${stepLabel(s)}`))
  const tail = state.phase === 'failed' ? `${MARKS.failed} rolled back` : AFTER_PROGRAM.has(state.phase) ? `${state.phase === 'succeeded' ? MARKS.done : MARKS.current} promote` : `${MARKS.pending} promote`
  lines.push(`  ${tail}`)
  lines.push('')
  lines.push('Metrics:')
  if (spec.analysis.metrics.length === 0) lines.push('  (none)')
  const width = Math.max(0, ...spec.analysis.metrics.map((m) => m.name.length + (m.dryRun ? 10 : 0)))
  for (const m of spec.analysis.metrics) lines.push(...metricLines(m, state, last, input.verdicts ?? {}, width))
  lines.push('')
  const terminal = state.phase === 'succeeded' || state.phase === 'failed'
  if (!terminal) {
    const wake = last?.wakeAt ?? null
    lines.push(`Next:          ${wake === null ? 'no wake-up scheduled' : `${new Date(wake).toISOString().slice(11, 19)}Z (in ${formatDuration(Math.max(0, Math.ceil((wake - now) / 1000) * 1000))})`}`)
    const waits = awaited(last?.needs ?? [], state.paused)
    lines.push(`Awaiting:      ${waits.length > 0 ? waits.join('; ') : 'the next analysis interval'}`)
  }
  if (state.lastFailure !== null) {
    const f = state.lastFailure
    const detail = f.metric !== undefined ? ` [metric ${f.metric}${f.observed !== undefined ? `, value ${short(f.observed)}` : ''}${f.bound !== undefined ? `, bound ${short(f.bound)}` : ''}]` : ''
    lines.push(`Last failure:  ${shortMessage(f.message)}${detail}`)
  }
  if (last !== null) {
    const notes = last.reasons.filter((r) => r.metric === undefined && r.code !== 'analysisPassed').map((r) => shortMessage(r.message))
    if (notes.length > 0) lines.push(`Reasons:       ${[...new Set(notes)].join('; ')}`)
  }
  if (input.notes !== undefined && input.notes.length > 0) lines.push('', ...input.notes)
  return `${lines.join('\n')}\n`
}

/**
 * One line per decision, for logs and pipes: time since the start, phase, action, weight, failed
 * checks and the short reasons (metric, value and bound for failures).
 *
 * @example
 * ```ts
 * declare const spec: RolloutSpec, state: RolloutState, last: LastDecision
 * decisionLine(spec, state, last, 0) // '01:00 progressing  setWeight  weight  20%  checks 0/5  ok: errors RR 1.1; canary weight 20'
 * ```
 * @category formatters
 */
export const decisionLine = (spec: RolloutSpec, state: RolloutState, last: LastDecision, startedAt: number): string => {
  const passed: string[] = []
  const noData: string[] = []
  const other: string[] = []
  for (const r of last.reasons) {
    if (r.code === 'noData' && r.metric !== undefined) {
      // the detail (which query, what failed) is long and repeats every tick: `run` prints it once per metric
      if (!noData.includes(r.metric)) noData.push(r.metric)
    } else if (r.code === 'metricPassed') {
      const m = spec.analysis.metrics.find((x) => x.name === r.metric)
      passed.push(r.observed !== undefined ? `${r.metric ?? '?'} ${m?.judge.kind === 'sequential' ? 'RR ' : ''}${short(r.observed)}` : r.metric ?? 'metric')
    } else if (!['waitingInterval', 'analysisPassed', 'awaitingSamples', 'baseline'].includes(r.code)) {
      const text = r.code === 'metricFailed' ? `FAILED ${shortMessage(r.message)}` : shortMessage(r.message)
      if (!other.includes(text)) other.push(text)
    }
  }
  const reasons = [...(passed.length > 0 ? [`ok: ${passed.join(', ')}`] : []), ...(noData.length > 0 ? [`no data: ${noData.join(', ')}`] : []), ...other].join('; ')
  const threshold = spec.analysis.threshold >= NO_THRESHOLD ? '' : `/${spec.analysis.threshold}`
  return `${clock(Math.max(0, last.at - startedAt))} ${state.phase.padEnd(16)} ${last.action.type.padEnd(9)} weight ${String(state.traffic.weight).padStart(3)}%  checks ${state.failedChecks}${threshold}  ${reasons}`.trimEnd()
}

/**
 * A decision as one JSON line: `{ at, time, phase, weight, failedChecks, action, reasons, events, wakeAt, needs }`.
 *
 * @example
 * ```ts
 * declare const state: RolloutState, last: LastDecision
 * JSON.parse(decisionJson(state, last, 0)).phase // state.phase
 * ```
 * @category formatters
 */
export const decisionJson = (state: RolloutState, last: LastDecision, startedAt: number): string =>
  JSON.stringify({
    at: last.at,
    time: clock(Math.max(0, last.at - startedAt)),
    phase: state.phase,
    weight: state.traffic.weight,
    failedChecks: state.failedChecks,
    action: last.action,
    reasons: last.reasons,
    events: last.events,
    wakeAt: last.wakeAt,
    needs: last.needs,
  })
