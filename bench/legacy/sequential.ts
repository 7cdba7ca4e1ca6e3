// The sequential judge as shipped before the fleet-robustness work (issue 12), kept for the benchmark comparison only.
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
import type { SequentialJudgeSpec } from '../../src/model/metricSpec.js'
import type { Reason } from '../../src/model/reason.js'
import type { Counts, Sample } from '../../src/model/observation.js'
import type { Judgement } from '../../src/model/verdict.js'
import { addWindow, DEFAULT_COMPILED, gridSummary } from './sequentialGrid.js'

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
 * - `llr[k]`: log-likelihood of grid point k minus that of the tolerance (floored to 1e-5, so the stored
 *   e-values never exceed the exact ones);
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
  readonly v: 1
  readonly tol: number
  readonly llr: readonly number[]
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
 * Floors a stored log-likelihood ratio to 1e-5, or to 10 significant digits once it exceeds 1e4 in magnitude
 * (such a value is decisive anyway; this keeps the JSON short). Flooring never raises a value.
 */
const floorStored = (x: number): number => {
  if (Math.abs(x) < 9999) return Math.floor(x * 1e5) / 1e5
  const digits = 9 - Math.floor(Math.log10(Math.abs(x) + 1))
  const scale = digits >= 5 ? 1e5 : digits >= 0 ? 10 ** digits : 1
  return Math.floor(x * scale) / scale
}
const MAX_E = 1e300
const round3 = (x: number): number => Math.round(x * 1000) / 1000

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
  v: 1,
  tol: spec.tolerance,
  llr: DEFAULT_COMPILED.offsets.map(() => 0),
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
 * isSequentialState({ v: 1 }) // false
 * ```
 * @category sequential
 */
export const isSequentialState = (input: unknown): input is SequentialState => {
  if (typeof input !== 'object' || input === null) return false
  const s = input as Record<string, unknown>
  const llr = s['llr']
  const mh = s['mh']
  return (
    s['v'] === 1 &&
    isNum(s['tol']) &&
    Array.isArray(llr) &&
    llr.length === DEFAULT_COMPILED.offsets.length &&
    allNum(llr) &&
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
 * Adds one window's (valid) counts to the state. Pure: returns a new state.
 *
 * @example
 * ```ts
 * const s0 = initialSequentialState({ kind: 'sequential', alpha: 0.01, tolerance: 1.1, earlyPass: false, minBadEvents: 0 })
 * updateSequential(s0, { total: 100, bad: 3 }, { total: 100, bad: 1 }).cb // 3
 * ```
 * @category sequential
 */
export const updateSequential = (state: SequentialState, canary: Counts, primary: Counts): SequentialState => {
  const q = canary.total / (canary.total + primary.total)
  const llr = state.llr.slice()
  addWindow(DEFAULT_COMPILED.offsets, state.tol, llr, canary.bad, primary.bad, q)
  for (let k = 0; k < llr.length; k++) {
    llr[k] = k === DEFAULT_COMPILED.nullIndex ? 0 : floorStored(llr[k] ?? 0)
  }
  return {
    v: 1,
    tol: state.tol,
    llr,
    cb: state.cb + canary.bad,
    ct: state.ct + canary.total,
    pb: state.pb + primary.bad,
    pt: state.pt + primary.total,
    mh: [round3(state.mh[0] + canary.bad * (1 - q)), round3(state.mh[1] + primary.bad * q)],
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
  const c = DEFAULT_COMPILED
  const g = gridSummary(c, state.tol, state.llr, alpha)
  const eValue = Math.min(MAX_E, Math.exp(g.logUp))
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
 *   canary: { total: 1000, bad: 60 }, primary: { total: 1000, bad: 10 },
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
  const next = updateSequential(state, sample.canary, sample.primary)
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
      observed: sum.relativeRisk,
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
      observed: sum.relativeRisk,
      bound: spec.tolerance,
      details,
    }
    return { verdict: 'pass', final: 'pass', judgeState: next, reason }
  }
  const reason: Reason = {
    code: 'metricPassed',
    message: `${head}, not shown above tolerance ${tol}; e-value ${fmtE(sum.eValue)} < ${texts.limitText}`,
    metric,
    observed: sum.relativeRisk,
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
    t = { alpha: spec.alpha, tolerance: spec.tolerance, limit, limitText: fmtE(limit), level: `${fmtTol(100 * (1 - spec.alpha))}%`, tol: fmtTol(spec.tolerance) }
    specTextMemo.set(spec, t)
  }
  return t
}
