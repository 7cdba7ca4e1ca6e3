/**
 * What a metric is judged by, in the normalised spec: the four judge specs, Argo measurement limits and
 * `MetricSpec`. Plain data that config's `decodeSpec` produces and the judges in src/analysis read.
 *
 * @module
 */

/**
 * Flagger-style fixed bounds on a single value: fail if `value < min` or `value > max` (bounds pass).
 *
 * @example
 * ```ts
 * const j: ThresholdJudgeSpec = { kind: 'threshold', min: 99 }
 * ```
 * @category model
 */
export interface ThresholdJudgeSpec {
  readonly kind: 'threshold'
  readonly min?: number
  readonly max?: number
}

/**
 * Argo-compatible success / failure conditions over `result`, evaluated in a sandboxed mathjs.
 * `dialect: 'argo'` accepts Argo's spellings (`result[0]`, `&&`, `||`, `!`, `isNaN`, `isInf`, `default`).
 *
 * @example
 * ```ts
 * const j: ConditionJudgeSpec = { kind: 'condition', successCondition: 'result[0] >= 0.95', dialect: 'argo' }
 * ```
 * @category model
 */
export interface ConditionJudgeSpec {
  readonly kind: 'condition'
  readonly successCondition?: string
  readonly failureCondition?: string
  readonly dialect: 'argo' | 'mathjs'
}

/**
 * Kayenta-style Mann-Whitney comparison of canary against primary points.
 *
 * @example
 * ```ts
 * const j: MannWhitneyJudgeSpec = {
 *   kind: 'mannWhitney', confidence: 0.98, direction: 'increase', allowedIncrease: 1.1, allowedDecrease: 1,
 *   nanStrategy: 'remove', removeOutliers: false, critical: false, group: 'default', minPoints: 10, tolerance: 0.25,
 * }
 * ```
 * @category model
 */
export interface MannWhitneyJudgeSpec {
  readonly kind: 'mannWhitney'
  /** Confidence level of the test, e.g. 0.98. */
  readonly confidence: number
  /** Which change is bad: an increase (errors, latency), a decrease (throughput), or either. */
  readonly direction: 'increase' | 'decrease' | 'either'
  /** Effect-size allowance: a canary/primary mean ratio up to this is tolerated for increases. */
  readonly allowedIncrease: number
  /** Effect-size allowance: a canary/primary mean ratio down to this is tolerated for decreases. */
  readonly allowedDecrease: number
  /** NaN points: removed, or replaced with 0. */
  readonly nanStrategy: 'remove' | 'replace'
  /** Remove IQR outliers (outside [Q1 - 3 IQR, Q3 + 3 IQR]) before testing. */
  readonly removeOutliers: boolean
  /** A failing critical metric fails the whole judgement whatever the score. */
  readonly critical: boolean
  /** Metric group for the weighted score. */
  readonly group: string
  /** Fewer points than this in either arm: inconclusive. */
  readonly minPoints: number
  /** Kayenta's tolerance factor on |shift| (0.25 by default). */
  readonly tolerance: number
}

/**
 * The anytime-valid sequential test on per-arm event counts (canary against primary).
 *
 * @example
 * ```ts
 * const j: SequentialJudgeSpec = { kind: 'sequential', alpha: 0.01, tolerance: 1.1, earlyPass: false, minBadEvents: 0 }
 * ```
 * @category model
 */
export interface SequentialJudgeSpec {
  readonly kind: 'sequential'
  /** Bound on the probability of rolling back a canary whose relative risk is within `tolerance`. */
  readonly alpha: number
  /** Relative risk (canary bad-event rate / primary's) that is accepted as healthy, >= 1. */
  readonly tolerance: number
  /** Let the analysis pass early once the anytime upper confidence bound on relative risk is below `tolerance`. */
  readonly earlyPass: boolean
  /** No final decision (rollback or early pass) before this many bad events in both arms together; 0 by default. */
  readonly minBadEvents: number
  /**
   * No blind promotion: the rollout does not promote until the anytime bound rules out a relative risk of
   * `detect` or more at level `detectLevel` (docs/evidence.md). Absent: off (the input's default is 2).
   */
  readonly detect?: number
  /**
   * The level `detect` is ruled out at: a bound on the probability of promoting a canary whose relative risk
   * is `detect` or more (present with `detect`; 0.05 by default).
   */
  readonly detectLevel?: number
}

/**
 * One of the judges a metric can use.
 *
 * @example
 * ```ts
 * const j: JudgeSpec = { kind: 'threshold', max: 500 }
 * ```
 * @category model
 */
export type JudgeSpec = ThresholdJudgeSpec | ConditionJudgeSpec | MannWhitneyJudgeSpec | SequentialJudgeSpec

/**
 * Argo measurement limits for a metric (defaults as in Argo: failureLimit 0, inconclusiveLimit 0,
 * consecutiveErrorLimit 4, consecutiveSuccessLimit 0 = off, count null = until the analysis ends).
 *
 * @example
 * ```ts
 * const l: MeasurementLimits = { failureLimit: 2, inconclusiveLimit: 0, consecutiveErrorLimit: 4, consecutiveSuccessLimit: 0, count: null, initialDelayMs: 0 }
 * ```
 * @category model
 */
export interface MeasurementLimits {
  readonly failureLimit: number
  readonly inconclusiveLimit: number
  readonly consecutiveErrorLimit: number
  readonly consecutiveSuccessLimit: number
  readonly count: number | null
  readonly initialDelayMs: number
  /**
   * What `count` reached means when no measurement succeeded: `kernel` (default) says Failed (or
   * Inconclusive when all were inconclusive); `argo` keeps Argo's rule (Successful within the limits, #4479).
   */
  readonly countRule?: 'kernel' | 'argo'
}

/**
 * A metric of the analysis.
 *
 * @example
 * ```ts
 * const m: MetricSpec = {
 *   name: 'request-success-rate', windowMs: 60_000, sample: 'value',
 *   judge: { kind: 'threshold', min: 99 }, background: true, dryRun: false,
 * }
 * ```
 * @category model
 */
export interface MetricSpec {
  readonly name: string
  /** Query range of each measurement (Flagger's metric `interval`); defaults to the analysis interval. */
  readonly windowMs: number
  /** The sample kind the judge consumes. */
  readonly sample: 'value' | 'counts' | 'points'
  readonly judge: JudgeSpec
  /** Argo measurement limits; when absent, Flagger's check counting applies. */
  readonly limits?: MeasurementLimits
  /** Evaluated at every analysis tick (true), or only in `analysis` steps that name it (false). */
  readonly background: boolean
  /** Measured and reported, never fails the rollout. */
  readonly dryRun: boolean
  /** Query text, carried untouched for the metrics adapter. */
  readonly query?: string
  /** Provider settings (address, template ref, variables...), carried untouched for the metrics adapter. */
  readonly provider?: Readonly<Record<string, unknown>>
}
