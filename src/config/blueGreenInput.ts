/**
 * io-ts codec for the blue/green strategy input (`strategy.blueGreen`), closed like the rest of the native
 * config. Two forms: Flagger's (`iterations`) and Argo's (`prePromotionAnalysis` / `postPromotionAnalysis`,
 * or neither); mixing them is refused by `normalizeBlueGreen`.
 *
 * @module
 */
import type * as t from 'io-ts'
import { Bool, closed, Duration, IntIn, ListOf, NonEmptyString, NumberIn } from './closed.js'

/**
 * Pre- or post-promotion analysis: `intervals` passing analysis ticks (default 1), or `untilDecided: true`
 * (every metric reaches a final verdict); `metrics` adds non-background metrics by name.
 *
 * @example
 * ```ts
 * PromotionAnalysisInput.decode({ intervals: 3 })
 * ```
 * @category codecs
 */
export const PromotionAnalysisInput = closed(
  'PromotionAnalysis',
  {},
  { intervals: IntIn(1, 1_000_000), untilDecided: Bool, metrics: ListOf(NonEmptyString) },
)

/**
 * The blue/green strategy input. Durations are native durations (`"30s"`, or seconds as a number): Argo's
 * `autoPromotionSeconds`, `scaleDownDelaySeconds`, `abortScaleDownDelaySeconds` are `autoPromotionDelay`,
 * `scaleDownDelay`, `abortScaleDownDelay`; `previewReplicas` is `previewReplicaCount`.
 *
 * @example
 * ```ts
 * BlueGreenInput.decode({ prePromotionAnalysis: { intervals: 2 }, autoPromotionEnabled: false })
 * BlueGreenInput.decode({ iterations: 10, mirror: true })
 * ```
 * @category codecs
 */
export const BlueGreenInput = closed(
  'BlueGreen',
  {},
  {
    iterations: IntIn(1, 1_000_000),
    prePromotionAnalysis: PromotionAnalysisInput,
    postPromotionAnalysis: PromotionAnalysisInput,
    autoPromotionEnabled: Bool,
    autoPromotionDelay: Duration,
    scaleDownDelay: Duration,
    abortScaleDownDelay: Duration,
    previewReplicas: IntIn(0, 1_000_000),
    mirror: Bool,
    mirrorWeight: NumberIn(0, 100, true),
  },
)

/**
 * A decoded blue/green input.
 *
 * @example
 * ```ts
 * declare const bg: BlueGreenInputType
 * bg.iterations
 * ```
 * @category model
 */
export type BlueGreenInputType = t.TypeOf<typeof BlueGreenInput>
