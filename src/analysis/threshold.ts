/**
 * Flagger's `thresholdRange` judge: a value fails when it is below `min` or above `max`; the bounds
 * themselves pass. A vector (several Prometheus series) is judged by every element: any series outside the
 * range fails, and the reason names the worst one (the lowest against `min`, the highest against `max`).
 *
 * @module
 */
import type { ThresholdJudgeSpec } from '../model/metricSpec.js'
import type { Sample } from '../model/observation.js'
import type { Judgement } from '../model/verdict.js'
import { boundedList, guarded } from '../model/guard.js'
import { unreadableJudgement } from './judgeFallback.js'

/** Up to 4 decimals, no trailing zeros; cheap (this runs on every measurement). */
const fmt = (n: number): string => (Number.isInteger(n) || !Number.isFinite(n) ? String(n) : String(Math.round(n * 1e4) / 1e4))

/**
 * Judges a value sample against `min` / `max`.
 *
 * @example
 * ```ts
 * judgeThreshold('sr', { kind: 'threshold', min: 99 }, { kind: 'value', metric: 'sr', window: { from: 0, to: 1 }, value: 99 }).verdict // 'pass'
 * ```
 * @category judges
 */
export const judgeThreshold = guarded('judgeThreshold', (metric: string, spec: ThresholdJudgeSpec, sample: Sample): Judgement => {
  if (sample.kind !== 'value') {
    return {
      verdict: 'error',
      judgeState: null,
      reason: { code: 'metricError', message: `${metric}: expected a value sample, got ${sample.kind}`, metric },
    }
  }
  const raw = sample.value
  // every element of a vector counts; other shapes are refused by the observation check (no data here)
  const values: readonly unknown[] = typeof raw === 'number' ? [raw] : Array.isArray(raw) ? boundedList(raw, 'value') : []
  let lo = Infinity
  let hi = -Infinity
  let nan = values.length === 0
  for (const x of values) {
    if (typeof x !== 'number' || Number.isNaN(x)) {
      nan = true
      continue
    }
    if (x < lo) lo = x
    if (x > hi) hi = x
  }
  const which = (w: string): string => (values.length > 1 ? ` (${w} of ${values.length} series)` : '')
  if (nan) {
    return {
      verdict: 'noData',
      judgeState: null,
      reason: { code: 'noData', message: `${metric}: no value (empty or NaN)`, metric },
    }
  }
  if (spec.min !== undefined && lo < spec.min) {
    return {
      verdict: 'fail',
      judgeState: null,
      reason: { code: 'metricFailed', message: `${metric} ${fmt(lo)}${which('lowest')} < min ${fmt(spec.min)}`, metric, observed: lo, bound: spec.min },
    }
  }
  if (spec.max !== undefined && hi > spec.max) {
    return {
      verdict: 'fail',
      judgeState: null,
      reason: { code: 'metricFailed', message: `${metric} ${fmt(hi)}${which('highest')} > max ${fmt(spec.max)}`, metric, observed: hi, bound: spec.max },
    }
  }
  const value = spec.min !== undefined ? lo : hi
  const bound = spec.min ?? spec.max
  const range = `${spec.min !== undefined ? `min ${fmt(spec.min)}` : ''}${spec.min !== undefined && spec.max !== undefined ? ', ' : ''}${spec.max !== undefined ? `max ${fmt(spec.max)}` : ''}`
  return {
    verdict: 'pass',
    judgeState: null,
    reason: {
      code: 'metricPassed',
      message: `${metric} ${fmt(value)}${which(spec.min !== undefined ? 'lowest' : 'highest')} within ${range || 'no bounds'}`,
      metric,
      observed: value,
      ...(bound !== undefined ? { bound } : {}),
    },
  }
}, (m, _f, [metric]) => unreadableJudgement(m, null, metric))
