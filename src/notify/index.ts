/**
 * `rollout-kernel/notify`: pure renderers from the engine's decisions to chat and webhook payloads. `noticeOf`
 * picks the notable events of a decision and says why (metric, value and bound); `slackMessage` (Block
 * Kit), `teamsMessage` (Adaptive Card), `discordMessage` (embed) and `webhookPayload` shape it. Nothing
 * here sends anything: post the payload with your own HTTP client.
 *
 * @example
 * ```ts
 * import { noticeOf, slackMessage } from 'rollout-kernel/notify'
 * import type { Decision } from 'rollout-kernel'
 * declare const decision: Decision
 * const notice = noticeOf(decision, { rollout: 'podinfo', namespace: 'test', at: Date.now() })
 * if (notice !== null) console.log(JSON.stringify(slackMessage(notice)))
 * ```
 * @packageDocumentation
 */
export {
  clip,
  NOTABLE_EVENTS,
  noticeOf,
  reasonText,
  unreadableNotice,
  type Notice,
  type NoticeOptions,
  type NoticeReason,
  type NoticeSeverity,
} from './notice.js'
export { slackMessage, type SlackBlock, type SlackMessage, type SlackText } from './slack.js'
export { teamsMessage, type AdaptiveCard, type AdaptiveElement, type TeamsMessage } from './teams.js'
export { discordMessage, type DiscordEmbed, type DiscordField, type DiscordMessage } from './discord.js'
export { webhookPayload, type WebhookPayload } from './webhook.js'
