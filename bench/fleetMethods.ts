/**
 * The judges compared on fleet streams (bench/fleetStream.ts), each a per-run state machine fed one window
 * (per metric) at a time:
 * - `default`: the project's sequential judge (`judgeSequential`), alpha split over the rollout's metrics;
 * - `shipped`: the judge as shipped before issue 12 (bench/legacy), alpha per metric;
 * - `netflix`: the Lindon & Malek / Netflix canary test as published: exact equality of the two arms' rates,
 *   conditional on the events each is the canary's with probability equal to its share of requests, conjugate
 *   Beta (two-arm Dirichlet) mixture; Bayes factor against the null, rollback at 1 / alpha (alpha split too).
 *
 * @module
 */
import type { SequentialJudgeSpec } from '../src/config/spec.js'
import { judgeSequential } from '../src/analysis/sequential.js'
import { judgeSequential as judgeShipped } from './legacy/sequential.js'
import { logGamma } from '../src/testing/distributions.js'

/**
 * A judge of one metric over one run.
 *
 * @example
 * ```ts
 * declare const j: MetricJudge
 * j.window(100, 1, 100, 2, 10_000, 0) // 'pass' | 'fail' | 'promote'
 * ```
 */
export interface MetricJudge {
  /** Feeds one window; returns `fail` (rollback), `promote` (an early pass) or `pass` (carry on). */
  readonly window: (ct: number, cb: number, pt: number, pb: number, fromMs: number, toMs: number) => 'pass' | 'fail' | 'promote'
  /** The judge's state (for the no-blind-promotion check), when it is the project's judge. */
  readonly state: () => unknown
}

/**
 * A method: makes one judge per metric for a rollout with `metrics` metrics.
 *
 * @example
 * ```ts
 * FLEET_METHODS[0]!.make(3)
 * ```
 */
export interface FleetMethod {
  readonly id: string
  readonly label: string
  readonly make: (metrics: number, earlyPass: boolean) => MetricJudge
}

const ALPHA = 0.01

const projectJudge = (judge: typeof judgeSequential, alpha: number, earlyPass: boolean): MetricJudge => {
  const spec: SequentialJudgeSpec = { kind: 'sequential', alpha, tolerance: 1.12, earlyPass, minBadEvents: 0 }
  let state: unknown = null
  return {
    window: (ct, cb, pt, pb, from, to) => {
      if (ct + pt === 0) return 'pass'
      const j = judge('m', spec, state, { kind: 'counts', metric: 'm', window: { from, to }, canary: { total: ct, bad: cb }, primary: { total: pt, bad: pb } })
      state = j.judgeState
      return j.final === 'fail' || j.verdict === 'fail' ? 'fail' : j.final === 'pass' ? 'promote' : 'pass'
    },
    state: () => state,
  }
}

/** Prior concentration of the Netflix-style Beta mixture: Beta(K q, K (1 - q)) around the null share. */
export const NETFLIX_CONCENTRATION = 100

/**
 * The Netflix-style test on one metric: with the canary's share q fixed by design (equal split, q = 1/2),
 * the Bayes factor of the Beta(K q, K (1 - q)) mixture against the point null q is
 * `B(Kq + c, K(1-q) + b) / B(Kq, K(1-q)) / (q^c (1-q)^b)`; rollback when it reaches 1 / alpha.
 */
const netflix = (alpha: number): MetricJudge => {
  let c = 0
  let b = 0
  // the design share of an equal split (the allocation is known to the experimenter)
  const q = 0.5
  const lbeta = (x: number, y: number): number => logGamma(x) + logGamma(y) - logGamma(x + y)
  const threshold = Math.log(1 / alpha)
  return {
    window: (ct, cb, pt, pb) => {
      if (ct + pt === 0) return 'pass'
      c += cb
      b += pb
      const a0 = NETFLIX_CONCENTRATION * q
      const b0 = NETFLIX_CONCENTRATION * (1 - q)
      const logBf = lbeta(a0 + c, b0 + b) - lbeta(a0, b0) - c * Math.log(q) - b * Math.log(1 - q)
      // one-sided use: only a canary worse than the primary rolls back
      return logBf >= threshold && c / Math.max(1, c + b) > q ? 'fail' : 'pass'
    },
    state: () => null,
  }
}

/**
 * The line-up.
 *
 * @example
 * ```ts
 * FLEET_METHODS.map((m) => m.id) // ['default', 'shipped', 'netflix']
 * ```
 */
export const FLEET_METHODS: readonly FleetMethod[] = [
  { id: 'default', label: 'sequential (default: tempered, e-detector, alpha per rollout)', make: (m, ep) => projectJudge(judgeSequential, ALPHA / m, ep) },
  { id: 'shipped', label: 'sequential as shipped (alpha per metric)', make: (_m, ep) => projectJudge(judgeShipped as unknown as typeof judgeSequential, ALPHA, ep) },
  { id: 'netflix', label: 'Netflix-style count test (Lindon & Malek; exact equality)', make: (m) => netflix(ALPHA / m) },
]
