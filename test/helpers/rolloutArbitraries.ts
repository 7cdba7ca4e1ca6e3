/**
 * Test scaffolding shared by the decision recording (test/decisions/recording.ts) and the engine's
 * property tests (test/engine/step.property.test.ts, strategies.property.test.ts): the gate types, the
 * blue/green forms, the basic metrics, and the random "moves" the properties turn into observations
 * through the cooperative caller's `answerNeeds`. Each property keeps the exact draws it had when it
 * carried its own copy: the options below say where the copies differed (a different shape draws
 * different values for the same seed, and the recording would no longer re-record byte for byte).
 */
import fc from 'fast-check'
import type { Decision, Observation, RolloutSpec, RolloutState, Sample } from '../../src/index.js'
import { answerNeeds, type World } from '../../src/testing/index.js'

/**
 * Every gate type, in the order the arbitraries draw them from.
 *
 * @example
 * ```ts
 * fc.subarray([...GATE_TYPES])
 * ```
 */
export const GATE_TYPES = ['confirm-rollout', 'pre-rollout', 'rollout', 'confirm-traffic-increase', 'confirm-promotion', 'rollback', 'post-rollout'] as const

/**
 * Delays in seconds for scale-down and abort delays.
 *
 * @example
 * ```ts
 * fc.record({ scaleDownDelay: delaySeconds })
 * ```
 */
export const delaySeconds = fc.constantFrom(0, 5, 30, 90, 600)

/**
 * A blue/green promotion analysis: a number of intervals, or until decided.
 *
 * @example
 * ```ts
 * fc.record({ prePromotionAnalysis: promotionAnalysis })
 * ```
 */
export const promotionAnalysis = fc.oneof(fc.integer({ min: 1, max: 3 }).map((n) => ({ intervals: n })), fc.constant({ untilDecided: true }))

/**
 * Flagger's blue/green form (`iterations`), with `autoPromotionEnabled` drawn too when asked (the
 * strategies property draws it; the recording does not).
 *
 * @example
 * ```ts
 * blueGreenIterations({ autoPromotion: false }).map((b) => ({ blueGreen: b }))
 * ```
 */
export const blueGreenIterations = (options: { readonly autoPromotion: boolean }) =>
  fc.record(
    {
      iterations: fc.integer({ min: 1, max: 4 }),
      mirror: fc.boolean(),
      abortScaleDownDelay: delaySeconds,
      scaleDownDelay: delaySeconds,
      ...(options.autoPromotion ? { autoPromotionEnabled: fc.boolean() } : {}),
    },
    { requiredKeys: ['iterations'] },
  )

/**
 * Argo's blue/green form: preview, pre- and post-promotion analyses, delays.
 *
 * @example
 * ```ts
 * blueGreenPreview.map((b) => ({ blueGreen: b }))
 * ```
 */
export const blueGreenPreview = fc.record(
  {
    prePromotionAnalysis: promotionAnalysis,
    postPromotionAnalysis: promotionAnalysis,
    autoPromotionEnabled: fc.boolean(),
    scaleDownDelay: delaySeconds,
    abortScaleDownDelay: delaySeconds,
    previewReplicas: fc.integer({ min: 0, max: 3 }),
  },
  { requiredKeys: [] },
)

/**
 * One of the three basic metrics (success rate, latency, a sequential error ratio), as a spec input.
 *
 * @example
 * ```ts
 * fc.uniqueArray(basicMetric, { maxLength: 3, selector: (m) => m.name })
 * ```
 */
export const basicMetric = fc.oneof(
  fc.record({ name: fc.constant('sr'), thresholdRange: fc.constant({ min: 99 }) }),
  fc.record({ name: fc.constant('latency'), thresholdRange: fc.constant({ max: 500 }) }),
  fc.record({ name: fc.constant('errors'), sequential: fc.constant({}) }),
)

/**
 * One random move of a property run: how far time jumps (-1: to the decision's `wakeAt`), what the
 * observation says, how the world answers the needs, and which garbage it adds.
 *
 * @example
 * ```ts
 * const m: Move = { dt: 1000, revision: undefined, ready: true, command: undefined, quality: 'pass', gate: 'none', garbage: 'none' }
 * ```
 */
export interface Move {
  readonly dt: number
  readonly revision: 'v1' | 'v2' | 'v3' | undefined
  readonly ready: boolean | undefined
  readonly command: Observation['command'] | undefined
  readonly quality: 'pass' | 'fail' | 'noData' | 'none'
  readonly gate: 'approve' | 'deny' | 'rollback' | 'none'
  readonly garbage: 'none' | 'backwards' | 'nan' | 'unknownMetric'
}

/**
 * How a property draws its moves (the two properties differ in these weights and lists).
 *
 * @example
 * ```ts
 * const o: MoveOptions = { wakeJumps: 1, revisionFreq: 8, commands: ['promote', 'abort'], commandFreq: 10, unknownMetric: true }
 * ```
 */
export interface MoveOptions {
  /** How many of the time-jump choices go to `wakeAt` (the others jump 0..200 s). */
  readonly wakeJumps: 1 | 2
  /** The `freq` of "no revision" against a revision. */
  readonly revisionFreq: number
  /** The commands drawn, repeated to weigh them. */
  readonly commands: readonly NonNullable<Observation['command']>[]
  /** The `freq` of "no command" against a command. */
  readonly commandFreq: number
  /** Whether a sample of an unknown metric is among the garbage. */
  readonly unknownMetric: boolean
}

/**
 * The moves of a property run.
 *
 * @example
 * ```ts
 * fc.array(moveArb({ wakeJumps: 1, revisionFreq: 8, commands: ['promote'], commandFreq: 10, unknownMetric: false }))
 * ```
 */
export const moveArb = (o: MoveOptions): fc.Arbitrary<Move> =>
  fc.record({
    dt: o.wakeJumps === 2 ? fc.oneof(fc.integer({ min: 0, max: 200_000 }), fc.constant(-1), fc.constant(-1)) : fc.oneof(fc.integer({ min: 0, max: 200_000 }), fc.constant(-1)),
    revision: fc.option(fc.constantFrom('v1' as const, 'v2' as const, 'v3' as const), { nil: undefined, freq: o.revisionFreq }),
    ready: fc.option(fc.boolean(), { nil: undefined }),
    command: fc.option(fc.constantFrom(...o.commands) as fc.Arbitrary<Observation['command']>, { nil: undefined, freq: o.commandFreq }),
    quality: fc.constantFrom('pass', 'pass', 'pass', 'fail', 'noData', 'none'),
    gate: fc.constantFrom('approve', 'approve', 'deny', 'rollback', 'none'),
    garbage: o.unknownMetric
      ? fc.constantFrom('none', 'none', 'none', 'none', 'none', 'none', 'backwards', 'nan', 'unknownMetric')
      : fc.constantFrom('none', 'none', 'none', 'none', 'none', 'none', 'backwards', 'nan'),
  })

/** The world of one move: every due metric answered alike (pass, fail or no data), the gates by `gate`. */
const moveWorld = (spec: RolloutSpec, m: Move): World => ({
  samples: (due) =>
    m.quality === 'none'
      ? []
      : due.map((n): Sample => {
          if (m.quality === 'noData') return { kind: 'noData', metric: n.metric, window: n.window }
          if (n.sample === 'counts') return { kind: 'counts', metric: n.metric, window: n.window, canary: { total: 1000, bad: m.quality === 'fail' ? 60 : 1 }, primary: { total: 1000, bad: 1 } }
          const metric = spec.analysis.metrics.find((x) => x.name === n.metric)
          const max = metric?.judge.kind === 'threshold' && metric.judge.max !== undefined
          return { kind: 'value', metric: n.metric, window: n.window, value: m.quality === 'fail' ? (max ? 900 : 50) : max ? 100 : 99.9 }
        }),
  gate: () => (m.gate === 'none' ? null : m.gate),
})

/**
 * The observation of one move after decision `prev`: the move's world answers the needs whose window has
 * ended (through the cooperative caller's `answerNeeds`), plus the move's fields and garbage.
 *
 * @example
 * ```ts
 * declare const spec: RolloutSpec, state: RolloutState, m: Move
 * observeMove(spec, null, state, m).at
 * ```
 */
export const observeMove = (spec: RolloutSpec, prev: Decision | null, state: RolloutState, m: Move): Observation => {
  const at = m.garbage === 'backwards' ? state.at - 1 : m.dt === -1 && prev?.wakeAt != null ? prev.wakeAt : state.at + Math.max(0, m.dt)
  const answered = prev === null ? null : answerNeeds(prev, moveWorld(spec, m), at)
  const samples: Sample[] = [...(answered?.observation.samples ?? [])]
  if (m.garbage === 'nan') samples.push({ kind: 'value', metric: 'sr', window: { from: at - 10, to: at }, value: Number.NaN })
  if (m.garbage === 'unknownMetric') samples.push({ kind: 'noData', metric: 'nope', window: { from: at - 10, to: at } })
  const gates = answered?.observation.gates ?? {}
  return {
    at,
    ...(m.revision !== undefined ? { revision: m.revision } : {}),
    ...(m.ready !== undefined ? { ready: { canary: m.ready } } : {}),
    ...(m.command !== undefined ? { command: m.command } : {}),
    ...(Object.keys(gates).length > 0 ? { gates } : {}),
    ...(samples.length > 0 ? { samples } : {}),
  }
}
