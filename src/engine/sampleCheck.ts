/**
 * The check every sample passes before the engine uses it, one sample at a time: an unusable sample is
 * ignored with a reason, and the rest of its observation (other samples, gate answers, the command) is
 * still used. Exported so that an adapter can check what its metrics source returned before sending it.
 *
 * @module
 */
import type { MetricSpec, RolloutSpec } from '../config/spec.js'
import type { Sample } from '../model/observation.js'
import type { RolloutState } from './state.js'
import { describeValue } from '../model/errors.js'
import { guarded } from '../model/guard.js'
import { specIndex } from '../config/specIndex.js'
import { isUsableJsonValue, isUsableValue, USABLE_JSON_VALUE, USABLE_VALUE } from './sampleValue.js'

const isObj = (u: unknown): u is Record<string, unknown> => typeof u === 'object' && u !== null && !Array.isArray(u)
const isCount = (n: unknown): n is number => typeof n === 'number' && Number.isSafeInteger(n) && n >= 0
const isPoint = (n: unknown): boolean => typeof n === 'number' && n !== Infinity && n !== -Infinity

/** The sample kind the metric of that name takes (the first metric of a name, as `find` gives). */
const sampleKindOf = (spec: RolloutSpec, name: string): MetricSpec['sample'] | undefined => {
  const metrics = specIndex(spec).metricNamed
  return Object.prototype.hasOwnProperty.call(metrics, name) ? metrics[name]?.sample : undefined
}

const ARMS = ['canary', 'primary'] as const

const countsProblemOf = (c: unknown): boolean => !isObj(c) || !isCount(c.total) || !isCount(c.bad) || c.bad > c.total

const list = (v: readonly unknown[]): string => `[${v.slice(0, 3).map(describeValue).join(', ')}${v.length > 3 ? ', ...' : ''}]`

/**
 * Why `sample` cannot be used in `state` by an observation made at `at` (default: `state.at`), or `null`
 * when it can. The answer says what was wrong, without the metric and window (the engine's reason adds
 * them). A sample is unusable when it is not a sample object, names an unknown metric or the wrong kind
 * for it, has a malformed window, a window that has not ended at `at`, a window that ended before this run
 * started (a sample from the previous run), or a value, counts or points of the wrong shape (NaN, negative,
 * an empty list, `bad > total`...).
 *
 * `step` runs the same check: an adapter calls it to turn an unusable sample into a `noData` one (which
 * counts towards `noDataLimit`) instead of having it ignored.
 *
 * @example
 * ```ts
 * import * as E from 'fp-ts/lib/Either.js'
 * import { decodeSpec, initialState, sampleProblem } from 'rollout-kernel'
 *
 * const spec = decodeSpec({ strategy: { canary: { stepWeight: 10 } }, analysis: { metrics: [{ name: 'sr', thresholdRange: { min: 99 } }] } })
 * if (E.isRight(spec)) {
 *   const state = initialState(spec.right, 120_000)
 *   sampleProblem(spec.right, state, { kind: 'value', metric: 'sr', window: { from: 0, to: 60_000 }, value: 99.5 }) // null
 *   sampleProblem(spec.right, state, { kind: 'value', metric: 'sr', window: { from: 0, to: 60_000 }, value: NaN })
 *   // 'value: expected a finite, non-negative number or a non-empty list of them, got NaN (send a noData sample when the source has nothing)'
 * }
 * ```
 * @category validation
 */
export const sampleProblem = guarded(
  'sampleProblem',
  (spec: RolloutSpec, state: RolloutState, sample: unknown, at?: number): string | null => problemOf(spec, state, sample, at ?? state.at),
  (m) => `unreadable sample (${m})`,
)

const problemOf = (spec: RolloutSpec, state: RolloutState, u: unknown, at: number): string | null => {
  if (!isObj(u)) return `expected a sample object, got ${describeValue(u)}`
  const s = u as unknown as Sample
  if (typeof s.metric !== 'string') return `metric: expected a metric name, got ${describeValue(s.metric)}`
  const sample = sampleKindOf(spec, s.metric)
  if (sample === undefined) return `unknown metric ${JSON.stringify(s.metric.length > 80 ? `${s.metric.slice(0, 77)}...` : s.metric)}`
  const w = s.window as unknown
  if (!isObj(w) || typeof w.from !== 'number' || typeof w.to !== 'number' || !Number.isFinite(w.from) || !Number.isFinite(w.to) || !(w.from < w.to)) {
    return 'window: expected { from, to } epoch ms with from < to'
  }
  const shape = shapeProblem(s, sample, spec.analysis.metrics)
  if (shape !== null) return shape
  if (w.to > at) return `window: ends at ${w.to}, after the observation time ${at} (not over yet)`
  if (state.startedAt !== null && w.to <= state.startedAt) {
    return `window: ended at ${w.to}, before this run started at ${state.startedAt} (a sample from the previous run)`
  }
  return null
}

/** What is wrong with the sample's kind and payload for a metric that takes `sample` samples. */
const shapeProblem = (s: Sample, sample: MetricSpec['sample'], metrics: readonly MetricSpec[]): string | null => {
  if (s.kind === 'noData') return s.detail === undefined || typeof s.detail === 'string' ? null : `detail: expected a string, got ${describeValue(s.detail)}`
  if (s.kind !== sample) return `metric "${s.metric}" takes ${sample} samples, got ${describeValue(s.kind)}`
  switch (s.kind) {
    case 'value': {
      const v = s.value as unknown
      if (isUsableValue(v)) return null
      // condition metrics (Argo's web provider) also take strings and JSON; only this slow path looks the judge up
      const condition = metrics.find((m) => m.name === s.metric)?.judge.kind === 'condition'
      if (condition && isUsableJsonValue(v)) return null
      return `value: expected ${USABLE_VALUE}${condition ? `, or ${USABLE_JSON_VALUE}` : ''}, got ${Array.isArray(v) ? list(v) : describeValue(v)} (send a noData sample when the source has nothing)`
    }
    case 'counts': {
      for (const arm of ARMS) {
        const c = s[arm] as unknown
        if (countsProblemOf(c)) {
          return `${arm}: expected { total, bad } integers with 0 <= bad <= total, got ${isObj(c) ? `{ total: ${describeValue(c.total)}, bad: ${describeValue(c.bad)} }` : describeValue(c)}`
        }
      }
      return null
    }
    case 'points': {
      for (const arm of ARMS) {
        const p = s[arm] as unknown
        if (!Array.isArray(p) || p.length > 100_000 || !p.every(isPoint)) return `${arm}: expected a list of numbers (at most 100,000)`
      }
      return null
    }
    default:
      return `kind: unknown sample kind ${describeValue((s as { kind?: unknown }).kind)}`
  }
}
