/**
 * `drive` never consumes a queued command without a decision that acted on it or refused it with a reason
 * (issue 15 item 2), on the fake clock: a revision probe that returns something unusable is reported and
 * not sent (so the observation carrying the command is used), and a command whose observation the engine
 * refused as a whole goes back to the front of the queue.
 */
import { describe, expect, it } from 'vitest'
import type { Adapters, Clock, DriveEvent, MetricsSource, TrafficRouter } from '../../src/driver/index.js'
import { drive, fakeClock, memoryWorkloads } from '../../src/driver/index.js'
import type { Command, Sample } from '../../src/model/observation.js'
import { specOf } from './helpers.js'

const T0 = Date.parse('2026-01-01T00:00:00Z')

const spec = specOf({
  strategy: { canary: { stepWeight: 10, maxWeight: 90 } },
  analysis: { interval: '1m', metrics: [{ name: 'sr', thresholdRange: { min: 99 } }] },
})

const healthy: MetricsSource = {
  gather: async (needs) => needs.map((n): Sample => ({ kind: 'value', metric: n.metric, window: n.window, value: 99.9 })),
}

const recorder = (): TrafficRouter & { log: string[] } => {
  const log: string[] = []
  return { log, apply: async (a) => void log.push(a.type === 'setWeight' ? `weight ${a.weight}` : `${a.type}`) }
}

const decisions = (events: readonly DriveEvent[]) => events.flatMap((e) => (e.type === 'decision' ? [e] : []))

describe('drive keeps a queued command until a decision acts on it or refuses it', () => {
  for (const [label, bad] of [
    ["''", ''],
    ['null', null],
    ['a 254-character string', 'v'.repeat(254)],
    ['a number', 42],
  ] as const) {
    it(`a revision probe returning ${label} does not eat an abort (the rollout at 30% is rolled back)`, async () => {
      const clock = fakeClock(T0)
      const router = recorder()
      let probes = 0
      // v2 for the first three probes (weights 10, 20, 30), then the unusable value for ever
      const workloads = { ...memoryWorkloads({ primary: 'v1' }), revision: async () => (++probes <= 3 ? 'v2' : (bad as unknown as string)) }
      let polls = 0
      const commands = (): Command | undefined => (probes >= 4 && polls++ === 0 ? 'abort' : undefined)
      const events: DriveEvent[] = []
      const adapters: Adapters = { metrics: healthy, router, workloads, clock }
      const summary = await drive(spec, adapters, { stable: 'v1', commands, maxSteps: 50, onEvent: (e) => events.push(e) })
      expect(summary.phase).toBe('failed')
      expect(summary.state.lastFailure?.code).toBe('aborted')
      expect(router.log).toEqual(['weight 10', 'weight 20', 'weight 30', 'rollback'])
      expect(events.some((e) => e.type === 'revisionFailed' && e.error.includes('revision probe returned'))).toBe(true)
      // no observation was refused: the unusable revision was never sent
      expect(decisions(events).every((e) => e.observation.revision === undefined || e.observation.revision === 'v2')).toBe(true)
    })
  }

  it('a command whose observation the engine refused is put back and applied with the next one', async () => {
    const inner = fakeClock(T0)
    let poisoned = false
    // a clock that reads NaN while the observation carrying the command is built: the engine refuses it
    const clock: Clock = { now: () => (poisoned ? Number.NaN : inner.now()), sleep: (ms, signal) => inner.sleep(ms, signal) }
    const router = recorder()
    let polls = 0
    let taken = 0
    const commands = (): Command | undefined => {
      polls += 1
      if (polls === 3) {
        taken += 1
        poisoned = true
        return 'abort'
      }
      return undefined
    }
    const events: DriveEvent[] = []
    const summary = await drive(spec, { metrics: healthy, router, workloads: memoryWorkloads({ primary: 'v1' }), clock }, {
      revision: 'v2',
      stable: 'v1',
      commands,
      maxSteps: 50,
      onEvent: (e) => {
        events.push(e)
        if (e.type === 'decision') poisoned = false
      },
    })
    expect(taken).toBe(1)
    const deferred = events.filter((e) => e.type === 'commandDeferred')
    expect(deferred).toHaveLength(1)
    expect(deferred[0]).toMatchObject({ command: 'abort', reason: expect.stringContaining('the command abort was not applied') })
    expect(summary.phase).toBe('failed')
    expect(summary.state.lastFailure?.code).toBe('aborted')
    // the refused observation and the one that applied the command both carried it
    expect(decisions(events).filter((e) => e.observation.command === 'abort')).toHaveLength(2)
  })
})
