/**
 * The shape shared by every rendered object: a Kubernetes manifest with `apiVersion`, `kind`,
 * `metadata` and `spec`, as plain JSON-serialisable data ready to apply.
 *
 * @module
 */
import { guarded } from '../model/guard.js'

/**
 * Object metadata written by the renderers: name, namespace and optional labels / annotations.
 *
 * @example
 * ```ts
 * const m: ObjectMeta = { name: 'podinfo', namespace: 'test' }
 * ```
 * @category model
 */
export interface ObjectMeta {
  readonly name: string
  readonly namespace: string
  readonly labels?: Readonly<Record<string, string>>
  readonly annotations?: Readonly<Record<string, string>>
}

/**
 * A Kubernetes object as plain data, generic in its `spec`.
 *
 * @example
 * ```ts
 * const o: Manifest<{ hosts: string[] }> = {
 *   apiVersion: 'networking.istio.io/v1',
 *   kind: 'VirtualService',
 *   metadata: { name: 'podinfo', namespace: 'test' },
 *   spec: { hosts: ['podinfo'] },
 * }
 * ```
 * @category model
 */
export interface Manifest<Spec, Kind extends string = string> {
  readonly apiVersion: string
  readonly kind: Kind
  readonly metadata: ObjectMeta
  readonly spec: Spec
}

/**
 * Labels and annotations a caller wants on every rendered object (for ownership, GitOps tooling, ...).
 *
 * @example
 * ```ts
 * const extra: MetaExtras = { labels: { 'app.kubernetes.io/managed-by': 'rollout-kernel' } }
 * ```
 * @category model
 */
export interface MetaExtras {
  readonly labels?: Readonly<Record<string, string>>
  readonly annotations?: Readonly<Record<string, string>>
}

/**
 * Builds `metadata`, adding labels / annotations only when there are some (so objects stay minimal).
 *
 * @example
 * ```ts
 * objectMeta('podinfo', 'test', { labels: { team: 'a' } })
 * // { name: 'podinfo', namespace: 'test', labels: { team: 'a' } }
 * ```
 * @category constructors
 */
export const objectMeta = guarded('objectMeta', (name: string, namespace: string, extras: MetaExtras = {}): ObjectMeta => ({
  name,
  namespace,
  ...(extras.labels !== undefined && Object.keys(extras.labels).length > 0 ? { labels: { ...extras.labels } } : {}),
  ...(extras.annotations !== undefined && Object.keys(extras.annotations).length > 0
    ? { annotations: { ...extras.annotations } }
    : {}),
}), () => ({ name: '', namespace: '' }))
