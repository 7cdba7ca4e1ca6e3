/**
 * The adapter interfaces of the reference shell. `drive` owns the loop; these adapters own the I/O:
 * metrics, traffic routing, workloads, gates, the clock and persistence. Every adapter may fail
 * (reject or throw); `drive` turns failures into observations (a metrics outage is a `noData` sample,
 * a failed gate is a `deny`) and never crashes because of them.
 *
 * @module
 */
import type { RolloutSpec, GateSpec } from '../config/spec.js'
import type { Action, Need, PromoteAction, RollbackAction, SetWeightAction, SwitchAction } from '../engine/decision.js'
import type { GateAnswer, Sample } from '../model/observation.js'
import type { RolloutState } from '../engine/state.js'

/**
 * What every adapter call receives: the spec, the current state, the time of the call (from the
 * injected clock) and a signal that aborts when the call timed out or the drive was cancelled.
 *
 * @example
 * ```ts
 * const source: MetricsSource = {
 *   gather: async (needs, ctx) => needs.map((n) => ({ kind: 'noData', metric: n.metric, window: n.window, detail: `at ${ctx.now}` })),
 * }
 * ```
 * @category model
 */
export interface AdapterContext {
  readonly spec: RolloutSpec
  readonly state: RolloutState
  /** The injected clock's time when the call started (epoch ms). */
  readonly now: number
  /** Aborted on timeout or cancellation; pass it on to fetch and friends. */
  readonly signal: AbortSignal
}

/**
 * A metric need: what the engine wants measured, the window and the sample kind to answer with.
 *
 * @example
 * ```ts
 * const n: MetricNeed = { kind: 'metric', metric: 'errors', window: { from: 0, to: 60_000 }, sample: 'counts' }
 * ```
 * @category model
 */
export type MetricNeed = Extract<Need, { kind: 'metric' }>

/**
 * A gate need: the gate the engine wants run.
 *
 * @example
 * ```ts
 * const n: GateNeed = { kind: 'gate', gate: 'approve', type: 'confirm-promotion' }
 * ```
 * @category model
 */
export type GateNeed = Extract<Need, { kind: 'gate' }>

/**
 * Answers the engine's metric needs with samples. Return one sample per need (same `metric` and
 * `window`); a need left unanswered is filled with a `noData` sample by `drive`. A rejection or a
 * timeout becomes `noData` samples for every need, with the error text in `detail`.
 *
 * @example
 * ```ts
 * const constant: MetricsSource = {
 *   gather: async (needs) =>
 *     needs.map((n) => ({ kind: 'value', metric: n.metric, window: n.window, value: 99.9 })),
 * }
 * ```
 * @category adapters
 */
export interface MetricsSource {
  gather(needs: readonly MetricNeed[], ctx: AdapterContext): Promise<readonly Sample[]>
}

/**
 * The actions that change routing: `setWeight`, `rollback` (all traffic back to the primary, managed
 * routes and mirroring removed), `promote` (the primary now runs the new revision) and `switch`
 * (blue/green: point the active service at one side).
 *
 * @example
 * ```ts
 * const a: RoutingAction = { type: 'setWeight', weight: 20, routes: [] }
 * ```
 * @category model
 */
export type RoutingAction = SetWeightAction | RollbackAction | PromoteAction | SwitchAction

/**
 * Applies the routing of an action (a mesh VirtualService, an HTTPRoute, ingress annotations...).
 * Must be idempotent: a failed call is retried with the same action on the next loop.
 *
 * @example
 * ```ts
 * const printer: TrafficRouter = {
 *   apply: async (action) => { if (action.type === 'setWeight') console.log(`canary ${action.weight}%`) },
 * }
 * ```
 * @category adapters
 */
export interface TrafficRouter {
  apply(action: RoutingAction, ctx: AdapterContext): Promise<void>
}

/**
 * How many canary replicas to run:
 * - `zero`: scale the canary down (after rollback or promotion);
 * - `followWeight`: replicas proportional to the traffic `weight` (the default of a `setWeight`);
 * - `share`: a share (0..100) of the desired replicas (Argo `setCanaryScale.weight`);
 * - `replicas`: an absolute count (Argo `setCanaryScale.replicas`).
 *
 * @example
 * ```ts
 * const t: CanaryScaleTarget = { kind: 'followWeight', weight: 20 }
 * ```
 * @category model
 */
export type CanaryScaleTarget =
  | { readonly kind: 'zero' }
  | { readonly kind: 'followWeight'; readonly weight: number }
  | { readonly kind: 'share'; readonly weight: number }
  | { readonly kind: 'replicas'; readonly replicas: number }

/**
 * Readiness of the two workloads, and of the current experiment step's ReplicaSets (`experiment`: every
 * ReplicaSet the setWeight action's `experiment` field asked for is ready); an omitted field means "unknown" (the
 * engine keeps its last value).
 *
 * @example
 * ```ts
 * const r: Readiness = { canary: true, primary: true, experiment: true }
 * ```
 * @category model
 */
export interface Readiness {
  readonly canary?: boolean
  readonly primary?: boolean
  readonly experiment?: boolean
}

/**
 * The workloads: readiness, promotion (roll the primary to the new revision) and the canary's scale.
 * `revision` (optional) reports the desired canary revision, e.g. a pod-template hash; `drive` uses
 * `options.revision` when it is given instead.
 *
 * @example
 * ```ts
 * const fake: Workloads = {
 *   readiness: async () => ({ canary: true, primary: true }),
 *   promote: async (revision) => console.log(`primary now runs ${revision}`),
 *   scaleCanary: async (target) => console.log(`canary scale ${target.kind}`),
 * }
 * ```
 * @category adapters
 */
export interface Workloads {
  readiness(ctx: AdapterContext): Promise<Readiness>
  promote(revision: string, ctx: AdapterContext): Promise<void>
  scaleCanary(target: CanaryScaleTarget, ctx: AdapterContext): Promise<void>
  revision?(ctx: AdapterContext): Promise<string | undefined>
}

/**
 * Runs a gate the engine asked for (a webhook, a Slack approval, a change-freeze calendar...).
 * `gate` is the spec's gate of that name when there is one (with its url, timeout and metadata).
 * A rejection or timeout counts as `deny`.
 *
 * @example
 * ```ts
 * const alwaysApprove: Gates = { run: async () => 'approve' }
 * ```
 * @category adapters
 */
export interface Gates {
  run(need: GateNeed, gate: GateSpec | undefined, ctx: AdapterContext): Promise<GateAnswer>
}

/**
 * Time, injected so tests never sleep on the wall clock. `sleep` resolves after `ms` milliseconds, or
 * early (resolving, not rejecting) as soon as `signal` aborts.
 *
 * @example
 * ```ts
 * import { systemClock } from 'rollout-kernel/driver'
 * await systemClock.sleep(1000, AbortSignal.timeout(10))
 * ```
 * @category adapters
 */
export interface Clock {
  now(): number
  sleep(ms: number, signal?: AbortSignal): Promise<void>
}

/**
 * Stores the rollout state between runs: `save` receives the plain JSON value of `encodeState`,
 * `load` returns what was saved last (or `undefined` when nothing was). A controller keeps it in the
 * custom resource's status; a bot in a file or a ConfigMap.
 *
 * @example
 * ```ts
 * let saved: unknown
 * const memory: Persistence = { load: async () => saved, save: async (s) => { saved = s } }
 * ```
 * @category adapters
 */
export interface Persistence {
  load(): Promise<unknown>
  save(encoded: unknown): Promise<void>
}

/**
 * Everything `drive` talks to. Only `metrics`, `router`, `workloads` and `clock` are required;
 * without `gates` every gate is answered `deny` (and reported), without `persistence` nothing is saved.
 *
 * @example
 * ```ts
 * declare const metrics: MetricsSource, router: TrafficRouter, workloads: Workloads, clock: Clock
 * const adapters: Adapters = { metrics, router, workloads, clock }
 * ```
 * @category adapters
 */
export interface Adapters {
  readonly metrics: MetricsSource
  readonly router: TrafficRouter
  readonly workloads: Workloads
  readonly clock: Clock
  readonly gates?: Gates
  readonly persistence?: Persistence
}

/**
 * Whether an action changes routing (and so goes to the `TrafficRouter`).
 *
 * @example
 * ```ts
 * isRoutingAction({ type: 'hold' }) // false
 * isRoutingAction({ type: 'rollback', revision: 'v2' }) // true
 * ```
 * @category utils
 */
export const isRoutingAction = (action: Action): action is RoutingAction => {
  try {
    return action.type === 'setWeight' || action.type === 'rollback' || action.type === 'promote' || action.type === 'switch'
  } catch {
    // an action whose type cannot be read is not a routing action
    return false
  }
}
