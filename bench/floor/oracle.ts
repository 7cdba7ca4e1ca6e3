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
  /** Tempering exponents from the run's past windows (predictable: entry i may use windows before i only); overrides `exponent`. */
  readonly learned?: (run: RecordedRun) => Float64Array
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
  const learned = o.learned === undefined ? null : o.learned(run)
  for (let i = start; i < n; i++) {
    const j = i - start
    const u = j * WINDOW_MS
    const g = o.startMass + ((1 - o.startMass) * u) / (u + tau)
    const release = g - gPrev
    gPrev = g
    let e = learned !== null ? (learned[i] as number) : o.exponent === undefined ? 1 : o.exponent(i)
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

const logFact = (n: number): number => {
  let s = 0
  for (let k = 2; k <= n; k++) s += Math.log(k)
  return s
}

/** log P(N = n) for retry clusters: Poisson(mu) starts, sizes 1 + Geometric with mean `m` (Polya-Aeppli). */
const logClustered = (n: number, mu: number, m: number): number => {
  if (n === 0) return -mu
  const p = 1 / m
  // sum over k = 1..n cluster starts: e^-mu mu^k / k! C(n-1, k-1) p^k (1-p)^(n-k)
  let best = -Infinity
  const terms: number[] = []
  for (let k = 1; k <= n; k++) {
    const t = -mu + k * Math.log(mu) - logFact(k) + logFact(n - 1) - logFact(k - 1) - logFact(n - k) + k * Math.log(p) + (n - k) * Math.log(1 - p)
    terms.push(t)
    if (t > best) best = t
  }
  return best + Math.log(terms.reduce((a, t) => a + Math.exp(t - best), 0))
}

/**
 * A data-dependent, predictable tempering exponent that knows the two candidate error models (independent, or
 * retry clusters of mean `clusterMean` with variance inflation `phi`) and the primary's base bad-event rate, and
 * learns which model holds from the PRIMARY's past windows only (the primary never carries the regression):
 * exponent `P(indep | past) + P(clusters | past) / phi`, prior `priorClusters`.
 *
 * @example
 * ```ts
 * declare const run: RecordedRun
 * twoModelExponents(0.01, 3, 4.83, 0.5)(run)[0] // the prior's exponent, 0.5 + 0.5 / 4.83
 * ```
 */
export const twoModelExponents =
  (baseRate: number, clusterMean: number, phi: number, priorClusters: number) =>
  (run: RecordedRun): Float64Array => {
    const n = run.share.length
    const out = new Float64Array(n)
    let llr = Math.log(priorClusters / (1 - priorClusters))
    for (let i = 0; i < n; i++) {
      const pc = 1 / (1 + Math.exp(-llr))
      out[i] = 1 - pc + pc / phi
      const x = run.primaryBad[i] as number
      const lambda = baseRate * (run.primaryTotal[i] as number)
      if (lambda > 0) llr += logClustered(x, lambda / clusterMean, clusterMean) - (-lambda + x * Math.log(lambda) - logFact(x))
    }
    return out
  }
