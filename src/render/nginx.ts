/**
 * NGINX ingress renderer: the canary Ingress `<base>-canary`, a copy of the caller's base Ingress
 * whose backends point at the canary Service, with ingress-nginx canary annotations (Flagger's
 * `nginx` provider):
 *
 * - `canary: "true"` and `canary-weight: "<weight>"` always;
 * - one header route with one condition: `canary-by-header` plus `canary-by-header-value` (exact) or
 *   `canary-by-header-pattern` (prefix / suffix / regex, anchored so the whole value must match, as
 *   with Istio); or `canary-by-cookie` for a cookie whose exact value is `always` (ingress-nginx only
 *   routes on that value).
 *
 * Everything else cannot be expressed by ingress-nginx canaries and gives a `Left` saying so: more
 * than one header route, several matches or conditions, query parameters, mirroring.
 *
 * @module
 */
import * as E from 'fp-ts/lib/Either.js'
import { describeValue, joinPath, specError, type SpecError } from '../model/errors.js'
import type { Traffic } from '../model/traffic.js'
import { checkObjectName, isRecord, orErrors } from './checks.js'
import { objectMeta, type Manifest, type MetaExtras } from './manifest.js'
import { resolveNames, type RenderNames, type ResolvedNames } from './names.js'
import { anchoredRegex } from './patterns.js'
import { conditionsOf, matchOf, trafficOf, type RenderSource } from './source.js'
import { guarded } from '../model/guard.js'

/**
 * The base Ingress the canary is cloned from (`networking.k8s.io/v1`), as parsed from YAML/JSON.
 *
 * @example
 * ```ts
 * const base: IngressManifest = {
 *   apiVersion: 'networking.k8s.io/v1', kind: 'Ingress',
 *   metadata: { name: 'podinfo', namespace: 'test' },
 *   spec: { ingressClassName: 'nginx', rules: [{ host: 'app.example.com', http: { paths: [
 *     { path: '/', pathType: 'Prefix', backend: { service: { name: 'podinfo', port: { number: 80 } } } }] } }] },
 * }
 * ```
 * @category model
 */
export interface IngressManifest {
  readonly apiVersion?: string
  readonly kind?: string
  readonly metadata: {
    readonly name: string
    readonly namespace?: string
    readonly labels?: Readonly<Record<string, string>>
    readonly annotations?: Readonly<Record<string, string>>
  }
  readonly spec: Readonly<Record<string, unknown>>
}

/**
 * The rendered canary Ingress.
 *
 * @example
 * ```ts
 * declare const ing: CanaryIngress
 * ing.metadata.annotations?.['nginx.ingress.kubernetes.io/canary-weight'] // '10'
 * ```
 * @category model
 */
export type CanaryIngress = Manifest<Readonly<Record<string, unknown>>, 'Ingress'>

/**
 * Options of the NGINX renderer: the annotation prefix (ingress-nginx `--annotations-prefix`,
 * default `nginx.ingress.kubernetes.io`) and extra labels / annotations.
 *
 * @example
 * ```ts
 * const o: NginxOptions = { annotationPrefix: 'nginx.ingress.kubernetes.io' }
 * ```
 * @category model
 */
export interface NginxOptions extends MetaExtras {
  readonly annotationPrefix?: string
}

const DEFAULT_PREFIX = 'nginx.ingress.kubernetes.io'

const canaryAnnotations = (traffic: Traffic, prefix: string): E.Either<SpecError[], Record<string, string>> => {
  const a = (key: string): string => `${prefix}/${key}`
  const out: Record<string, string> = { [a('canary')]: 'true', [a('canary-weight')]: String(traffic.weight) }
  const errors: SpecError[] = []
  if (traffic.mirror !== undefined && traffic.mirror > 0)
    errors.push(specError('traffic.mirror', 'an NGINX canary Ingress cannot mirror traffic'))
  traffic.routes.forEach((r, i) => {
    if (r.kind === 'mirror')
      errors.push(specError(joinPath('traffic.routes', i), `an NGINX canary Ingress cannot mirror traffic (mirror route "${r.name}")`))
  })
  const headerRoutes = traffic.routes.filter((r) => r.kind === 'header')
  if (headerRoutes.length > 1)
    errors.push(specError('traffic.routes', `an NGINX canary Ingress expresses at most one header route, got ${headerRoutes.length}`))
  const [route] = headerRoutes
  if (route !== undefined && headerRoutes.length === 1) {
    const path = joinPath('traffic.routes', traffic.routes.indexOf(route))
    const [match] = route.match
    if (route.match.length !== 1 || match === undefined)
      errors.push(specError(joinPath(path, 'match'), `an NGINX canary Ingress expresses one request match, got ${route.match.length}`))
    else {
      const mpath = joinPath(joinPath(path, 'match'), 0)
      const headers = conditionsOf(match, 'headers')
      const cookies = conditionsOf(match, 'cookies')
      const query = conditionsOf(match, 'queryParams')
      if (query.length > 0) errors.push(specError(joinPath(mpath, 'queryParams'), 'an NGINX canary Ingress cannot match query parameters'))
      else if (headers.length + cookies.length !== 1)
        errors.push(specError(mpath, `an NGINX canary Ingress expresses one header or one cookie condition, got ${headers.length + cookies.length}`))
      const [header] = headers
      const [cookie] = cookies
      if (header !== undefined && headers.length + cookies.length === 1) {
        const [name, sm] = header
        const m = matchOf(sm)
        out[a('canary-by-header')] = name
        if (m.kind === 'exact') {
          if (m.value.length === 0)
            errors.push(specError(joinPath(joinPath(mpath, 'headers'), name), 'an NGINX canary Ingress cannot match an empty header value'))
          out[a('canary-by-header-value')] = m.value
        } else out[a('canary-by-header-pattern')] = anchoredRegex(m)
      }
      if (cookie !== undefined && headers.length + cookies.length === 1) {
        const [name, sm] = cookie
        const m = matchOf(sm)
        if (m.kind !== 'exact' || m.value !== 'always')
          errors.push(specError(joinPath(joinPath(mpath, 'cookies'), name), `ingress-nginx routes on a cookie only when its value is exactly "always", got ${m.kind} ${describeValue(m.value)}`))
        out[a('canary-by-cookie')] = name
      }
    }
  }
  return orErrors(errors, () => out)
}

type Rewrite = { readonly value: unknown; readonly count: number }

const retarget = (backend: unknown, from: readonly string[], to: string): Rewrite => {
  if (!isRecord(backend) || !isRecord(backend.service) || typeof backend.service.name !== 'string' || !from.includes(backend.service.name))
    return { value: backend, count: 0 }
  return { value: { ...backend, service: { ...backend.service, name: to } }, count: 1 }
}

const retargetSpec = (spec: Readonly<Record<string, unknown>>, n: ResolvedNames): Rewrite => {
  const from = [n.service, n.primaryService]
  let count = 0
  const out: Record<string, unknown> = { ...spec }
  if (spec.defaultBackend !== undefined) {
    const r = retarget(spec.defaultBackend, from, n.canaryService)
    out.defaultBackend = r.value
    count += r.count
  }
  if (Array.isArray(spec.rules))
    out.rules = spec.rules.map((rule: unknown) => {
      if (!isRecord(rule) || !isRecord(rule.http) || !Array.isArray(rule.http.paths)) return rule
      return {
        ...rule,
        http: {
          ...rule.http,
          paths: rule.http.paths.map((p: unknown) => {
            if (!isRecord(p)) return p
            const r = retarget(p.backend, from, n.canaryService)
            count += r.count
            return r.count > 0 ? { ...p, backend: r.value } : p
          }),
        },
      }
    })
  return { value: out, count }
}

const checkBase = (base: unknown, n: ResolvedNames): SpecError[] => {
  if (!isRecord(base)) return [specError('base', `expected the base Ingress object, got ${describeValue(base)}`)]
  const errors: SpecError[] = []
  if (base.apiVersion !== undefined && base.apiVersion !== 'networking.k8s.io/v1')
    errors.push(specError('base.apiVersion', `expected networking.k8s.io/v1, got ${describeValue(base.apiVersion)}`))
  if (base.kind !== undefined && base.kind !== 'Ingress') errors.push(specError('base.kind', `expected Ingress, got ${describeValue(base.kind)}`))
  if (!isRecord(base.metadata)) errors.push(specError('base.metadata', `expected metadata, got ${describeValue(base.metadata)}`))
  else {
    const md = base.metadata
    errors.push(...checkObjectName('base.metadata.name', md.name))
    if (typeof md.name === 'string') errors.push(...checkObjectName('base.metadata.name', `${md.name}-canary`).map((e) => ({ ...e, message: `the canary Ingress name "${md.name}-canary" is too long or invalid` })))
    if (md.namespace !== undefined && md.namespace !== n.namespace)
      errors.push(specError('base.metadata.namespace', `the base Ingress is in ${describeValue(md.namespace)}, not in names.namespace "${n.namespace}"`))
    for (const field of ['labels', 'annotations'] as const) {
      const v = md[field]
      if (v !== undefined && !(isRecord(v) && Object.values(v).every((x) => typeof x === 'string')))
        errors.push(specError(joinPath('base.metadata', field), `expected a map of strings, got ${describeValue(v)}`))
    }
  }
  if (!isRecord(base.spec)) errors.push(specError('base.spec', `expected an Ingress spec, got ${describeValue(base.spec)}`))
  return errors
}

/**
 * Renders the NGINX canary Ingress for an action or a `Traffic` value from the caller's base Ingress.
 * Backends of the base that name the apex Service (or the primary Service) are pointed at the canary
 * Service; labels and non-canary annotations are kept; the input is not modified.
 *
 * @example
 * ```ts
 * import * as E from 'fp-ts/lib/Either.js'
 * declare const base: IngressManifest
 * const r = renderNginxCanary({ type: 'setWeight', weight: 10, routes: [] }, { name: 'podinfo', namespace: 'test' }, base)
 * if (E.isRight(r)) r.right.metadata.annotations // { 'nginx.ingress.kubernetes.io/canary': 'true', 'nginx.ingress.kubernetes.io/canary-weight': '10' }
 * ```
 * @category renderers
 */
export const renderNginxCanary = guarded('renderNginxCanary', (
  source: RenderSource,
  names: RenderNames,
  base: IngressManifest,
  options: NginxOptions = {},
): E.Either<SpecError[], CanaryIngress> => {
  const traffic = trafficOf(source)
  const resolved = resolveNames(names)
  const errors: SpecError[] = [...(E.isLeft(traffic) ? traffic.left : []), ...(E.isLeft(resolved) ? resolved.left : [])]
  if (!isRecord(options)) errors.push(specError('options', `expected an object, got ${describeValue(options)}`))
  const given: unknown = isRecord(options) ? options.annotationPrefix : undefined
  const prefix = typeof given === 'string' ? given : DEFAULT_PREFIX
  if (given !== undefined && !(typeof given === 'string' && /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/.test(given)))
    errors.push(specError('options.annotationPrefix', `expected a DNS-style annotation prefix, got ${describeValue(given)}`))
  if (E.isRight(resolved)) errors.push(...checkBase(base, resolved.right))
  const annotations = E.isRight(traffic) ? canaryAnnotations(traffic.right, prefix) : E.right({})
  if (E.isLeft(annotations)) errors.push(...annotations.left)
  if (errors.length > 0 || E.isLeft(resolved) || E.isLeft(annotations)) return E.left(errors)
  const n = resolved.right
  const spec = retargetSpec(base.spec, n)
  if (spec.count === 0)
    return E.left([specError('base.spec', `no backend of the base Ingress names the Service "${n.service}" or "${n.primaryService}", so there is nothing to point at "${n.canaryService}"`)])
  const kept = Object.fromEntries(Object.entries(base.metadata.annotations ?? {}).filter(([k]) => !k.startsWith(`${prefix}/canary`)))
  return E.right({
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata: objectMeta(`${base.metadata.name}-canary`, n.namespace, {
      labels: { ...(base.metadata.labels ?? {}), ...(options.labels ?? {}) },
      annotations: { ...kept, ...(options.annotations ?? {}), ...annotations.right },
    }),
    spec: spec.value as Readonly<Record<string, unknown>>,
  })
}, (m) => E.left([specError('', m)]))
