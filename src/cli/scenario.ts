/**
 * Simulation scenarios for `simulate`: the simulator's traffic model plus what goes wrong and when.
 * Built-in: `healthy`, `regression`, `no-data`, `flaky`; or a YAML/JSON file describing the simulator.
 *
 * @module
 */
import * as E from 'fp-ts/lib/Either.js'
import { parseDuration } from '../config/duration.js'
import { suggestKey } from '../config/suggest.js'
import type { SimulatorConfig } from '../testing/simulator.js'
import type { Window } from '../model/observation.js'
import type { CliIo } from './io.js'
import { parseDocuments } from './load.js'
import { describeFsError } from './errors.js'
import { conditionHints } from '../analysis/expr/hints.js'

/**
 * A time range in ms since the start of the rollout where the metrics source answers `noData`
 * (for `metrics`, or for every metric when absent).
 *
 * @example
 * ```ts
 * const o: Outage = { from: 60_000, to: 240_000 }
 * ```
 * @category model
 */
export interface Outage {
  readonly from: number
  readonly to: number
  readonly metrics?: readonly string[]
}

/**
 * A complete simulation scenario.
 *
 * @example
 * ```ts
 * const s: Scenario = { name: 'healthy', description: 'no regression', simulator: { traffic: { rate: 100 }, badRate: 0.002 }, outages: [], flaky: 0 }
 * ```
 * @category model
 */
export interface Scenario {
  readonly name: string
  /** One line for the output header. */
  readonly description: string
  /** The simulator's configuration (times relative to the rollout start, which is 0). */
  readonly simulator: SimulatorConfig
  /** When the metrics source has nothing. */
  readonly outages: readonly Outage[]
  /** Probability that an analysis window is a failing one (its checked values cross their bounds); 0: off. */
  readonly flaky: number
}

/**
 * The names of the built-in scenarios.
 *
 * @example
 * ```ts
 * BUILTIN_SCENARIOS.includes('healthy') // true
 * ```
 * @category constants
 */
export const BUILTIN_SCENARIOS = ['healthy', 'regression', 'no-data', 'flaky'] as const

/** Bad-event rate of both arms in the built-in scenarios (0.2%). */
const BASE_BAD_RATE = 0.002

const base = (rate: number): SimulatorConfig => ({
  traffic: { rate, split: 'weighted' },
  badRate: BASE_BAD_RATE,
  latency: { medianMs: 100, sigma: 0.6 },
})

const fmtMin = (ms: number): string => (ms % 60_000 === 0 ? `${ms / 60_000} min` : `${ms / 1000} s`)

/**
 * A built-in scenario, scaled to the spec's analysis interval, or `undefined` for an unknown name.
 * - `healthy`: canary and primary alike (0.2% bad events, p99 about 400 ms);
 * - `regression`: from the third interval on, the canary's bad-event rate x5 and its latency x1.5;
 * - `no-data`: the metrics source answers noData from the first to the fourth interval;
 * - `flaky`: about one analysis window in four crosses its bounds (a noisy metric), counts unchanged.
 *
 * @example
 * ```ts
 * builtinScenario('regression', 100, 60_000)?.simulator.regression // { at: 180000, badRateMultiplier: 5, latencyMultiplier: 1.5 }
 * ```
 * @category constructors
 */
export const builtinScenario = (name: string, rate: number, intervalMs: number): Scenario | undefined => {
  const sim = base(rate)
  const header = `${rate} req/s split by weight, ${BASE_BAD_RATE * 100}% bad events, p99 ~400 ms`
  switch (name) {
    case 'healthy':
      return { name, description: `healthy canary (${header})`, simulator: sim, outages: [], flaky: 0 }
    case 'regression': {
      const at = 3 * intervalMs
      return {
        name,
        description: `canary regresses at ${fmtMin(at)}: bad-event rate x5, latency x1.5 (${header})`,
        simulator: { ...sim, regression: { at, badRateMultiplier: 5, latencyMultiplier: 1.5 } },
        outages: [],
        flaky: 0,
      }
    }
    case 'no-data':
      return {
        name,
        description: `metrics source returns no data from ${fmtMin(intervalMs)} to ${fmtMin(4 * intervalMs)} (${header})`,
        simulator: sim,
        outages: [{ from: intervalMs, to: 4 * intervalMs }],
        flaky: 0,
      }
    case 'flaky':
      return { name, description: `about 1 window in 4 crosses its bounds (${header})`, simulator: sim, outages: [], flaky: 0.25 }
    default:
      return undefined
  }
}

/**
 * True when the window overlaps an outage of `metric`.
 *
 * @example
 * ```ts
 * inOutage([{ from: 0, to: 60_000 }], 'errors', { from: 30_000, to: 90_000 }) // true
 * ```
 * @category utils
 */
export const inOutage = (outages: readonly Outage[], metric: string, w: Window): boolean =>
  outages.some((o) => w.from < o.to && w.to > o.from && (o.metrics === undefined || o.metrics.includes(metric)))

// ---------------------------------------------------------------------------------------------------
// scenario files

type Obj = Readonly<Record<string, unknown>>
const isObj = (u: unknown): u is Obj => typeof u === 'object' && u !== null && !Array.isArray(u)

const TOP_KEYS = [
  'description',
  'traffic',
  'badRate',
  'canaryBadRate',
  'latency',
  'latencyBoundaryMs',
  'regression',
  'metrics',
  'noData',
  'flaky',
  'heterogeneity',
  'diurnal',
  'slotMs',
  'pointMs',
] as const

const checkKeys = (o: Obj, path: string, known: readonly string[], errors: string[]): void => {
  for (const k of Object.keys(o)) {
    if (known.includes(k)) continue
    const hint = suggestKey(k, known)
    errors.push(`${path === '' ? k : `${path}.${k}`}: unknown field${hint !== undefined ? ` (did you mean "${hint}"?)` : ''}; expected one of ${known.join(', ')}`)
  }
}

const num = (o: Obj, key: string, path: string, errors: string[], lo: number, hi: number): number | undefined => {
  const v = o[key]
  if (v === undefined) return undefined
  if (typeof v !== 'number' || !Number.isFinite(v) || v < lo || v > hi) {
    errors.push(`${path === '' ? key : `${path}.${key}`}: expected a number from ${lo} to ${hi}, got ${JSON.stringify(v)}`)
    return undefined
  }
  return v
}

const dur = (o: Obj, key: string, path: string, errors: string[]): number | undefined => {
  const v = o[key]
  if (v === undefined) return undefined
  const r = parseDuration(v)
  if (E.isLeft(r)) {
    errors.push(`${path}.${key}: ${r.left}`)
    return undefined
  }
  return r.right
}

/**
 * Reads a scenario from a parsed YAML/JSON object: the simulator's configuration (`traffic`, `badRate`,
 * `canaryBadRate`, `latency`, `regression` with `at` as a duration, `metrics`, `heterogeneity`, `diurnal`)
 * plus `noData` outages (`[{ from: 1m, to: 4m, metrics?: [...] }]`) and `flaky` (a probability).
 * `traffic` defaults to `{ rate: defaultRate, split: weighted }` and `badRate` to 0.2%.
 *
 * @example
 * ```ts
 * scenarioFromObject('s.yaml', { badRate: 0.01, regression: { at: '2m', badRateMultiplier: 3 } }, 100)
 * ```
 * @category parsers
 */
export const scenarioFromObject = (file: string, input: unknown, defaultRate: number): E.Either<string[], Scenario> => {
  const errors: string[] = []
  if (!isObj(input)) return E.left([`${file}: expected a scenario object (traffic, badRate, regression, noData, flaky...)`])
  checkKeys(input, '', TOP_KEYS, errors)
  let traffic: SimulatorConfig['traffic'] = { rate: defaultRate, split: 'weighted' }
  if (input.traffic !== undefined) {
    if (!isObj(input.traffic)) errors.push('traffic: expected an object { rate, split }')
    else {
      checkKeys(input.traffic, 'traffic', ['rate', 'split'], errors)
      const rate = num(input.traffic, 'rate', 'traffic', errors, 0, 1e7) ?? defaultRate
      const split = input.traffic.split ?? 'weighted'
      if (split !== 'weighted' && split !== 'perArm') errors.push(`traffic.split: expected "weighted" or "perArm", got ${JSON.stringify(split)}`)
      traffic = { rate, split: split === 'perArm' ? 'perArm' : 'weighted' }
    }
  }
  const badRate = num(input, 'badRate', '', errors, 0, 1) ?? BASE_BAD_RATE
  const canaryBadRate = num(input, 'canaryBadRate', '', errors, 0, 1)
  let regression: SimulatorConfig['regression']
  if (input.regression !== undefined) {
    if (!isObj(input.regression)) errors.push('regression: expected an object { at, badRateMultiplier, latencyMultiplier, tail }')
    else {
      const r = input.regression
      checkKeys(r, 'regression', ['at', 'badRateMultiplier', 'latencyMultiplier', 'tail'], errors)
      const at = dur(r, 'at', 'regression', errors) ?? 0
      const bad = num(r, 'badRateMultiplier', 'regression', errors, 0, 1e6)
      const lat = num(r, 'latencyMultiplier', 'regression', errors, 0, 1e6)
      let tail: { fraction: number; multiplier: number } | undefined
      if (r.tail !== undefined) {
        if (!isObj(r.tail)) errors.push('regression.tail: expected an object { fraction, multiplier }')
        else {
          checkKeys(r.tail, 'regression.tail', ['fraction', 'multiplier'], errors)
          tail = { fraction: num(r.tail, 'fraction', 'regression.tail', errors, 0, 1) ?? 0, multiplier: num(r.tail, 'multiplier', 'regression.tail', errors, 0, 1e6) ?? 1 }
        }
      }
      regression = { at, ...(bad !== undefined ? { badRateMultiplier: bad } : {}), ...(lat !== undefined ? { latencyMultiplier: lat } : {}), ...(tail ? { tail } : {}) }
    }
  }
  const outages: Outage[] = []
  if (input.noData !== undefined) {
    if (!Array.isArray(input.noData)) errors.push('noData: expected a list of { from, to, metrics? }')
    else
      input.noData.forEach((o: unknown, i: number) => {
        const path = `noData[${i}]`
        if (!isObj(o)) return void errors.push(`${path}: expected { from, to, metrics? }`)
        checkKeys(o, path, ['from', 'to', 'metrics'], errors)
        const from = dur(o, 'from', path, errors) ?? 0
        const to = dur(o, 'to', path, errors)
        if (to === undefined) errors.push(`${path}.to: required (a duration since the start, e.g. "4m")`)
        else if (to <= from) errors.push(`${path}: "to" must be after "from"`)
        const metrics = o.metrics
        if (metrics !== undefined && (!Array.isArray(metrics) || !metrics.every((m) => typeof m === 'string'))) errors.push(`${path}.metrics: expected a list of metric names`)
        outages.push({ from, to: to ?? from, ...(Array.isArray(metrics) ? { metrics: metrics as string[] } : {}) })
      })
  }
  const flaky = num(input, 'flaky', '', errors, 0, 1) ?? 0
  const latency = input.latency
  if (latency !== undefined && (!isObj(latency) || typeof latency.medianMs !== 'number' || typeof latency.sigma !== 'number')) {
    errors.push('latency: expected { medianMs, sigma }')
  }
  for (const k of ['heterogeneity', 'diurnal', 'metrics'] as const) {
    const v = input[k]
    if (v !== undefined && v !== false && !isObj(v)) errors.push(`${k}: expected an object${k === 'metrics' ? '' : ' or false'}`)
  }
  if (input.metrics !== undefined && isObj(input.metrics)) {
    for (const [name, b] of Object.entries(input.metrics)) {
      if (!isObj(b) || (b.source !== 'errors' && b.source !== 'latency')) errors.push(`metrics.${name}: expected { source: errors | latency, ... }`)
    }
  }
  const description = typeof input.description === 'string' ? input.description : `scenario from ${file}`
  if (errors.length > 0) return E.left(errors.map((e) => `${file}: ${e}`))
  const pass: Record<string, unknown> = {}
  for (const k of ['latency', 'latencyBoundaryMs', 'heterogeneity', 'diurnal', 'metrics', 'slotMs', 'pointMs'] as const) {
    if (input[k] !== undefined) pass[k] = input[k]
  }
  const simulator = {
    ...pass,
    traffic,
    badRate,
    ...(canaryBadRate !== undefined ? { canaryBadRate } : {}),
    ...(regression !== undefined ? { regression } : {}),
  } as SimulatorConfig
  return E.right({ name: file, description, simulator, outages, flaky })
}

/**
 * Reads a scenario file (YAML or JSON).
 *
 * @example
 * ```ts
 * import { processIo } from './io.js'
 * const s = loadScenario('examples/scenario-slow-leak.yaml', processIo(), 100)
 * ```
 * @category parsers
 */
export const loadScenario = (file: string, io: CliIo, defaultRate: number): E.Either<string[], Scenario> => {
  let text: string
  try {
    text = io.readFile(file)
  } catch (e) {
    return E.left([describeFsError(file, e)])
  }
  const docs = parseDocuments(file, text)
  if (E.isLeft(docs)) return docs
  if (docs.right.length !== 1) return E.left([`${file}: expected one scenario document, found ${docs.right.length}`])
  return scenarioFromObject(file, docs.right[0], defaultRate)
}

// ---------------------------------------------------------------------------------------------------
// the load tester and units

/**
 * The built-in scenarios for a strategy: A/B tests and blue/green canaries get the traffic of a load
 * tester (as Flagger's loadtester webhook gives them: each arm receives the scenario's rate whatever the
 * weight), since no user traffic reaches the canary while it is analysed. Canaries keep the weighted split.
 *
 * @example
 * ```ts
 * const s = builtinScenario('healthy', 100, 60_000)
 * if (s) withLoadTester(s, 'abTest').simulator.traffic.split // 'perArm'
 * ```
 * @category scenarios
 */
export const withLoadTester = (scenario: Scenario, strategy: 'canary' | 'blueGreen' | 'abTest'): Scenario =>
  strategy === 'canary' || scenario.simulator.traffic.split === 'perArm'
    ? scenario
    : {
        ...scenario,
        description: `${scenario.description}; a load tester sends ${scenario.simulator.traffic.rate} req/s to the ${strategy === 'abTest' ? 'canary (matching the A/B routes)' : 'preview (canary) service'}`,
        simulator: { ...scenario.simulator, traffic: { ...scenario.simulator.traffic, split: 'perArm' } },
      }

/**
 * The factor that turns the simulator's value for a metric into the metric's unit: latency comes in ms and
 * success / error rates in percent. A latency metric whose query reads a `_seconds` series, or whose bounds
 * are below 10 (no p99 in ms is), is in seconds (x 0.001); an error or success rate whose bounds are at most
 * 1 and whose query does not multiply by 100 is a ratio (x 0.01). 1 otherwise.
 *
 * @example
 * ```ts
 * metricScale('latency', { kind: 'threshold', max: 0.5 }, 'histogram_quantile(0.99, rate(x_seconds_bucket[1m]))') // 0.001
 * metricScale('request-success-rate', { kind: 'threshold', min: 99 }, undefined) // 1
 * ```
 * @category scenarios
 */
export const metricScale = (
  source: 'errors' | 'latency' | undefined,
  judge: { readonly kind: string; readonly min?: number; readonly max?: number; readonly successCondition?: string; readonly failureCondition?: string; readonly dialect?: string },
  query: string | undefined,
): number => {
  const bounds =
    judge.kind === 'threshold'
      ? [judge.min, judge.max].filter((b): b is number => b !== undefined)
      : judge.kind === 'condition' && judge.dialect === 'argo'
        ? [judge.successCondition, judge.failureCondition].flatMap((t) => (typeof t === 'string' ? conditionHints(t).numbers.filter((n) => n !== 0) : []))
        : []
  if (source === 'latency') {
    if (query !== undefined && /_seconds|\bseconds\b/.test(query)) return 0.001
    if (bounds.length > 0 && bounds.every((b) => Math.abs(b) < 10)) return 0.001
    return 1
  }
  if (source === 'errors') {
    if (bounds.length > 0 && bounds.every((b) => Math.abs(b) <= 1) && !(query !== undefined && /\*\s*100\b|\b100\s*\*/.test(query))) return 0.01
  }
  return 1
}
