/**
 * The detection floor on the fleet streams (issue 12): how close ANY test valid at alpha 0.01 against the
 * tolerance 1.12 (under the independent-request model) can get to the issue's targets, measured with oracle
 * tests (bench/floor/oracle.ts) that know what a real test cannot, on the same streams and seeds as
 * bench/fleet.ts (10-s windows, equal split, 60-min horizon). docs/detection-floor.md reads the figures.
 *
 * `npx tsx bench/fleetFloor.ts [runsH0] [runsH1] [filter] [--json file]` (defaults 2000 / 500; filter: a
 * substring of the row id `section/cell/oracle`, e.g. `1/`, `h1-5x`, `pi0.75`).
 *
 * @module
 */
import { writeFileSync } from 'node:fs'
import { FLEET_CELLS } from './fleet.js'
import type { FleetCell } from './fleet.js'
import { FLEET_SLOT_MS, fleetRun } from './fleetStream.js'
import { FLEET_METHODS } from './fleetMethods.js'
import { hashString } from '../src/testing/prng.js'
import { wilson } from './stats.js'
import type { RecordedRun } from './floor/stream.js'
import { recordRun, recordRuns } from './floor/stream.js'
import type { OracleSpec } from './floor/oracle.js'
import { oracleAlarm, twoModelExponents, waldBadEvents } from './floor/oracle.js'

const MIN = 60_000
const WINDOWS = 360
const ALPHA = 0.01
const TOL = 1.12
/** bench/fleet.ts runs every cell with seed 12 (cell seed `hashString(id) ^ 12`). */
const SEED = 12

const bursts = { perPodHour: 1, multiplier: 5 }
/** Cells of this benchmark that bench/fleet.ts does not have (a regression under bursts; dispersion estimates without heterogeneity). */
const EXTRA_CELLS: readonly FleetCell[] = [
  { id: 'h1-2x-bursts-100', label: '1% -> 2%, pod bursts @ 100', h0: false, condition: { rate: 100, hetSd: 0.05, metrics: 1, bursts, multiplier: 2 } },
  { id: 'h1-2x-late-100', label: '1% -> 2% from minute 20 @ 100', h0: false, condition: { rate: 100, hetSd: 0.05, metrics: 1, multiplier: 2, onsetMs: 20 * MIN } },
  { id: 'est-clusters-10', label: 'retry clusters @ 10, no heterogeneity (dispersion only)', h0: true, condition: { rate: 10, hetSd: 0, metrics: 1, clusterMean: 3 } },
  { id: 'est-bursts-100', label: 'pod bursts @ 100, no heterogeneity (dispersion only)', h0: true, condition: { rate: 100, hetSd: 0, metrics: 1, bursts } },
]
const CELLS = new Map<string, FleetCell>([...FLEET_CELLS, ...EXTRA_CELLS].map((c) => [c.id, c]))
const cellSeed = (id: string): number => hashString(id) ^ SEED

const cache = new Map<string, RecordedRun[]>()
const runsOf = (id: string, runs: number): RecordedRun[] => {
  const key = `${id}/${runs}`
  const hit = cache.get(key)
  if (hit !== undefined) return hit
  const cell = CELLS.get(id)
  if (cell === undefined) throw new Error(`no cell ${id}`)
  const rs = recordRuns(cell.condition, cellSeed(id), runs, WINDOWS)
  cache.set(key, rs)
  return rs
}

/** The recorded streams are bench/fleet.ts's streams: the same counts, window by window (first runs of each cell). */
const checkSameStreams = (ids: readonly string[]): void => {
  for (const id of ids) {
    const c = CELLS.get(id)!.condition
    for (let r = 0; r < 3; r++) {
      const a = fleetRun(c, cellSeed(id), r)
      const b = recordRun(c, cellSeed(id), r, WINDOWS)
      for (let i = 0; i < WINDOWS; i++) {
        const w = a.window(0.5)
        const all = w.canaryTotal + w.primaryTotal
        const share = all > 0 ? w.canaryTotal / all : 0.5
        if (w.canaryBad[0] !== b.canaryBad[i] || w.primaryBad[0] !== b.primaryBad[i] || share !== b.share[i])
          throw new Error(`stream mismatch ${id} run ${r} window ${i}`)
      }
    }
  }
}

/** Order-statistic 95% interval of the q-quantile of n sorted values (distribution-free). */
const quantileCi = (xs: readonly number[], q: number): [number, number, number] => {
  const n = xs.length
  const z = 1.959963984540054
  const h = Math.sqrt(n * q * (1 - q))
  const at = (k: number): number => xs[Math.min(n - 1, Math.max(0, k))] as number
  return [at(Math.ceil(n * q) - 1), at(Math.floor(n * q - z * h) - 1), at(Math.ceil(n * q + z * h) - 1)]
}

/**
 * One measured row.
 *
 * @example
 * ```ts
 * declare const r: FloorRow
 * r.medianMin
 * ```
 */
export interface FloorRow {
  readonly id: string
  readonly runs: number
  readonly alarms: number
  readonly alarmRate: number
  readonly ci: [number, number]
  /** Alarms among runs whose true fixed relative risk is <= the tolerance (healthy cells). */
  readonly withinRuns: number
  readonly withinAlarms: number
  /** Runs detected within 1 min of the onset (a 60-s pod burst looks the same as a 2x regression for that long). */
  readonly within1Min: number
  /** Alarms before the onset (late-onset cells). */
  readonly early: number
  /** Delay from the onset, minutes (Infinity: not within the hour), with 95% order-statistic interval. */
  readonly medianMin: number
  readonly medianCi: [number, number]
  readonly p90Min: number
  readonly p90Ci: [number, number]
}

const summarise = (id: string, cell: FleetCell, runs: readonly RecordedRun[], alarms: readonly number[]): FloorRow => {
  const onset = cell.condition.onsetMs ?? 0
  const delays = alarms.map((i) => (i < 0 ? Infinity : Math.max(0, (i + 1) * FLEET_SLOT_MS - onset) / MIN)).sort((a, b) => a - b)
  const hit = alarms.filter((i) => i >= 0).length
  const early = alarms.filter((i) => i >= 0 && (i + 1) * FLEET_SLOT_MS <= onset).length
  let withinRuns = 0
  let withinAlarms = 0
  runs.forEach((r, k) => {
    if (r.relativeRisk <= TOL) {
      withinRuns++
      if ((alarms[k] as number) >= 0) withinAlarms++
    }
  })
  const [m, mlo, mhi] = quantileCi(delays, 0.5)
  const [p, plo, phi] = quantileCi(delays, 0.9)
  return {
    id,
    runs: runs.length,
    alarms: hit,
    alarmRate: hit / runs.length,
    ci: wilson(hit, runs.length),
    withinRuns,
    withinAlarms,
    early,
    within1Min: delays.filter((d) => d <= 1).length / runs.length,
    medianMin: m,
    medianCi: [mlo, mhi],
    p90Min: p,
    p90Ci: [plo, phi],
  }
}

const fmtMin = (x: number): string => (Number.isFinite(x) ? x.toFixed(2) : '>60')
const pct = (x: number): string => `${(100 * x).toFixed(2)}%`
const print = (r: FloorRow, h0: boolean): void => {
  const base = `${r.id.padEnd(52)} n=${r.runs}`
  if (h0)
    console.log(
      `${base} false rollbacks ${pct(r.alarmRate)} [${pct(r.ci[0])}-${pct(r.ci[1])}] | within tol ${pct(r.withinRuns > 0 ? r.withinAlarms / r.withinRuns : 0)} of ${r.withinRuns}`,
    )
  else
    console.log(
      `${base} detected ${pct(r.alarmRate)} median ${fmtMin(r.medianMin)} [${fmtMin(r.medianCi[0])}-${fmtMin(r.medianCi[1])}] p90 ${fmtMin(r.p90Min)} [${fmtMin(r.p90Ci[0])}-${fmtMin(r.p90Ci[1])}] <=1min ${pct(r.within1Min)}${r.early > 0 ? ` before onset ${r.early}` : ''}`,
    )
}

/** A row to measure: section/cell/oracle id, the cell, and the test (an oracle spec or the Netflix-style judge). */
interface Row {
  readonly section: string
  readonly cell: string
  readonly name: string
  readonly spec: OracleSpec | 'netflix'
}

const one = (rho: number): OracleSpec['alts'] => [{ rho, w: 1 }]
const sr = (rho0: number, alts: OracleSpec['alts'], startMass: number, extra: Partial<OracleSpec> = {}): OracleSpec => ({ rho0, alts, startMass, alpha: ALPHA, ...extra })

/** Long-run variance inflation of the canary's share of bad events (60-min sums), on runs without heterogeneity. */
const dispersion = (id: string, runs: number, clustersOnce = false): number => {
  let z2 = 0
  let v = 0
  for (const r of runsOf(id, runs)) {
    let z = 0
    for (let i = 0; i < WINDOWS; i++) {
      const x = clustersOnce ? (r.canaryClusters[i] as number) : (r.canaryBad[i] as number)
      const y = clustersOnce ? (r.primaryClusters[i] as number) : (r.primaryBad[i] as number)
      const s = r.share[i] as number
      z += x - (x + y) * s
      v += (x + y) * s * (1 - s)
    }
    z2 += z * z
  }
  return z2 / v
}

const rowsOf = (phiClusters: number, phiBursts: number): Row[] => {
  const rows: Row[] = []
  const add = (section: string, cell: string, name: string, spec: OracleSpec | 'netflix'): void => {
    rows.push({ section, cell, name, spec })
  }
  // 1. the fixed-alternative SPRT that knows the true relative risk
  for (const [cell, rho] of [
    ['h1-2x-10', 2],
    ['h1-5x-10', 5],
    ['h1-2x-100', 2],
    ['h1-1.2x-1000', 1.2],
  ] as const)
    add('1', cell, `sprt-rr${rho}`, sr(TOL, one(rho), 1))
  // is the true relative risk the best alternative for the median? (a growth-rate-optimal e-process should be)
  for (const rho of [1.6, 2.5, 3]) add('1', 'h1-2x-10', `sprt-alt${rho}`, sr(TOL, one(rho), 1))
  for (const rho of [3.5, 7]) add('1', 'h1-5x-10', `sprt-alt${rho}`, sr(TOL, one(rho), 1))
  for (const rho of [1.3, 1.4, 1.6]) add('1', 'h1-1.2x-1000', `sprt-alt${rho}`, sr(TOL, one(rho), 1))
  for (const rho of [1.6, 2.5]) add('1', 'h1-2x-100', `sprt-alt${rho}`, sr(TOL, one(rho), 1))
  add('1', 'h1-2x-late-10', 'sprt-rr2-knows-onset', sr(TOL, one(2), 1, { startAt: (20 * MIN) / FLEET_SLOT_MS }))
  add('1', 'h1-2x-late-10', 'sprt-rr2-from-start', sr(TOL, one(2), 1))
  // 2. the same with late-onset protection (start mass pi at the first window)
  for (const pi of [0.9, 0.75, 0.5]) {
    for (const cell of ['h1-2x-10', 'h1-2x-late-10']) add('2', cell, `sr-rr2-pi${pi}`, sr(TOL, one(2), pi))
    add('2', 'h1-5x-10', `sr-rr5-pi${pi}`, sr(TOL, one(5), pi))
  }
  // start prior spread faster (tau 3 min) or slower (30 min)
  for (const tau of [3, 30]) for (const cell of ['h1-2x-10', 'h1-2x-late-10']) add('2', cell, `sr-rr2-pi0.75-tau${tau}`, sr(TOL, one(2), 0.75, { tauMs: tau * MIN }))
  // 3. against exact equality (rho0 = 1), beside the Netflix-style test on the same streams
  for (const [cell, rho] of [
    ['h1-1.2x-1000', 1.2],
    ['h1-2x-100', 2],
    ['h1-2x-10', 2],
    ['h1-5x-10', 5],
  ] as const) {
    add('3', cell, `sprt-rr${rho}-rho0=1`, sr(1, one(rho), 1))
    add('3', cell, 'netflix', 'netflix')
  }
  for (const cell of ['h0-plain-10', 'h0-plain-100', 'h0-plain-1000', 'h0-het10-100']) {
    add('3', cell, 'sprt-rr2-rho0=1', sr(1, one(2), 1))
    add('3', cell, 'sprt-rr1.2-rho0=1', sr(1, one(1.2), 1))
    add('3', cell, 'sprt-rr2-rho0=1.12', sr(TOL, one(2), 1))
    add('3', cell, 'sprt-rr1.2-rho0=1.12', sr(TOL, one(1.2), 1))
    add('3', cell, 'netflix', 'netflix')
  }
  // 4. dependent errors: untempered, tempered by the true factor, clusters counted once, bursts skipped, learned after k min
  const aC = 1 / phiClusters
  const aB = 1 / phiBursts
  for (const cell of ['h0-clusters-10', 'h1-2x-clusters-10']) {
    add('4', cell, 'sprt-rr2-untempered', sr(TOL, one(2), 1))
    add('4', cell, `sprt-rr2-tempered-1/${phiClusters.toFixed(2)}`, sr(TOL, one(2), 1, { exponent: () => aC }))
    add('4', cell, 'sprt-rr2-clusters-once', sr(TOL, one(2), 1, { clusters: true }))
    add('4', cell, 'sr-rr2-pi0.5-tempered', sr(TOL, one(2), 0.5, { exponent: () => aC }))
    add('4', cell, 'sr-rr2-pi0.5-clusters-once', sr(TOL, one(2), 0.5, { clusters: true }))
    for (const k of [1, 3, 5, 10]) {
      const w = (k * MIN) / FLEET_SLOT_MS
      add('4', cell, `sprt-rr2-learned-after-${k}min-silent`, sr(TOL, one(2), 1, { exponent: (i) => (i < w ? 0 : aC) }))
      add('4', cell, `sprt-rr2-learned-after-${k}min-naive`, sr(TOL, one(2), 1, { exponent: (i) => (i < w ? 1 : aC) }))
    }
  }
  for (const cell of ['h0-bursts-100', 'h1-2x-bursts-100', 'h1-2x-100']) {
    add('4', cell, 'sprt-rr2-untempered', sr(TOL, one(2), 1))
    add('4', cell, `sprt-rr2-tempered-1/${phiBursts.toFixed(2)}`, sr(TOL, one(2), 1, { exponent: () => aB }))
    add('4', cell, 'sprt-rr2-skips-bursts', sr(TOL, one(2), 1, { skipBursts: true }))
    add('4', cell, 'sr-rr2-pi0.5-skips-bursts', sr(TOL, one(2), 0.5, { skipBursts: true }))
  }
  for (const cell of ['h1-2x-10']) add('4', cell, `sprt-rr2-tempered-1/${phiClusters.toFixed(2)}`, sr(TOL, one(2), 1, { exponent: () => aC }))
  // 4b. a test that must learn the dispersion: exponent a0 (the same on every stream) for the first k minutes,
  // then the stream's true factor (1 on independent streams, 1/phi under clusters): the best any predictable
  // estimate can do, for the from-start SPRT and for the design of section 5 (2x/5x mixture, start mass 0.9)
  const mix = (w: number): OracleSpec['alts'] => [
    { rho: 2, w },
    { rho: 5, w: 1 - w },
  ]
  for (const cell of ['h0-clusters-10', 'h1-2x-10', 'h1-5x-10', 'h1-2x-late-10']) {
    const after = cell.includes('clusters') ? aC : 1
    add('4b', cell, 'mix0.8-pi0.9-known-from-start', sr(TOL, mix(0.8), 0.9, { exponent: () => after }))
  }
  // finer first-minute weights for k = 1, and the 2x-leaning prior (w 0.9)
  for (const a0 of [0.6, 0.65, 0.7])
    for (const cell of ['h0-clusters-10', 'h1-2x-10', 'h1-5x-10']) {
      const after = cell.includes('clusters') ? aC : 1
      add('4b', cell, `mix0.8-pi0.9-a0=${a0}-first-1min`, sr(TOL, mix(0.8), 0.9, { exponent: (i) => (i < 6 ? a0 : after) }))
    }
  for (const a0 of [0.5, 0.6, 0.7, 0.75])
    for (const cell of ['h0-clusters-10', 'h1-2x-10', 'h1-5x-10', 'h1-2x-late-10']) {
      const after = cell.includes('clusters') ? aC : 1
      add('4b', cell, `mix0.9-pi0.9-a0=${a0}-first-1min`, sr(TOL, mix(0.9), 0.9, { exponent: (i) => (i < 6 ? a0 : after) }))
    }
  for (const k of [1, 2, 3, 5])
    for (const a0 of [0, 0.25, 0.5, 0.75, 1]) {
      const w = (k * MIN) / FLEET_SLOT_MS
      for (const cell of ['h0-clusters-10', 'h1-2x-10', 'h1-5x-10', 'h1-2x-late-10']) {
        const after = cell.includes('clusters') ? aC : 1
        add('4b', cell, `mix0.8-pi0.9-a0=${a0}-first-${k}min`, sr(TOL, mix(0.8), 0.9, { exponent: (i) => (i < w ? a0 : after) }))
      }
    }
  // a burst is seen only after b windows (the best a predictable burst estimate can do): its first b windows count
  for (const b of [1, 2, 3])
    for (const cell of ['h0-bursts-100', 'h1-2x-bursts-100']) {
      add('4', cell, `sprt-rr2-sees-bursts-after-${b}w`, sr(TOL, one(2), 1, { skipBursts: true, burstLeak: b }))
      add('4', cell, `sr-rr2-pi0.9-sees-bursts-after-${b}w`, sr(TOL, one(2), 0.9, { skipBursts: true, burstLeak: b }))
      add('4', cell, `sr-rr2-pi0.5-sees-bursts-after-${b}w`, sr(TOL, one(2), 0.5, { skipBursts: true, burstLeak: b }))
    }
  // start-aware (no oracle): full weight for the first m windows of the rollout, the long-run 1/phi after; a
  // burst is a 2x regression for 60 s, but only one that starts with the rollout is worth the full weight
  for (const m of [3, 4, 6])
    for (const pi of [1, 0.9])
      for (const cell of ['h0-bursts-100', 'h1-2x-100', 'h1-2x-late-100'])
        add('4', cell, `${pi === 1 ? 'sprt' : `sr-pi${pi}`}-rr2-full-first-${m}w-then-1/${phiBursts.toFixed(2)}`, sr(TOL, one(2), pi, { exponent: (i) => (i < m ? 1 : aB) }))
  for (const f of [0.5, 0.75])
    for (const cell of ['h0-bursts-100', 'h1-2x-100'])
      add('4', cell, `sprt-rr2-full-first-3w-4th-${f}-then-1/${phiBursts.toFixed(2)}`, sr(TOL, one(2), 1, { exponent: (i) => (i < 3 ? 1 : i === 3 ? f : aB) }))
  // how fast a late 2x onset is seen at 100 req/s/arm (a 60-s burst is a 2x onset for its first minute)
  for (const pi of [0.9, 0.5]) add('4', 'h1-2x-late-100', `sr-rr2-pi${pi}`, sr(TOL, one(2), pi))
  add('4', 'h1-2x-late-100', 'netflix', 'netflix')
  // a data-dependent predictable weight: knows the two models (independent / clusters of mean 3) and the base
  // rate, learns which holds from the primary's past windows
  for (const prior of [0.1, 0.25, 0.3, 0.35, 0.4, 0.5, 0.9])
    for (const w of [0.8, 0.9, 0.95])
      for (const cell of ['h0-clusters-10', 'h1-2x-10', 'h1-5x-10', 'h1-2x-late-10', 'h1-2x-clusters-10'])
        add('4b', cell, `mix${w}-pi0.9-two-model-prior${prior}`, sr(TOL, mix(w), 0.9, { learned: twoModelExponents(0.01, 3, phiClusters, prior) }))
  // the late-onset detector treats every burst as a late onset; the Netflix-style test under dependent errors
  for (const pi of [0.9, 0.5]) add('4', 'h0-bursts-100', `sr-rr2-pi${pi}-untempered`, sr(TOL, one(2), pi))
  for (const pi of [0.9, 0.5]) add('4', 'h0-clusters-10', `sr-rr2-pi${pi}-untempered`, sr(TOL, one(2), pi))
  add('4', 'h0-bursts-100', 'mix0.8-pi0.9-untempered', sr(TOL, mix(0.8), 0.9))
  add('4', 'h0-bursts-100', 'netflix', 'netflix')
  add('4', 'h0-clusters-10', 'netflix', 'netflix')
  add('4', 'h1-2x-bursts-100', 'netflix', 'netflix')
  // 5. one fixed prior for both targets: weight w on 2x, 1 - w on 5x, with late-onset protection
  for (const pi of [1, 0.9, 0.75, 0.5])
    for (const w of [0.5, 0.7, 0.8, 0.9, 0.95])
      for (const cell of ['h1-2x-10', 'h1-5x-10', 'h1-2x-late-10'])
        add('5', cell, `mix-w2=${w}-pi${pi}`, sr(TOL, [
          { rho: 2, w },
          { rho: 5, w: 1 - w },
        ], pi))
  return rows
}

const runNetflix = (run: RecordedRun): number => {
  const judge = FLEET_METHODS.find((m) => m.id === 'netflix')!.make(1, false)
  for (let i = 0; i < WINDOWS; i++) {
    if (judge.window(1, run.canaryBad[i] as number, 1, run.primaryBad[i] as number, i * FLEET_SLOT_MS, (i + 1) * FLEET_SLOT_MS) === 'fail') return i
  }
  return -1
}

const main = (): void => {
  const args = process.argv.slice(2)
  const jsonAt = args.indexOf('--json')
  const jsonFile = jsonAt >= 0 ? args[jsonAt + 1] : undefined
  const pos = args.filter((a, i) => !a.startsWith('--') && (jsonAt < 0 || i !== jsonAt + 1))
  const runsH0 = Number(pos[0] ?? 2000)
  const runsH1 = Number(pos[1] ?? 500)
  const filter = pos[2] ?? ''
  checkSameStreams(['h0-clusters-10', 'h0-bursts-100', 'h1-2x-late-10', 'h1-2x-clusters-10'])
  const estRuns = Math.max(200, Math.min(1000, runsH0))
  const phiC = dispersion('est-clusters-10', estRuns)
  const phiB = dispersion('est-bursts-100', estRuns)
  console.log(`variance inflation over 60 min (no heterogeneity, ${estRuns} runs): retry clusters ${phiC.toFixed(2)} (clusters counted once ${dispersion('est-clusters-10', estRuns, true).toFixed(2)}), pod bursts ${phiB.toFixed(2)}`)
  for (const [rho, rate] of [
    [2, 10],
    [5, 10],
    [2, 100],
    [1.2, 1000],
  ] as const) {
    for (const rho0 of [TOL, 1]) {
      const n = waldBadEvents(rho0, rho, ALPHA, 0.05)
      const perMin = rate * 60 * 0.01 * (1 + rho)
      console.log(`Wald-Wolfowitz bound rr ${rho} vs ${rho0} @ ${rate}: E[N] >= ${n.toFixed(1)} bad events = ${(n / perMin).toFixed(2)} min (beta 0.05)`)
    }
  }
  const out: FloorRow[] = []
  for (const row of rowsOf(phiC, phiB)) {
    const id = `${row.section}/${row.cell}/${row.name}`
    if (!id.includes(filter)) continue
    const cell = CELLS.get(row.cell)!
    const runs = runsOf(row.cell, cell.h0 ? runsH0 : runsH1)
    const spec = row.spec
    const alarms = runs.map((r) => (spec === 'netflix' ? runNetflix(r) : oracleAlarm(r, spec)))
    const s = summarise(id, cell, runs, alarms)
    out.push(s)
    print(s, cell.h0)
  }
  if (jsonFile !== undefined) writeFileSync(jsonFile, JSON.stringify(out, null, 1))
}


if (process.argv[1]?.endsWith('fleetFloor.ts')) main()
