/**
 * The change-point e-detector of the sequential judge: a weighted Shiryaev-Roberts sum of likelihood-ratio
 * e-processes started at every window, so that a regression which starts late in a rollout is detected about
 * as fast as one present from the start, instead of first having to pay back the evidence for health banked
 * while the canary was fine.
 *
 * For each alternative `k` above the tolerance, `A_k <- (A_k + pi_t) * LR_k,t` where `pi_t` is the prior mass
 * of "the regression starts at window t" and `LR_k,t` the window's (tempered) likelihood ratio. With `U_t` the
 * mass of starts not reached yet, `D_t = sum_k w_k A_k + U_t` is a nonnegative supermartingale with `D_0 = 1`
 * under the null (each start's e-process is one from its start, 1 before it), so Ville's inequality bounds the
 * probability that it EVER reaches `1 / alpha` by alpha, over any horizon. The start mass is a fixed function
 * of elapsed window time u (see {@link startMass}): `PI_START` at the first window, the rest released as time
 * passes, mostly over the first hour (exponentially, time constant `TAU_MS`) with a slower tail for longer runs.
 *
 * @module
 */

/** Prior mass on "the regression is there from the first window" (the plain e-process's share). */
export const PI_START = 0.7
/** Time constant of the start prior's main part: starts within the first hour of a rollout. */
export const TAU_MS = 20 * 60_000
/** Share of the later-start mass in the slow tail (`u / (u + TAIL_MS)`): starts after the first hour or two. */
export const TAIL_SHARE = 0.1
/** Time scale of the slow tail: half of the tail's mass goes to starts in the first `TAIL_MS`. */
export const TAIL_MS = 60 * 60_000

/**
 * Cumulative start mass after `elapsedMs` of windows: `G(u) = PI_START + (1 - PI_START) H(u)` with
 * `H(u) = (1 - TAIL_SHARE) (1 - exp(-u / TAU_MS)) + TAIL_SHARE u / (u + TAIL_MS)`, nondecreasing from
 * `PI_START` (the first window releases at least that) towards 1. Fixed in advance, never data dependent.
 *
 * @example
 * ```ts
 * startMass(0) // 0.7
 * startMass(20 * 60_000) // about 0.878
 * ```
 * @category sequential
 */
export const startMass = (elapsedMs: number): number => {
  const u = Number.isFinite(elapsedMs) && elapsedMs > 0 ? elapsedMs : 0
  const later = (1 - TAIL_SHARE) * -Math.expm1(-u / TAU_MS) + (TAIL_SHARE * u) / (u + TAIL_MS)
  return PI_START + (1 - PI_START) * later
}

/**
 * Stored log values are in thousandths, floored (never raises the detector), and clamped below at -40 nats:
 * raising an entry to exp(-40) adds at most `exp(-40) x` a likelihood-ratio e-process started there, so over N
 * windows the detector stays an e-process up to a factor `1 + N exp(-40)` (and short entries keep the state small).
 */
const LOG_FLOOR = -40
const floor4 = (x: number): number => (x < LOG_FLOOR ? LOG_FLOOR * 1000 : Math.floor(x * 1e3))

/**
 * One window of the detector: `logA[i] <- log(exp(logA[i]) + pi) + windowLlr[i]` for every alternative,
 * floored (never raised). `logA` (in and out) is in thousandths of a nat; `windowLlr` in nats. `logA` empty
 * means "no window yet" (all `A` zero).
 *
 * @example
 * ```ts
 * detectorStep([], 0.5, [Math.log(2)])[0] // about 1000 log(0.5 * 2) = 0 (thousandths)
 * ```
 * @category sequential
 */
export const detectorStep = (logA: readonly number[], pi: number, windowLlr: readonly number[]): number[] => {
  const logPi = pi > 0 ? Math.log(pi) : -Infinity
  const out = new Array<number>(windowLlr.length)
  for (let i = 0; i < windowLlr.length; i++) {
    const a = logA.length === windowLlr.length ? (logA[i] as number) / 1000 : -Infinity
    const m = Math.max(a, logPi)
    const sum = m === -Infinity ? -Infinity : m + Math.log(Math.exp(a - m) + Math.exp(logPi - m))
    out[i] = floor4(sum + (windowLlr[i] ?? 0))
  }
  return out
}

/**
 * Log of the detector's value `sum_i w_i exp(logA[i]) + unstarted`.
 *
 * @example
 * ```ts
 * logDetector([], [1], 1) // 0: nothing started, value 1
 * ```
 * @category sequential
 */
export const logDetector = (logA: readonly number[], weights: readonly number[], unstarted: number): number => {
  let m = unstarted > 0 ? 0 : -Infinity
  for (let i = 0; i < logA.length; i++) if ((weights[i] ?? 0) > 0 && (logA[i] as number) > m) m = logA[i] as number
  if (m === -Infinity) return -Infinity
  let s = unstarted > 0 ? unstarted * Math.exp(-m) : 0
  for (let i = 0; i < logA.length; i++) s += (weights[i] ?? 0) * Math.exp((logA[i] as number) - m)
  return m + Math.log(s)
}
