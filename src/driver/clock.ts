/**
 * Clocks for the shell: the system clock (wall time, real timers) and a virtual clock for tests
 * that advances time itself instead of sleeping.
 *
 * @module
 */
import type { Clock } from './adapters.js'

/**
 * The wall clock: `Date.now()` and `setTimeout`, with `sleep` resolving early when its signal aborts.
 *
 * @example
 * ```ts
 * const started = systemClock.now()
 * await systemClock.sleep(50)
 * systemClock.now() - started >= 50 // true (give or take timer resolution)
 * ```
 * @category clocks
 */
export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms, signal) =>
    new Promise<void>((resolve) => {
      if (signal?.aborted) return resolve()
      const done = (): void => {
        clearTimeout(timer)
        signal?.removeEventListener('abort', done)
        resolve()
      }
      const timer = setTimeout(done, Math.max(0, ms))
      signal?.addEventListener('abort', done, { once: true })
    }),
}

/**
 * A virtual clock: `sleep` never waits on the wall clock. Once the current synchronous work and its
 * promise chains have run (on the next macrotask), time jumps to the earliest pending sleeper's wake-up
 * time and that sleeper resumes. `advance` moves time by hand.
 *
 * @example
 * ```ts
 * const clock = fakeClock(0)
 * await clock.sleep(60_000) // returns at once
 * clock.now() // 60_000
 * ```
 * @category clocks
 */
export interface FakeClock extends Clock {
  /** Moves time forward by `ms`, waking every sleeper whose time has come. */
  advance(ms: number): void
  /** Number of sleepers not woken yet. */
  pending(): number
}

interface Sleeper {
  readonly at: number
  readonly seq: number
  readonly wake: () => void
}

/**
 * Creates a virtual clock starting at `start` (epoch ms).
 *
 * @example
 * ```ts
 * const clock = fakeClock(Date.parse('2026-01-01T00:00:00Z'))
 * const adapters = { clock } // plus metrics, router, workloads
 * ```
 * @category clocks
 */
export const fakeClock = (start = 0): FakeClock => {
  let t = start
  let seq = 0
  let scheduled = false
  const sleepers: Sleeper[] = []

  const remove = (s: Sleeper): boolean => {
    const i = sleepers.indexOf(s)
    if (i < 0) return false
    sleepers.splice(i, 1)
    return true
  }

  const earliest = (): Sleeper | undefined =>
    sleepers.reduce<Sleeper | undefined>((best, s) => (best === undefined || s.at < best.at || (s.at === best.at && s.seq < best.seq) ? s : best), undefined)

  const schedule = (): void => {
    if (scheduled) return
    scheduled = true
    setImmediate(() => {
      scheduled = false
      const next = earliest()
      if (next === undefined) return
      remove(next)
      t = Math.max(t, next.at)
      next.wake()
      if (sleepers.length > 0) schedule()
    })
  }

  return {
    now: () => t,
    sleep: (ms, signal) =>
      new Promise<void>((resolve) => {
        if (signal?.aborted) return resolve()
        const onAbort = (): void => {
          if (remove(sleeper)) resolve()
        }
        const sleeper: Sleeper = {
          at: t + Math.max(0, ms),
          seq: seq++,
          wake: () => {
            signal?.removeEventListener('abort', onAbort)
            resolve()
          },
        }
        sleepers.push(sleeper)
        signal?.addEventListener('abort', onAbort, { once: true })
        schedule()
      }),
    advance: (ms) => {
      t += Math.max(0, ms)
      for (const s of [...sleepers].sort((a, b) => a.at - b.at || a.seq - b.seq)) {
        if (s.at <= t) {
          remove(s)
          s.wake()
        }
      }
    },
    pending: () => sleepers.length,
  }
}
