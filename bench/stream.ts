/**
 * One simulated run as a window stream: per-10 s slot counts of both arms, and per-minute latency quantiles
 * drawn lazily (only latency scenarios need them). Every method judges the SAME stream.
 *
 * @module
 */
import { deriveSeed } from '../src/testing/prng.js'
import type { Simulator } from '../src/testing/simulator.js'
import { createSimulator } from '../src/testing/simulator.js'
import type { Scenario } from './scenarios.js'
import { BASE_BAD_RATE, HORIZON_MS, LATENCY, SLOT_MS } from './scenarios.js'

/**
 * Slot-level columns of one run (index i covers [i * 10 s, (i + 1) * 10 s)).
 *
 * @example
 * ```ts
 * const s = makeStream(SCENARIOS[0]!, 10, 1, 0)
 * s.canaryTotal.length // 360
 * ```
 */
export interface Stream {
  readonly slots: number
  readonly canaryTotal: Int32Array
  /** Bad events of the scenario's signal: errors, or requests above the latency boundary. */
  readonly canaryBad: Int32Array
  readonly primaryTotal: Int32Array
  readonly primaryBad: Int32Array
  readonly sim: Simulator
}

/**
 * Draws one run of a scenario at `rate` req/s per arm.
 *
 * @example
 * ```ts
 * const s = makeStream(SCENARIOS[2]!, 10, 42, 7)
 * ```
 */
export const makeStream = (scenario: Scenario, rate: number, seed: number, run: number): Stream => {
  const sim = createSimulator(
    { traffic: { rate }, badRate: BASE_BAD_RATE, latency: LATENCY, regression: scenario.regression, slotMs: SLOT_MS },
    deriveSeed(seed, run),
  )
  const slots = HORIZON_MS / SLOT_MS
  const ct = new Int32Array(slots)
  const cb = new Int32Array(slots)
  const pt = new Int32Array(slots)
  const pb = new Int32Array(slots)
  const errors = scenario.signal === 'errors'
  for (let i = 0; i < slots; i++) {
    const w = sim.window(i * SLOT_MS, (i + 1) * SLOT_MS)
    ct[i] = w.canary.total
    pt[i] = w.primary.total
    cb[i] = errors ? w.canary.bad : w.canary.slow
    pb[i] = errors ? w.primary.bad : w.primary.slow
  }
  return { slots, canaryTotal: ct, canaryBad: cb, primaryTotal: pt, primaryBad: pb, sim }
}
