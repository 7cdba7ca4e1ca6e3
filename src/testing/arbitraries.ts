/**
 * fast-check arbitraries for property tests of rollouts: valid native spec INPUTS for the canary strategy
 * (linear, `stepWeights`, `steps` programs) with threshold and sequential metrics, and observation SCRIPTS:
 * what the outside world does at each step (time passing, answering the engine's needs with random samples,
 * gate answers, commands, new revisions, and occasional garbage such as NaN values, time going backwards and
 * unknown metrics). A script is turned into observations against the engine's own needs by `playScript`
 * (src/testing/play.ts).
 *
 * fast-check is an optional peer dependency: only this module imports it.
 *
 * @module
 */
import fc from 'fast-check'
import { COMMANDS, type Command, type GateAnswer } from '../model/observation.js'
import { guarded, rethrow } from '../model/guard.js'

/**
 * A native metric input: a Flagger `thresholdRange` or the sequential judge.
 *
 * @example
 * ```ts
 * const m: MetricInput = { name: 'request-success-rate', thresholdRange: { min: 99 } }
 * ```
 * @category model
 */
export type MetricInput =
  | { readonly name: string; readonly thresholdRange: { readonly min?: number; readonly max?: number } }
  | { readonly name: string; readonly sequential: { readonly alpha?: number; readonly tolerance?: number } }

/**
 * A native canary step input.
 *
 * @example
 * ```ts
 * const s: StepInput = { pause: { duration: '1m' } }
 * ```
 * @category model
 */
export type StepInput =
  | { readonly setWeight: number }
  | { readonly pause: { readonly duration?: string } }
  | { readonly analysis: { readonly intervals: number } }

/**
 * A native canary rollout spec input, as `decodeSpec` accepts it.
 *
 * @example
 * ```ts
 * const s: CanarySpecInput = {
 *   strategy: { canary: { stepWeight: 10, maxWeight: 50 } },
 *   analysis: { interval: '1m', threshold: 5, metrics: [{ name: 'request-success-rate', thresholdRange: { min: 99 } }] },
 * }
 * ```
 * @category model
 */
export interface CanarySpecInput {
  readonly strategy: {
    readonly canary:
      | { readonly stepWeight: number; readonly maxWeight: number }
      | { readonly stepWeights: readonly number[] }
      | { readonly steps: readonly StepInput[] }
  }
  readonly analysis: {
    readonly interval: string
    readonly threshold: number
    readonly consecutiveFailureLimit?: number
    readonly noDataLimit?: number
    readonly metrics: readonly MetricInput[]
  }
  readonly gates?: readonly { readonly name: string; readonly type: string }[]
  readonly progressDeadline?: string
}

/**
 * Options of `canarySpecInput`.
 *
 * @example
 * ```ts
 * const o: SpecInputOptions = { forms: ['linear'], metricKinds: ['threshold'], gates: false }
 * ```
 * @category model
 */
export interface SpecInputOptions {
  /** Which canary forms to draw (default: all three). */
  readonly forms?: readonly ('linear' | 'stepWeights' | 'steps')[]
  /** Which metric judges to draw (default: both). */
  readonly metricKinds?: readonly ('threshold' | 'sequential')[]
  /** Draw gates too (default true; gates make the engine wait for answers). */
  readonly gates?: boolean
  /** Largest number of metrics (default 3). */
  readonly maxMetrics?: number
}

const durationArb: fc.Arbitrary<string> = fc.oneof(
  fc.integer({ min: 10, max: 120 }).map((s) => `${s}s`),
  fc.integer({ min: 1, max: 10 }).map((m) => `${m}m`),
)

const linearArb = fc
  .integer({ min: 1, max: 50 })
  .chain((stepWeight) => fc.integer({ min: stepWeight, max: 100 }).map((maxWeight) => ({ stepWeight, maxWeight })))

const stepWeightsArb = fc
  .uniqueArray(fc.integer({ min: 1, max: 100 }), { minLength: 1, maxLength: 6 })
  .map((ws) => ({ stepWeights: [...ws].sort((a, b) => a - b) }))

const stepArb: fc.Arbitrary<StepInput> = fc.oneof(
  { weight: 3, arbitrary: fc.integer({ min: 0, max: 100 }).map((w): StepInput => ({ setWeight: w })) },
  { weight: 1, arbitrary: durationArb.map((d): StepInput => ({ pause: { duration: d } })) },
  { weight: 1, arbitrary: fc.constant<StepInput>({ pause: {} }) },
  { weight: 2, arbitrary: fc.integer({ min: 1, max: 3 }).map((n): StepInput => ({ analysis: { intervals: n } })) },
)

const stepsArb = fc.array(stepArb, { minLength: 1, maxLength: 8 }).map((steps) => ({ steps }))

const thresholdMetric = (name: string): fc.Arbitrary<MetricInput> =>
  fc.oneof(
    fc.double({ min: 90, max: 99.9, noNaN: true }).map((min): MetricInput => ({ name, thresholdRange: { min } })),
    fc.integer({ min: 100, max: 1000 }).map((max): MetricInput => ({ name, thresholdRange: { max } })),
    fc.tuple(fc.integer({ min: 0, max: 50 }), fc.integer({ min: 50, max: 100 })).map(([min, max]): MetricInput => ({ name, thresholdRange: { min, max } })),
  )

const sequentialMetric = (name: string): fc.Arbitrary<MetricInput> =>
  fc
    .record(
      { alpha: fc.constantFrom(0.001, 0.01, 0.05), tolerance: fc.constantFrom(1, 1.05, 1.1, 1.2, 1.5) },
      { requiredKeys: [] },
    )
    .map((sequential): MetricInput => ({ name, sequential }))

const GATE_TYPES = ['confirm-rollout', 'pre-rollout', 'rollout', 'confirm-traffic-increase', 'confirm-promotion', 'post-rollout'] as const

/**
 * Valid native spec inputs for the canary strategy. Every value decodes with `decodeSpec`.
 *
 * @example
 * ```ts
 * import fc from 'fast-check'
 * fc.assert(fc.property(canarySpecInput(), (input) => E.isRight(decodeSpec(input))))
 * ```
 * @category arbitraries
 */
export const canarySpecInput = guarded('canarySpecInput', (options: SpecInputOptions = {}): fc.Arbitrary<CanarySpecInput> => {
  const forms = options.forms ?? ['linear', 'stepWeights', 'steps']
  const kinds = options.metricKinds ?? ['threshold', 'sequential']
  const canary = fc.oneof(
    ...forms.map((f) => (f === 'linear' ? linearArb : f === 'stepWeights' ? stepWeightsArb : stepsArb) as fc.Arbitrary<CanarySpecInput['strategy']['canary']>),
  )
  const metric = (i: number): fc.Arbitrary<MetricInput> => {
    const name = `m${i}`
    return fc.oneof(...kinds.map((k) => (k === 'threshold' ? thresholdMetric(name) : sequentialMetric(name))))
  }
  const metrics = fc
    .integer({ min: 1, max: Math.max(1, options.maxMetrics ?? 3) })
    .chain((n) => fc.tuple(...Array.from({ length: n }, (_, i) => metric(i))))
  const gates =
    options.gates === false
      ? fc.constant(undefined)
      : fc.option(
          fc.uniqueArray(fc.constantFrom(...GATE_TYPES), { minLength: 1, maxLength: 3 }).map((types) => types.map((type, i) => ({ name: `g${i}`, type }))),
          { nil: undefined, freq: 2 },
        )
  return fc
    .record({
      canary,
      interval: fc.constantFrom('10s', '30s', '1m', '5m'),
      threshold: fc.integer({ min: 1, max: 10 }),
      consecutiveFailureLimit: fc.option(fc.integer({ min: 1, max: 5 }), { nil: undefined }),
      noDataLimit: fc.option(fc.integer({ min: 1, max: 10 }), { nil: undefined }),
      metrics,
      gates,
      progressDeadline: fc.option(fc.constantFrom('2m', '10m'), { nil: undefined }),
    })
    .map((r): CanarySpecInput => ({
      strategy: { canary: r.canary },
      analysis: {
        interval: r.interval,
        threshold: r.threshold,
        ...(r.consecutiveFailureLimit !== undefined ? { consecutiveFailureLimit: r.consecutiveFailureLimit } : {}),
        ...(r.noDataLimit !== undefined ? { noDataLimit: r.noDataLimit } : {}),
        metrics: r.metrics,
      },
      ...(r.gates !== undefined ? { gates: r.gates } : {}),
      ...(r.progressDeadline !== undefined ? { progressDeadline: r.progressDeadline } : {}),
    }))
}, (m) => rethrow(m))

/**
 * How one step of a script answers the engine's metric needs:
 * `good` / `bad` values well inside / outside typical bounds, `random` anything, `noData`, `skip` (no samples).
 *
 * @example
 * ```ts
 * const a: SampleMood = 'good'
 * ```
 * @category model
 */
export type SampleMood = 'good' | 'bad' | 'random' | 'noData' | 'skip'

/**
 * Garbage a script step may inject.
 * - `nan`: NaN values / counts; `backwards`: `at` earlier than the previous step;
 * - `unknownMetric`: a sample for a metric the spec does not have; `badCounts`: bad > total, negative;
 * - `wrongKind`: a sample of another kind than asked; `replay`: the previous step's samples again.
 *
 * @example
 * ```ts
 * const g: Garbage = 'backwards'
 * ```
 * @category model
 */
export type Garbage = 'nan' | 'backwards' | 'unknownMetric' | 'badCounts' | 'wrongKind' | 'replay'

/**
 * One step of what the world does: wait `waitMs` past the engine's `wakeAt` (or a fixed time), answer the
 * needs in a mood, answer gates, maybe issue a command, a new revision, a readiness flip, or garbage.
 * `seed` drives the random sample values.
 *
 * @example
 * ```ts
 * const s: ScriptStep = { waitMs: 0, useWakeAt: true, mood: 'good', gate: 'approve', ready: true, seed: 1 }
 * ```
 * @category model
 */
export interface ScriptStep {
  readonly waitMs: number
  readonly useWakeAt: boolean
  readonly mood: SampleMood
  readonly gate: GateAnswer | 'none'
  readonly ready: boolean | null
  readonly command?: Command
  readonly newRevision?: boolean
  readonly garbage?: Garbage
  readonly seed: number
}

/**
 * Options of `observationScript`.
 *
 * @example
 * ```ts
 * const o: ScriptOptions = { minLength: 10, maxLength: 60, garbage: 0.05, commands: 0.05 }
 * ```
 * @category model
 */
export interface ScriptOptions {
  readonly minLength?: number
  readonly maxLength?: number
  /** Probability (per step) of garbage (default 0.05). */
  readonly garbage?: number
  /** Probability (per step) of an operator command (default 0.05). */
  readonly commands?: number
  /** Probability (per step) of a new revision (default 0.01). */
  readonly newRevisions?: number
}

const chance = (p: number): fc.Arbitrary<boolean> => fc.integer({ min: 0, max: 9999 }).map((x) => x < p * 10_000)

/**
 * Observation scripts: sequences of `ScriptStep`s. Mostly well-behaved (time moves forward to the engine's
 * `wakeAt`, needs are answered, gates approved), with random failures, commands and garbage mixed in.
 *
 * @example
 * ```ts
 * fc.assert(fc.property(canarySpecInput(), observationScript(), (input, script) => { ... }))
 * ```
 * @category arbitraries
 */
export const observationScript = guarded('observationScript', (options: ScriptOptions = {}): fc.Arbitrary<ScriptStep[]> => {
  const pGarbage = options.garbage ?? 0.05
  const pCommand = options.commands ?? 0.05
  const pRevision = options.newRevisions ?? 0.01
  const step: fc.Arbitrary<ScriptStep> = fc
    .record({
      waitMs: fc.oneof({ weight: 4, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: fc.integer({ min: 1, max: 300_000 }) }),
      useWakeAt: fc.oneof({ weight: 9, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) }),
      mood: fc.constantFrom<SampleMood>('good', 'good', 'good', 'bad', 'random', 'noData', 'skip'),
      gate: fc.constantFrom<ScriptStep['gate']>('approve', 'approve', 'approve', 'deny', 'rollback', 'none'),
      ready: fc.constantFrom<boolean | null>(true, true, true, true, null, false),
      hasCommand: chance(pCommand),
      command: fc.constantFrom(...COMMANDS),
      newRevision: chance(pRevision),
      hasGarbage: chance(pGarbage),
      garbage: fc.constantFrom<Garbage>('nan', 'backwards', 'unknownMetric', 'badCounts', 'wrongKind', 'replay'),
      seed: fc.integer({ min: 0, max: 0x7fffffff }),
    })
    .map(
      (r): ScriptStep => ({
        waitMs: r.waitMs,
        useWakeAt: r.useWakeAt,
        mood: r.mood,
        gate: r.gate,
        ready: r.ready,
        seed: r.seed,
        ...(r.hasCommand ? { command: r.command } : {}),
        ...(r.newRevision ? { newRevision: true } : {}),
        ...(r.hasGarbage ? { garbage: r.garbage } : {}),
      }),
    )
  return fc.array(step, { minLength: options.minLength ?? 5, maxLength: options.maxLength ?? 60 })
}, (m) => rethrow(m))
