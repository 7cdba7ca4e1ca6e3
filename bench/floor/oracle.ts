/**
 * Oracle tests for the detection floor (issue 12): likelihood-ratio e-processes and e-detectors on a recorded
 * run that are handed what a real test cannot know (the true relative risk, the onset, the dispersion, which
 * window is a burst, which bad events belong to one retry cluster).
 *
 * Every oracle is valid at level alpha against `H0: rho <= rho0 in every window` under the independent-request
 * model (given each window's bad-event total and shares, each bad event is the canary's with probability
 * `q rho / (q rho + 1 - q)`): the likelihood ratio of a fixed `rho1 > rho0` against `rho0` is a nonnegative
 * martingale under `rho0` and a supermartingale below it (monotone likelihood ratio), a predictable exponent in
 * [0, 1] keeps that (Jensen), a fixed mixture over alternatives and start times (Shiryaev-Roberts form) too, so
 * Ville's inequality bounds `P(ever D >= 1/alpha) <= alpha`. Counting clusters once is exact for the retry
 * stream (cluster starts are independent Poisson counts with the arms' rate ratio).
 *
 * @module
 */
import type { RecordedRun } from './stream.js'

/**
 * What the oracle knows and how it tests.
 *
 * @example
 * ```ts
 * const o: OracleSpec = { rho0: 1.12, alts: [{ rho: 2, w: 1 }], startMass: 1, alpha: 0.01 }
 * ```
 */
export interface OracleSpec {
  /** The null's relative risk (the tolerance; 1 = exact equality). */
  readonly rho0: number
  /** Alternatives and their (fixed) mixture weights, summing to 1. */
  readonly alts: readonly { readonly rho: number; readonly w: number }[]
  /** Start mass at the first window (1: the from-start test; below 1: an e-detector over later starts). */
  readonly startMass: number
  /** Time constant of the start prior `G(u) = m + (1 - m) u / (u + tau)`, ms (default 10 min, as the judge). */
  readonly tauMs?: number
  readonly alpha: number
  /** Tempering exponent of window i (predictable: a function of the index only), default 1. */
  readonly exponent?: (i: number) => number
  /** Count each retry cluster once (the cluster starts) instead of each bad event. */
  readonly clusters?: boolean
  /** Ignore windows during which a pod of either arm bursts (exponent 0 there). */
  readonly skipBursts?: boolean
  /** With `skipBursts`: the burst is seen only after this many windows (its first windows count in full). */
  readonly burstLeak?: number
  /** The test starts at this window (an oracle that knows the onset); default 0. */
  readonly startAt?: number
}

const WINDOW_MS = 10_000

/**
 * The first window index at which the oracle's e-value reaches 1/alpha, or -1 when it never does.
 *
 * @example
 * ```ts
 * declare const run: RecordedRun
 * oracleAlarm(run, { rho0: 1.12, alts: [{ rho: 2, w: 1 }], startMass: 1, alpha: 0.01 })
 * ```
 */
export const oracleAlarm = (run: RecordedRun, o: OracleSpec): number => {
  const n = run.share.length
  const k = o.alts.length
  const a = new Float64Array(k)
  const tau = o.tauMs ?? 10 * 60_000
  const threshold = 1 / o.alpha
  const start = o.startAt ?? 0
  const xs = o.clusters === true ? run.canaryClusters : run.canaryBad
  const ys = o.clusters === true ? run.primaryClusters : run.primaryBad
  let gPrev = 0
  let burstRun = 0
  for (let i = start; i < n; i++) {
    const j = i - start
    const u = j * WINDOW_MS
    const g = o.startMass + ((1 - o.startMass) * u) / (u + tau)
    const release = g - gPrev
    gPrev = g
    let e = o.exponent === undefined ? 1 : o.exponent(i)
    burstRun = run.burst[i] === 1 ? burstRun + 1 : 0
    if (o.skipBursts === true && burstRun > (o.burstLeak ?? 0)) e = 0
    const x = xs[i] as number
    const y = ys[i] as number
    const s = run.share[i] as number
    const th0 = (o.rho0 * s) / (o.rho0 * s + 1 - s)
    let d = 1 - g
    for (let q = 0; q < k; q++) {
      const alt = o.alts[q]!
      const th1 = (alt.rho * s) / (alt.rho * s + 1 - s)
      const llr = e === 0 || x + y === 0 ? 0 : e * (x * Math.log(th1 / th0) + y * Math.log((1 - th1) / (1 - th0)))
      const v = ((a[q] as number) + release) * Math.exp(llr)
      a[q] = v
      d += alt.w * v
    }
    if (d >= threshold) return i
  }
  return -1
}

/**
 * Wald-Wolfowitz lower bound (statistics.md section 3) on the expected number of bad events, at an equal split,
 * for any test of `rho0` against `rho1` with error rates alpha, beta.
 *
 * @example
 * ```ts
 * Math.round(waldBadEvents(1.12, 2, 0.01, 0.05)) // 106
 * ```
 */
export const waldBadEvents = (rho0: number, rho1: number, alpha: number, beta: number): number => {
  const t0 = rho0 / (rho0 + 1)
  const t1 = rho1 / (rho1 + 1)
  const kl = t1 * Math.log(t1 / t0) + (1 - t1) * Math.log((1 - t1) / (1 - t0))
  return ((1 - beta) * Math.log((1 - beta) / alpha) + beta * Math.log(beta / (1 - alpha))) / kl
}
