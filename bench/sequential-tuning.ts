/**
 * Tuning simulation for the sequential judge (not part of CI): `npx tsx bench/sequential-tuning.ts [runs] [filter]`.
 *
 * Model (statistics.md section 5, as interpreted here): two arms, Poisson traffic at R requests/s per arm with a
 * shared diurnal +-30% swing (random phase), 10 s windows, 60-minute horizon, the judge checked every window.
 * Heterogeneity ON: each arm's bad-event rate is multiplied by (1 + o) with a fixed per-arm offset o ~ N(0, 5%)
 * and by (1 + a_t) with AR(1) noise a_t = 0.8 a_{t-1} + e_t, stationary SD 5%, stepped once per window
 * (`--ar-minute` steps it once per minute instead: a much slower, harsher drift).
 * Bad events given traffic: Poisson thinning (bad ~ Poisson(lambda p), good ~ Poisson(lambda (1 - p))).
 */
import {
  addWindow,
  compileDesign,
  DEFAULT_DESIGN,
  logEValue,
  type CompiledDesign,
  type SequentialDesign,
} from '../src/analysis/sequentialGrid.js'
import { DEFAULT_TOLERANCE } from '../src/analysis/sequential.js'
import { makePrng, type Prng } from '../test/helpers/prng.js'

interface Candidate {
  readonly name: string
  readonly tolerance: number
  readonly design: CompiledDesign
}

interface Scenario {
  readonly rate: number // req/s per arm
  readonly primaryBad: number
  readonly canaryBad: number
}

const WINDOW_S = 10
const WINDOWS = 360
const ALPHA = 0.01

interface RunResult {
  readonly failAt: number | null // window index of rollback
  readonly passAt: number | null // window index of early pass
}

const simulateRun = (rng: Prng, c: Candidate, s: Scenario, arPerMinute: boolean): RunResult => {
  const thr = Math.log(1 / ALPHA)
  const llr = new Array<number>(c.design.offsets.length).fill(0)
  const j = c.design.nullIndex
  const phase = rng.uniform() * 2 * Math.PI
  const oc = 0.05 * rng.normal()
  const op = 0.05 * rng.normal()
  const phi = arPerMinute ? Math.pow(0.8, WINDOW_S / 60) : 0.8
  const innov = 0.05 * Math.sqrt(1 - phi * phi)
  let ac = 0.05 * rng.normal()
  let ap = 0.05 * rng.normal()
  let passAt: number | null = null
  for (let w = 0; w < WINDOWS; w++) {
    const t = w * WINDOW_S
    const diurnal = 1 + 0.3 * Math.sin(phase + (2 * Math.PI * t) / 86_400)
    const lam = s.rate * WINDOW_S * diurnal
    const pc = Math.min(1, Math.max(0, s.canaryBad * (1 + oc) * (1 + ac)))
    const pp = Math.min(1, Math.max(0, s.primaryBad * (1 + op) * (1 + ap)))
    const cb = rng.poisson(lam * pc)
    const ct = cb + rng.poisson(lam * (1 - pc))
    const pb = rng.poisson(lam * pp)
    const pt = pb + rng.poisson(lam * (1 - pp))
    ac = phi * ac + innov * rng.normal()
    ap = phi * ap + innov * rng.normal()
    if (ct + pt === 0) continue
    addWindow(c.design.offsets, c.tolerance, llr, cb, pb, ct / (ct + pt))
    if (cb + pb === 0) continue
    if (logEValue(c.design, llr, j, 'up') >= thr) return { failAt: w, passAt }
    if (passAt === null && logEValue(c.design, llr, j, 'down') >= thr) passAt = w
  }
  return { failAt: null, passAt }
}

const quantile = (xs: number[], p: number): number => {
  const s = [...xs].sort((a, b) => a - b)
  return s[Math.min(s.length - 1, Math.floor(p * s.length))] ?? NaN
}

const minutes = (w: number): number => ((w + 1) * WINDOW_S) / 60

const runCell = (c: Candidate, s: Scenario, runs: number, seed: number, arPerMinute: boolean) => {
  const rng = makePrng(seed)
  let fails = 0
  let passes = 0
  const failTimes: number[] = []
  const passTimes: number[] = []
  for (let r = 0; r < runs; r++) {
    const res = simulateRun(rng, c, s, arPerMinute)
    // detection time: runs never detected count as +Infinity
    failTimes.push(res.failAt === null ? Infinity : minutes(res.failAt))
    if (res.failAt !== null) fails++
    if (res.passAt !== null && (res.failAt === null || res.passAt < res.failAt)) {
      passes++
      passTimes.push(minutes(res.passAt))
    }
  }
  return {
    failRate: fails / runs,
    medianFail: quantile(failTimes, 0.5),
    p90Fail: quantile(failTimes, 0.9),
    passRate: passes / runs,
    medianPass: passTimes.length > 0 ? quantile(passTimes, 0.5) : NaN,
  }
}

const halfNormal = (s: number) => (x: number) => Math.exp(-0.5 * (x / s) ** 2)
const design = (upper: (x: number) => number, offsets = DEFAULT_DESIGN.offsets): CompiledDesign =>
  compileDesign({ ...DEFAULT_DESIGN, offsets, upper } satisfies SequentialDesign)
const SECTION6_OFFSETS = [-0.5, 0, ...[1.25, 1.5, 2, 3, 5, 10].map(Math.log)]

const rayleigh = (s: number) => (x: number) => x * Math.exp(-0.5 * (x / s) ** 2)

const LOWER = [-0.92, -0.65, -0.45, -0.3, -0.19, -0.1, 0]
const G2 = [...LOWER, 0.24, 0.36, 0.48, 0.6, 0.74, 0.9, 1.08, 1.3, 1.55, 1.85, 2.3]
// the first grid tried: upper points from 1.1x the tolerance
const G0 = [...LOWER, 0.1, 0.2, 0.31, 0.43, 0.56, 0.7, 0.86, 1.04, 1.25, 1.5, 1.8, 2.3]

const gammaPdf = (k: number, t: number) => (x: number) => (x <= 0 ? 0 : (x ** (k - 1) * Math.exp(-x / t)) / (t ** k * [1, 1, 1, 2, 6, 24][k]!))
const hnPdf = (s: number) => (x: number) => (2 / (s * Math.sqrt(2 * Math.PI))) * Math.exp(-0.5 * (x / s) ** 2)
const mix = (w: number, f: (x: number) => number, g: (x: number) => number) => (x: number) => (1 - w) * f(x) + w * g(x)

// the default and a few of the designs it was chosen against (docs/sequential.md has the measured table)
const candidates: Candidate[] = [
  { name: 'section6 grid tol1.1', tolerance: 1.1, design: compileDesign({ offsets: SECTION6_OFFSETS, upper: () => 1, lower: () => 1 }) },
  { name: 'default', tolerance: DEFAULT_TOLERANCE, design: compileDesign(DEFAULT_DESIGN) },
  { name: 'alt hn0.8 tol1.1', tolerance: 1.1, design: design(halfNormal(0.8), G0) },
  { name: 'alt ray0.6 tol1.12', tolerance: 1.12, design: design(rayleigh(0.6), G0) },
  { name: 'alt G2gam4 tol1.12', tolerance: 1.12, design: design(gammaPdf(4, 0.15), G2) },
  { name: 'alt G2mix.2 tol1.12', tolerance: 1.12, design: design(mix(0.2, gammaPdf(4, 0.15), hnPdf(1.5)), G2) },
]

const scenarios: { label: string; s: Scenario; h0: boolean }[] = [
  { label: 'H0 @1', s: { rate: 1, primaryBad: 0.01, canaryBad: 0.01 }, h0: true },
  { label: 'H0 @10', s: { rate: 10, primaryBad: 0.01, canaryBad: 0.01 }, h0: true },
  { label: 'H0 @100', s: { rate: 100, primaryBad: 0.01, canaryBad: 0.01 }, h0: true },
  { label: '2x @10', s: { rate: 10, primaryBad: 0.01, canaryBad: 0.02 }, h0: false },
  { label: '5x @10', s: { rate: 10, primaryBad: 0.01, canaryBad: 0.05 }, h0: false },
  { label: '1.5x @10', s: { rate: 10, primaryBad: 0.01, canaryBad: 0.015 }, h0: false },
  { label: '2x @100', s: { rate: 100, primaryBad: 0.01, canaryBad: 0.02 }, h0: false },
  { label: '1.5x @100', s: { rate: 100, primaryBad: 0.01, canaryBad: 0.015 }, h0: false },
  { label: '2x @1', s: { rate: 1, primaryBad: 0.01, canaryBad: 0.02 }, h0: false },
]

const args = process.argv.slice(2)
const runs = Number(args.find((a) => /^\d+$/.test(a)) ?? 2000)
const filter = args.find((a) => !/^\d+$/.test(a) && !a.startsWith('--'))
const arPerMinute = args.includes('--ar-minute')
const onlyH0 = args.includes('--h0')
const onlyH1 = args.includes('--h1')
const onlyCells = args.find((a) => a.startsWith('--only='))?.slice(7).split(',')

console.log(`runs per cell: ${runs} (H1 cells: ${Math.max(200, Math.floor(runs / 2))}), AR step: ${arPerMinute ? '1 min' : '10 s'}`)
for (const c of candidates) {
  if (filter !== undefined && !c.name.includes(filter)) continue
  const cells: string[] = []
  for (const [i, sc] of scenarios.entries()) {
    if ((onlyH0 && !sc.h0) || (onlyH1 && sc.h0)) continue
    if (onlyCells !== undefined && !onlyCells.includes(sc.label)) continue
    const n = sc.h0 ? runs : Math.max(200, Math.floor(runs / 2))
    const r = runCell(c, sc.s, n, 1000 + i, arPerMinute)
    cells.push(
      sc.h0
        ? `${sc.label}: FR ${(100 * r.failRate).toFixed(2)}% pass ${(100 * r.passRate).toFixed(0)}% (med ${r.medianPass.toFixed(1)}m)`
        : `${sc.label}: det ${(100 * r.failRate).toFixed(0)}% med ${r.medianFail.toFixed(2)}m p90 ${r.p90Fail.toFixed(1)}m`,
    )
  }
  console.log(`${c.name.padEnd(22)} ${cells.join(' | ')}`)
}
