/**
 * How far a sequential metric's evidence is from ruling out `detect`, in words an operator can act on:
 * the observed traffic per arm, the bad events still needed and the time that takes at the observed rate
 * (docs/evidence.md). A planning figure read off the judge's sufficient statistics, never a bound.
 *
 * @module
 */
import type { SequentialState } from '../analysis/sequential.js'
import { ruleOut, ruleOutTest, type RuleOut } from '../analysis/sequentialDetect.js'

/**
 * The estimate for one metric.
 *
 * @example
 * ```ts
 * const e: EvidenceEstimate = {
 *   ruleOut: { ruledOut: false, against: 2, eValue: 3, moreBadEvents: 60, moreWindows: 5 },
 *   perArmRate: 3, badRate: 0.06, moreMs: 1_000_000, relativeRisk: 1.05, ruledOutAbove: null,
 * }
 * ```
 * @category evidence
 */
export interface EvidenceEstimate {
  /** The answer of `ruleOut` at `detect`. */
  readonly ruleOut: RuleOut
  /** Requests per second per arm over the windows judged so far (`null` before any window time). */
  readonly perArmRate: number | null
  /** Bad events per second, both arms together, over the windows judged so far (`null`: none seen yet). */
  readonly badRate: number | null
  /**
   * About how long until `detect` is ruled out, at the observed rates: 0 when ruled out; `null` when it cannot
   * be estimated (no bad event seen yet, or the estimate is at or above `detect`).
   */
  readonly moreMs: number | null
  /** The relative-risk estimate (Mantel-Haenszel, with the judge's 0.25 continuity term). */
  readonly relativeRisk: number
  /**
   * The smallest of `detect` x 1.5, 2, 3, 5 already ruled out (the anytime bound sits below it), or `null`
   * when none of them is.
   */
  readonly ruledOutAbove: number | null
}

const LADDER = [1.5, 2, 3, 5] as const

/**
 * When the coming windows are judged: their length, the time between analysis ticks and the time until the
 * next one (the estimate counts whole windows: the evidence arrives a window at a time).
 *
 * @example
 * ```ts
 * const t: EstimateTiming = { windowMs: 60_000, intervalMs: 60_000, nextInMs: 20_000 }
 * ```
 * @category evidence
 */
export interface EstimateTiming {
  readonly windowMs: number
  readonly intervalMs: number
  readonly nextInMs: number
}

const DEFAULT_TIMING: EstimateTiming = { windowMs: 60_000, intervalMs: 60_000, nextInMs: 60_000 }

/**
 * The estimate for `state` against `detect` at level `alpha`, with `share` the canary's share of the requests
 * from now on (0.5 for an equal split; outside (0, 1) taken as 0.5) and `timing` when the coming windows are
 * judged (one-minute windows and ticks by default). The time is that of the tick after which the projected
 * evidence (`projectRuleOut`: the judge's own arithmetic, tempering included, on the expected coming windows)
 * rules `detect` out.
 *
 * @example
 * ```ts
 * import { initialSequentialState } from '../analysis/sequential.js'
 * const s = initialSequentialState({ kind: 'sequential', alpha: 0.01, tolerance: 1.12, earlyPass: false, minBadEvents: 0 })
 * estimateEvidence(s, 2, 0.01, 0.5).moreMs // null: no bad event seen yet
 * ```
 * @category evidence
 */
export const estimateEvidence = (state: SequentialState, detect: number, alpha: number, share: number, timing: EstimateTiming = DEFAULT_TIMING): EvidenceEstimate => {
  const windowMs = timing.windowMs > 0 && Number.isFinite(timing.windowMs) ? timing.windowMs : DEFAULT_TIMING.windowMs
  const intervalMs = timing.intervalMs > 0 && Number.isFinite(timing.intervalMs) ? timing.intervalMs : windowMs
  const nextInMs = timing.nextInMs >= 0 && Number.isFinite(timing.nextInMs) ? timing.nextInMs : intervalMs
  const r = ruleOut(state, detect, alpha, share, windowMs)
  const seconds = state.el
  const perArmRate = seconds > 0 ? (state.ct + state.pt) / 2 / seconds : null
  const bad = state.cb + state.pb
  const badRate = seconds > 0 && bad > 0 ? bad / seconds : null
  const moreMs = r.ruledOut ? 0 : Number.isFinite(r.moreWindows) && r.moreWindows > 0 ? nextInMs + (r.moreWindows - 1) * intervalMs : null
  let ruledOutAbove: number | null = null
  if (!r.ruledOut) {
    for (const k of LADDER) {
      if (ruleOutTest(state, detect * k, alpha).ruledOut) {
        ruledOutAbove = detect * k
        break
      }
    }
  }
  return { ruleOut: r, perArmRate, badRate, moreMs, relativeRisk: (state.mh[0] + 0.25) / (state.mh[1] + 0.25), ruledOutAbove }
}

const num = (x: number): string => (x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(x >= 1 ? 1 : 2))
const times = (x: number): string => `${Number(x.toFixed(2))}x`

/**
 * "about 9 more minutes", "about 40 more seconds", "about 2.5 more hours".
 *
 * @example
 * ```ts
 * aboutMore(540_000) // 'about 9 more minutes'
 * ```
 * @category evidence
 */
export const aboutMore = (ms: number): string => {
  if (ms < 90_000) return `about ${Math.max(1, Math.round(ms / 1000))} more seconds`
  if (ms < 90 * 60_000) return `about ${Math.round(ms / 60_000)} more minutes`
  return `about ${Number((ms / 3_600_000).toFixed(1))} more hours`
}

/**
 * The sentence of an estimate, e.g. "the evidence does not rule out 2x yet (e-value 3.1 of the 100 needed;
 * observed relative risk 1.05); at 3.0 req/s per arm, ruling out 2x needs about 9 more minutes (about 54 more bad
 * events)".
 *
 * @example
 * ```ts
 * declare const e: EvidenceEstimate
 * describeEstimate(e, 2, 0.01)
 * ```
 * @category evidence
 */
export const describeEstimate = (e: EvidenceEstimate, detect: number, alpha: number): string => {
  const d = times(detect)
  const r = e.ruleOut
  const tested = Math.abs(r.against - detect) > detect * 0.01 ? ` (tested against the grid's ${times(r.against)})` : ''
  const bound = e.ruledOutAbove !== null ? `; ${times(e.ruledOutAbove)} is ruled out` : ''
  const head = `the evidence does not rule out ${d} yet${tested} (e-value ${num(r.eValue)} of the ${num(1 / alpha)} needed; observed relative risk ${num(e.relativeRisk)}${bound})`
  if (r.eValue === 0 && !Number.isFinite(r.moreBadEvents) && r.against === detect) return `${head}: ${d} is too close to the tolerance for the test's grid to rule it out`
  const traffic = e.perArmRate !== null ? `at ${num(e.perArmRate)} req/s per arm, ` : ''
  if (e.badRate === null) return `${head}; ${traffic}ruling out ${d} needs bad events to weigh, and none has been seen yet, so no time estimate`
  if (!(e.relativeRisk < r.against)) return `${head}: the observed relative risk is not below ${times(r.against)}, so more traffic will not rule it out unless the canary's rate falls`
  if (e.moreMs === null || !Number.isFinite(r.moreBadEvents)) return `${head}; ${traffic}the expected evidence does not reach the level needed, so no time estimate`
  const events = `about ${r.moreBadEvents} more bad event${r.moreBadEvents === 1 ? '' : 's'}`
  return `${head}; ${traffic}ruling out ${d} needs ${aboutMore(e.moreMs)} (${events})`
}
