/**
 * The analysis inside one step: absorb fresh samples into each metric's judge (a replayed window is never
 * counted twice), roll back at once when a judge reaches a final `fail` (e.g. the sequential test rejects),
 * and resolve the analysis tick when it is due.
 *
 * @module
 */
import type { MetricSpec } from '../config/spec.js'
import type { Reason } from './decision.js'
import type { StepContext } from './context.js'
import { emit } from './context.js'
import type { Sample } from '../model/observation.js'
import type { MetricState, RolloutState } from './state.js'
import { initialJudgeState, judgeSampleWith, type Verdict } from '../analysis/judge.js'
import { dueShared, idlePause, initialDelayEnd } from './metricsDue.js'
import { emptyMetricState } from './state.js'
import { formatDuration, formatInstant } from '../config/duration.js'
import { checkGates, clearApprovals } from './gates.js'
import { nextTick, rollback } from './transitions.js'
import { finalDecides } from './analysisRun.js'
import { scoreTick } from './scoreTick.js'
import { specIndex } from '../config/specIndex.js'

/**
 * The metrics record this call owns: copied once per call on the first write (the input state's record is
 * never touched), then written in place.
 */
const writableMetrics = (ctx: StepContext): Record<string, MetricState> => {
  const owned = ctx.ownedMetrics
  if (owned !== null && owned === ctx.d.metrics) return owned
  const copy: Record<string, MetricState> = { ...ctx.d.metrics }
  ctx.d.metrics = copy
  ctx.ownedMetrics = copy
  return copy
}

const setMetric = (ctx: StepContext, name: string, ms: MetricState): void => {
  // `__proto__` would set the prototype on assignment: that one name keeps the literal form
  if (name === '__proto__') ctx.d.metrics = { ...ctx.d.metrics, [name]: ms }
  else writableMetrics(ctx)[name] = ms
}

/** Per spec: metric specs by name (the first of a name, as `find` gives). */
const metricState = (ctx: StepContext, m: MetricSpec): MetricState => {
  const existing = ctx.d.metrics[m.name]
  return existing ?? { ...emptyMetricState, judge: initialJudgeState(m) }
}

/** The pending verdict of a judged sample: `observed` and `bound` only when the reason has them. */
const pendingOf = (verdict: Verdict, reason: Reason): NonNullable<MetricState['pending']> => {
  const message = reason.message.slice(0, 200)
  if (reason.observed !== undefined) {
    return reason.bound !== undefined
      ? { verdict, message, observed: reason.observed, bound: reason.bound }
      : { verdict, message, observed: reason.observed }
  }
  return reason.bound !== undefined ? { verdict, message, bound: reason.bound } : { verdict, message }
}

const ignore = (ctx: StepContext, s: Sample, why: string): void => {
  ctx.reasons.push({ code: 'sampleIgnored', message: `${s.metric}: sample [${s.window.from}, ${s.window.to}) ignored: ${why}`, metric: s.metric })
}

/**
 * Feeds the observation's samples to their metrics' judges. Returns false when a judge's final `fail`
 * rolled the rollout back.
 *
 * @example
 * ```ts
 * declare const ctx: StepContext
 * absorbSamples(ctx)
 * ```
 * @category analysis
 */
export const absorbSamples = (ctx: StepContext): boolean => {
  ctx.samplesRead = true
  const samples = ctx.obs.samples
  if (samples === undefined) return true
  const { metricNamed, conditionsNamed } = specIndex(ctx.spec)
  for (let i = 0; i < samples.length; i++) {
    const s = samples[i]!
    const m = metricNamed[s.metric]
    if (m === undefined) continue
    const ms = metricState(ctx, m)
    if (ms.lastTo !== null && s.window.to <= ms.lastTo) {
      ignore(ctx, s, `window already consumed (up to ${ms.lastTo})`)
      continue
    }
    if (s.kind === 'counts' && ms.lastTo !== null && s.window.from < ms.lastTo) {
      ignore(ctx, s, `counts window overlaps the consumed one (from ${s.window.from} < ${ms.lastTo}); counting it would count events twice`)
      continue
    }
    if (ms.final !== null) {
      setMetric(ctx, m.name, { ...ms, lastTo: s.window.to })
      continue
    }
    const delayEnd = initialDelayEnd(m, ctx.d)
    if (delayEnd !== null && s.window.to < delayEnd) {
      setMetric(ctx, m.name, { ...ms, lastTo: s.window.to })
      ignore(ctx, s, `within initialDelay (measured from ${formatInstant(delayEnd)})`)
      continue
    }
    // a condition metric is judged with the conditions the decoded spec carries compiled
    const j = judgeSampleWith(m, ms.judge, s, conditionsNamed[m.name])
    const reason: Reason = m.dryRun ? { ...j.reason, message: `[dry run] ${j.reason.message}` } : j.reason
    ctx.reasons.push(reason)
    setMetric(ctx, m.name, {
      lastTo: s.window.to,
      pending: pendingOf(j.verdict, reason),
      judge: j.judgeState,
      final: m.dryRun ? null : (j.final ?? null),
      // a window without usable data (noData, error) does not count: the evidence gate needs one judged window
      measurements: j.verdict === 'noData' || j.verdict === 'error' ? ms.measurements : ms.measurements + 1,
    })
    if (!m.dryRun && j.final === 'fail' && !finalDecides(ctx.spec, ctx.d, m.name, 'fail')) {
      ctx.reasons.push({ code: 'metricFailed', message: `${m.name} failed; the run goes on: under aggregation "${ctx.spec.analysis.aggregation}" the other metrics decide`, metric: m.name })
    } else if (!m.dryRun && j.final === 'fail') {
      ctx.d.failedChecks += 1
      ctx.d.consecutiveFailures += 1
      emit(ctx, 'checkFailed', 'error', reason.message)
      rollback(ctx, { ...reason, code: reason.code === 'metricPassed' ? 'metricFailed' : reason.code })
      return false
    }
  }
  return true
}

const NO_METRICS: readonly MetricSpec[] = []

/**
 * Argo's `initialDelay`: a metric is first measured at the analysis start + its delay, then once per
 * interval. A tick due before the delay of a metric it needs is over moves to the end of that delay (its
 * window would lie inside the delay, and be ignored). Returns true when it deferred the tick.
 */
const deferForInitialDelay = (ctx: StepContext, tickAt: number, due: readonly MetricSpec[]): boolean => {
  let until = -Infinity
  let names: string[] | null = null
  for (let i = 0; i < due.length; i++) {
    const m = due[i]!
    const end = initialDelayEnd(m, ctx.d)
    if (end === null || tickAt >= end || (ctx.d.metrics[m.name]?.pending ?? null) !== null) continue
    until = Math.max(until, end)
    ;(names ??= []).push(`${m.name} (initialDelay ${formatDuration(m.limits?.initialDelayMs ?? 0)})`)
  }
  if (names === null) return false
  ctx.d.nextTickAt = until
  ctx.tick = 'awaiting'
  ctx.reasons.push({ code: 'initialDelay', message: `analysis tick deferred to ${formatInstant(until)}: ${names.join(', ')} measured from the start of the analysis plus the delay` })
  return true
}

const WORST = ['pass', 'inconclusive', 'noData', 'error', 'fail'] as const

/** The two counts of the streak of analysis ticks without a decision. */
type Streak = Pick<RolloutState, 'noDataTicks' | 'inconclusiveTicks'>

/** The streak, as a reason says it: only what happened. */
const streakText = (d: Streak): string => {
  const n = d.noDataTicks + d.inconclusiveTicks
  if (d.inconclusiveTicks === 0) return `${n} analysis ticks in a row without data`
  if (d.noDataTicks === 0) return `${n} analysis ticks in a row inconclusive`
  return `${n} analysis ticks in a row without a decision (${d.noDataTicks} without data, ${d.inconclusiveTicks} inconclusive)`
}

/** The count towards `noDataLimit` in a holding reason: `n/limit`, split by kind once both kinds occurred. */
const streakCount = (d: Streak, limit: number, pure: string): string =>
  d.noDataTicks > 0 && d.inconclusiveTicks > 0
    ? `${d.noDataTicks + d.inconclusiveTicks}/${limit} ticks without a decision: ${d.noDataTicks} without data, ${d.inconclusiveTicks} inconclusive`
    : `${d.noDataTicks + d.inconclusiveTicks}/${limit}${pure === '' ? '' : ` ${pure}`}`

/** Both counts of the streak and the limit, for a reason's details. */
const streakDetails = (d: Streak, limit: number): Reason['details'] => ({
  noDataTicks: d.noDataTicks,
  inconclusiveTicks: d.inconclusiveTicks,
  noDataLimit: limit,
})

/**
 * Resolves the analysis tick when it is due and every due metric has a verdict: a failure counts a failed
 * check (cumulative, and consecutive) and may roll back; no data and inconclusive hold and count towards
 * `noDataLimit` (each kind in its own count, the limit bounding both together); a pass lets the step program
 * move on. Sets `ctx.tick`.
 *
 * @example
 * ```ts
 * declare const ctx: StepContext
 * resolveTick(ctx)
 * if (ctx.tick === 'pass') console.log('advance')
 * ```
 * @category analysis
 */
export const resolveTick = (ctx: StepContext): void => {
  const { d, spec, at } = ctx
  if (d.nextTickAt === null || at < d.nextTickAt) return
  // an indefinite wait with nothing to measure: no tick to report (only a command moves the rollout on)
  if (idlePause(spec, d)) return
  const due = dueShared(spec, d)
  if (deferForInitialDelay(ctx, d.nextTickAt, due)) return
  let missing: MetricSpec[] | null = null
  for (let i = 0; i < due.length; i++) {
    const m = due[i]!
    if ((d.metrics[m.name]?.pending ?? null) === null) (missing ??= []).push(m)
  }
  const gates = checkGates(ctx, 'rollout')
  if (gates === 'rollback') {
    rollback(ctx, { code: 'gateRollback', message: 'a rollout gate asked for a rollback' })
    return
  }
  if (missing !== null || gates === 'pending') {
    ctx.tick = 'awaiting'
    if (missing !== null) {
      ctx.reasons.push({ code: 'awaitingSamples', message: `analysis due: waiting for samples of ${missing.map((m) => m.name).join(', ')}` })
    }
    return
  }
  let worst: (typeof WORST)[number] = gates === 'denied' ? 'fail' : 'pass'
  const failures: Reason[] = []
  const summary: string[] = []
  const scored: readonly MetricSpec[] = spec.analysis.score !== undefined ? due.filter((m) => m.judge.kind === 'mannWhitney' && !m.dryRun) : NO_METRICS
  if (scored.length > 0 && spec.analysis.score !== undefined) {
    const s = scoreTick(spec.analysis.score, scored, d.metrics)
    summary.push(`score ${s.score}: ${s.verdict}`)
    if (WORST.indexOf(s.verdict) > WORST.indexOf(worst)) worst = s.verdict
    if (s.verdict === 'fail') failures.push(s.reason)
    else ctx.reasons.push(s.reason)
  }
  for (const m of due) {
    const p = d.metrics[m.name]?.pending
    if (p == null) continue
    summary.push(`${m.name}: ${p.verdict}`)
    if (m.dryRun || scored.includes(m)) continue
    if (WORST.indexOf(p.verdict) > WORST.indexOf(worst)) worst = p.verdict
    if (p.verdict === 'fail') {
      failures.push({
        code: 'metricFailed',
        message: p.message,
        metric: m.name,
        ...(p.observed !== undefined ? { observed: p.observed } : {}),
        ...(p.bound !== undefined ? { bound: p.bound } : {}),
      })
    }
  }
  // consume the tick
  const cleared = writableMetrics(ctx)
  for (let i = 0; i < due.length; i++) {
    const m = due[i]!
    const ms = cleared[m.name]
    if (ms !== undefined) cleared[m.name] = { ...ms, pending: null }
  }
  d.ticks += 1
  d.nextTickAt = nextTick(d.nextTickAt, spec.analysis.intervalMs, at)
  clearApprovals(ctx, ['rollout'])
  const a = spec.analysis
  if (worst === 'fail') {
    ctx.tick = 'fail'
    d.noDataTicks = 0
    d.inconclusiveTicks = 0
    d.failedChecks += 1
    d.consecutiveFailures += 1
    const first = failures[0] ?? { code: 'gateDenied', message: 'a rollout gate denied the check' }
    const what = failures.map((f) => f.message).join('; ') || first.message
    emit(ctx, 'checkFailed', 'warn', `check failed (${d.failedChecks}/${a.threshold}): ${what}`)
    if (d.failedChecks >= a.threshold) {
      rollback(ctx, { ...first, code: 'thresholdReached', message: `${d.failedChecks} failed checks reached threshold ${a.threshold}; last: ${what}` })
      return
    }
    if (a.consecutiveFailureLimit !== null && d.consecutiveFailures >= a.consecutiveFailureLimit) {
      rollback(ctx, {
        ...first,
        code: 'consecutiveFailureLimit',
        message: `${d.consecutiveFailures} consecutive failed checks reached consecutiveFailureLimit ${a.consecutiveFailureLimit}; last: ${what}`,
      })
      return
    }
    // name each failed metric once (a sample judged in this call has already given its reason)
    for (const f of failures) {
      if (!ctx.reasons.some((r) => r.code === 'metricFailed' && r.metric === f.metric)) ctx.reasons.push(f)
    }
    ctx.reasons.push({ code: 'checkFailed', message: `check failed (${d.failedChecks}/${a.threshold} towards rollback); holding the weight` })
    return
  }
  if (worst === 'noData' || worst === 'error') {
    ctx.tick = 'noData'
    d.noDataTicks += 1
    const streak = d.noDataTicks + d.inconclusiveTicks
    emit(ctx, 'noData', 'warn', `no usable data for the analysis (${streakCount(d, a.noDataLimit, '')}): ${summary.join(', ')}`)
    if (streak >= a.noDataLimit) {
      rollback(ctx, { code: 'noDataLimit', message: `${streakText(d)} reached noDataLimit ${a.noDataLimit}`, details: streakDetails(d, a.noDataLimit) })
      return
    }
    ctx.reasons.push({
      code: 'noData',
      message: `no usable data (${streakCount(d, a.noDataLimit, 'towards rollback')}); holding, not counted as a failed check`,
      details: streakDetails(d, a.noDataLimit),
    })
    return
  }
  if (worst === 'inconclusive') {
    // a tick without a verdict counts towards noDataLimit like one without data; reached here, the metrics
    // did measure, so the rollout pauses for an operator (Argo pauses on Inconclusive) instead of rolling back
    ctx.tick = 'inconclusive'
    d.inconclusiveTicks += 1
    if (d.noDataTicks + d.inconclusiveTicks >= a.noDataLimit) {
      const why = d.noDataTicks === 0 ? '' : ', the last inconclusive'
      const msg = `${streakText(d)} reached noDataLimit ${a.noDataLimit}${why} (${summary.join(', ')}): paused until promoted or aborted`
      ctx.reasons.push({ code: 'metricInconclusive', message: msg, details: streakDetails(d, a.noDataLimit) })
      emit(ctx, 'paused', 'warn', msg)
      d.noDataTicks = 0
      d.inconclusiveTicks = 0
      d.resumePhase = d.phase
      d.phase = 'paused'
      d.paused = { by: 'inconclusive', since: at, until: null }
      return
    }
    ctx.reasons.push({
      code: 'metricInconclusive',
      message: `analysis inconclusive (${summary.join(', ')}; ${streakCount(d, a.noDataLimit, 'ticks without a verdict towards a pause')}); holding the weight`,
      details: streakDetails(d, a.noDataLimit),
    })
    return
  }
  d.noDataTicks = 0
  d.inconclusiveTicks = 0
  ctx.tick = 'pass'
  d.consecutiveFailures = 0
  d.stepPasses += 1
  const passed = due.length > 0 ? summary.join(', ') : ''
  emit(ctx, 'checkPassed', 'info', due.length > 0 ? `check passed: ${passed}` : 'check passed (no metrics due)')
  ctx.reasons.push({ code: 'analysisPassed', message: due.length > 0 ? `analysis passed (${passed})` : 'analysis tick passed (no metrics due)' })
}
