/**
 * The anytime-valid sequential judge: canary against primary on per-window event counts.
 *
 * Each bad event is attributed to the canary with probability `q rho / (q rho + 1 - q)`, `q` being the canary's
 * share of the window's requests and `rho` the canary's relative risk. The judge keeps the running conditional
 * log-likelihood ratio on a fixed grid of `rho` around the tolerance (see {@link addWindow}) and
 * - rolls back (`fail`, final `fail`) when the mixture e-value against `rho <= tolerance` reaches `1 / alpha`;
 * - with `earlyPass`, passes for good (final `pass`) when the mixture e-value against `rho >= tolerance`
 *   reaches `1 / alpha` (the anytime upper bound on `rho` is below the tolerance);
 * - otherwise passes the tick.
 * Both guarantees hold however often it is checked and whatever the canary's share does between windows.
 *
 * @module
 */
import type { SequentialJudgeSpec } from '../model/metricSpec.js'
import type { Reason } from '../model/reason.js'
import type { Counts, Sample } from '../model/observation.js'
import type { Judgement } from '../model/verdict.js'
import { addWindow, defaultCompiled, gridSummary } from './sequentialGrid.js'
import type { DispersionState } from './sequentialDispersion.js'
import { addDispersionWindow, INITIAL_DISPERSION, isDispersionState, temperingExponent } from './sequentialDispersion.js'
import { detectorStep, logDetector, startMass } from './sequentialDetector.js'

/**
 * The default tolerated relative risk (canary bad-event rate / primary's) chosen for the default design;
 * see docs/sequential.md for the measurements behind it.
 *
 * @example
 * ```ts
 * const spec = { kind: 'sequential', alpha: 0.01, tolerance: DEFAULT_TOLERANCE, earlyPass: false, minBadEvents: 0 } as const
 * ```
 * @category sequential
 */
export const DEFAULT_TOLERANCE = 1.12

/**
 * The sequential judge's state: sufficient statistics only, plain JSON and of fixed size.
 * - `llr[k]`: tempered log-likelihood of grid point k minus that of the tolerance, since the first window, in
 *   hundredths of a nat, floored after every window (so the stored e-values never exceed the exact ones; the
 *   floors cost at most 0.01 nat per window, and only the early pass, the bounds and ruleOut read `llr`);
 * - `sr`: the change-point detector's log values in thousandths, one per detector alternative (see detectorDesign; empty
 *   before the first window; see sequentialDetector.ts): the rollback e-value;
 * - `el`: elapsed window time in whole seconds, rounded up (the detector's start prior runs on it);
 * - `ds`: the dispersion accumulators that choose each window's tempering exponent (sequentialDispersion.ts);
 * - `cb`, `ct`, `pb`, `pt`: canary / primary bad and total counts so far;
 * - `mh`: Mantel-Haenszel numerator and denominator of the relative risk (sum of c(1-q), sum of b q).
 *
 * @example
 * ```ts
 * const s: SequentialState = initialSequentialState({ kind: 'sequential', alpha: 0.01, tolerance: 1.1, earlyPass: false, minBadEvents: 0 })
 * s.llr.every((x) => x === 0) // true
 * ```
 * @category sequential
 */
export interface SequentialState {
  readonly v: 3
  readonly tol: number
  readonly llr: readonly number[]
  readonly sr: readonly number[]
  readonly el: number
  readonly ds: DispersionState
  readonly cb: number
  readonly ct: number
  readonly pb: number
  readonly pt: number
  readonly mh: readonly [number, number]
}

/**
 * What was wrong with an input the judge could not use (in `reason.details.problem`).
 *
 * @example
 * ```ts
 * const p: SequentialProblem = 'badAboveTotal'
 * ```
 * @category sequential
 */
export type SequentialProblem =
  | 'wrongSampleKind'
  | 'notFinite'
  | 'negative'
  | 'notInteger'
  | 'badAboveTotal'
  | 'noTraffic'
  | 'badState'
  | 'toleranceChanged'
  | 'badSpec'

/**
 * The numbers the judge reports at each tick.
 *
 * @example
 * ```ts
 * const s = summariseSequential(0.01, initialSequentialState({ kind: 'sequential', alpha: 0.01, tolerance: 1.1, earlyPass: false, minBadEvents: 0 }))
 * s.eValue // 1
 * ```
 * @category sequential
 */
export interface SequentialSummary {
  /** Mixture e-value against `rho <= tolerance` (rollback when >= 1 / alpha). */
  readonly eValue: number
  /** Mixture e-value against `rho >= tolerance` (early pass when >= 1 / alpha). */
  readonly eValuePass: number
  /** Mantel-Haenszel relative risk estimate (0.5 pseudo-event per arm at equal shares as continuity correction). */
  readonly relativeRisk: number
  /** Anytime lower confidence bound on rho (level 1 - alpha, one-sided), read off the grid; 0 if none. */
  readonly lower: number
  /** Anytime upper confidence bound on rho (level 1 - alpha, one-sided), read off the grid; Infinity if none. */
  readonly upper: number
}

/**
 * Stored `llr` values are integers in hundredths of a nat (floored: never above the exact value), clamped
 * above at 1e15 (a value that large is decisive either way); `sr` values in thousandths. Integers keep the JSON short.
 */
const CENTI = 100
const MILLI = 1000
const floorCenti = (x: number): number => Math.max(LLR_MIN_CENTI, Math.min(1e15, Math.floor(x)))
/**
 * Entries below -40 nats are stored as -40. Raising an entry to the floor at window s adds at most
 * `exp(-40) x` (that grid point's likelihood ratio from s on), an e-process of its own, to what is stored after
 * s: over any number of windows N the stored mixtures stay e-values up to a factor `1 + N exp(-40)` (below
 * `1 + 5e-9` for a million windows), and the short entries keep the state small. ruleOut allows for it with a
 * margin of 1.
 */
const LLR_MIN_CENTI = -4_000
const fromCenti = (xs: readonly number[]): number[] => xs.map((v) => v / CENTI)
const fromMilli = (xs: readonly number[]): number[] => xs.map((v) => v / MILLI)
const MAX_E = 1e300
/** Tenths below 1000, whole numbers above (the Mantel-Haenszel sums are for the estimate in reasons only). */
const round1 = (x: number): number => (Math.abs(x) < 1000 ? Math.round(x * 10) / 10 : Math.round(x))
/** Counters saturate at the largest safe integer (a stored state must stay readable whatever the counts). */
const sat = (x: number): number => Math.min(Number.MAX_SAFE_INTEGER, x)

/**
 * The state a sequential metric starts a run with.
 *
 * @example
 * ```ts
 * initialSequentialState({ kind: 'sequential', alpha: 0.01, tolerance: 1.1, earlyPass: false, minBadEvents: 0 }).ct // 0
 * ```
 * @category sequential
 */
export const initialSequentialState = (spec: SequentialJudgeSpec): SequentialState => ({
  v: 3,
  tol: spec.tolerance,
  llr: defaultCompiled().offsets.map(() => 0),
  sr: [],
  el: 0,
  ds: INITIAL_DISPERSION,
  cb: 0,
  ct: 0,
  pb: 0,
  pt: 0,
  mh: [0, 0],
})

const isCount = (x: unknown): x is number => typeof x === 'number' && Number.isSafeInteger(x) && x >= 0
const isNum = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x)

/**
 * Checks that `input` is a sequential state of the current layout (a stored state read back from JSON).
 *
 * @example
 * ```ts
 * isSequentialState({ v: 3 }) // false
 * ```
 * @category sequential
 */
export const isSequentialState = (input: unknown): input is SequentialState => {
  if (typeof input !== 'object' || input === null) return false
  const s = input as Record<string, unknown>
  const llr = s['llr']
  const mh = s['mh']
  const sr = s['sr']
  return (
    s['v'] === 3 &&
    isNum(s['tol']) &&
    Array.isArray(llr) &&
    llr.length === defaultCompiled().offsets.length &&
    allNum(llr) &&
    Array.isArray(sr) &&
    (sr.length === 0 || sr.length === DETECTOR_SIZE) &&
    allNum(sr) &&
    isNum(s['el']) &&
    (s['el'] as number) >= 0 &&
    isDispersionState(s['ds']) &&
    isCount(s['cb']) &&
    isCount(s['ct']) &&
    isCount(s['pb']) &&
    isCount(s['pt']) &&
    Array.isArray(mh) &&
    mh.length === 2 &&
    allNonNegative(mh)
  )
}

/** `xs.every(isNum)` as a plain loop (this runs on every sample); holes pass, as `every` skips them. */
const allNum = (xs: readonly unknown[]): boolean => {
  for (let i = 0; i < xs.length; i++) if (!isNum(xs[i]) && i in xs) return false
  return true
}
/** `xs.every((x) => isNum(x) && x >= 0)` as a plain loop; holes pass, as `every` skips them. */
const allNonNegative = (xs: readonly unknown[]): boolean => {
  for (let i = 0; i < xs.length; i++) {
    const x = xs[i]
    if (!(isNum(x) && x >= 0) && i in xs) return false
  }
  return true
}

/**
 * Finds what is wrong with one window's counts, or returns null when they are usable.
 *
 * @example
 * ```ts
 * countsProblem({ total: 10, bad: 11 }, { total: 10, bad: 0 })?.problem // 'badAboveTotal'
 * ```
 * @category sequential
 */
export const countsProblem = (
  canary: Counts,
  primary: Counts,
): { readonly problem: SequentialProblem; readonly field: string; readonly value: number } | null => {
  const fields: [string, unknown][] = [
    ['canary.total', canary?.total],
    ['canary.bad', canary?.bad],
    ['primary.total', primary?.total],
    ['primary.bad', primary?.bad],
  ]
  for (const [field, value] of fields) {
    if (typeof value !== 'number' || !Number.isFinite(value)) {
      return { problem: 'notFinite', field, value: typeof value === 'number' ? value : NaN }
    }
    if (value < 0) return { problem: 'negative', field, value }
    if (!Number.isSafeInteger(value)) return { problem: 'notInteger', field, value }
  }
  if (canary.bad > canary.total) return { problem: 'badAboveTotal', field: 'canary.bad', value: canary.bad }
  if (primary.bad > primary.total) return { problem: 'badAboveTotal', field: 'primary.bad', value: primary.bad }
  if (canary.total + primary.total === 0) return { problem: 'noTraffic', field: 'total', value: 0 }
  return null
}

/**
 * The detector's alternatives: every other grid point above the tolerance from 1.11x it (a late regression
 * just above the tolerance is left to the from-start test; this keeps the state small), and their mixture
 * weights: the rollback prior's mass over the points above the tolerance, each detector point taking its own
 * weight and that of the skipped point below it (sums to 1 with the 1.05x point's). Computed on first use.
 */
interface DetectorDesign {
  readonly points: readonly number[]
  readonly weights: readonly number[]
}
let detectorMemo: DetectorDesign | undefined
const detectorDesign = (): DetectorDesign => {
  if (detectorMemo !== undefined) return detectorMemo
  const c = defaultCompiled()
  const points = c.offsets.flatMap((x, k) => ([0.1, 0.24, 0.48, 0.8, 1.25, 1.9].includes(x) ? [k] : []))
  const row = c.up[c.nullIndex] ?? []
  let carry = 0
  const weights: number[] = []
  for (let k = c.nullIndex + 1; k < row.length; k++) {
    carry += row[k] ?? 0
    if (points.includes(k)) {
      weights.push(carry)
      carry = 0
    }
  }
  weights[weights.length - 1] = (weights[weights.length - 1] ?? 0) + carry
  detectorMemo = { points, weights }
  return detectorMemo
}
/** How many alternatives the detector keeps (the length of a started `sr`). */
const DETECTOR_SIZE = 6
let windowScratch: number[] = []

/**
 * Clustering-aware counting: a window with many more bad events than its requests make likely (the past bad
 * rate, with a prior of 1 bad event in 100 requests) counts as that likely number. The exponent
 * `min(1, cap / events)` with `cap = e + k sqrt(e) + 1`, `e` the expected events, `k` = 1 until the run has seen
 * CAP_EARLY_EVENTS (100) bad events (the dispersion estimate has not learned yet: retried-error clusters in the first
 * minutes were most of the false rollbacks) and 2 after. It depends only on the past and on the window's event
 * total, which the conditional likelihood treats as given: validity is unaffected.
 */
const countCap = (state: SequentialState, e: number, events: number): number => {
  if (events === 0) return 1
  const k = state.cb + state.pb < CAP_EARLY_EVENTS ? 1 : 2
  const cap = e + k * Math.sqrt(e) + 1
  return events > cap ? cap / events : 1
}
/** Bad events (both arms) before which the count cap is the tighter `e + sqrt(e) + 1`. */
const CAP_EARLY_EVENTS = 100
/**
 * Dispersion estimates below this are read as the estimate's own noise and do not temper (exponent 1), while
 * retry clusters settle near 5 and negative-binomial counts near `1 + m / k`. The long-run estimate's prior is
 * `1.125 + m / 8` (m: expected bad events per arm per 10 s), so from about 1 expected bad event per arm-window
 * (10 req/s/arm at 1%) the first windows are tempered by the prior until the data bring the estimate below this.
 * A fixed rule on a predictable estimate: the exponent stays predictable.
 */
const TEMPER_DEADBAND = 1.25

/**
 * The exponent a window's likelihood ratios are raised to: the smaller of the dispersion tempering
 * (`temperingExponent`, from earlier windows and the window's expected bad events; 1 while the estimate it
 * tempers by is below TEMPER_DEADBAND) and the clustering-aware
 * count cap (from earlier windows and the window's total of bad events). In (0, 1]; it never depends on how the
 * window's bad events split between the arms, which is what the conditional likelihood is about.
 *
 * @example
 * ```ts
 * const s0 = initialSequentialState({ kind: 'sequential', alpha: 0.01, tolerance: 1.12, earlyPass: false, minBadEvents: 0 })
 * windowExponent(s0, { total: 100, bad: 1 }, { total: 100, bad: 1 }) // 1
 * ```
 * @category sequential
 */
export const windowExponent = (state: SequentialState, canary: Counts, primary: Counts, durationMs = 10_000): number => {
  // the window's expected bad events (both arms) at the past bad rate, prior 1 in 100
  const expected = ((canary.total + primary.total) * (state.cb + state.pb + 1)) / (state.ct + state.pt + 100)
  const t = temperingExponent(state.ds, expected / 2, durationMs)
  const tempering = t * TEMPER_DEADBAND > 1 ? 1 : t
  return Math.min(tempering, countCap(state, expected, canary.bad + primary.bad))
}

/**
 * Adds one window's (valid) counts to the state. Pure: returns a new state. `durationMs` is the window's
 * length (the detector's start prior and the dispersion blocks run on elapsed window time).
 *
 * Each window's log-likelihood ratios are multiplied by the tempering exponent chosen from earlier windows
 * (`temperingExponent`), then added to the from-start sums (`llr`) and fed to the change-point detector (`sr`).
 *
 * @example
 * ```ts
 * const s0 = initialSequentialState({ kind: 'sequential', alpha: 0.01, tolerance: 1.1, earlyPass: false, minBadEvents: 0 })
 * updateSequential(s0, { total: 100, bad: 3 }, { total: 100, bad: 1 }, 10_000).cb // 3
 * ```
 * @category sequential
 */
export const updateSequential = (state: SequentialState, canary: Counts, primary: Counts, durationMs = 0): SequentialState => {
  const q = canary.total / (canary.total + primary.total)
  const c = defaultCompiled()
  const z = c.nullIndex
  const n = c.offsets.length
  if (windowScratch.length !== n) windowScratch = new Array<number>(n).fill(0)
  const w = windowScratch
  w.fill(0)
  addWindow(c.offsets, state.tol, w, canary.bad, primary.bad, q)
  const a = windowExponent(state, canary, primary, durationMs > 0 ? durationMs : 10_000)
  const llr = state.llr.slice()
  for (let k = 0; k < n; k++) {
    const wk = a * (w[k] ?? 0)
    w[k] = wk
    llr[k] = k === z ? 0 : floorCenti((llr[k] ?? 0) + CENTI * wk)
  }
  const up = detectorDesign().points.map((k) => w[k] ?? 0)
  const d = Number.isFinite(durationMs) && durationMs > 0 ? durationMs : 0
  const first = state.ct + state.pt === 0
  const pi = first ? startMass(d) : startMass(1000 * state.el + d) - startMass(1000 * state.el)
  const sr = detectorStep(state.sr, pi, up)
  const mh: [number, number] = [round1(state.mh[0] + canary.bad * (1 - q)), round1(state.mh[1] + primary.bad * q)]
  return {
    v: 3,
    tol: state.tol,
    llr,
    sr,
    // whole seconds, rounded up: the detector's start mass then skips a little time, never releases any twice
    el: Math.ceil((1000 * state.el + d) / 1000),
    ds: addDispersionWindow(state.ds, canary.total, canary.bad, primary.total, primary.bad, d, { bad: state.cb + state.pb, requests: state.ct + state.pt }),
    cb: sat(state.cb + canary.bad),
    ct: sat(state.ct + canary.total),
    pb: sat(state.pb + primary.bad),
    pt: sat(state.pt + primary.total),
    mh,
  }
}

/**
 * E-values, relative risk estimate and anytime bounds of a state at level `alpha`.
 *
 * @example
 * ```ts
 * const s0 = initialSequentialState({ kind: 'sequential', alpha: 0.01, tolerance: 1.1, earlyPass: false, minBadEvents: 0 })
 * summariseSequential(0.01, s0).relativeRisk // 1
 * ```
 * @category sequential
 */
export const summariseSequential = (alpha: number, state: SequentialState): SequentialSummary => {
  const c = defaultCompiled()
  const g = gridSummary(c, state.tol, fromCenti(state.llr), alpha)
  const logD = state.sr.length === 0 ? 0 : logDetector(fromMilli(state.sr), detectorDesign().weights, 1 - startMass(1000 * state.el))
  const eValue = Math.min(MAX_E, Math.exp(logD))
  const eValuePass = Math.min(MAX_E, Math.exp(g.logDown))
  const relativeRisk = (state.mh[0] + 0.25) / (state.mh[1] + 0.25)
  const { lower, upper } = g
  return { eValue, eValuePass, relativeRisk, lower, upper }
}

/**
 * `String(y / 100)` for an integer `y`, without the double-to-shortest-decimal conversion when |y| < 1e12: y / 100
 * is the double nearest to the decimal with two places, and no other decimal of as few digits is within an ulp of
 * it, so its shortest form is that decimal without trailing zeros.
 */
const hundredths = (y: number): string => {
  const a = Math.abs(y)
  if (!(a < 1e12)) return String(y / 100)
  const whole = Math.floor(a / 100)
  const cents = a - whole * 100
  const body = cents === 0 ? String(whole) : cents % 10 === 0 ? `${whole}.${cents / 10}` : `${whole}.${cents < 10 ? '0' : ''}${cents}`
  return y < 0 ? `-${body}` : body
}
const fmt = (x: number, digits = 2): string => {
  if (x === Infinity) return 'inf'
  if (Math.abs(x) >= 1e6) return x.toExponential(2)
  if (digits === 2) return hundredths(Math.round(x * 100))
  const f = 10 ** digits
  return String(Math.round(x * f) / f)
}
const fmtE = (x: number): string => (x >= 1e6 ? x.toExponential(2) : x >= 100 ? String(Math.round(x)) : hundredths(Math.round(x * 100)))
/** Four significant digits: the relative risk a reason stores (details keep the full value). */
const sig4 = (x: number): number => (Number.isFinite(x) && x !== 0 ? Number(x.toPrecision(4)) : x)
const fmtTol = (x: number): string => String(Math.round(x * 1e4) / 1e4)

const errorJudgement = (
  metric: string,
  judgeState: unknown,
  problem: SequentialProblem,
  message: string,
  observed?: number,
): Judgement => ({
  verdict: problem === 'noTraffic' ? 'noData' : 'error',
  judgeState,
  reason: {
    code: problem === 'noTraffic' ? 'noData' : 'metricError',
    message: `${metric}: ${message}`,
    metric,
    ...(observed !== undefined && !Number.isNaN(observed) ? { observed } : {}),
    details: { problem },
  },
})

/**
 * Judges one `counts` sample with the sequential test. Bad input (wrong kind, NaN, infinite, negative or
 * fractional counts, bad > total, a malformed or foreign state) gives verdict `error` and zero traffic in both
 * arms `noData`, each with the state unchanged; `null`/`undefined` state starts a fresh run. Never throws.
 *
 * @example
 * ```ts
 * const spec: SequentialJudgeSpec = { kind: 'sequential', alpha: 0.01, tolerance: 1.1, earlyPass: false, minBadEvents: 0 }
 * const j = judgeSequential('errors', spec, null, {
 *   kind: 'counts', metric: 'errors', window: { from: 0, to: 10_000 },
 *   canary: { total: 1000, bad: 60 }, primary: { total: 1000, bad: 6 },
 * })
 * j.verdict // 'fail'
 * ```
 * @category judges
 */
export const judgeSequential = (
  metric: string,
  spec: SequentialJudgeSpec,
  judgeState: unknown,
  sample: Sample,
): Judgement => {
  if (!(spec.alpha > 0 && spec.alpha < 1) || !(spec.tolerance > 0 && Number.isFinite(spec.tolerance))) {
    return errorJudgement(metric, judgeState, 'badSpec', `alpha must be in (0, 1) and tolerance positive and finite`)
  }
  if (sample.kind !== 'counts') {
    return errorJudgement(metric, judgeState, 'wrongSampleKind', `expected a counts sample, got ${String(sample.kind)}`)
  }
  const state = judgeState === null || judgeState === undefined ? initialSequentialState(spec) : judgeState
  if (!isSequentialState(state)) {
    return errorJudgement(metric, judgeState, 'badState', 'the stored sequential state is malformed')
  }
  if (state.tol !== spec.tolerance) {
    return errorJudgement(
      metric,
      judgeState,
      'toleranceChanged',
      `the stored state was built for tolerance ${fmtTol(state.tol)}, the spec says ${fmtTol(spec.tolerance)}`,
      spec.tolerance,
    )
  }
  const problem = countsProblem(sample.canary, sample.primary)
  if (problem !== null) {
    const what: Record<SequentialProblem, string> = {
      notFinite: 'is not a finite number',
      negative: 'is negative',
      notInteger: 'is not an integer',
      badAboveTotal: 'exceeds the total',
      noTraffic: '',
      wrongSampleKind: '',
      badState: '',
      toleranceChanged: '',
      badSpec: '',
    }
    return errorJudgement(
      metric,
      judgeState,
      problem.problem,
      problem.problem === 'noTraffic'
        ? 'no requests in either arm for the window'
        : `${problem.field} = ${String(problem.value)} ${what[problem.problem]}`,
      problem.value,
    )
  }
  const next = updateSequential(state, sample.canary, sample.primary, sample.window.to - sample.window.from)
  const sum = summariseSequential(spec.alpha, next)
  const texts = specTexts(spec)
  const limit = texts.limit
  const details: Record<string, number> = {
    eValue: sum.eValue,
    eValuePass: sum.eValuePass,
    relativeRisk: sum.relativeRisk,
    lower: sum.lower,
    upper: sum.upper,
    canaryBad: next.cb,
    canaryTotal: next.ct,
    primaryBad: next.pb,
    primaryTotal: next.pt,
  }
  const level = texts.level
  const head = `${metric}: relative risk ${fmt(sum.relativeRisk)} (anytime ${level} bounds ${fmt(sum.lower)}..${fmt(sum.upper)})`
  const tol = texts.tol
  const enoughEvents = next.cb + next.pb >= spec.minBadEvents
  if (enoughEvents && sum.eValue >= limit) {
    const reason: Reason = {
      code: 'metricFailed',
      message: `${head} > tolerance ${tol}; e-value ${fmtE(sum.eValue)} >= ${texts.limitText}`,
      metric,
      observed: sig4(sum.relativeRisk),
      bound: spec.tolerance,
      details,
    }
    return { verdict: 'fail', final: 'fail', judgeState: next, reason }
  }
  if (spec.earlyPass && enoughEvents && sum.eValuePass >= limit) {
    const reason: Reason = {
      code: 'analysisDecided',
      message: `${head} <= tolerance ${tol} proven; e-value ${fmtE(sum.eValuePass)} >= ${texts.limitText} against relative risk >= ${tol}`,
      metric,
      observed: sig4(sum.relativeRisk),
      bound: spec.tolerance,
      details,
    }
    return { verdict: 'pass', final: 'pass', judgeState: next, reason }
  }
  const reason: Reason = {
    code: 'metricPassed',
    message: `${head}, not shown above tolerance ${tol}; e-value ${fmtE(sum.eValue)} < ${texts.limitText}`,
    metric,
    observed: sig4(sum.relativeRisk),
    bound: spec.tolerance,
    details,
  }
  return { verdict: 'pass', judgeState: next, reason }
}

/** The parts of a judge's messages that depend on its spec alone. */
interface SpecTexts {
  readonly alpha: number
  readonly tolerance: number
  readonly limit: number
  readonly limitText: string
  readonly level: string
  readonly tol: string
}
/** Per judge spec (immutable data; re-derived if its numbers differ): formatted once, not on every sample. */
const specTextMemo = new WeakMap<SequentialJudgeSpec, SpecTexts>()
const specTexts = (spec: SequentialJudgeSpec): SpecTexts => {
  let t = specTextMemo.get(spec)
  if (t === undefined || t.alpha !== spec.alpha || t.tolerance !== spec.tolerance) {
    const limit = 1 / spec.alpha
    t = { alpha: spec.alpha, tolerance: spec.tolerance, limit, limitText: fmtE(limit), level: `${String(Math.round(10_000 * (1 - spec.alpha)) / 100)}%`, tol: fmtTol(spec.tolerance) }
    specTextMemo.set(spec, t)
  }
  return t
}
