/**
 * The predictable dispersion estimate of the sequential judge: how much more each arm's bad-event count varies
 * than independent requests would make it vary (the index of dispersion, Pearson style, quasi-likelihood in
 * spirit), estimated from PAST windows only. The judge tempers each window's likelihood ratio by the exponent
 * `1 / phi` (see {@link temperingExponent}): an exponent in (0, 1] chosen before the window is seen keeps every
 * e-process valid under the independent-request model (Jensen: E[L^a] <= E[L]^a <= 1), and under clustered or
 * bursty errors it discounts evidence by about the variance-inflation factor that the per-request likelihood
 * overstates it by (retry clusters of mean size m with geometric sizes: about 2m - 1).
 *
 * Two estimates, and the larger one tempers: the long-run mean index of dispersion over all past arm-windows
 * (retry clusters, negative-binomial counts: dispersion that is always there), and a recent one (exponentially
 * weighted, time constant RECENT_TAU_MS, pooled over expected events: `sum (o - e)^2 / sum e`) that sees a short
 * error burst of one pod in its first windows and tempers the rest of it. (A per-minute block estimate was
 * measured before and left out; see docs/sequential.md.)
 *
 * Residuals are taken per arm against the arm's own past bad rate, so a canary that is simply worse (a
 * regression) does not look overdispersed; only counts that scatter more than Poisson do.
 *
 * @module
 */

/**
 * Dispersion accumulators (plain JSON numbers):
 * `[sumWindowResiduals, armWindows, canaryBadEwma, canaryRequestsEwma, primaryBadEwma, primaryRequestsEwma,
 * recentSquares, recentExpected]`. A residual is `(observed - expected)^2 / expected` for one arm
 * (expected: the window's requests x the arm's recent bad rate, an exponentially weighted average with time
 * constant RATE_TAU_MS, so that a regression's new level is soon the expectation); `armWindows` counts the
 * arm-windows used (an arm is used once its recent rate rests on RATE_MIN_EVENTS
 * bad events). `recentSquares` and `recentExpected` are the recent estimate's exponentially weighted sums of
 * `(observed - expected)^2` and `expected` over the same arm-windows. A state of six numbers (stored
 * before the recent estimate existed) reads as recent sums of 0. Sums are rounded to 1e-1 below 1000 and to integers
 * above (request averages to integers): the estimate only chooses the (predictable) exponent, so its rounding never
 * affects validity.
 *
 * @example
 * ```ts
 * const d: DispersionState = INITIAL_DISPERSION
 * d.length // 6
 * ```
 * @category sequential
 */
export type DispersionState =
  | readonly [number, number, number, number, number, number]
  | readonly [number, number, number, number, number, number, number, number]

/**
 * No windows seen yet.
 *
 * @example
 * ```ts
 * dispersionEstimate(INITIAL_DISPERSION) // 1
 * ```
 * @category sequential
 */
export const INITIAL_DISPERSION: DispersionState = [0, 0, 0, 0, 0, 0]

/**
 * Pseudo arm-windows that the window estimate is shrunk towards, at the dispersion a negative binomial of size
 * PRIOR_K would have with the window's expected bad events per arm, m: `1 + m / PRIOR_K` (1 when windows hold
 * few bad events, more when one window could carry much evidence before the data has shown its dispersion).
 */
export const PRIOR_WINDOWS = 10
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

/**
 * The dispersion estimate: the mean index of dispersion over arm-windows, shrunk towards a prior and clamped to
 * [1, PHI_MAX]: `(pw phi0 + sum) / (pw + armWindows)` with phi0 = `1 + m / PRIOR_K`, m the coming window's
 * expected bad events per arm per 10 s, and pw = PRIOR_WINDOWS windows of 10 s (fewer when windows are longer).
 *
 * @example
 * ```ts
 * dispersionEstimate([50, 10, 0, 0, 0, 0]) // (10 + 50) / 20 = 3
 * ```
 * @category sequential
 */
export const dispersionEstimate = (d: DispersionState, expectedPerArm = 0, durationMs = PRIOR_WINDOW_MS): number => {
  const dur = Number.isFinite(durationMs) && durationMs > 0 ? Math.min(600_000, Math.max(1_000, durationMs)) : PRIOR_WINDOW_MS
  const scale = PRIOR_WINDOW_MS / dur
  const m = Number.isFinite(expectedPerArm) && expectedPerArm > 0 ? expectedPerArm * scale : 0
  const pw = PRIOR_WINDOWS * scale
  const phi = (pw * (1 + m / PRIOR_K) + d[0]) / (pw + d[1])
  return Number.isFinite(phi) ? Math.min(PHI_MAX, Math.max(1, phi)) : 1
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

const residual = (observed: number, expected: number): number => Math.min(((observed - expected) * (observed - expected)) / expected, 1e6)
/** `(observed - expected)^2`, capped (one absurd window must not overflow the sums). */
const square = (observed: number, expected: number): number => Math.min((observed - expected) * (observed - expected), 1e10)

/** Expected bad events of an arm in a window of `requests`, from its recent rate; 0 until that rate is established. */
const expectedBad = (badEwma: number, requestsEwma: number, requests: number): number =>
  badEwma >= RATE_MIN_EVENTS && requestsEwma > 0 ? (requests * badEwma) / requestsEwma : 0

/**
 * Adds one window to the accumulators: each arm's requests and bad events, and the window's duration. Residuals
 * compare each arm's bad events with those expected from its recent rate (before this window). Pure.
 *
 * @example
 * ```ts
 * const d = addDispersionWindow(INITIAL_DISPERSION, 100, 3, 100, 1, 10_000)
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
): DispersionState => {
  const dur = Number.isFinite(durationMs) && durationMs > 0 ? durationMs : 10_000
  const canaryExpected = expectedBad(d[2], d[3], canaryRequests)
  const primaryExpected = expectedBad(d[4], d[5], primaryRequests)
  const decay = Math.exp(-dur / RATE_TAU_MS)
  const recentDecay = Math.exp(-dur / RECENT_TAU_MS)
  let sw = d[0]
  let nw = d[1]
  let squares = (d[6] ?? 0) * recentDecay
  let expected = (d[7] ?? 0) * recentDecay
  if (canaryExpected >= MIN_EXPECTED) {
    sw += residual(canaryBad, canaryExpected)
    nw++
    squares += square(canaryBad, canaryExpected)
    expected += canaryExpected
  }
  if (primaryExpected >= MIN_EXPECTED) {
    sw += residual(primaryBad, primaryExpected)
    nw++
    squares += square(primaryBad, primaryExpected)
    expected += primaryExpected
  }
  return [
    r2(sw),
    nw,
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
