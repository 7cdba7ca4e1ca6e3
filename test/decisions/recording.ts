/**
 * The decision recording: a fixed set of seeded random rollouts over every strategy, whose decisions are
 * committed (test/decisions/decisions.jsonl) and compared byte for byte by decisions.test.ts, so that a
 * restructuring of the engine can prove it changed nothing. Each run keeps its spec input and the exact
 * observations it was fed, so the comparison replays them through `decodeSpec` / `initialState` / `step`
 * only: a change to the arbitraries, the script player or fast-check never changes what is compared.
 *
 * Recording draws the inputs with fast-check from fixed seeds (`canarySpecInput`, `observationScript`
 * from src/testing, the blue/green forms from test/helpers/rolloutArbitraries.ts, which the engine's
 * properties share, and the A/B and mirror forms below) and plays them with `playScript`.
 * Re-record after an intended behaviour change: `npm run decisions:record` (docs/architecture.md).
 *
 * @module
 */
import { createHash } from 'node:crypto'
import fc from 'fast-check'
import * as E from 'fp-ts/lib/Either.js'
import { decodeSpec } from '../../src/config/decodeSpec.js'
import type { Decision } from '../../src/engine/decision.js'
import { initialState } from '../../src/engine/initialState.js'
import type { Observation } from '../../src/model/observation.js'
import { step } from '../../src/engine/step.js'
import { encodeState } from '../../src/engine/stateCodec.js'
import { canarySpecInput, observationScript, type ScriptStep } from '../../src/testing/arbitraries.js'
import { playScript } from '../../src/testing/play.js'
import { blueGreenIterations, blueGreenPreview, GATE_TYPES } from '../helpers/rolloutArbitraries.js'

/** Format version of the recording file; bump when the line format changes. */
export const RECORDING_VERSION = 1

/** The start instant of every run (what `playScript` uses by default). */
const START = 1_700_000_000_000

/** Runs per family and the base seed: changing either changes the recorded set (re-record). */
const RUNS_PER_FAMILY = 8
const BASE_SEED = 16_2026

const analysis = (metrics: fc.Arbitrary<readonly unknown[]>) =>
  fc.record({
    interval: fc.constantFrom('10s', '30s', '1m'),
    threshold: fc.integer({ min: 1, max: 4 }),
    noDataLimit: fc.integer({ min: 1, max: 4 }),
    metrics,
  })
const basicMetrics = fc.uniqueArray(
  fc.oneof(
    fc.constant({ name: 'sr', thresholdRange: { min: 99 } }),
    fc.constant({ name: 'latency', thresholdRange: { max: 500 } }),
    fc.constant({ name: 'errors', sequential: {} }),
  ),
  { minLength: 1, maxLength: 3, selector: (m) => m.name },
)
const gates = fc.subarray([...GATE_TYPES], { maxLength: 3 }).map((types) => types.map((type, i) => ({ name: `g${i}`, type })))

const withAnalysis = (strategy: fc.Arbitrary<unknown>, metrics: fc.Arbitrary<readonly unknown[]> = basicMetrics) =>
  fc.record({ strategy, analysis: analysis(metrics), gates }).map((r) => ({ ...r, progressDeadline: '5m' }))

/** The families of specs: every strategy and every judge. */
const FAMILIES: readonly { readonly name: string; readonly spec: fc.Arbitrary<unknown> }[] = [
  { name: 'canary-linear', spec: canarySpecInput({ forms: ['linear'] }) },
  { name: 'canary-stepWeights', spec: canarySpecInput({ forms: ['stepWeights'] }) },
  { name: 'canary-steps', spec: canarySpecInput({ forms: ['steps'] }) },
  {
    name: 'canary-mirror',
    spec: withAnalysis(
      fc
        .record({ stepWeight: fc.integer({ min: 5, max: 60 }), maxWeight: fc.integer({ min: 10, max: 100 }), mirrorWeight: fc.integer({ min: 1, max: 100 }) })
        .map((c) => ({ canary: { stepWeight: c.stepWeight, maxWeight: Math.max(c.stepWeight, c.maxWeight), mirror: true, mirrorWeight: c.mirrorWeight } })),
    ),
  },
  {
    name: 'blueGreen-iterations',
    spec: withAnalysis(blueGreenIterations({ autoPromotion: false }).map((b) => ({ blueGreen: b }))),
  },
  {
    name: 'blueGreen-preview',
    spec: withAnalysis(blueGreenPreview.map((b) => ({ blueGreen: b }))),
  },
  {
    name: 'abTest',
    spec: withAnalysis(
      fc
        .record({
          iterations: fc.integer({ min: 1, max: 4 }),
          match: fc.constantFrom([{ headers: { 'x-canary': { exact: 'insider' } } }], [{ cookies: { canary: { regex: '^(.*;)?canary=always(;.*)?$' } } }]),
        })
        .map((a) => ({ abTest: a })),
    ),
  },
  {
    name: 'judges',
    spec: withAnalysis(
      fc.constant({ canary: { stepWeight: 20, maxWeight: 60 } }),
      fc.uniqueArray(
        fc.oneof(
          fc.constant({ name: 'cond', successCondition: 'result >= 95', failureLimit: 1 }),
          fc.constant({ name: 'cond-math', successCondition: 'result >= 95 and result <= 100', dialect: 'mathjs' }),
          fc.constant({ name: 'mw', mannWhitney: { direction: 'increase', allowedIncrease: 1.2, minPoints: 5 } }),
          fc.constant({ name: 'errors', sequential: { alpha: 0.05, tolerance: 1.1 } }),
          fc.constant({ name: 'sr', thresholdRange: { min: 99 } }),
        ),
        { minLength: 1, maxLength: 3, selector: (m) => m.name },
      ),
    ),
  },
]

/**
 * One recorded run: its family, the spec input, and the observations `step` was fed in order.
 *
 * @example
 * ```ts
 * const r: RecordedRun = { name: 'abTest#0', input: {}, observations: [] }
 * ```
 */
export interface RecordedRun {
  readonly name: string
  readonly input: unknown
  readonly observations: readonly Observation[]
}

/**
 * Draws the fixed set of runs (fast-check from fixed seeds, then `playScript`): what `--write` records.
 *
 * @example
 * ```ts
 * generateRuns().length // 8 families x 8 runs
 * ```
 */
export const generateRuns = (): RecordedRun[] => {
  const runs: RecordedRun[] = []
  FAMILIES.forEach((family, f) => {
    const pairs = fc.sample(fc.tuple(family.spec, observationScript({ minLength: 5, maxLength: 30, commands: 0.08, garbage: 0.05, newRevisions: 0.03 })), {
      seed: BASE_SEED + f,
      numRuns: RUNS_PER_FAMILY,
    })
    pairs.forEach(([input, script], i) => {
      const spec = decodeSpec(input)
      if (E.isLeft(spec)) throw new Error(`${family.name}#${i}: the drawn spec does not decode: ${JSON.stringify(spec.left)}`)
      const trace = playScript(spec.right, script as ScriptStep[], { start: START })
      runs.push({ name: `${family.name}#${i}`, input, observations: trace.map((t) => t.observation) })
    })
  })
  return runs
}

/** JSON with the numbers JSON has no words for (NaN, +-Infinity, -0) spelt as `{"$number": "..."}`. */
const replacer = (_key: string, value: unknown): unknown => {
  if (typeof value !== 'number') return value
  if (Number.isNaN(value)) return { $number: 'NaN' }
  if (value === Infinity) return { $number: 'Infinity' }
  if (value === -Infinity) return { $number: '-Infinity' }
  if (Object.is(value, -0)) return { $number: '-0' }
  return value
}
const reviver = (_key: string, value: unknown): unknown => {
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    const keys = Object.keys(value)
    if (keys.length === 1 && keys[0] === '$number') return Number((value as { $number: string }).$number)
  }
  return value
}

/**
 * Encodes a value as one line of the recording (JSON, special numbers spelt out).
 *
 * @example
 * ```ts
 * encodeLine({ x: NaN }) // '{"x":{"$number":"NaN"}}'
 * ```
 */
export const encodeLine = (value: unknown): string => JSON.stringify(value, replacer)

/**
 * Decodes one line of the recording.
 *
 * @example
 * ```ts
 * Number.isNaN((decodeLine('{"x":{"$number":"NaN"}}') as { x: number }).x) // true
 * ```
 */
export const decodeLine = (line: string): unknown => JSON.parse(line, reviver)

const stateDigest = (d: Decision): string => createHash('sha256').update(JSON.stringify(encodeState(d.state))).digest('hex').slice(0, 16)

/**
 * Replays one run through the engine and renders its lines: the run header, then one line per step with
 * the observation and the decision (the state as a digest of its encoded JSON, everything else in full).
 *
 * @example
 * ```ts
 * declare const run: RecordedRun
 * replayLines(run)[0] // '{"run":"...","input":...}'
 * ```
 */
export const replayLines = (run: RecordedRun): string[] => {
  const spec = decodeSpec(run.input)
  if (E.isLeft(spec)) return [encodeLine({ run: run.name, input: run.input, error: spec.left })]
  const lines = [encodeLine({ run: run.name, input: run.input, start: START })]
  let state = initialState(spec.right, START)
  for (const obs of run.observations) {
    let d: Decision
    try {
      d = step(spec.right, state, obs)
    } catch (e) {
      lines.push(encodeLine({ obs, thrown: e instanceof Error ? e.message : String(e) }))
      continue
    }
    const { state: next, ...rest } = d
    lines.push(encodeLine({ obs, decision: { ...rest, state: stateDigest(d), phase: next.phase } }))
    state = next
  }
  return lines
}

/**
 * The whole recording for a set of runs: a header line, then every run's lines.
 *
 * @example
 * ```ts
 * render(generateRuns()).split('\n')[0] // '{"recording":1,...}'
 * ```
 */
export const render = (runs: readonly RecordedRun[]): string =>
  [encodeLine({ recording: RECORDING_VERSION, runs: runs.length, note: 'generated by npm run decisions:record; compared by test/decisions/decisions.test.ts' }), ...runs.flatMap(replayLines), ''].join('\n')

/**
 * Reads the runs (names, inputs, observations) back from a recording file's text.
 *
 * @example
 * ```ts
 * declare const text: string
 * readRuns(text).length
 * ```
 */
export const readRuns = (text: string): RecordedRun[] => {
  const runs: { name: string; input: unknown; observations: Observation[] }[] = []
  for (const line of text.split('\n').slice(1)) {
    if (line === '') continue
    const v = decodeLine(line) as { run?: string; input?: unknown; obs?: Observation }
    if (v.run !== undefined) runs.push({ name: v.run, input: v.input, observations: [] })
    else if (v.obs !== undefined) runs[runs.length - 1]?.observations.push(v.obs)
  }
  return runs
}
