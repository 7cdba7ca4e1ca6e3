/**
 * A notice: what a notification says about one decision, before it is shaped for a chat service. Pure:
 * built from the decision (its events, reasons and state), the rollout's name and the decision's time.
 *
 * @module
 */
import type { Decision, Reason, RolloutEvent } from '../engine/decision.js'
import type { Phase } from '../engine/state.js'
import { boundedList, guarded } from '../model/guard.js'

/**
 * How bad a notice is: the worst severity of its events.
 *
 * @example
 * ```ts
 * const s: NoticeSeverity = 'error'
 * ```
 * @category model
 */
export type NoticeSeverity = RolloutEvent['severity']

/**
 * The reason a notice gives: the metric, its observed value and the bound, when the engine reported them.
 *
 * @example
 * ```ts
 * const r: NoticeReason = { code: 'metricFailed', message: 'sr 97 < min 99', metric: 'sr', observed: 97, bound: 99 }
 * ```
 * @category model
 */
export interface NoticeReason {
  readonly code: string
  readonly message: string
  readonly metric?: string
  readonly observed?: number
  readonly bound?: number
}

/**
 * What a notification says.
 *
 * @example
 * ```ts
 * declare const n: Notice
 * console.log(`${n.title}: ${n.summary}`)
 * ```
 * @category model
 */
export interface Notice {
  /** `rollback of podinfo v2`, `podinfo v2 promoted`... */
  readonly title: string
  /** One sentence: what happened and why (metric, value and bound on a failure). */
  readonly summary: string
  readonly severity: NoticeSeverity
  readonly rollout: string
  readonly namespace?: string
  readonly revision: string | null
  readonly phase: Phase
  readonly action: Decision['action']['type']
  readonly weight: number
  readonly failedChecks: number
  /** The notable events of the decision. */
  readonly events: readonly RolloutEvent[]
  /** Metric reasons that failed, had no data or errored (the "why"). */
  readonly reasons: readonly NoticeReason[]
  /** ISO 8601 time of the decision. */
  readonly time: string
  /** A link to a dashboard or the rollout's page, when given. */
  readonly url?: string
}

/**
 * Event types worth a message by default: starts, failures, pauses, promotion and the end.
 *
 * @example
 * ```ts
 * NOTABLE_EVENTS.has('rolledBack') // true
 * NOTABLE_EVENTS.has('checkPassed') // false
 * ```
 * @category constants
 */
export const NOTABLE_EVENTS: ReadonlySet<string> = new Set([
  'started',
  'restarted',
  'checkFailed',
  'noData',
  'paused',
  'gateDenied',
  'promotionReady',
  'promoted',
  'succeeded',
  'rolledBack',
  'aborted',
  'deadlineExceeded',
])

const RANK: Record<NoticeSeverity, number> = { info: 0, warn: 1, error: 2 }

const WHY_CODES = new Set(['metricFailed', 'noData', 'metricError', 'noDataLimit', 'thresholdReached', 'consecutiveFailureLimit', 'gateDenied', 'gateRollback', 'progressDeadline', 'aborted'])

const numText = (x: number): string => (Number.isInteger(x) ? String(x) : String(Number(x.toPrecision(4))))

/**
 * A reason as text with its numbers: `request-success-rate 97.2 < min 99 (metric request-success-rate, value 97.2, bound 99)`.
 *
 * @example
 * ```ts
 * reasonText({ code: 'metricFailed', message: 'sr too low', metric: 'sr', observed: 97, bound: 99 }) // 'sr too low (metric sr, value 97, bound 99)'
 * ```
 * @category formatters
 */
export const reasonText = guarded('reasonText', (r: NoticeReason): string => {
  const parts = [r.metric !== undefined ? `metric ${r.metric}` : '', r.observed !== undefined ? `value ${numText(r.observed)}` : '', r.bound !== undefined ? `bound ${numText(r.bound)}` : ''].filter((s) => s !== '')
  return parts.length > 0 ? `${r.message} (${parts.join(', ')})` : r.message
}, (m) => m)

/**
 * Options of `noticeOf`.
 *
 * @example
 * ```ts
 * const o: NoticeOptions = { rollout: 'podinfo', namespace: 'test', at: 0 }
 * ```
 * @category model
 */
export interface NoticeOptions {
  readonly rollout: string
  readonly namespace?: string
  /** Epoch ms of the decision (the observation's `at`). */
  readonly at: number
  readonly url?: string
  /** Which event types make a notice (default `NOTABLE_EVENTS`). */
  readonly notable?: ReadonlySet<string>
}

const titleOf = (rollout: string, revision: string, events: readonly RolloutEvent[], phase: Phase): string => {
  const has = (t: string): boolean => events.some((e) => e.type === t)
  if (has('rolledBack')) return `${rollout} ${revision} rolled back`
  if (has('aborted')) return `${rollout} ${revision} aborted`
  if (has('succeeded')) return `${rollout} ${revision} succeeded`
  if (has('promoted')) return `${rollout} ${revision} promoted`
  if (has('promotionReady')) return `${rollout} ${revision} ready for promotion`
  if (has('gateDenied')) return `${rollout} ${revision}: gate denied`
  if (has('paused')) return `${rollout} ${revision} paused`
  if (has('checkFailed')) return `${rollout} ${revision}: check failed`
  if (has('noData')) return `${rollout} ${revision}: no data`
  if (has('started') || has('restarted')) return `${rollout} ${revision} rollout started`
  return `${rollout} ${revision}: ${phase}`
}

/**
 * The notice of a decision, or `null` when none of its events is notable. Pure and total.
 *
 * @example
 * ```ts
 * declare const decision: Decision
 * const n = noticeOf(decision, { rollout: 'podinfo', at: 1_700_000_000_000 })
 * if (n !== null) console.log(n.title, n.summary)
 * ```
 * @category notify
 */
export const noticeOf = guarded('noticeOf', (decision: Decision, options: NoticeOptions): Notice | null => {
  const notable = options.notable ?? NOTABLE_EVENTS
  const events = boundedList(decision.events, 'decision.events').filter((e) => notable.has(e.type))
  if (events.length === 0) return null
  const severity = events.reduce<NoticeSeverity>((w, e) => (RANK[e.severity] > RANK[w] ? e.severity : w), 'info')
  const reasons: NoticeReason[] = boundedList(decision.reasons, 'decision.reasons')
    .filter((r: Reason) => WHY_CODES.has(r.code))
    .map((r) => ({
      code: r.code,
      message: r.message,
      ...(r.metric !== undefined ? { metric: r.metric } : {}),
      ...(r.observed !== undefined ? { observed: r.observed } : {}),
      ...(r.bound !== undefined ? { bound: r.bound } : {}),
    }))
  const s = decision.state
  const failure = s.lastFailure
  const failedNow = events.some((e) => e.type === 'rolledBack' || e.type === 'aborted')
  const why =
    failedNow && failure !== null
      ? reasonText({ code: failure.code, message: failure.message, ...(failure.metric !== undefined ? { metric: failure.metric } : {}), ...(failure.observed !== undefined ? { observed: failure.observed } : {}), ...(failure.bound !== undefined ? { bound: failure.bound } : {}) })
      : reasons.length > 0
        ? reasons.map(reasonText).join('; ')
        : events.map((e) => e.message).join('; ')
  const revision = s.revision ?? '?'
  const t = new Date(options.at)
  return {
    title: titleOf(options.rollout, revision, events, s.phase),
    summary: why,
    severity,
    rollout: options.rollout,
    ...(options.namespace !== undefined ? { namespace: options.namespace } : {}),
    revision: s.revision,
    phase: s.phase,
    action: decision.action.type,
    weight: s.traffic.weight,
    failedChecks: s.failedChecks,
    events,
    reasons,
    time: Number.isFinite(t.getTime()) ? t.toISOString() : new Date(0).toISOString(),
    ...(options.url !== undefined ? { url: options.url } : {}),
  }
}, (m) => unreadableNotice(m))

/**
 * Cuts text to at most `max` characters (code units), marking the cut with an ellipsis.
 *
 * @example
 * ```ts
 * clip('abcdef', 4) // 'abc…'
 * ```
 * @category formatters
 */
export const clip = guarded('clip', (text: string, max: number): string => (text.length <= max ? text : `${text.slice(0, Math.max(0, max - 1))}…`), (m) => m)

/**
 * The notice the notify functions fall back to when what they were given cannot be read (a throwing getter,
 * a revoked Proxy...): severity `error`, its title says so and its summary says what was thrown. Rendered
 * like any notice, so a notification still goes out and says what went wrong.
 *
 * @example
 * ```ts
 * unreadableNotice('noticeOf: could not read its input: boom').severity // 'error'
 * ```
 * @category notify
 */
export const unreadableNotice = (message: string): Notice => ({
  title: 'a rollout notice could not be built',
  summary: message,
  severity: 'error',
  rollout: '?',
  revision: null,
  phase: 'idle',
  action: 'hold',
  weight: 0,
  failedChecks: 0,
  events: [],
  reasons: [],
  time: new Date(0).toISOString(),
})
