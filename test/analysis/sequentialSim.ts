/**
 * The calibration simulator of the sequential judge, shared by the seconds-scale CI calibration
 * (test/analysis/sequential.calibration.test.ts) and the full one (bench/sequential-calibration.ts): simulated
 * rollouts judged at EVERY 10-s window, the canary's share of traffic changing from window to window (uniform in
 * 0.05..0.5 unless fixed), per-window binomial draws, optionally retried-error clusters or a late onset.
 *
 * A run counts as a rollback when the rollback e-value first reaches 1 / alpha (the judge's rule, tied to
 * judgeSequential by a test in the calibration suite).
 *
 * @module
 */
import type { SequentialJudgeSpec } from '../../src/config/spec.js'
import { initialSequentialState, summariseSequential, updateSequential, type SequentialState } from '../../src/analysis/sequential.js'
import { makePrng } from '../helpers/prng.js'

/**
 * When the run first crossed each bound (window index), or null.
 *
 * @example
 * ```ts
 * const o: SimOutcome = { failedAt: null, passedAt: 12 }
 * ```
 */
export interface SimOutcome {
  readonly failedAt: number | null
  readonly passedAt: number | null
}

/**
 * Options of one simulated run.
 *
 * @example
 * ```ts
 * const o: SimOptions = { cluster: true, share: 0.5 }
 * ```
 */
export interface SimOptions {
  /** Bad events in clusters of mean size 3 (1 + Geometric), the bad-event rate kept. */
  readonly cluster?: boolean
  /** The canary's rate is the primary's before this window, `canaryRate` from it on. */
  readonly onset?: number
  /** A fixed canary share instead of the uniform 0.05..0.5 draw. */
  readonly share?: number
  /** Windows per run (360: an hour of 10-s windows). */
  readonly windows?: number
  readonly alpha?: number
}

/**
 * One rollout: `volume` requests per window split by the share q; bad-event rates per arm.
 *
 * @example
 * ```ts
 * simulateRun(1, 1.12, 0.05, 0.01, 200).failedAt !== null // a 5x regression is caught
 * ```
 */
export const simulateRun = (
  seed: number,
  tolerance: number,
  canaryRate: number,
  primaryRate: number,
  volume: number,
  options: SimOptions = {},
): SimOutcome => {
  const alpha = options.alpha ?? 0.01
  const windows = options.windows ?? 360
  const rng = makePrng(seed)
  const spec: SequentialJudgeSpec = { kind: 'sequential', alpha, tolerance, earlyPass: true, minBadEvents: 0 }
  let s: SequentialState = initialSequentialState(spec)
  let passedAt: number | null = null
  for (let w = 0; w < windows; w++) {
    const rate = options.onset !== undefined && w < options.onset ? primaryRate : canaryRate
    const q = options.share ?? 0.05 + 0.45 * rng.uniform()
    const ct = rng.binomial(volume, q)
    const pt = volume - ct
    const bad = (n: number, p: number): number => (options.cluster === true ? clustered(rng, n, p) : rng.binomial(n, p))
    s = updateSequential(s, { total: ct, bad: bad(ct, rate) }, { total: pt, bad: bad(pt, primaryRate) }, 10_000)
    const sum = summariseSequential(alpha, s)
    if (sum.eValue >= 1 / alpha) return { failedAt: w, passedAt }
    if (passedAt === null && sum.eValuePass >= 1 / alpha) passedAt = w
  }
  return { failedAt: null, passedAt }
}

/**
 * Bad events of `n` requests at rate p in clusters: starts at rate p / 3, sizes 1 + Geometric (mean 3).
 *
 * @example
 * ```ts
 * clustered(makePrng(1), 100, 0.01) // 0, or a cluster's size
 * ```
 */
export const clustered = (rng: ReturnType<typeof makePrng>, n: number, p: number): number => {
  let bad = 0
  const starts = rng.binomial(n, p / 3)
  for (let i = 0; i < starts; i++) {
    let size = 1
    while (rng.uniform() >= 1 / 3) size++
    bad += size
  }
  return Math.min(bad, n)
}

/**
 * Counts, over `runs` seeded runs from `seed0`, the false rollbacks and early passes.
 *
 * @example
 * ```ts
 * rates(10, 100, (seed) => simulateRun(seed, 1, 0.01, 0.01, 2000)).fails // 0 most likely
 * ```
 */
export const rates = (seed0: number, runs: number, run: (seed: number) => SimOutcome): { readonly fails: number; readonly passes: number; readonly failedAt: number[] } => {
  let fails = 0
  let passes = 0
  const failedAt: number[] = []
  for (let r = 0; r < runs; r++) {
    const o = run(seed0 + r)
    if (o.failedAt !== null) {
      fails++
      failedAt.push(o.failedAt)
    }
    if (o.passedAt !== null) passes++
  }
  return { fails, passes, failedAt }
}
