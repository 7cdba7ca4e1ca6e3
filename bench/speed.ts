/**
 * Engine speed: step() throughput for a threshold canary and for the sequential judge with 3 metrics, beside a
 * minimal hand-written reducer (the floor) in the same run; cost per step as a rollout grows; the held tick (a
 * step while the evidence gate holds the promotion) beside a normal sequential tick; what the testing samplers'
 * guard costs per call; encoded state size; cold import time of the main entry in a fresh node process; and a
 * controller-scale run (10,000 rollouts, decodeState -> step -> encodeState per tick). Medians of repeated runs.
 *
 * @module
 */
import { execFileSync } from 'node:child_process'
import { existsSync, mkdirSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import * as E from 'fp-ts/lib/Either.js'
import type { Decision, Observation, RolloutSpec, RolloutState } from '../src/index.js'
import * as source from '../src/index.js'

// The engine under test: the built package (dist/index.js, what users run) when it exists, else the sources
// through tsx (slower: tsx keeps function names with a helper call per closure). The table says which.
type Core = Pick<typeof source, 'decodeSpec' | 'decodeState' | 'encodeState' | 'initialState' | 'step'>
let core: Core = source
let coreSource = 'src/ (tsx)'
const distIndex = fileURLToPath(new URL('../dist/index.js', import.meta.url))
const decodeSpec: Core['decodeSpec'] = (...a) => core.decodeSpec(...a)
const decodeState: Core['decodeState'] = (...a) => core.decodeState(...a)
const encodeState: Core['encodeState'] = (...a) => core.encodeState(...a)
const initialState: Core['initialState'] = (...a) => core.initialState(...a)
let step: Core['step'] = (...a) => core.step(...a)
const loadCore = async (): Promise<void> => {
  if (!existsSync(distIndex)) return
  core = (await import(distIndex)) as Core
  step = core.step
  coreSource = 'dist/index.js (the built package)'
}
import { createSimulator } from '../src/testing/simulator.js'
import { floorStep } from './floor.js'
import type { FloorState } from './floor.js'
import type { QualityResults } from './quality.js'
import { median } from './stats.js'
import { medianRatio, sideBySide } from './sideBySide.js'
import { samplerCosts, type SamplerCosts } from './samplerCost.js'

/**
 * Measured speed figures (undefined when a part could not run).
 *
 * @example
 * ```ts
 * declare const s: SpeedResults
 * s.thresholdPerSec
 * ```
 */
export interface SpeedResults {
  readonly thresholdPerSec: number
  readonly floorPerSec: number
  readonly sequentialPerSec: number
  readonly sequentialError: string | null
  readonly growth: readonly { readonly tick: number; readonly nsPerStep: number }[]
  readonly stateBytesThreshold: number
  readonly stateBytesSequential: number
  readonly importMs: number | null
  readonly importProcessMs: number | null
  readonly importSource: string
  readonly engineSource: string
  readonly reconcilesPerSec: number
  readonly rollouts: number
  readonly repeats: number
  /** The held tick beside a normal sequential tick (null when the recorded runs held no promotion). */
  readonly held: HeldTickCost | null
  readonly samplers: SamplerCosts
}

/**
 * Nanoseconds per step() of a held tick (the evidence gate holding the promotion, its estimate projected for the
 * reason text, at most 200 windows per metric), of the slowest tenth of the held ticks (chosen by a first timing
 * pass over each one), and of a normal sequential tick (mid-program, no gate), measured side by side; the ratios
 * are medians of per-repeat ratios.
 *
 * @example
 * ```ts
 * declare const h: HeldTickCost
 * h.ratio // held / normal
 * ```
 */
export interface HeldTickCost {
  readonly nsHeld: number
  readonly nsSlowest: number
  readonly nsNormal: number
  readonly ratio: number
  readonly ratioSlowest: number
  readonly held: number
  readonly slowest: number
  readonly normal: number
}

const must = (input: unknown): RolloutSpec => {
  const r = decodeSpec(input)
  if (E.isLeft(r)) throw new Error(`bench spec rejected: ${JSON.stringify(r.left)}`)
  return r.right
}

const THRESHOLD_SPEC = {
  strategy: { canary: { stepWeight: 10, maxWeight: 50 } },
  analysis: { interval: '1m', threshold: 5, metrics: [{ name: 'request-success-rate', thresholdRange: { min: 99 } }] },
}
const SEQUENTIAL_SPEC = {
  strategy: { canary: { stepWeight: 10, maxWeight: 50 } },
  analysis: {
    interval: '1m',
    threshold: 5,
    metrics: [
      { name: 'errors', sequential: { alpha: 0.01 } },
      { name: 'latency', sequential: { alpha: 0.01 } },
      { name: 'error-rate', sequential: { alpha: 0.01, tolerance: 1.2 } },
    ],
  },
}

const READY = { canary: true, primary: true } as const

/** A recorded rollout: the (state, observation) pairs that were stepped, in order. */
interface Trajectory {
  readonly pairs: { state: RolloutState; obs: Observation }[]
  readonly maxStateBytes: number
}

const record = (spec: RolloutSpec, seed: number, maxTicks: number, badRate = 0.005, rate = 50): Trajectory => {
  const sim = createSimulator({ traffic: { rate }, badRate, heterogeneity: false, slotMs: 1000 }, seed)
  const pairs: { state: RolloutState; obs: Observation }[] = []
  let state = initialState(spec, 0)
  let d: Decision = step(spec, state, { at: 0, revision: 'v1' })
  state = d.state
  let t = 1000
  let obs: Observation = { at: t, revision: 'v2', ready: READY }
  let maxStateBytes = 0
  for (let i = 0; i < maxTicks; i++) {
    pairs.push({ state, obs })
    d = step(spec, state, obs)
    state = d.state
    maxStateBytes = Math.max(maxStateBytes, JSON.stringify(encodeState(state)).length)
    if (state.phase === 'succeeded' || state.phase === 'failed') break
    t = Math.max(t + 1, d.wakeAt ?? t + 60_000)
    obs = { at: t, samples: sim.answer(d.needs, t, state.traffic.weight), ready: READY }
  }
  return { pairs, maxStateBytes }
}

/** Operations per second of `body` (which returns how many it did), at least `minMs` per repeat; median of `repeats`. */
const throughput = (repeats: number, minMs: number, body: () => number): number => median(sideBySide(repeats, minMs, [body])[0]!.map((ns) => 1e9 / ns))

let sink = 0

/**
 * The sequential canary of SEQUENTIAL_SPEC with a program that ends (10, 20, 30%) long before 2 req/s per arm
 * can rule out a doubled bad-event rate for each metric: past the program, the evidence gate holds the
 * promotion (each held tick projects the evidence forward for its reason, at most 200 windows per metric)
 * until the 30-minute evidence timeout.
 */
const HELD_SPEC = { ...SEQUENTIAL_SPEC, strategy: { canary: { stepWeight: 10, maxWeight: 30 } } }
const HELD_RATE = 2

const heldTickCost = (quick: boolean, repeats: number, minMs: number): HeldTickCost | null => {
  const spec = must(HELD_SPEC)
  const held: Trajectory['pairs'] = []
  const normal: Trajectory['pairs'] = []
  for (let seed = 7; seed < (quick ? 9 : 13); seed++) {
    for (const p of record(spec, seed, 80, 0.01, HELD_RATE).pairs) {
      const d = step(spec, p.state, p.obs)
      if (d.reasons.some((r) => r.code === 'awaitingEvidence')) held.push(p)
      else if (d.reasons.some((r) => r.code === 'analysisPassed')) normal.push(p)
    }
  }
  if (held.length === 0 || normal.length === 0) return null
  const body = (pairs: Trajectory['pairs']) => (): number => {
    for (const p of pairs) sink += step(spec, p.state, p.obs).wakeAt ?? 0
    return pairs.length
  }
  // a first pass times each held call on its own; its slowest tenth is then measured beside the others
  const single = held.map((p) => ({ p, ns: median(sideBySide(1, quick ? 2 : 5, [body([p])])[0]!) }))
  const slowest = single.sort((a, b) => b.ns - a.ns).slice(0, Math.max(1, Math.round(held.length / 10))).map((x) => x.p)
  const bodies = [body(normal), body(held), body(slowest)]
  for (const b of bodies) b()
  const [n, h, s] = sideBySide(repeats, minMs, bodies)
  return {
    nsNormal: median(n!),
    nsHeld: median(h!),
    nsSlowest: median(s!),
    ratio: medianRatio(h!, n!),
    ratioSlowest: medianRatio(s!, n!),
    held: held.length,
    slowest: slowest.length,
    normal: normal.length,
  }
}

const coldImport = (quick: boolean): { importMs: number | null; processMs: number | null; source: string } => {
  const root = fileURLToPath(new URL('../', import.meta.url))
  let target = `${root}dist/index.js`
  let source = 'dist/index.js (the built package)'
  if (!existsSync(target)) {
    // build the main entry the way tsup.config.ts does (esm, tree-shaken) into a scratch directory
    const out = `${root}.tmp/bench-dist`
    try {
      mkdirSync(out, { recursive: true })
      execFileSync('npx', ['tsup', 'src/index.ts', '--format', 'esm', '--treeshake', '--target', 'node20', '--out-dir', out, '--no-config', '--silent'], {
        cwd: root,
        stdio: 'pipe',
        timeout: 120_000,
      })
      target = `${out}/index.js`
      source = 'a tsup build of src/index.ts (esm, tree-shaken) in .tmp/bench-dist: dist/ was not built'
    } catch (e) {
      return { importMs: null, processMs: null, source: `not measured: tsup build failed (${String(e).slice(0, 120)})` }
    }
  }
  const code = `const t0 = performance.now(); await import(${JSON.stringify(target)}); process.stdout.write(String(performance.now() - t0))`
  const imports: number[] = []
  const procs: number[] = []
  for (let i = 0; i < (quick ? 3 : 9); i++) {
    const t0 = performance.now()
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', code], { cwd: root, encoding: 'utf8' })
    procs.push(performance.now() - t0)
    imports.push(Number(out))
  }
  return { importMs: median(imports), processMs: median(procs), source }
}

/**
 * Runs the speed measurements.
 *
 * @example
 * ```ts
 * const s = await runSpeed(true)
 * ```
 */
export const runSpeed = async (quick: boolean): Promise<SpeedResults> => {
  await loadCore()
  const repeats = quick ? 3 : 7
  const minMs = quick ? 150 : 600
  process.stderr.write('engine speed...\n')
  const tSpec = must(THRESHOLD_SPEC)
  const thr = record(tSpec, 1, 200)
  const thresholdPerSec = throughput(repeats, minMs, () => {
    for (const p of thr.pairs) sink += step(tSpec, p.state, p.obs).wakeAt ?? 0
    return thr.pairs.length
  })
  // the floor on the same observations (its own state, same values and windows)
  const floorInputs = thr.pairs.map((p) => {
    const s = p.obs.samples?.find((x) => x.kind === 'value')
    const v = s && s.kind === 'value' ? (typeof s.value === 'number' ? s.value : Array.isArray(s.value) && typeof s.value[0] === 'number' ? s.value[0] : Number.NaN) : Number.NaN
    return { at: p.obs.at, value: v, to: s?.window.to ?? 0 }
  })
  const floorStates: FloorState[] = []
  {
    let fs: FloorState = { phase: 0, weight: 10, fails: 0, nextTickAt: 0, lastTo: 0 }
    for (const f of floorInputs) {
      floorStates.push(fs)
      fs = floorStep(fs, f.at, f.value, f.to).state
    }
  }
  const floorPerSec = throughput(repeats, minMs, () => {
    for (let i = 0; i < floorInputs.length; i++) {
      const f = floorInputs[i]
      const s = floorStates[i]
      if (f && s) sink += floorStep(s, f.at, f.value, f.to).weight
    }
    return floorInputs.length
  })
  let sequentialPerSec = Number.NaN
  let sequentialError: string | null = null
  let stateBytesSequential = Number.NaN
  try {
    const sSpec = must(SEQUENTIAL_SPEC)
    const seq = record(sSpec, 2, 200)
    stateBytesSequential = seq.maxStateBytes
    const errorReasons = seq.pairs.length > 2 ? step(sSpec, seq.pairs[2]!.state, seq.pairs[2]!.obs).reasons.filter((r) => r.code === 'metricError') : []
    if (errorReasons.length > 0) sequentialError = errorReasons[0]?.message ?? 'metricError'
    sequentialPerSec = throughput(repeats, minMs, () => {
      for (const p of seq.pairs) sink += step(sSpec, p.state, p.obs).wakeAt ?? 0
      return seq.pairs.length
    })
  } catch (e) {
    sequentialError = String(e)
  }
  // cost per step as a rollout grows: one long analysis step, measured at increasing tick counts
  const longSpec = must({
    strategy: { canary: { steps: [{ setWeight: 10 }, { analysis: { intervals: 100_000 } }] } },
    analysis: { interval: '1m', threshold: 1_000_000, metrics: [{ name: 'request-success-rate', thresholdRange: { min: 0 } }] },
  })
  const long = record(longSpec, 3, quick ? 1_001 : 10_001, 0.01)
  const growth: { tick: number; nsPerStep: number }[] = []
  // warm the JIT on every measured point first, so the first point is not charged for compilation
  for (const tick of [10, 100, 1_000, 10_000]) {
    const p = long.pairs[tick]
    if (p) for (let i = 0; i < 2_000; i++) sink += step(longSpec, p.state, p.obs).wakeAt ?? 0
  }
  for (const tick of [10, 100, 1_000, 10_000]) {
    const p = long.pairs[tick]
    if (!p) continue
    const perSec = throughput(repeats, Math.max(50, minMs / 3), () => {
      for (let i = 0; i < 200; i++) sink += step(longSpec, p.state, p.obs).wakeAt ?? 0
      return 200
    })
    growth.push({ tick, nsPerStep: 1e9 / perSec })
  }
  // controller scale: N rollouts, each tick decodeState -> step -> encodeState
  const rollouts = quick ? 1_000 : 10_000
  const fleet: unknown[] = []
  const fleetObs: Observation[] = []
  for (let i = 0; i < rollouts; i++) {
    const p = thr.pairs[2 + (i % Math.max(1, thr.pairs.length - 3))] ?? thr.pairs[0]
    if (!p) break
    fleet.push(JSON.parse(JSON.stringify(encodeState(p.state))))
    fleetObs.push(p.obs)
  }
  const reconcilesPerSec = throughput(repeats, minMs, () => {
    for (let i = 0; i < fleet.length; i++) {
      const decoded = decodeState(fleet[i])
      if (E.isLeft(decoded)) continue
      const d = step(tSpec, decoded.right, fleetObs[i]!)
      sink += (encodeState(d.state) as { at?: number }).at ?? 0
    }
    return fleet.length
  })
  const held = heldTickCost(quick, repeats, minMs)
  const samplers = await samplerCosts(repeats, quick ? 50 : 300)
  const imp = coldImport(quick)
  if (sink === 42) process.stderr.write('')
  return {
    thresholdPerSec,
    floorPerSec,
    sequentialPerSec,
    sequentialError,
    growth,
    stateBytesThreshold: thr.maxStateBytes,
    stateBytesSequential,
    importMs: imp.importMs,
    importProcessMs: imp.processMs,
    importSource: imp.source,
    engineSource: coreSource,
    reconcilesPerSec,
    rollouts,
    repeats,
    held,
    samplers,
  }
}

const num = (x: number): string => (Number.isNaN(x) ? 'n/a' : x >= 1e6 ? `${(x / 1e6).toFixed(2)} M` : x >= 1e3 ? `${(x / 1e3).toFixed(1)} k` : x.toFixed(0))

/**
 * Markdown for the speed section.
 *
 * @example
 * ```ts
 * declare const s: SpeedResults
 * speedTables(s)
 * ```
 */
export const speedTables = (s: SpeedResults): string[] => [
  `Medians of ${s.repeats} repeated timings in one process (warm JIT). Recorded rollouts are replayed: each (state, observation) pair of a real trajectory is stepped again, so the work per call is the real work.`,
  '',
  '| measure | figure |',
  '|---|---|',
  `| step(), threshold canary (1 metric) | ${num(s.thresholdPerSec)} decisions/s |`,
  `| floor: hand-written reducer, same canary, same inputs | ${num(s.floorPerSec)} decisions/s |`,
  `| ratio engine / floor (time per decision) | ${(s.floorPerSec / s.thresholdPerSec).toFixed(1)}x |`,
  `| step(), sequential judge, 3 metrics | ${num(s.sequentialPerSec)} decisions/s${s.sequentialError ? ` (WARNING: the engine answered metricError: "${s.sequentialError}", so this is not the judge's cost)` : ''} |`,
  ...s.growth.map((g) => `| cost per step at tick ${g.tick} of a long rollout | ${g.nsPerStep.toFixed(0)} ns |`),
  `| encoded state, largest seen (threshold / sequential x3) | ${s.stateBytesThreshold} / ${Number.isNaN(s.stateBytesSequential) ? 'n/a' : s.stateBytesSequential} bytes of JSON |`,
  `| cold import of the main entry (in-process, median) | ${s.importMs === null ? 'n/a' : `${s.importMs.toFixed(0)} ms`} |`,
  `| whole \`node\` process doing only that import | ${s.importProcessMs === null ? 'n/a' : `${s.importProcessMs.toFixed(0)} ms`} |`,
  `| import measured on | ${s.importSource} |`,
  `| engine measured on | ${s.engineSource} |`,
  `| controller scale: ${s.rollouts} rollouts, decodeState -> step -> encodeState | ${num(s.reconcilesPerSec)} reconciles/s |`,
  ...heldRows(s.held),
  ...samplerRows(s.samplers),
]

const us = (ns: number): string => `${(ns / 1000).toFixed(ns < 10_000 ? 1 : 0)} µs`

const heldRows = (h: HeldTickCost | null): string[] =>
  h === null
    ? ['| held tick (evidence gate) | not measured: the recorded runs held no promotion |']
    : [
        `| normal sequential tick (3 metrics, ${HELD_RATE} req/s per arm, mid-program; ${h.normal} recorded calls) | ${us(h.nsNormal)} per step |`,
        `| held tick: the evidence gate holds the promotion, its estimate projected for the reason, at most 200 windows per metric (same runs; ${h.held} calls) | ${us(h.nsHeld)} per step, ${h.ratio.toFixed(1)}x the normal tick |`,
        `| the slowest tenth of those held calls (${h.slowest}, chosen by timing each one first) | ${us(h.nsSlowest)} per step, ${h.ratioSlowest.toFixed(1)}x the normal tick |`,
      ]

const samplerRows = (c: SamplerCosts): string[] => [
  `| testing samplers: one guard layer per call (a guarded \`rng.next()\` against the bare call, paired) | ${c.nsGuard.toFixed(1)} ns per call${c.nsGuard <= 0 ? ', not measurable: within the timing noise' : ''} (${c.nsBare.toFixed(1)} ns bare, ${c.nsGuarded.toFixed(1)} ns guarded) |`,
  ...c.draws.map((d) => `| a draw as exported (guarded): ${d.name} | ${d.ns.toFixed(0)} ns |`),
  `| samplers measured on | ${c.source} |`,
]

const verdict = (ok: boolean | null): string => (ok === null ? 'not measured' : ok ? 'met' : '**not met**')

/**
 * The issue's targets with the measured figure beside each.
 *
 * @example
 * ```ts
 * targetRows(null, null)
 * ```
 */
export const targetRows = (q: QualityResults | null, s: SpeedResults | null): string[] => {
  const rows = ['| target | measured | status |', '|---|---|---|']
  if (q) {
    for (const rate of [1, 10, 100]) {
      const c = q.get('headline', 'err-1', rate, 'sequential')
      const l = q.get('headline', 'lat-0', rate, 'sequential')
      const worst = Math.max(c?.rollbackRate ?? Number.NaN, l?.rollbackRate ?? Number.NaN)
      rows.push(
        `| sequential false rollbacks <= 1% at ${rate} req/s/arm, heterogeneity ON | errors ${c ? `${(100 * c.rollbackRate).toFixed(2)}% (n=${c.runs})` : 'n/a'}, latency ${l ? `${(100 * l.rollbackRate).toFixed(2)}% (n=${l.runs})` : 'n/a'} | ${verdict(Number.isNaN(worst) ? null : worst <= 0.01)} |`,
      )
    }
    const d2 = q.get('headline', 'err-2', 10, 'sequential')
    rows.push(`| 1% -> 2% at 10 req/s/arm: median detection <= 7 min | ${d2 ? `${d2.delayMedianMin.toFixed(1)} min` : 'n/a'} | ${verdict(d2 ? d2.delayMedianMin <= 7 : null)} |`)
    const d5 = q.get('headline', 'err-5', 10, 'sequential')
    rows.push(`| 1% -> 5% at 10 req/s/arm: median detection <= 1 min | ${d5 ? `${d5.delayMedianMin.toFixed(2)} min` : 'n/a'} | ${verdict(d5 ? d5.delayMedianMin <= 1 : null)} |`)
  }
  if (s) {
    rows.push(`| step() >= 1,000,000/s, threshold canary | ${num(s.thresholdPerSec)}/s | ${verdict(s.thresholdPerSec >= 1e6)} |`)
    const ratio = s.floorPerSec / s.thresholdPerSec
    rows.push(`| step() <= 3x the hand-written floor | ${ratio.toFixed(1)}x | ${verdict(ratio <= 3)} |`)
    rows.push(`| step() >= 200,000/s, sequential judge (3 metrics) | ${num(s.sequentialPerSec)}/s${s.sequentialError ? ' (judge answered metricError)' : ''} | ${verdict(Number.isNaN(s.sequentialPerSec) || s.sequentialError ? null : s.sequentialPerSec >= 2e5)} |`)
    const bytes = Math.max(s.stateBytesThreshold, Number.isNaN(s.stateBytesSequential) ? 0 : s.stateBytesSequential)
    rows.push(`| encoded state <= 2 KB | ${bytes} bytes | ${verdict(bytes <= 2048)} |`)
    rows.push(`| cold import <= 150 ms | ${s.importMs === null ? 'n/a' : `${s.importMs.toFixed(0)} ms in-process, ${s.importProcessMs?.toFixed(0)} ms whole process`} | ${verdict(s.importMs === null ? null : s.importMs <= 150)} |`)
    rows.push(`| >= 50,000 reconciles/s (decode -> step -> encode) | ${num(s.reconcilesPerSec)}/s | ${verdict(s.reconcilesPerSec >= 5e4)} |`)
  }
  return rows
}
