/**
 * The indexes of a decoded spec, computed once by `decodeSpec` and carried by the spec itself (under a
 * symbol, frozen with it, invisible to JSON and to spreading), so the engine keeps no module caches keyed by
 * spec objects: metrics by name, weight-step numbers, the metrics each step evaluates, each experiment
 * step's analyses by metric, and the compiled conditions of each condition metric. A spec that did not come
 * from `decodeSpec` (built by hand, or a spread copy) has no index: `specIndex` then computes one for the
 * call (without compiled conditions: the judge compiles those on demand), so a hand-made or edited spec is
 * never seen stale.
 *
 * @module
 */
import * as E from 'fp-ts/lib/Either.js'
import type { ExperimentAnalysisSpec, ExperimentStep, MetricSpec, RolloutSpec } from './spec.js'
import { compileCondition, type CompiledCondition, type CompiledConditions, type ConditionDialect, type ConditionError } from '../analysis/condition.js'

/**
 * An experiment step's analyses by metric: the names of the metrics its analyses run (first appearance
 * order) and, for each, the first analysis that runs it.
 *
 * @example
 * ```ts
 * declare const spec: RolloutSpec
 * specIndex(spec).experimentAt[2]?.names // e.g. ['error-ratio', 'latency']
 * ```
 * @category model
 */
export interface ExperimentIndex {
  readonly names: readonly string[]
  readonly byMetric: ReadonlyMap<string, ExperimentAnalysisSpec>
}

/**
 * The compiled conditions a decode produced, by (dialect, text): `decodeSpec` checks each condition once
 * with {@link conditionCompiler} and the spec's index keeps the results.
 *
 * @example
 * ```ts
 * const c = conditionCompiler()
 * c.compile('result < 1', 'argo')._tag // 'Right'
 * ```
 * @category model
 */
export interface ConditionCompiler {
  readonly compile: (text: string, dialect: ConditionDialect) => E.Either<ConditionError, CompiledCondition>
  readonly compiled: ReadonlyMap<string, E.Either<ConditionError, CompiledCondition>>
}

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
  /** Per program step: an experiment step's analyses by metric. */
  readonly experimentAt: readonly (ExperimentIndex | undefined)[]
  /**
   * The compiled conditions of each condition metric, by name (the first metric of a name, as
   * `metricNamed`); empty in the index of a spec that did not come from `decodeSpec` (null prototype).
   */
  readonly conditionsNamed: Readonly<Record<string, CompiledConditions>>
}

const INDEX: unique symbol = Symbol('rollout-kernel spec index')

const conditionKey = (text: string, dialect: ConditionDialect): string => `${dialect}\u0000${text}`

/**
 * A compiler for one decode: {@link compileCondition} (no module memo), remembering its results for the
 * spec being decoded (a text that appears twice is compiled once).
 *
 * @example
 * ```ts
 * const c = conditionCompiler()
 * c.compile('result[0] >= 0.95', 'argo')
 * c.compiled.size // 1
 * ```
 * @category constructors
 */
export const conditionCompiler = (): ConditionCompiler => {
  const compiled = new Map<string, E.Either<ConditionError, CompiledCondition>>()
  const compile = (text: string, dialect: ConditionDialect): E.Either<ConditionError, CompiledCondition> => {
    if (typeof text !== 'string') return compileCondition(text, dialect)
    const key = conditionKey(text, dialect)
    const hit = compiled.get(key)
    if (hit !== undefined) return hit
    const c = compileCondition(text, dialect)
    compiled.set(key, c)
    return c
  }
  return { compile, compiled }
}

const experimentIndex = (step: ExperimentStep): ExperimentIndex => {
  const byMetric = new Map<string, ExperimentAnalysisSpec>()
  for (const a of step.analyses) for (const m of a.metrics) if (!byMetric.has(m)) byMetric.set(m, a)
  return { names: [...byMetric.keys()], byMetric }
}

/**
 * The index of an experiment step (computed; the engine reads the spec index's `experimentAt`).
 *
 * @example
 * ```ts
 * declare const step: ExperimentStep
 * buildExperimentIndex(step).names
 * ```
 * @category constructors
 */
export const buildExperimentIndex = (step: ExperimentStep): ExperimentIndex => experimentIndex(step)

const relevantFor = (metrics: readonly MetricSpec[], named: ReadonlySet<string>): readonly [readonly MetricSpec[], readonly MetricSpec[]] => [
  metrics.filter((m) => named.has(m.name)),
  metrics.filter((m) => named.has(m.name) || m.background),
]

/**
 * Computes the index of a spec (pure; the spec is not modified), without compiled conditions
 * (`conditionsNamed` is empty: {@link withSpecIndex} adds them).
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
  const experimentAt = spec.strategy.steps.map((s) => (s.type === 'experiment' ? experimentIndex(s) : undefined))
  const conditionsNamed: Record<string, CompiledConditions> = Object.create(null)
  return { metricNamed, weightStepUpTo, weightSteps: k, relevant: relevantFor(metrics, new Set()), relevantAt, experimentAt, conditionsNamed }
}

/** Each condition metric's conditions, compiled (from the decode's compiler when it compiled the text). */
const compiledConditions = (metricNamed: Readonly<Record<string, MetricSpec>>, compiler: ConditionCompiler): Readonly<Record<string, CompiledConditions>> => {
  const out: Record<string, CompiledConditions> = Object.create(null)
  for (const name of Object.keys(metricNamed)) {
    const judge = metricNamed[name]!.judge
    if (judge.kind !== 'condition') continue
    const one = (text: string | undefined): CompiledCondition | undefined => {
      if (typeof text !== 'string' || text === '') return undefined
      const c = compiler.compile(text, judge.dialect)
      return E.isRight(c) ? c.right : undefined
    }
    const successCondition = one(judge.successCondition)
    const failureCondition = one(judge.failureCondition)
    out[name] = {
      ...(successCondition !== undefined ? { successCondition } : {}),
      ...(failureCondition !== undefined ? { failureCondition } : {}),
    }
  }
  return out
}

/**
 * Attaches its index to a spec that is about to be frozen (`decodeSpec` does this once per decoded spec),
 * with the spec's conditions compiled: taken from `compiler` when the decode compiled them with it (each
 * text is compiled once per decode), compiled now otherwise.
 *
 * @example
 * ```ts
 * declare const spec: RolloutSpec
 * withSpecIndex(spec) === spec // true
 * ```
 * @category constructors
 */
export const withSpecIndex = (spec: RolloutSpec, compiler: ConditionCompiler = conditionCompiler()): RolloutSpec => {
  const index = buildSpecIndex(spec)
  const value: SpecIndex = { ...index, conditionsNamed: compiledConditions(index.metricNamed, compiler) }
  Object.defineProperty(spec, INDEX, { value, enumerable: false, writable: false, configurable: false })
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
