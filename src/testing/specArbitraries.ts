/**
 * fast-check arbitraries for native spec INPUTS covering every strategy and every field `decodeSpec`
 * accepts: the canary (linear, `stepWeights`, `steps` programs with timed and indefinite pauses, analysis
 * steps naming metrics, `setCanaryScale`, `setHeaderRoute`, `setMirrorRoute`, `experiment` (with and without a
 * duration, weighted templates, analyses with args, required for completion); `stepWeightPromotion`;
 * Flagger's mirror), blue/green in both forms (Argo: pre/post-promotion analysis, auto-promotion on, off or
 * delayed, scale-down delays, preview replicas; Flagger: `iterations`, mirror), A/B testing (header, cookie
 * and query matches with every string matcher), gates of every type, the workload, `skipAnalysis`, and
 * metrics with every judge (threshold, success / failure conditions in both dialects, sequential,
 * Mann-Whitney with the Kayenta score), Argo measurement limits (`failureLimit`, `inconclusiveLimit`,
 * `consecutiveErrorLimit`, `consecutiveSuccessLimit`, `count`, `countRule`, `initialDelay`, including an
 * `initialDelay` longer than the interval), metric windows, `background`, `dryRun`, and the analysis fields
 * (`threshold`, `consecutiveFailureLimit`, `noDataLimit`, `startingStep`, `aggregation`, `score`).
 *
 * Every value decodes (test/testing/specArbitraries.test.ts asserts it). docs/testing.md lists the coverage.
 *
 * @module
 */
import fc from 'fast-check'
import { guarded, rethrow } from '../model/guard.js'

/**
 * A native spec input as YAML or JSON parsing gives it (what `decodeSpec` takes).
 *
 * @example
 * ```ts
 * const s: RolloutSpecInput = { strategy: { abTest: { iterations: 3, match: [{ headers: { 'x-canary': { exact: 'insider' } } }] } }, analysis: { interval: '1m', threshold: 2, metrics: [] } }
 * ```
 * @category model
 */
export interface RolloutSpecInput {
  readonly strategy: { readonly canary?: Readonly<Record<string, unknown>>; readonly blueGreen?: Readonly<Record<string, unknown>>; readonly abTest?: Readonly<Record<string, unknown>> }
  readonly analysis: Readonly<Record<string, unknown>> & { readonly interval: string; readonly metrics: readonly Readonly<Record<string, unknown>>[] }
  readonly gates?: readonly Readonly<Record<string, unknown>>[]
  readonly progressDeadline?: string
  readonly skipAnalysis?: boolean
  readonly workload?: { readonly replicas: number; readonly maxSurge?: number | string }
}

/**
 * A strategy `rolloutSpecInput` may draw.
 *
 * @example
 * ```ts
 * const s: StrategyKind = 'blueGreen'
 * ```
 * @category model
 */
export type StrategyKind = 'canary' | 'blueGreen' | 'abTest'

/**
 * A judge `rolloutSpecInput` may draw.
 *
 * @example
 * ```ts
 * const j: JudgeKind = 'mannWhitney'
 * ```
 * @category model
 */
export type JudgeKind = 'threshold' | 'condition' | 'sequential' | 'mannWhitney'

/**
 * Every gate type of the native spec.
 *
 * @example
 * ```ts
 * ALL_GATE_TYPES.includes('confirm-promotion') // true
 * ```
 * @category constants
 */
export const ALL_GATE_TYPES = ['confirm-rollout', 'pre-rollout', 'rollout', 'confirm-traffic-increase', 'confirm-promotion', 'rollback', 'post-rollout', 'event'] as const

/**
 * Options of `rolloutSpecInput`.
 *
 * @example
 * ```ts
 * const o: RolloutSpecOptions = { strategies: ['blueGreen'], judges: ['threshold'], gates: ['confirm-promotion'] }
 * ```
 * @category model
 */
export interface RolloutSpecOptions {
  /** Strategies to draw (default all three). */
  readonly strategies?: readonly StrategyKind[]
  /** Canary forms to draw (default all three). */
  readonly canaryForms?: readonly ('linear' | 'stepWeights' | 'steps')[]
  /** Judges to draw (default all four). */
  readonly judges?: readonly JudgeKind[]
  /** Gate types to draw from (default all; `false` or `[]`: no gates). */
  readonly gates?: boolean | readonly (typeof ALL_GATE_TYPES)[number][]
  /** Draw Argo measurement limits and `initialDelay` on value metrics (default true). */
  readonly limits?: boolean
  /** Largest number of metrics (default 3; at least 1 is drawn unless `minMetrics` is 0). */
  readonly maxMetrics?: number
  /** Smallest number of metrics (default 0). */
  readonly minMetrics?: number
  /** Draw `skipAnalysis: true` sometimes (default true). */
  readonly skipAnalysis?: boolean
  /**
   * Only specs in which a failing metric rolls back at its first failed check: threshold 1, every metric
   * background, not dry-run and able to fail, `aggregation: worst`, no `skipAnalysis`, and a program with
   * at least one analysed step (default false).
   */
  readonly failFast?: boolean
}

const seconds = (s: number): string => `${s}s`

const intervalArb = fc.constantFrom(10, 30, 60, 300)

const stringMatchArb = fc.oneof(
  fc.constantFrom('insider', 'yes', 'beta').map((v) => ({ exact: v })),
  fc.constantFrom('beta-', 'x').map((v) => ({ prefix: v })),
  fc.constantFrom('-canary', '.test').map((v) => ({ suffix: v })),
  fc.constantFrom('^(.*;)?canary=always(;.*)?$', '^v[0-9]+$').map((v) => ({ regex: v })),
)

const headerMatchArb = fc.record({ headerName: fc.constantFrom('x-canary', 'x-beta', 'user-agent'), headerValue: stringMatchArb })

const namesMap = (names: readonly string[]): fc.Arbitrary<Record<string, unknown>> =>
  fc.dictionary(fc.constantFrom(...names), stringMatchArb, { minKeys: 1, maxKeys: 2 })

interface MetricDraft {
  readonly input: Readonly<Record<string, unknown>>
  readonly background: boolean
  readonly name: string
}

const conditionArb: fc.Arbitrary<Record<string, unknown>> = fc.oneof(
  fc.constant({ successCondition: 'result < 90' }),
  fc.constant({ successCondition: 'result >= 0.95' }),
  fc.constant({ failureCondition: 'result > 100' }),
  fc.constant({ successCondition: 'result < 90', failureCondition: 'result >= 90' }),
  fc.constant({ successCondition: 'result < 90', dialect: 'mathjs' }),
  fc.constant({ successCondition: 'result[0] <= 50' }),
)

const thresholdArb: fc.Arbitrary<Record<string, unknown>> = fc.oneof(
  fc.constantFrom(90, 95, 99, 99.5).map((min) => ({ thresholdRange: { min } })),
  fc.constantFrom(100, 500, 1000).map((max) => ({ thresholdRange: { max } })),
  fc.constant({ thresholdRange: { min: 0, max: 50 } }),
)

const sequentialArb: fc.Arbitrary<Record<string, unknown>> = fc
  .record(
    {
      alpha: fc.constantFrom(0.001, 0.01, 0.05),
      tolerance: fc.constantFrom(1, 1.05, 1.12, 1.5),
      earlyPass: fc.boolean(),
      minBadEvents: fc.constantFrom(0, 5, 50),
      // no blind promotion (docs/evidence.md): above every tolerance above, or off
      detect: fc.constantFrom(2, 3, 'off'),
    },
    { requiredKeys: [] },
  )
  .map((sequential) => ({ sequential }))

const mannWhitneyArb: fc.Arbitrary<Record<string, unknown>> = fc
  .record(
    {
      confidence: fc.constantFrom(0.9, 0.95, 0.98),
      direction: fc.constantFrom('increase', 'decrease', 'either'),
      allowedIncrease: fc.constantFrom(1, 1.1, 2),
      allowedDecrease: fc.constantFrom(0.5, 0.9, 1),
      nanStrategy: fc.constantFrom('remove', 'replace'),
      removeOutliers: fc.boolean(),
      critical: fc.boolean(),
      group: fc.constantFrom('latency', 'errors'),
      minPoints: fc.constantFrom(3, 10),
      tolerance: fc.constantFrom(0, 0.25, 1),
    },
    { requiredKeys: [] },
  )
  .map((mannWhitney) => ({ mannWhitney }))

/** Argo measurement limits that `validateLimits` accepts (count >= failureLimit + consecutiveSuccessLimit...). */
const limitsArb = (intervalS: number, failFast: boolean): fc.Arbitrary<Record<string, unknown>> =>
  fc
    .record({
      failureLimit: failFast ? fc.constant(0) : fc.constantFrom(-1, 0, 0, 1, 2),
      inconclusiveLimit: fc.constantFrom(0, 1),
      consecutiveErrorLimit: fc.option(fc.constantFrom(0, 2, 4), { nil: undefined }),
      consecutiveSuccessLimit: fc.constantFrom(0, 0, 1, 2),
      count: fc.option(fc.constantFrom(1, 2, 3, 5), { nil: undefined }),
      // initialDelay shorter, equal to and longer than the interval (Argo's Datadog example: 20s over 10s)
      initialDelay: fc.option(fc.constantFrom(0.5, 1, 2, 3).map((k) => seconds(Math.round(k * intervalS))), { nil: undefined }),
      countRule: fc.option(fc.constantFrom('kernel', 'argo'), { nil: undefined }),
      drawn: fc.uniqueArray(fc.constantFrom('failureLimit', 'inconclusiveLimit', 'consecutiveSuccessLimit'), { maxLength: 3 }),
    })
    .map((r) => {
      const csl = r.failureLimit === -1 ? Math.max(1, r.consecutiveSuccessLimit) : r.consecutiveSuccessLimit
      const need = Math.max(Math.max(r.failureLimit, 0) + csl, r.inconclusiveLimit)
      const count = r.count === undefined ? undefined : Math.max(r.count, need)
      const out: Record<string, unknown> = {}
      if (r.failureLimit !== 0 || r.drawn.includes('failureLimit')) out['failureLimit'] = r.failureLimit
      if (r.inconclusiveLimit !== 0 || r.drawn.includes('inconclusiveLimit')) out['inconclusiveLimit'] = r.inconclusiveLimit
      if (csl !== 0 || r.drawn.includes('consecutiveSuccessLimit')) out['consecutiveSuccessLimit'] = csl
      if (r.consecutiveErrorLimit !== undefined) out['consecutiveErrorLimit'] = r.consecutiveErrorLimit
      if (count !== undefined) out['count'] = count
      if (r.initialDelay !== undefined) out['initialDelay'] = r.initialDelay
      if (r.countRule !== undefined) out['countRule'] = r.countRule
      // at least one limit, so that the metric follows Argo's measurement semantics
      if (Object.keys(out).length === 0) out['count'] = Math.max(1, need)
      return out
    })

const metricArb = (i: number, intervalS: number, judges: readonly JudgeKind[], limits: boolean, failFast: boolean): fc.Arbitrary<MetricDraft> => {
  const name = `m${i}`
  const judge = fc.constantFrom(...judges).chain((j): fc.Arbitrary<{ judge: Record<string, unknown>; value: boolean }> => {
    switch (j) {
      case 'threshold':
        return thresholdArb.map((judge) => ({ judge, value: true }))
      case 'condition':
        // a failure-only condition passes every value below it: under failFast keep conditions that can fail
        return conditionArb.map((judge) => ({ judge, value: true }))
      case 'sequential':
        return sequentialArb.map((judge) => ({ judge, value: false }))
      case 'mannWhitney':
        return mannWhitneyArb.map((judge) => ({ judge, value: false }))
    }
  })
  return fc
    .record({
      judge,
      limits: limits ? fc.option(limitsArb(intervalS, failFast), { nil: undefined, freq: 2 }) : fc.constant(undefined),
      window: fc.option(fc.constantFrom('30s', '1m', '2m'), { nil: undefined, freq: 3 }),
      background: failFast ? fc.constant(true) : fc.oneof({ weight: 5, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) }),
      dryRun: failFast ? fc.constant(false) : fc.oneof({ weight: 8, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(true) }),
      query: fc.option(fc.constant('sum(rate(x[1m]))'), { nil: undefined }),
    })
    .map((r): MetricDraft => ({
      name,
      background: r.background,
      input: {
        name,
        ...r.judge.judge,
        ...(r.judge.value && r.limits !== undefined ? r.limits : {}),
        ...(r.window !== undefined ? { interval: r.window } : {}),
        ...(r.background ? {} : { background: false }),
        ...(r.dryRun ? { dryRun: true } : {}),
        ...(r.query !== undefined ? { query: r.query } : {}),
      },
    }))
}

const analysisStepArb = (stepMetrics: readonly string[]): fc.Arbitrary<Record<string, unknown>> =>
  fc
    .record({
      until: fc.oneof({ weight: 4, arbitrary: fc.integer({ min: 1, max: 3 }) }, { weight: 1, arbitrary: fc.constant('untilDecided' as const) }),
      metrics: stepMetrics.length > 0 ? fc.subarray([...stepMetrics]) : fc.constant([] as string[]),
    })
    .map((r) => ({
      ...(r.until === 'untilDecided' ? { untilDecided: true } : { intervals: r.until }),
      ...(r.metrics.length > 0 ? { metrics: r.metrics } : {}),
    }))

/**
 * An `experiment` step: baseline-vs-canary (optionally weighted) or a canary preview, with or without a
 * duration, and (when there are non-background metrics) one or two analyses splitting them, with args,
 * sometimes required for completion. The name is set by `canaryArb` (unique per program).
 */
const experimentStepArb = (stepMetrics: readonly string[]): fc.Arbitrary<Record<string, unknown>> =>
  fc
    .record({
      duration: fc.option(fc.constantFrom('30s', '2m', '5m'), { nil: undefined, freq: 3 }),
      templates: fc.constantFrom<Record<string, unknown>[]>(
        [{ name: 'baseline', specRef: 'stable' }, { name: 'canary', specRef: 'canary' }],
        [{ name: 'preview', specRef: 'canary', replicas: 2 }],
        [{ name: 'baseline', specRef: 'stable', weight: 5 }, { name: 'canary', specRef: 'canary', weight: 5 }],
      ),
      split: stepMetrics.length > 0 ? fc.subarray([...stepMetrics]) : fc.constant([] as string[]),
      required: fc.boolean(),
      args: fc.boolean(),
    })
    .map((r) => {
      const rest = stepMetrics.filter((m) => !r.split.includes(m))
      const args = r.args ? { args: { 'baseline-hash': '{{templates.baseline.podTemplateHash}}', 'canary-hash': '{{templates.canary.podTemplateHash}}' } } : {}
      const analyses = [
        ...(r.split.length > 0 ? [{ name: 'compare', metrics: r.split, ...args, ...(r.required ? { requiredForCompletion: true } : {}) }] : []),
        ...(r.split.length > 0 && rest.length > 0 ? [{ name: 'health', metrics: rest }] : []),
      ]
      return { experiment: { templates: r.templates, ...(r.duration !== undefined ? { duration: r.duration } : {}), ...(analyses.length > 0 ? { analyses } : {}) } }
    })

/** Experiment steps named `e1`, `e2`... in program order (names are unique per program). */
const nameExperiments = (steps: readonly Record<string, unknown>[]): Record<string, unknown>[] => {
  let k = 0
  return steps.map((s) => ('experiment' in s ? { experiment: { name: `e${++k}`, ...(s.experiment as Record<string, unknown>) } } : s))
}

const stepArb = (stepMetrics: readonly string[]): fc.Arbitrary<Record<string, unknown>> =>
  fc.oneof(
    { weight: 1, arbitrary: experimentStepArb(stepMetrics) },
    { weight: 4, arbitrary: fc.integer({ min: 0, max: 100 }).map((w) => ({ setWeight: w })) },
    { weight: 1, arbitrary: fc.constantFrom('15s', '45s', '1m', '3m').map((d) => ({ pause: { duration: d } })) },
    { weight: 1, arbitrary: fc.constant({ pause: {} }) },
    { weight: 3, arbitrary: analysisStepArb(stepMetrics).map((analysis) => ({ analysis })) },
    {
      weight: 1,
      arbitrary: fc.oneof(
        fc.integer({ min: 0, max: 100 }).map((weight) => ({ setCanaryScale: { weight } })),
        fc.integer({ min: 0, max: 5 }).map((replicas) => ({ setCanaryScale: { replicas } })),
        fc.constant({ setCanaryScale: { matchTrafficWeight: true } }),
      ),
    },
    {
      weight: 1,
      arbitrary: fc
        .record({ name: fc.constantFrom('beta', 'insiders'), match: fc.array(headerMatchArb, { maxLength: 2 }) })
        .map((setHeaderRoute) => ({ setHeaderRoute })),
    },
    {
      weight: 1,
      arbitrary: fc
        .record(
          { name: fc.constantFrom('shadow', 'copy'), percentage: fc.integer({ min: 0, max: 100 }), match: fc.array(fc.record({ headers: fc.array(headerMatchArb, { minLength: 1, maxLength: 2 }) }), { maxLength: 2 }) },
          { requiredKeys: ['name'] },
        )
        .map((setMirrorRoute) => ({ setMirrorRoute })),
    },
  )

const mirrorArb = fc.option(
  fc.option(fc.integer({ min: 1, max: 100 }), { nil: undefined }).map((w) => ({ mirror: true, ...(w !== undefined ? { mirrorWeight: w } : {}) })),
  { nil: undefined, freq: 4 },
)

const canaryArb = (forms: readonly ('linear' | 'stepWeights' | 'steps')[], stepMetrics: readonly string[], failFast: boolean): fc.Arbitrary<Record<string, unknown>> => {
  const linear = fc.integer({ min: 5, max: 60 }).chain((stepWeight) => fc.integer({ min: stepWeight, max: 100 }).map((maxWeight) => ({ stepWeight, maxWeight })))
  const stepWeights = fc.uniqueArray(fc.integer({ min: 1, max: 100 }), { minLength: 1, maxLength: 5 }).map((ws) => ({ stepWeights: [...ws].sort((a, b) => a - b) }))
  const steps = fc
    .array(stepArb(stepMetrics), { minLength: 1, maxLength: 8 })
    // failFast: make sure the program analyses at least once with traffic on the canary
    .map((s) => ({ steps: nameExperiments(failFast ? [...s, { setWeight: 20 }, { analysis: { intervals: 1 } }] : s) }))
  const form = fc.constantFrom(...forms).chain((f): fc.Arbitrary<Record<string, unknown>> => (f === 'linear' ? linear : f === 'stepWeights' ? stepWeights : steps))
  return fc
    .record({ form, mirror: mirrorArb, stepWeightPromotion: fc.option(fc.integer({ min: 10, max: 100 }), { nil: undefined, freq: 4 }) })
    .map((r) => ({ ...r.form, ...(r.mirror ?? {}), ...(r.stepWeightPromotion !== undefined ? { stepWeightPromotion: r.stepWeightPromotion } : {}) }))
}

const promotionAnalysisArb = (stepMetrics: readonly string[]): fc.Arbitrary<Record<string, unknown>> => analysisStepArb(stepMetrics)

const blueGreenArb = (stepMetrics: readonly string[], failFast: boolean): fc.Arbitrary<Record<string, unknown>> => {
  const delay = fc.constantFrom('0s', '10s', '30s', '2m')
  const flagger = fc
    .record(
      { iterations: fc.integer({ min: 1, max: 4 }), mirror: mirrorArb, scaleDownDelay: delay, abortScaleDownDelay: delay, previewReplicas: fc.integer({ min: 0, max: 3 }) },
      { requiredKeys: ['iterations', 'mirror'] },
    )
    .map(({ mirror, ...r }) => ({ ...r, ...(mirror ?? {}) }))
  const argo = fc
    .record(
      {
        prePromotionAnalysis: promotionAnalysisArb(stepMetrics),
        postPromotionAnalysis: promotionAnalysisArb(stepMetrics),
        promotion: fc.oneof(fc.constant({}), fc.constant({ autoPromotionEnabled: false }), fc.constant({ autoPromotionEnabled: true }), fc.constantFrom('20s', '1m').map((d) => ({ autoPromotionDelay: d }))),
        scaleDownDelay: delay,
        abortScaleDownDelay: delay,
        previewReplicas: fc.integer({ min: 0, max: 3 }),
        mirror: mirrorArb,
      },
      { requiredKeys: failFast ? ['prePromotionAnalysis', 'promotion', 'mirror'] : ['promotion', 'mirror'] },
    )
    .map(({ promotion, mirror, ...r }) => ({ ...r, ...promotion, ...(mirror ?? {}) }))
  return fc.oneof(flagger, argo)
}

const abTestArb: fc.Arbitrary<Record<string, unknown>> = fc.record({
  iterations: fc.integer({ min: 1, max: 4 }),
  match: fc.array(
    fc
      .record(
        { headers: namesMap(['x-canary', 'user-agent']), cookies: namesMap(['canary', 'beta']), queryParams: namesMap(['variant', 'beta']) },
        { requiredKeys: [] },
      )
      .filter((m) => Object.keys(m).length > 0),
    { minLength: 1, maxLength: 3 },
  ),
})

const gatesArb = (types: readonly string[]): fc.Arbitrary<Record<string, unknown>[]> =>
  types.length === 0
    ? fc.constant([])
    : fc
        .array(
          fc.record(
            { type: fc.constantFrom(...types), url: fc.constant('http://hooks.test/gate'), timeout: fc.constantFrom('10s', '1m'), metadata: fc.constant({ cmd: 'echo ok' }) },
            { requiredKeys: ['type'] },
          ),
          { maxLength: 3 },
        )
        .map((gs) => gs.map((g, i) => ({ name: `g${i}`, ...g })))

/**
 * Valid native spec inputs over every strategy and field (see the module comment). Every value decodes with
 * `decodeSpec`.
 *
 * @example
 * ```ts
 * import fc from 'fast-check'
 * fc.assert(fc.property(rolloutSpecInput(), (input) => E.isRight(decodeSpec(input))))
 * ```
 * @category arbitraries
 */
export const rolloutSpecInput = guarded('rolloutSpecInput', (options: RolloutSpecOptions = {}): fc.Arbitrary<RolloutSpecInput> => {
  const failFast = options.failFast === true
  const strategies = options.strategies ?? ['canary', 'blueGreen', 'abTest']
  const judgesAll = options.judges ?? ['threshold', 'condition', 'sequential', 'mannWhitney']
  const gateTypes = options.gates === false ? [] : options.gates === true || options.gates === undefined ? [...ALL_GATE_TYPES] : options.gates
  const minMetrics = failFast ? Math.max(1, options.minMetrics ?? 1) : (options.minMetrics ?? 0)
  const maxMetrics = Math.max(minMetrics, options.maxMetrics ?? 3)
  return fc
    .record({ intervalS: intervalArb, n: fc.integer({ min: minMetrics, max: maxMetrics }) })
    .chain(({ intervalS, n }) =>
      fc
        .tuple(...Array.from({ length: n }, (_, i) => metricArb(i, intervalS, judgesAll, options.limits !== false, failFast)))
        .map((metrics) => ({ intervalS, metrics: metrics as MetricDraft[] })),
    )
    .chain(({ intervalS, metrics }) => {
      const stepMetrics = metrics.filter((m) => !m.background).map((m) => m.name)
      const strategy = fc.constantFrom(...strategies).chain((k): fc.Arbitrary<RolloutSpecInput['strategy']> => {
        switch (k) {
          case 'canary':
            return canaryArb(options.canaryForms ?? ['linear', 'stepWeights', 'steps'], stepMetrics, failFast).map((canary) => ({ canary }))
          case 'blueGreen':
            return blueGreenArb(stepMetrics, failFast).map((blueGreen) => ({ blueGreen }))
          case 'abTest':
            return abTestArb.map((abTest) => ({ abTest }))
        }
      })
      const hasMannWhitney = metrics.some((m) => 'mannWhitney' in m.input)
      return fc.record({
        strategy,
        metrics: fc.constant(metrics.map((m) => m.input)),
        interval: fc.constant(seconds(intervalS)),
        threshold: failFast ? fc.constant(1) : fc.integer({ min: 1, max: 6 }),
        consecutiveFailureLimit: fc.option(fc.integer({ min: 1, max: 4 }), { nil: undefined }),
        noDataLimit: fc.option(fc.integer({ min: 1, max: 6 }), { nil: undefined }),
        startingStep: failFast ? fc.constant(undefined) : fc.option(fc.constantFrom(0, 1), { nil: undefined, freq: 4 }),
        aggregation: failFast ? fc.constant(undefined) : fc.option(fc.constantFrom('worst', 'anyPass', 'majority'), { nil: undefined, freq: 3 }),
        // the evidence wait at the promotion point (docs/evidence.md)
        evidenceTimeout: fc.option(fc.constantFrom('10m', '1h'), { nil: undefined, freq: 3 }),
        onEvidenceTimeout: fc.option(fc.constantFrom('rollback', 'promote'), { nil: undefined, freq: 3 }),
        score:
          hasMannWhitney && !failFast
            ? fc.option(
                fc
                  .record({ passScore: fc.constantFrom(50, 75, 95), marginalScore: fc.constantFrom(10, 25, 50), weights: fc.boolean() })
                  .map((s) => ({ passScore: s.passScore, marginalScore: Math.min(s.marginalScore, s.passScore), ...(s.weights ? { groupWeights: { latency: 2, errors: 1 } } : {}) })),
                { nil: undefined, freq: 3 },
              )
            : fc.constant(undefined),
        gates: gatesArb(gateTypes),
        progressDeadline: fc.option(fc.constantFrom('2m', '10m'), { nil: undefined }),
        skipAnalysis: options.skipAnalysis === false || failFast ? fc.constant(false) : fc.oneof({ weight: 9, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(true) }),
        workload: fc.option(
          fc.record({ replicas: fc.integer({ min: 0, max: 10 }), maxSurge: fc.constantFrom(0, 1, '25%', '100%') }, { requiredKeys: ['replicas'] }),
          { nil: undefined, freq: 3 },
        ),
      })
    })
    .map((r): RolloutSpecInput => ({
      strategy: r.strategy,
      analysis: {
        interval: r.interval,
        threshold: r.threshold,
        ...(r.consecutiveFailureLimit !== undefined ? { consecutiveFailureLimit: r.consecutiveFailureLimit } : {}),
        ...(r.noDataLimit !== undefined ? { noDataLimit: r.noDataLimit } : {}),
        ...(r.startingStep !== undefined ? { startingStep: r.startingStep } : {}),
        ...(r.aggregation !== undefined ? { aggregation: r.aggregation } : {}),
        ...(r.evidenceTimeout !== undefined ? { evidenceTimeout: r.evidenceTimeout } : {}),
        ...(r.onEvidenceTimeout !== undefined ? { onEvidenceTimeout: r.onEvidenceTimeout } : {}),
        ...(r.score !== undefined ? { score: r.score } : {}),
        metrics: r.metrics,
      },
      ...(r.gates.length > 0 ? { gates: r.gates } : {}),
      ...(r.progressDeadline !== undefined ? { progressDeadline: r.progressDeadline } : {}),
      ...(r.skipAnalysis ? { skipAnalysis: true } : {}),
      ...(r.workload !== undefined ? { workload: r.workload } : {}),
    }))
}, (m) => rethrow(m))
