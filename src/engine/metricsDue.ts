/**
 * Which metrics an analysis tick evaluates: background metrics once the canary gets traffic (from
 * `analysis.startingStep` on), plus the metrics an `analysis` step names; metrics that reached a final
 * `pass` need no more measurements.
 *
 * @module
 */
import type { MetricSpec, RolloutSpec } from '../config/spec.js'
import type { MetricState, RolloutState } from './state.js'

/**
 * The empty state of a metric at the start of a run.
 *
 * @example
 * ```ts
 * emptyMetricState.lastTo // null
 * ```
 * @category constructors
 */
export const emptyMetricState: MetricState = { lastTo: null, pending: null, judge: null, final: null, measurements: 0 }

/**
 * True when the canary receives live, mirrored or header-routed traffic, or test traffic through the
 * blue/green preview service.
 *
 * @example
 * ```ts
 * declare const s: RolloutState
 * hasCanaryTraffic(s)
 * ```
 * @category predicates
 */
export const hasCanaryTraffic = (s: Pick<RolloutState, 'traffic'>): boolean =>
  s.traffic.weight > 0 || (s.traffic.mirror ?? 0) > 0 || s.traffic.routes.length > 0 || s.traffic.preview === true

/**
 * The metrics relevant at the current step, whether or not they are decided.
 *
 * @example
 * ```ts
 * declare const spec: RolloutSpec, s: RolloutState
 * relevantMetrics(spec, s).map((m) => m.name)
 * ```
 * @category selectors
 */
export const relevantMetrics = (spec: RolloutSpec, s: RolloutState): MetricSpec[] => {
  const step = spec.strategy.steps[s.stepIndex]
  const named = step?.type === 'analysis' && step.metrics !== undefined ? step.metrics : []
  const background = s.stepIndex >= spec.analysis.startingStep && hasCanaryTraffic(s)
  return spec.analysis.metrics.filter((m) => named.includes(m.name) || (background && m.background))
}

/**
 * The metrics the next analysis tick needs a sample of.
 *
 * @example
 * ```ts
 * declare const spec: RolloutSpec, s: RolloutState
 * dueMetrics(spec, s).length
 * ```
 * @category selectors
 */
export const dueMetrics = (spec: RolloutSpec, s: RolloutState): MetricSpec[] =>
  relevantMetrics(spec, s).filter((m) => (s.metrics[m.name]?.final ?? null) === null)
