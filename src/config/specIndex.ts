/**
 * The indexes of a decoded spec, computed once by `decodeSpec` and carried by the spec itself (under a
 * symbol, frozen with it, invisible to JSON and to spreading), so the engine keeps no module caches keyed by
 * spec objects. A spec that did not come from `decodeSpec` (built by hand, or a spread copy) has no index:
 * `specIndex` then computes one for the call, so a hand-made or edited spec is never seen stale.
 *
 * @module
 */
import type { MetricSpec, RolloutSpec } from './spec.js'

/**
 * What the engine looks up in a spec at every step.
 *
 * @example
 * ```ts
 * declare const spec: RolloutSpec
 * specIndex(spec).weightSteps // the number of setWeight steps in the program
 * ```
 * @category model
 */
export interface SpecIndex {
  /** The first metric of each name (null prototype: any string is a safe key). */
  readonly metricNamed: Readonly<Record<string, MetricSpec>>
  /** Per program step: the number of setWeight steps up to and including it. */
  readonly weightStepUpTo: readonly number[]
  /** The number of setWeight steps in the program. */
  readonly weightSteps: number
  /** The metrics relevant outside analysis steps that name metrics: without and with the background ones. */
  readonly relevant: readonly [readonly MetricSpec[], readonly MetricSpec[]]
  /** Per program step that names metrics (an analysis step naming them, an experiment step's analyses): those, without and with the background ones. */
  readonly relevantAt: readonly (readonly [readonly MetricSpec[], readonly MetricSpec[]] | undefined)[]
}

const INDEX: unique symbol = Symbol('rollout-kernel spec index')

const relevantFor = (metrics: readonly MetricSpec[], named: ReadonlySet<string>): readonly [readonly MetricSpec[], readonly MetricSpec[]] => [
  metrics.filter((m) => named.has(m.name)),
  metrics.filter((m) => named.has(m.name) || m.background),
]

/**
 * Computes the index of a spec (pure; the spec is not modified).
 *
 * @example
 * ```ts
 * declare const spec: RolloutSpec
 * buildSpecIndex(spec).metricNamed['errors']?.sample
 * ```
 * @category constructors
 */
export const buildSpecIndex = (spec: RolloutSpec): SpecIndex => {
  const metrics = spec.analysis.metrics
  const metricNamed: Record<string, MetricSpec> = Object.create(null)
  for (const m of metrics) if (!Object.prototype.hasOwnProperty.call(metricNamed, m.name)) metricNamed[m.name] = m
  let k = 0
  const weightStepUpTo = spec.strategy.steps.map((s) => (s.type === 'setWeight' ? ++k : k))
  const relevantAt = spec.strategy.steps.map((s) =>
    s.type === 'analysis' && s.metrics !== undefined
      ? relevantFor(metrics, new Set(s.metrics))
      : s.type === 'experiment'
        ? relevantFor(metrics, new Set(s.analyses.flatMap((a) => a.metrics)))
        : undefined,
  )
  return { metricNamed, weightStepUpTo, weightSteps: k, relevant: relevantFor(metrics, new Set()), relevantAt }
}

/**
 * Attaches its index to a spec that is about to be frozen (`decodeSpec` does this once per decoded spec).
 *
 * @example
 * ```ts
 * declare const spec: RolloutSpec
 * withSpecIndex(spec) === spec // true
 * ```
 * @category constructors
 */
export const withSpecIndex = (spec: RolloutSpec): RolloutSpec => {
  Object.defineProperty(spec, INDEX, { value: buildSpecIndex(spec), enumerable: false, writable: false, configurable: false })
  return spec
}

/**
 * The index of a spec: the one `decodeSpec` attached, or (a spec built by hand or copied) one computed now.
 *
 * @example
 * ```ts
 * declare const spec: RolloutSpec
 * specIndex(spec).metricNamed['errors']
 * ```
 * @category utils
 */
export const specIndex = (spec: RolloutSpec): SpecIndex => {
  const own = (spec as { readonly [INDEX]?: SpecIndex })[INDEX]
  return own !== undefined && Object.prototype.hasOwnProperty.call(spec, INDEX) ? own : buildSpecIndex(spec)
}
