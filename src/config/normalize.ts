/**
 * From decoded input to the normalised `RolloutSpec`: defaults, cross-field rules (exactly one strategy
 * form, exactly one judge per metric, strictly increasing `stepWeights`...) and compilation of Flagger's
 * linear and `stepWeights` forms into an explicit step program.
 *
 * @module
 */
import * as E from 'fp-ts/lib/Either.js'
import type {
  AnalysisSpec,
  CanaryStep,
  CanaryStrategySpec,
  GateSpec,
  JudgeSpec,
  MeasurementLimits,
  MetricSpec,
  RolloutSpec,
} from './spec.js'
import type { MetricInputType, SpecInputType, StepInputType } from './input.js'
import { describeValue, joinPath, specError, type SpecError } from '../model/errors.js'
import { DEFAULTS } from './defaults.js'
import type { RequestMatch, StringMatch } from '../model/traffic.js'
import { normalizeBlueGreen } from './normalizeBlueGreen.js'
import { normalizeAbTest } from './normalizeAbTest.js'
import { compilePattern, withCompiledPattern } from '../model/regex.js'
import { experimentMetricErrors, normalizeExperiment } from './experimentInput.js'

type Errors = SpecError[]

const STEP_KEYS = ['setWeight', 'pause', 'analysis', 'setCanaryScale', 'setHeaderRoute', 'setMirrorRoute', 'experiment'] as const

const stringMatch = (m: { exact?: string; prefix?: string; suffix?: string; regex?: string }, path: string, errors: Errors): StringMatch => {
  const keys = (['exact', 'prefix', 'suffix', 'regex'] as const).filter((k) => m[k] !== undefined)
  if (keys.length !== 1) errors.push(specError(path, `expected exactly one of exact, prefix, suffix, regex; got ${keys.length}`))
  const k = keys[0] ?? 'exact'
  const out = { [k]: m[k] ?? '' } as StringMatch
  if (k === 'regex') {
    // compiled once here and carried by the spec (no memo): requestMatches / routeRequest use it
    const re = compilePattern(m.regex ?? '')
    if (E.isLeft(re)) errors.push(specError(joinPath(path, 'regex'), `not a valid regular expression (RE2 syntax, as Envoy, Istio and Gateway API read it): ${re.left}`))
    else withCompiledPattern(out, re.right)
  }
  return out
}

const headerMatches = (
  list: readonly { headerName: string; headerValue: { exact?: string; prefix?: string; suffix?: string; regex?: string } }[],
  path: string,
  errors: Errors,
): RequestMatch => {
  const headers: Record<string, StringMatch> = {}
  list.forEach((h, i) => {
    if (h.headerName === '__proto__') errors.push(specError(joinPath(joinPath(path, i), 'headerName'), 'the name "__proto__" is not allowed'))
    else headers[h.headerName] = stringMatch(h.headerValue, joinPath(joinPath(path, i), 'headerValue'), errors)
  })
  return { headers }
}

/**
 * Compiles weights into Flagger's program: each weight is set, then held for one passing analysis tick.
 *
 * @example
 * ```ts
 * weightsToSteps([10, 20]) // setWeight 10, analysis 1, setWeight 20, analysis 1
 * ```
 * @category compilers
 */
export const weightsToSteps = (weights: readonly number[]): CanaryStep[] =>
  weights.flatMap((w): CanaryStep[] => [
    { type: 'setWeight', weight: w },
    { type: 'analysis', intervals: 1 },
  ])

/** The most weight steps a linear canary may have (`decodeSpec` refuses a finer `stepWeight`). */
const MAX_LINEAR_WEIGHTS = 1000

/**
 * Flagger's linear plan with the overshoot clamped: `stepWeight`, `2*stepWeight`, ... up to `maxWeight`,
 * the last step clamped to `maxWeight` (Flagger would overshoot it: 20, 40, 60 for max 50; the `compat`
 * importer reproduces that exactly).
 *
 * @example
 * ```ts
 * linearWeights(20, 50) // [20, 40, 50]
 * linearWeights(10, 50) // [10, 20, 30, 40, 50]
 * ```
 * @category compilers
 */
export const linearWeights = (stepWeight: number, maxWeight: number): number[] => {
  const out: number[] = []
  for (let w = stepWeight; ; w += stepWeight) {
    const v = Math.min(Math.round(w * 1e6) / 1e6, maxWeight)
    out.push(v)
    if (v >= maxWeight || out.length >= MAX_LINEAR_WEIGHTS) return out
  }
}

const normalizeStep = (s: StepInputType, path: string, errors: Errors, metricNames: readonly string[], index: number): CanaryStep | null => {
  const present = STEP_KEYS.filter((k) => s[k] !== undefined)
  if (present.length !== 1) {
    errors.push(
      specError(
        path,
        present.length === 0
          ? `a step needs exactly one of ${STEP_KEYS.join(', ')}`
          : `a step takes exactly one of ${STEP_KEYS.join(', ')}; got ${present.join(' and ')}`,
      ),
    )
    return null
  }
  if (s.setWeight !== undefined) return { type: 'setWeight', weight: s.setWeight }
  if (s.experiment !== undefined) return normalizeExperiment(s.experiment, path, index, errors, metricNames)
  if (s.pause !== undefined) return { type: 'pause', durationMs: s.pause.duration ?? null }
  if (s.analysis !== undefined) {
    const a = s.analysis
    if (a.untilDecided === true && a.intervals !== undefined) {
      errors.push(specError(joinPath(path, 'analysis'), 'use either intervals or untilDecided, not both'))
    }
    a.metrics?.forEach((m, i) => {
      if (!metricNames.includes(m)) {
        errors.push(specError(joinPath(joinPath(joinPath(path, 'analysis'), 'metrics'), i), `unknown metric "${m}"; known metrics: ${metricNames.join(', ') || 'none'}`))
      }
    })
    return {
      type: 'analysis',
      intervals: a.untilDecided === true ? null : (a.intervals ?? 1),
      ...(a.metrics !== undefined ? { metrics: a.metrics } : {}),
    }
  }
  if (s.setCanaryScale !== undefined) {
    const c = s.setCanaryScale
    const n = [c.weight, c.replicas, c.matchTrafficWeight === true ? true : undefined].filter((v) => v !== undefined).length
    if (n !== 1) errors.push(specError(joinPath(path, 'setCanaryScale'), 'expected exactly one of weight, replicas, matchTrafficWeight: true'))
    return {
      type: 'setCanaryScale',
      ...(c.weight !== undefined ? { weight: c.weight } : {}),
      ...(c.replicas !== undefined ? { replicas: c.replicas } : {}),
      ...(c.matchTrafficWeight === true ? { matchTrafficWeight: true } : {}),
    }
  }
  if (s.setHeaderRoute !== undefined) {
    const h = s.setHeaderRoute
    const p = joinPath(joinPath(path, 'setHeaderRoute'), 'match')
    return { type: 'setHeaderRoute', name: h.name, match: h.match && h.match.length > 0 ? [headerMatches(h.match, p, errors)] : [] }
  }
  const m = s.setMirrorRoute
  if (m === undefined) return null
  const p = joinPath(path, 'setMirrorRoute')
  return {
    type: 'setMirrorRoute',
    name: m.name,
    percentage: m.percentage ?? 100,
    match: (m.match ?? []).map((x, i) => headerMatches(x.headers ?? [], joinPath(joinPath(joinPath(p, 'match'), i), 'headers'), errors)),
  }
}

const normalizeCanary = (
  c: NonNullable<SpecInputType['strategy']['canary']>,
  path: string,
  errors: Errors,
  metricNames: readonly string[],
): CanaryStrategySpec => {
  const forms = (['stepWeight', 'stepWeights', 'steps'] as const).filter((k) => c[k] !== undefined)
  if (forms.length !== 1) {
    errors.push(
      specError(
        path,
        forms.length === 0
          ? 'the canary needs one of stepWeight (+ maxWeight), stepWeights or steps'
          : `use only one of stepWeight, stepWeights, steps; got ${forms.join(' and ')}`,
      ),
    )
  }
  const promotion = c.stepWeightPromotion ?? null
  const mirror = c.mirror === true ? { mirror: { percentage: c.mirrorWeight ?? 100 } } : {}
  if (c.mirrorWeight !== undefined && c.mirror !== true) {
    errors.push(specError(joinPath(path, 'mirrorWeight'), 'mirrorWeight needs mirror: true'))
  }
  if (c.stepWeights !== undefined) {
    if (c.maxWeight !== undefined) errors.push(specError(joinPath(path, 'maxWeight'), 'maxWeight is the last of stepWeights; remove it'))
    const sw = c.stepWeights
    if (sw.length === 0) errors.push(specError(joinPath(path, 'stepWeights'), 'expected at least one weight'))
    sw.forEach((w, i) => {
      const prev = sw[i - 1]
      if (prev !== undefined && w <= prev) {
        errors.push(specError(joinPath(joinPath(path, 'stepWeights'), i), `weights must be strictly increasing: ${w} after ${prev}`))
      }
    })
    return { kind: 'canary', form: 'stepWeights', steps: weightsToSteps(sw), maxWeight: sw[sw.length - 1] ?? 0, stepWeightPromotion: promotion, ...mirror }
  }
  if (c.steps !== undefined) {
    if (c.maxWeight !== undefined) errors.push(specError(joinPath(path, 'maxWeight'), 'maxWeight is not used with steps; the highest setWeight is the maximum'))
    const steps = c.steps
      .map((s, i) => normalizeStep(s, joinPath(joinPath(path, 'steps'), i), errors, metricNames, i))
      .filter((s): s is CanaryStep => s !== null)
    const maxWeight = steps.reduce((m, s) => (s.type === 'setWeight' ? Math.max(m, s.weight) : m), 0)
    return { kind: 'canary', form: 'steps', steps, maxWeight, stepWeightPromotion: promotion, ...mirror }
  }
  const stepWeight = c.stepWeight ?? 10
  const maxWeight = c.maxWeight ?? DEFAULTS.maxWeight
  // linearWeights stops at 1000 weights: a finer stepWeight would silently jump from the 1000th weight to promotion
  const count = Math.ceil(maxWeight / stepWeight - 1e-9)
  if (count > MAX_LINEAR_WEIGHTS) {
    errors.push(
      specError(joinPath(path, 'stepWeight'), `stepWeight ${stepWeight} up to maxWeight ${maxWeight} makes ${count} weight steps; at most ${MAX_LINEAR_WEIGHTS}`),
    )
  }
  return {
    kind: 'canary',
    form: 'linear',
    steps: weightsToSteps(linearWeights(stepWeight, maxWeight)),
    maxWeight,
    stepWeightPromotion: promotion,
    ...mirror,
  }
}

/**
 * Alpha per rollout (the default): with m > 1 sequential metrics that can roll back, each gets alpha / m, so
 * the probability that any of them rolls back a healthy canary stays within the largest alpha (Bonferroni).
 * `metric` leaves each metric's alpha as written.
 */
const splitSequentialAlpha = (metrics: MetricSpec[], scope: 'rollout' | 'metric'): MetricSpec[] => {
  if (scope === 'metric') return metrics
  const m = metrics.filter((x) => x.judge.kind === 'sequential' && !x.dryRun).length
  if (m <= 1) return metrics
  return metrics.map((x) => (x.judge.kind === 'sequential' && !x.dryRun ? { ...x, judge: { ...x.judge, alpha: x.judge.alpha / m } } : x))
}

const normalizeMetric = (m: MetricInputType, path: string, errors: Errors, intervalMs: number): MetricSpec => {
  const judges: JudgeSpec[] = []
  const names: string[] = []
  if (m.thresholdRange !== undefined) {
    const { min, max } = m.thresholdRange
    if (min === undefined && max === undefined) errors.push(specError(joinPath(path, 'thresholdRange'), 'expected min, max or both'))
    if (min !== undefined && max !== undefined && min > max) {
      errors.push(specError(joinPath(joinPath(path, 'thresholdRange'), 'min'), `min ${min} is above max ${max}`))
    }
    judges.push({ kind: 'threshold', ...(min !== undefined ? { min } : {}), ...(max !== undefined ? { max } : {}) })
    names.push('thresholdRange')
  }
  const hasLimits = [m.failureLimit, m.inconclusiveLimit, m.consecutiveErrorLimit, m.consecutiveSuccessLimit, m.count, m.initialDelay, m.countRule].some((v) => v !== undefined)
  if (m.successCondition !== undefined || m.failureCondition !== undefined || (hasLimits && m.thresholdRange === undefined && m.sequential === undefined && m.mannWhitney === undefined)) {
    judges.push({
      kind: 'condition',
      ...(m.successCondition !== undefined ? { successCondition: m.successCondition } : {}),
      ...(m.failureCondition !== undefined ? { failureCondition: m.failureCondition } : {}),
      dialect: m.dialect ?? 'argo',
    })
    names.push('successCondition/failureCondition')
  } else if (m.dialect !== undefined) {
    errors.push(specError(joinPath(path, 'dialect'), 'dialect applies to successCondition / failureCondition only'))
  }
  if (m.mannWhitney !== undefined) {
    const d = DEFAULTS.mannWhitney
    const w = m.mannWhitney
    judges.push({
      kind: 'mannWhitney',
      confidence: w.confidence ?? d.confidence,
      direction: w.direction ?? 'increase',
      allowedIncrease: w.allowedIncrease ?? d.allowedIncrease,
      allowedDecrease: w.allowedDecrease ?? d.allowedDecrease,
      nanStrategy: w.nanStrategy ?? 'remove',
      removeOutliers: w.removeOutliers ?? false,
      critical: w.critical ?? false,
      group: w.group ?? 'default',
      minPoints: w.minPoints ?? d.minPoints,
      tolerance: w.tolerance ?? d.tolerance,
    })
    names.push('mannWhitney')
  }
  if (m.sequential !== undefined) {
    const s = m.sequential
    const tolerance = s.tolerance ?? DEFAULTS.sequentialTolerance
    const detect = s.detect === 'off' ? null : (s.detect ?? DEFAULTS.sequentialDetect)
    if (detect !== null && detect <= tolerance) {
      errors.push(specError(joinPath(joinPath(path, 'sequential'), 'detect'), `detect ${detect} must be above the tolerance ${tolerance}: the regression to rule out is one the test would not tolerate (or "off")`))
    }
    judges.push({
      kind: 'sequential',
      alpha: s.alpha ?? DEFAULTS.sequentialAlpha,
      tolerance: s.tolerance ?? DEFAULTS.sequentialTolerance,
      earlyPass: s.earlyPass ?? false,
      minBadEvents: s.minBadEvents ?? 0,
      ...(detect !== null ? { detect, detectLevel: s.detectLevel ?? DEFAULTS.sequentialDetectLevel } : {}),
    })
    names.push('sequential')
  }
  if (judges.length !== 1) {
    errors.push(
      specError(
        path,
        judges.length === 0
          ? `metric "${m.name}" needs a judge: one of thresholdRange, successCondition/failureCondition, mannWhitney, sequential`
          : `metric "${m.name}" takes exactly one judge; got ${names.join(' and ')}`,
      ),
    )
  }
  const judge: JudgeSpec = judges[0] ?? { kind: 'threshold' }
  if (hasLimits && (judge.kind === 'sequential' || judge.kind === 'mannWhitney')) {
    errors.push(specError(path, `measurement limits (failureLimit, count, ...) apply to value metrics, not to the ${judge.kind} judge`))
  }
  const d = DEFAULTS.limits
  const limits: MeasurementLimits | undefined = hasLimits
    ? {
        failureLimit: m.failureLimit ?? d.failureLimit,
        inconclusiveLimit: m.inconclusiveLimit ?? d.inconclusiveLimit,
        consecutiveErrorLimit: m.consecutiveErrorLimit ?? d.consecutiveErrorLimit,
        consecutiveSuccessLimit: m.consecutiveSuccessLimit ?? d.consecutiveSuccessLimit,
        count: m.count !== undefined && m.count > 0 ? m.count : null,
        initialDelayMs: m.initialDelay ?? 0,
        ...(m.countRule !== undefined ? { countRule: m.countRule } : {}),
      }
    : undefined
  const sample = judge.kind === 'sequential' ? 'counts' : judge.kind === 'mannWhitney' ? 'points' : 'value'
  return {
    name: m.name,
    windowMs: m.interval ?? intervalMs,
    sample,
    judge,
    ...(limits !== undefined ? { limits } : {}),
    background: m.background ?? true,
    dryRun: m.dryRun ?? false,
    ...(m.query !== undefined ? { query: m.query } : {}),
    ...(m.provider !== undefined ? { provider: m.provider } : {}),
  }
}

/** maxSurge in pods: a percentage rounds up, as Kubernetes and Argo do; the default is 25%. */
const workloadOf = (w: { replicas: number; maxSurge?: number | string }): { replicas: number; maxSurge: number } => {
  const surge = w.maxSurge ?? '25%'
  return { replicas: w.replicas, maxSurge: typeof surge === 'number' ? surge : Math.ceil((w.replicas * Number(surge.slice(0, -1))) / 100) }
}

/** Names that would collide with built-in object properties where metric and gate names are used as keys. */
const isReservedName = (name: string): boolean => name === '__proto__' || name in Object.prototype

/**
 * Longest metric or gate name: 63 characters, a Kubernetes label (names are keys of the persisted state and
 * appear in every reason, so an unbounded name makes an unbounded state).
 */
const MAX_NAME_LENGTH = 63
const nameTooLong = (kind: string, name: string): string | null =>
  name.length > MAX_NAME_LENGTH ? `a ${kind} name of ${name.length} characters (${describeValue(name)}); at most ${MAX_NAME_LENGTH}, as a Kubernetes label` : null

/**
 * A hook for judge-specific checks at decode time (e.g. compiling conditions). Returns error messages keyed
 * by a field path relative to the metric.
 *
 * @example
 * ```ts
 * const none: MetricCheck = () => []
 * ```
 * @category model
 */
export type MetricCheck = (metric: MetricSpec) => readonly { readonly field: string; readonly message: string }[]

/**
 * Normalises a decoded input into a `RolloutSpec`, or every problem found with its path.
 *
 * @example
 * ```ts
 * import * as E from 'fp-ts/lib/Either.js'
 * const r = normalizeSpec({ strategy: { canary: { stepWeight: 10, maxWeight: 50 } } })
 * E.isRight(r) && r.right.strategy.maxWeight // 50
 * ```
 * @category constructors
 */
export const normalizeSpec = (input: SpecInputType, checks: readonly MetricCheck[] = []): E.Either<SpecError[], RolloutSpec> => {
  const errors: Errors = []
  const a = input.analysis ?? {}
  const intervalMs = a.interval ?? DEFAULTS.analysisIntervalMs
  if (intervalMs < DEFAULTS.minAnalysisIntervalMs) {
    errors.push(specError('analysis.interval', `the analysis interval must be at least 1s, got ${intervalMs} ms`))
  }
  const metricsIn = a.metrics ?? []
  const metrics = splitSequentialAlpha(
    metricsIn.map((m, i) => normalizeMetric(m, joinPath('analysis.metrics', i), errors, intervalMs)),
    a.sequentialAlpha ?? 'rollout',
  )
  const seen = new Set<string>()
  metrics.forEach((m, i) => {
    const long = nameTooLong('metric', m.name)
    if (long !== null) errors.push(specError(joinPath(joinPath('analysis.metrics', i), 'name'), long))
    else if (isReservedName(m.name)) errors.push(specError(joinPath(joinPath('analysis.metrics', i), 'name'), `"${m.name}" is reserved (a built-in property name of JavaScript objects); choose another name`))
    if (long === null && seen.has(m.name)) errors.push(specError(joinPath(joinPath('analysis.metrics', i), 'name'), `duplicate metric name "${m.name}"`))
    seen.add(m.name)
    for (const check of checks) {
      for (const e of check(m)) errors.push(specError(joinPath(joinPath('analysis.metrics', i), e.field), e.message))
    }
  })
  const strategyKeys = Object.keys(input.strategy).filter((k) => (input.strategy as Record<string, unknown>)[k] !== undefined)
  if (strategyKeys.length !== 1) {
    errors.push(specError('strategy', `expected exactly one strategy (canary, blueGreen or abTest); got ${strategyKeys.length === 0 ? 'none' : strategyKeys.join(' and ')}`))
  }
  const metricNames = metrics.map((m) => m.name)
  const strategy =
    input.strategy.blueGreen !== undefined && input.strategy.canary === undefined
      ? normalizeBlueGreen(input.strategy.blueGreen, 'strategy.blueGreen', errors, metricNames)
      : input.strategy.abTest !== undefined && input.strategy.canary === undefined
        ? normalizeAbTest(input.strategy.abTest, 'strategy.abTest', errors)
        : normalizeCanary(input.strategy.canary ?? {}, 'strategy.canary', errors, metricNames)
  if (strategy.kind === 'canary') errors.push(...experimentMetricErrors(strategy.steps, metrics, 'strategy.canary.steps'))
  const startingStep = a.startingStep ?? 0
  if (startingStep > strategy.steps.length) {
    errors.push(specError('analysis.startingStep', `startingStep ${startingStep} is past the last step (${strategy.steps.length} steps)`))
  }
  if (a.score !== undefined) {
    if (a.score.marginalScore > a.score.passScore) {
      errors.push(specError('analysis.score.marginalScore', `marginalScore ${a.score.marginalScore} is above passScore ${a.score.passScore}`))
    }
    if (!metrics.some((m) => m.judge.kind === 'mannWhitney')) {
      errors.push(specError('analysis.score', 'score applies to mannWhitney metrics; there are none'))
    }
  }
  const analysis: AnalysisSpec = {
    ...(a.score !== undefined ? { score: a.score } : {}),
    ...(a.aggregation !== undefined && a.aggregation !== 'worst' ? { aggregation: a.aggregation } : {}),
    ...(a.sequentialAlpha === 'metric' ? { sequentialAlpha: 'metric' as const } : {}),
    ...(a.evidenceTimeout !== undefined && a.evidenceTimeout !== DEFAULTS.evidenceTimeoutMs ? { evidenceTimeoutMs: a.evidenceTimeout } : {}),
    ...(a.onEvidenceTimeout === 'promote' ? { onEvidenceTimeout: 'promote' as const } : {}),
    intervalMs,
    threshold: a.threshold ?? DEFAULTS.threshold,
    consecutiveFailureLimit: a.consecutiveFailureLimit ?? null,
    noDataLimit: a.noDataLimit ?? DEFAULTS.noDataLimit,
    startingStep,
    metrics,
  }
  const gateNames = new Set<string>()
  const gates: GateSpec[] = (input.gates ?? []).map((g, i) => {
    const long = nameTooLong('gate', g.name)
    if (long !== null) errors.push(specError(joinPath(joinPath('gates', i), 'name'), long))
    else if (isReservedName(g.name)) errors.push(specError(joinPath(joinPath('gates', i), 'name'), `"${g.name}" is reserved (a built-in property name of JavaScript objects); choose another name`))
    if (long === null && gateNames.has(g.name)) errors.push(specError(joinPath(joinPath('gates', i), 'name'), `duplicate gate name "${g.name}"`))
    gateNames.add(g.name)
    return {
      name: g.name,
      type: g.type,
      ...(g.url !== undefined ? { url: g.url } : {}),
      ...(g.timeout !== undefined ? { timeoutMs: g.timeout } : {}),
      ...(g.metadata !== undefined ? { metadata: g.metadata } : {}),
    }
  })
  if (errors.length > 0) return E.left(errors)
  return E.right({
    strategy,
    analysis,
    gates,
    progressDeadlineMs: input.progressDeadline ?? DEFAULTS.progressDeadlineMs,
    skipAnalysis: input.skipAnalysis ?? false,
    ...(input.workload !== undefined ? { workload: workloadOf(input.workload) } : {}),
  })
}
