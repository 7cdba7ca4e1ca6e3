/**
 * io-ts codecs for the native config INPUT (what YAML or JSON parsing gives). Closed objects: unknown keys
 * are errors. Cross-field rules and defaults are applied afterwards by `normalizeSpec`.
 *
 * @module
 */
import * as t from 'io-ts'
import { AnyObject, Bool, closed, DetectValue, Duration, FiniteNumber, IntIn, ListOf, NonEmptyString, NumberIn, OneOf } from './closed.js'
import { BlueGreenInput } from './blueGreenInput.js'
import { AbTestInput } from './abTestInput.js'
import { ExperimentStepInput } from './experimentInput.js'

/** A share such as "25%" (Kubernetes int-or-percent). */
const refinePercent = new t.Type<string, string, unknown>(
  'a percentage such as "25%"',
  (u): u is string => typeof u === 'string' && /^\d{1,3}%$/.test(u) && Number(u.slice(0, -1)) <= 100,
  (u, c) => (typeof u === 'string' && /^\d{1,3}%$/.test(u) && Number(u.slice(0, -1)) <= 100 ? t.success(u) : t.failure(u, c, `expected a whole number of pods or a percentage such as "25%", got ${JSON.stringify(u)}`)),
  (a) => a,
)

/** @internal */
const StringMatchInput = closed('StringMatch', {}, { exact: t.string, prefix: t.string, suffix: t.string, regex: t.string })

/**
 * Argo's header match: `{ headerName, headerValue: { exact | prefix | regex } }`.
 *
 * @example
 * ```ts
 * HeaderMatchInput.decode({ headerName: 'x-canary', headerValue: { exact: 'yes' } })
 * ```
 * @category codecs
 */
export const HeaderMatchInput = closed('HeaderMatch', { headerName: NonEmptyString, headerValue: StringMatchInput }, {})

/**
 * One canary step: exactly one of `setWeight`, `pause`, `analysis`, `setCanaryScale`, `setHeaderRoute`,
 * `setMirrorRoute`, `experiment` (the exactly-one rule is checked by `normalizeSpec`).
 *
 * @example
 * ```ts
 * StepInput.decode({ pause: { duration: '1m' } })
 * ```
 * @category codecs
 */
export const StepInput = closed(
  'Step',
  {},
  {
    setWeight: NumberIn(0, 100),
    pause: closed('Pause', {}, { duration: Duration }),
    analysis: closed('AnalysisStep', {}, { intervals: IntIn(1, 1_000_000), untilDecided: Bool, metrics: ListOf(NonEmptyString) }),
    setCanaryScale: closed('SetCanaryScale', {}, { weight: NumberIn(0, 100), replicas: IntIn(0, 1_000_000), matchTrafficWeight: Bool }),
    setHeaderRoute: closed('SetHeaderRoute', { name: NonEmptyString }, { match: ListOf(HeaderMatchInput) }),
    setMirrorRoute: closed(
      'SetMirrorRoute',
      { name: NonEmptyString },
      { percentage: NumberIn(0, 100), match: ListOf(closed('MirrorMatch', {}, { headers: ListOf(HeaderMatchInput) })) },
    ),
    experiment: ExperimentStepInput,
  },
)

/**
 * The canary strategy input: one of linear (`stepWeight` + `maxWeight`), `stepWeights`, or `steps`.
 *
 * @example
 * ```ts
 * CanaryInput.decode({ stepWeight: 10, maxWeight: 50 })
 * ```
 * @category codecs
 */
export const CanaryInput = closed(
  'Canary',
  {},
  {
    stepWeight: NumberIn(0, 100, true),
    maxWeight: NumberIn(0, 100, true),
    stepWeights: ListOf(NumberIn(0, 100, true)),
    steps: ListOf(StepInput),
    stepWeightPromotion: NumberIn(0, 100, true),
    mirror: Bool,
    mirrorWeight: NumberIn(0, 100),
  },
)

/**
 * Strategy input: exactly one strategy key, `canary`, `blueGreen` or `abTest` (docs/strategies.md).
 *
 * @example
 * ```ts
 * StrategyInput.decode({ canary: { stepWeights: [5, 25, 50] } })
 * StrategyInput.decode({ blueGreen: { prePromotionAnalysis: { intervals: 3 } } })
 * ```
 * @category codecs
 */
export const StrategyInput = closed('Strategy', {}, { canary: CanaryInput, blueGreen: BlueGreenInput, abTest: AbTestInput })

/**
 * A metric input. Exactly one judge: `thresholdRange`, `successCondition` / `failureCondition`,
 * `mannWhitney` or `sequential`.
 *
 * @example
 * ```ts
 * MetricInput.decode({ name: 'request-success-rate', thresholdRange: { min: 99 }, interval: '1m' })
 * ```
 * @category codecs
 */
export const MetricInput = closed(
  'Metric',
  { name: NonEmptyString },
  {
    interval: Duration,
    query: t.string,
    provider: AnyObject,
    thresholdRange: closed('ThresholdRange', {}, { min: FiniteNumber, max: FiniteNumber }),
    successCondition: t.string,
    failureCondition: t.string,
    dialect: OneOf(['argo', 'mathjs'] as const),
    mannWhitney: closed(
      'MannWhitney',
      {},
      {
        confidence: NumberIn(0, 1, true),
        direction: OneOf(['increase', 'decrease', 'either'] as const),
        allowedIncrease: NumberIn(1, Infinity),
        allowedDecrease: NumberIn(0, 1),
        nanStrategy: OneOf(['remove', 'replace'] as const),
        removeOutliers: Bool,
        critical: Bool,
        group: NonEmptyString,
        minPoints: IntIn(1, 1_000_000),
        tolerance: NumberIn(0, Infinity),
      },
    ),
    sequential: closed(
      'Sequential',
      {},
      {
        alpha: NumberIn(0, 0.5, true),
        tolerance: NumberIn(1, 100),
        earlyPass: Bool,
        minBadEvents: IntIn(0, 1_000_000),
        detect: DetectValue,
        detectLevel: NumberIn(0, 0.5, true),
      },
    ),
    failureLimit: IntIn(-1, 1_000_000),
    inconclusiveLimit: IntIn(0, 1_000_000),
    consecutiveErrorLimit: IntIn(0, 1_000_000),
    consecutiveSuccessLimit: IntIn(0, 1_000_000),
    count: IntIn(0, 1_000_000),
    initialDelay: Duration,
    countRule: OneOf(['kernel', 'argo'] as const),
    background: Bool,
    dryRun: Bool,
  },
)

/**
 * The analysis input.
 *
 * @example
 * ```ts
 * AnalysisInput.decode({ interval: '1m', threshold: 5, metrics: [] })
 * ```
 * @category codecs
 */
export const AnalysisInput = closed(
  'Analysis',
  {},
  {
    interval: Duration,
    threshold: IntIn(1, 1_000_000),
    consecutiveFailureLimit: IntIn(1, 1_000_000),
    noDataLimit: IntIn(1, 1_000_000),
    startingStep: IntIn(0, 1_000_000),
    metrics: ListOf(MetricInput),
    aggregation: OneOf(['worst', 'anyPass', 'majority'] as const),
    sequentialAlpha: OneOf(['rollout', 'metric'] as const),
    evidenceTimeout: Duration,
    onEvidenceTimeout: OneOf(['rollback', 'promote'] as const),
    score: closed(
      'Score',
      { passScore: NumberIn(0, 100), marginalScore: NumberIn(0, 100) },
      { groupWeights: t.record(t.string, NumberIn(0, Infinity)) },
    ),
  },
)

/**
 * Gate types.
 *
 * @example
 * ```ts
 * GateTypeInput.decode('confirm-promotion')
 * ```
 * @category codecs
 */
export const GateTypeInput = OneOf([
  'confirm-rollout',
  'pre-rollout',
  'rollout',
  'confirm-traffic-increase',
  'confirm-promotion',
  'rollback',
  'post-rollout',
  'event',
] as const)

/**
 * A gate input.
 *
 * @example
 * ```ts
 * GateInput.decode({ name: 'load-test', type: 'rollout', url: 'http://loadtester/' })
 * ```
 * @category codecs
 */
export const GateInput = closed(
  'Gate',
  { name: NonEmptyString, type: GateTypeInput },
  { url: t.string, timeout: Duration, metadata: AnyObject },
)

/**
 * The whole native spec input.
 *
 * @example
 * ```ts
 * SpecInput.decode({ strategy: { canary: { stepWeight: 10, maxWeight: 50 } }, analysis: { interval: '1m' } })
 * ```
 * @category codecs
 */
export const SpecInput = closed(
  'RolloutSpec',
  { strategy: StrategyInput },
  {
    apiVersion: OneOf(['rollout-kernel/v1'] as const),
    kind: OneOf(['Rollout'] as const),
    metadata: AnyObject,
    analysis: AnalysisInput,
    gates: ListOf(GateInput),
    progressDeadline: Duration,
    skipAnalysis: Bool,
    workload: closed(
      'Workload',
      { replicas: IntIn(0, 1_000_000) },
      { maxSurge: t.union([IntIn(0, 1_000_000), refinePercent]) },
    ),
  },
)

/**
 * The decoded (not yet normalised) input.
 *
 * @example
 * ```ts
 * declare const input: SpecInputType
 * ```
 * @category model
 */
export type SpecInputType = t.TypeOf<typeof SpecInput>
/**
 * A decoded metric input.
 *
 * @example
 * ```ts
 * declare const m: MetricInputType
 * ```
 * @category model
 */
export type MetricInputType = t.TypeOf<typeof MetricInput>
/**
 * A decoded step input.
 *
 * @example
 * ```ts
 * declare const s: StepInputType
 * ```
 * @category model
 */
export type StepInputType = t.TypeOf<typeof StepInput>
