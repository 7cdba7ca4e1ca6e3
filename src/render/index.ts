/**
 * `rollout-kernel/render`: pure renderers that turn the traffic part of an engine action into
 * manifests ready to apply (Istio VirtualService + DestinationRules, Gateway API HTTPRoute, SMI
 * TrafficSplit, NGINX canary Ingress), and the replica split for a canary without a router.
 * Nothing here reads a clock, draws random numbers or touches the file system; every function is
 * total and reports bad input as `Left<SpecError[]>`.
 *
 * @example
 * ```ts
 * import * as E from 'fp-ts/lib/Either.js'
 * import { renderIstio } from 'rollout-kernel/render'
 * const r = renderIstio({ type: 'setWeight', weight: 20, routes: [] }, { name: 'podinfo', namespace: 'test' })
 * if (E.isRight(r)) console.log(JSON.stringify([r.right.virtualService, ...r.right.destinationRules]))
 * ```
 * @packageDocumentation
 */
export { objectMeta, type Manifest, type MetaExtras, type ObjectMeta } from './manifest.js'
export { resolveNames, type GatewayName, type RenderNames, type ResolvedNames } from './names.js'
export { checkTraffic, conditionsOf, matchOf, routesOfKind, trafficOf, type MatchOf, type RenderSource } from './source.js'
export { anchoredRegex, cookieRegex, escapeRegex } from './patterns.js'
export {
  renderIstio,
  type DestinationRule,
  type IstioDestination,
  type IstioHttpRoute,
  type IstioMatchRequest,
  type IstioObjects,
  type IstioOptions,
  type IstioStringMatch,
  type VirtualService,
} from './istio.js'
export {
  mirrorShare,
  renderHTTPRoute,
  type GatewayApiOptions,
  type HTTPBackendRef,
  type HTTPRequestMirrorFilter,
  type HTTPRoute,
  type HTTPRouteMatch,
  type HTTPRouteParentRef,
  type HTTPRouteRule,
  type HTTPValueMatch,
} from './gatewayApi.js'
export { renderTrafficSplit, type SmiOptions, type SmiVersion, type TrafficSplit } from './smi.js'
export { renderNginxCanary, type CanaryIngress, type IngressManifest, type NginxOptions } from './nginx.js'
export { canaryReplicas, splitReplicas, type ReplicaSplit } from './replicas.js'
