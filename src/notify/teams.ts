/**
 * A notice as a Microsoft Teams message carrying an Adaptive Card (what Teams incoming webhooks and
 * Workflows accept): `{ type: 'message', attachments: [{ contentType: 'application/vnd.microsoft.card.adaptive', content }] }`
 * with a card of schema version 1.4: a title, the summary, a fact set and the reasons.
 *
 * @module
 */
import { reasonText, unreadableNotice, type Notice } from './notice.js'
import { guarded } from '../model/guard.js'

/**
 * The Adaptive Card elements this renderer uses.
 *
 * @example
 * ```ts
 * const e: AdaptiveElement = { type: 'TextBlock', text: 'hello', wrap: true }
 * ```
 * @category model
 */
export type AdaptiveElement =
  | {
      readonly type: 'TextBlock'
      readonly text: string
      readonly wrap?: boolean
      readonly size?: 'Small' | 'Default' | 'Medium' | 'Large' | 'ExtraLarge'
      readonly weight?: 'Lighter' | 'Default' | 'Bolder'
      readonly color?: 'Default' | 'Dark' | 'Light' | 'Accent' | 'Good' | 'Warning' | 'Attention'
      readonly isSubtle?: boolean
    }
  | { readonly type: 'FactSet'; readonly facts: readonly { readonly title: string; readonly value: string }[] }

/**
 * An Adaptive Card.
 *
 * @example
 * ```ts
 * const c: AdaptiveCard = { $schema: 'http://adaptivecards.io/schemas/adaptive-card.json', type: 'AdaptiveCard', version: '1.4', body: [] }
 * ```
 * @category model
 */
export interface AdaptiveCard {
  readonly $schema: 'http://adaptivecards.io/schemas/adaptive-card.json'
  readonly type: 'AdaptiveCard'
  readonly version: '1.4'
  readonly body: readonly AdaptiveElement[]
  readonly actions?: readonly { readonly type: 'Action.OpenUrl'; readonly title: string; readonly url: string }[]
  readonly msteams?: { readonly width: 'Full' }
}

/**
 * The Teams message payload.
 *
 * @example
 * ```ts
 * declare const card: AdaptiveCard
 * const m: TeamsMessage = { type: 'message', attachments: [{ contentType: 'application/vnd.microsoft.card.adaptive', contentUrl: null, content: card }] }
 * ```
 * @category model
 */
export interface TeamsMessage {
  readonly type: 'message'
  readonly attachments: readonly [{ readonly contentType: 'application/vnd.microsoft.card.adaptive'; readonly contentUrl: null; readonly content: AdaptiveCard }]
}

const COLOR = { info: 'Accent', warn: 'Warning', error: 'Attention' } as const

/**
 * Renders a notice as a Teams message with an Adaptive Card. Pure.
 *
 * @example
 * ```ts
 * declare const n: Notice
 * teamsMessage(n).attachments[0].content.type // 'AdaptiveCard'
 * ```
 * @category notify
 */
export const teamsMessage = guarded('teamsMessage', (n: Notice): TeamsMessage => {
  const body: AdaptiveElement[] = [
    { type: 'TextBlock', text: n.title, size: 'Large', weight: 'Bolder', color: COLOR[n.severity], wrap: true },
    { type: 'TextBlock', text: n.summary, wrap: true },
    {
      type: 'FactSet',
      facts: [
        { title: 'Rollout', value: `${n.namespace !== undefined ? `${n.namespace}/` : ''}${n.rollout}` },
        { title: 'Revision', value: n.revision ?? '-' },
        { title: 'Phase', value: n.phase },
        { title: 'Action', value: n.action },
        { title: 'Canary weight', value: `${n.weight}%` },
        { title: 'Failed checks', value: String(n.failedChecks) },
      ],
    },
    ...n.reasons.slice(0, 10).map((r): AdaptiveElement => ({ type: 'TextBlock', text: `- ${reasonText(r)}`, wrap: true, isSubtle: true })),
    { type: 'TextBlock', text: n.time, isSubtle: true, size: 'Small' },
  ]
  return {
    type: 'message',
    attachments: [
      {
        contentType: 'application/vnd.microsoft.card.adaptive',
        contentUrl: null,
        content: {
          $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
          type: 'AdaptiveCard',
          version: '1.4',
          body,
          ...(n.url !== undefined ? { actions: [{ type: 'Action.OpenUrl' as const, title: 'Details', url: n.url }] } : {}),
          msteams: { width: 'Full' },
        },
      },
    ],
  }
}, (m, f) => f(unreadableNotice(m)))
