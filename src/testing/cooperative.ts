/**
 * The cooperative caller: the needs -> observation -> `step` loop a well-behaved controller runs, in one
 * place. `answerNeeds` builds the observation that answers a decision's needs at a given time; `runToEnd`
 * repeats it from the start of a rollout until the rollout ends, stalls, or a limit is reached.
 *
 * The caller is cooperative: it answers each metric need once its window has ended (never with a sample
 * from the future), answers every gate need (the world decides how; approve by default), reports both
 * workloads ready (or what the world says; the experiment's ReplicaSets too while an experiment step wants
 * them), calls again at `wakeAt`, and, when the rollout holds in an indefinite pause (a pause step or an
 * inconclusive analysis, or an experiment without a duration or a required analysis; never an operator's own
 * pause), plays the operator who sends `promote`. `plan`, `simulate`, the compat and conformance harnesses and the property
 * tests all run this loop.
 *
 * @module
 */
import type { RolloutSpec } from '../config/spec.js'
import type { Decision } from '../engine/decision.js'
import type { Command, GateAnswer, Observation, Sample } from '../model/observation.js'
import type { RolloutState } from '../engine/state.js'
import { initialState } from '../engine/initialState.js'
import { step as engineStep } from '../engine/step.js'
import type { StepFunction, TraceEntry } from './trace.js'
import type { GateNeed, MetricNeed, Readiness, World } from './world.js'
import { cooperativeGate } from './world.js'
import { boundedList, guarded, rethrow } from '../model/guard.js'

/**
 * A gate answer the caller sent.
 *
 * @example
 * ```ts
 * const g: GateReply = { gate: 'ship-it', type: 'confirm-promotion', answer: 'approve' }
 * ```
 * @category model
 */
export interface GateReply {
  readonly gate: string
  readonly type: string
  readonly answer: GateAnswer
}

/**
 * The observation answering a decision's needs, and what was answered.
 *
 * @example
 * ```ts
 * declare const a: Answered
 * a.observation.samples?.length
 * ```
 * @category model
 */
export interface Answered {
  readonly observation: Observation
  /** The gate answers sent. */
  readonly gates: readonly GateReply[]
  /** Metric needs not answered because their window ends after the call's time. */
  readonly pending: readonly MetricNeed[]
}

/**
 * Options of `answerNeeds`.
 *
 * @example
 * ```ts
 * const o: AnswerOptions = { command: 'promote', samples: false }
 * ```
 * @category model
 */
export interface AnswerOptions {
  /** Answer the metric needs (default true). */
  readonly samples?: boolean
  /** Answer the gate needs (default true). */
  readonly gates?: boolean
  /** An operator command to send with the answers. */
  readonly command?: Command
  /** Extra samples to send (after the world's). */
  readonly extraSamples?: readonly Sample[]
}

/**
 * The observation at `at` that answers `decision`'s needs: samples from `world` for every metric need whose
 * window has ended by `at`, the world's answer to every gate need, and the readiness of both workloads.
 *
 * @example
 * ```ts
 * import { answerNeeds, metricWorld } from 'rollout-kernel/testing'
 * declare const spec: RolloutSpec
 * declare const d: Decision
 * const { observation } = answerNeeds(d, metricWorld(spec, 'healthy'), d.wakeAt ?? d.state.at)
 * step(spec, d.state, observation)
 * ```
 * @category cooperative
 */
export const answerNeeds = guarded('answerNeeds', (decision: Decision, world: World, at: number, options: AnswerOptions = {}): Answered => {
  const state = decision.state
  const due: MetricNeed[] = []
  const pending: MetricNeed[] = []
  const gateNeeds: GateNeed[] = []
  for (const n of decision.needs) {
    if (n.kind === 'metric') (n.window.to <= at ? due : pending).push(n)
    else if (n.kind === 'gate') gateNeeds.push(n)
  }
  const samples: Sample[] = options.samples === false || due.length === 0 ? [] : [...world.samples(due, at, state)]
  if (options.extraSamples !== undefined) samples.push(...options.extraSamples)
  const gates: Record<string, GateAnswer> = {}
  const replies: GateReply[] = []
  if (options.gates !== false) {
    for (const n of gateNeeds) {
      const answer = world.gate !== undefined ? world.gate(n, at, state) : cooperativeGate(n)
      if (answer === null) continue
      gates[n.gate] = answer
      replies.push({ gate: n.gate, type: n.type, answer })
    }
  }
  const ready: Readiness = world.ready?.(at, state) ?? { canary: true, primary: true }
  // the experiment's ReplicaSets (asked for by the action's `experiment` field) are reported while wanted
  const experiment = state.traffic.experiment !== undefined ? { experiment: ready.experiment ?? true } : {}
  return {
    observation: {
      at,
      ready: { canary: ready.canary, primary: ready.primary, ...experiment },
      ...(samples.length > 0 ? { samples } : {}),
      ...(replies.length > 0 ? { gates } : {}),
      ...(options.command !== undefined ? { command: options.command } : {}),
    },
    gates: replies,
    pending,
  }
}, (m) => rethrow(m))

/**
 * How a `runToEnd` run ended:
 * - `succeeded` / `failed`: the rollout reached that phase;
 * - `idle`: the engine has nothing to wait for (`wakeAt` null) and no gate or operator can move it;
 * - `stalled`: more than `maxSameAt` calls in a row at the same time without a state change;
 * - `limit`: `maxCalls` calls or `maxMs` of rollout time.
 *
 * @example
 * ```ts
 * const o: RunOutcome = 'stalled'
 * ```
 * @category model
 */
export type RunOutcome = 'succeeded' | 'failed' | 'idle' | 'stalled' | 'limit'

/**
 * One call of a run: the trace entry (state before, observation, decision) and what the caller did.
 *
 * @example
 * ```ts
 * declare const c: RunCall
 * c.decision.action.type
 * ```
 * @category model
 */
export interface RunCall extends TraceEntry {
  readonly decision: Decision
  /** The gate answers this call's observation carried. */
  readonly gates: readonly GateReply[]
  /** True when this call carried the simulated operator's `promote` of an indefinite pause. */
  readonly promoted: boolean
}

/**
 * The result of `runToEnd`.
 *
 * @example
 * ```ts
 * declare const r: RunResult
 * if (r.outcome === 'succeeded') console.log(r.endedAt - r.startedAt)
 * ```
 * @category model
 */
export interface RunResult {
  readonly outcome: RunOutcome
  readonly calls: readonly RunCall[]
  /** The time of the first call. */
  readonly startedAt: number
  /** The time of the last call. */
  readonly endedAt: number
  /** The last decision. */
  readonly last: Decision
}

/**
 * Options of `runToEnd` (the caller's manners).
 *
 * @example
 * ```ts
 * const o: RunOptions = { start: 0, gateTiming: 'next', operatorMs: 60_000, maxCalls: 500 }
 * ```
 * @category model
 */
export interface RunOptions {
  /** Epoch ms of the first call (default 0). */
  readonly start?: number
  /** The stable revision (default `v1`) and the one rolled out (default `v2`). */
  readonly stable?: string
  readonly revision?: string
  /** The state to start from (default `initialState(spec, start, { stable })`). */
  readonly initial?: RolloutState
  /** The step function (default the engine's `step`). */
  readonly step?: StepFunction
  /** Stop after this many calls (default 2000). */
  readonly maxCalls?: number
  /** Stop before a call later than `start + maxMs` (default 24 h). */
  readonly maxMs?: number
  /** Stop after this many calls in a row at the same time without a state change (default 4). */
  readonly maxSameAt?: number
  /**
   * When gate answers are sent: `now` (default), in another call at the same time (a controller answering
   * within the same reconcile; a gate asked again at the same time is answered with the next call instead);
   * `next`: with the next call (at `wakeAt`, or one analysis interval later when there is none).
   */
  readonly gateTiming?: 'now' | 'next'
  /**
   * A call at the same time as the previous one that answers gates or carries the operator's `promote`
   * sends no samples (default false: every call answers the metric needs whose window has ended).
   */
  readonly sameTimeCallsWithoutSamples?: boolean
  /**
   * How long the simulated operator takes to `promote` an indefinite pause, from the start of the pause
   * (default 0: at once); `null`: never (the run ends `idle`).
   */
  readonly operatorMs?: number | null
  /**
   * The operator acts at the caller's next call whatever its time (at `wakeAt`; `operatorMs` after the call
   * when there is none) instead of at `operatorMs` after the start of the pause (default false).
   */
  readonly operatorAtNextCall?: boolean
  /**
   * The next call is at least this long after the previous one when nothing else is pending (default 0: a
   * cooperative caller trusts `wakeAt`; a positive value is a caller's own spin guard).
   */
  readonly minAdvanceMs?: number
}

const indefinitelyPaused = (s: RolloutState): boolean => s.paused !== null && s.paused.until === null && s.paused.by !== 'operator'

/**
 * Runs a rollout of `revision` over `stable` from `start` with the cooperative caller until it ends
 * (`succeeded` / `failed`), stalls, idles or reaches a limit. Pure and deterministic when `world` is.
 *
 * @example
 * ```ts
 * import * as E from 'fp-ts/lib/Either.js'
 * import { decodeSpec } from 'rollout-kernel'
 * import { metricWorld, runToEnd } from 'rollout-kernel/testing'
 * const spec = decodeSpec({ strategy: { canary: { stepWeight: 50, maxWeight: 100 } }, analysis: { interval: '1m' } })
 * if (E.isRight(spec)) runToEnd(spec.right, metricWorld(spec.right, 'healthy')).outcome // 'succeeded'
 * ```
 * @category cooperative
 */
export const runToEnd = guarded('runToEnd', (spec: RolloutSpec, world: World, options: RunOptions = {}): RunResult => {
  const start = options.start ?? 0
  const stepFn = options.step ?? engineStep
  const maxCalls = options.maxCalls ?? 2000
  const maxMs = options.maxMs ?? 24 * 3_600_000
  const maxSameAt = options.maxSameAt ?? 4
  const gateTiming = options.gateTiming ?? 'now'
  const operatorMs = options.operatorMs === undefined ? 0 : options.operatorMs
  const minAdvance = options.minAdvanceMs ?? 0
  const interval = spec.analysis.intervalMs
  const calls: RunCall[] = []
  let state = options.initial ?? initialState(spec, start, { stable: options.stable ?? 'v1' })
  let observation: Observation = { at: start, revision: options.revision ?? 'v2', ready: world.ready?.(start, state) ?? { canary: true, primary: true } }
  let gates: readonly GateReply[] = []
  let promoted = false
  let sameAt = 0
  const answeredAt = new Map<string, number>()
  const end = (outcome: RunOutcome): RunResult => {
    const last = calls[calls.length - 1] as RunCall
    return { outcome, calls, startedAt: start, endedAt: last.observation.at, last: last.decision }
  }
  for (;;) {
    const before = state
    const decision = stepFn(spec, state, observation)
    calls.push({ before, observation, decision, thrown: undefined, gates, promoted })
    state = decision.state
    const now = observation.at
    sameAt = calls.length > 1 && calls[calls.length - 2]?.observation.at === now && JSON.stringify(state) === JSON.stringify(before) ? sameAt + 1 : 0
    if (state.phase === 'succeeded') return end('succeeded')
    if (state.phase === 'failed') return end('failed')
    if (calls.length >= maxCalls) return end('limit')
    if (sameAt >= maxSameAt) return end('stalled')

    // what the cooperative caller does next
    const gateNeeds = decision.needs.filter((n): n is GateNeed => n.kind === 'gate')
    const paused = indefinitelyPaused(state) && operatorMs !== null
    const freshGates = gateTiming === 'now' && gateNeeds.some((g) => answeredAt.get(g.gate) !== now)
    let at: number | null
    let command: Command | undefined
    if (freshGates) {
      at = now
      command = paused && operatorMs === 0 ? 'promote' : undefined
    } else if (paused && options.operatorAtNextCall === true) {
      at = decision.wakeAt ?? now + (operatorMs ?? 0)
      command = 'promote'
    } else if (paused) {
      const operatorAt = Math.max(now, (state.paused?.since ?? now) + (operatorMs ?? 0))
      if (decision.wakeAt !== null && decision.wakeAt < operatorAt) at = decision.wakeAt
      else {
        at = operatorAt
        command = 'promote'
      }
    } else if (decision.wakeAt !== null) {
      at = Math.max(decision.wakeAt, now + (decision.wakeAt <= now ? minAdvance : 0))
    } else if (gateNeeds.length > 0) {
      at = now + interval
    } else {
      at = null
    }
    if (at === null) return end('idle')
    if (at > start + maxMs) return end('limit')
    const quiet = options.sameTimeCallsWithoutSamples === true && at === now && (freshGates || command !== undefined)
    const answered = answerNeeds(decision, world, at, {
      samples: !quiet,
      ...(command !== undefined ? { command } : {}),
    })
    for (const g of answered.gates) answeredAt.set(g.gate, now)
    observation = answered.observation
    gates = answered.gates
    promoted = command !== undefined
  }
}, (m) => rethrow(m))

/**
 * The number of calls at the same time without a state change, at most, over a run (the liveness
 * property bounds it).
 *
 * @example
 * ```ts
 * declare const r: RunResult
 * longestSameTimeRun(r.calls) <= 3
 * ```
 * @category cooperative
 */
export const longestSameTimeRun = guarded('longestSameTimeRun', (calls: readonly TraceEntry[]): number => {
  let best = 0
  let run = 0
  boundedList(calls, 'calls').forEach((c, i) => {
    const prev = calls[i - 1]
    const unchanged = c.decision !== null && JSON.stringify(c.decision.state) === JSON.stringify(c.before)
    run = prev !== undefined && prev.observation.at === c.observation.at && unchanged ? run + 1 : 0
    best = Math.max(best, run)
  })
  return best
}, (m) => rethrow(m))
