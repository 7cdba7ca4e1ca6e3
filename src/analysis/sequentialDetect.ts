/**
 * "Has the evidence ruled out the regression the user cares about?": the check behind no-blind-promotion.
 * A rollout whose sequential metric has not rejected may still be a regression the test simply had too little
 * traffic to see; promoting it at the end of the steps is a blind promotion. {@link ruleOut} says whether the
 * anytime upper bound on the relative risk has come below `detect` (e.g. 2: "a doubled bad-event rate is ruled
 * out at level alpha") and, if not, about how many more bad events that needs at the current estimate.
 *
 * @module
 */
import type { Counts } from '../model/observation.js'
import { windowExponent, type SequentialState } from './sequential.js'
import { addWindow, defaultCompiled } from './sequentialGrid.js'
import { addDispersionWindow } from './sequentialDispersion.js'

/**
 * The answer of {@link ruleOut}.
 *
 * @example
 * ```ts
 * const r: RuleOut = { ruledOut: false, against: 1.8, eValue: 3, moreBadEvents: 120, moreWindows: 10 }
 * ```
 * @category sequential
 */
export interface RuleOut {
  /** The e-value against "relative risk >= against" reached 1 / alpha. */
  readonly ruledOut: boolean
  /** The relative risk actually tested: the largest grid point <= detect (conservative). */
  readonly against: number
  /** E-value against "relative risk >= against" (alternatives below it, weighted by {@link ruleOutWeights}). */
  readonly eValue: number
  /**
   * About how many more bad events (both arms) at the current relative-risk estimate and canary share
   * bring the e-value to 1 / alpha (0 when ruled out; Infinity when the estimate is at or above `against`, or
   * when no projection was asked for).
   */
  readonly moreBadEvents: number
  /** About how many more windows of the projected length that takes (same conventions). */
  readonly moreWindows: number
}

/** The grid point `ruleOut` tests for `detect`: the largest at or below it (its index, or -1 when none above the tolerance). */
const testedIndex = (tol: number, detect: number): number => {
  const c = defaultCompiled()
  let j = -1
  for (let k = 0; k < c.offsets.length; k++) if (tol * Math.exp(c.offsets[k] ?? 0) <= detect * (1 + 1e-12)) j = k
  return j
}

/** The rule-out prior: mass centred on a healthy canary (relative risk 1), log scale RULE_OUT_SD. */
export const RULE_OUT_CENTRE = 1
/** See RULE_OUT_CENTRE. */
export const RULE_OUT_SD = 0.2
/** The share of the rule-out prior spread evenly over every alternative below the tested point. */
export const RULE_OUT_FLOOR = 0.2

/**
 * The rule-out test's mixture weights over the grid points below the tested one (index `j`), 0 elsewhere:
 * `(1 - RULE_OUT_FLOOR)` of a normal on the log relative risk centred at RULE_OUT_CENTRE (scale RULE_OUT_SD)
 * plus RULE_OUT_FLOOR spread evenly. Fixed before any data (they depend on the tolerance and the tested
 * point only), so the mixture is an e-value against "relative risk >= the tested point" whatever they are;
 * they put the mass where the canaries that should pass are, instead of right below the tested point
 * (the early pass's prior, which is about the tolerance): about a quarter less time to rule out 2x on a
 * healthy canary (docs/evidence.md).
 *
 * @example
 * ```ts
 * const w = ruleOutWeights(1.12, [-0.1, 0, 0.5], 2)
 * w[2] // 0: the tested point itself is the null
 * ```
 * @category sequential
 */
export const ruleOutWeights = (tol: number, offsets: readonly number[], j: number): number[] => {
  const w = offsets.map((x, k) => (k < j ? Math.exp(-0.5 * ((Math.log(tol) + x - Math.log(RULE_OUT_CENTRE)) / RULE_OUT_SD) ** 2) : 0))
  let total = 0
  for (const x of w) total += x
  const n = Math.max(0, Math.min(j, offsets.length))
  return w.map((x, k) => (k < j && total > 0 ? (1 - RULE_OUT_FLOOR) * (x / total) + RULE_OUT_FLOOR / n : 0))
}

/** Log of the rule-out mixture against grid point `j` (`llr` in nats), with the weights of {@link ruleOutWeights}. */
const ruleOutLogE = (weights: readonly number[], llr: readonly number[], j: number): number => {
  const lj = llr[j] ?? 0
  let m = -Infinity
  for (let k = 0; k < j; k++) if ((weights[k] ?? 0) > 0 && (llr[k] ?? 0) - lj > m) m = (llr[k] ?? 0) - lj
  if (m === -Infinity) return -Infinity
  let sum = 0
  for (let k = 0; k < j; k++) sum += (weights[k] ?? 0) * Math.exp((llr[k] ?? 0) - lj - m)
  return Math.log(sum) + m
}

/** The ruled-out threshold on the log e-value: `1 / alpha`, plus the margin of 1 for the -40-nat floor (see sequential.ts). */
const logThreshold = (alpha: number): number => Math.log(1 / alpha + 1)

/**
 * The window a projection assumes: its length, and the canary's share of the requests from now on.
 *
 * @example
 * ```ts
 * const w: ProjectionWindow = { durationMs: 60_000, share: 0.5 }
 * ```
 * @category sequential
 */
export interface ProjectionWindow {
  /** Length of each coming window (ms); the requests per window follow from the observed rate. */
  readonly durationMs: number
  /** The canary's share of the requests (outside (0, 1) taken as 0.5). */
  readonly share: number
}

/**
 * How far a projection of the evidence is from ruling out: whole windows and bad events (both arms) still
 * needed; `Infinity` for both when the projected evidence never gets there.
 *
 * @example
 * ```ts
 * const p: Projection = { windows: 4, badEvents: 48 }
 * ```
 * @category sequential
 */
export interface Projection {
  readonly windows: number
  readonly badEvents: number
}

/** Windows projected one by one; beyond this, the last window's gain is extrapolated (the exponent has settled). */
const PROJECTED_WINDOWS = 200
/** Windows from which the observed mean dispersion residual (rather than the Poisson value 1) is projected. */
const RESIDUAL_WINDOWS = 10

/**
 * Projects the rule-out test forward on the expected counts of the coming windows: the observed request and
 * bad-event rates (both arms, from the state's totals and elapsed window time), the relative-risk estimate,
 * `window`'s share and length. Each projected window goes through the judge's own arithmetic: its likelihood
 * ratios on the grid (`addWindow`), raised to the exponent the judge would choose for it (`windowExponent`:
 * the dispersion tempering, which at high traffic starts far below 1, and the count cap), the dispersion
 * accumulators fed counts that scatter as much as the residual seen so far (1, the Poisson value, until
 * RESIDUAL_WINDOWS arm-windows); and the rule-out mixture is read after each one. The answer is the first window after which
 * the e-value reaches `1 / alpha`. A planning figure: the expected path, not a bound; the random path
 * reaches the threshold around it (docs/evidence.md measures how well).
 *
 * @example
 * ```ts
 * import { initialSequentialState } from './sequential.js'
 * const s = initialSequentialState({ kind: 'sequential', alpha: 0.01, tolerance: 1.12, earlyPass: false, minBadEvents: 0 })
 * projectRuleOut(s, 2, 0.05, { durationMs: 60_000, share: 0.5 }).windows // Infinity: no traffic seen yet
 * ```
 * @category sequential
 */
export const projectRuleOut = (state: SequentialState, detect: number, alpha: number, window: ProjectionWindow): Projection => {
  const none: Projection = { windows: Infinity, badEvents: Infinity }
  const c = defaultCompiled()
  const j = testedIndex(state.tol, detect)
  if (j <= 0) return none
  const against = state.tol * Math.exp(c.offsets[j] ?? 0)
  const threshold = logThreshold(alpha)
  const llr = state.llr.map((v) => v / 100)
  const weights = ruleOutWeights(state.tol, c.offsets, j)
  if (ruleOutLogE(weights, llr, j) >= threshold) return { windows: 0, badEvents: 0 }
  const rr = (state.mh[0] + 0.25) / (state.mh[1] + 0.25)
  const q = window.share > 0 && window.share < 1 ? window.share : 0.5
  const seconds = state.el
  const requests = state.ct + state.pt
  const dur = Number.isFinite(window.durationMs) && window.durationMs > 0 ? window.durationMs : 60_000
  if (!(rr < against) || seconds <= 0 || requests <= 0 || state.cb + state.pb === 0) return none
  // per request: the primary's bad share b and the canary's rr b, fitted to the bad events seen at their shares
  const b = (state.cb + state.pb) / (state.ct * rr + state.pt)
  const n = (requests / seconds) * (dur / 1000)
  const canary = { total: q * n, bad: q * n * rr * b }
  const primary = { total: (1 - q) * n, bad: (1 - q) * n * b }
  const badPerWindow = canary.bad + primary.bad
  if (!(badPerWindow > 0) || !Number.isFinite(badPerWindow)) return none
  const w = new Array<number>(c.offsets.length).fill(0)
  addWindow(c.offsets, state.tol, w, canary.bad, primary.bad, q)
  let s: SequentialState = state
  let last = 0
  let logE = -Infinity
  for (let t = 1; t <= PROJECTED_WINDOWS; t++) {
    const a = windowExponent(s, canary, primary, dur)
    for (let k = 0; k < llr.length; k++) llr[k] = (llr[k] ?? 0) + a * (w[k] ?? 0)
    const before = logE
    logE = ruleOutLogE(weights, llr, j)
    if (logE >= threshold) return { windows: t, badEvents: Math.ceil(t * badPerWindow) }
    last = t > 1 ? logE - before : 0
    s = projectedTotals(s, canary, primary, dur, t)
  }
  if (!(last > 0)) return none
  const windows = PROJECTED_WINDOWS + Math.ceil((threshold - logE) / last)
  return { windows, badEvents: Math.ceil(windows * badPerWindow) }
}

/**
 * The state's totals and dispersion accumulators after one more expected window (the grid entries are kept by
 * the projection itself). Expected counts would make every dispersion residual 0 and read as no dispersion at
 * all; the accumulators are fed each arm's expected bad events plus or minus `sqrt(r m)` instead (signs
 * alternating by window and opposite between the arms, so the totals are the expected ones), `m` the arm's
 * expected bad events and `r` the mean residual seen so far (1, the Poisson value, before RESIDUAL_WINDOWS
 * arm-windows): a residual of about `r` per arm-window, whatever accumulators the estimate keeps.
 */
const projectedTotals = (s: SequentialState, canary: Counts, primary: Counts, dur: number, t: number): SequentialState => {
  const r = s.ds[1] >= RESIDUAL_WINDOWS ? Math.max(1, s.ds[0] / s.ds[1]) : 1
  const sign = t % 2 === 0 ? 1 : -1
  const scatter = (m: number, k: number): number => Math.max(0, m + k * Math.sqrt(r * m))
  const ds = addDispersionWindow(s.ds, canary.total, scatter(canary.bad, sign), primary.total, scatter(primary.bad, -sign), dur)
  return { ...s, ds, cb: s.cb + canary.bad, ct: s.ct + canary.total, pb: s.pb + primary.bad, pt: s.pt + primary.total, el: s.el + dur / 1000 }
}

/**
 * Whether `state` rules out a relative risk of `detect` or more at level `alpha`, and how far it is.
 * `share` is the canary's share of requests expected from now on (0.5 for an equal split), `durationMs` the
 * length of the coming windows.
 *
 * The e-value is a mixture of the stored grid's likelihood ratios against the tested point (the largest grid
 * point at or below `detect`), over the alternatives below it with the fixed weights of {@link ruleOutWeights}:
 * anytime-valid like the early pass itself. The bad events still needed
 * come from {@link projectRuleOut} (the judge's own arithmetic on the expected coming windows): a planning
 * figure, not a bound.
 *
 * @example
 * ```ts
 * import { initialSequentialState } from './sequential.js'
 * const s = initialSequentialState({ kind: 'sequential', alpha: 0.01, tolerance: 1.12, earlyPass: false, minBadEvents: 0 })
 * ruleOut(s, 2, 0.01, 0.5).ruledOut // false: no evidence yet
 * ```
 * @category sequential
 */
export const ruleOut = (state: SequentialState, detect: number, alpha: number, share: number, durationMs = 60_000): RuleOut => {
  const r = ruleOutTest(state, detect, alpha)
  if (r.ruledOut || r.eValue === 0) return r
  const p = projectRuleOut(state, detect, alpha, { durationMs, share })
  return { ...r, moreBadEvents: p.badEvents, moreWindows: p.windows }
}

/**
 * The test alone, without the projection (what the gate reads at every tick): `moreBadEvents` and
 * `moreWindows` are 0 when ruled out and Infinity otherwise.
 *
 * @example
 * ```ts
 * import { initialSequentialState } from './sequential.js'
 * const s = initialSequentialState({ kind: 'sequential', alpha: 0.01, tolerance: 1.12, earlyPass: false, minBadEvents: 0 })
 * ruleOutTest(s, 2, 0.05).ruledOut // false
 * ```
 * @category sequential
 */
export const ruleOutTest = (state: SequentialState, detect: number, alpha: number): RuleOut => {
  const c = defaultCompiled()
  const j = testedIndex(state.tol, detect)
  if (j <= 0) return { ruledOut: false, against: detect, eValue: 0, moreBadEvents: Infinity, moreWindows: Infinity }
  const against = state.tol * Math.exp(c.offsets[j] ?? 0)
  const logE = ruleOutLogE(ruleOutWeights(state.tol, c.offsets, j), state.llr.map((v) => v / 100), j)
  const eValue = Math.min(1e300, Math.exp(logE))
  // margin: stored entries are clamped at -40 nats (see sequential.ts), which adds far less than 1
  if (logE >= logThreshold(alpha)) return { ruledOut: true, against, eValue, moreBadEvents: 0, moreWindows: 0 }
  return { ruledOut: false, against, eValue, moreBadEvents: Infinity, moreWindows: Infinity }
}
