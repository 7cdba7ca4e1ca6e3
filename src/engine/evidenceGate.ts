/**
 * No blind promotion (docs/evidence.md): where a rollout would promote, it first waits until
 * - every deciding (non-dry-run) metric measured at the promotion point has been judged at least once, and
 * - every such sequential metric with `detect` has ruled out a relative risk of `detect` or more at its level,
 * holding with a reason that names the metric, the evidence so far and an estimate of the time still needed;
 * at most `analysis.evidenceTimeoutMs` from the end of the step program, then `analysis.onEvidenceTimeout`
 * (roll back by default, or promote with a warning event).
 *
 * @module
 */
import type { MetricSpec, RolloutSpec, SequentialJudgeSpec } from '../config/spec.js'
import { DEFAULTS } from '../config/defaults.js'
import { formatDuration, formatInstant } from '../config/duration.js'
import { isSequentialState } from '../analysis/sequential.js'
import { ruleOutTest } from '../analysis/sequentialDetect.js'
import type { Reason } from './decision.js'
import type { StepContext } from './context.js'
import { emit } from './context.js'
import type { RolloutState } from './state.js'
import { initialDelayEnd, relevantShared } from './metricsDue.js'
import { describeEstimate, estimateEvidence } from './evidenceEstimate.js'
import { rollback } from './transitions.js'

/**
 * How long a rollout may wait at the promotion point for evidence (the spec's value or the default).
 *
 * @example
 * ```ts
 * declare const spec: RolloutSpec
 * evidenceTimeoutOf(spec) // 1_800_000 unless set
 * ```
 * @category evidence
 */
export const evidenceTimeoutOf = (spec: RolloutSpec): number => spec.analysis.evidenceTimeoutMs ?? DEFAULTS.evidenceTimeoutMs

/** The canary's share of the requests from now on (the live weight; 0.5 when it has none, e.g. a preview). */
const shareOf = (s: Pick<RolloutState, 'traffic'>): number => (s.traffic.weight > 0 && s.traffic.weight < 100 ? s.traffic.weight / 100 : 0.5)

type Sequential = MetricSpec & { readonly judge: SequentialJudgeSpec & { readonly detect: number } }
const withDetect = (m: MetricSpec): m is Sequential => m.judge.kind === 'sequential' && m.judge.detect !== undefined

/** The level a metric's `detect` is ruled out at. */
const levelOf = (m: Sequential): number => m.judge.detectLevel ?? DEFAULTS.sequentialDetectLevel

/** The deciding metrics measured at the promotion point (background ones, once the canary has traffic). */
const decidingAtPromotion = (spec: RolloutSpec, s: RolloutState): readonly MetricSpec[] => relevantShared(spec, s).filter((m) => !m.dryRun)

const judged = (s: RolloutState, m: MetricSpec): boolean => {
  const ms = s.metrics[m.name]
  return ms !== undefined && (ms.measurements > 0 || ms.final !== null)
}

const ruledOutFor = (s: RolloutState, m: Sequential): boolean => {
  const ms = s.metrics[m.name]
  // a final outcome is decided: a pass has ruled out more than detect (its bound is below the tolerance); a
  // fail that did not roll back is the aggregation's call (anyPass, majority)
  if ((ms?.final ?? null) !== null) return true
  return isSequentialState(ms?.judge) && ruleOutTest(ms.judge, m.judge.detect, levelOf(m)).ruledOut
}

/**
 * True while the state, past its step program, still lacks the evidence to promote (a first window or a
 * `detect` not ruled out), ignoring the timeout. Read by `computeWakeAt`: a held promotion is not due at once.
 *
 * @example
 * ```ts
 * declare const spec: RolloutSpec, s: RolloutState
 * if (evidencePending(spec, s)) console.log('the promotion waits for the next window')
 * ```
 * @category evidence
 */
export const evidencePending = (spec: RolloutSpec, s: RolloutState): boolean => {
  for (const m of decidingAtPromotion(spec, s)) {
    if (!judged(s, m)) return true
    if (withDetect(m) && !ruledOutFor(s, m)) return true
  }
  return false
}

/**
 * When the evidence wait of a rollout past its step program ends (`stepStartedAt` is set when the program
 * ends) or `null` when it cannot be said.
 *
 * @example
 * ```ts
 * declare const spec: RolloutSpec, s: RolloutState
 * evidenceDeadline(spec, s) // s.stepStartedAt + 30 min by default
 * ```
 * @category evidence
 */
export const evidenceDeadline = (spec: RolloutSpec, s: RolloutState): number | null =>
  s.stepStartedAt === null ? null : s.stepStartedAt + evidenceTimeoutOf(spec)

/** The hold reasons: one per metric still lacking evidence (`waited`: the timeout's progress, or null in the timeout's own reason). */
const holdReasons = (ctx: StepContext, waited: string | null): Reason[] => {
  const { d, spec } = ctx
  const out: Reason[] = []
  for (const m of decidingAtPromotion(spec, d)) {
    if (!judged(d, m)) {
      const due = Math.max(d.nextTickAt ?? ctx.at, initialDelayEnd(m, d) ?? -Infinity)
      out.push({
        code: 'awaitingFirstWindow',
        message: `${m.name} has not been judged yet: its first window is due at ${formatInstant(due)}; no promotion before every deciding metric is judged once${waited === null ? '' : ` (${waited})`}`,
        metric: m.name,
      })
      continue
    }
    if (!withDetect(m) || ruledOutFor(d, m)) continue
    const ms = d.metrics[m.name]
    const state = ms?.judge
    if (!isSequentialState(state)) {
      out.push({ code: 'awaitingEvidence', message: `${m.name}: no sequential evidence yet against ${m.judge.detect}x${waited === null ? '' : ` (${waited})`}`, metric: m.name, bound: m.judge.detect })
      continue
    }
    const intervalMs = spec.analysis.intervalMs
    // counts windows are contiguous: each coming tick judges the interval since the last one
    const timing = { windowMs: intervalMs, intervalMs, nextInMs: d.nextTickAt !== null && d.nextTickAt > ctx.at ? d.nextTickAt - ctx.at : intervalMs }
    const e = estimateEvidence(state, m.judge.detect, levelOf(m), shareOf(d), timing)
    out.push({
      code: 'awaitingEvidence',
      message: `${m.name}: ${describeEstimate(e, m.judge.detect, levelOf(m))}${waited === null ? '' : `; holding the promotion (${waited})`}`,
      metric: m.name,
      observed: e.ruleOut.eValue,
      bound: 1 / levelOf(m),
      details: {
        detect: m.judge.detect,
        against: e.ruleOut.against,
        relativeRisk: e.relativeRisk,
        moreBadEvents: Number.isFinite(e.ruleOut.moreBadEvents) ? e.ruleOut.moreBadEvents : -1,
        ...(e.moreMs !== null ? { moreMs: e.moreMs } : {}),
        ...(e.perArmRate !== null ? { perArmRate: e.perArmRate } : {}),
      },
    })
  }
  return out
}

/**
 * The gate, called where a rollout would promote: returns true when it holds (reasons pushed) or ended the
 * run (the timeout's rollback); false when the promotion may go on (the evidence is there, or the timeout
 * passed with `onEvidenceTimeout: promote`, which adds an `evidenceTimeout` reason and a warning event).
 *
 * @example
 * ```ts
 * declare const ctx: StepContext
 * if (holdForEvidence(ctx)) console.log('not yet')
 * ```
 * @category evidence
 */
export const holdForEvidence = (ctx: StepContext): boolean => {
  const { d, spec, at } = ctx
  if (!evidencePending(spec, d)) return false
  const timeout = evidenceTimeoutOf(spec)
  const since = d.stepStartedAt ?? at
  const waited = `${formatDuration(Math.max(0, at - since))} of ${formatDuration(timeout)} evidence timeout`
  const holds = holdReasons(ctx, waited)
  if (holds.length === 0) return false
  if (at < since + timeout) {
    ctx.reasons.push(...holds)
    return true
  }
  const final = holdReasons(ctx, null)
  const first = final[0] ?? holds[0]!
  const what = final.map((h) => h.message).join('; ')
  if (spec.analysis.onEvidenceTimeout === 'promote') {
    const message = `evidence timeout ${formatDuration(timeout)} reached without the evidence (onEvidenceTimeout: promote): promoting anyway; ${what}`
    ctx.reasons.push({ ...first, code: 'evidenceTimeout', message })
    emit(ctx, 'deadlineExceeded', 'warn', message)
    return false
  }
  rollback(ctx, {
    ...first,
    code: 'evidenceTimeout',
    message: `evidence timeout ${formatDuration(timeout)} reached without the evidence to promote: rolling back (onEvidenceTimeout: rollback); ${what}`,
  })
  return true
}
