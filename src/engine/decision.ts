/**
 * What the engine returns from `step`: the next state, an action for the caller, the reasons,
 * when to call again, what to gather next and what happened.
 *
 * @module
 */
import type { RolloutState } from './state.js'
import type { ManagedRoute, CanaryScale, ExperimentTraffic } from '../model/traffic.js'
import type { Sample, Window } from '../model/observation.js'
import type { Reason } from '../model/reason.js'
import type { RolloutEventType } from '../model/event.js'

// the closed lists of reason codes and event types live in src/model (one line to add one)
export type { Reason, ReasonCode } from '../model/reason.js'
export type { RolloutEventType } from '../model/event.js'

/**
 * Route `weight` % of live traffic to the canary (plus mirroring, managed routes and scale where used).
 * The fields describe the complete routing wanted now, so applying the action is idempotent.
 *
 * @example
 * ```ts
 * const a: SetWeightAction = { type: 'setWeight', weight: 10, routes: [] }
 * ```
 * @category model
 */
export interface SetWeightAction {
  readonly type: 'setWeight'
  readonly weight: number
  readonly mirror?: number
  readonly routes: readonly ManagedRoute[]
  readonly canaryScale?: CanaryScale
  /**
   * Pod counts for a caller without a mesh, when the spec names its `workload`: the canary's pods follow
   * the weight (Argo's basic canary rule) or the canary scale override; see docs/strategies.md.
   */
  readonly replicas?: { readonly canary: number; readonly stable: number }
  /** Blue/green: point the preview service at the new version (it gets no live traffic). Absent when false. */
  readonly preview?: boolean
  /**
   * The experiment ReplicaSets wanted now (an `experiment` step, docs/strategies.md): create one ReplicaSet
   * per template (the stable or the canary pod template, `replicas` pods, a name built from the experiment's
   * and the template's), report `ready.experiment: true` once all are ready, and, when `running`, route each
   * template's `weight` % of live traffic to it. Absent: remove any experiment ReplicaSets of this rollout
   * (as a `rollback`, `promote` or `finalize` action also means).
   */
  readonly experiment?: ExperimentTraffic
}

/**
 * Keep everything as it is.
 *
 * @example
 * ```ts
 * const a: HoldAction = { type: 'hold' }
 * ```
 * @category model
 */
export interface HoldAction {
  readonly type: 'hold'
}

/**
 * Make `revision` the stable version: roll the primary workload to it (Flagger copies the canary spec
 * to the primary; Argo marks the canary ReplicaSet stable). Traffic still at the canary is shifted back
 * by the following `setWeight` actions of the `promoting` phase.
 *
 * @example
 * ```ts
 * const a: PromoteAction = { type: 'promote', revision: 'v2' }
 * ```
 * @category model
 */
export interface PromoteAction {
  readonly type: 'promote'
  readonly revision: string
}

/**
 * Send all traffic to the primary (weight 0, managed routes and mirroring removed) and scale the canary
 * down. `revision` is the rejected one.
 *
 * @example
 * ```ts
 * const a: RollbackAction = { type: 'rollback', revision: 'v2' }
 * ```
 * @category model
 */
export interface RollbackAction {
  readonly type: 'rollback'
  readonly revision: string
}

/**
 * The rollout is done: scale the canary workload to zero (Flagger's Finalising).
 *
 * @example
 * ```ts
 * const a: FinalizeAction = { type: 'finalize', revision: 'v2' }
 * ```
 * @category model
 */
export interface FinalizeAction {
  readonly type: 'finalize'
  readonly revision: string
}

/**
 * Blue/green: point the active service at `to` (`'canary'` = the new version, `'primary'` = back to the
 * old one). Strategies other than blue/green never emit it.
 *
 * @example
 * ```ts
 * const a: SwitchAction = { type: 'switch', to: 'canary', revision: 'v2' }
 * ```
 * @category model
 */
export interface SwitchAction {
  readonly type: 'switch'
  readonly to: 'canary' | 'primary'
  readonly revision: string
}

/**
 * What the caller should do now, tagged by `type`.
 *
 * @example
 * ```ts
 * function apply(a: Action) { if (a.type === 'setWeight') console.log(a.weight) }
 * ```
 * @category model
 */
export type Action = SetWeightAction | HoldAction | PromoteAction | RollbackAction | FinalizeAction | SwitchAction

/**
 * Something the caller should gather before the next call.
 * - `metric`: answer with a sample of kind `sample` for `metric` covering `window`;
 * - `gate`: run the gate and answer in `observation.gates[gate]`;
 * - `readiness`: answer in `observation.ready`.
 *
 * @example
 * ```ts
 * const n: Need = { kind: 'metric', metric: 'errors', window: { from: 0, to: 60_000 }, sample: 'counts' }
 * ```
 * @category model
 */
export type Need =
  | {
      readonly kind: 'metric'
      readonly metric: string
      readonly window: Window
      readonly sample: Sample['kind']
      readonly query?: string
      /**
       * The metric is an analysis of the running experiment: measure it against the experiment's pods,
       * substituting `args` (e.g. `baseline-hash`, `canary-hash`) into the query.
       */
      readonly experiment?: { readonly name: string; readonly analysis: string; readonly args: Readonly<Record<string, string>> }
    }
  | { readonly kind: 'gate'; readonly gate: string; readonly type: string }
  | { readonly kind: 'readiness' }

/**
 * What happened in one step, for Slack, alerts and audit logs.
 *
 * @example
 * ```ts
 * const e: RolloutEvent = { type: 'rolledBack', severity: 'error', message: 'errors: relative risk 2.1 > 1.1 (e-value 143 >= 100)' }
 * ```
 * @category model
 */
export interface RolloutEvent {
  readonly type: RolloutEventType
  readonly severity: 'info' | 'warn' | 'error'
  readonly message: string
}

/**
 * The result of one `step`.
 *
 * @example
 * ```ts
 * declare const d: Decision
 * if (d.action.type === 'rollback') console.log(d.reasons.map((r) => r.message).join('; '))
 * ```
 * @category model
 */
export interface Decision {
  /** The next state: JSON-serialisable and bounded in size. */
  readonly state: RolloutState
  /** What the caller should do now. */
  readonly action: Action
  /** Why. */
  readonly reasons: readonly Reason[]
  /** Call `step` again no later than this (epoch ms); `null`: nothing to wait for. */
  readonly wakeAt: number | null
  /** What to gather before the next call. */
  readonly needs: readonly Need[]
  /** What happened in this step. */
  readonly events: readonly RolloutEvent[]
}
