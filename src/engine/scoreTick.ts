/**
 * Kayenta-style scoring of one analysis tick: the `mannWhitney` metrics' verdicts become classifications
 * (pass -> Pass, fail -> High, inconclusive or no data -> NoData, error -> Error) and are scored together
 * with group weights, pass and marginal thresholds and critical metrics.
 *
 * @module
 */
import * as E from 'fp-ts/lib/Either.js'
import type { MetricSpec, ScoreSpec } from '../config/spec.js'
import type { Reason } from './decision.js'
import type { MetricState } from './state.js'
import type { KayentaClassification } from '../analysis/kayenta.js'
import { kayentaLabelOf } from '../analysis/outcome.js'
import { kayentaScore } from '../analysis/kayentaScore.js'


/**
 * Scores the scored metrics' pending verdicts.
 *
 * @example
 * ```ts
 * declare const metrics: MetricSpec[], states: Record<string, MetricState>
 * scoreTick({ passScore: 95, marginalScore: 75 }, metrics, states).verdict // 'pass' | 'inconclusive' | 'fail'
 * ```
 * @category analysis
 */
export const scoreTick = (
  score: ScoreSpec,
  metrics: readonly MetricSpec[],
  states: Readonly<Record<string, MetricState>>,
): { readonly verdict: 'pass' | 'inconclusive' | 'fail'; readonly score: number; readonly reason: Reason } => {
  const classifications: KayentaClassification[] = metrics.map((m) => {
    const p = states[m.name]?.pending
    const judge = m.judge.kind === 'mannWhitney' ? m.judge : null
    return {
      metric: m.name,
      label: kayentaLabelOf(p?.verdict ?? 'noData'),
      group: judge?.group ?? 'default',
      critical: judge?.critical ?? false,
      reason: { code: 'metricPassed', message: p?.message ?? `${m.name}: no verdict`, metric: m.name },
      stats: null,
    }
  })
  const r = kayentaScore(classifications, score)
  if (E.isLeft(r)) return { verdict: 'fail', score: 0, reason: { code: 'metricError', message: `score: ${r.left.message}` } }
  return { verdict: r.right.verdict, score: r.right.score, reason: r.right.reason }
}
