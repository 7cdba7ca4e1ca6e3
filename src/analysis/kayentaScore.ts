/**
 * Kayenta-style group-weighted canary score over per-metric classifications:
 *
 * - group score = passing metrics / (Pass + High + Low) x 100; `NoData` and `Error` metrics do not count;
 *   a group with no counted metric scores 100 (as Kayenta's weighted-sum scorer does);
 * - summary score = weighted mean of the group scores, rounded to 2 decimals. Groups without a weight
 *   share what the given weights leave of 100 (Kayenta's rule); weights are normalised over the groups
 *   present, so a weight for an absent group does not drag the score down;
 * - outcome: score >= `passScore` -> pass; >= `marginalScore` -> marginal (verdict inconclusive); else fail;
 * - overrides, as in Kayenta: any critical metric that is not `Pass` fails the judgement; so does a share
 *   of `NoData` metrics >= `noDataFailShare` (default 0.5). The score itself is still reported.
 *
 * @module
 */
import { describeValue } from '../model/errors.js'
import * as E from 'fp-ts/lib/Either.js'
import type { Reason } from '../model/reason.js'
import type { KayentaClassification } from './kayenta.js'
import { guarded } from '../model/guard.js'

/**
 * Options of `kayentaScore`.
 *
 * @example
 * ```ts
 * const o: KayentaScoreOptions = { groupWeights: { latency: 60, errors: 40 }, passScore: 95, marginalScore: 75 }
 * ```
 * @category model
 */
export interface KayentaScoreOptions {
  /** Weight per group (any non-negative numbers; Kayenta's convention: percentages summing to 100). */
  readonly groupWeights?: Readonly<Record<string, number>>
  /** Score (0..100) at or above which the canary passes. */
  readonly passScore: number
  /** Score (0..100) at or above which a non-passing canary is marginal rather than failed. */
  readonly marginalScore: number
  /** Share (0..1] of NoData metrics at which the judgement fails (Kayenta: 0.5). Above 1 disables. */
  readonly noDataFailShare?: number
}

/**
 * One group's score and label counts.
 *
 * @example
 * ```ts
 * const g: KayentaGroupScore = { group: 'latency', score: 50, weight: 60, pass: 1, high: 1, low: 0, noData: 0, error: 0 }
 * ```
 * @category model
 */
export interface KayentaGroupScore {
  readonly group: string
  readonly score: number
  /** The weight used (before normalisation). */
  readonly weight: number
  readonly pass: number
  readonly high: number
  readonly low: number
  readonly noData: number
  readonly error: number
}

/**
 * The summary judgement.
 *
 * @example
 * ```ts
 * const s: KayentaScore = {
 *   score: 100, outcome: 'pass', verdict: 'pass', groups: [], criticalFailures: [],
 *   reason: { code: 'analysisPassed', message: 'score 100 >= pass 95', observed: 100, bound: 95 },
 * }
 * ```
 * @category model
 */
export interface KayentaScore {
  /** Weighted score 0..100 (2 decimals). */
  readonly score: number
  readonly outcome: 'pass' | 'marginal' | 'fail'
  /** The outcome as a judge verdict: marginal -> inconclusive. */
  readonly verdict: 'pass' | 'inconclusive' | 'fail'
  readonly groups: readonly KayentaGroupScore[]
  /** Names of critical metrics that did not pass. */
  readonly criticalFailures: readonly string[]
  readonly reason: Reason
}

/**
 * Why `kayentaScore` could not score.
 *
 * @example
 * ```ts
 * const e: KayentaScoreError = { code: 'noMetrics', message: 'no classifications to score' }
 * ```
 * @category model
 */
export interface KayentaScoreError {
  readonly code: 'noMetrics' | 'invalidOptions' | 'unreadableInput'
  readonly message: string
}

const round2 = (x: number): number => Math.round(x * 100) / 100
const okScore = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x) && x >= 0 && x <= 100

/**
 * Scores a set of metric classifications (see the module notes). Total: bad options or no metrics are
 * a typed `Left`.
 *
 * @example
 * ```ts
 * const reason = { code: 'metricPassed', message: 'ok' }
 * kayentaScore(
 *   [
 *     { metric: 'p99', label: 'Pass', group: 'latency', critical: false, reason, stats: null },
 *     { metric: 'p50', label: 'High', group: 'latency', critical: false, reason, stats: null },
 *     { metric: '5xx', label: 'Pass', group: 'errors', critical: false, reason, stats: null },
 *   ],
 *   { groupWeights: { latency: 50, errors: 50 }, passScore: 95, marginalScore: 70 },
 * ) // right({ score: 75, outcome: 'marginal', verdict: 'inconclusive', ... })
 * ```
 * @category judges
 */
export const kayentaScore = guarded('kayentaScore', (
  classifications: readonly KayentaClassification[],
  options: KayentaScoreOptions,
): E.Either<KayentaScoreError, KayentaScore> => {
  if (!okScore(options?.passScore) || !okScore(options?.marginalScore) || options.marginalScore > options.passScore) {
    return E.left({
      code: 'invalidOptions',
      message: `need 0 <= marginalScore <= passScore <= 100, got marginalScore ${describeValue(options?.marginalScore)}, passScore ${describeValue(options?.passScore)}`,
    })
  }
  const weights = options.groupWeights ?? {}
  for (const [g, w] of Object.entries(weights)) {
    if (typeof w !== 'number' || !Number.isFinite(w) || w < 0) {
      return E.left({ code: 'invalidOptions', message: `group weight of ${g} must be a finite number >= 0, got ${describeValue(w)}` })
    }
  }
  const noDataFailShare = options.noDataFailShare ?? 0.5
  if (typeof noDataFailShare !== 'number' || Number.isNaN(noDataFailShare) || noDataFailShare <= 0) {
    return E.left({ code: 'invalidOptions', message: `noDataFailShare must be > 0, got ${describeValue(noDataFailShare)}` })
  }
  const list = Array.isArray(classifications) ? classifications : []
  if (list.length === 0) return E.left({ code: 'noMetrics', message: 'no classifications to score' })

  // Count labels per group, in order of first appearance.
  const counts = new Map<string, { pass: number; high: number; low: number; noData: number; error: number }>()
  for (const c of list) {
    const g = counts.get(c.group) ?? { pass: 0, high: 0, low: 0, noData: 0, error: 0 }
    if (c.label === 'Pass') g.pass++
    else if (c.label === 'High') g.high++
    else if (c.label === 'Low') g.low++
    else if (c.label === 'NoData') g.noData++
    else g.error++
    counts.set(c.group, g)
  }
  const has = (g: string): boolean => Object.prototype.hasOwnProperty.call(weights, g)
  const given = Object.values(weights).reduce((a, b) => a + b, 0)
  const unweighted = [...counts.keys()].filter((g) => !has(g)).length
  const shared = unweighted > 0 ? Math.max(0, 100 - given) / unweighted : 0
  const groups: KayentaGroupScore[] = [...counts.entries()].map(([group, k]) => {
    const counted = k.pass + k.high + k.low
    return { group, score: counted === 0 ? 100 : (k.pass / counted) * 100, weight: has(group) ? (weights[group] as number) : shared, ...k }
  })
  const totalWeight = groups.reduce((a, g) => a + g.weight, 0)
  const score = round2(
    totalWeight > 0
      ? groups.reduce((a, g) => a + g.score * g.weight, 0) / totalWeight
      : groups.reduce((a, g) => a + g.score, 0) / groups.length,
  )
  const criticalFailures = list.filter((c) => c.critical && c.label !== 'Pass').map((c) => c.metric)
  const noData = list.filter((c) => c.label === 'NoData').length
  const base = { score, groups, criticalFailures }
  if (criticalFailures.length > 0) {
    const first = list.find((c) => c.critical && c.label !== 'Pass') as KayentaClassification
    return E.right({
      ...base,
      outcome: 'fail',
      verdict: 'fail',
      reason: {
        code: 'metricFailed',
        message: `critical metric ${criticalFailures.join(', ')} did not pass (${first.label}): ${first.reason.message}`,
        metric: first.metric,
        observed: score,
        details: { criticalFailures: criticalFailures.join(',') },
      },
    })
  }
  if (noData / list.length >= noDataFailShare) {
    return E.right({
      ...base,
      outcome: 'fail',
      verdict: 'fail',
      reason: {
        code: 'noDataLimit',
        message: `${noData} of ${list.length} metrics had no data (share ${round2(noData / list.length)} >= ${noDataFailShare})`,
        observed: noData / list.length,
        bound: noDataFailShare,
      },
    })
  }
  if (score >= options.passScore) {
    return E.right({ ...base, outcome: 'pass', verdict: 'pass', reason: { code: 'analysisPassed', message: `score ${score} >= pass ${options.passScore}`, observed: score, bound: options.passScore } })
  }
  if (score >= options.marginalScore) {
    return E.right({
      ...base,
      outcome: 'marginal',
      verdict: 'inconclusive',
      reason: { code: 'metricInconclusive', message: `score ${score} < pass ${options.passScore} but >= marginal ${options.marginalScore}`, observed: score, bound: options.passScore },
    })
  }
  return E.right({
    ...base,
    outcome: 'fail',
    verdict: 'fail',
    reason: { code: 'metricFailed', message: `score ${score} < marginal ${options.marginalScore}`, observed: score, bound: options.marginalScore },
  })
}, (m) => E.left({ code: 'unreadableInput' as const, message: m }))
