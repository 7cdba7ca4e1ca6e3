/**
 * The state of a rollout that has seen nothing yet.
 *
 * @module
 */
import type { RolloutSpec } from '../config/spec.js'
import type { RolloutState } from './state.js'
import { noTraffic } from '../model/traffic.js'
import { guarded } from '../model/guard.js'

/**
 * Options for `initialState`.
 *
 * @example
 * ```ts
 * const o: InitialStateOptions = { stable: 'v1' }
 * ```
 * @category model
 */
export interface InitialStateOptions {
  /** The revision already running as the primary, if known; the next different revision is rolled out. */
  readonly stable?: string
}

/**
 * The state before the first observation. The first revision observed becomes the baseline (promoted
 * without analysis, as Flagger and Argo do on first deploy) unless `options.stable` names it already.
 *
 * @example
 * ```ts
 * import * as E from 'fp-ts/lib/Either.js'
 * import { decodeSpec } from './../config/decodeSpec.js'
 * const spec = decodeSpec({ strategy: { canary: { stepWeight: 10, maxWeight: 50 } } })
 * if (E.isRight(spec)) initialState(spec.right, Date.parse('2026-01-01T00:00:00Z')).phase // 'idle'
 * ```
 * @category constructors
 */
export const initialState = guarded('initialState', (_spec: RolloutSpec, at: number, options: InitialStateOptions = {}): RolloutState => ({
  v: 1,
  phase: options.stable !== undefined ? 'initialized' : 'idle',
  at: Number.isFinite(at) ? at : 0,
  revision: options.stable ?? null,
  stable: options.stable ?? null,
  startedAt: null,
  stepIndex: 0,
  stepStartedAt: null,
  stepPasses: 0,
  traffic: noTraffic,
  failedChecks: 0,
  consecutiveFailures: 0,
  noDataTicks: 0,
  inconclusiveTicks: 0,
  ticks: 0,
  nextTickAt: null,
  waitingSince: null,
  canaryReady: null,
  approved: [],
  paused: null,
  resumePhase: null,
  metrics: {},
  lastFailure: null,
}), (_m, f) => f(undefined as never, 0, {}))
