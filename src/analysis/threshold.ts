/**
 * Flagger's `thresholdRange` judge: a value fails when it is below `min` or above `max`; the bounds
 * themselves pass. A vector is judged by its first element (Prometheus' single-series result).
 *
 * @module
 */
import type { ThresholdJudgeSpec } from '../config/spec.js'
import type { Sample } from '../engine/observation.js'
import type { Judgement } from './judge.js'

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
export const judgeThreshold = (metric: string, spec: ThresholdJudgeSpec, sample: Sample): Judgement => {
  if (sample.kind !== 'value') {
    return {
      verdict: 'error',
      judgeState: null,
      reason: { code: 'metricError', message: `${metric}: expected a value sample, got ${sample.kind}`, metric },
    }
  }
  const raw = sample.value
  // a vector is judged by its first element; other shapes are refused by the observation check
  const first: unknown = typeof raw === 'number' ? raw : Array.isArray(raw) ? raw[0] : undefined
  const value = typeof first === 'number' ? first : undefined
  if (value === undefined || Number.isNaN(value)) {
    return {
      verdict: 'noData',
      judgeState: null,
      reason: { code: 'noData', message: `${metric}: no value (empty or NaN)`, metric },
    }
  }
  if (spec.min !== undefined && value < spec.min) {
    return {
      verdict: 'fail',
      judgeState: null,
      reason: { code: 'metricFailed', message: `${metric} ${fmt(value)} < min ${fmt(spec.min)}`, metric, observed: value, bound: spec.min },
    }
  }
  if (spec.max !== undefined && value > spec.max) {
    return {
      verdict: 'fail',
      judgeState: null,
      reason: { code: 'metricFailed', message: `${metric} ${fmt(value)} > max ${fmt(spec.max)}`, metric, observed: value, bound: spec.max },
    }
  }
  const bound = spec.min ?? spec.max
  const range = `${spec.min !== undefined ? `min ${fmt(spec.min)}` : ''}${spec.min !== undefined && spec.max !== undefined ? ', ' : ''}${spec.max !== undefined ? `max ${fmt(spec.max)}` : ''}`
  return {
    verdict: 'pass',
    judgeState: null,
    reason: {
      code: 'metricPassed',
      message: `${metric} ${fmt(value)} within ${range || 'no bounds'}`,
      metric,
      observed: value,
      ...(bound !== undefined ? { bound } : {}),
    },
  }
}
