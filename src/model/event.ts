/**
 * The event types of `RolloutEvent` (what notifications and audit logs are told), as one `as const` list
 * from which the `RolloutEventType` type is derived. To add a type, add one line here.
 *
 * @module
 */

/**
 * Every rollout event type, in a stable order.
 *
 * @example
 * ```ts
 * ROLLOUT_EVENT_TYPES.includes('rolledBack') // true
 * ```
 * @category model
 */
export const ROLLOUT_EVENT_TYPES = [
  'started',
  'restarted',
  'weightChanged',
  'checkPassed',
  'checkFailed',
  'noData',
  'paused',
  'resumed',
  'gateDenied',
  'promotionReady',
  'promoted',
  'switched',
  'succeeded',
  'rolledBack',
  'aborted',
  'deadlineExceeded',
  'invalidObservation',
  'inputIgnored',
  // experiment steps
  'experimentStarted',
  'experimentEnded',
] as const

/**
 * A rollout event type: one of `ROLLOUT_EVENT_TYPES`.
 *
 * @example
 * ```ts
 * const t: RolloutEventType = 'rolledBack'
 * ```
 * @category model
 */
export type RolloutEventType = (typeof ROLLOUT_EVENT_TYPES)[number]
