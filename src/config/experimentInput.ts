/**
 * The native `experiment` canary step: its input codec (closed objects, "did you mean" hints) and its
 * normalisation into an `ExperimentStep` (defaults, unique names, known non-background metrics).
 *
 * @module
 */
import * as t from 'io-ts'
import { Bool, closed, Duration, IntIn, ListOf, NonEmptyString, NumberIn, OneOf } from './closed.js'
import { joinPath, specError, type SpecError } from '../model/errors.js'
import type { ExperimentAnalysisSpec, ExperimentStep, ExperimentTemplateSpec, MetricSpec, ProgramStep } from './spec.js'

/** Longest experiment, template or analysis name (a Kubernetes name, so ReplicaSet names can be built from it). */
const MAX_NAME = 63

/** Argument values handed to the metrics adapter: a record of strings. */
const ArgsInput = new t.Type<Record<string, string>, unknown, unknown>(
  'a map of argument names to strings',
  (u): u is Record<string, string> => typeof u === 'object' && u !== null && !Array.isArray(u) && Object.values(u).every((v) => typeof v === 'string'),
  (u, c) => {
    if (typeof u !== 'object' || u === null || Array.isArray(u)) return t.failure(u, c, 'expected a map of argument names to strings')
    const errors: t.ValidationError[] = []
    for (const [k, v] of Object.entries(u)) {
      if (typeof v !== 'string') errors.push({ value: v, context: [...c, { key: k, type: t.string, actual: v }], message: `expected a string, got ${JSON.stringify(v) ?? String(v)}` })
    }
    return errors.length > 0 ? t.failures(errors) : t.success(u as Record<string, string>)
  },
  (a) => a,
)

/**
 * One experiment template: `{ name, specRef: stable | canary, replicas? (1), weight? }`.
 *
 * @example
 * ```ts
 * ExperimentTemplateInput.decode({ name: 'baseline', specRef: 'stable' })
 * ```
 * @category codecs
 */
export const ExperimentTemplateInput = closed(
  'ExperimentTemplate',
  { name: NonEmptyString, specRef: OneOf(['stable', 'canary'] as const) },
  { replicas: IntIn(0, 1_000_000), weight: NumberIn(0, 100) },
)

/**
 * One experiment analysis: `{ name, metrics, args?, requiredForCompletion? }`.
 *
 * @example
 * ```ts
 * ExperimentAnalysisInput.decode({ name: 'compare', metrics: ['error-ratio'], args: { 'canary-hash': '{{templates.canary.podTemplateHash}}' } })
 * ```
 * @category codecs
 */
export const ExperimentAnalysisInput = closed(
  'ExperimentAnalysis',
  { name: NonEmptyString, metrics: ListOf(NonEmptyString) },
  { args: ArgsInput, requiredForCompletion: Bool },
)

/**
 * The `experiment` step input: `{ name?, duration?, templates, analyses? }`.
 *
 * @example
 * ```ts
 * ExperimentStepInput.decode({ duration: '1h', templates: [{ name: 'baseline', specRef: 'stable' }, { name: 'canary', specRef: 'canary' }] })
 * ```
 * @category codecs
 */
export const ExperimentStepInput = closed(
  'ExperimentStep',
  { templates: ListOf(ExperimentTemplateInput) },
  { name: NonEmptyString, duration: Duration, analyses: ListOf(ExperimentAnalysisInput) },
)

/**
 * The decoded `experiment` step input.
 *
 * @example
 * ```ts
 * const e: ExperimentStepInputType = { templates: [{ name: 'canary', specRef: 'canary' }] }
 * ```
 * @category model
 */
export type ExperimentStepInputType = t.TypeOf<typeof ExperimentStepInput>

const uniqueNames = (names: readonly string[], path: (i: number) => string, what: string, errors: SpecError[]): void => {
  const seen = new Set<string>()
  names.forEach((n, i) => {
    if (n.length > MAX_NAME) errors.push(specError(path(i), `a ${what} name is at most ${MAX_NAME} characters, got ${n.length}`))
    if (seen.has(n)) errors.push(specError(path(i), `duplicate ${what} name "${n}"`))
    seen.add(n)
  })
}

/**
 * Normalises an `experiment` step at `path` (the step's path; errors are under `path.experiment`): the name
 * defaults to `experiment-<step number>`, `replicas` to 1, `requiredForCompletion` to false; template and
 * analysis names are unique, at least one template, every analysis names at least one known metric and a
 * metric belongs to at most one analysis of the step; template weights add up to at most 100.
 *
 * @example
 * ```ts
 * const errors: SpecError[] = []
 * normalizeExperiment({ templates: [{ name: 'canary', specRef: 'canary' }] }, 'strategy.canary.steps[0]', 0, errors, [])
 * // { type: 'experiment', name: 'experiment-1', durationMs: null, templates: [{ name: 'canary', specRef: 'canary', replicas: 1 }], analyses: [] }
 * ```
 * @category constructors
 */
export const normalizeExperiment = (
  e: ExperimentStepInputType,
  path: string,
  index: number,
  errors: SpecError[],
  metricNames: readonly string[],
): ExperimentStep => {
  const p = joinPath(path, 'experiment')
  const name = e.name ?? `experiment-${index + 1}`
  if (name.length > MAX_NAME) errors.push(specError(joinPath(p, 'name'), `an experiment name is at most ${MAX_NAME} characters, got ${name.length}`))
  if (e.templates.length === 0) errors.push(specError(joinPath(p, 'templates'), 'an experiment needs at least one template'))
  uniqueNames(e.templates.map((x) => x.name), (i) => joinPath(joinPath(joinPath(p, 'templates'), i), 'name'), 'template', errors)
  const templates: ExperimentTemplateSpec[] = e.templates.map((x) => ({
    name: x.name,
    specRef: x.specRef,
    replicas: x.replicas ?? 1,
    ...(x.weight !== undefined ? { weight: x.weight } : {}),
  }))
  const total = templates.reduce((s, x) => s + (x.weight ?? 0), 0)
  if (total > 100) errors.push(specError(joinPath(p, 'templates'), `the template weights add up to ${total}, above 100`))
  const analysesIn = e.analyses ?? []
  uniqueNames(analysesIn.map((x) => x.name), (i) => joinPath(joinPath(joinPath(p, 'analyses'), i), 'name'), 'analysis', errors)
  const owner = new Map<string, string>()
  const analyses: ExperimentAnalysisSpec[] = analysesIn.map((a, i) => {
    const ap = joinPath(joinPath(p, 'analyses'), i)
    if (a.metrics.length === 0) errors.push(specError(joinPath(ap, 'metrics'), `analysis "${a.name}" needs at least one metric`))
    a.metrics.forEach((m, j) => {
      const mp = joinPath(joinPath(ap, 'metrics'), j)
      if (!metricNames.includes(m)) errors.push(specError(mp, `unknown metric "${m}"; known metrics: ${metricNames.join(', ') || 'none'}`))
      const other = owner.get(m)
      if (other !== undefined) errors.push(specError(mp, `metric "${m}" is already run by analysis "${other}" of this experiment (a metric keeps one state per run)`))
      else owner.set(m, a.name)
    })
    return {
      name: a.name,
      metrics: a.metrics,
      requiredForCompletion: a.requiredForCompletion ?? false,
      ...(a.args !== undefined ? { args: a.args } : {}),
    }
  })
  return { type: 'experiment', name, durationMs: e.duration ?? null, templates, analyses }
}

/**
 * Errors for experiment analyses that name a background metric: a background metric is measured against
 * the canary at every tick, so the experiment's `args` would make the same metric mean two things. The
 * metrics of an experiment analysis say `background: false`.
 *
 * @example
 * ```ts
 * experimentMetricErrors([], [], 'strategy.canary.steps') // []
 * ```
 * @category validators
 */
export const experimentMetricErrors = (steps: readonly ProgramStep[], metrics: readonly MetricSpec[], path: string): SpecError[] => {
  const errors: SpecError[] = []
  const names = new Set<string>()
  steps.forEach((s, i) => {
    if (s.type !== 'experiment') return
    if (names.has(s.name)) errors.push(specError(joinPath(joinPath(joinPath(path, i), 'experiment'), 'name'), `duplicate experiment name "${s.name}"`))
    names.add(s.name)
    s.analyses.forEach((a, j) => {
      a.metrics.forEach((m, k) => {
        if (metrics.find((x) => x.name === m)?.background === true) {
          errors.push(
            specError(
              joinPath(joinPath(joinPath(joinPath(joinPath(joinPath(path, i), 'experiment'), 'analyses'), j), 'metrics'), k),
              `metric "${m}" is a background metric; an experiment analysis runs metrics with background: false (its args select the experiment's pods)`,
            ),
          )
        }
      })
    })
  })
  return errors
}
