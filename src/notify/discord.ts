/**
 * A notice as a Discord webhook message: a short `content` line and one embed (title, description,
 * colour by severity, fields, timestamp), clipped to Discord's limits (content 2000 characters, title
 * 256, description 4096, at most 25 fields of name 256 / value 1024, 6000 characters per embed).
 *
 * @module
 */
import { clip, reasonText, unreadableNotice, type Notice } from './notice.js'
import { guarded } from '../model/guard.js'

/**
 * One embed field.
 *
 * @example
 * ```ts
 * const f: DiscordField = { name: 'Phase', value: 'failed', inline: true }
 * ```
 * @category model
 */
export interface DiscordField {
  readonly name: string
  readonly value: string
  readonly inline?: boolean
}

/**
 * A Discord embed.
 *
 * @example
 * ```ts
 * const e: DiscordEmbed = { title: 'podinfo v2 rolled back', description: '...', color: 0xd62728, fields: [], timestamp: '2026-01-01T00:00:00.000Z' }
 * ```
 * @category model
 */
export interface DiscordEmbed {
  readonly title: string
  readonly description: string
  /** RGB as an integer. */
  readonly color: number
  readonly fields: readonly DiscordField[]
  readonly timestamp: string
  readonly url?: string
}

/**
 * The Discord webhook payload.
 *
 * @example
 * ```ts
 * const m: DiscordMessage = { content: 'podinfo v2 rolled back', embeds: [] }
 * ```
 * @category model
 */
export interface DiscordMessage {
  readonly content: string
  readonly embeds: readonly DiscordEmbed[]
  readonly allowed_mentions: { readonly parse: readonly [] }
}

const COLOR = { info: 0x1f77b4, warn: 0xff7f0e, error: 0xd62728 } as const

/**
 * Renders a notice as a Discord webhook message (mentions disabled). Pure.
 *
 * @example
 * ```ts
 * declare const n: Notice
 * discordMessage(n).embeds[0]?.color
 * ```
 * @category notify
 */
export const discordMessage = guarded('discordMessage', (n: Notice): DiscordMessage => {
  const fields: DiscordField[] = [
    { name: 'Phase', value: n.phase, inline: true },
    { name: 'Action', value: n.action, inline: true },
    { name: 'Canary weight', value: `${n.weight}%`, inline: true },
    { name: 'Failed checks', value: String(n.failedChecks), inline: true },
    { name: 'Revision', value: clip(n.revision ?? '-', 1024), inline: true },
    ...n.reasons.slice(0, 20).map((r) => ({ name: clip(r.metric ?? r.code, 256), value: clip(reasonText(r), 1024) })),
  ]
  // keep the embed within 6000 characters in all: the description gives way first
  const fixed = n.title.length + fields.reduce((a, f) => a + f.name.length + f.value.length, 0)
  return {
    content: clip(`${n.title}: ${n.summary}`, 2000),
    embeds: [
      {
        title: clip(n.title, 256),
        description: clip(n.summary, Math.max(100, Math.min(4096, 5900 - fixed))),
        color: COLOR[n.severity],
        fields: fields.slice(0, 25),
        timestamp: n.time,
        ...(n.url !== undefined ? { url: n.url } : {}),
      },
    ],
    allowed_mentions: { parse: [] },
  }
}, (m, f) => f(unreadableNotice(m)))
