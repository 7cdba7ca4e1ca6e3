import { describe, expect, it } from 'vitest'
import type { Adapters, Clock, DriveEvent, DriveOptions, Gates, MetricsSource, TrafficRouter } from '../../src/driver/index.js'
import { drive, fakeClock, memoryPersistence, memoryWorkloads } from '../../src/driver/index.js'
import type { Command, Sample } from '../../src/model/observation.js'
import type { RolloutSpec } from '../../src/config/spec.js'
import { specOf } from './helpers.js'

const T0 = Date.parse('2026-01-01T00:00:00Z')
const MIN = 60_000

const spec = specOf({
  strategy: { canary: { stepWeight: 20, maxWeight: 60 } },
  analysis: { interval: '1m', threshold: 2, metrics: [{ name: 'request-success-rate', thresholdRange: { min: 99 } }] },
})

/** A metrics source answering every value need with `value(call)`. */
const constant = (value: (call: number) => number): MetricsSource & { calls: () => number } => {
  let calls = 0
  return {
    calls: () => calls,
    gather: async (needs) => {
      calls += 1
      return needs.map((n): Sample => ({ kind: 'value', metric: n.metric, window: n.window, value: value(calls) }))
    },
  }
}

/** A router that records what it applied as short strings. */
const recorder = (failFirst = 0): TrafficRouter & { log: string[]; tries: number } => {
  const r = {
    log: [] as string[],
    tries: 0,
    apply: async (a: Parameters<TrafficRouter['apply']>[0]) => {
      r.tries += 1
      if (r.tries <= failFirst) throw new Error(`mesh API unavailable (try ${r.tries})`)
      r.log.push(a.type === 'setWeight' ? `weight ${a.weight}` : a.type === 'switch' ? `switch ${a.to}` : `${a.type} ${a.revision}`)
    },
  }
  return r
}

const setup = (metrics: MetricsSource, over: Partial<Adapters> = {}) => {
  const clock = fakeClock(T0)
  const router = recorder()
  const workloads = memoryWorkloads({ primary: 'v1' })
  const persistence = memoryPersistence()
  const events: DriveEvent[] = []
  const adapters: Adapters = { metrics, router, workloads, clock, persistence, ...over }
  const options: DriveOptions = { revision: 'v2', stable: 'v1', maxSteps: 200, onEvent: (e) => events.push(e) }
  return { clock, router, workloads, persistence, events, adapters, options }
}

const decisions = (events: readonly DriveEvent[]) => events.flatMap((e) => (e.type === 'decision' ? [e] : []))
const reasonCodes = (events: readonly DriveEvent[]) => decisions(events).flatMap((e) => e.decision.reasons.map((r) => r.code))

describe('drive: healthy and failing rollouts', () => {
  it('a healthy canary walks 20 -> 40 -> 60, promotes and succeeds on the virtual clock', async () => {
    const t = setup(constant(() => 99.9))
    const summary = await drive(spec, t.adapters, t.options)
    expect(summary).toMatchObject({ phase: 'succeeded', stoppedBy: 'terminal', pendingEffects: [] })
    expect(t.router.log).toEqual(['weight 20', 'weight 40', 'weight 60', 'promote v2', 'weight 0'])
    expect(t.workloads.log).toEqual(['scale followWeight 20', 'scale followWeight 40', 'scale followWeight 60', 'promote v2', 'scale followWeight 0', 'scale zero'])
    expect(t.workloads.primary()).toBe('v2')
    expect(summary.decisions).toBe(decisions(t.events).length)
    expect(summary.last?.state.phase).toBe('succeeded')
    // three analysis intervals, one promoting and one finalising tick: 5 minutes of virtual time, no real sleeping
    expect(t.clock.now() - T0).toBe(5 * MIN)
    expect(t.persistence.current()).toMatchObject({ phase: 'succeeded' })
  })

  it('a failing canary rolls back after `threshold` failed checks and says why', async () => {
    const t = setup(constant(() => 97.5))
    const summary = await drive(spec, t.adapters, t.options)
    expect(summary.phase).toBe('failed')
    expect(summary.stoppedBy).toBe('terminal')
    expect(summary.state.lastFailure).toMatchObject({ code: 'thresholdReached', metric: 'request-success-rate', observed: 97.5, bound: 99 })
    expect(summary.last?.action).toEqual({ type: 'rollback', revision: 'v2' })
    expect(t.router.log).toEqual(['weight 20', 'rollback v2'])
    expect(t.workloads.log.at(-1)).toBe('scale zero')
    expect(t.workloads.primary()).toBe('v1')
  })

  it('the desired revision equal to the stable one has nothing to roll out', async () => {
    const t = setup(constant(() => 99.9))
    const summary = await drive(spec, t.adapters, { ...t.options, revision: 'v1' })
    expect(summary.stoppedBy).toMatch(/baseline|terminal/)
    expect(t.router.log.filter((l) => l.startsWith('weight') && l !== 'weight 0')).toEqual([])
  })

  it('without a stable revision, the first revision becomes the baseline and the drive stops', async () => {
    const t = setup(constant(() => 99.9))
    const summary = await drive(spec, t.adapters, { revision: 'v1', onEvent: (e) => t.events.push(e) })
    expect(summary).toMatchObject({ phase: 'initialized', stoppedBy: 'baseline', decisions: 1 })
    expect(t.workloads.log).toEqual(['promote v1'])
  })

  it('reads the revision from workloads.revision() when options.revision is absent', async () => {
    const t = setup(constant(() => 99.9))
    const workloads = { ...memoryWorkloads({ primary: 'v1' }), revision: async () => 'v2' }
    const summary = await drive(spec, { ...t.adapters, workloads }, { stable: 'v1' })
    expect(summary.phase).toBe('succeeded')
    expect(summary.state.revision).toBe('v2')
  })
})

describe('drive: adapter failures become observations', () => {
  it('a metrics outage holds the weight with noData instead of crashing, then the rollout goes on', async () => {
    const source = constant(() => 99.9)
    let failures = 0
    const flaky: MetricsSource = {
      gather: async (needs, ctx) => {
        if (failures < 3) {
          failures += 1
          throw new Error('dial tcp 10.0.0.1:9090: connect: connection refused')
        }
        return source.gather(needs, ctx)
      },
    }
    const t = setup(flaky)
    const summary = await drive(spec, t.adapters, t.options)
    expect(summary.phase).toBe('succeeded')
    expect(t.events.filter((e) => e.type === 'metricsFailed')).toHaveLength(3)
    // the noData samples carried the error text to the engine
    const noData = decisions(t.events).flatMap((e) => e.observation.samples ?? []).filter((s) => s.kind === 'noData')
    expect(noData).toHaveLength(3)
    expect(noData[0]).toMatchObject({ detail: 'metrics source failed: dial tcp 10.0.0.1:9090: connect: connection refused' })
    expect(reasonCodes(t.events)).toContain('noData')
    // the weight stayed at 20 during the outage: no rollback, no extra weight change
    expect(t.router.log).toEqual(['weight 20', 'weight 40', 'weight 60', 'promote v2', 'weight 0'])
  })

  it('a permanent metrics outage never passes: the rollout holds, then rolls back at the noData limit', async () => {
    const dead: MetricsSource = { gather: async () => Promise.reject(new Error('prometheus down')) }
    const t = setup(dead)
    const s = specOf({
      strategy: { canary: { stepWeight: 20, maxWeight: 60 } },
      analysis: { interval: '1m', threshold: 2, noDataLimit: 4, metrics: [{ name: 'request-success-rate', thresholdRange: { min: 99 } }] },
    })
    const summary = await drive(s, t.adapters, t.options)
    expect(summary.phase).toBe('failed')
    expect(t.router.log).toEqual(['weight 20', 'rollback v2'])
    expect(reasonCodes(t.events)).toContain('noData')
  })

  it('a source that keeps sending NaN (or null entries) counts towards the noData limit instead of stalling the rollout', async () => {
    const s = specOf({
      strategy: { canary: { stepWeight: 20, maxWeight: 60 } },
      analysis: { interval: '1m', threshold: 2, noDataLimit: 3, metrics: [{ name: 'request-success-rate', thresholdRange: { min: 99 } }] },
    })
    for (const bad of [
      (needs: readonly { metric: string; window: { from: number; to: number } }[]) => needs.map((n) => ({ kind: 'value', metric: n.metric, window: n.window, value: Number.NaN })),
      () => [null],
    ]) {
      const t = setup({ gather: async (needs) => bad(needs) as never })
      const summary = await drive(s, t.adapters, t.options)
      // before: every observation was refused as invalid, so the weight stayed at 20 until maxSteps
      expect(summary.stoppedBy).toBe('terminal')
      expect(summary.phase).toBe('failed')
      expect(summary.state.lastFailure?.code).toBe('noDataLimit')
      expect(t.router.log).toEqual(['weight 20', 'rollback v2'])
      expect(reasonCodes(t.events)).not.toContain('invalidObservation')
      expect(t.events.some((e) => e.type === 'metricsFailed')).toBe(true)
    }
  })

  it('a hanging metrics source times out on the injected clock and counts as noData', async () => {
    const hang: MetricsSource = { gather: () => new Promise(() => undefined) }
    const t = setup(hang)
    const summary = await drive(spec, t.adapters, { ...t.options, callTimeoutMs: 5_000, maxSteps: 2 })
    expect(summary.stoppedBy).toBe('maxSteps')
    expect(summary.phase).toBe('progressing')
    const samples = decisions(t.events)[1]?.observation.samples
    expect(samples?.[0]).toMatchObject({ kind: 'noData', detail: 'metrics source failed: metrics source timed out after 5000 ms' })
  })

  it('a failing router is retried on the next loop and reported; the rollout still succeeds', async () => {
    const t = setup(constant(() => 99.9))
    const router = recorder(2)
    const summary = await drive(spec, { ...t.adapters, router }, { ...t.options, retryDelayMs: 1_000 })
    expect(summary.phase).toBe('succeeded')
    expect(router.log).toEqual(['weight 20', 'weight 40', 'weight 60', 'promote v2', 'weight 0'])
    const failed = t.events.flatMap((e) => (e.type === 'effectFailed' ? [e] : []))
    expect(failed.map((e) => e.attempt)).toEqual([1, 2])
    expect(failed[0]?.error).toBe('mesh API unavailable (try 1)')
  })

  it('a failing gate is a deny: the rollout waits for promotion instead of promoting', async () => {
    const gated = specOf({
      strategy: { canary: { stepWeight: 50, maxWeight: 50 } },
      analysis: { interval: '1m', threshold: 2, metrics: [{ name: 'request-success-rate', thresholdRange: { min: 99 } }] },
      gates: [{ name: 'approve', type: 'confirm-promotion' }],
    })
    const t = setup(constant(() => 99.9))
    const broken: Gates = { run: async () => Promise.reject(new Error('webhook returned 500')) }
    const summary = await drive(gated, { ...t.adapters, gates: broken }, { ...t.options, maxSteps: 8 })
    expect(summary.stoppedBy).toBe('maxSteps')
    expect(summary.phase).toBe('waitingPromotion')
    expect(t.router.log).not.toContain('promote v2')
    expect(t.events).toContainEqual({ type: 'gateFailed', gate: 'approve', error: 'webhook returned 500' })

    const t2 = setup(constant(() => 99.9))
    const ok: Gates = { run: async () => 'approve' }
    expect((await drive(gated, { ...t2.adapters, gates: ok }, t2.options)).phase).toBe('succeeded')
  })

  it('an onEvent hook that throws does not stop the rollout', async () => {
    const t = setup(constant(() => 99.9))
    const summary = await drive(spec, t.adapters, {
      ...t.options,
      onEvent: () => {
        throw new Error('logger broke')
      },
    })
    expect(summary.phase).toBe('succeeded')
  })

  it('a failing persistence is reported, not fatal', async () => {
    const t = setup(constant(() => 99.9))
    const persistence = { load: async () => undefined, save: async () => Promise.reject(new Error('etcd timeout')) }
    const summary = await drive(spec, { ...t.adapters, persistence }, t.options)
    expect(summary.phase).toBe('succeeded')
    expect(t.events.filter((e) => e.type === 'persistFailed').length).toBeGreaterThan(0)
  })
})

describe('drive: persistence and restarts', () => {
  const runThrough = async (s: RolloutSpec, value: number, stopAfter: number) => {
    // uninterrupted reference run
    const ref = setup(constant(() => value))
    const expected = await drive(s, ref.adapters, ref.options)

    // interrupted run: abort after `stopAfter` decisions, then a new drive resumes from the store
    const t = setup(constant(() => value))
    const ac = new AbortController()
    let seen = 0
    const first = await drive(s, t.adapters, {
      ...t.options,
      signal: ac.signal,
      onEvent: (e) => {
        t.events.push(e)
        if (e.type === 'decision' && ++seen === stopAfter) ac.abort()
      },
    })
    const resumedEvents: DriveEvent[] = []
    const second = await drive(s, t.adapters, { ...t.options, onEvent: (e) => resumedEvents.push(e) })
    return { ref, expected, t, first, second, resumedEvents }
  }

  it('a restart mid-rollout resumes from the persisted state with the same outcome (healthy)', async () => {
    const r = await runThrough(spec, 99.9, 2)
    expect(r.first).toMatchObject({ stoppedBy: 'aborted', phase: 'progressing' })
    expect(r.resumedEvents[0]).toEqual({ type: 'started', fresh: false, phase: 'progressing' })
    expect(r.second.phase).toBe(r.expected.phase)
    expect(r.second.state.revision).toBe('v2')
    expect(r.second.state.stable).toBe('v2')
    // the routing history is the reference one, with the resumed drive re-asserting the weight it found
    // (the abort came before the weight-40 route was applied; the resumed drive re-asserts the persisted weight)
    const dedupe = (l: string[]) => l.filter((x, i) => x !== l[i - 1])
    expect(dedupe(r.t.router.log)).toEqual(r.ref.router.log)
    expect(r.ref.router.log).toEqual(['weight 20', 'weight 40', 'weight 60', 'promote v2', 'weight 0'])
  })

  it('a restart mid-rollout resumes from the persisted state with the same outcome (failing)', async () => {
    const r = await runThrough(spec, 90, 2)
    expect(r.first.phase).toBe('progressing')
    expect(r.second.phase).toBe('failed')
    expect(r.second.state.lastFailure).toMatchObject({ code: r.expected.state.lastFailure?.code, metric: 'request-success-rate' })
    // failed checks counted before the restart still count: rollback after 2 in total, not 2 more
    expect(r.first.state.failedChecks + decisions(r.resumedEvents).length).toBeLessThanOrEqual(r.expected.decisions + 1)
  })

  it('a persisted state that does not decode is reported and the drive starts fresh', async () => {
    const t = setup(constant(() => 99.9))
    const summary = await drive(spec, { ...t.adapters, persistence: memoryPersistence({ v: 99, phase: 'nonsense' }) }, t.options)
    expect(summary.phase).toBe('succeeded')
    const discarded = t.events.find((e) => e.type === 'stateDiscarded')
    expect(discarded?.type === 'stateDiscarded' && discarded.errors.length).toBeGreaterThan(0)
    expect(t.events).toContainEqual({ type: 'started', fresh: true, phase: 'initialized' })
  })

  it('a finished rollout persisted as succeeded stays done on the next start', async () => {
    const t = setup(constant(() => 99.9))
    await drive(spec, t.adapters, t.options)
    const again = await drive(spec, t.adapters, t.options)
    expect(again).toMatchObject({ phase: 'succeeded', stoppedBy: 'terminal', decisions: 1 })
  })
})

describe('drive: cancellation and commands', () => {
  it('an AbortSignal stops the drive, even in the middle of a long wait', async () => {
    const t = setup(constant(() => 99.9))
    const ac = new AbortController()
    // a clock whose long sleeps get the drive cancelled while it waits
    const inner = fakeClock(T0)
    const clock: Clock = {
      now: inner.now,
      sleep: (ms, signal) => {
        if (ms >= 30_000) queueMicrotask(() => ac.abort())
        return inner.sleep(ms, signal)
      },
    }
    const summary = await drive(spec, { ...t.adapters, clock }, { ...t.options, signal: ac.signal, callTimeoutMs: 5_000 })
    expect(summary.stoppedBy).toBe('aborted')
    expect(summary.decisions).toBe(1)
    // aborted before the first interval elapsed
    expect(inner.now() - T0).toBeLessThan(MIN)
  })

  it('an already aborted signal stops before the first step', async () => {
    const t = setup(constant(() => 99.9))
    const summary = await drive(spec, t.adapters, { ...t.options, signal: AbortSignal.abort() })
    expect(summary).toMatchObject({ stoppedBy: 'aborted', decisions: 0, last: null })
  })

  it('a command from an async iterable wakes the loop early and is applied (abort -> rollback)', async () => {
    const t = setup(constant(() => 99.9))
    let release: () => void = () => undefined
    const firstDecision = new Promise<void>((r) => (release = r))
    async function* operator(): AsyncGenerator<Command> {
      await firstDecision
      yield 'abort'
    }
    const summary = await drive(spec, t.adapters, {
      ...t.options,
      commands: operator(),
      onEvent: (e) => {
        t.events.push(e)
        if (e.type === 'decision') release()
      },
    })
    expect(summary.phase).toBe('failed')
    expect(t.events).toContainEqual({ type: 'command', command: 'abort' })
    const ds = decisions(t.events)
    expect(ds[1]?.observation.command).toBe('abort')
    // the command did not wait for the 1-minute analysis interval
    expect((ds[1]?.observation.at ?? 0) - T0).toBeLessThan(MIN)
    expect(t.router.log).toEqual(['weight 20', 'rollback v2'])
  })

  it('a polled command source is polled while waiting (promoteFull skips the remaining steps)', async () => {
    const t = setup(constant(() => 99.9))
    let polls = 0
    const poll = (): Command | undefined => (++polls === 3 ? 'promoteFull' : undefined)
    const summary = await drive(spec, t.adapters, { ...t.options, commands: poll, commandPollMs: 10_000 })
    expect(summary.phase).toBe('succeeded')
    expect(t.router.log).not.toContain('weight 40')
    expect(t.events).toContainEqual({ type: 'command', command: 'promoteFull' })
  })

  it('a command source that throws is reported and ignored', async () => {
    const t = setup(constant(() => 99.9))
    const summary = await drive(spec, t.adapters, {
      ...t.options,
      commands: () => {
        throw new Error('cannot read command file')
      },
    })
    expect(summary.phase).toBe('succeeded')
    expect(t.events.some((e) => e.type === 'commandSourceFailed')).toBe(true)
  })

  it('maxSleepMs bounds every wait', async () => {
    const t = setup(constant(() => 99.9))
    const sleeps: number[] = []
    const inner = fakeClock(T0)
    const clock: Clock = { now: inner.now, sleep: (ms, s) => (sleeps.push(ms), inner.sleep(ms, s)) }
    await drive(spec, { ...t.adapters, clock }, { ...t.options, maxSleepMs: 15_000, callTimeoutMs: 10_000 })
    const waits = sleeps.filter((ms) => ms !== 10_000)
    expect(waits.length).toBeGreaterThan(0)
    expect(Math.max(...waits)).toBeLessThanOrEqual(15_000)
  })
})

describe('drive: terminal phases', () => {
  it('post-rollout gates are run once after the rollout ends, then the drive stops', async () => {
    const s = specOf({
      strategy: { canary: { stepWeight: 50, maxWeight: 50 } },
      analysis: { interval: '1m', threshold: 2, metrics: [{ name: 'request-success-rate', thresholdRange: { min: 99 } }] },
      gates: [{ name: 'notify', type: 'post-rollout' }],
    })
    const t = setup(constant(() => 99.9))
    const asked: string[] = []
    const gates: Gates = { run: async (need, gate) => (asked.push(`${need.gate}:${gate?.type ?? '?'}`), 'approve') }
    const summary = await drive(s, { ...t.adapters, gates }, t.options)
    expect(summary).toMatchObject({ phase: 'succeeded', stoppedBy: 'terminal' })
    expect(asked).toEqual(['notify:post-rollout'])
  })

  it('a rollback whose routing keeps failing is retried every retryDelayMs, not in a hot loop', async () => {
    const t = setup(constant(() => 90))
    let routeCalls = 0
    const router: TrafficRouter = {
      apply: async (a) => {
        routeCalls += 1
        if (a.type === 'rollback') throw new Error('mesh API down')
      },
    }
    const summary = await drive(spec, { ...t.adapters, router }, { ...t.options, retryDelayMs: 10_000, maxSteps: 10 })
    expect(summary.phase).toBe('failed')
    expect(summary.stoppedBy).toBe('maxSteps')
    expect(summary.pendingEffects.map((e) => e.kind)).toEqual(['route', 'scaleCanary'])
    // after the rollback decision (at 2 min) every further loop waited retryDelayMs
    const ats = decisions(t.events).map((e) => e.observation.at - T0)
    const afterRollback = ats.slice(ats.indexOf(2 * MIN))
    expect(afterRollback.slice(1).every((at, i) => at - (afterRollback[i] ?? 0) >= 10_000)).toBe(true)
    expect(routeCalls).toBeGreaterThan(5)
  })
})
