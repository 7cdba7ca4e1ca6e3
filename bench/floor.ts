/**
 * The floor for engine speed: a minimal hand-written reducer for the same threshold canary (stepWeight 10,
 * maxWeight 50, one metric with min 99, threshold 5 cumulative failures, 1-min interval). It does only what the
 * decision needs: no validation, no reasons, no events, no needs.
 *
 * @module
 */

/**
 * The floor reducer's state.
 *
 * @example
 * ```ts
 * const s: FloorState = { phase: 0, weight: 0, fails: 0, nextTickAt: 60_000, lastTo: 0 }
 * ```
 */
export interface FloorState {
  readonly phase: number // 0 progressing, 1 promoting, 2 succeeded, 3 failed
  readonly weight: number
  readonly fails: number
  readonly nextTickAt: number
  readonly lastTo: number
}

/**
 * One step of the floor reducer over a single value sample.
 *
 * @example
 * ```ts
 * floorStep({ phase: 0, weight: 10, fails: 0, nextTickAt: 60_000, lastTo: 0 }, 60_000, 99.5, 60_000)
 * ```
 */
export const floorStep = (s: FloorState, at: number, value: number, windowTo: number): { state: FloorState; action: number; weight: number } => {
  if (s.phase >= 2 || at < s.nextTickAt || windowTo <= s.lastTo) return { state: s, action: 0, weight: s.weight }
  if (s.phase === 1) return { state: { ...s, phase: 2, weight: 0 }, action: 2, weight: 0 }
  if (Number.isNaN(value) || value < 99) {
    const fails = s.fails + 1
    if (fails >= 5) return { state: { ...s, phase: 3, weight: 0, fails }, action: 3, weight: 0 }
    return { state: { ...s, fails, nextTickAt: at + 60_000, lastTo: windowTo }, action: 0, weight: s.weight }
  }
  if (s.weight >= 50) return { state: { ...s, phase: 1, nextTickAt: at + 60_000, lastTo: windowTo }, action: 2, weight: s.weight }
  const weight = s.weight + 10
  return { state: { ...s, weight, nextTickAt: at + 60_000, lastTo: windowTo }, action: 1, weight }
}
