/**
 * The fleet streams of bench/fleetStream.ts, drawn with the very same random draws in the same order, plus what
 * only an oracle can see: the number of retry clusters that started in each arm (each cluster counted once) and
 * whether a pod of either arm is in an error burst during the window. `recordRuns` draws whole 60-min runs of
 * one metric at an equal split and keeps them as flat arrays, so every oracle reads the same windows.
 * `fleetFloor` checks at start-up that the counts are identical to `fleetRun`'s.
 *
 * @module
 */
import { binomial, gamma, normal, poisson } from '../../src/testing/distributions.js'
import type { Prng } from '../../src/testing/prng.js'
import { createPrng, deriveSeed } from '../../src/testing/prng.js'
import type { FleetCondition } from '../fleetStream.js'
import { FLEET_BASE_RATE, FLEET_SLOT_MS } from '../fleetStream.js'

const PODS = 4
const AR = 0.8

/**
 * One recorded run: per window (index i, from i x 10 s), the canary's request share and the first metric's bad
 * events per arm, the cluster starts per arm (equal to the bad events without clusters) and the burst flag.
 *
 * @example
 * ```ts
 * declare const r: RecordedRun
 * r.canaryBad[0]
 * ```
 */
export interface RecordedRun {
  readonly share: Float64Array
  readonly canaryBad: Float64Array
  readonly primaryBad: Float64Array
  /** The primary's requests per window. */
  readonly primaryTotal: Float64Array
  readonly canaryClusters: Float64Array
  readonly primaryClusters: Float64Array
  /** 1 when a pod of either arm is in a burst during the window. */
  readonly burst: Uint8Array
  /** The true fixed relative risk from the per-arm offsets (regression not included). */
  readonly relativeRisk: number
}

const clustered = (rng: Prng, expectedBad: number, mean: number, cap: number): [number, number] => {
  const starts = poisson(rng, expectedBad / mean)
  let n = 0
  const stop = 1 / mean
  for (let i = 0; i < starts; i++) {
    let s = 1
    while (rng.next() >= stop) s++
    n += s
  }
  return [Math.min(n, cap), starts]
}

/**
 * Draws one 60-min (or `windows`-long) run of a one-metric condition at an equal split, as `fleetRun(c, seed, run)`
 * with `window(0.5)` would.
 *
 * @example
 * ```ts
 * recordRun({ rate: 10, hetSd: 0.05, metrics: 1, clusterMean: 3 }, 1, 0, 360).canaryClusters.length // 360
 * ```
 */
export const recordRun = (c: FleetCondition, seed: number, run: number, windows: number): RecordedRun => {
  const rng = createPrng(deriveSeed(seed, run))
  const phase = 2 * Math.PI * rng.next()
  // one metric only (the draws of fleetRun for metrics = 1)
  const offC = c.hetSd * normal(rng)
  const offP = c.hetSd * normal(rng)
  let arC = c.hetSd * normal(rng)
  let arP = c.hetSd * normal(rng)
  const innov = c.hetSd * Math.sqrt(1 - AR * AR)
  const burstEnd = new Array<number>(2 * PODS).fill(-1)
  const hazard = c.bursts ? (c.bursts.perPodHour * FLEET_SLOT_MS) / 3_600_000 : 0
  const out = {
    share: new Float64Array(windows),
    canaryBad: new Float64Array(windows),
    primaryBad: new Float64Array(windows),
    primaryTotal: new Float64Array(windows),
    canaryClusters: new Float64Array(windows),
    primaryClusters: new Float64Array(windows),
    burst: new Uint8Array(windows),
    relativeRisk: Math.exp(offC - offP),
  }
  const badOf = (total: number, rate: number, burstShare: number): [number, number] => {
    if (total === 0) return [0, 0]
    const mult = c.bursts ? 1 + (c.bursts.multiplier - 1) * burstShare : 1
    let p = Math.min(1, rate * mult)
    if (c.nbK !== undefined) p = Math.min(1, (p * gamma(rng, c.nbK)) / c.nbK)
    if (c.clusterMean !== undefined) return clustered(rng, total * p, c.clusterMean, total)
    const b = binomial(rng, total, p)
    return [b, b]
  }
  for (let slot = 0; slot < windows; slot++) {
    const t = slot * FLEET_SLOT_MS
    const diurnal = 1 + 0.3 * Math.sin(phase + (2 * Math.PI * t) / 86_400_000)
    const volume = 2 * c.rate * (FLEET_SLOT_MS / 1000) * diurnal
    const canaryTotal = poisson(rng, volume * 0.5)
    const primaryTotal = poisson(rng, volume * 0.5)
    let burstC = 0
    let burstP = 0
    if (c.bursts) {
      for (let i = 0; i < 2 * PODS; i++) {
        if ((burstEnd[i] as number) <= t && rng.next() < hazard) burstEnd[i] = t + 60_000
        if ((burstEnd[i] as number) > t) {
          if (i < PODS) burstC += 1 / PODS
          else burstP += 1 / PODS
        }
      }
    }
    const regress = c.multiplier !== undefined && t >= (c.onsetMs ?? 0) ? c.multiplier : 1
    arC = AR * arC + innov * normal(rng)
    arP = AR * arP + innov * normal(rng)
    const rc = FLEET_BASE_RATE * Math.exp(offC + arC) * regress
    const rp = FLEET_BASE_RATE * Math.exp(offP + arP)
    const [cb, cs] = badOf(canaryTotal, rc, burstC)
    const [pb, ps] = badOf(primaryTotal, rp, burstP)
    const all = canaryTotal + primaryTotal
    out.share[slot] = all > 0 ? canaryTotal / all : 0.5
    out.canaryBad[slot] = cb
    out.primaryBad[slot] = pb
    out.primaryTotal[slot] = primaryTotal
    out.canaryClusters[slot] = cs
    out.primaryClusters[slot] = ps
    out.burst[slot] = burstC > 0 || burstP > 0 ? 1 : 0
  }
  return out
}

/**
 * Records `runs` runs of a condition (run r from `recordRun(c, seed, r, windows)`).
 *
 * @example
 * ```ts
 * recordRuns({ rate: 10, hetSd: 0.05, metrics: 1 }, 1, 5, 360).length // 5
 * ```
 */
export const recordRuns = (c: FleetCondition, seed: number, runs: number, windows: number): RecordedRun[] =>
  Array.from({ length: runs }, (_, r) => recordRun(c, seed, r, windows))
