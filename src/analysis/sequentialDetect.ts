/**
 * "Has the evidence ruled out the regression the user cares about?": the check behind no-blind-promotion.
 * A rollout whose sequential metric has not rejected may still be a regression the test simply had too little
 * traffic to see; promoting it at the end of the steps is a blind promotion. {@link ruleOut} says whether the
 * anytime upper bound on the relative risk has come below `detect` (e.g. 2: "a doubled bad-event rate is ruled
 * out at level alpha") and, if not, about how many more bad events that needs at the current estimate.
 *
 * @module
 */
import type { SequentialState } from './sequential.js'
import { defaultCompiled, logEValue } from './sequentialGrid.js'
import { temperingExponent } from './sequentialDispersion.js'

/**
 * The answer of {@link ruleOut}.
 *
 * @example
 * ```ts
 * const r: RuleOut = { ruledOut: false, against: 1.8, eValue: 3, moreBadEvents: 120 }
 * ```
 * @category sequential
 */
export interface RuleOut {
  /** The e-value against "relative risk >= against" reached 1 / alpha. */
  readonly ruledOut: boolean
  /** The relative risk actually tested: the largest grid point <= detect (conservative). */
  readonly against: number
  /** E-value against "relative risk >= against" (alternatives below it, the early-pass prior). */
  readonly eValue: number
  /**
   * About how many more bad events (both arms) at the current relative-risk estimate and canary share
   * bring the e-value to 1 / alpha (0 when ruled out; Infinity when the estimate is at or above `against`).
   */
  readonly moreBadEvents: number
}

const kl = (a: number, b: number): number =>
  (a > 0 ? a * Math.log(a / b) : 0) + (a < 1 ? (1 - a) * Math.log((1 - a) / (1 - b)) : 0)

/**
 * Whether `state` rules out a relative risk of `detect` or more at level `alpha`, and how far it is.
 * `share` is the canary's share of requests expected from now on (0.5 for an equal split).
 *
 * The e-value is the early-pass mixture with the null moved from the tolerance up to `detect` (alternatives
 * below it), read off the stored grid: anytime-valid like the early pass itself. The estimate of the remaining
 * bad events divides the missing log evidence by the expected gain per event, `a x KL(p(rr) || p(detect))`
 * with `rr` the relative-risk estimate and `a` the current tempering exponent: a planning figure, not a bound.
 *
 * @example
 * ```ts
 * import { initialSequentialState } from './sequential.js'
 * const s = initialSequentialState({ kind: 'sequential', alpha: 0.01, tolerance: 1.12, earlyPass: false, minBadEvents: 0 })
 * ruleOut(s, 2, 0.01, 0.5).ruledOut // false: no evidence yet
 * ```
 * @category sequential
 */
export const ruleOut = (state: SequentialState, detect: number, alpha: number, share: number): RuleOut => {
  const c = defaultCompiled()
  let j = -1
  for (let k = 0; k < c.offsets.length; k++) if (state.tol * Math.exp(c.offsets[k] ?? 0) <= detect * (1 + 1e-12)) j = k
  if (j <= 0) return { ruledOut: false, against: detect, eValue: 0, moreBadEvents: Infinity }
  const against = state.tol * Math.exp(c.offsets[j] ?? 0)
  const logE = logEValue(c, state.llr.map((v) => v / 100), j, 'down')
  const threshold = Math.log(1 / alpha)
  const eValue = Math.min(1e300, Math.exp(logE))
  // margin: stored entries are clamped at -40 nats (see sequential.ts), which adds far less than 1
  if (eValue >= 1 / alpha + 1) return { ruledOut: true, against, eValue, moreBadEvents: 0 }
  const rr = (state.mh[0] + 0.25) / (state.mh[1] + 0.25)
  const q = share > 0 && share < 1 ? share : 0.5
  const p = (q * rr) / (q * rr + 1 - q)
  const p1 = (q * against) / (q * against + 1 - q)
  const gain = rr < against ? temperingExponent(state.ds) * kl(p, p1) : 0
  return { ruledOut: false, against, eValue, moreBadEvents: gain > 0 ? Math.ceil((threshold - logE) / gain) : Infinity }
}
