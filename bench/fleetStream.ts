/**
 * Simulated streams of a real fleet for the sequential judge (issue 12): the benchmark protocol's two arms
 * (Poisson traffic, shared diurnal +-30% swing, heterogeneity: fixed lognormal per-arm offset and AR(1) noise
 * per 10 s, both SD `hetSd`) plus the conditions production adds, one at a time:
 * - `nb`: bad events overdispersed per window: each arm's rate x Gamma(k, 1/k) per 10 s window (negative
 *   binomial counts, k = 4);
 * - `bursts`: 4 pods per arm; each pod starts a 60-s error burst at random (hazard `burstPerPodHour`), during
 *   which its bad-event rate is `burstMultiplier` x;
 * - `clusters`: a failing request is retried and the retries fail too: bad events come in clusters of
 *   1 + Geometric size (mean `clusterMean`), the bad-event rate kept at its nominal value;
 * - `metrics`: several independent bad-event metrics on the same requests (rollback when any one rejects).
 * A regression multiplies the canary's rate by `multiplier` from `onsetMs` on. `stepped`: the canary's share of
 * the service's 2 x rate follows a stepped canary's weight (set by the caller per window).
 *
 * @module
 */
import { binomial, gamma, normal, poisson } from '../src/testing/distributions.js'
import type { Prng } from '../src/testing/prng.js'
import { createPrng, deriveSeed } from '../src/testing/prng.js'

/**
 * One fleet condition.
 *
 * @example
 * ```ts
 * const c: FleetCondition = { rate: 10, hetSd: 0.05, metrics: 1 }
 * ```
 */
export interface FleetCondition {
  /** Requests per second per arm (equal split), or half the service's rate when stepped. */
  readonly rate: number
  readonly hetSd: number
  readonly metrics: number
  readonly nbK?: number
  readonly bursts?: { readonly perPodHour: number; readonly multiplier: number }
  readonly clusterMean?: number
  readonly multiplier?: number
  readonly onsetMs?: number
}

/** Base bad-event rate of every metric. */
export const FLEET_BASE_RATE = 0.01
/** Window (slot) length. */
export const FLEET_SLOT_MS = 10_000
const PODS = 4
const AR = 0.8

/**
 * A fleet run that draws one window at a time (the canary's share may change between windows).
 *
 * @example
 * ```ts
 * const run = fleetRun({ rate: 10, hetSd: 0.05, metrics: 1 }, 1, 0)
 * run.window(0.5).canaryTotal
 * ```
 */
export interface FleetRun {
  /** Draws the next 10-s window with the canary serving `share` of the service's 2 x rate requests. */
  readonly window: (share: number) => FleetWindow
  /**
   * Each metric's true relative risk from the fixed per-arm offsets alone, `exp(offC - offP)` (the AR noise has
   * the same stationary law in both arms; a regression's multiplier not included): a "healthy" canary whose
   * value is above the tolerance really is worse than its primary by more than the tolerance, for the whole run.
   */
  readonly relativeRisks: readonly number[]
}

/**
 * One window's counts: totals per arm and bad events per metric per arm.
 *
 * @example
 * ```ts
 * declare const w: FleetWindow
 * w.canaryBad[0]
 * ```
 */
export interface FleetWindow {
  readonly canaryTotal: number
  readonly primaryTotal: number
  readonly canaryBad: readonly number[]
  readonly primaryBad: readonly number[]
}

const clustered = (rng: Prng, expectedBad: number, mean: number, cap: number): number => {
  // cluster starts at rate expectedBad / mean; sizes 1 + Geometric(1 / mean) (mean `mean`)
  const starts = poisson(rng, expectedBad / mean)
  let n = 0
  const stop = 1 / mean
  for (let i = 0; i < starts; i++) {
    let s = 1
    while (rng.next() >= stop) s++
    n += s
  }
  return Math.min(n, cap)
}

/**
 * Starts a run of a condition (seeded: the same seed and run give the same stream).
 *
 * @example
 * ```ts
 * fleetRun({ rate: 100, hetSd: 0.05, metrics: 1, nbK: 4 }, 7, 3)
 * ```
 */
export const fleetRun = (c: FleetCondition, seed: number, run: number): FleetRun => {
  const rng = createPrng(deriveSeed(seed, run))
  const phase = 2 * Math.PI * rng.next()
  const m = c.metrics
  const offC = Array.from({ length: m }, () => c.hetSd * normal(rng))
  const offP = Array.from({ length: m }, () => c.hetSd * normal(rng))
  const arC = Array.from({ length: m }, () => c.hetSd * normal(rng))
  const arP = Array.from({ length: m }, () => c.hetSd * normal(rng))
  const innov = c.hetSd * Math.sqrt(1 - AR * AR)
  // burst end time per pod (ms), canary pods then primary pods
  const burstEnd = new Array<number>(2 * PODS).fill(-1)
  const hazard = c.bursts ? (c.bursts.perPodHour * FLEET_SLOT_MS) / 3_600_000 : 0
  let slot = 0
  const badOf = (total: number, rate: number, burstShare: number): number => {
    if (total === 0) return 0
    const mult = c.bursts ? 1 + (c.bursts.multiplier - 1) * burstShare : 1
    let p = Math.min(1, rate * mult)
    if (c.nbK !== undefined) p = Math.min(1, (p * gamma(rng, c.nbK)) / c.nbK)
    if (c.clusterMean !== undefined) return clustered(rng, total * p, c.clusterMean, total)
    return binomial(rng, total, p)
  }
  return {
    relativeRisks: offC.map((o, k) => Math.exp(o - (offP[k] as number))),
    window: (share) => {
      const t = slot * FLEET_SLOT_MS
      slot++
      const diurnal = 1 + 0.3 * Math.sin(phase + (2 * Math.PI * t) / 86_400_000)
      const volume = 2 * c.rate * (FLEET_SLOT_MS / 1000) * diurnal
      const canaryTotal = poisson(rng, volume * share)
      const primaryTotal = poisson(rng, volume * (1 - share))
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
      const canaryBad: number[] = []
      const primaryBad: number[] = []
      for (let k = 0; k < m; k++) {
        arC[k] = AR * (arC[k] as number) + innov * normal(rng)
        arP[k] = AR * (arP[k] as number) + innov * normal(rng)
        const rc = FLEET_BASE_RATE * Math.exp((offC[k] as number) + (arC[k] as number)) * (k === 0 ? regress : 1)
        const rp = FLEET_BASE_RATE * Math.exp((offP[k] as number) + (arP[k] as number))
        canaryBad.push(badOf(canaryTotal, rc, burstC))
        primaryBad.push(badOf(primaryTotal, rp, burstP))
      }
      return { canaryTotal, primaryTotal, canaryBad, primaryBad }
    },
  }
}
