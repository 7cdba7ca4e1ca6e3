/**
 * Plays an observation script (see `observationScript`) against the engine: each script step becomes an
 * observation that answers the previous decision's needs (metric samples for the windows that have ended,
 * gates, readiness) in the step's mood, through the cooperative caller's `answerNeeds`,
 * plus commands, new revisions and garbage. Returns the trace of (state before, observation, decision) for the
 * invariant checkers. Pure and deterministic (the samples come from a seeded PRNG).
 *
 * @module
 */
import type { MetricSpec, RolloutSpec } from '../config/spec.js'
import type { Decision, Need } from '../engine/decision.js'
import type { Observation, Sample } from '../model/observation.js'
import type { RolloutState } from '../engine/state.js'
import { initialState } from '../engine/initialState.js'
import { step as engineStep } from '../engine/step.js'
import type { ScriptStep } from './arbitraries.js'
import type { Prng } from './prng.js'
import { createPrng } from './prng.js'
import type { StepFunction, TraceEntry } from './trace.js'
import { answerNeeds } from './cooperative.js'
import type { World } from './world.js'
import { boundedList, guarded, rethrow } from '../model/guard.js'

// the trace types live in trace.ts (a leaf), shared with the cooperative caller and the invariant checkers
export type { StepFunction, TraceEntry } from './trace.js'

/**
 * Options of `playScript`.
 *
 * @example
 * ```ts
 * const o: PlayOptions = { start: Date.UTC(2026, 0, 1) }
 * ```
 * @category model
 */
export interface PlayOptions {
  /** Epoch ms of the first observation (default 2023-11-14T22:13:20Z). */
  readonly start?: number
  /** The step function (default: the engine's `step`). */
  readonly step?: StepFunction
}

const pick = <T>(rng: Prng, xs: readonly T[]): T => xs[Math.floor(rng.next() * xs.length)] as T

const goodValue = (m: MetricSpec | undefined, rng: Prng): number => {
  const j = m?.judge
  if (j?.kind === 'threshold') {
    if (j.min !== undefined && j.max !== undefined) return (j.min + j.max) / 2
    if (j.min !== undefined) return j.min + rng.next() * Math.max(0.001, Math.min(1, 100 - j.min))
    if (j.max !== undefined) return j.max * (0.2 + 0.7 * rng.next())
  }
  return 99.9
}

const badValue = (m: MetricSpec | undefined, rng: Prng): number => {
  const j = m?.judge
  if (j?.kind === 'threshold') {
    if (j.min !== undefined) return j.min - 1 - 10 * rng.next()
    if (j.max !== undefined) return j.max * (1.1 + rng.next())
  }
  return 0
}

const sampleFor = (need: Extract<Need, { kind: 'metric' }>, spec: RolloutSpec, mood: ScriptStep['mood'], rng: Prng): Sample | null => {
  const { metric, window } = need
  const m = spec.analysis.metrics.find((x) => x.name === metric)
  if (mood === 'skip') return null
  if (mood === 'noData') return { kind: 'noData', metric, window, detail: 'scripted' }
  const effective = mood === 'random' ? pick(rng, ['good', 'bad'] as const) : mood
  switch (need.sample) {
    case 'value': {
      const value = mood === 'random' ? rng.next() * 1000 : effective === 'good' ? goodValue(m, rng) : badValue(m, rng)
      return { kind: 'value', metric, window, value }
    }
    case 'counts': {
      const total = mood === 'random' ? Math.floor(rng.next() * 2000) : 500 + Math.floor(rng.next() * 1000)
      const rate = effective === 'good' ? 0.01 : 0.1
      const bad = Math.min(total, Math.floor(total * rate * (0.5 + rng.next())))
      const pBad = Math.min(total, Math.floor(total * 0.01 * (0.5 + rng.next())))
      return { kind: 'counts', metric, window, canary: { total, bad }, primary: { total, bad: pBad } }
    }
    case 'points': {
      const n = 5 + Math.floor(rng.next() * 20)
      const shift = effective === 'good' ? 0 : 5
      return {
        kind: 'points',
        metric,
        window,
        canary: Array.from({ length: n }, () => 10 + shift + rng.next()),
        primary: Array.from({ length: n }, () => 10 + rng.next()),
      }
    }
    case 'noData':
      return { kind: 'noData', metric, window }
  }
}

const garble = (samples: Sample[], g: ScriptStep['garbage'], rng: Prng, previous: readonly Sample[]): Sample[] => {
  const w = samples[0]?.window ?? { from: 0, to: 1 }
  switch (g) {
    case 'nan':
      return samples.map((s): Sample =>
        s.kind === 'value'
          ? { ...s, value: Number.NaN }
          : s.kind === 'counts'
            ? { ...s, canary: { total: Number.NaN, bad: 0 } }
            : s.kind === 'points'
              ? { ...s, canary: [Number.NaN, ...s.canary] }
              : s,
      )
    case 'unknownMetric':
      return [...samples, { kind: 'value', metric: 'no-such-metric', window: w, value: rng.next() }]
    case 'badCounts':
      return samples.map((s): Sample => (s.kind === 'counts' ? { ...s, canary: { total: 5, bad: 9 }, primary: { total: -1, bad: 0 } } : s))
    case 'wrongKind':
      return samples.map((s): Sample => (s.kind === 'value' ? { kind: 'counts', metric: s.metric, window: s.window, canary: { total: 1, bad: 0 }, primary: { total: 1, bad: 0 } } : { kind: 'value', metric: s.metric, window: s.window, value: 1 }))
    case 'replay':
      return [...previous]
    default:
      return samples
  }
}

/**
 * Plays `script` against the engine for `spec`, starting with a baseline revision `v1` and rolling out `v2`.
 * Never throws: a throw from `step` is recorded in the trace (and the state carried on unchanged).
 *
 * @example
 * ```ts
 * import fc from 'fast-check'
 * import * as E from 'fp-ts/lib/Either.js'
 * import { decodeSpec } from 'rollout-kernel'
 * import { canarySpecInput, observationScript, playScript, checkInvariants } from 'rollout-kernel/testing'
 *
 * fc.assert(fc.property(canarySpecInput(), observationScript(), (input, script) => {
 *   const spec = decodeSpec(input)
 *   if (E.isLeft(spec)) return false
 *   return checkInvariants(spec.right, playScript(spec.right, script)).length === 0
 * }))
 * ```
 * @category play
 */
export const playScript = guarded('playScript', (spec: RolloutSpec, script: readonly ScriptStep[], options: PlayOptions = {}): TraceEntry[] => {
  const stepFn = options.step ?? engineStep
  const t0 = options.start ?? 1_700_000_000_000
  const trace: TraceEntry[] = []
  let state = initialState(spec, t0)
  let last: Decision | null = null
  let at = t0
  let revision = 1
  let previousSamples: readonly Sample[] = []
  const apply = (obs: Observation): void => {
    let decision: Decision | null = null
    let thrown: unknown = undefined
    try {
      decision = stepFn(spec, state, obs)
    } catch (e) {
      thrown = e
    }
    trace.push({ before: state, observation: obs, decision, thrown })
    if (decision) {
      state = decision.state
      last = decision
    }
  }
  apply({ at, revision: 'v1', ready: { canary: true, primary: true } })
  at += 1000
  revision = 2
  apply({ at, revision: 'v2', ready: { canary: true, primary: true } })
  for (const s of boundedList(script, 'script')) {
    const rng = createPrng(s.seed)
    const d = last as Decision | null
    const wake = d?.wakeAt ?? null
    let next = s.useWakeAt && wake !== null ? Math.max(at, wake) + s.waitMs : at + Math.max(1000, s.waitMs)
    if (s.garbage === 'backwards') next = at - 1 - Math.floor(rng.next() * 60_000)
    // the script's world for this step: samples in the step's mood, its gate answer
    const world: World = {
      samples: (due) => due.flatMap((need): Sample[] => {
        const smp = sampleFor(need, spec, s.mood, rng)
        return smp === null ? [] : [smp]
      }),
      gate: () => (s.gate === 'none' ? null : s.gate),
      ready: () => ({ canary: s.ready ?? true, primary: true }),
    }
    const answered = d === null ? null : answerNeeds(d, world, next, s.command !== undefined ? { command: s.command } : {})
    let samples: Sample[] = [...(answered?.observation.samples ?? [])]
    const gates = answered?.observation.gates
    const askedReadiness = d?.needs.some((n) => n.kind === 'readiness') ?? false
    if (s.garbage !== undefined && s.garbage !== 'backwards') samples = garble(samples, s.garbage, rng, previousSamples)
    if (s.newRevision) revision++
    const obs: Observation = {
      at: next,
      ...(s.newRevision ? { revision: `v${revision}` } : {}),
      ...(s.ready !== null || askedReadiness ? { ready: { canary: s.ready ?? true, primary: true } } : {}),
      ...(samples.length > 0 ? { samples } : {}),
      ...(gates !== undefined ? { gates } : {}),
      ...(s.command !== undefined ? { command: s.command } : {}),
    }
    apply(obs)
    previousSamples = samples
    if (next > at) at = next
  }
  return trace
}, (m) => rethrow(m))
