/**
 * SMI renderer: a TrafficSplit (`split.smi-spec.io`) that splits the apex Service between the primary
 * and canary Services by weight (Linkerd, OSM; Flagger's `smi` providers).
 *
 * A TrafficSplit carries weights only: managed header / mirror routes and mirroring cannot be
 * expressed (v1alpha3+ `matches` need separate HTTPRouteGroup objects), so they give a `Left`.
 *
 * @module
 */
import * as E from 'fp-ts/lib/Either.js'
import { describeValue, specError, type SpecError } from '../model/errors.js'
import { isRecord } from './checks.js'
import { objectMeta, type Manifest, type MetaExtras } from './manifest.js'
import { resolveNames, type RenderNames } from './names.js'
import { trafficOf, type RenderSource } from './source.js'
import { guarded } from '../model/guard.js'

/**
 * The TrafficSplit API versions rendered (the ones with a schema in the upstream CRD).
 *
 * @example
 * ```ts
 * const v: SmiVersion = 'v1alpha2'
 * ```
 * @category model
 */
export type SmiVersion = 'v1alpha2' | 'v1alpha3' | 'v1alpha4'

const VERSIONS: readonly SmiVersion[] = ['v1alpha2', 'v1alpha3', 'v1alpha4']

/**
 * A rendered SMI TrafficSplit.
 *
 * @example
 * ```ts
 * declare const ts: TrafficSplit
 * ts.spec.backends.map((b) => b.weight) // [90, 10]
 * ```
 * @category model
 */
export type TrafficSplit = Manifest<
  { readonly service: string; readonly backends: ReadonlyArray<{ readonly service: string; readonly weight: number }> },
  'TrafficSplit'
>

/**
 * Options of the SMI renderer: the API version (default `v1alpha4`, the served version of the
 * upstream CRD; Linkerd's SMI extension serves `v1alpha2`) and labels / annotations.
 *
 * @example
 * ```ts
 * const o: SmiOptions = { version: 'v1alpha2' }
 * ```
 * @category model
 */
export interface SmiOptions extends MetaExtras {
  readonly version?: SmiVersion
}

/**
 * Renders the TrafficSplit for an action or a `Traffic` value: backends primary then canary, weights
 * summing to 100, apex Service `names.service` (default `names.name`).
 *
 * @example
 * ```ts
 * import * as E from 'fp-ts/lib/Either.js'
 * const r = renderTrafficSplit({ type: 'setWeight', weight: 10, routes: [] }, { name: 'podinfo', namespace: 'test' })
 * if (E.isRight(r)) r.right.spec.backends // [{ service: 'podinfo-primary', weight: 90 }, { service: 'podinfo-canary', weight: 10 }]
 * ```
 * @category renderers
 */
export const renderTrafficSplit = guarded('renderTrafficSplit', (
  source: RenderSource,
  names: RenderNames,
  options: SmiOptions = {},
): E.Either<SpecError[], TrafficSplit> => {
  const traffic = trafficOf(source)
  const resolved = resolveNames(names)
  const errors: SpecError[] = [...(E.isLeft(traffic) ? traffic.left : []), ...(E.isLeft(resolved) ? resolved.left : [])]
  if (!isRecord(options)) errors.push(specError('options', `expected an object, got ${describeValue(options)}`))
  else if (options.version !== undefined && !VERSIONS.includes(options.version as SmiVersion))
    errors.push(specError('options.version', `expected one of ${VERSIONS.join(', ')}, got ${describeValue(options.version)}`))
  if (E.isRight(traffic)) {
    if (traffic.right.routes.length > 0)
      errors.push(specError('traffic.routes', `an SMI TrafficSplit carries weights only and cannot express managed header or mirror routes (got ${traffic.right.routes.length})`))
    if (traffic.right.mirror !== undefined && traffic.right.mirror > 0)
      errors.push(specError('traffic.mirror', 'an SMI TrafficSplit cannot mirror traffic'))
  }
  if (errors.length > 0 || E.isLeft(traffic) || E.isLeft(resolved)) return E.left(errors)
  const n = resolved.right
  const w = traffic.right.weight
  return E.right({
    apiVersion: `split.smi-spec.io/${options.version ?? 'v1alpha4'}`,
    kind: 'TrafficSplit',
    metadata: objectMeta(n.name, n.namespace, options),
    spec: {
      service: n.service,
      backends: [
        { service: n.primaryService, weight: 100 - w },
        { service: n.canaryService, weight: w },
      ],
    },
  })
}, (m) => E.left([specError('', m)]))
