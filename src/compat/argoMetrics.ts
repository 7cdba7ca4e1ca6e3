/**
 * One Argo AnalysisTemplate metric (args already substituted) to a native metric: measurement limits,
 * `successCondition` / `failureCondition` in the `argo` dialect (compiled here, so a bad expression is an
 * error at its upstream path), interval and initialDelay, and the provider carried untouched with its
 * query text lifted into `query`.
 *
 * @module
 */
import * as E from 'fp-ts/lib/Either.js'
import { joinPath } from '../model/errors.js'
import { compileCondition } from '../analysis/condition.js'
import { fail, isObj, neverFails, opt, req, unknownKeys, warn, type Issues, type Obj } from './manifest.js'
import { SECRET_PLACEHOLDER } from './argoArgs.js'
import { nativeDuration, parseGoDuration } from './goDuration.js'

/** The fields of the Argo v1alpha1 Metric (the CRD's; a test keeps them equal). @internal */
export const KEYS = [
  'name',
  'interval',
  'initialDelay',
  'count',
  'successCondition',
  'failureCondition',
  'failureLimit',
  'inconclusiveLimit',
  'consecutiveErrorLimit',
  'consecutiveSuccessLimit',
  'provider',
]

/** Providers whose settings hold the query text in a `query` string. */
const QUERY_PROVIDERS = ['prometheus', 'datadog', 'newRelic', 'wavefront', 'graphite', 'influxdb', 'skywalking']

/**
 * The result contract the importer adds to `job` metrics without conditions: Argo judges a Job metric by
 * the Job's outcome, so the adapter reports 1 (the Job succeeded) or 0 (it failed) and the condition
 * `result == 1` judges it.
 *
 * @example
 * ```ts
 * JOB_RESULT_CONTRACT.successCondition // 'result == 1'
 * ```
 * @category compat
 */
export const JOB_RESULT_CONTRACT = {
  successCondition: 'result == 1',
  resultContract: 'job: the metrics adapter reports 1 when the Job succeeded and 0 when it failed',
} as const

/**
 * Reads an Argo int-or-string count/limit (`3` or `"3"`, what args substitution leaves).
 *
 * @example
 * ```ts
 * const issues = { errors: [], warnings: [] }
 * intOrString(issues, { count: '3' }, 'spec.metrics[0]', 'count') // 3
 * ```
 * @category compat
 */
export const intOrString = (issues: Issues, o: Obj, path: string, key: string): number | undefined => {
  const v = o[key]
  if (v === undefined || v === null) return undefined
  if (typeof v === 'number' && Number.isSafeInteger(v)) return v
  if (typeof v === 'string' && /^-?\d+$/.test(v.trim())) return Number(v.trim())
  fail(issues, joinPath(path, key), `expected an integer (or a string holding one), got ${JSON.stringify(v) ?? String(v)}`)
  return undefined
}

/**
 * The secret references in a provider after args substitution: one `{ placeholder, secret, key }` per
 * distinct `{{secretKeyRef.<secret>/<key>}}` placeholder. The metrics adapter resolves each (it reads the
 * Kubernetes Secret) and substitutes it when it runs the query; the value never enters the kernel.
 *
 * @example
 * ```ts
 * secretRefsIn({ web: { headers: [{ key: 'Authorization', value: 'Bearer {{secretKeyRef.api/token}}' }] } })
 * // [{ placeholder: '{{secretKeyRef.api/token}}', secret: 'api', key: 'token' }]
 * ```
 * @category compat
 */
export const secretRefsIn = (provider: unknown): { placeholder: string; secret: string; key: string }[] => {
  const out = new Map<string, { placeholder: string; secret: string; key: string }>()
  const walk = (v: unknown, depth: number): void => {
    if (depth > 64) return
    if (typeof v === 'string') {
      for (const m of v.matchAll(SECRET_PLACEHOLDER)) out.set(m[0], { placeholder: m[0], secret: m[1] ?? '', key: m[2] ?? '' })
    } else if (Array.isArray(v)) v.forEach((x) => walk(x, depth + 1))
    else if (isObj(v)) Object.values(v).forEach((x) => walk(x, depth + 1))
  }
  walk(provider, 0)
  return [...out.values()]
}

const duration = (issues: Issues, o: Obj, path: string, key: string): string | undefined => {
  const raw = opt(issues, o, path, key, 'string')
  if (raw === undefined) return undefined
  const d = parseGoDuration(raw)
  if (E.isLeft(d) || d.right < 0) {
    fail(issues, joinPath(path, key), E.isLeft(d) ? d.left : 'must not be negative')
    return undefined
  }
  return nativeDuration(d.right)
}

/**
 * Imports one metric; `undefined` on errors (recorded in `issues`). `name` is the native name (unique over
 * the whole rollout), `background` whether it runs as background analysis, `dryRun` from the rollout's
 * and the template's dryRun rules.
 *
 * @example
 * ```ts
 * const issues = { errors: [], warnings: [] }
 * importArgoMetric(
 *   { name: 'success-rate', interval: '1m', failureLimit: 3, successCondition: 'result[0] >= 0.95',
 *     provider: { prometheus: { address: 'http://prometheus:9090', query: 'sum(rate(x[5m]))' } } },
 *   'spec.metrics[0]', { name: 'success-rate', background: true, dryRun: false }, issues,
 * )
 * // { name: 'success-rate', interval: '60s', failureLimit: 3, successCondition: ..., dialect: 'argo', query: 'sum(rate(x[5m]))', provider: {...}, background: true }
 * ```
 * @category compat
 */
export const importArgoMetric = (
  m: unknown,
  path: string,
  as: { readonly name: string; readonly background: boolean; readonly dryRun: boolean },
  issues: Issues,
): Record<string, unknown> | undefined => {
  if (!isObj(m)) {
    fail(issues, path, 'expected a metric object')
    return undefined
  }
  const before = issues.errors.length
  unknownKeys(issues, m, path, KEYS, 'Argo v1alpha1 Metric')
  req(issues, m, path, 'name', 'string')
  const interval = duration(issues, m, path, 'interval')
  const initialDelay = duration(issues, m, path, 'initialDelay')
  const count = intOrString(issues, m, path, 'count')
  const failureLimit = intOrString(issues, m, path, 'failureLimit')
  const inconclusiveLimit = intOrString(issues, m, path, 'inconclusiveLimit')
  const consecutiveErrorLimit = intOrString(issues, m, path, 'consecutiveErrorLimit')
  const consecutiveSuccessLimit = intOrString(issues, m, path, 'consecutiveSuccessLimit')
  let successCondition = opt(issues, m, path, 'successCondition', 'string')
  const failureCondition = opt(issues, m, path, 'failureCondition', 'string')
  const provider = req(issues, m, path, 'provider', 'object')
  for (const [key, text] of [['successCondition', successCondition], ['failureCondition', failureCondition]] as const) {
    if (text === undefined || text === '') continue
    const c = compileCondition(text, 'argo')
    if (E.isLeft(c)) fail(issues, joinPath(path, key), `${c.left.message}${c.left.position !== null ? ` (at ${c.left.position})` : ''}`)
  }
  if (count !== undefined && count > 1 && interval === undefined) {
    fail(issues, joinPath(path, 'count'), `count ${count} needs an interval (Argo rejects it)`)
  }
  if (failureLimit !== undefined && failureLimit < -1) fail(issues, joinPath(path, 'failureLimit'), `must be >= -1, got ${failureLimit}`)

  let query: string | undefined
  let providerOut: Record<string, unknown> | undefined
  if (provider !== undefined) {
    const kinds = Object.keys(provider)
    if (kinds.length !== 1) warn(issues, joinPath(path, 'provider'), `expected exactly one provider, got ${kinds.join(', ') || 'none'}; carried as is`)
    const kind = kinds[0] ?? ''
    const settings = provider[kind]
    if (kind === 'kayenta') {
      fail(issues, joinPath(path, 'provider.kayenta'), 'the kayenta provider is not imported: use the native mannWhitney judge (same Mann-Whitney classifier) on points samples instead')
    }
    if (QUERY_PROVIDERS.includes(kind) && isObj(settings) && typeof settings.query === 'string') query = settings.query
    providerOut = { ...provider }
    if (kind === 'job' && successCondition === undefined && failureCondition === undefined) {
      successCondition = JOB_RESULT_CONTRACT.successCondition
      providerOut.resultContract = JOB_RESULT_CONTRACT.resultContract
    }
    if (kind === 'web') {
      warn(issues, joinPath(path, 'provider.web'), 'web provider: the adapter sends the JSON response (reduced by jsonPath when set) as the value sample: conditions read it as result (result.ok, result.data.count, ...)')
    }
    const refs = secretRefsIn(provider)
    if (refs.length > 0) providerOut.secretRefs = refs
  }
  for (const [key, text] of [['successCondition', successCondition], ['failureCondition', failureCondition]] as const) {
    if (text !== undefined && new RegExp(SECRET_PLACEHOLDER.source).test(text)) {
      fail(issues, joinPath(path, key), 'a secret argument cannot be used in a condition (its value would appear in reasons); use it in the provider only')
    }
  }
  if (successCondition === undefined && failureCondition === undefined && provider !== undefined) {
    neverFails(issues, path, 'no successCondition nor failureCondition (Argo counts every measurement as Successful)')
  }
  if (issues.errors.length > before) return undefined
  const hasCondition = successCondition !== undefined || failureCondition !== undefined
  return {
    name: as.name,
    ...(interval !== undefined ? { interval } : {}),
    ...(initialDelay !== undefined ? { initialDelay } : {}),
    // a single measurement when neither count nor interval is set (Argo)
    ...(count !== undefined && count > 0 ? { count } : interval === undefined ? { count: 1 } : {}),
    // always explicit (Argo's default is 0): it also gives a metric without conditions its Argo judge
    failureLimit: failureLimit ?? 0,
    ...(inconclusiveLimit !== undefined ? { inconclusiveLimit } : {}),
    ...(consecutiveErrorLimit !== undefined ? { consecutiveErrorLimit } : {}),
    ...(consecutiveSuccessLimit !== undefined ? { consecutiveSuccessLimit } : {}),
    ...(successCondition !== undefined && successCondition !== '' ? { successCondition } : {}),
    ...(failureCondition !== undefined && failureCondition !== '' ? { failureCondition } : {}),
    ...(hasCondition ? { dialect: 'argo' } : {}),
    ...(query !== undefined ? { query } : {}),
    ...(providerOut !== undefined ? { provider: providerOut } : {}),
    background: as.background,
    ...(as.dryRun ? { dryRun: true } : {}),
  }
}
