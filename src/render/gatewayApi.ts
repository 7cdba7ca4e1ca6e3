/**
 * Gateway API renderer: an HTTPRoute (`gateway.networking.k8s.io/v1`) with weighted backendRefs to
 * the primary and canary Services.
 *
 * - Parents: `names.gateways` become Gateway parentRefs; without gateways the route attaches to the
 *   apex Service (GAMMA, service-mesh use), or use `options.parentRefs`.
 * - Header routes become rules whose matches send requests to the canary only. Gateway API has only
 *   `Exact` and `RegularExpression` header / query matches, so prefix and suffix matches become
 *   anchored regular expressions (`^beta.*$`, `^.*\.eu$`), an empty exact value becomes `^$`, and a
 *   cookie becomes a regular expression on the `cookie` header. `regex` matches are passed as is:
 *   their dialect is implementation-specific.
 * - Mirror routes keep the weighted split and add a `RequestMirror` filter to the canary with
 *   `percent` (integer share) or `fraction` (non-integer share, to 1e-4 %); so does the default rule
 *   when `traffic.mirror > 0`.
 * - Rules do not depend on order in Gateway API: a rule with header matches is more specific than the
 *   default rule (which has none), so managed routes win for matching requests.
 *
 * @module
 */
import * as E from 'fp-ts/lib/Either.js'
import { describeValue, joinPath, specError, type SpecError } from '../model/errors.js'
import type { ManagedRoute, RequestMatch, StringMatch, Traffic } from '../model/traffic.js'
import { checkNamespace, checkObjectName, isDnsSubdomain, isRecord, orErrors } from './checks.js'
import { objectMeta, type Manifest, type MetaExtras } from './manifest.js'
import { resolveNames, type RenderNames, type ResolvedNames } from './names.js'
import { anchoredRegex, cookieRegex } from './patterns.js'
import { conditionsOf, matchOf, trafficOf, type RenderSource } from './source.js'
import { guarded } from '../model/guard.js'

/**
 * A parent of the HTTPRoute (a Gateway, or a Service for mesh routing).
 *
 * @example
 * ```ts
 * const p: HTTPRouteParentRef = { name: 'public', namespace: 'gateways', sectionName: 'https' }
 * ```
 * @category model
 */
export interface HTTPRouteParentRef {
  readonly group?: string
  readonly kind?: string
  readonly name: string
  readonly namespace?: string
  readonly sectionName?: string
  readonly port?: number
}

/**
 * One header or query parameter match.
 *
 * @example
 * ```ts
 * const m: HTTPValueMatch = { type: 'RegularExpression', name: 'x-region', value: '^.*\\.eu$' }
 * ```
 * @category model
 */
export interface HTTPValueMatch {
  readonly type: 'Exact' | 'RegularExpression'
  readonly name: string
  readonly value: string
}

/**
 * One HTTPRouteMatch (its conditions are ANDed; a rule's matches are ORed).
 *
 * @example
 * ```ts
 * const m: HTTPRouteMatch = { headers: [{ type: 'Exact', name: 'x-canary', value: 'insider' }] }
 * ```
 * @category model
 */
export interface HTTPRouteMatch {
  readonly headers?: readonly HTTPValueMatch[]
  readonly queryParams?: readonly HTTPValueMatch[]
}

/**
 * A weighted Service backend.
 *
 * @example
 * ```ts
 * const b: HTTPBackendRef = { name: 'podinfo-canary', port: 9898, weight: 10 }
 * ```
 * @category model
 */
export interface HTTPBackendRef {
  readonly name: string
  readonly port: number
  readonly weight: number
}

/**
 * A RequestMirror filter copying a share of the requests to the canary Service.
 *
 * @example
 * ```ts
 * const f: HTTPRequestMirrorFilter = { type: 'RequestMirror', requestMirror: { backendRef: { name: 'podinfo-canary', port: 9898 }, percent: 10 } }
 * ```
 * @category model
 */
export interface HTTPRequestMirrorFilter {
  readonly type: 'RequestMirror'
  readonly requestMirror: {
    readonly backendRef: { readonly name: string; readonly port: number }
    readonly percent?: number
    readonly fraction?: { readonly numerator: number; readonly denominator: number }
  }
}

/**
 * One rule of the rendered HTTPRoute.
 *
 * @example
 * ```ts
 * const r: HTTPRouteRule = { backendRefs: [{ name: 'podinfo-primary', port: 9898, weight: 100 }, { name: 'podinfo-canary', port: 9898, weight: 0 }] }
 * ```
 * @category model
 */
export interface HTTPRouteRule {
  readonly name?: string
  readonly matches?: readonly HTTPRouteMatch[]
  readonly backendRefs: readonly HTTPBackendRef[]
  readonly filters?: readonly HTTPRequestMirrorFilter[]
}

/**
 * A rendered Gateway API HTTPRoute.
 *
 * @example
 * ```ts
 * declare const r: HTTPRoute
 * r.spec.rules.at(-1)?.backendRefs.map((b) => b.weight) // [90, 10]
 * ```
 * @category model
 */
export type HTTPRoute = Manifest<
  {
    readonly parentRefs: readonly HTTPRouteParentRef[]
    readonly hostnames?: readonly string[]
    readonly rules: readonly HTTPRouteRule[]
  },
  'HTTPRoute'
>

/**
 * Options of the Gateway API renderer: explicit `parentRefs` (instead of `names.gateways`) and the
 * labels / annotations to add.
 *
 * @example
 * ```ts
 * const o: GatewayApiOptions = { parentRefs: [{ name: 'public', namespace: 'gateways', sectionName: 'https' }] }
 * ```
 * @category model
 */
export interface GatewayApiOptions extends MetaExtras {
  readonly parentRefs?: readonly HTTPRouteParentRef[]
}

const HOSTNAME = /^(\*\.)?[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/
const SECTION = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/
const MAX_VALUES = 16
const MAX_MATCHES_PER_RULE = 64
const MAX_RULES = 16
const MAX_MATCHES = 128

/**
 * The RequestMirror share: `percent` for an integer, else a `fraction` over 100·10^k (k ≤ 4).
 *
 * @example
 * ```ts
 * mirrorShare(10)   // { percent: 10 }
 * mirrorShare(12.5) // { fraction: { numerator: 125, denominator: 1000 } }
 * ```
 * @category utils
 */
export const mirrorShare = guarded('mirrorShare', (p: number): { percent: number } | { fraction: { numerator: number; denominator: number } } => {
  if (Number.isInteger(p)) return { percent: p }
  for (let k = 1; k <= 4; k++) {
    const scaled = p * 10 ** k
    if (Math.abs(scaled - Math.round(scaled)) < 1e-9 || k === 4)
      return { fraction: { numerator: Math.round(scaled), denominator: 100 * 10 ** k } }
  }
  return { percent: Math.round(p) }
}, () => ({ percent: 0 }))

const valueMatch = (name: string, m: StringMatch): HTTPValueMatch => {
  const { kind, value } = matchOf(m)
  if (kind === 'exact') return value.length > 0 ? { type: 'Exact', name, value } : { type: 'RegularExpression', name, value: '^$' }
  if (kind === 'regex') return { type: 'RegularExpression', name, value }
  return { type: 'RegularExpression', name, value: anchoredRegex({ kind, value }) }
}

const gatewayMatch = (path: string, m: RequestMatch): E.Either<SpecError[], HTTPRouteMatch> => {
  const errors: SpecError[] = []
  const headers = conditionsOf(m, 'headers').map(([name, sm]) => valueMatch(name, sm))
  const cookies = conditionsOf(m, 'cookies')
  if (cookies.length > 1)
    errors.push(specError(joinPath(path, 'cookies'), `Gateway API matches cookies through one regular expression on the cookie header, so one request match can test one cookie, got ${cookies.length}`))
  const [cookie] = cookies
  if (cookie !== undefined) {
    if (headers.some((h) => h.name.toLowerCase() === 'cookie'))
      errors.push(specError(joinPath(path, 'cookies'), 'a request match cannot test both a cookie and the cookie header: both become a match on the cookie header'))
    headers.push({ type: 'RegularExpression', name: 'cookie', value: cookieRegex(cookie[0], matchOf(cookie[1])) })
  }
  const queryParams = conditionsOf(m, 'queryParams').map(([name, sm]) => valueMatch(name, sm))
  const tooLong = (list: readonly HTTPValueMatch[], field: string, max: number): void => {
    if (list.length > MAX_VALUES) errors.push(specError(joinPath(path, field), `Gateway API allows at most ${MAX_VALUES} ${field} conditions per match, got ${list.length}`))
    for (const v of list)
      if (v.value.length > max)
        errors.push(specError(joinPath(joinPath(path, field), v.name), `Gateway API allows values of at most ${max} characters, got ${v.value.length}`))
  }
  tooLong(headers, 'headers', 4096)
  tooLong(queryParams, 'queryParams', 1024)
  return orErrors(errors, () => ({
    ...(headers.length > 0 ? { headers } : {}),
    ...(queryParams.length > 0 ? { queryParams } : {}),
  }))
}

const ruleMatches = (path: string, r: ManagedRoute): E.Either<SpecError[], HTTPRouteMatch[]> => {
  const errors: SpecError[] = []
  const out: HTTPRouteMatch[] = []
  if (r.match.length > MAX_MATCHES_PER_RULE)
    errors.push(specError(joinPath(path, 'match'), `Gateway API allows at most ${MAX_MATCHES_PER_RULE} matches per rule, got ${r.match.length}`))
  r.match.forEach((m, i) => {
    const res = gatewayMatch(joinPath(joinPath(path, 'match'), i), m)
    if (E.isLeft(res)) errors.push(...res.left)
    else out.push(res.right)
  })
  return orErrors(errors, () => out)
}

const checkParentRefs = (refs: unknown): SpecError[] => {
  if (!Array.isArray(refs) || refs.length === 0 || refs.length > 32)
    return [specError('options.parentRefs', `expected a list of 1 to 32 parent references, got ${describeValue(refs)}`)]
  return refs.flatMap((r: unknown, i): SpecError[] => {
    const p = joinPath('options.parentRefs', i)
    if (!isRecord(r)) return [specError(p, `expected a parent reference, got ${describeValue(r)}`)]
    return [
      ...checkObjectName(joinPath(p, 'name'), r.name),
      ...(r.namespace !== undefined ? checkNamespace(joinPath(p, 'namespace'), r.namespace) : []),
      ...(r.sectionName !== undefined && !(typeof r.sectionName === 'string' && r.sectionName.length <= 253 && SECTION.test(r.sectionName))
        ? [specError(joinPath(p, 'sectionName'), `expected a section name (lower-case DNS subdomain), got ${describeValue(r.sectionName)}`)]
        : []),
      ...(r.port !== undefined && !(typeof r.port === 'number' && Number.isInteger(r.port) && r.port >= 1 && r.port <= 65535)
        ? [specError(joinPath(p, 'port'), `expected a port number in 1..65535, got ${describeValue(r.port)}`)]
        : []),
      ...(r.group !== undefined && typeof r.group !== 'string' ? [specError(joinPath(p, 'group'), `expected a string, got ${describeValue(r.group)}`)] : []),
      ...(r.kind !== undefined && !(typeof r.kind === 'string' && /^[a-zA-Z]([-a-zA-Z0-9]*[a-zA-Z0-9])?$/.test(r.kind))
        ? [specError(joinPath(p, 'kind'), `expected a kind such as Gateway, got ${describeValue(r.kind)}`)]
        : []),
    ]
  })
}

const parentRefsOf = (n: ResolvedNames, o: GatewayApiOptions): readonly HTTPRouteParentRef[] =>
  o.parentRefs !== undefined
    ? o.parentRefs.map((r) => ({ ...r }))
    : n.gateways.length > 0
      ? n.gateways.map((g) => ({ name: g.name, ...(g.namespace !== undefined ? { namespace: g.namespace } : {}) }))
      : [{ group: '', kind: 'Service', name: n.service, ...(n.port !== undefined ? { port: n.port } : {}) }]

const build = (traffic: Traffic, n: ResolvedNames, port: number, o: GatewayApiOptions): E.Either<SpecError[], HTTPRoute> => {
  const split: HTTPBackendRef[] = [
    { name: n.primaryService, port, weight: 100 - traffic.weight },
    { name: n.canaryService, port, weight: traffic.weight },
  ]
  const mirror = (p: number): HTTPRequestMirrorFilter => ({
    type: 'RequestMirror',
    requestMirror: { backendRef: { name: n.canaryService, port }, ...mirrorShare(p) },
  })
  const errors: SpecError[] = []
  const rules: HTTPRouteRule[] = []
  let matchCount = 0
  traffic.routes.forEach((r, i) => {
    const matches = ruleMatches(joinPath('traffic.routes', i), r)
    if (E.isLeft(matches)) return void errors.push(...matches.left)
    matchCount += matches.right.length
    const name = isDnsSubdomain(r.name) ? { name: r.name } : {}
    rules.push(
      r.kind === 'header'
        ? { ...name, matches: matches.right, backendRefs: [{ name: n.canaryService, port, weight: 100 }] }
        : { ...name, matches: matches.right, backendRefs: split, filters: [mirror(r.percentage ?? 100)] },
    )
  })
  if (traffic.routes.length + 1 > MAX_RULES)
    errors.push(specError('traffic.routes', `Gateway API allows at most ${MAX_RULES} rules: ${MAX_RULES - 1} managed routes and the default rule, got ${traffic.routes.length} managed routes`))
  // The default rule's implicit match ("/" prefix) counts too.
  if (matchCount + 1 > MAX_MATCHES)
    errors.push(specError('traffic.routes', `Gateway API allows at most ${MAX_MATCHES} matches in one route, got ${matchCount + 1}`))
  rules.push({ backendRefs: split, ...(traffic.mirror !== undefined && traffic.mirror > 0 ? { filters: [mirror(traffic.mirror)] } : {}) })
  const extras = { ...(o.labels ? { labels: o.labels } : {}), ...(o.annotations ? { annotations: o.annotations } : {}) }
  return orErrors(errors, () => ({
    apiVersion: 'gateway.networking.k8s.io/v1',
    kind: 'HTTPRoute' as const,
    metadata: objectMeta(n.name, n.namespace, extras),
    spec: {
      parentRefs: parentRefsOf(n, o),
      ...(n.hosts !== undefined ? { hostnames: [...n.hosts] } : {}),
      rules,
    },
  }))
}

/**
 * Renders the Gateway API HTTPRoute for an action or a `Traffic` value. Needs `names.port`.
 * The default rule is last and lists the primary then the canary, weights summing to 100.
 *
 * @example
 * ```ts
 * import * as E from 'fp-ts/lib/Either.js'
 * const r = renderHTTPRoute({ type: 'setWeight', weight: 10, routes: [] }, { name: 'podinfo', namespace: 'test', port: 9898, gateways: ['gateways/public'] })
 * if (E.isRight(r)) r.right.spec.rules[0]?.backendRefs.map((b) => b.weight) // [90, 10]
 * ```
 * @category renderers
 */
export const renderHTTPRoute = guarded('renderHTTPRoute', (
  source: RenderSource,
  names: RenderNames,
  options: GatewayApiOptions = {},
): E.Either<SpecError[], HTTPRoute> => {
  const traffic = trafficOf(source)
  const resolved = resolveNames(names)
  const errors: SpecError[] = [...(E.isLeft(traffic) ? traffic.left : []), ...(E.isLeft(resolved) ? resolved.left : [])]
  if (!isRecord(options)) errors.push(specError('options', `expected an object, got ${describeValue(options)}`))
  else if (options.parentRefs !== undefined) errors.push(...checkParentRefs(options.parentRefs))
  if (E.isRight(resolved)) {
    const n = resolved.right
    if (n.port === undefined) errors.push(specError('names.port', 'Gateway API backendRefs to a Service need a port'))
    if (n.hosts !== undefined) {
      if (n.hosts.length > 16) errors.push(specError('names.hosts', `Gateway API allows at most 16 hostnames, got ${n.hosts.length}`))
      n.hosts.forEach((h, i) => {
        if (!(h.length <= 253 && HOSTNAME.test(h)))
          errors.push(specError(joinPath('names.hosts', i), `expected a Gateway API hostname (lower-case DNS name, optionally starting with "*."), got ${describeValue(h)}`))
      })
    }
  }
  if (errors.length > 0 || E.isLeft(traffic) || E.isLeft(resolved) || resolved.right.port === undefined) return E.left(errors)
  return build(traffic.right, resolved.right, resolved.right.port, options)
}, (m) => E.left([specError('', m)]))
