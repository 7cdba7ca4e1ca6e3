/**
 * The predictable dispersion estimate of the sequential judge: how much more the bad-event counts vary than
 * independent requests would make them vary (the index of dispersion, Pearson style, quasi-likelihood in spirit),
 * estimated from PAST windows only. The judge tempers each window's likelihood ratio by the exponent `1 / phi`
 * (see {@link temperingExponent}): an exponent in (0, 1] chosen before the window is seen keeps every e-process
 * valid under the independent-request model (Jensen: E[L^a] <= E[L]^a <= 1), and under clustered or bursty errors
 * it discounts evidence by about the variance-inflation factor that the per-request likelihood overstates it by
 * (retry clusters of mean size m with geometric sizes: about 2m - 1).
 *
 * Two estimates, and the larger one tempers:
 * - the long-run one: the quasi-Poisson index of dispersion of each window's TOTAL of bad events (both arms) about
 *   one bad-event rate per request fitted to all past windows, `sum (n - lambda R)^2 / (lambda R) / (W - 1)`, shrunk
 *   towards a prior. The fitted rate makes it exact in hindsight: under independent requests it is about 1 with
 *   no noise from a rate estimated from few events, and a regression present from the start does not move it
 *   (the total's rate is constant), while a retry cluster shows at once in its window's total, whichever arm it
 *   falls in (a first cluster all in the canary looks, in the split alone, like a regression). It depends only
 *   on past windows' totals and request counts, never on how any window's events split. It also sees shocks
 *   common to both arms, which the conditional test does not care about: they cost power, never validity;
 * - a recent one (exponentially weighted, time constant RECENT_TAU_MS, pooled over expected events:
 *   `sum (o - e)^2 / sum e`, per arm against the arm's own recent rate) that sees a short error burst of one pod in
 *   its first windows and tempers the rest of it.
 * Estimates of the split itself (the conditional Pearson index) were built and measured; see docs/sequential.md.
 *
 * @module
 */

/**
 * Dispersion accumulators (plain JSON numbers):
 * `[windowSquares, windows, canaryBadEwma, canaryRequestsEwma, primaryBadEwma, primaryRequestsEwma,
 * recentSquares, recentExpected]`. The long-run estimate: `windowSquares` is the quasi-Poisson statistic of all
 * past windows' totals of bad events about one fitted rate, `X = sum (n - lambda R)^2 / (lambda R)` with
 * `lambda` the judge's total bad events over its total requests ({@link DispersionTotals}), and `windows` counts
 * those windows; `X / windows` is a mean index of dispersion per window. (X is carried from window to window
 * through `sum n^2 / R = (X + N) N / T`, N and T the totals, so that one short number holds it.) The four averages
 * are each arm's bad events and requests, exponentially weighted with time constant RATE_TAU_MS (an arm's
 * expectation in the recent estimate once it rests on RATE_MIN_EVENTS bad events); `recentSquares` and
 * `recentExpected` are the recent estimate's exponentially weighted sums of `(observed - expected)^2` and
 * `expected` over arm-windows.
 *
 * States stored by earlier releases still read: their first two numbers were per-arm residuals and
 * arm-windows, also a sum of indices of dispersion and its count, and read as such (a state of six numbers
 * reads as recent sums of 0). Any predictable choice of exponent keeps the e-values valid, so reading them this
 * way spends no alpha twice. Sums are rounded to 1e-1 below 1000 and to integers above (request averages to
 * integers): the estimate only chooses the (predictable) exponent, so its rounding never affects validity.
 *
 * @example
 * ```ts
 * const d: DispersionState = INITIAL_DISPERSION
 * d.length // 8
 * ```
 * @category sequential
 */
export type DispersionState =
  | readonly [number, number, number, number, number, number]
  | readonly [number, number, number, number, number, number, number, number]

/**
 * The judge's totals before the window (all past windows): bad events and requests in both arms. The long-run
 * estimate fits its bad-event rate to them.
 *
 * @example
 * ```ts
 * const t: DispersionTotals = { bad: 120, requests: 12_000 }
 * ```
 * @category sequential
 */
export interface DispersionTotals {
  readonly bad: number
  readonly requests: number
}

/**
 * No windows seen yet.
 *
 * @example
 * ```ts
 * dispersionEstimate(INITIAL_DISPERSION) // 1
 * ```
 * @category sequential
 */
export const INITIAL_DISPERSION: DispersionState = [0, 0, 0, 0, 0, 0, 0, 0]

/**
 * Pseudo windows of 10 s the long-run estimate is shrunk towards (PRIOR_WINDOWS / 2 of them: as many bad events
 * as PRIOR_WINDOWS arm-windows), at `PRIOR_FLOOR + m / PRIOR_K`, m the coming window's expected bad events per arm
 * per 10 s: about the dispersion a negative binomial of size PRIOR_K would give, and a little more than 1 when
 * windows hold few bad events (before the first retry clusters have shown). With longer windows the prior is worth
 * proportionally fewer of them.
 */
export const PRIOR_WINDOWS = 10
/** See PRIOR_WINDOWS. */
export const PRIOR_FLOOR = 1.125
/** See PRIOR_WINDOWS. */
export const PRIOR_K = 8
/** The window length the prior is stated for: with longer windows it is worth proportionally fewer of them. */
export const PRIOR_WINDOW_MS = 10_000
/** The estimate is capped here (the exponent never goes below 1 / PHI_MAX). */
export const PHI_MAX = 50
/** Time constant of the recent dispersion estimate: a burst of a minute is seen within its first windows. */
export const RECENT_TAU_MS = 30_000
/**
 * Pseudo expected bad events at dispersion 1 in the recent estimate: at 10 bad events per arm-window one window
 * moves it by about a third, at 1 bad event per arm-window it takes many windows (each carries little evidence).
 */
export const RECENT_PRIOR_EVENTS = 20
/** Expected bad events below which an arm-window is not used (its residual says little). */
const MIN_EXPECTED = 0.05
/** Time constant of each arm's recent bad rate. */
export const RATE_TAU_MS = 5 * 60_000
/** An arm's residuals count once its recent rate rests on this many (weighted) bad events. */
export const RATE_MIN_EVENTS = 5

/** Tenths below 1000, whole numbers above (four significant digits or more either way: the estimate only chooses a predictable exponent). */
const r2 = (x: number): number => (Math.abs(x) < 1000 ? Math.round(x * 10) / 10 : Math.round(x))

const okTotals = (t: DispersionTotals | undefined): DispersionTotals | undefined =>
  t !== undefined && Number.isFinite(t.bad) && Number.isFinite(t.requests) && t.bad >= 0 && t.requests >= 0 ? t : undefined

/**
 * The long-run dispersion estimate: the windows' quasi-Poisson statistic `X` (see {@link DispersionState}) shrunk
 * towards a prior and clamped to [1, PHI_MAX]: `(pw phi0 + X) / (pw + windows - 1)` with phi0 =
 * `PRIOR_FLOOR + m / PRIOR_K`, m the coming window's expected bad events per arm per 10 s, and pw =
 * PRIOR_WINDOWS / 2 windows of 10 s (fewer when windows are longer). The fitted rate makes it exact in hindsight:
 * under independent requests it is about 1 without the noise of a rate estimated from few events.
 *
 * @example
 * ```ts
 * dispersionEstimate([45, 10, 0, 0, 0, 0, 0, 0]) // (5 x 1.125 + 45) / (5 + 9) = 3.62
 * ```
 * @category sequential
 */
export const dispersionEstimate = (d: DispersionState, expectedPerArm = 0, durationMs = PRIOR_WINDOW_MS): number => {
  const dur = Number.isFinite(durationMs) && durationMs > 0 ? Math.min(600_000, Math.max(1_000, durationMs)) : PRIOR_WINDOW_MS
  const scale = PRIOR_WINDOW_MS / dur
  const m = Number.isFinite(expectedPerArm) && expectedPerArm > 0 ? expectedPerArm * scale : 0
  const pw = (PRIOR_WINDOWS / 2) * scale
  const phi = (pw * (PRIOR_FLOOR + m / PRIOR_K) + d[0]) / (pw + Math.max(0, d[1] - 1))
  return Number.isFinite(phi) ? Math.min(PHI_MAX, Math.max(1, phi)) : 1
}

/**
 * The quasi-Poisson statistic after one more window of `bad` events in `requests`, from the one before and the
 * totals before the window: `sum n^2 / R` recovered as `(X + N) N / T`, the window's `n^2 / R` added, and `X`
 * recomputed at the new totals.
 */
const nextSquares = (x: number, totals: DispersionTotals, bad: number, requests: number): number => {
  const n0 = totals.bad
  const t0 = totals.requests
  const sumSquares = n0 > 0 && t0 > 0 ? ((x + n0) * n0) / t0 : 0
  const n1 = n0 + bad
  const t1 = t0 + requests
  if (!(n1 > 0 && t1 > 0)) return x
  const next = ((sumSquares + (bad * bad) / requests) * t1) / n1 - n1
  return Number.isFinite(next) ? Math.max(0, next) : x
}

/**
 * The tempering exponent for the next window: `1 / max(dispersionEstimate, recentDispersion)`, in
 * [1 / PHI_MAX, 1]. Depends only on windows already seen (predictable).
 *
 * @example
 * ```ts
 * temperingExponent(INITIAL_DISPERSION) // 1
 * ```
 * @category sequential
 */
export const temperingExponent = (d: DispersionState, expectedPerArm = 0, durationMs = PRIOR_WINDOW_MS): number =>
  1 / Math.max(dispersionEstimate(d, expectedPerArm, durationMs), recentDispersion(d))

/**
 * The recent dispersion estimate: `(recentSquares + P) / (recentExpected + P)` with P = RECENT_PRIOR_EVENTS
 * pseudo events at dispersion 1, clamped to [1, PHI_MAX]. Pooling over expected events (instead of averaging
 * per-window indices) lets a window with many bad events move it much and a window with one barely, in
 * proportion to the evidence each carries. 1 for a state of six numbers.
 *
 * @example
 * ```ts
 * recentDispersion([0, 0, 0, 0, 0, 0, 200, 20]) // (200 + 20) / (20 + 20) = 5.5
 * ```
 * @category sequential
 */
export const recentDispersion = (d: DispersionState): number => {
  const squares = d[6] ?? 0
  const expected = d[7] ?? 0
  const phi = (squares + RECENT_PRIOR_EVENTS) / (expected + RECENT_PRIOR_EVENTS)
  return Number.isFinite(phi) ? Math.min(PHI_MAX, Math.max(1, phi)) : 1
}

/** `(observed - expected)^2`, capped (one absurd window must not overflow the sums). */
const square = (observed: number, expected: number): number => Math.min((observed - expected) * (observed - expected), 1e10)

/** Expected bad events of an arm in a window of `requests`, from its recent rate; 0 until that rate is established. */
const expectedBad = (badEwma: number, requestsEwma: number, requests: number): number =>
  badEwma >= RATE_MIN_EVENTS && requestsEwma > 0 ? (requests * badEwma) / requestsEwma : 0

/**
 * Adds one window to the accumulators: each arm's requests and bad events, the window's duration, and the judge's
 * totals before it. The long-run statistic takes the window's total of bad events and requests; the recent
 * residuals compare each arm's bad events with those expected from its recent rate (before this window). Without
 * totals (a projection of expected windows) the long-run statistic grows by its current mean per window, so the
 * estimate stays where it is. Pure.
 *
 * @example
 * ```ts
 * const d = addDispersionWindow(INITIAL_DISPERSION, 100, 3, 100, 1, 10_000, { bad: 0, requests: 0 })
 * d[1] // 1: one window
 * d[2] // 3: the canary's recent bad events
 * ```
 * @category sequential
 */
export const addDispersionWindow = (
  d: DispersionState,
  canaryRequests: number,
  canaryBad: number,
  primaryRequests: number,
  primaryBad: number,
  durationMs: number,
  totals?: DispersionTotals,
): DispersionState => {
  const dur = Number.isFinite(durationMs) && durationMs > 0 ? durationMs : 10_000
  const canaryExpected = expectedBad(d[2], d[3], canaryRequests)
  const primaryExpected = expectedBad(d[4], d[5], primaryRequests)
  const decay = Math.exp(-dur / RATE_TAU_MS)
  const recentDecay = Math.exp(-dur / RECENT_TAU_MS)
  const requests = canaryRequests + primaryRequests
  const t = okTotals(totals)
  let x = d[0]
  let windows = d[1]
  if (requests > 0) {
    x = t !== undefined ? nextSquares(d[0], t, canaryBad + primaryBad, requests) : d[0] + (d[1] > 0 ? Math.max(1, d[0] / d[1]) : 1)
    windows++
  }
  let squares = (d[6] ?? 0) * recentDecay
  let expected = (d[7] ?? 0) * recentDecay
  if (canaryExpected >= MIN_EXPECTED) {
    squares += square(canaryBad, canaryExpected)
    expected += canaryExpected
  }
  if (primaryExpected >= MIN_EXPECTED) {
    squares += square(primaryBad, primaryExpected)
    expected += primaryExpected
  }
  return [
    r2(Math.min(1e12, x)),
    Math.min(Number.MAX_SAFE_INTEGER, windows),
    r2(d[2] * decay + canaryBad),
    Math.round(d[3] * decay + canaryRequests),
    r2(d[4] * decay + primaryBad),
    Math.round(d[5] * decay + primaryRequests),
    r2(Math.min(1e12, squares)),
    r2(Math.min(1e12, expected)),
  ]
}

/**
 * Checks the shape of stored dispersion accumulators.
 *
 * @example
 * ```ts
 * isDispersionState([0, 0, 0, 0, 0, 0, 0, 0]) // true (six numbers too: a state stored before the recent estimate)
 * ```
 * @category sequential
 */
export const isDispersionState = (x: unknown): x is DispersionState =>
  Array.isArray(x) && (x.length === 6 || x.length === 8) && x.every((v) => typeof v === 'number' && Number.isFinite(v) && v >= 0)
