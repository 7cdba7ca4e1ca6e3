/**
 * A notice as a Slack message for an incoming webhook or `chat.postMessage`: Block Kit blocks (a header,
 * a section with the summary, a fields section, a context line) and the top-level `text` fallback that
 * notifications and screen readers use. Text is clipped to Block Kit's limits (header 150 characters,
 * section text 3000, at most 10 fields of 2000).
 *
 * @module
 */
import { clip, reasonText, unreadableNotice, type Notice } from './notice.js'
import { guarded } from '../model/guard.js'

/**
 * A Block Kit text object.
 *
 * @example
 * ```ts
 * const t: SlackText = { type: 'mrkdwn', text: '*bold*' }
 * ```
 * @category model
 */
export type SlackText = { readonly type: 'plain_text'; readonly text: string; readonly emoji?: boolean } | { readonly type: 'mrkdwn'; readonly text: string }

/**
 * The Block Kit blocks this renderer uses.
 *
 * @example
 * ```ts
 * const b: SlackBlock = { type: 'divider' }
 * ```
 * @category model
 */
export type SlackBlock =
  | { readonly type: 'header'; readonly text: SlackText & { readonly type: 'plain_text' } }
  | { readonly type: 'section'; readonly text?: SlackText; readonly fields?: readonly SlackText[] }
  | { readonly type: 'context'; readonly elements: readonly SlackText[] }
  | { readonly type: 'divider' }

/**
 * A Slack message payload.
 *
 * @example
 * ```ts
 * const m: SlackMessage = { text: 'podinfo v2 rolled back', blocks: [] }
 * ```
 * @category model
 */
export interface SlackMessage {
  readonly text: string
  readonly blocks: readonly SlackBlock[]
}

const EMOJI = { info: ':large_blue_circle:', warn: ':warning:', error: ':red_circle:' } as const

/** Escapes the three characters Slack's mrkdwn treats as control characters. */
const mrkdwn = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')

/**
 * Renders a notice as a Slack Block Kit message. Pure.
 *
 * @example
 * ```ts
 * declare const n: Notice
 * await fetch(process.env.SLACK_WEBHOOK ?? '', { method: 'POST', body: JSON.stringify(slackMessage(n)) })
 * ```
 * @category notify
 */
export const slackMessage = guarded('slackMessage', (n: Notice): SlackMessage => {
  const fields: SlackText[] = [
    { type: 'mrkdwn', text: `*Phase*\n${n.phase}` },
    { type: 'mrkdwn', text: `*Action*\n${n.action}` },
    { type: 'mrkdwn', text: `*Canary weight*\n${n.weight}%` },
    { type: 'mrkdwn', text: `*Failed checks*\n${n.failedChecks}` },
    ...n.reasons.slice(0, 6).map((r): SlackText => ({ type: 'mrkdwn', text: clip(`*${mrkdwn(r.metric ?? r.code)}*\n${mrkdwn(reasonText(r))}`, 2000) })),
  ]
  const where = `${n.namespace !== undefined ? `${n.namespace}/` : ''}${n.rollout}`
  return {
    text: clip(`${n.title}: ${n.summary}`, 3000),
    blocks: [
      { type: 'header', text: { type: 'plain_text', text: clip(n.title, 150), emoji: true } },
      { type: 'section', text: { type: 'mrkdwn', text: clip(`${EMOJI[n.severity]} ${mrkdwn(n.summary)}`, 3000) } },
      { type: 'section', fields: fields.slice(0, 10) },
      { type: 'context', elements: [{ type: 'mrkdwn', text: clip(`${mrkdwn(where)} · revision ${mrkdwn(n.revision ?? '-')} · ${n.time}${n.url !== undefined ? ` · <${n.url}|details>` : ''}`, 3000) }] },
    ],
  }
}, (m, f) => f(unreadableNotice(m)))
