/**
 * The decision-quality benchmark's scenarios and traffic levels (docs/shared statistics.md section 5):
 * bad-event rate 1% -> 1% (H0), 1.5%, 2%, 5%; latency p99 +0%, +10%, +50% and a tail-only shift; at 1, 10 and
 * 100 requests/s per arm, equal split, heterogeneity ON, 60-minute horizon.
 *
 * @module
 */
import type { Regression } from '../src/testing/simulator.js'
import { exceedance } from '../src/testing/simulator.js'

/**
 * One benchmark scenario: which signal regresses and how.
 *
 * @example
 * ```ts
 * const s: Scenario = { id: 'err-2', signal: 'errors', label: '1% -> 2%', h0: false, regression: { at: 0, badRateMultiplier: 2 } }
 * ```
 */
export interface Scenario {
  readonly id: string
  readonly signal: 'errors' | 'latency'
  readonly label: string
  readonly h0: boolean
  readonly regression: Regression
}

/**
 * The headline scenarios.
 *
 * @example
 * ```ts
 * SCENARIOS.filter((s) => s.h0).length // 2
 * ```
 */
export const SCENARIOS: readonly Scenario[] = [
  { id: 'err-1', signal: 'errors', label: 'errors 1% -> 1% (H0)', h0: true, regression: { at: 0 } },
  { id: 'err-1.5', signal: 'errors', label: 'errors 1% -> 1.5%', h0: false, regression: { at: 0, badRateMultiplier: 1.5 } },
  { id: 'err-2', signal: 'errors', label: 'errors 1% -> 2%', h0: false, regression: { at: 0, badRateMultiplier: 2 } },
  { id: 'err-5', signal: 'errors', label: 'errors 1% -> 5%', h0: false, regression: { at: 0, badRateMultiplier: 5 } },
  { id: 'lat-0', signal: 'latency', label: 'latency p99 +0% (H0)', h0: true, regression: { at: 0 } },
  { id: 'lat-10', signal: 'latency', label: 'latency p99 +10%', h0: false, regression: { at: 0, latencyMultiplier: 1.1 } },
  { id: 'lat-50', signal: 'latency', label: 'latency p99 +50%', h0: false, regression: { at: 0, latencyMultiplier: 1.5 } },
  {
    id: 'lat-tail',
    signal: 'latency',
    label: 'latency tail-only (2% of requests 3x slower)',
    h0: false,
    regression: { at: 0, tail: { fraction: 0.02, multiplier: 3 } },
  },
]

/**
 * Requests per second per arm.
 *
 * @example
 * ```ts
 * RATES // [1, 10, 100]
 * ```
 */
export const RATES: readonly number[] = [1, 10, 100]

/**
 * Baseline bad-event rate.
 *
 * @example
 * ```ts
 * BASE_BAD_RATE * 2 // the 1% -> 2% canary
 * ```
 */
export const BASE_BAD_RATE = 0.01
/**
 * Baseline latency: lognormal median 100 ms, sigma 0.6 (p99 ≈ 404 ms).
 *
 * @example
 * ```ts
 * LATENCY.medianMs * Math.exp(2.3263 * LATENCY.sigma) // ≈ 404
 * ```
 */
export const LATENCY = { medianMs: 100, sigma: 0.6 } as const
/**
 * Horizon of one run.
 *
 * @example
 * ```ts
 * HORIZON_MS / 60_000 // 60 minutes
 * ```
 */
export const HORIZON_MS = 60 * 60_000
/**
 * Slot (and sequential check) length.
 *
 * @example
 * ```ts
 * HORIZON_MS / SLOT_MS // 360 windows per run
 * ```
 */
export const SLOT_MS = 10_000

/**
 * The canary's nominal bad-event rate in a scenario: its error rate, or for latency scenarios the share of
 * its requests above the primary's nominal p99 (the latency boundary).
 *
 * @example
 * ```ts
 * nominalCanaryRate(SCENARIOS[3]!) // 0.05
 * ```
 */
export const nominalCanaryRate = (s: Scenario): number => {
  if (s.signal === 'errors') return BASE_BAD_RATE * (s.regression.badRateMultiplier ?? 1)
  const boundary = LATENCY.medianMs * Math.exp(2.3263478740408408 * LATENCY.sigma)
  const mu = Math.log(LATENCY.medianMs) + Math.log(s.regression.latencyMultiplier ?? 1)
  return exceedance(boundary, mu, LATENCY.sigma, s.regression.tail?.fraction ?? 0, s.regression.tail?.multiplier ?? 1)
}
