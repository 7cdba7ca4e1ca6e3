/**
 * The normalised rollout spec: what `decodeSpec` returns and `step` consumes. Every default is applied,
 * durations are milliseconds, and the canary's weight plan is an explicit step program. Plain JSON data.
 *
 * @module
 */
import type { RequestMatch } from '../model/traffic.js'

// what a metric is judged by (the judge specs, Argo measurement limits, MetricSpec) lives in src/model, so the
// judges read it without importing config
export type {
  ConditionJudgeSpec,
  JudgeSpec,
  MannWhitneyJudgeSpec,
  MeasurementLimits,
  MetricSpec,
  SequentialJudgeSpec,
  ThresholdJudgeSpec,
} from '../model/metricSpec.js'
import type { MetricSpec } from '../model/metricSpec.js'

/**
 * Gate (webhook) types, as in Flagger.
 *
 * @example
 * ```ts
 * const t: GateType = 'confirm-promotion'
 * ```
 * @category model
 */
export type GateType =
  | 'confirm-rollout'
  | 'pre-rollout'
  | 'rollout'
  | 'confirm-traffic-increase'
  | 'confirm-promotion'
  | 'rollback'
  | 'post-rollout'
  | 'event'

/**
 * A gate. The engine asks for it through `needs`; the caller runs it (webhook, Slack approval...) and
 * answers in `observation.gates[name]`. Extra fields (url, timeout, metadata) are carried untouched.
 *
 * @example
 * ```ts
 * const g: GateSpec = { name: 'approve', type: 'confirm-promotion' }
 * ```
 * @category model
 */
export interface GateSpec {
  readonly name: string
  readonly type: GateType
  readonly url?: string
  readonly timeoutMs?: number
  readonly metadata?: Readonly<Record<string, unknown>>
}

/**
 * One step of a canary program.
 *
 * @example
 * ```ts
 * const steps: CanaryStep[] = [
 *   { type: 'setWeight', weight: 20 },
 *   { type: 'pause', durationMs: null },
 *   { type: 'analysis', intervals: 3 },
 * ]
 * ```
 * @category model
 */
export type CanaryStep =
  | { readonly type: 'setWeight'; readonly weight: number }
  /** `durationMs: null` waits until a `promote` command. */
  | { readonly type: 'pause'; readonly durationMs: number | null }
  /**
   * Hold here until `intervals` analysis ticks have passed (or, with `null`, until the analysis decides:
   * every metric reached a final verdict). `metrics` names non-background metrics to add.
   */
  | { readonly type: 'analysis'; readonly intervals: number | null; readonly metrics?: readonly string[] }
  | {
      readonly type: 'setCanaryScale'
      readonly weight?: number
      readonly replicas?: number
      readonly matchTrafficWeight?: boolean
    }
  | { readonly type: 'setHeaderRoute'; readonly name: string; readonly match: readonly RequestMatch[] }
  | {
      readonly type: 'setMirrorRoute'
      readonly name: string
      readonly percentage: number
      readonly match: readonly RequestMatch[]
    }
  | ExperimentStep

/**
 * One ReplicaSet of an experiment (Argo's experiment template): `specRef` says which pod template it runs
 * (`stable`: the stable revision's, `canary`: the new revision's), `replicas` how many pods, and `weight`
 * (with traffic routing) the share of live traffic (0..100) sent to it through its own service.
 *
 * @example
 * ```ts
 * const t: ExperimentTemplateSpec = { name: 'baseline', specRef: 'stable', replicas: 1, weight: 5 }
 * ```
 * @category model
 */
export interface ExperimentTemplateSpec {
  readonly name: string
  readonly specRef: 'stable' | 'canary'
  readonly replicas: number
  readonly weight?: number
}

/**
 * An analysis run against an experiment: the named metrics of `analysis.metrics` (measured like the
 * metrics of an analysis step), with `args` handed to the metrics adapter in each metric need (so a query
 * can select the `baseline` or `canary` template's pods). `requiredForCompletion`: the experiment does not
 * complete before every metric of this analysis reached a final pass.
 *
 * @example
 * ```ts
 * const a: ExperimentAnalysisSpec = {
 *   name: 'compare', metrics: ['error-ratio'], requiredForCompletion: true,
 *   args: { 'baseline-hash': '{{templates.baseline.podTemplateHash}}' },
 * }
 * ```
 * @category model
 */
export interface ExperimentAnalysisSpec {
  readonly name: string
  readonly metrics: readonly string[]
  readonly requiredForCompletion: boolean
  readonly args?: Readonly<Record<string, string>>
}

/**
 * The `experiment` step (docs/strategies.md): the caller creates the templates' ReplicaSets (the action's
 * `experiment` field), the step waits for them to be ready (within the progress deadline), runs the
 * analyses, and completes after `durationMs` from readiness and once every `requiredForCompletion`
 * analysis passed; without a duration and without required analyses it runs until promoted. A failed
 * analysis rolls back; an inconclusive one pauses. The ReplicaSets are removed when the step ends.
 *
 * @example
 * ```ts
 * const s: ExperimentStep = {
 *   type: 'experiment', name: 'baseline-vs-canary', durationMs: 3_600_000, analyses: [],
 *   templates: [{ name: 'baseline', specRef: 'stable', replicas: 1 }, { name: 'canary', specRef: 'canary', replicas: 1 }],
 * }
 * ```
 * @category model
 */
export interface ExperimentStep {
  readonly type: 'experiment'
  readonly name: string
  /** How long the experiment runs once its ReplicaSets are ready; `null`: until its required analyses pass, or until promoted. */
  readonly durationMs: number | null
  readonly templates: readonly ExperimentTemplateSpec[]
  readonly analyses: readonly ExperimentAnalysisSpec[]
}

/**
 * The canary strategy: a step program. Flagger's linear (`stepWeight` + `maxWeight`) and `stepWeights`
 * forms are compiled into `setWeight` + one-interval `analysis` steps.
 *
 * @example
 * ```ts
 * const c: CanaryStrategySpec = {
 *   kind: 'canary', form: 'linear', maxWeight: 50, stepWeightPromotion: null,
 *   steps: [{ type: 'setWeight', weight: 10 }, { type: 'analysis', intervals: 1 }],
 * }
 * ```
 * @category model
 */
export interface CanaryStrategySpec {
  readonly kind: 'canary'
  /** Which input form the program came from. */
  readonly form: 'linear' | 'stepWeights' | 'steps'
  readonly steps: readonly CanaryStep[]
  /** Highest weight the program sets (Flagger's overshoot is kept: may exceed the configured maxWeight). */
  readonly maxWeight: number
  /** In `promoting`, move this much traffic back to the primary per tick; `null`: all in one tick. */
  readonly stepWeightPromotion: number | null
  /** Flagger `mirror`: a mirrored phase before the first weight step. */
  readonly mirror?: { readonly percentage: number }
}

/**
 * One step of a blue/green program (docs/strategies.md): `preview` (the new version reachable only through
 * the preview service, optionally mirrored and with a preview replica count), pre- and post-promotion
 * `analysis`, the auto-promotion `pause`, the `switch` of the active service, and `scaleDownDelay` (the old
 * version is kept until this long after the switch, so an abort switches back at once).
 *
 * @example
 * ```ts
 * const steps: BlueGreenStep[] = [
 *   { type: 'preview' },
 *   { type: 'analysis', intervals: 3 },
 *   { type: 'switch' },
 *   { type: 'scaleDownDelay', durationMs: 30_000 },
 * ]
 * ```
 * @category model
 */
export type BlueGreenStep =
  | { readonly type: 'preview'; readonly mirror?: number; readonly replicas?: number }
  | { readonly type: 'switch' }
  | { readonly type: 'scaleDownDelay'; readonly durationMs: number }
  | Extract<CanaryStep, { readonly type: 'analysis' | 'pause' }>

/**
 * A step of any strategy's program.
 *
 * @example
 * ```ts
 * const s: ProgramStep = { type: 'switch' }
 * ```
 * @category model
 */
export type ProgramStep = CanaryStep | BlueGreenStep

/**
 * Pre- or post-promotion analysis of a blue/green rollout (Argo form): `intervals` passing analysis ticks,
 * or (`null`) until every metric reached a final verdict; `metrics` adds non-background metrics.
 *
 * @example
 * ```ts
 * const a: PromotionAnalysisSpec = { intervals: 3 }
 * ```
 * @category model
 */
export interface PromotionAnalysisSpec {
  readonly intervals: number | null
  readonly metrics?: readonly string[]
}

/**
 * Blue/green (docs/strategies.md). Two forms compile into one program: Flagger's (`iterations` analysed
 * intervals, switch, one more analysed interval, promote) and Argo's (`prePromotionAnalysis`, auto-promotion
 * pause, switch, `postPromotionAnalysis`, scale-down delay, promote).
 *
 * @example
 * ```ts
 * const b: BlueGreenStrategySpec = {
 *   kind: 'blueGreen', form: 'argo', iterations: null, maxWeight: 100,
 *   prePromotionAnalysis: { intervals: 2 }, postPromotionAnalysis: null,
 *   autoPromotionEnabled: true, autoPromotionDelayMs: 0, scaleDownDelayMs: 30_000, abortScaleDownDelayMs: 30_000,
 *   previewReplicas: null,
 *   steps: [{ type: 'preview' }, { type: 'analysis', intervals: 2 }, { type: 'switch' }, { type: 'scaleDownDelay', durationMs: 30_000 }],
 * }
 * ```
 * @category model
 */
export interface BlueGreenStrategySpec {
  readonly kind: 'blueGreen'
  /** `flagger`: configured with `iterations`; `argo`: with pre/post-promotion analysis (or none). */
  readonly form: 'flagger' | 'argo'
  readonly steps: readonly BlueGreenStep[]
  /** Always 100: after the switch all live traffic goes to the new version. */
  readonly maxWeight: number
  /** Flagger form: analysed intervals before the switch. */
  readonly iterations: number | null
  readonly prePromotionAnalysis: PromotionAnalysisSpec | null
  readonly postPromotionAnalysis: PromotionAnalysisSpec | null
  /** false: wait for a `promote` command before the switch (Argo `autoPromotionEnabled`). */
  readonly autoPromotionEnabled: boolean
  /** Pause this long before the switch, then switch by itself (Argo `autoPromotionSeconds`); 0: no pause. */
  readonly autoPromotionDelayMs: number
  /** Keep the old version this long after the switch; an abort meanwhile switches back at once. */
  readonly scaleDownDelayMs: number
  /** After an abort or failure, keep the rejected version this long before the `rollback` scales it down. */
  readonly abortScaleDownDelayMs: number
  /** Replicas of the new version while in preview (Argo `previewReplicaCount`); null: full size. */
  readonly previewReplicas: number | null
  /** Flagger `mirror` with blue/green: live traffic mirrored to the new version during the preview stage. */
  readonly mirror?: { readonly percentage: number }
}

/**
 * A/B testing (Flagger): requests matching `match` (headers, cookies, query parameters) go to the canary
 * for `iterations` analysed intervals, then confirm-promotion and promotion. Compiled into a program of a
 * `setHeaderRoute` step and an `analysis` step.
 *
 * @example
 * ```ts
 * const ab: AbTestStrategySpec = {
 *   kind: 'abTest', iterations: 10, maxWeight: 0,
 *   match: [{ headers: { 'x-canary': { exact: 'insider' } } }],
 *   steps: [
 *     { type: 'setHeaderRoute', name: 'ab-test', match: [{ headers: { 'x-canary': { exact: 'insider' } } }] },
 *     { type: 'analysis', intervals: 10 },
 *   ],
 * }
 * ```
 * @category model
 */
export interface AbTestStrategySpec {
  readonly kind: 'abTest'
  readonly iterations: number
  /** Any of these matches routes a request to the canary. */
  readonly match: readonly RequestMatch[]
  readonly steps: readonly CanaryStep[]
  /** Always 0: A/B testing routes matched requests, never a share of all traffic. */
  readonly maxWeight: number
}

/**
 * The strategies the engine runs, tagged by `kind`. Each carries its compiled step program in `steps`.
 *
 * @example
 * ```ts
 * declare const s: StrategySpec
 * if (s.kind === 'canary') console.log(s.steps.length)
 * ```
 * @category model
 */
export type StrategySpec = CanaryStrategySpec | BlueGreenStrategySpec | AbTestStrategySpec

/**
 * The analysis: when to measure, what to measure and when to give up.
 *
 * @example
 * ```ts
 * const a: AnalysisSpec = {
 *   intervalMs: 60_000, threshold: 5, consecutiveFailureLimit: null, noDataLimit: 10, startingStep: 0, metrics: [],
 * }
 * ```
 * @category model
 */
export interface AnalysisSpec {
  /** Time between analysis ticks (Flagger floor: 10 s). */
  readonly intervalMs: number
  /** Failed checks (cumulative over the run, Flagger's rule) that roll back. */
  readonly threshold: number
  /** Consecutive failed checks that roll back; `null`: off. */
  readonly consecutiveFailureLimit: number | null
  /** Consecutive ticks without data that roll back. */
  readonly noDataLimit: number
  /** Background analysis starts at this step index (Argo `startingStep`). */
  readonly startingStep: number
  readonly metrics: readonly MetricSpec[]
  /**
   * How the final outcomes of metrics combine (Argo #4513): `worst` (default, Argo's rule: one failed metric
   * rolls back, one inconclusive pauses), `majority` (the run fails only when more than half of the metrics
   * failed) or `anyPass` (one successful metric decides).
   */
  readonly aggregation?: 'worst' | 'anyPass' | 'majority'
  /**
   * What the `alpha` of `sequential` metrics bounds: `rollout` (default, absent here) the probability that ANY of
   * them rolls back a healthy canary, so each metric's judge gets `alpha / m` (m: the number of sequential
   * metrics that can roll back, dry-run ones excluded; the judge specs above already hold the split value);
   * `metric`: each metric's own false rollbacks (the rollout's add up).
   */
  readonly sequentialAlpha?: 'metric'
  /**
   * The longest a rollout waits at the promotion point for evidence: a sequential metric's `detect` ruled out
   * and every deciding metric judged at least once (docs/evidence.md). Absent: 30 minutes.
   */
  readonly evidenceTimeoutMs?: number
  /**
   * What happens when `evidenceTimeoutMs` runs out without that evidence: absent, roll back (fail-safe);
   * `promote`: promote with a warning event.
   */
  readonly onEvidenceTimeout?: 'promote'
  /**
   * Kayenta-style scoring of the `mannWhitney` metrics: at each tick they are judged together by a
   * group-weighted score instead of one by one (absent: each metric counts on its own).
   */
  readonly score?: ScoreSpec
}

/**
 * Kayenta-style score thresholds: per group, the share of passing metrics; the weighted mean x 100 passes at
 * `passScore`, is marginal (inconclusive: hold) at `marginalScore`, fails below; a failing critical metric
 * fails the judgement.
 *
 * @example
 * ```ts
 * const s: ScoreSpec = { passScore: 95, marginalScore: 75, groupWeights: { errors: 60, latency: 40 } }
 * ```
 * @category model
 */
export interface ScoreSpec {
  readonly passScore: number
  readonly marginalScore: number
  readonly groupWeights?: Readonly<Record<string, number>>
}

/**
 * A decoded, normalised rollout spec.
 *
 * @example
 * ```ts
 * import { decodeSpec } from 'rollout-kernel'
 * const spec = decodeSpec({ strategy: { canary: { stepWeight: 10, maxWeight: 50 } }, analysis: { interval: '1m', threshold: 5 } })
 * ```
 * @category model
 */
export interface RolloutSpec {
  readonly strategy: StrategySpec
  readonly analysis: AnalysisSpec
  readonly gates: readonly GateSpec[]
  /** Longest wait for readiness before rolling back (default 600 s). */
  readonly progressDeadlineMs: number
  /** Promote without analysis (Flagger `skipAnalysis`). */
  readonly skipAnalysis: boolean
  /**
   * The workload's size, for callers without a mesh: `setWeight` actions then carry replica counts
   * (`maxSurge` already resolved to pods).
   */
  readonly workload?: { readonly replicas: number; readonly maxSurge: number }
}
