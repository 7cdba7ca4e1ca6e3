/**
 * A notice as a generic webhook payload: flat JSON, versioned, with every number the notice carries,
 * for an alert manager, an audit log or your own receiver.
 *
 * @module
 */
import { unreadableNotice, type Notice, type NoticeReason } from './notice.js'
import { boundedList, guarded } from '../model/guard.js'

/**
 * The generic webhook payload (`schema: rollout-kernel/notification`, version 1).
 *
 * @example
 * ```ts
 * declare const p: WebhookPayload
 * p.reasons[0]?.metric
 * ```
 * @category model
 */
export interface WebhookPayload {
  readonly schema: 'rollout-kernel/notification'
  readonly version: 1
  readonly title: string
  readonly text: string
  readonly severity: Notice['severity']
  readonly rollout: string
  readonly namespace: string | null
  readonly revision: string | null
  readonly phase: Notice['phase']
  readonly action: Notice['action']
  readonly weight: number
  readonly failedChecks: number
  readonly events: readonly { readonly type: string; readonly severity: string; readonly message: string }[]
  readonly reasons: readonly NoticeReason[]
  readonly time: string
  readonly url: string | null
}

/**
 * Renders a notice as the generic webhook payload. Pure.
 *
 * @example
 * ```ts
 * declare const n: Notice
 * webhookPayload(n).schema // 'rollout-kernel/notification'
 * ```
 * @category notify
 */
export const webhookPayload = guarded('webhookPayload', (n: Notice): WebhookPayload => ({
  schema: 'rollout-kernel/notification',
  version: 1,
  title: n.title,
  text: n.summary,
  severity: n.severity,
  rollout: n.rollout,
  namespace: n.namespace ?? null,
  revision: n.revision,
  phase: n.phase,
  action: n.action,
  weight: n.weight,
  failedChecks: n.failedChecks,
  events: boundedList(n.events, 'events').map((e) => ({ type: e.type, severity: e.severity, message: e.message })),
  reasons: n.reasons,
  time: n.time,
  url: n.url ?? null,
}), (m, f) => f(unreadableNotice(m)))
