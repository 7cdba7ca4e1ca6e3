/**
 * The routing a rollout wants: canary weight, mirroring, managed header / mirror routes and the
 * canary's replica scale. Plain data, rendered into mesh objects by `rollout-kernel/render`.
 *
 * @module
 */

/**
 * How to compare a string (a header or cookie value). Exactly one field is set.
 *
 * @example
 * ```ts
 * const m: StringMatch = { prefix: 'beta-' }
 * ```
 * @category model
 */
export interface StringMatch {
  readonly exact?: string
  readonly prefix?: string
  readonly suffix?: string
  readonly regex?: string
}

/**
 * A request match (all listed conditions must hold): headers, cookies and query parameters.
 *
 * @example
 * ```ts
 * const m: RequestMatch = { headers: { 'x-canary': { exact: 'insider' } } }
 * ```
 * @category model
 */
export interface RequestMatch {
  readonly headers?: Readonly<Record<string, StringMatch>>
  readonly cookies?: Readonly<Record<string, StringMatch>>
  readonly queryParams?: Readonly<Record<string, StringMatch>>
}

/**
 * A named route managed by the rollout (Argo `setHeaderRoute` / `setMirrorRoute`, Flagger A/B `match`).
 * `header` routes send matching requests to the canary; `mirror` routes copy `percentage` % of the
 * matching requests to the canary. Managed routes are removed on promotion and on rollback.
 *
 * @example
 * ```ts
 * const r: ManagedRoute = { name: 'beta', kind: 'header', match: [{ headers: { 'x-beta': { exact: 'yes' } } }] }
 * ```
 * @category model
 */
export interface ManagedRoute {
  readonly name: string
  readonly kind: 'header' | 'mirror'
  readonly match: readonly RequestMatch[]
  /** Mirror routes only: share (0..100) of matching requests copied to the canary. */
  readonly percentage?: number
}

/**
 * Replica override for the canary (Argo `setCanaryScale`): a share of the desired replicas, an absolute
 * count, or (when absent) replicas that follow the traffic weight.
 *
 * @example
 * ```ts
 * const s: CanaryScale = { weight: 25 }
 * ```
 * @category model
 */
export interface CanaryScale {
  readonly weight?: number
  readonly replicas?: number
}

/**
 * The experiment ReplicaSets a rollout wants right now (an `experiment` step): the caller creates one
 * ReplicaSet per template (the stable or the canary pod template, `replicas` pods) and, once they are
 * ready (`running`), routes each template's `weight` % of live traffic to it (traffic routing only; the
 * share comes out of the stable's). Absent: no experiment; the caller removes any it created.
 *
 * @example
 * ```ts
 * const e: ExperimentTraffic = { name: 'bvc', templates: [{ name: 'baseline', specRef: 'stable', replicas: 1 }] }
 * ```
 * @category model
 */
export interface ExperimentTraffic {
  readonly name: string
  readonly templates: readonly { readonly name: string; readonly specRef: 'stable' | 'canary'; readonly replicas: number; readonly weight?: number }[]
  /** Every ReplicaSet was reported ready: the experiment runs (its analyses are measured, its weights routed). */
  readonly running?: true
}

/**
 * The whole routing the rollout wants right now. Applying it is idempotent.
 *
 * @example
 * ```ts
 * const t: Traffic = { weight: 20, routes: [] }
 * ```
 * @category model
 */
export interface Traffic {
  /** Share of live traffic (0..100) that goes to the canary. */
  readonly weight: number
  /** Traffic mirroring to the canary (shadowing): share 0..100 of the primary's requests copied. */
  readonly mirror?: number
  /** Managed header and mirror routes, in the order they were set. */
  readonly routes: readonly ManagedRoute[]
  /** Canary replica override; absent means replicas follow `weight`. */
  readonly canaryScale?: CanaryScale
  /**
   * Blue/green preview: the new version is up and reachable only through the preview service (no live
   * traffic unless mirrored). Absent when false.
   */
  readonly preview?: boolean
  /** The experiment ReplicaSets wanted now (an `experiment` step); absent when none. */
  readonly experiment?: ExperimentTraffic
}

/**
 * No canary traffic at all: weight 0, no mirror, no routes.
 *
 * @example
 * ```ts
 * noTraffic.weight // 0
 * ```
 * @category constructors
 */
export const noTraffic: Traffic = { weight: 0, routes: [] }
