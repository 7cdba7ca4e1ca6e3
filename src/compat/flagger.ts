/**
 * The Flagger importer: a parsed `Canary` (flagger.app/v1beta1) and its MetricTemplates to a native input,
 * decoded by the shared `decodeSpec`. Flagger's rules are reproduced (interval floor and default,
 * threshold floor, the linear plan's overshoot, strategy selection, webhook types, builtin metrics);
 * the deliberate differences are documented in docs/compat.md.
 *
 * @module
 */
import * as E from 'fp-ts/lib/Either.js'
import { joinPath, type SpecError } from '../model/errors.js'
import type { RolloutSpec } from '../config/spec.js'
import { fail, isObj, newIssues, omit, opt, pick, req, strayKeys, unknownKeys, warn, type Obj } from './manifest.js'
import { flaggerInterval, flaggerLinearWeights, flaggerStepWeights, flaggerStrategy, flaggerThreshold, type FlaggerStrategy } from './flaggerPlan.js'
import { importFlaggerMetric } from './flaggerMetrics.js'
import { importFlaggerWebhook } from './flaggerWebhooks.js'
import { nativeDuration } from './goDuration.js'
import { decodeNative, type PathMap } from './pathMap.js'
import { flaggerMatches } from './flaggerMatch.js'
import type { ImportResult, NativeInput } from './types.js'
import { thrownMessage } from '../model/thrown.js'
import { readPlainData } from '../config/plainData.js'

/**
 * What a Flagger import carries for the adapters: the fields rollout-kernel does not model, untouched.
 *
 * @example
 * ```ts
 * declare const c: FlaggerCarried
 * c.target.provider // 'istio'
 * ```
 * @category compat
 */
export interface FlaggerCarried {
  readonly name: string | undefined
  readonly namespace: string | undefined
  /** The strategy Flagger would run. */
  readonly strategy: FlaggerStrategy
  /** `spec` minus what the kernel consumes: provider, targetRef, autoscalerRef, ingressRef, routeRef, upstreamRef, service, metricsServer, revertOnDeletion, suspend... */
  readonly target: Readonly<Record<string, unknown>>
  /** `spec.analysis` fields carried for the router / adapters: match (the original list), primaryReadyThreshold, canaryReadyThreshold, alerts, sessionAffinity. */
  readonly analysis: Readonly<Record<string, unknown>>
  /** Per webhook name: retries, disableTLS, muteAlert. */
  readonly webhooks: Readonly<Record<string, Readonly<Record<string, unknown>>>>
  /** `spec.suspend`: Flagger does nothing while set; the caller should not call `step`. */
  readonly suspend: boolean
}

/** The fields of the Flagger v1beta1 CanarySpec (the CRD's; a test keeps them equal). @internal */
export const SPEC_KEYS = [
  'provider',
  'metricsServer',
  'progressDeadlineSeconds',
  'targetRef',
  'autoscalerRef',
  'ingressRef',
  'routeRef',
  'upstreamRef',
  'service',
  'skipAnalysis',
  'revertOnDeletion',
  'suspend',
  'analysis',
]
/** The fields of the Flagger v1beta1 CanaryAnalysis (the CRD's; a test keeps them equal). @internal */
export const ANALYSIS_KEYS = [
  'interval',
  'iterations',
  'threshold',
  'maxWeight',
  'stepWeight',
  'stepWeights',
  'stepWeightPromotion',
  'mirror',
  'mirrorWeight',
  'primaryReadyThreshold',
  'canaryReadyThreshold',
  'match',
  'metrics',
  'alerts',
  'webhooks',
  'sessionAffinity',
]

/**
 * Imports a Flagger `Canary` with the full result: the spec, the native input it was decoded from,
 * warnings and the carried fields. `metricTemplates` are MetricTemplate objects; a `templateRef` is resolved
 * by name and namespace (the canary's when omitted); a missing template is an error. Never throws.
 *
 * @example
 * ```ts
 * import * as E from 'fp-ts/lib/Either.js'
 * const r = importFlagger({
 *   apiVersion: 'flagger.app/v1beta1', kind: 'Canary', metadata: { name: 'podinfo', namespace: 'test' },
 *   spec: {
 *     targetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'podinfo' },
 *     analysis: { interval: '1m', threshold: 5, maxWeight: 50, stepWeight: 20,
 *       metrics: [{ name: 'request-success-rate', thresholdRange: { min: 99 }, interval: '1m' }] },
 *   },
 * })
 * if (E.isRight(r)) r.right.input // { strategy: { canary: { stepWeights: [20, 40, 60] } }, ... }
 * ```
 * @category compat
 */
export const importFlagger = (canary: unknown, metricTemplates: readonly unknown[] = []): E.Either<SpecError[], ImportResult<FlaggerCarried>> => {
  try {
    // read once into plain, bounded data: getters, Proxies and giant lists stop here, with a path
    const input = readPlainData(canary)
    if (E.isLeft(input)) return input
    const templates = readPlainData(metricTemplates)
    if (E.isLeft(templates)) return E.left(templates.left.map((e) => ({ ...e, path: e.path === '' ? 'metricTemplates' : `metricTemplates${e.path.startsWith('[') ? '' : '.'}${e.path}` })))
    return importUnsafe(input.right, Array.isArray(templates.right) ? templates.right : [])
  } catch (e) {
    return E.left([{ path: '', message: `could not import the Canary: ${thrownMessage(e)}` }])
  }
}

/**
 * Imports a Flagger `Canary` into a `RolloutSpec` (the architecture's entry point; `importFlagger` gives the
 * native input, warnings and carried fields as well).
 *
 * @example
 * ```ts
 * declare const canary: unknown, templates: unknown[]
 * const spec = fromFlagger(canary, templates) // Either<SpecError[], RolloutSpec>
 * ```
 * @category compat
 */
export const fromFlagger = (canary: unknown, metricTemplates: readonly unknown[] = []): E.Either<SpecError[], RolloutSpec> =>
  E.map((r: ImportResult<FlaggerCarried>) => r.spec)(importFlagger(canary, metricTemplates))

const importUnsafe = (canary: unknown, templates: readonly unknown[]): E.Either<SpecError[], ImportResult<FlaggerCarried>> => {
  const issues = newIssues()
  if (!isObj(canary)) return E.left([{ path: '', message: 'expected a Canary object (parsed YAML/JSON)' }])
  if (canary.apiVersion !== 'flagger.app/v1beta1') fail(issues, 'apiVersion', `expected flagger.app/v1beta1, got ${JSON.stringify(canary.apiVersion) ?? 'nothing'}`)
  if (canary.kind !== 'Canary') fail(issues, 'kind', `expected Canary, got ${JSON.stringify(canary.kind) ?? 'nothing'}`)
  const metadata = opt(issues, canary, '', 'metadata', 'object') ?? {}
  const name = opt(issues, metadata, 'metadata', 'name', 'string')
  const namespace = opt(issues, metadata, 'metadata', 'namespace', 'string')
  const spec = req(issues, canary, '', 'spec', 'object')
  if (spec === undefined) return E.left(issues.errors)
  unknownKeys(issues, spec, 'spec', SPEC_KEYS, 'Flagger v1beta1 CanarySpec')
  const target = req(issues, spec, 'spec', 'targetRef', 'object')
  if (target !== undefined) {
    req(issues, target, 'spec.targetRef', 'name', 'string')
    req(issues, target, 'spec.targetRef', 'kind', 'string')
  }
  const meshProvider = opt(issues, spec, 'spec', 'provider', 'string')
  const metricsServer = opt(issues, spec, 'spec', 'metricsServer', 'string')
  const skipAnalysis = opt(issues, spec, 'spec', 'skipAnalysis', 'boolean')
  const suspend = opt(issues, spec, 'spec', 'suspend', 'boolean') ?? false
  const deadline = opt(issues, spec, 'spec', 'progressDeadlineSeconds', 'integer')
  if (deadline !== undefined && deadline <= 0) fail(issues, 'spec.progressDeadlineSeconds', `expected a positive number of seconds, got ${deadline}`)
  if (suspend) warn(issues, 'spec.suspend', 'suspend is set: Flagger does nothing while suspended; carried (the caller should not call step until it is cleared)')

  const a = req(issues, spec, 'spec', 'analysis', 'object')
  if (a === undefined) return E.left(issues.errors)
  const ap = 'spec.analysis'
  unknownKeys(issues, a, ap, ANALYSIS_KEYS, 'Flagger v1beta1 CanaryAnalysis')
  const forms = ['iterations', 'stepWeight', 'stepWeights'].filter((k) => a[k] !== undefined && a[k] !== null)
  if (forms.length !== 1) {
    const stray = forms.length === 0 ? strayKeys(a, ANALYSIS_KEYS, ['iterations', 'stepWeight', 'stepWeights']) : []
    fail(issues, ap, `the Flagger CRD requires exactly one of iterations, stepWeight, stepWeights; got ${forms.length === 0 ? 'none' : forms.join(' and ')}${stray.length > 0 ? `: found ${stray.join(', ')}` : ''}`)
  }
  if (a.interval === undefined) fail(issues, joinPath(ap, 'interval'), 'missing required field "interval" (the Flagger CRD requires it)')
  if (a.threshold === undefined) fail(issues, joinPath(ap, 'threshold'), 'missing required field "threshold" (the Flagger CRD requires it)')
  const intervalMs = flaggerInterval(opt(issues, a, ap, 'interval', 'string'), joinPath(ap, 'interval'), issues)
  const thresholdRaw = opt(issues, a, ap, 'threshold', 'integer')
  const threshold = flaggerThreshold(thresholdRaw ?? 1, joinPath(ap, 'threshold'), issues)
  const iterations = opt(issues, a, ap, 'iterations', 'integer')
  const maxWeightRaw = opt(issues, a, ap, 'maxWeight', 'integer')
  const stepWeight = opt(issues, a, ap, 'stepWeight', 'integer')
  const stepWeightsRaw = opt(issues, a, ap, 'stepWeights', 'array')
  const promotion = opt(issues, a, ap, 'stepWeightPromotion', 'integer')
  const mirror = opt(issues, a, ap, 'mirror', 'boolean')
  const mirrorWeight = opt(issues, a, ap, 'mirrorWeight', 'integer')
  const match = opt(issues, a, ap, 'match', 'array')
  opt(issues, a, ap, 'primaryReadyThreshold', 'integer')
  opt(issues, a, ap, 'canaryReadyThreshold', 'integer')
  const metricsRaw = opt(issues, a, ap, 'metrics', 'array') ?? []
  const webhooksRaw = opt(issues, a, ap, 'webhooks', 'array') ?? []

  const strategy = flaggerStrategy({ iterations, match })
  const paths: PathMap = new Map([
    ['strategy', ap],
    ['analysis.interval', joinPath(ap, 'interval')],
    ['analysis.threshold', joinPath(ap, 'threshold')],
    ['analysis', ap],
    ['progressDeadline', 'spec.progressDeadlineSeconds'],
    ['skipAnalysis', 'spec.skipAnalysis'],
  ])

  // the plan
  const canaryInput: Record<string, unknown> = {}
  let strategyInput: Record<string, unknown> = { canary: canaryInput }
  if (strategy === 'canary') {
    if (iterations !== undefined) fail(issues, joinPath(ap, 'iterations'), `iterations ${iterations} is not > 0: Flagger would run a canary without a step weight, which never advances`)
    if (stepWeight !== undefined) {
      if (stepWeight <= 0) fail(issues, joinPath(ap, 'stepWeight'), `stepWeight must be > 0, got ${stepWeight}: Flagger would never advance`)
      let maxWeight = maxWeightRaw !== undefined && maxWeightRaw > 0 ? maxWeightRaw : 100
      if (maxWeight > 100) {
        warn(issues, joinPath(ap, 'maxWeight'), `maxWeight ${maxWeight} is above 100: weights are clamped to 100, so 100 is the maximum`)
        maxWeight = 100
      }
      if (stepWeight > 0) {
        const weights = flaggerLinearWeights(stepWeight, maxWeight)
        const last = weights[weights.length - 1] ?? 0
        if (last > maxWeight) {
          warn(issues, joinPath(ap, 'stepWeight'), `Flagger's linear plan overshoots maxWeight ${maxWeight}: the last step is ${last} (reproduced; use stepWeights to stop at ${maxWeight})`)
        }
        canaryInput.stepWeights = weights
        paths.set('strategy.canary.stepWeights', joinPath(ap, 'stepWeight'))
      }
    } else if (stepWeightsRaw !== undefined) {
      if (maxWeightRaw !== undefined) warn(issues, joinPath(ap, 'maxWeight'), 'maxWeight is ignored with stepWeights (Flagger uses the last weight)')
      canaryInput.stepWeights = flaggerStepWeights(stepWeightsRaw, joinPath(ap, 'stepWeights'), issues)
      paths.set('strategy.canary.stepWeights', joinPath(ap, 'stepWeights'))
    }
    if (promotion !== undefined && promotion > 0) canaryInput.stepWeightPromotion = Math.min(100, promotion)
    if (promotion !== undefined && promotion < 0) fail(issues, joinPath(ap, 'stepWeightPromotion'), `must be >= 0, got ${promotion}`)
    if (mirror === true) {
      canaryInput.mirror = true
      if (mirrorWeight !== undefined) canaryInput.mirrorWeight = mirrorWeight
    } else if (mirrorWeight !== undefined) {
      warn(issues, joinPath(ap, 'mirrorWeight'), 'mirrorWeight without mirror: true has no effect in Flagger; ignored')
    }
    paths.set('strategy.canary.stepWeightPromotion', joinPath(ap, 'stepWeightPromotion'))
    paths.set('strategy.canary.mirror', joinPath(ap, 'mirror'))
    paths.set('strategy.canary.mirrorWeight', joinPath(ap, 'mirrorWeight'))
    if (match !== undefined && match.length > 0) {
      warn(issues, joinPath(ap, 'match'), 'match without iterations: Flagger runs a canary and passes match to the router; carried in carried.analysis.match for the router adapter')
    }
  } else {
    for (const k of ['maxWeight', 'stepWeightPromotion'] as const) {
      if (a[k] !== undefined) warn(issues, joinPath(ap, k), `${k} has no effect on Flagger's ${strategy === 'abTest' ? 'A/B testing' : 'blue/green'} strategy; ignored`)
    }
    if (strategy === 'abTest') {
      strategyInput = { abTest: { iterations, match: flaggerMatches(match ?? [], joinPath(ap, 'match'), issues) } }
      paths.set('strategy.abTest.iterations', joinPath(ap, 'iterations'))
      paths.set('strategy.abTest.match', joinPath(ap, 'match'))
      if (mirror === true) warn(issues, joinPath(ap, 'mirror'), 'mirror has no effect on Flagger A/B testing; ignored')
    } else {
      const bg: Record<string, unknown> = { iterations }
      if (mirror === true) {
        bg.mirror = true
        if (mirrorWeight !== undefined) bg.mirrorWeight = mirrorWeight
      } else if (mirrorWeight !== undefined) {
        warn(issues, joinPath(ap, 'mirrorWeight'), 'mirrorWeight without mirror: true has no effect in Flagger; ignored')
      }
      strategyInput = { blueGreen: bg }
      paths.set('strategy.blueGreen.iterations', joinPath(ap, 'iterations'))
      paths.set('strategy.blueGreen.mirror', joinPath(ap, 'mirror'))
      paths.set('strategy.blueGreen.mirrorWeight', joinPath(ap, 'mirrorWeight'))
    }
  }

  // metrics
  const metrics: Record<string, unknown>[] = []
  metricsRaw.forEach((m, i) => {
    const p = joinPath(joinPath(ap, 'metrics'), i)
    const out = importFlaggerMetric(m, p, {
      namespace,
      templates,
      meshProvider,
      ...(metricsServer !== undefined ? { metricsServer } : {}),
      issues,
    })
    if (out !== undefined) {
      paths.set(joinPath('analysis.metrics', metrics.length), p)
      metrics.push(out)
    }
  })

  // webhooks
  const gates: Record<string, unknown>[] = []
  const webhookExtras: Record<string, Record<string, unknown>> = {}
  webhooksRaw.forEach((w, i) => {
    const p = joinPath(joinPath(ap, 'webhooks'), i)
    const g = importFlaggerWebhook(w, p, issues)
    if (g !== undefined) {
      paths.set(joinPath('gates', gates.length), p)
      gates.push(g.gate)
      if (Object.keys(g.extra).length > 0) webhookExtras[String(g.gate.name)] = g.extra
    }
  })
  if (issues.errors.length > 0) return E.left(issues.errors)

  const input: NativeInput = {
    apiVersion: 'rollout-kernel/v1',
    kind: 'Rollout',
    metadata: { ...(name !== undefined ? { name } : {}), ...(namespace !== undefined ? { namespace } : {}), importedFrom: 'flagger.app/v1beta1 Canary' },
    strategy: strategyInput,
    analysis: {
      interval: nativeDuration(intervalMs),
      threshold,
      // Flagger counts "no values" as a failed check; the native engine holds instead and rolls back after
      // noDataLimit ticks without data in a row: with noDataLimit = threshold a silent canary rolls back as
      // late as in Flagger
      noDataLimit: threshold,
      metrics,
    },
    gates,
    ...(deadline !== undefined ? { progressDeadline: `${deadline}s` } : {}),
    ...(skipAnalysis !== undefined ? { skipAnalysis } : {}),
  }
  const carried: FlaggerCarried = {
    name,
    namespace,
    strategy,
    target: omit(spec, ['analysis', 'skipAnalysis', 'progressDeadlineSeconds']),
    analysis: pick(a, ['match', 'primaryReadyThreshold', 'canaryReadyThreshold', 'alerts', 'sessionAffinity']),
    webhooks: webhookExtras,
    suspend,
  }
  for (const k of ['primaryReadyThreshold', 'canaryReadyThreshold', 'alerts', 'sessionAffinity']) {
    if (a[k] !== undefined) warn(issues, joinPath(ap, k), `${k} is not modelled by rollout-kernel; carried in carried.analysis for the adapter`)
  }
  return E.map((spec: RolloutSpec): ImportResult<FlaggerCarried> => ({ spec, input, warnings: issues.warnings, carried }))(decodeNative(input, paths))
}
