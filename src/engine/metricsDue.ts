/**
 * Which metrics an analysis tick evaluates: background metrics once the canary gets traffic (from
 * `analysis.startingStep` on), plus the metrics an `analysis` step names; metrics that reached a final
 * `pass` need no more measurements.
 *
 * @module
 */
import type { MetricSpec, RolloutSpec } from '../config/spec.js'
import type { RolloutState } from './state.js'
import { specIndex } from '../config/specIndex.js'

/**
 * True when the canary receives live, mirrored or header-routed traffic, or test traffic through the
 * blue/green preview service.
 *
 * @example
 * ```ts
 * declare const s: RolloutState
 * hasCanaryTraffic(s)
 * ```
 * @category predicates
 */
export const hasCanaryTraffic = (s: Pick<RolloutState, 'traffic'>): boolean =>
  s.traffic.weight > 0 || (s.traffic.mirror ?? 0) > 0 || s.traffic.routes.length > 0 || s.traffic.preview === true

/**
 * The metrics relevant at the current step, whether or not they are decided.
 *
 * @example
 * ```ts
 * declare const spec: RolloutSpec, s: RolloutState
 * relevantMetrics(spec, s).map((m) => m.name)
 * ```
 * @category selectors
 */
export const relevantMetrics = (spec: RolloutSpec, s: RolloutState): MetricSpec[] => relevantShared(spec, s).slice()

/**
 * `relevantMetrics` as a shared list (from the spec's index): callers must not modify it.
 *
 * @example
 * ```ts
 * declare const spec: RolloutSpec, s: RolloutState
 * relevantShared(spec, s).map((m) => m.name) // the same array object for the same spec and step
 * ```
 * @internal
 */
export const relevantShared = (spec: RolloutSpec, s: RolloutState): readonly MetricSpec[] => {
  const index = specIndex(spec)
  const background = s.stepIndex >= spec.analysis.startingStep && hasCanaryTraffic(s) ? 1 : 0
  const step = spec.strategy.steps[s.stepIndex]
  // an analysis step's named metrics; a running experiment's analyses (measured once its ReplicaSets are ready)
  const named =
    step?.type === 'analysis'
      ? step.metrics !== undefined
      : step?.type === 'experiment' && s.traffic.experiment?.running === true && s.traffic.experiment.name === step.name
  if (!named) return index.relevant[background]
  return (index.relevantAt[s.stepIndex] ?? index.relevant)[background]
}

/**
 * `dueMetrics` as a list callers must not modify (the memoised relevant list itself when no metric is decided).
 *
 * @example
 * ```ts
 * declare const spec: RolloutSpec, s: RolloutState
 * dueShared(spec, s).length
 * ```
 * @internal
 */
export const dueShared = (spec: RolloutSpec, s: RolloutState): readonly MetricSpec[] => {
  const relevant = relevantShared(spec, s)
  for (let i = 0; i < relevant.length; i++) {
    if ((s.metrics[relevant[i]!.name]?.final ?? null) !== null) return relevant.filter((m) => (s.metrics[m.name]?.final ?? null) === null)
  }
  return relevant
}

/**
 * The metrics the next analysis tick needs a sample of.
 *
 * @example
 * ```ts
 * declare const spec: RolloutSpec, s: RolloutState
 * dueMetrics(spec, s).length
 * ```
 * @category selectors
 */
export const dueMetrics = (spec: RolloutSpec, s: RolloutState): MetricSpec[] => dueShared(spec, s).slice()

/**
 * When a metric's Argo `initialDelay` ends in the current run (the run's start plus the delay), or `null`
 * when the metric has no delay or no run has started.
 *
 * @example
 * ```ts
 * declare const m: MetricSpec, s: RolloutState
 * initialDelayEnd(m, s) // e.g. s.startedAt + 120_000
 * ```
 * @internal
 */
export const initialDelayEnd = (m: MetricSpec, s: Pick<RolloutState, 'startedAt'>): number | null => {
  const delay = m.limits?.initialDelayMs ?? 0
  return delay > 0 && s.startedAt !== null ? s.startedAt + delay : null
}

/**
 * True while the rollout sits in a pause step with nothing to measure: no metric due, and no `rollout` or
 * `rollback` gate that is asked at every tick. Analysis ticks are then skipped and not reported, and only
 * the pause's end (or a command, or a deadline) wakes the rollout.
 *
 * @example
 * ```ts
 * declare const spec: RolloutSpec, s: RolloutState
 * idlePause(spec, s) // true at `pause: {}` without background metrics
 * ```
 * @internal
 */
export const idlePause = (spec: RolloutSpec, s: RolloutState): boolean => {
  if (s.phase !== 'progressing' || spec.strategy.steps[s.stepIndex]?.type !== 'pause') return false
  if (dueShared(spec, s).length > 0) return false
  const gates = spec.gates
  for (let i = 0; i < gates.length; i++) if (gates[i]!.type === 'rollout' || gates[i]!.type === 'rollback') return false
  return true
}
