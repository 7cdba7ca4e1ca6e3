/**
 * The outcome vocabulary, in one place. A judge's `Verdict` on one sample and a metric's `Final` for a run
 * (src/model/verdict.ts) are the engine's words for an outcome; the other words an outcome has come from
 * upstream and are defined here with their one mapping to the engine's words:
 * - Argo's phases of a measurement, a metric and an analysis run (`MeasurementPhase`, `MetricPhase`,
 *   `RunPhase`);
 * - Kayenta's classification labels (`KayentaLabel`, defined with the classifier in kayenta.ts);
 * - the reason code a measurement's phase is reported with.
 * No other file holds a table between two outcome vocabularies.
 *
 * @module
 */
import type { ReasonCode } from '../model/reason.js'
import type { Final, Verdict } from '../model/verdict.js'
import type { KayentaLabel } from './kayenta.js'

/**
 * The phase of one measurement (Argo's AnalysisPhase for a measurement).
 *
 * @example
 * ```ts
 * const p: MeasurementPhase = 'Inconclusive'
 * ```
 * @category model
 */
export type MeasurementPhase = 'Successful' | 'Failed' | 'Inconclusive' | 'Error'

/**
 * The phase of a metric: `Pending` before any measurement, `Running` while no limit decided, else terminal.
 *
 * @example
 * ```ts
 * const p: MetricPhase = 'Running'
 * ```
 * @category model
 */
export type MetricPhase = 'Pending' | 'Running' | MeasurementPhase

/**
 * The phase of an analysis run (same values as a metric's).
 *
 * @example
 * ```ts
 * const p: RunPhase = 'Failed'
 * ```
 * @category model
 */
export type RunPhase = MetricPhase

const PHASE_OF: Readonly<Record<Verdict, MeasurementPhase | null>> = {
  pass: 'Successful',
  fail: 'Failed',
  inconclusive: 'Inconclusive',
  error: 'Error',
  noData: null,
}

const VERDICT_OF: Readonly<Record<MeasurementPhase, Verdict>> = {
  Successful: 'pass',
  Failed: 'fail',
  Inconclusive: 'inconclusive',
  Error: 'error',
}

const CODE_OF: Readonly<Record<MeasurementPhase, ReasonCode>> = {
  Successful: 'metricPassed',
  Failed: 'metricFailed',
  Inconclusive: 'metricInconclusive',
  Error: 'metricError',
}

const FINAL_OF: Readonly<Record<MetricPhase, Final | null>> = {
  Pending: null,
  Running: null,
  Successful: 'pass',
  Failed: 'fail',
  Error: 'fail',
  Inconclusive: 'pause',
}

const METRIC_PHASE_OF: Readonly<Record<Final, MetricPhase>> = { pass: 'Successful', fail: 'Failed', pause: 'Inconclusive' }

const LABEL_OF: Readonly<Record<Verdict, KayentaLabel>> = { pass: 'Pass', fail: 'High', inconclusive: 'NoData', noData: 'NoData', error: 'Error' }

/**
 * The measurement phase of a verdict (Argo), or `null` for `noData` (not a measurement).
 *
 * @example
 * ```ts
 * measurementPhaseOf('fail') // 'Failed'
 * ```
 * @category outcome
 */
export const measurementPhaseOf = (v: Verdict): MeasurementPhase | null => PHASE_OF[v]

/**
 * The verdict a measurement phase reports.
 *
 * @example
 * ```ts
 * verdictOfMeasurement('Inconclusive') // 'inconclusive'
 * ```
 * @category outcome
 */
export const verdictOfMeasurement = (p: MeasurementPhase): Verdict => VERDICT_OF[p]

/**
 * The reason code a measurement phase is reported with.
 *
 * @example
 * ```ts
 * reasonCodeOfMeasurement('Error') // 'metricError'
 * ```
 * @category outcome
 */
export const reasonCodeOfMeasurement = (p: MeasurementPhase): ReasonCode => CODE_OF[p]

/**
 * A metric's final outcome from its Argo phase (`null` while Pending or Running; Error fails, Inconclusive pauses).
 *
 * @example
 * ```ts
 * finalOfMetricPhase('Error') // 'fail'
 * ```
 * @category outcome
 */
export const finalOfMetricPhase = (p: MetricPhase): Final | null => FINAL_OF[p]

/**
 * The Argo metric phase of a final outcome (for run aggregation); a metric without one is `Running`.
 *
 * @example
 * ```ts
 * metricPhaseOfFinal('pause') // 'Inconclusive'
 * metricPhaseOfFinal(null)    // 'Running'
 * ```
 * @category outcome
 */
export const metricPhaseOfFinal = (f: Final | null | undefined): MetricPhase => (f == null ? 'Running' : METRIC_PHASE_OF[f])

/**
 * The Kayenta label of a verdict, for scoring (pass -> Pass, fail -> High, inconclusive or no data ->
 * NoData, error -> Error); anything else (no verdict) is NoData.
 *
 * @example
 * ```ts
 * kayentaLabelOf('fail') // 'High'
 * ```
 * @category outcome
 */
export const kayentaLabelOf = (v: Verdict | undefined): KayentaLabel =>
  v !== undefined && Object.prototype.hasOwnProperty.call(LABEL_OF, v) ? LABEL_OF[v] : 'NoData'
