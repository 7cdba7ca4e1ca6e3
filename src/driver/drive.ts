/**
 * `drive`: the reference shell around the pure engine. One loop iteration gathers what the last decision
 * needs (metrics, gates, readiness), takes a queued operator command, calls `step`, applies the action
 * through the router and workloads, persists the encoded state and waits until the decision's `wakeAt`
 * (bounded, and cut short by an arriving command). It stops at a terminal phase or on cancellation.
 * It never throws: adapter failures become observations or retries, and are reported through `onEvent`.
 *
 * @module
 */
import * as E from 'fp-ts/lib/Either.js'
import type { RolloutSpec } from '../config/spec.js'
import type { Decision, Need } from '../engine/decision.js'
import type { Command, Observation } from '../model/observation.js'
import type { Phase, RolloutState } from '../engine/state.js'
import { decodeState, encodeState, initialState, step } from '../index.js'
import type { AdapterContext, Adapters } from './adapters.js'
import { commandInbox, type CommandSource } from './commands.js'
import { effectsOf, reassertTraffic, runEffect, type Effect } from './effects.js'
import type { DriveEvent } from './events.js'
import { gatherNeeds } from './gather.js'
import { errorText, withTimeout } from './timeout.js'
import { describeValue } from '../model/errors.js'
import { guardedAsync } from '../model/guard.js'
import { phaseSet, ROUTED_PHASES, TERMINAL_PHASES } from '../model/phase.js'

/**
 * Options of `drive`. Every field is optional.
 *
 * @example
 * ```ts
 * const controller = new AbortController()
 * const options: DriveOptions = { revision: 'v2', stable: 'v1', maxSleepMs: 30_000, signal: controller.signal, onEvent: console.log }
 * ```
 * @category model
 */
export interface DriveOptions {
  /** The desired canary revision; when absent, `workloads.revision()` is asked every loop. */
  readonly revision?: string
  /** The revision the primary already runs, for a fresh state (see `initialState`). */
  readonly stable?: string
  /** Stops the drive (the summary says `aborted`). */
  readonly signal?: AbortSignal
  /** Operator commands: an async iterable, or a function polled before each step and while waiting. */
  readonly commands?: CommandSource
  /** How often a poll-function command source is polled while waiting (default 1 000 ms). */
  readonly commandPollMs?: number
  /** Longest single wait, whatever `wakeAt` says (default 60 000 ms). */
  readonly maxSleepMs?: number
  /** Shortest wait when the engine asks to be called again at once several times in a row (default 1 000 ms). */
  readonly minSleepMs?: number
  /** Wait before retrying effects that failed (default 5 000 ms, capped by `wakeAt`). */
  readonly retryDelayMs?: number
  /** Time limit of each adapter call (default 30 000 ms; a gate's own `timeoutMs` wins). */
  readonly callTimeoutMs?: number
  /** Stop after this many decisions (default: no limit). */
  readonly maxSteps?: number
  /** Receives every decision and every adapter failure. Exceptions it throws are ignored. */
  readonly onEvent?: (event: DriveEvent) => void
}

/**
 * Why `drive` returned:
 * - `terminal`: the rollout reached `succeeded` or `failed`;
 * - `baseline`: the desired revision is the stable one (nothing to roll out);
 * - `aborted`: `options.signal` aborted; `maxSteps`: the step budget ran out;
 * - `error`: `step` or the loop itself failed unexpectedly (see `error`).
 *
 * @example
 * ```ts
 * const why: StopReason = 'terminal'
 * ```
 * @category model
 */
export type StopReason = 'terminal' | 'baseline' | 'aborted' | 'maxSteps' | 'error'

/**
 * What `drive` returns.
 *
 * @example
 * ```ts
 * declare const s: DriveSummary
 * if (s.phase === 'failed') console.error(s.state.lastFailure?.message)
 * ```
 * @category model
 */
export interface DriveSummary {
  readonly phase: Phase
  readonly state: RolloutState
  readonly stoppedBy: StopReason
  /** Number of `step` calls made by this drive. */
  readonly decisions: number
  /** The last decision, or `null` if `step` was never called. */
  readonly last: Decision | null
  /** Effects still unapplied when the drive stopped. */
  readonly pendingEffects: readonly Effect[]
  readonly error?: string
}

const TERMINAL = phaseSet(TERMINAL_PHASES)

/** What the engine accepts as a revision (anything else from a probe is reported and not sent). */
const isRevision = (u: unknown): u is string => typeof u === 'string' && u.length > 0 && u.length <= 253
const RESUME_ROUTING = phaseSet(ROUTED_PHASES)

/**
 * Drives one rollout to its end. Resumes from `adapters.persistence` when it holds a state (a state that
 * does not decode is reported as `stateDiscarded` and the drive starts fresh).
 *
 * @example
 * ```ts
 * import * as E from 'fp-ts/lib/Either.js'
 * import { decodeSpec } from 'rollout-kernel'
 * import { drive, systemClock } from 'rollout-kernel/driver'
 * declare const metrics: MetricsSource, router: TrafficRouter, workloads: Workloads
 * const spec = decodeSpec({ strategy: { canary: { stepWeight: 20, maxWeight: 60 } }, analysis: { interval: '1m', threshold: 2 } })
 * if (E.isRight(spec)) {
 *   const summary = await drive(spec.right, { metrics, router, workloads, clock: systemClock }, { revision: 'v2', stable: 'v1' })
 *   console.log(summary.phase, summary.decisions)
 * }
 * ```
 * @category driver
 */
export const drive = guardedAsync('drive', async (spec: RolloutSpec, adapters: Adapters, options: DriveOptions = {}): Promise<DriveSummary> => {
  const { clock } = adapters
  const signal = options.signal ?? new AbortController().signal
  const maxSleepMs = Math.max(1, options.maxSleepMs ?? 60_000)
  const minSleepMs = Math.max(1, options.minSleepMs ?? 1_000)
  const retryDelayMs = Math.max(1, options.retryDelayMs ?? 5_000)
  const callTimeoutMs = Math.max(1, options.callTimeoutMs ?? 30_000)
  const pollMs = Math.max(1, options.commandPollMs ?? 1_000)
  const maxSteps = options.maxSteps ?? Infinity

  const report = (e: DriveEvent): void => {
    try {
      options.onEvent?.(e)
    } catch {
      // a failing logger must not stop the rollout
    }
  }

  const inbox = commandInbox(options.commands, (error) => report({ type: 'commandSourceFailed', error }))
  let wake: AbortController | null = null
  inbox.onArrival(() => wake?.abort())

  let state: RolloutState | undefined
  let decisions = 0
  let last: Decision | null = null
  let pending: Effect[] = []
  const attempts = new Map<Effect, number>()

  const summary = (stoppedBy: StopReason, s: RolloutState, error?: string): DriveSummary => {
    inbox.close()
    return { phase: s.phase, state: s, stoppedBy, decisions, last, pendingEffects: pending, ...(error !== undefined ? { error } : {}) }
  }

  const ctxFor = (s: RolloutState): AdapterContext => ({ spec, state: s, now: clock.now(), signal })

  const applyPending = async (s: RolloutState): Promise<void> => {
    while (pending.length > 0 && !signal.aborted) {
      const effect = pending[0] as Effect
      try {
        await withTimeout(clock, callTimeoutMs, signal, 'effect', (sig) => runEffect(adapters, effect, { ...ctxFor(s), signal: sig }))
        pending = pending.slice(1)
        attempts.delete(effect)
        report({ type: 'effectApplied', effect })
      } catch (err) {
        const attempt = (attempts.get(effect) ?? 0) + 1
        attempts.set(effect, attempt)
        report({ type: 'effectFailed', effect, error: errorText(err), attempt })
        return
      }
    }
  }

  /** Waits `ms` on the clock; returns early on abort or when a command arrives (unless `evenIfQueued`). */
  const waitFor = async (ms: number, evenIfQueued = false): Promise<void> => {
    const end = clock.now() + ms
    while (!signal.aborted && (evenIfQueued || !inbox.hasQueued())) {
      const remaining = end - clock.now()
      if (remaining <= 0) return
      const ac = new AbortController()
      wake = ac
      const onAbort = (): void => ac.abort()
      signal.addEventListener('abort', onAbort, { once: true })
      try {
        await clock.sleep(inbox.polled ? Math.min(remaining, pollMs) : remaining, ac.signal)
      } finally {
        signal.removeEventListener('abort', onAbort)
        wake = null
      }
      if (inbox.polled && !signal.aborted) await inbox.poll()
    }
  }

  try {
    // 1. Resume or start fresh.
    let fresh = true
    if (adapters.persistence !== undefined) {
      try {
        const saved = await adapters.persistence.load()
        if (saved !== undefined && saved !== null) {
          const decoded = decodeState(saved)
          if (E.isRight(decoded)) {
            state = decoded.right
            fresh = false
          } else {
            report({ type: 'stateDiscarded', errors: decoded.left })
          }
        }
      } catch (err) {
        report({ type: 'loadFailed', error: errorText(err) })
      }
    }
    if (state === undefined) {
      state = initialState(spec, clock.now(), options.stable !== undefined ? { stable: options.stable } : {})
    }
    report({ type: 'started', fresh, phase: state.phase })
    if (!fresh && RESUME_ROUTING.has(state.phase)) pending = reassertTraffic(state.traffic)

    let needs: readonly Need[] = [{ kind: 'readiness' }]
    let immediate = 0
    let postStepDone = false

    // 2. The loop.
    for (;;) {
      if (signal.aborted) return summary('aborted', state)
      if (pending.length > 0) await applyPending(state)

      const ctx = ctxFor(state)
      let revision = options.revision
      if (revision === undefined && adapters.workloads.revision !== undefined) {
        const probe = adapters.workloads.revision.bind(adapters.workloads)
        try {
          const probed: unknown = await withTimeout(clock, callTimeoutMs, signal, 'revision probe', (sig) => probe({ ...ctx, signal: sig }))
          if (isRevision(probed)) revision = probed
          else if (probed !== undefined) report({ type: 'revisionFailed', error: `the revision probe returned ${describeValue(probed)}, expected a non-empty string of at most 253 characters: the revision is left as it is` })
        } catch (err) {
          report({ type: 'revisionFailed', error: errorText(err) })
        }
      }
      const command: Command | undefined = await inbox.take()
      if (command !== undefined) report({ type: 'command', command })
      // Windows that end in the future (an early wake-up) are not measurable yet: the engine asks again.
      const due = needs.filter((n) => n.kind !== 'metric' || n.window.to <= ctx.now)
      const gathered = await gatherNeeds(adapters, due, ctx, callTimeoutMs, report)
      if (signal.aborted) return summary('aborted', state)

      const obs: Observation = {
        at: Math.max(clock.now(), state.at),
        ...(revision !== undefined ? { revision } : {}),
        ...(gathered.ready !== undefined ? { ready: gathered.ready } : {}),
        ...(gathered.samples.length > 0 ? { samples: gathered.samples } : {}),
        ...(Object.keys(gathered.gates).length > 0 ? { gates: gathered.gates } : {}),
        ...(command !== undefined ? { command } : {}),
      }
      let decision: Decision
      try {
        decision = step(spec, state, obs)
      } catch (err) {
        report({ type: 'stepFailed', error: errorText(err) })
        return summary('error', state, `step threw: ${errorText(err)}`)
      }
      decisions += 1
      last = decision
      // a refused observation (the engine returns the state it was given) did not apply its command:
      // the command goes back to the front of the queue, to be sent with the next observation
      const deferred = command !== undefined && decision.state === state
      if (deferred) {
        inbox.putBack(command)
        report({ type: 'commandDeferred', command, reason: decision.reasons[0]?.message ?? 'observation refused' })
      }
      state = decision.state
      report({ type: 'decision', observation: obs, decision })

      pending = [...pending, ...effectsOf(decision.action)]
      await applyPending(state)

      if (adapters.persistence !== undefined) {
        try {
          await adapters.persistence.save(encodeState(state))
        } catch (err) {
          report({ type: 'persistFailed', error: errorText(err) })
        }
      }
      needs = decision.needs

      // 3. Stop?
      const gatesLeft = needs.some((n) => n.kind === 'gate')
      if (TERMINAL.has(state.phase) && (!gatesLeft || postStepDone) && pending.length === 0) return summary('terminal', state)
      if (TERMINAL.has(state.phase)) postStepDone = true
      if (state.phase === 'initialized' && revision !== undefined && state.stable === revision && pending.length === 0) {
        return summary('baseline', state)
      }
      if (decisions >= maxSteps) return summary('maxSteps', state)

      // 4. Wait.
      const now = clock.now()
      const untilWake = Math.min(maxSleepMs, Math.max(0, (decision.wakeAt ?? now + maxSleepMs) - now))
      // unapplied effects: retry soon (but not in a hot loop); terminal: one more call for post-rollout gates
      let delay = pending.length > 0 ? Math.min(retryDelayMs, untilWake === 0 ? retryDelayMs : untilWake) : TERMINAL.has(state.phase) ? 0 : untilWake
      if (delay === 0) {
        immediate += 1
        if (immediate > 3) {
          delay = minSleepMs
          immediate = 0
        }
      } else {
        immediate = 0
      }
      // a command put back after a refused observation must not make the loop spin: wait as usual
      if (deferred) await waitFor(Math.max(delay, minSleepMs), true)
      else if (delay > 0 && !inbox.hasQueued()) await waitFor(delay)
    }
  } catch (err) {
    const s = state ?? initialState(spec, 0)
    return summary('error', s, `drive failed: ${errorText(err)}`)
  }
}, (m) => ({ phase: 'idle' as const, state: initialState(undefined as never, 0), stoppedBy: 'error' as const, decisions: 0, last: null, pendingEffects: [], error: m }))
