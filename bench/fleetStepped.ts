/**
 * The README-style stepped canary driven through the real engine (`step()`), on the fleet streams: decode the
 * native spec (stepWeight 10, maxWeight 50, interval 1m, one sequential metric), answer every metric need
 * with the stream's counts over exactly the asked window (the canary's share following the weight the engine
 * set), call again at each `wakeAt`, and report when the engine promoted or rolled back. The no-blind-promotion
 * gate is the engine's own (src/engine/evidenceGate.ts), not a model of it.
 *
 * @module
 */
import * as E from 'fp-ts/lib/Either.js'
import { decodeSpec, initialState, step, type Observation, type RolloutSpec, type Sample } from '../src/index.js'
import type { FleetCondition } from './fleetStream.js'
import { FLEET_SLOT_MS, fleetRun } from './fleetStream.js'

/**
 * The README's canary: `detect` absent = the default (2); `'off'` = the steps alone decide (the blind promotion
 * the issue measured).
 *
 * @example
 * ```ts
 * steppedSpec('off').analysis.metrics[0]?.judge.kind // 'sequential'
 * ```
 */
export const steppedSpec = (detect?: number | 'off', evidenceTimeout = '30m'): RolloutSpec => {
  const r = decodeSpec({
    strategy: { canary: { stepWeight: 10, maxWeight: 50 } },
    analysis: { interval: '1m', evidenceTimeout, metrics: [{ name: 'errors', sequential: detect === undefined ? {} : { detect } }] },
  })
  if (E.isLeft(r)) throw new Error(`stepped spec does not decode: ${JSON.stringify(r.left)}`)
  return r.right
}

/**
 * One engine-driven run's outcome (ms from the start).
 *
 * @example
 * ```ts
 * const o: SteppedOutcome = { type: 'promote', atMs: 600_000, evidenceTimeout: false, withinTolerance: true }
 * ```
 */
export interface SteppedOutcome {
  readonly type: 'rollback' | 'promote' | 'none'
  readonly atMs: number
  /** The rollback (or promotion) came from the evidence timeout. */
  readonly evidenceTimeout: boolean
  /** The run's true fixed relative risk is within the metric's tolerance (bench/fleet.ts's honest false-rollback figure). */
  readonly withinTolerance: boolean
}

/**
 * Runs `spec` through `step()` on one fleet stream until it promotes, rolls back or `limitMs` passes.
 *
 * @example
 * ```ts
 * runSteppedEngine(steppedSpec(), { rate: 10, hetSd: 0.05, metrics: 1 }, 1, 0).type
 * ```
 */
export const runSteppedEngine = (spec: RolloutSpec, c: FleetCondition, seed: number, run: number, limitMs = 3 * 3_600_000): SteppedOutcome => {
  const stream = fleetRun(c, seed, run)
  const judge = spec.analysis.metrics[0]?.judge
  const tolerance = judge?.kind === 'sequential' ? judge.tolerance : 1
  const withinTolerance = stream.relativeRisks.every((r) => r <= tolerance)
  const ct: number[] = []
  const cb: number[] = []
  const pt: number[] = []
  const pb: number[] = []
  const ready = { canary: true, primary: true }
  let d = step(spec, initialState(spec, 0, { stable: 'v1' }), { at: 0, revision: 'v2', ready })
  while (d.wakeAt !== null && d.wakeAt <= limitMs) {
    if (d.action.type === 'promote') return { type: 'promote', atMs: d.state.at, evidenceTimeout: d.reasons.some((r) => r.code === 'evidenceTimeout'), withinTolerance }
    if (d.action.type === 'rollback') return { type: 'rollback', atMs: d.state.at, evidenceTimeout: d.reasons.some((r) => r.code === 'evidenceTimeout'), withinTolerance }
    const at = d.wakeAt
    // the slots up to now ran at the weight the last decision set
    const share = d.state.traffic.weight / 100
    while (ct.length * FLEET_SLOT_MS < at) {
      const w = stream.window(share)
      ct.push(w.canaryTotal)
      pt.push(w.primaryTotal)
      cb.push(w.canaryBad[0] ?? 0)
      pb.push(w.primaryBad[0] ?? 0)
    }
    const samples: Sample[] = []
    for (const n of d.needs) {
      if (n.kind !== 'metric' || n.window.to > at) continue
      const sum = (xs: readonly number[]): number => {
        let s = 0
        for (let k = Math.max(0, Math.floor(n.window.from / FLEET_SLOT_MS)); k < Math.ceil(n.window.to / FLEET_SLOT_MS) && k < xs.length; k++) s += xs[k] ?? 0
        return s
      }
      samples.push({ kind: 'counts', metric: n.metric, window: n.window, canary: { total: sum(ct), bad: sum(cb) }, primary: { total: sum(pt), bad: sum(pb) } })
    }
    const obs: Observation = { at, ready, ...(samples.length > 0 ? { samples } : {}) }
    d = step(spec, d.state, obs)
  }
  if (d.action.type === 'promote') return { type: 'promote', atMs: d.state.at, evidenceTimeout: d.reasons.some((r) => r.code === 'evidenceTimeout'), withinTolerance }
  if (d.action.type === 'rollback') return { type: 'rollback', atMs: d.state.at, evidenceTimeout: d.reasons.some((r) => r.code === 'evidenceTimeout'), withinTolerance }
  return { type: 'none', atMs: limitMs, evidenceTimeout: false, withinTolerance }
}
