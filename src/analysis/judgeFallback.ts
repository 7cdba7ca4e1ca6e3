/**
 * What a judge returns when its input cannot be read (a throwing getter, a revoked Proxy, a list too long to
 * walk): an `error` verdict that says why, and the judge state it was given, unchanged (an unreadable sample
 * adds no evidence and removes none).
 *
 * @module
 */
import type { Judgement } from '../model/verdict.js'

/**
 * The `error` judgement for an input the judge could not read.
 *
 * @example
 * ```ts
 * unreadableJudgement('judgeThreshold: could not read its input: boom', null, 'sr').verdict // 'error'
 * ```
 * @category judges
 */
export const unreadableJudgement = (message: string, judgeState: unknown, metric?: unknown): Judgement => ({
  verdict: 'error',
  judgeState,
  reason: { code: 'metricError', message, ...(typeof metric === 'string' ? { metric } : {}) },
})
