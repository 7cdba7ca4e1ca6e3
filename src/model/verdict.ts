/**
 * The verdict vocabulary: what a judge says about one sample (`Verdict`), a metric's final outcome for a
 * run (`Final`) and the judgement that carries both with its reason. The lists are `as const`; the types
 * and the state codec's literals are derived from them.
 *
 * @module
 */
import type { Reason } from './reason.js'

/**
 * Every verdict, in a stable order.
 *
 * @example
 * ```ts
 * VERDICTS.includes('noData') // true
 * ```
 * @category model
 */
export const VERDICTS = ['pass', 'fail', 'inconclusive', 'noData', 'error'] as const

/**
 * Every final outcome, in a stable order.
 *
 * @example
 * ```ts
 * FINALS.includes('pause') // true
 * ```
 * @category model
 */
export const FINALS = ['pass', 'fail', 'pause'] as const

/**
 * The verdict on one sample (one measurement) of a metric.
 * - `pass` / `fail`: the check passed or failed;
 * - `inconclusive`: the judge cannot tell (hold, do not count);
 * - `noData`: the source had nothing (hold, counted towards `noDataLimit`);
 * - `error`: the sample could not be evaluated (e.g. a condition over an empty vector).
 *
 * @example
 * ```ts
 * const v: Verdict = 'pass'
 * ```
 * @category model
 */
export type Verdict = (typeof VERDICTS)[number]

/**
 * A metric's final outcome for the current analysis run, when its judge has reached one:
 * `fail` rolls back at once (e.g. the sequential test rejected, Argo's failureLimit was exceeded),
 * `pass` means the metric needs no more measurements (e.g. non-inferiority proven, Argo `count` reached),
 * `pause` waits for an operator (Argo's Inconclusive phase).
 *
 * @example
 * ```ts
 * const f: Final = 'fail'
 * ```
 * @category model
 */
export type Final = (typeof FINALS)[number]

/**
 * The judgement of one sample.
 *
 * @example
 * ```ts
 * const j: Judgement = { verdict: 'pass', judgeState: null, reason: { code: 'metricPassed', message: 'ok' } }
 * ```
 * @category model
 */
export interface Judgement {
  readonly verdict: Verdict
  readonly final?: Final
  /** The judge's next state (plain JSON, bounded), or null for stateless judges. */
  readonly judgeState: unknown
  readonly reason: Reason
}
