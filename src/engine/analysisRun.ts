/**
 * How the final outcomes of the metrics combine into the analysis run's outcome (Argo #4513): with the
 * default `worst` aggregation one failed metric rolls back and one inconclusive metric pauses; `majority` and
 * `anyPass` (spec `analysis.aggregation`) let the other metrics outvote it.
 *
 * An analysis run holds the metrics measured together, as Argo's AnalysisRuns do: the metrics an analysis
 * step names, each analysis of a running experiment, and the background metrics. A metric the current step
 * does not measure has no say in the outcome of the step's run (it would stay Running for ever and keep a
 * `majority` or `anyPass` run from ending).
 *
 * @module
 */
import type { MetricSpec, RolloutSpec } from '../config/spec.js'
import type { MetricState, RolloutState } from './state.js'
import { aggregateRunPhase } from '../analysis/measurement.js'
import { metricPhaseOfFinal, type RunPhase } from '../analysis/outcome.js'
import { specIndex } from '../config/specIndex.js'
import { runningExperiment } from './experiment.js'

const finalOf = (metrics: Readonly<Record<string, MetricState>>, name: string): MetricState['final'] | null =>
  Object.prototype.hasOwnProperty.call(metrics, name) ? (metrics[name]?.final ?? null) : null

/**
 * The run phase of the metrics' final outcomes under the spec's aggregation (metrics without a final
 * outcome are Running; dry-run metrics do not count), over the metrics of one run (`run`; default every
 * metric of the spec).
 *
 * @example
 * ```ts
 * declare const spec: RolloutSpec, metrics: Record<string, MetricState>
 * runPhaseOf(spec, metrics) // 'Running' | 'Successful' | 'Failed' | ...
 * ```
 * @category analysis
 */
export const runPhaseOf = (spec: RolloutSpec, metrics: Readonly<Record<string, MetricState>>, run: readonly MetricSpec[] = spec.analysis.metrics): RunPhase =>
  aggregateRunPhase(
    run.map((m) => ({ phase: metricPhaseOfFinal(finalOf(metrics, m.name)), dryRun: m.dryRun })),
    spec.analysis.aggregation ?? 'worst',
  )

/**
 * The analysis runs of the current step: the metrics the step's analysis names (one run), each analysis of
 * the running experiment (one run each), and the background metrics (one run, when there are any).
 *
 * @example
 * ```ts
 * declare const spec: RolloutSpec, s: RolloutState
 * currentRuns(spec, s).map((run) => run.map((m) => m.name))
 * ```
 * @internal
 */
export const currentRuns = (spec: RolloutSpec, s: Pick<RolloutState, 'stepIndex' | 'traffic'>): (readonly MetricSpec[])[] => {
  const index = specIndex(spec)
  const runs: (readonly MetricSpec[])[] = []
  const step = spec.strategy.steps[s.stepIndex]
  if (step?.type === 'analysis' && step.metrics !== undefined && step.metrics.length > 0) {
    runs.push(index.relevantAt[s.stepIndex]?.[0] ?? [])
  } else if (step?.type === 'experiment' && runningExperiment(spec, s) !== undefined) {
    for (const a of step.analyses) {
      const run: MetricSpec[] = []
      for (const name of a.metrics) {
        const m = index.metricNamed[name]
        if (m !== undefined) run.push(m)
      }
      runs.push(run)
    }
  }
  const background = index.relevant[1]
  if (background.length > 0) runs.push(background)
  return runs
}

/**
 * The metrics of the analysis run `metric` belongs to at the current step (see `currentRuns`); a metric in
 * no current run is a run of its own.
 *
 * @example
 * ```ts
 * declare const spec: RolloutSpec, s: RolloutState
 * runOf(spec, s, 'error-rate').map((m) => m.name)
 * ```
 * @internal
 */
export const runOf = (spec: RolloutSpec, s: Pick<RolloutState, 'stepIndex' | 'traffic'>, metric: string): readonly MetricSpec[] => {
  for (const run of currentRuns(spec, s)) if (run.some((m) => m.name === metric)) return run
  const m = specIndex(spec).metricNamed[metric]
  return m === undefined ? [] : [m]
}

/**
 * True when a metric's final `fail` (or `pause`) decides its run: always under `worst`, and under the other
 * aggregations only when the combined phase of the metric's run (`runOf`) says so.
 *
 * @example
 * ```ts
 * declare const spec: RolloutSpec, s: RolloutState
 * finalDecides(spec, s, 'error-rate', 'fail')
 * ```
 * @category analysis
 */
export const finalDecides = (spec: RolloutSpec, s: Pick<RolloutState, 'stepIndex' | 'traffic' | 'metrics'>, metric: string, final: 'fail' | 'pause'): boolean => {
  if ((spec.analysis.aggregation ?? 'worst') === 'worst') return true
  return decidesAs(runPhaseOf(spec, s.metrics, runOf(spec, s, metric)), final)
}

/**
 * Whether a run phase is the end a final outcome asks for: Failed or Error for `fail`, Inconclusive for
 * `pause`.
 *
 * @example
 * ```ts
 * decidesAs('Failed', 'fail') // true
 * ```
 * @internal
 */
export const decidesAs = (phase: RunPhase, final: 'fail' | 'pause'): boolean =>
  final === 'fail' ? phase === 'Failed' || phase === 'Error' : phase === 'Inconclusive'
