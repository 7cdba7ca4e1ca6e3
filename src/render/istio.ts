/**
 * Istio renderer: a VirtualService that splits traffic between the primary and the canary, plus the
 * DestinationRules it points at. Two destination styles:
 * - `services` (Flagger): destinations are the Services `<service>-primary` / `<service>-canary`, each
 *   with its own DestinationRule;
 * - `subsets` (Argo Rollouts' subset split): destinations are subsets `primary` / `canary` of the apex
 *   Service, declared by one DestinationRule with the pod labels of each side.
 *
 * Managed routes come first, in their order: header routes send matching requests to the canary;
 * mirror routes keep the weighted split and copy `percentage` % of the matching requests to the
 * canary. The weighted default route comes last and carries the global mirror, if any.
 *
 * @module
 */
import * as E from 'fp-ts/lib/Either.js'
import { describeValue, joinPath, specError, type SpecError } from '../model/errors.js'
import type { ManagedRoute, RequestMatch, StringMatch, Traffic } from '../model/traffic.js'
import { checkObjectName, isRecord, orErrors } from './checks.js'
import { objectMeta, type Manifest, type MetaExtras } from './manifest.js'
import { resolveNames, type RenderNames, type ResolvedNames } from './names.js'
import { anchoredRegex, cookieRegex } from './patterns.js'
import { conditionsOf, matchOf, trafficOf, type RenderSource } from './source.js'
import { guarded } from '../model/guard.js'

/**
 * Istio's string match (no suffix kind: suffixes become regular expressions).
 *
 * @example
 * ```ts
 * const m: IstioStringMatch = { regex: '^.*-beta$' }
 * ```
 * @category model
 */
export interface IstioStringMatch {
  readonly exact?: string
  readonly prefix?: string
  readonly regex?: string
}

/**
 * One Istio HTTPMatchRequest (conditions are ANDed; the list of them is ORed).
 *
 * @example
 * ```ts
 * const m: IstioMatchRequest = { headers: { 'x-canary': { exact: 'insider' } } }
 * ```
 * @category model
 */
export interface IstioMatchRequest {
  readonly headers?: Readonly<Record<string, IstioStringMatch>>
  readonly queryParams?: Readonly<Record<string, IstioStringMatch>>
}

/**
 * Where Istio sends a request: a host (Service), optionally a subset and a port.
 *
 * @example
 * ```ts
 * const d: IstioDestination = { host: 'podinfo-canary', port: { number: 9898 } }
 * ```
 * @category model
 */
export interface IstioDestination {
  readonly host: string
  readonly subset?: string
  readonly port?: { readonly number: number }
}

/**
 * One HTTP route of a VirtualService as rendered here.
 *
 * @example
 * ```ts
 * const r: IstioHttpRoute = { route: [{ destination: { host: 'podinfo-primary' }, weight: 100 }] }
 * ```
 * @category model
 */
export interface IstioHttpRoute {
  readonly name?: string
  readonly match?: readonly IstioMatchRequest[]
  readonly route: ReadonlyArray<{ readonly destination: IstioDestination; readonly weight: number }>
  readonly mirror?: IstioDestination
  readonly mirrorPercentage?: { readonly value: number }
}

/**
 * A rendered Istio VirtualService (`networking.istio.io/v1`).
 *
 * @example
 * ```ts
 * declare const vs: VirtualService
 * vs.spec.http.at(-1)?.route.map((d) => d.weight) // [80, 20]
 * ```
 * @category model
 */
export type VirtualService = Manifest<
  { readonly hosts: readonly string[]; readonly gateways?: readonly string[]; readonly http: readonly IstioHttpRoute[] },
  'VirtualService'
>

/**
 * A rendered Istio DestinationRule (`networking.istio.io/v1`).
 *
 * @example
 * ```ts
 * declare const dr: DestinationRule
 * dr.spec.host // 'podinfo-primary'
 * ```
 * @category model
 */
export type DestinationRule = Manifest<
  {
    readonly host: string
    readonly trafficPolicy?: Readonly<Record<string, unknown>>
    readonly subsets?: ReadonlyArray<{ readonly name: string; readonly labels: Readonly<Record<string, string>> }>
  },
  'DestinationRule'
>

/**
 * Options of the Istio renderer.
 *
 * - `destinations`: `'services'` (default, Flagger) or `'subsets'` (Argo Rollouts);
 * - `subsetLabels`: pod labels of each subset, required with `'subsets'`;
 * - `destinationRuleName`: name of the single DestinationRule with `'subsets'` (default: the apex Service);
 * - `trafficPolicy`: copied as is into every DestinationRule;
 * - `labels` / `annotations`: added to every object.
 *
 * @example
 * ```ts
 * const o: IstioOptions = {
 *   destinations: 'subsets',
 *   subsetLabels: { primary: { 'rollouts-pod-template-hash': 'abc' }, canary: { 'rollouts-pod-template-hash': 'def' } },
 * }
 * ```
 * @category model
 */
export interface IstioOptions extends MetaExtras {
  readonly destinations?: 'services' | 'subsets'
  readonly subsetLabels?: {
    readonly primary: Readonly<Record<string, string>>
    readonly canary: Readonly<Record<string, string>>
  }
  readonly destinationRuleName?: string
  readonly trafficPolicy?: Readonly<Record<string, unknown>>
}

/**
 * What `renderIstio` returns: the VirtualService and its DestinationRules.
 *
 * @example
 * ```ts
 * declare const objs: IstioObjects
 * const manifests = [objs.virtualService, ...objs.destinationRules]
 * ```
 * @category model
 */
export interface IstioObjects {
  readonly virtualService: VirtualService
  readonly destinationRules: readonly DestinationRule[]
}

const API_VERSION = 'networking.istio.io/v1'

const istioHeaderMatch = (m: StringMatch): IstioStringMatch => {
  const { kind, value } = matchOf(m)
  if (kind === 'exact') return { exact: value }
  if (kind === 'prefix') return { prefix: value }
  if (kind === 'regex') return { regex: value }
  return { regex: anchoredRegex({ kind, value }) }
}

// Istio query parameter matches support exact and regex only.
const istioQueryMatch = (m: StringMatch): IstioStringMatch => {
  const { kind, value } = matchOf(m)
  if (kind === 'exact') return { exact: value }
  if (kind === 'regex') return { regex: value }
  return { regex: anchoredRegex({ kind, value }) }
}

const istioMatch = (path: string, m: RequestMatch): E.Either<SpecError[], IstioMatchRequest> => {
  const headers: Record<string, IstioStringMatch> = {}
  for (const [name, sm] of conditionsOf(m, 'headers')) headers[name.toLowerCase()] = istioHeaderMatch(sm)
  const cookies = conditionsOf(m, 'cookies')
  if (cookies.length > 1)
    return E.left([specError(joinPath(path, 'cookies'), `Istio matches cookies through one regular expression on the cookie header, so one request match can test one cookie, got ${cookies.length}`)])
  const [cookie] = cookies
  if (cookie !== undefined) {
    if (headers.cookie !== undefined)
      return E.left([specError(joinPath(path, 'cookies'), 'a request match cannot test both a cookie and the cookie header: both become a match on the cookie header')])
    headers.cookie = { regex: cookieRegex(cookie[0], matchOf(cookie[1])) }
  }
  const query: Record<string, IstioStringMatch> = {}
  for (const [name, sm] of conditionsOf(m, 'queryParams')) query[name] = istioQueryMatch(sm)
  return E.right({
    ...(Object.keys(headers).length > 0 ? { headers } : {}),
    ...(Object.keys(query).length > 0 ? { queryParams: query } : {}),
  })
}

const routeMatches = (path: string, r: ManagedRoute): E.Either<SpecError[], IstioMatchRequest[]> => {
  const errors: SpecError[] = []
  const out: IstioMatchRequest[] = []
  r.match.forEach((m, i) => {
    const res = istioMatch(joinPath(joinPath(path, 'match'), i), m)
    if (E.isLeft(res)) errors.push(...res.left)
    else out.push(res.right)
  })
  return orErrors(errors, () => out)
}

const checkLabels = (path: string, labels: unknown): SpecError[] =>
  isRecord(labels) && Object.keys(labels).length > 0 && Object.values(labels).every((v) => typeof v === 'string')
    ? []
    : [specError(path, `expected a non-empty map of pod labels, got ${describeValue(labels)}`)]

const checkOptions = (o: IstioOptions): SpecError[] => {
  const errors: SpecError[] = []
  if (o.destinations !== undefined && o.destinations !== 'services' && o.destinations !== 'subsets')
    errors.push(specError('options.destinations', `expected "services" or "subsets", got ${describeValue(o.destinations)}`))
  if (o.destinations === 'subsets') {
    if (!isRecord(o.subsetLabels))
      errors.push(specError('options.subsetLabels', 'the subsets style needs the pod labels of the primary and canary subsets'))
    else {
      errors.push(...checkLabels('options.subsetLabels.primary', o.subsetLabels.primary))
      errors.push(...checkLabels('options.subsetLabels.canary', o.subsetLabels.canary))
    }
    if (o.destinationRuleName !== undefined) errors.push(...checkObjectName('options.destinationRuleName', o.destinationRuleName))
  }
  if (o.trafficPolicy !== undefined && !isRecord(o.trafficPolicy))
    errors.push(specError('options.trafficPolicy', `expected an object, got ${describeValue(o.trafficPolicy)}`))
  return errors
}

const build = (traffic: Traffic, n: ResolvedNames, o: IstioOptions): E.Either<SpecError[], IstioObjects> => {
  const subsets = o.destinations === 'subsets'
  const port = n.port !== undefined ? { port: { number: n.port } } : {}
  const primary: IstioDestination = subsets ? { host: n.service, subset: 'primary', ...port } : { host: n.primaryService, ...port }
  const canary: IstioDestination = subsets ? { host: n.service, subset: 'canary', ...port } : { host: n.canaryService, ...port }
  const split = [
    { destination: primary, weight: 100 - traffic.weight },
    { destination: canary, weight: traffic.weight },
  ]
  const errors: SpecError[] = []
  const managed: IstioHttpRoute[] = []
  traffic.routes.forEach((r, i) => {
    const matches = routeMatches(joinPath('traffic.routes', i), r)
    if (E.isLeft(matches)) return void errors.push(...matches.left)
    managed.push(
      r.kind === 'header'
        ? { name: r.name, match: matches.right, route: [{ destination: canary, weight: 100 }] }
        : { name: r.name, match: matches.right, route: split, mirror: canary, mirrorPercentage: { value: r.percentage ?? 100 } },
    )
  })
  const mirror = traffic.mirror !== undefined && traffic.mirror > 0 ? { mirror: canary, mirrorPercentage: { value: traffic.mirror } } : {}
  const extras = { ...(o.labels ? { labels: o.labels } : {}), ...(o.annotations ? { annotations: o.annotations } : {}) }
  const policy = o.trafficPolicy !== undefined ? { trafficPolicy: o.trafficPolicy } : {}
  const virtualService: VirtualService = {
    apiVersion: API_VERSION,
    kind: 'VirtualService',
    metadata: objectMeta(n.name, n.namespace, extras),
    spec: {
      hosts: n.hosts ?? [n.service],
      ...(n.gateways.length > 0 ? { gateways: n.gateways.map((g) => g.text) } : {}),
      http: [...managed, { route: split, ...mirror }],
    },
  }
  const rule = (name: string, spec: DestinationRule['spec']): DestinationRule => ({
    apiVersion: API_VERSION,
    kind: 'DestinationRule',
    metadata: objectMeta(name, n.namespace, extras),
    spec,
  })
  const destinationRules =
    subsets && o.subsetLabels !== undefined
      ? [
          rule(o.destinationRuleName ?? n.service, {
            host: n.service,
            ...policy,
            subsets: [
              { name: 'primary', labels: { ...o.subsetLabels.primary } },
              { name: 'canary', labels: { ...o.subsetLabels.canary } },
            ],
          }),
        ]
      : [rule(n.primaryService, { host: n.primaryService, ...policy }), rule(n.canaryService, { host: n.canaryService, ...policy })]
  return orErrors(errors, () => ({ virtualService, destinationRules }))
}

/**
 * Renders the Istio VirtualService and DestinationRules for an action or a `Traffic` value.
 * The weighted default route always lists the primary then the canary, with weights summing to 100.
 *
 * @example
 * ```ts
 * import * as E from 'fp-ts/lib/Either.js'
 * const r = renderIstio({ type: 'setWeight', weight: 20, routes: [] }, { name: 'podinfo', namespace: 'test' })
 * if (E.isRight(r)) r.right.virtualService.spec.http[0]?.route.map((d) => d.weight) // [80, 20]
 * ```
 * @category renderers
 */
export const renderIstio = guarded('renderIstio', (
  source: RenderSource,
  names: RenderNames,
  options: IstioOptions = {},
): E.Either<SpecError[], IstioObjects> => {
  const traffic = trafficOf(source)
  const resolved = resolveNames(names)
  const optionErrors = isRecord(options) ? checkOptions(options) : [specError('options', `expected an object, got ${describeValue(options)}`)]
  const errors = [
    ...(E.isLeft(traffic) ? traffic.left : []),
    ...(E.isLeft(resolved) ? resolved.left : []),
    ...optionErrors,
  ]
  if (errors.length > 0 || E.isLeft(traffic) || E.isLeft(resolved)) return E.left(errors)
  return build(traffic.right, resolved.right, options)
}, (m) => E.left([specError('', m)]))
