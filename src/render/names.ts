/**
 * The names a renderer needs besides the traffic: the rollout's name and namespace, the apex Service,
 * the hosts, the port and the gateways. Defaults follow Flagger: Services `<name>-primary` and
 * `<name>-canary` beside the apex Service `<name>`.
 *
 * @module
 */
import * as E from 'fp-ts/lib/Either.js'
import { describeValue, joinPath, specError, type SpecError } from '../model/errors.js'
import { checkNamespace, checkObjectName, checkServiceName, isDnsLabel, isDnsSubdomain, isRecord, orErrors } from './checks.js'
import { guarded } from '../model/guard.js'

/**
 * What the caller tells a renderer about the workload.
 *
 * - `name`: the rollout name, used for the VirtualService / HTTPRoute / TrafficSplit objects;
 * - `service`: the apex Service that clients call (default `name`);
 * - `primaryService` / `canaryService`: default `<service>-primary` / `<service>-canary`;
 * - `hosts`: Istio VirtualService hosts (default `[service]`) and Gateway API hostnames (default none);
 * - `port`: the Service port (required by Gateway API backendRefs, optional for Istio);
 * - `gateways`: Istio gateway names and Gateway API parents, `"name"` or `"namespace/name"`.
 *
 * @example
 * ```ts
 * const n: RenderNames = { name: 'podinfo', namespace: 'test', port: 9898, gateways: ['istio-system/public'] }
 * ```
 * @category model
 */
export interface RenderNames {
  readonly name: string
  readonly namespace: string
  readonly service?: string
  readonly hosts?: readonly string[]
  readonly port?: number
  readonly primaryService?: string
  readonly canaryService?: string
  readonly gateways?: readonly string[]
}

/**
 * A gateway reference split into its parts.
 *
 * @example
 * ```ts
 * const g: GatewayName = { name: 'public', namespace: 'istio-system', text: 'istio-system/public' }
 * ```
 * @category model
 */
export interface GatewayName {
  readonly name: string
  readonly namespace?: string
  /** As the caller wrote it (Istio uses this string as is). */
  readonly text: string
}

/**
 * `RenderNames` after validation, with every default filled in.
 *
 * @example
 * ```ts
 * declare const r: ResolvedNames
 * r.canaryService // 'podinfo-canary'
 * ```
 * @category model
 */
export interface ResolvedNames {
  readonly name: string
  readonly namespace: string
  readonly service: string
  readonly hosts: readonly string[] | undefined
  readonly port: number | undefined
  readonly primaryService: string
  readonly canaryService: string
  readonly gateways: readonly GatewayName[]
}

const parseGateway = (path: string, g: unknown): E.Either<SpecError, GatewayName> => {
  if (typeof g !== 'string') return E.left(specError(path, `expected a gateway name, got ${describeValue(g)}`))
  const parts = g.split('/')
  const [a, b] = parts
  if (parts.length === 1 && a !== undefined && isDnsSubdomain(a)) return E.right({ name: a, text: g })
  if (parts.length === 2 && a !== undefined && b !== undefined && isDnsLabel(a) && isDnsSubdomain(b))
    return E.right({ name: b, namespace: a, text: g })
  return E.left(specError(path, `expected "name" or "namespace/name" with Kubernetes names, got ${describeValue(g)}`))
}

/**
 * Validates `RenderNames` and fills in the defaults. Errors carry paths under `names.`.
 *
 * @example
 * ```ts
 * resolveNames({ name: 'podinfo', namespace: 'test' })
 * // right({ name: 'podinfo', namespace: 'test', service: 'podinfo', primaryService: 'podinfo-primary',
 * //         canaryService: 'podinfo-canary', hosts: undefined, port: undefined, gateways: [] })
 * resolveNames({ name: '', namespace: 'test' }) // left([{ path: 'names.name', message: ... }])
 * ```
 * @category constructors
 */
export const resolveNames = guarded('resolveNames', (names: RenderNames): E.Either<SpecError[], ResolvedNames> => {
  if (!isRecord(names)) return E.left([specError('names', `expected an object, got ${describeValue(names)}`)])
  const errors: SpecError[] = [
    ...checkObjectName('names.name', names.name),
    ...checkNamespace('names.namespace', names.namespace),
  ]
  const service = names.service ?? names.name
  errors.push(...checkServiceName(names.service === undefined ? 'names.name' : 'names.service', service))
  const primaryService = names.primaryService ?? `${String(service)}-primary`
  const canaryService = names.canaryService ?? `${String(service)}-canary`
  errors.push(...checkServiceName('names.primaryService', primaryService))
  errors.push(...checkServiceName('names.canaryService', canaryService))
  if (primaryService === canaryService)
    errors.push(specError('names.canaryService', `the canary Service must differ from the primary Service ("${primaryService}")`))
  const port: unknown = names.port
  if (port !== undefined && !(typeof port === 'number' && Number.isInteger(port) && port >= 1 && port <= 65535))
    errors.push(specError('names.port', `expected a port number in 1..65535, got ${describeValue(port)}`))
  const hosts: unknown = names.hosts
  if (hosts !== undefined) {
    if (!Array.isArray(hosts) || hosts.length === 0)
      errors.push(specError('names.hosts', `expected a non-empty list of host names, got ${describeValue(hosts)}`))
    else
      hosts.forEach((h: unknown, i) => {
        if (typeof h !== 'string' || h.length === 0 || /\s/.test(h))
          errors.push(specError(joinPath('names.hosts', i), `expected a host name, got ${describeValue(h)}`))
      })
  }
  const gatewaysIn: unknown = names.gateways
  const gateways: GatewayName[] = []
  if (gatewaysIn !== undefined) {
    if (!Array.isArray(gatewaysIn))
      errors.push(specError('names.gateways', `expected a list of gateway names, got ${describeValue(gatewaysIn)}`))
    else
      gatewaysIn.forEach((g: unknown, i) => {
        const path = joinPath('names.gateways', i)
        const parsed = parseGateway(path, g)
        if (E.isLeft(parsed)) errors.push(parsed.left)
        else if (gateways.some((x) => x.name === parsed.right.name && x.namespace === parsed.right.namespace))
          errors.push(specError(path, `gateway ${describeValue(g)} is listed twice`))
        else gateways.push(parsed.right)
      })
  }
  return orErrors(errors, () => ({
    name: names.name,
    namespace: names.namespace,
    service: service,
    hosts: names.hosts === undefined ? undefined : [...names.hosts],
    port: names.port,
    primaryService,
    canaryService,
    gateways,
  }))
}, (m) => E.left([specError('', m)]))
