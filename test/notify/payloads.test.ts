import { Ajv } from 'ajv'
import fc from 'fast-check'
import * as E from 'fp-ts/lib/Either.js'
import { describe, expect, it } from 'vitest'
import { loadSpec } from '../../src/cli/load.js'
import { processIo } from '../../src/cli/io.js'
import { builtinScenario } from '../../src/cli/scenario.js'
import { runSimulation } from '../../src/cli/simulation.js'
import { discordMessage, noticeOf, slackMessage, teamsMessage, webhookPayload, type Notice } from '../../src/notify/index.js'
import { discordSchema, slackSchema, teamsSchema, webhookSchema } from './schemas.js'

const ajv = new Ajv({ allErrors: true, strict: false })
const validators = {
  slack: ajv.compile(slackSchema),
  teams: ajv.compile(teamsSchema),
  discord: ajv.compile(discordSchema),
  webhook: ajv.compile(webhookSchema),
}

const check = (n: Notice): void => {
  const payloads = { slack: slackMessage(n), teams: teamsMessage(n), discord: discordMessage(n), webhook: webhookPayload(n) }
  for (const [k, p] of Object.entries(payloads)) {
    const v = validators[k as keyof typeof validators]
    // through JSON, as it goes over the wire
    const ok = v(JSON.parse(JSON.stringify(p)))
    expect(ok, `${k}: ${ajv.errorsText(v.errors)}`).toBe(true)
  }
  const embed = payloads.discord.embeds[0]
  const total = (embed?.title.length ?? 0) + (embed?.description.length ?? 0) + (embed?.fields ?? []).reduce((a, f) => a + f.name.length + f.value.length, 0)
  expect(total).toBeLessThanOrEqual(6000)
}

const simulated = (scenario: string) => {
  const loaded = loadSpec('examples/canary.yaml', processIo())
  if (E.isLeft(loaded)) throw new Error(loaded.left.join('\n'))
  const sc = builtinScenario(scenario, 100, loaded.right.spec.analysis.intervalMs)
  if (sc === undefined) throw new Error(scenario)
  return runSimulation(loaded.right.spec, sc, { seed: 1 }).ticks
}

describe('notifications', () => {
  it('a rollback: every payload names the metric, the value and the bound, and matches its documented shape', () => {
    const ticks = simulated('regression')
    const notices = ticks.flatMap((t) => {
      const n = noticeOf(t.decision, { rollout: 'podinfo', namespace: 'test', at: Date.parse('2026-01-01T00:00:00Z') + t.at })
      return n === null ? [] : [n]
    })
    expect(notices.length).toBeGreaterThan(1)
    for (const n of notices) check(n)
    const rollback = notices.find((n) => n.action === 'rollback')
    expect(rollback).toBeDefined()
    const r = rollback as Notice
    expect(r.severity).toBe('error')
    expect(r.title).toBe('podinfo v2 rolled back')
    expect(r.summary).toMatch(/\(metric [\w-]+, value [\d.]+, bound [\d.]+\)/)
    const metric = /metric ([\w-]+)/.exec(r.summary)?.[1] ?? ''
    expect(JSON.stringify(slackMessage(r))).toContain(`metric ${metric}, value`)
    expect(slackMessage(r).text).toContain(r.summary)
    expect(teamsMessage(r).attachments[0].content.body[1]).toMatchObject({ type: 'TextBlock', text: r.summary })
    expect(discordMessage(r).embeds[0]?.description).toBe(r.summary)
    expect(webhookPayload(r)).toMatchObject({ schema: 'rollout-kernel/notification', action: 'rollback', phase: 'failed', text: r.summary })
  })

  it('a healthy rollout: start and promotion notices only, no notice for a plain passing tick', () => {
    const ticks = simulated('healthy')
    const titles = ticks.flatMap((t) => noticeOf(t.decision, { rollout: 'podinfo', at: t.at })?.title ?? [])
    expect(titles[0]).toBe('podinfo v2 rollout started')
    expect(titles).toContain('podinfo v2 promoted')
    expect(titles.at(-1)).toBe('podinfo v2 succeeded')
    expect(titles.some((t) => t.includes('rolled back'))).toBe(false)
    expect(titles.length).toBeLessThan(ticks.length)
  })

  it('payloads stay within the documented limits whatever the text lengths (property)', () => {
    const text = fc.string({ minLength: 1, maxLength: 5000 })
    fc.assert(
      fc.property(text, text, fc.array(fc.record({ code: fc.constant('metricFailed'), message: text, metric: fc.string({ minLength: 1, maxLength: 400 }), observed: fc.double({ noNaN: true, noDefaultInfinity: true }), bound: fc.double({ noNaN: true, noDefaultInfinity: true }) }), { maxLength: 30 }), (title, summary, reasons) => {
        const n: Notice = {
          title,
          summary,
          severity: 'error',
          rollout: 'r',
          revision: 'v2',
          phase: 'failed',
          action: 'rollback',
          weight: 0,
          failedChecks: 3,
          events: [{ type: 'rolledBack', severity: 'error', message: summary }],
          reasons,
          time: '2026-01-01T00:00:00.000Z',
        }
        check(n)
      }),
      { numRuns: 60 },
    )
  })
})
