/**
 * The numerical core of the sequential judge: a fixed grid of relative risks around the tolerance, the
 * running conditional log-likelihood ratios on that grid, and the mixture e-values and anytime confidence
 * bounds read off it. Pure arithmetic, no state of its own.
 *
 * Model: given a bad event in a window where the canary served share `q` of the requests, the event is the
 * canary's with probability `p(rho) = q rho / (q rho + 1 - q)` when the canary's bad-event rate is `rho`
 * times the primary's. Grid point `k` is `rho_k = tolerance * exp(offsets[k])`; `offsets` holds 0, so the
 * tolerance itself is always a grid point (the null of the rollback test).
 *
 * @module
 */

/**
 * A grid design: where the grid points sit (log distance from the tolerance) and the prior densities of the
 * alternatives above (`upper`) and below (`lower`) a null, as functions of the log distance `x > 0`.
 *
 * @example
 * ```ts
 * const d: SequentialDesign = { offsets: [-0.5, 0, 0.5, 1], upper: (x) => Math.exp(-x), lower: (x) => Math.exp(-x) }
 * ```
 * @category sequential
 */
export interface SequentialDesign {
  /** `log(rho / tolerance)` of each grid point: strictly increasing, contains exactly 0. */
  readonly offsets: readonly number[]
  /** Unnormalised prior density of `log(rho_alt / rho_null)` for alternatives above a null. */
  readonly upper: (x: number) => number
  /** Unnormalised prior density of `log(rho_null / rho_alt)` for alternatives below a null. */
  readonly lower: (x: number) => number
}

/**
 * A design with its mixture weights precomputed: `up[j][k]` (k > j) and `down[j][k]` (k < j) are the
 * weights of alternative `k` against null `j`; each row sums to 1 (or 0 when there is no alternative).
 *
 * @example
 * ```ts
 * const c = compileDesign(DEFAULT_DESIGN)
 * c.nullIndex // index of offset 0
 * ```
 * @category sequential
 */
export interface CompiledDesign {
  readonly offsets: readonly number[]
  readonly nullIndex: number
  readonly up: readonly (readonly number[])[]
  readonly down: readonly (readonly number[])[]
  /** `log` of the weights (−Infinity where 0), same layout. */
  readonly logUp: readonly (readonly number[])[]
  readonly logDown: readonly (readonly number[])[]
}

/**
 * The grid point at a relative risk of exactly 2 with the default tolerance 1.12: `log(2 / 1.12)`, about 0.58.
 * `ruleOut` tests the largest grid point at or below `detect`; with this point the default `detect: 2` is tested
 * as 2 itself, not as the next point below (1.81), so healthy canaries rule it out sooner.
 */
const DETECT_OFFSET = Math.log(2 / 1.12)

/**
 * The default grid: 17 points from `tolerance / 1.21` to `tolerance * 10`, dense on both sides of the tolerance
 * (1.05x, 1.11x, 1.17x above it; 0.95x, 0.9x below), so that the tolerance means what it says: a relative risk
 * just above it can be rejected and one just below it can pass early; and a point at exactly 2 with the default
 * tolerance (see DETECT_OFFSET), the relative risk the evidence gate rules out by default.
 *
 * @example
 * ```ts
 * DEFAULT_OFFSETS.includes(0) // true
 * ```
 * @category sequential
 */
export const DEFAULT_OFFSETS: readonly number[] = [
  -0.19, -0.1, -0.05, 0, 0.05, 0.1, 0.16, 0.24, 0.36, 0.48, DETECT_OFFSET, 0.8, 1.0, 1.25, 1.55, 1.9, 2.3,
]

/** Gamma(shape 4, scale 0.15) density: mode 0.45, mean 0.6 in log relative risk above the null. */
const gamma4 = (x: number): number => (x <= 0 ? 0 : (x ** 3 * Math.exp(-x / 0.15)) / (6 * 0.15 ** 4))
/** Half-normal density, scale 1.5: the heavy tail that keeps large regressions fast. */
const halfNormalWide = (x: number): number => (x < 0 ? 0 : Math.exp(-0.5 * (x / 1.5) ** 2) * (2 / (1.5 * Math.sqrt(2 * Math.PI))))
/** Half-normal density, scale 0.12: the mass right above the null (relative risks up to about 1.3x it). */
const halfNormalNear = (x: number): number => (x < 0 ? 0 : Math.exp(-0.5 * (x / 0.12) ** 2) * (2 / (0.12 * Math.sqrt(2 * Math.PI))))

/**
 * The default design (see docs/sequential.md): alternatives above a null follow 0.8 Gamma(4, 0.15) +
 * 0.1 half-normal(1.5) + 0.1 half-normal(0.12) on the log relative risk (most mass between 1.3x and 2.5x the
 * null, a tenth right above it, a tenth on large regressions); alternatives below it a half-normal(0.6), wide
 * enough that a null as high as `detect` (2) still puts weight on a healthy canary's relative risk of about 1.
 *
 * @example
 * ```ts
 * DEFAULT_DESIGN.upper(0.6) > DEFAULT_DESIGN.upper(0.05) // true
 * ```
 * @category sequential
 */
export const DEFAULT_DESIGN: SequentialDesign = {
  offsets: DEFAULT_OFFSETS,
  upper: (x) => 0.8 * gamma4(x) + 0.1 * halfNormalWide(x) + 0.1 * halfNormalNear(x),
  lower: (x) => Math.exp(-0.5 * (x / 0.6) ** 2),
}

/** Mass of `density` over [a, b] (Simpson's rule on 64 panels). */
const integrate = (density: (x: number) => number, a: number, b: number): number => {
  if (!(b > a)) return 0
  const n = 64
  const h = (b - a) / n
  let s = density(a) + density(b)
  for (let i = 1; i < n; i++) s += (i % 2 === 1 ? 4 : 2) * density(a + i * h)
  return Math.max(0, (s * h) / 3)
}

const normalise = (row: number[]): number[] => {
  const total = row.reduce((a, b) => a + b, 0)
  return total > 0 && Number.isFinite(total) ? row.map((w) => w / total) : row.map(() => 0)
}

/**
 * Precomputes the mixture weights of a design: the prior over the log distance between alternative and null
 * is integrated over each grid cell (cells end half-way between grid points; the last one runs to 2x the
 * last spacing beyond the top or bottom point) and renormalised over the alternatives available.
 *
 * @example
 * ```ts
 * const c = compileDesign({ offsets: [0, 1], upper: () => 1, lower: () => 1 })
 * c.up[0] // [0, 1]
 * ```
 * @category sequential
 */
export const compileDesign = (design: SequentialDesign): CompiledDesign => {
  const d = design.offsets
  const n = d.length
  const at = (i: number): number => d[i] ?? 0
  const up: number[][] = []
  const down: number[][] = []
  for (let j = 0; j < n; j++) {
    const rowUp = new Array<number>(n).fill(0)
    const rowDown = new Array<number>(n).fill(0)
    for (let k = j + 1; k < n; k++) {
      const lo = k === j + 1 ? at(j) : (at(k - 1) + at(k)) / 2
      const hi = k === n - 1 ? at(k) + (at(k) - at(k - 1)) : (at(k) + at(k + 1)) / 2
      rowUp[k] = integrate(design.upper, lo - at(j), hi - at(j))
    }
    for (let k = j - 1; k >= 0; k--) {
      const hi = k === j - 1 ? at(j) : (at(k) + at(k + 1)) / 2
      const lo = k === 0 ? at(0) - (at(1) - at(0)) : (at(k - 1) + at(k)) / 2
      rowDown[k] = integrate(design.lower, at(j) - hi, at(j) - lo)
    }
    up.push(normalise(rowUp))
    down.push(normalise(rowDown))
  }
  const logs = (m: number[][]): number[][] => m.map((r) => r.map((w) => (w > 0 ? Math.log(w) : -Infinity)))
  return { offsets: d, nullIndex: d.indexOf(0), up, down, logUp: logs(up), logDown: logs(down) }
}

let defaultCompiledMemo: CompiledDesign | undefined
/**
 * The default design, compiled on first use (not at import: importing the library stays cheap).
 *
 * @example
 * ```ts
 * defaultCompiled().offsets.length // 17
 * ```
 * @category sequential
 */
export const defaultCompiled = (): CompiledDesign => (defaultCompiledMemo ??= compileDesign(DEFAULT_DESIGN))

/**
 * The increment of the conditional log-likelihood ratio `log L(rho_k) - log L(tolerance)` from one window
 * with `canaryBad` and `primaryBad` bad events and canary share `q` of the requests, for every grid point.
 * Writes into `out` (same length as `offsets`) by adding. Inputs are assumed valid (0 <= q <= 1, counts >= 0).
 *
 * @example
 * ```ts
 * const l = [0, 0]
 * addWindow([0, Math.log(2)], 1, l, 3, 0, 0.5) // l[1] = 3 * log(2 / 1.5)
 * ```
 * @category sequential
 */
export const addWindow = (
  offsets: readonly number[],
  tolerance: number,
  out: number[],
  canaryBad: number,
  primaryBad: number,
  q: number,
): void => {
  const events = canaryBad + primaryBad
  if (events === 0) return
  const base = Math.log1p(q * (tolerance - 1))
  const grid = gridPoints(offsets, tolerance)
  for (let k = 0; k < offsets.length; k++) {
    const x = offsets[k] ?? 0
    if (x === 0) continue
    // rho_k - 1 with rho_k = tolerance * exp(x): from the memo when it was made for this very offset
    const rhoMinus1 = k < grid.xs.length && grid.xs[k] === x ? (grid.rhoMinus1[k] as number) : tolerance * Math.exp(x) - 1
    // c log(rho_k / tol) - n log((q rho_k + 1 - q) / (q tol + 1 - q))
    out[k] = (out[k] ?? 0) + canaryBad * x - events * (Math.log1p(q * rhoMinus1) - base)
  }
}

/** `tolerance * exp(offsets[k]) - 1` for each grid point, with the offsets it was computed from. */
interface GridPoints {
  readonly xs: Float64Array
  readonly rhoMinus1: Float64Array
}

/**
 * Memo of the grid points per offsets array and tolerance (pure: the same inputs give the same numbers; at most
 * 16 tolerances per offsets array are kept). `addWindow` checks each offset against `xs` before using a point.
 */
const gridPointMemo = new WeakMap<readonly number[], Map<number, GridPoints>>()
const gridPoints = (offsets: readonly number[], tolerance: number): GridPoints => {
  let byTolerance = gridPointMemo.get(offsets)
  if (byTolerance === undefined) {
    byTolerance = new Map()
    gridPointMemo.set(offsets, byTolerance)
  }
  let points = byTolerance.get(tolerance)
  if (points === undefined) {
    const xs = new Float64Array(offsets.length)
    const rhoMinus1 = new Float64Array(offsets.length)
    for (let k = 0; k < offsets.length; k++) {
      const x = offsets[k] ?? 0
      xs[k] = x
      rhoMinus1[k] = tolerance * Math.exp(x) - 1
    }
    points = { xs, rhoMinus1 }
    if (byTolerance.size >= 16) byTolerance.clear()
    byTolerance.set(tolerance, points)
  }
  return points
}


/**
 * Log of the mixture e-value against null grid point `j`: alternatives above it (`side: 'up'`, evidence that
 * rho is larger) or below it (`side: 'down'`). `llr[k]` is the log-likelihood of grid point k relative to any
 * common reference. −Infinity when there is no alternative on that side.
 *
 * @example
 * ```ts
 * const c = compileDesign({ offsets: [0, 1], upper: () => 1, lower: () => 1 })
 * logEValue(c, [0, 2], 0, 'up') // 2
 * ```
 * @category sequential
 */
export const logEValue = (c: CompiledDesign, llr: readonly number[], j: number, side: 'up' | 'down'): number => {
  const n = Math.max(llr.length, c.offsets.length)
  const m = maxOver(llr, n)
  return logEValueScaled(c, llr, scaledLikelihoods(llr, m, n), m, j, side)
}

/** exp(llr[k] - m) for every grid point: computed once, shared by every null of a bounds search. */
let scratch = new Float64Array(32)
const scaledLikelihoods = (llr: readonly number[], m: number, n: number): Float64Array => {
  // one reusable buffer (single-threaded, never escapes a call): no allocation on the hot path; every
  // entry a caller reads (n: the grid's size) is written, a missing llr entry counting as 0
  if (scratch.length < n) scratch = new Float64Array(n)
  const e = scratch
  for (let k = 0; k < n; k++) e[k] = Math.exp((llr[k] ?? 0) - m)
  return e
}

/** The largest log-likelihood over the grid (a missing entry counts as 0). */
const maxOver = (llr: readonly number[], n: number): number => {
  let m = -Infinity
  for (let k = 0; k < n; k++) if ((llr[k] ?? 0) > m) m = llr[k] ?? 0
  return m
}

/** The positive weights of one mixture row, in grid order: their indices and values. */
interface SparseRow {
  readonly k: Int32Array
  readonly w: Float64Array
  /** Smallest and largest index in `k`, and log of the sum of `w` (for the bound in `reaches`). */
  readonly kMin: number
  readonly kMax: number
  readonly logTotal: number
}
interface SparseDesign {
  readonly upRows: readonly (readonly number[])[]
  readonly downRows: readonly (readonly number[])[]
  readonly up: readonly (SparseRow | undefined)[]
  readonly down: readonly (SparseRow | undefined)[]
}

const sparseRow = (row: readonly number[] | undefined): SparseRow | undefined => {
  if (row === undefined) return undefined
  const ks: number[] = []
  const ws: number[] = []
  for (let k = 0; k < row.length; k++) {
    const wk = row[k] ?? 0
    if (wk > 0) {
      ks.push(k)
      ws.push(wk)
    }
  }
  let total = 0
  for (const w of ws) total += w
  return { k: Int32Array.from(ks), w: Float64Array.from(ws), kMin: ks[0] ?? 0, kMax: ks[ks.length - 1] ?? 0, logTotal: Math.log(total) }
}

/** Per compiled design (immutable data): the mixture rows without their zero weights. */
const sparseMemo = new WeakMap<CompiledDesign, SparseDesign>()
const sparseDesign = (c: CompiledDesign): SparseDesign => {
  let sd = sparseMemo.get(c)
  if (sd === undefined || sd.upRows !== c.up || sd.downRows !== c.down) {
    sd = { upRows: c.up, downRows: c.down, up: c.up.map(sparseRow), down: c.down.map(sparseRow) }
    sparseMemo.set(c, sd)
  }
  return sd
}

/**
 * `logEValue` from precomputed scaled likelihoods: a weighted sum and one log, no allocation. The sum runs over
 * the row's positive weights in grid order, as a scan of the whole row that skips the others would.
 */
const logEValueScaled = (c: CompiledDesign, llr: readonly number[], e: Float64Array, m: number, j: number, side: 'up' | 'down'): number => {
  const sd = sparseDesign(c)
  return logEValueSparse((side === 'up' ? sd.up : sd.down)[j], llr, e, m, j)
}

/**
 * `logEValueSparse(row, llr, e, m, j) >= threshold`, deciding clear cases without the log.
 *
 * With s the weighted sum, L = log(s) + m - llr[j] (as computed in floating point) and P = e[j] * exp(threshold)
 * where e[j] = exp(llr[j] - m): L - threshold = log(s / P) + E, and E, the rounding of all the steps, stays below
 * 1e-9 in absolute value when |m| and |llr[j]| are at most 1e6 and s, e[j] and P are normal numbers (exp and log
 * are within a few ulps; each of the additions loses at most 2e6 * 2^-53 < 3e-10). So s < P (1 - 1e-8) means
 * L < threshold and s > P (1 + 1e-8) means L > threshold, exactly as the log would say; anything in between,
 * or outside those ranges, is decided by the log itself.
 */
const reaches = (
  row: SparseRow | undefined,
  llr: readonly number[],
  e: Float64Array,
  m: number,
  j: number,
  threshold: number,
  expThreshold: number,
  bounded: boolean,
): boolean => {
  if (row === undefined || row.k.length === 0) return -Infinity >= threshold
  if (bounded && row.kMax < llr.length) {
    // s <= (sum of w) * max e[k] over the row, so L <= logTotal + max llr[k] - llr[j] up to rounding (< 1e-8
    // with every |llr| <= 1e6): below threshold - 1e-6 the log could only say "not reached"
    const top = Math.min(suffixMax[row.kMin] as number, prefixMax[row.kMax] as number)
    if (row.logTotal + top - (llr[j] ?? 0) < threshold - 1e-6) return false
  }
  const ks = row.k
  const ws = row.w
  let s = 0
  for (let t = 0; t < ks.length; t++) s += (ws[t] as number) * (e[ks[t] as number] ?? 0)
  const lj = llr[j] ?? 0
  if (expThreshold > 0 && expThreshold < 1e300 && j < llr.length && Math.abs(lj) <= 1e6 && s >= 1e-300 && s <= 1e300) {
    const ej = e[j] as number
    if (ej >= 1e-300) {
      const p = ej * expThreshold
      if (p >= 1e-300 && p <= 1e300) {
        if (s < p * (1 - 1e-8)) return false
        if (s > p * (1 + 1e-8)) return true
      }
    }
  }
  return Math.log(s) + m - lj >= threshold
}

/** Scratch for `runningMaxima` (single-threaded, never escapes a call). */
let prefixMax = new Float64Array(32)
let suffixMax = new Float64Array(32)
/**
 * Fills `prefixMax[k]` = max of llr[0..k] and `suffixMax[k]` = max of llr[k..]; false (nothing to rely on) unless
 * every llr is a number of magnitude at most 1e6.
 */
const runningMaxima = (llr: readonly number[]): boolean => {
  const n = llr.length
  if (prefixMax.length < n) {
    prefixMax = new Float64Array(n)
    suffixMax = new Float64Array(n)
  }
  let run = -Infinity
  for (let k = 0; k < n; k++) {
    const v = llr[k] ?? 0
    if (!(Math.abs(v) <= 1e6)) return false
    if (v > run) run = v
    prefixMax[k] = run
  }
  run = -Infinity
  for (let k = n - 1; k >= 0; k--) {
    const v = llr[k] ?? 0
    if (v > run) run = v
    suffixMax[k] = run
  }
  return true
}

const logEValueSparse = (row: SparseRow | undefined, llr: readonly number[], e: Float64Array, m: number, j: number): number => {
  if (row === undefined || row.k.length === 0) return -Infinity
  const ks = row.k
  const ws = row.w
  let s = 0
  for (let t = 0; t < ks.length; t++) s += (ws[t] as number) * (e[ks[t] as number] ?? 0)
  return Math.log(s) + m - (llr[j] ?? 0)
}

/**
 * Anytime confidence bounds on the relative risk read off the grid at level `alpha` per side:
 * `lower` is the largest grid rho rejected by the e-value with alternatives above it (0 if none),
 * `upper` the smallest grid rho rejected by the e-value with alternatives below it (Infinity if none).
 *
 * @example
 * ```ts
 * confidenceBounds(defaultCompiled(), 1.12, new Array(17).fill(0), 0.01) // { lower: 0, upper: Infinity }
 * ```
 * @category sequential
 */
export const confidenceBounds = (
  c: CompiledDesign,
  tolerance: number,
  llr: readonly number[],
  alpha: number,
): { readonly lower: number; readonly upper: number } => {
  const g = gridSummary(c, tolerance, llr, alpha)
  return { lower: g.lower, upper: g.upper }
}

/**
 * Everything a judgement needs from the grid in one pass over the likelihoods: the log e-values against the
 * null grid point (both sides) and the anytime confidence bounds.
 *
 * @example
 * ```ts
 * const g = gridSummary(defaultCompiled(), 1.12, new Array(17).fill(0), 0.01)
 * g.lower // 0: no evidence yet
 * ```
 * @category statistics
 */
export const gridSummary = (
  c: CompiledDesign,
  tolerance: number,
  llr: readonly number[],
  alpha: number,
): { readonly logUp: number; readonly logDown: number; readonly lower: number; readonly upper: number } => {
  // a malformed (short) llr reads as 0 beyond its end, so no entry is left over from an earlier call
  if (llr.length < c.offsets.length) llr = Array.from({ length: c.offsets.length }, (_, k) => llr[k] ?? 0)
  const threshold = Math.log(1 / alpha)
  const m = maxOver(llr, llr.length)
  const e = scaledLikelihoods(llr, m, llr.length)
  const sd = sparseDesign(c)
  // exp(threshold): lets most grid points of the bounds search be decided without a log (see `reaches`)
  const expThreshold = Number.isFinite(threshold) && Math.abs(m) <= 1e6 ? Math.exp(threshold) : Number.NaN
  // running maxima of llr from either end: an upper bound of a row's e-value without its sum (see `reaches`)
  const bounded = Number.isFinite(threshold) && runningMaxima(llr)
  let lower = 0
  for (let j = c.offsets.length - 1; j >= 0; j--) {
    if (reaches(sd.up[j], llr, e, m, j, threshold, expThreshold, bounded)) {
      lower = tolerance * Math.exp(c.offsets[j] ?? 0)
      break
    }
  }
  let upper = Infinity
  for (let j = 0; j < c.offsets.length; j++) {
    if (reaches(sd.down[j], llr, e, m, j, threshold, expThreshold, bounded)) {
      upper = tolerance * Math.exp(c.offsets[j] ?? 0)
      break
    }
  }
  const z = c.nullIndex
  // stored entries are floored at -40 nats (sequential.ts); on contradictory windows (far better, then far worse)
  // entries at the floor can make the two bounds cross: then no bound is claimed
  const crossed = lower > upper
  return { logUp: logEValueSparse(sd.up[z], llr, e, m, z), logDown: logEValueSparse(sd.down[z], llr, e, m, z), lower: crossed ? 0 : lower, upper: crossed ? Infinity : upper }
}
