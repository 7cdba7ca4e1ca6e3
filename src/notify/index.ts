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
export * from './notice.js'
export * from './slack.js'
export * from './teams.js'
export * from './discord.js'
export * from './webhook.js'
