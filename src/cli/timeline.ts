/**
 * The `simulate` timeline: one row per engine call (time, weight, failed checks, action, short reasons),
 * the one-line outcome, and the JSON-lines form.
 *
 * @module
 */
import type { RolloutSpec } from '../config/spec.js'
import type { Reason } from '../engine/decision.js'
import { clock, num, roundNumbers, short, table } from './format.js'
import type { SimResult, SimTick } from './simulation.js'

/** Reason codes left out of the table: they repeat what the other columns say. */
const QUIET = new Set(['waitingInterval', 'analysisPassed', 'awaitingSamples', 'weightIncreased', 'baseline'])

/**
 * A reason message made short for a table cell: judge details in parentheses dropped, decimals rounded.
 *
 * @example
 * ```ts
 * shortMessage('errors: relative risk 4.39 (anytime 99% bounds 1.40..inf) > tolerance 1.1; e-value 4164 >= 100')
 * // 'errors: relative risk 4.39 > tolerance 1.1; e-value 4164 >= 100'
 * ```
 * @category formatters
 */
export const shortMessage = (message: string): string => roundNumbers(message.replace(/\s*\(anytime [^)]*\)/g, ''))

const observedLabel = (spec: RolloutSpec, r: Reason): string => {
  const m = spec.analysis.metrics.find((x) => x.name === r.metric)
  const prefix = m?.judge.kind === 'sequential' ? 'RR ' : ''
  return `${r.metric} ${prefix}${short(r.observed ?? NaN)}`
}

/**
 * The reasons of one tick, shortened for the timeline: simulated-world notes, passed metrics as
 * `name value`, failures and everything else as short messages, duplicates removed.
 *
 * @example
 * ```ts
 * declare const spec: RolloutSpec
 * declare const tick: SimTick
 * shortReasons(spec, tick) // 'ok: request-success-rate 99.79, errors relative risk 1.14; canary weight 20'
 * ```
 * @category formatters
 */
export const shortReasons = (spec: RolloutSpec, tick: SimTick): string => {
  const parts: string[] = [...tick.notes]
  const passed: string[] = []
  const noData: string[] = []
  const seen = new Set<string>()
  for (const r of tick.decision.reasons) {
    if (r.code === 'metricPassed' && r.metric !== undefined && r.observed !== undefined) {
      passed.push(observedLabel(spec, r))
      continue
    }
    if (r.code === 'metricPassed') {
      passed.push(r.metric ?? shortMessage(r.message))
      continue
    }
    if (r.code === 'noData' && r.metric !== undefined) {
      noData.push(r.metric)
      continue
    }
    if (r.code === 'promotionReady' && tick.decision.reasons.some((x) => x.code === 'awaitingGate')) continue
    if (QUIET.has(r.code)) continue
    const text = r.code === 'metricFailed' && r.metric !== undefined ? `FAILED ${shortMessage(r.message)}` : shortMessage(r.message)
    if (seen.has(text)) continue
    seen.add(text)
    parts.push(text)
  }
  if (noData.length > 0) parts.unshift(`no data: ${noData.join(', ')}`)
  if (passed.length > 0) parts.unshift(`ok: ${passed.join(', ')}`)
  const a = tick.decision.action
  if (a.type === 'setWeight' && !parts.some((p) => p.includes('weight'))) parts.push(`canary weight ${a.weight}`)
  return parts.join('; ')
}

/**
 * The failed-checks column: `failed/threshold`.
 *
 * @example
 * ```ts
 * declare const spec: RolloutSpec
 * declare const tick: SimTick
 * checksCell(spec, tick) // '1/5'
 * ```
 * @category formatters
 */
export const checksCell = (spec: RolloutSpec, tick: SimTick): string =>
  spec.analysis.threshold >= NO_THRESHOLD ? String(tick.decision.state.failedChecks) : `${tick.decision.state.failedChecks}/${spec.analysis.threshold}`

/**
 * A threshold this large means "no check threshold" (importers use it when measurement limits decide).
 *
 * @example
 * ```ts
 * NO_THRESHOLD // 1_000_000
 * ```
 * @category constants
 */
export const NO_THRESHOLD = 1_000_000

/**
 * The timeline table of a simulation.
 *
 * @example
 * ```ts
 * declare const spec: RolloutSpec
 * declare const result: SimResult
 * process.stdout.write(timelineTable(spec, result))
 * ```
 * @category formatters
 */
export const timelineTable = (spec: RolloutSpec, result: SimResult): string =>
  table(
    ['time', 'weight', 'checks', 'action', 'reasons'],
    result.ticks.map((t) => [clock(t.at), `${t.decision.state.traffic.weight}%`, checksCell(spec, t), t.decision.action.type, shortReasons(spec, t)]),
    ['left', 'right', 'right', 'left', 'left'],
  )

/**
 * One line saying how the simulation ended (with the failure's metric, value and bound on a rollback).
 *
 * @example
 * ```ts
 * declare const spec: RolloutSpec
 * declare const result: SimResult
 * outcomeLine(spec, result) // 'promoted v2 at 09:00 (0/5 failed checks)'
 * ```
 * @category formatters
 */
export const outcomeLine = (spec: RolloutSpec, result: SimResult): string => {
  const last = result.ticks[result.ticks.length - 1]
  if (last === undefined) return 'nothing happened'
  const s = last.decision.state
  const checks = spec.analysis.threshold >= NO_THRESHOLD ? `${s.failedChecks} failed checks` : `${s.failedChecks}/${spec.analysis.threshold} failed checks`
  switch (result.outcome) {
    case 'promoted':
      return `promoted ${s.revision ?? 'v2'} at ${clock(last.at)} (${checks})`
    case 'rolledBack': {
      const f = s.lastFailure
      const why = f === null ? 'no reason recorded' : shortMessage(f.message)
      const detail = f?.metric !== undefined && !why.includes(f.metric) && f.observed !== undefined && f.bound !== undefined ? ` [metric ${f.metric}, value ${num(f.observed)}, bound ${num(f.bound)}]` : ''
      return `rolled back ${s.revision ?? 'v2'} at ${clock(last.at)}: ${why}${detail}`
    }
    case 'unfinished':
      return `not finished at ${clock(last.at)}: phase ${s.phase}, weight ${s.traffic.weight}% (${checks})`
  }
}

/**
 * The decisions as JSON lines (one object per engine call; the state is summarised, not dumped).
 *
 * @example
 * ```ts
 * declare const result: SimResult
 * jsonLines(result).split('\n')[0] // '{"at":0,"time":"00:00","phase":"progressing",...}'
 * ```
 * @category formatters
 */
export const jsonLines = (result: SimResult): string =>
  result.ticks
    .map((t) =>
      JSON.stringify({
        at: t.at,
        time: clock(t.at),
        phase: t.decision.state.phase,
        weight: t.decision.state.traffic.weight,
        failedChecks: t.decision.state.failedChecks,
        action: t.decision.action,
        reasons: t.decision.reasons,
        events: t.decision.events,
        wakeAt: t.decision.wakeAt,
        samples: t.observation.samples ?? [],
        notes: t.notes,
      }),
    )
    .join('\n') + '\n'
