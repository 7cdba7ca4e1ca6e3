/**
 * Flagger metrics to native metrics: builtin `request-success-rate` / `request-duration` (with what the
 * adapter must query), `templateRef` resolved against the given MetricTemplates (provider and query text
 * carried into `provider` / `query`), the deprecated inline `query` and `threshold`, `thresholdRange`.
 *
 * @module
 */
import { suggestKey } from '../config/suggest.js'
import * as E from 'fp-ts/lib/Either.js'
import { joinPath } from '../model/errors.js'
import { fail, isObj, neverFails, opt, req, unknownKeys, warn, type Issues, type Obj } from './manifest.js'
import { nativeDuration, parseGoDuration } from './goDuration.js'

/** Flagger's default metric interval (the query range). */
const DEFAULT_METRIC_INTERVAL = '1m'

/**
 * What the metrics adapter must measure for Flagger's builtin metrics.
 *
 * @example
 * ```ts
 * FLAGGER_BUILTINS['request-duration'].unit // 'milliseconds'
 * ```
 * @category compat
 */
export const FLAGGER_BUILTINS: Readonly<Record<string, { readonly unit: string; readonly note: string; readonly bound: 'min' | 'max' }>> = {
  'request-success-rate': {
    unit: 'percent',
    bound: 'min',
    note: 'success rate of the canary in percent: non-5xx responses / all responses x 100 over the metric interval (mesh/ingress metrics of the canary workload)',
  },
  'request-duration': {
    unit: 'milliseconds',
    bound: 'max',
    note: 'P99 request duration of the canary in milliseconds over the metric interval (histogram_quantile(0.99); NGINX and Skipper report an average)',
  },
}

/**
 * Context for importing Flagger metrics.
 *
 * @example
 * ```ts
 * const ctx: FlaggerMetricContext = { namespace: 'test', templates: [], meshProvider: 'istio', issues: { errors: [], warnings: [] } }
 * ```
 * @category compat
 */
export interface FlaggerMetricContext {
  readonly namespace: string | undefined
  readonly templates: readonly unknown[]
  readonly meshProvider: string | undefined
  readonly metricsServer?: string
  readonly issues: Issues
}

/** The fields of the Flagger v1beta1 CanaryMetric (the CRD's; a test keeps them equal). @internal */
export const METRIC_KEYS = ['name', 'interval', 'threshold', 'thresholdRange', 'query', 'templateRef', 'templateVariables']

const emptyNameAt = (path: string, issues: FlaggerMetricContext['issues']): string => {
  const name = /metrics\[\d+\]$/.exec(path)?.[0] ?? 'metrics[0]'
  warn(issues, joinPath(path, 'name'), `empty metric name (the CRD allows it): imported as "${name}", the name samples carry`)
  return name
}

/**
 * Finds a MetricTemplate (`flagger.app/v1beta1`) by name and namespace. A template without
 * `metadata.namespace` is taken to live in the canary's namespace (it was applied beside it).
 *
 * @example
 * ```ts
 * findMetricTemplate([{ apiVersion: 'flagger.app/v1beta1', kind: 'MetricTemplate', metadata: { name: 'errors', namespace: 'test' }, spec: {} }], 'errors', 'test', 'test')
 * ```
 * @category compat
 */
export const findMetricTemplate = (templates: readonly unknown[], name: string, namespace: string | undefined, canaryNamespace: string | undefined): Obj | undefined =>
  templates.find((t): t is Obj => {
    if (!isObj(t) || t.kind !== 'MetricTemplate' || !isObj(t.metadata)) return false
    const ns = typeof t.metadata.namespace === 'string' ? t.metadata.namespace : canaryNamespace
    return t.metadata.name === name && ns === namespace
  })

const stringMap = (issues: Issues, o: Obj, path: string, key: string): Record<string, string> | undefined => {
  const m = opt(issues, o, path, key, 'object')
  if (m === undefined) return undefined
  const out: Record<string, string> = {}
  for (const [k, v] of Object.entries(m)) {
    if (typeof v === 'string') out[k] = v
    else fail(issues, joinPath(joinPath(path, key), k), `expected a string value, got ${JSON.stringify(v) ?? String(v)}`)
  }
  return out
}

/**
 * Imports one Flagger metric into a native metric input (`undefined` when it has errors, recorded in
 * `ctx.issues`).
 *
 * @example
 * ```ts
 * const ctx = { namespace: 'test', templates: [], meshProvider: 'istio', issues: { errors: [], warnings: [] } }
 * importFlaggerMetric({ name: 'request-success-rate', thresholdRange: { min: 99 }, interval: '1m' }, 'spec.analysis.metrics[0]', ctx)
 * // { name: 'request-success-rate', interval: '60s', thresholdRange: { min: 99 }, provider: { type: 'builtin', ... } }
 * ```
 * @category compat
 */
export const importFlaggerMetric = (raw: unknown, path: string, ctx: FlaggerMetricContext): Record<string, unknown> | undefined => {
  const { issues } = ctx
  if (!isObj(raw)) {
    fail(issues, path, 'expected a metric object')
    return undefined
  }
  const before = issues.errors.length
  unknownKeys(issues, raw, path, METRIC_KEYS, 'Flagger v1beta1 CanaryMetric')
  const given = req(issues, raw, path, 'name', 'string')
  // the CRD allows an empty name (Flagger only shows it): the native metric is named after its position
  const name = given === '' ? emptyNameAt(path, issues) : given
  const intervalText = opt(issues, raw, path, 'interval', 'string')
  const deprecatedThreshold = opt(issues, raw, path, 'threshold', 'number')
  const range = opt(issues, raw, path, 'thresholdRange', 'object')
  const inlineQuery = opt(issues, raw, path, 'query', 'string')
  const ref = opt(issues, raw, path, 'templateRef', 'object')
  const variables = stringMap(issues, raw, path, 'templateVariables')

  let interval = nativeDuration(60_000)
  const iv = parseGoDuration(intervalText ?? DEFAULT_METRIC_INTERVAL)
  if (E.isLeft(iv) || iv.right <= 0) {
    fail(issues, joinPath(path, 'interval'), `${E.isLeft(iv) ? iv.left : 'must be positive'}: Flagger pastes it into the query range, which the provider would reject`)
  } else {
    interval = nativeDuration(iv.right)
  }

  const thresholdRange: Record<string, number> = {}
  if (range !== undefined) {
    const rp = joinPath(path, 'thresholdRange')
    unknownKeys(issues, range, rp, ['min', 'max'], 'Flagger CanaryThresholdRange')
    const min = opt(issues, range, rp, 'min', 'number')
    const max = opt(issues, range, rp, 'max', 'number')
    if (min !== undefined) thresholdRange.min = min
    if (max !== undefined) thresholdRange.max = max
    if (deprecatedThreshold !== undefined) warn(issues, joinPath(path, 'threshold'), 'deprecated threshold is ignored when thresholdRange is set (as in Flagger)')
  }

  const builtin = name !== undefined && ref === undefined && inlineQuery === undefined ? FLAGGER_BUILTINS[name] : undefined
  let provider: Record<string, unknown> | undefined
  let query: string | undefined
  if (ref !== undefined) {
    const rp = joinPath(path, 'templateRef')
    const refName = req(issues, ref, rp, 'name', 'string')
    const refNs = opt(issues, ref, rp, 'namespace', 'string') ?? ctx.namespace
    if (refName !== undefined) {
      const t = findMetricTemplate(ctx.templates, refName, refNs, ctx.namespace)
      if (t === undefined) {
        const names = ctx.templates.flatMap((x) => (isObj(x) && x.kind === 'MetricTemplate' && isObj(x.metadata) && typeof x.metadata.name === 'string' ? [x.metadata.name] : []))
        const close = suggestKey(refName, names)
        fail(issues, rp, `MetricTemplate "${refName}" not found in namespace "${refNs ?? '(none)'}" among the ${ctx.templates.length} template(s) given${close !== undefined && close !== refName ? ` (did you mean "${close}"?)` : ''}; pass the file that defines it with --templates`)
      } else {
        const spec = isObj(t.spec) ? t.spec : {}
        const tq = spec.query
        const tp = spec.provider
        if (typeof tq !== 'string' || !isObj(tp) || typeof tp.type !== 'string') {
          fail(issues, rp, `MetricTemplate "${refName}" needs spec.provider.type and spec.query (the CRD requires both)`)
        } else {
          query = tq
          provider = { ...tp, templateRef: { name: refName, namespace: refNs ?? null }, ...(variables !== undefined ? { variables } : {}) }
        }
      }
    }
    if (name !== undefined && FLAGGER_BUILTINS[name] !== undefined) {
      warn(issues, path, `"${name}" has a templateRef: imported as the template metric (Flagger would also run its builtin check of that name)`)
    }
  } else if (inlineQuery !== undefined) {
    warn(issues, joinPath(path, 'query'), 'inline query is deprecated in Flagger (use a MetricTemplate): carried as a Prometheus query against spec.metricsServer')
    query = inlineQuery
    provider = { type: 'prometheus', ...(ctx.metricsServer !== undefined ? { address: ctx.metricsServer } : {}), ...(variables !== undefined ? { variables } : {}) }
  } else if (builtin !== undefined && name !== undefined) {
    provider = {
      type: 'builtin',
      builtin: name,
      unit: builtin.unit,
      note: builtin.note,
      ...(ctx.meshProvider !== undefined ? { meshProvider: ctx.meshProvider } : {}),
      ...(ctx.metricsServer !== undefined ? { address: ctx.metricsServer } : {}),
    }
    if (range === undefined) {
      const v = deprecatedThreshold ?? 0
      warn(
        issues,
        joinPath(path, deprecatedThreshold !== undefined ? 'threshold' : 'thresholdRange'),
        deprecatedThreshold !== undefined
          ? `deprecated threshold: imported as thresholdRange.${builtin.bound} ${v} (Flagger's rule for ${name})`
          : `no thresholdRange nor threshold: Flagger compares ${name} with a threshold of 0, imported as thresholdRange.${builtin.bound} 0${builtin.bound === 'max' ? ' (every check fails)' : ''}`,
      )
      thresholdRange[builtin.bound] = v
    }
  } else if (name !== undefined) {
    fail(issues, path, `metric "${name}" is neither a builtin (request-success-rate, request-duration) nor has a templateRef or query`)
  }

  if (range === undefined && Object.keys(thresholdRange).length === 0 && builtin === undefined && provider !== undefined) {
    // Flagger's scheduler (checkMetricProviderAvailability / runMetricChecks): without a thresholdRange a
    // custom metric fails when value > metric.Threshold, and Threshold defaults to 0
    const v = deprecatedThreshold ?? 0
    warn(
      issues,
      joinPath(path, deprecatedThreshold !== undefined ? 'threshold' : 'thresholdRange'),
      deprecatedThreshold !== undefined
        ? `deprecated threshold on a custom metric: imported as thresholdRange.max ${v} (Flagger's rule: fail when value > threshold)`
        : `no thresholdRange nor threshold: Flagger fails a custom metric whenever its value is above threshold, which defaults to 0; imported as thresholdRange.max 0`,
    )
    thresholdRange.max = v
  }
  if (range !== undefined && Object.keys(thresholdRange).length === 0) {
    neverFails(issues, joinPath(path, 'thresholdRange'), 'thresholdRange has neither min nor max (Flagger checks nothing)')
  } else if (builtin !== undefined && range === undefined && deprecatedThreshold === undefined && builtin.bound === 'min') {
    neverFails(issues, joinPath(path, 'thresholdRange'), `no thresholdRange: ${name} is compared with min 0`)
  }
  if (issues.errors.length > before || name === undefined) return undefined
  const judge =
    Object.keys(thresholdRange).length > 0
      ? { thresholdRange }
      : (warn(issues, path, `metric "${name}" has an empty thresholdRange: Flagger only measures it, so it is imported as a dry-run metric (never fails the rollout)`),
        { successCondition: 'true', dryRun: true })
  return { name, interval, ...judge, ...(query !== undefined ? { query } : {}), ...(provider !== undefined ? { provider } : {}) }
}
