/**
 * How the final outcomes of the metrics combine into the analysis run's outcome (Argo #4513): with the
 * default `worst` aggregation one failed metric rolls back and one inconclusive metric pauses; `majority` and
 * `anyPass` (spec `analysis.aggregation`) let the other metrics outvote it.
 *
 * @module
 */
import type { RolloutSpec } from '../config/spec.js'
import type { MetricState } from './state.js'
import { aggregateRunPhase } from '../analysis/measurement.js'
import { metricPhaseOfFinal, type RunPhase } from '../analysis/outcome.js'


/**
 * The run phase of the metrics' final outcomes under the spec's aggregation (metrics without a final
 * outcome are Running; dry-run metrics do not count).
 *
 * @example
 * ```ts
 * declare const spec: RolloutSpec, metrics: Record<string, MetricState>
 * runPhaseOf(spec, metrics) // 'Running' | 'Successful' | 'Failed' | ...
 * ```
 * @category analysis
 */
export const runPhaseOf = (spec: RolloutSpec, metrics: Readonly<Record<string, MetricState>>): RunPhase =>
  aggregateRunPhase(
    spec.analysis.metrics.map((m) => {
      const f = Object.prototype.hasOwnProperty.call(metrics, m.name) ? metrics[m.name]?.final : null
      return { phase: metricPhaseOfFinal(f), dryRun: m.dryRun }
    }),
    spec.analysis.aggregation ?? 'worst',
  )

/**
 * True when a metric's final `fail` (or `pause`) decides the run: always under `worst`, and under the other
 * aggregations only when the combined run phase says so.
 *
 * @example
 * ```ts
 * declare const spec: RolloutSpec, metrics: Record<string, MetricState>
 * finalDecides(spec, metrics, 'fail')
 * ```
 * @category analysis
 */
export const finalDecides = (spec: RolloutSpec, metrics: Readonly<Record<string, MetricState>>, final: 'fail' | 'pause'): boolean => {
  if ((spec.analysis.aggregation ?? 'worst') === 'worst') return true
  const phase = runPhaseOf(spec, metrics)
  return final === 'fail' ? phase === 'Failed' || phase === 'Error' : phase === 'Inconclusive'
}
