/**
 * A seeded, deterministic traffic simulator for two arms (canary and primary). It draws per-slot
 * counts (never per-request events): Poisson traffic with a shared diurnal swing, per-arm bad-event
 * rates and lognormal latency with per-arm heterogeneity (a fixed lognormal offset plus AR(1) noise),
 * and a regression of the canary injected at a given time. It answers the engine's metric needs with
 * samples of the engine's shapes: `counts`, `value` (Flagger's success rate, p99 latency), `points`
 * (per-minute ratios, as Kayenta uses) and `noData` for empty windows.
 *
 * Time is cut into fixed slots (`slotMs`, 10 s by default); windows are unions of slots (a slot belongs
 * to a window when its start lies in `[from, to)`). Slots are drawn lazily, in order, from one seeded
 * stream, so the same seed and the same weights give the same traffic whatever is queried.
 *
 * @module
 */
import type { Need } from '../engine/decision.js'
import type { Counts, Sample, Window } from '../model/observation.js'
import { beta, binomial, normal, normalCdf, poisson } from './distributions.js'
import { createPrng, deriveSeed, hashString } from './prng.js'
import { guarded, rethrow } from '../model/guard.js'

/**
 * Lognormal latency of one arm: `median` in ms and `sigma` (SD of log latency).
 *
 * @example
 * ```ts
 * const l: LatencyModel = { medianMs: 100, sigma: 0.6 } // p99 ≈ 404 ms
 * ```
 * @category model
 */
export interface LatencyModel {
  readonly medianMs: number
  readonly sigma: number
}

/**
 * Instance heterogeneity: each arm's bad-event rate is multiplied by `exp(offset + noise_t)` where
 * `offset ~ N(0, offsetSd)` is fixed per arm and `noise_t` is a stationary AR(1) with coefficient `rho`
 * per `stepMs` and marginal SD `noiseSd`. Latency medians get the same structure with the `latency*` SDs.
 *
 * @example
 * ```ts
 * const h: Heterogeneity = { offsetSd: 0.05, noiseSd: 0.05, rho: 0.8, stepMs: 10_000, latencyOffsetSd: 0.01, latencyNoiseSd: 0.01 }
 * ```
 * @category model
 */
export interface Heterogeneity {
  readonly offsetSd: number
  readonly noiseSd: number
  readonly rho: number
  readonly stepMs: number
  readonly latencyOffsetSd: number
  readonly latencyNoiseSd: number
}

/**
 * A regression of the canary from time `at` on: its bad-event rate times `badRateMultiplier`, its
 * latency times `latencyMultiplier` (the whole distribution), and/or a tail-only shift: a `fraction` of
 * its requests become `multiplier` times slower (the median barely moves).
 *
 * @example
 * ```ts
 * const r: Regression = { at: 0, badRateMultiplier: 2 }
 * const tail: Regression = { at: 0, tail: { fraction: 0.01, multiplier: 3 } }
 * ```
 * @category model
 */
export interface Regression {
  readonly at: number
  readonly badRateMultiplier?: number
  readonly latencyMultiplier?: number
  readonly tail?: { readonly fraction: number; readonly multiplier: number }
}

/**
 * How a metric name maps to simulated data:
 * - `errors`: bad-event counts; value samples are the canary's success rate % (Flagger's
 *   `request-success-rate`) or error rate %; points are per-minute error ratios (bad / total);
 * - `latency`: counts of requests slower than the latency boundary; value samples are the canary's
 *   latency quantile in ms (`quantile`, 0.99 by default); points are per-minute quantiles.
 *
 * @example
 * ```ts
 * const b: MetricBinding = { source: 'errors', value: 'successRate' }
 * ```
 * @category model
 */
export type MetricBinding =
  | { readonly source: 'errors'; readonly value?: 'successRate' | 'errorRate' }
  | { readonly source: 'latency'; readonly quantile?: number }

/**
 * Simulator configuration. Only `traffic.rate` and `badRate` are required.
 *
 * @example
 * ```ts
 * const config: SimulatorConfig = {
 *   traffic: { rate: 10 },                         // 10 req/s per arm
 *   badRate: 0.01,                                 // 1% bad events on both arms
 *   latency: { medianMs: 100, sigma: 0.6 },
 *   regression: { at: 5 * 60_000, badRateMultiplier: 2 },
 * }
 * ```
 * @category model
 */
export interface SimulatorConfig {
  /** Epoch ms where slot 0 starts (default 0). */
  readonly start?: number
  /** Slot length in ms (default 10 000). */
  readonly slotMs?: number
  /**
   * Request rate in req/s. `split: 'perArm'` (default): each arm gets `rate` whatever the weight (the
   * equal-split benchmark setting); `'weighted'`: `rate` is the total and the canary gets `weight` %.
   */
  readonly traffic: { readonly rate: number; readonly split?: 'perArm' | 'weighted' }
  /** Shared sinusoidal rate swing (default amplitude 0.3, period 24 h, random phase); `false`: off. */
  readonly diurnal?: false | { readonly amplitude?: number; readonly periodMs?: number; readonly phase?: number }
  /** Bad-event rate (fraction of requests) of the primary, and of the canary before any regression. */
  readonly badRate: number
  /** The canary's own bad-event rate before the regression (default `badRate`). */
  readonly canaryBadRate?: number
  /** Latency of both arms (default median 100 ms, sigma 0.6). */
  readonly latency?: LatencyModel
  /** Latency boundary (ms) for latency counts (default: the primary's nominal p99). */
  readonly latencyBoundaryMs?: number
  /** Heterogeneity (default: offset SD 5%, AR(1) rho 0.8 SD 5% per 10 s; latency median 1% / 1%, which moves the share of requests above the p99 by about 4.5%, like the 5% on bad rates); `false`: off. */
  readonly heterogeneity?: false | Partial<Heterogeneity>
  /** A regression of the canary. */
  readonly regression?: Regression
  /** Metric names and what they measure (merged over `defaultMetricBindings`). */
  readonly metrics?: Readonly<Record<string, MetricBinding>>
  /** Length of one point of a `points` sample (default 60 000: per-minute points). */
  readonly pointMs?: number
}

/**
 * Counts of one arm in a window: requests, bad events and requests slower than the latency boundary.
 *
 * @example
 * ```ts
 * const a: ArmStats = { total: 600, bad: 6, slow: 5 }
 * ```
 * @category model
 */
export interface ArmStats {
  readonly total: number
  readonly bad: number
  readonly slow: number
}

/**
 * Both arms' counts over a window.
 *
 * @example
 * ```ts
 * declare const sim: Simulator
 * const w: WindowStats = sim.window(0, 60_000, 50)
 * w.canary.bad / w.canary.total
 * ```
 * @category model
 */
export interface WindowStats {
  readonly window: Window
  readonly canary: ArmStats
  readonly primary: ArmStats
}

/**
 * Which arm.
 *
 * @example
 * ```ts
 * const a: Arm = 'canary'
 * ```
 * @category model
 */
export type Arm = 'canary' | 'primary'

/**
 * A running simulation. All methods are deterministic functions of the seed, the config and the weights
 * passed so far.
 *
 * @example
 * ```ts
 * const sim = createSimulator({ traffic: { rate: 10 }, badRate: 0.01 }, 1)
 * const w = sim.window(0, 60_000)
 * ```
 * @category model
 */
export interface Simulator {
  /** The resolved configuration (defaults applied). */
  readonly config: ResolvedSimulatorConfig
  /**
   * Counts of both arms over `[from, to)`. Slots not yet drawn are drawn with `canaryWeight`
   * (0..100; only matters with `split: 'weighted'`; default: the last weight given, initially 0).
   */
  readonly window: (from: number, to: number, canaryWeight?: number) => WindowStats
  /**
   * Answers the metric needs of a decision with samples (gate and readiness needs are skipped).
   * Windows are clipped at `at` (no data from the future); an empty window or an unknown metric
   * gives a `noData` sample.
   */
  readonly answer: (needs: readonly Need[], at: number, canaryWeight?: number) => Sample[]
  /** The sample of `metric` of the given kind over `[from, to)`, as `answer` gives it. */
  readonly sample: (metric: string, kind: Sample['kind'], from: number, to: number, canaryWeight?: number) => Sample
  /**
   * The empirical `q`-quantile of one arm's latency over `[from, to)` (ms), drawn exactly as the order
   * statistic of the window's requests; NaN when the window is empty. Same window, same answer.
   */
  readonly latencyQuantile: (arm: Arm, from: number, to: number, q: number) => number
  /**
   * Cumulative (Prometheus `le`-style) latency histogram bucket counts of one arm over `[from, to)`,
   * for the bucket upper bounds `boundsMs` (ascending; a final +Inf bucket is appended).
   */
  readonly histogram: (arm: Arm, from: number, to: number, boundsMs: readonly number[]) => number[]
  /** Number of slots drawn so far. */
  readonly slots: () => number
}

/**
 * The configuration with every default applied.
 *
 * @example
 * ```ts
 * createSimulator({ traffic: { rate: 1 }, badRate: 0.01 }, 1).config.slotMs // 10000
 * ```
 * @category model
 */
export interface ResolvedSimulatorConfig {
  readonly start: number
  readonly slotMs: number
  readonly rate: number
  readonly split: 'perArm' | 'weighted'
  readonly diurnal: { readonly amplitude: number; readonly periodMs: number; readonly phase: number }
  readonly badRate: number
  readonly canaryBadRate: number
  readonly latency: LatencyModel
  readonly latencyBoundaryMs: number
  readonly heterogeneity: Heterogeneity | null
  readonly regression: Regression | null
  readonly metrics: Readonly<Record<string, MetricBinding>>
  readonly pointMs: number
}

/**
 * Metric names the simulator understands without configuration.
 *
 * @example
 * ```ts
 * defaultMetricBindings['request-success-rate'] // { source: 'errors', value: 'successRate' }
 * ```
 * @category constants
 */
export const defaultMetricBindings: Readonly<Record<string, MetricBinding>> = {
  'request-success-rate': { source: 'errors', value: 'successRate' },
  'error-rate': { source: 'errors', value: 'errorRate' },
  errors: { source: 'errors', value: 'errorRate' },
  'request-duration': { source: 'latency', quantile: 0.99 },
  latency: { source: 'latency', quantile: 0.99 },
}

/**
 * The default heterogeneity (the benchmark protocol's "heterogeneity ON").
 *
 * @example
 * ```ts
 * defaultHeterogeneity.rho // 0.8
 * ```
 * @category constants
 */
export const defaultHeterogeneity: Heterogeneity = {
  offsetSd: 0.05,
  noiseSd: 0.05,
  rho: 0.8,
  stepMs: 10_000,
  latencyOffsetSd: 0.01,
  latencyNoiseSd: 0.01,
}

const Z99 = 2.3263478740408408

/**
 * Fraction of requests slower than `x` ms for a lognormal with log-median `mu` and `sigma`, of which a
 * `tailFraction` is `tailMultiplier` times slower.
 *
 * @example
 * ```ts
 * exceedance(404, Math.log(100), 0.6, 0, 1) // ≈ 0.01
 * ```
 * @category utils
 */
export const exceedance = guarded('exceedance', (x: number, mu: number, sigma: number, tailFraction: number, tailMultiplier: number): number => {
  if (!(x > 0)) return 1
  const lx = Math.log(x)
  const base = 1 - normalCdf((lx - mu) / sigma)
  if (!(tailFraction > 0)) return base
  const slowed = 1 - normalCdf((lx - mu - Math.log(tailMultiplier)) / sigma)
  return (1 - tailFraction) * base + tailFraction * slowed
}, (m) => rethrow(m))

const resolve = (config: SimulatorConfig, seed: number): ResolvedSimulatorConfig => {
  const latency = config.latency ?? { medianMs: 100, sigma: 0.6 }
  const d = config.diurnal
  const phaseRng = createPrng(deriveSeed(seed, hashString('diurnal')))
  return {
    start: config.start ?? 0,
    slotMs: config.slotMs ?? 10_000,
    rate: config.traffic.rate,
    split: config.traffic.split ?? 'perArm',
    diurnal:
      d === false
        ? { amplitude: 0, periodMs: 86_400_000, phase: 0 }
        : { amplitude: d?.amplitude ?? 0.3, periodMs: d?.periodMs ?? 86_400_000, phase: d?.phase ?? 2 * Math.PI * phaseRng.next() },
    badRate: config.badRate,
    canaryBadRate: config.canaryBadRate ?? config.badRate,
    latency,
    latencyBoundaryMs: config.latencyBoundaryMs ?? latency.medianMs * Math.exp(Z99 * latency.sigma),
    heterogeneity: config.heterogeneity === false ? null : { ...defaultHeterogeneity, ...(config.heterogeneity ?? {}) },
    regression: config.regression ?? null,
    metrics: { ...defaultMetricBindings, ...(config.metrics ?? {}) },
    pointMs: config.pointMs ?? 60_000,
  }
}

/** Per-arm slot columns. */
interface ArmColumns {
  total: number[]
  bad: number[]
  slow: number[]
  mu: number[]
  tailFraction: number[]
  tailMultiplier: number[]
}

const emptyColumns = (): ArmColumns => ({ total: [], bad: [], slow: [], mu: [], tailFraction: [], tailMultiplier: [] })

const ARMS: readonly Arm[] = ['canary', 'primary']

/**
 * Creates a simulator. The same `config` and `seed` (and the same weights) always produce the same
 * traffic.
 *
 * @example
 * ```ts
 * const sim = createSimulator(
 *   { traffic: { rate: 10 }, badRate: 0.01, regression: { at: 0, badRateMultiplier: 2 } },
 *   42,
 * )
 * const w = sim.window(0, 60_000)          // one minute of both arms
 * const samples = sim.answer(
 *   [{ kind: 'metric', metric: 'errors', window: { from: 0, to: 60_000 }, sample: 'counts' }],
 *   60_000,
 * )
 * ```
 * @category constructors
 */
export const createSimulator = guarded('createSimulator', (config: SimulatorConfig, seed: number): Simulator => {
  const cfg = resolve(config, seed)
  const rng = createPrng(deriveSeed(seed, hashString('traffic')))
  const het = cfg.heterogeneity
  const cols: Record<Arm, ArmColumns> = { canary: emptyColumns(), primary: emptyColumns() }
  const slotSec = cfg.slotMs / 1000
  const logMedian = Math.log(cfg.latency.medianMs)

  // heterogeneity state: fixed offsets and AR(1) noise, per arm, for the bad rate and the latency median
  const hetRng = createPrng(deriveSeed(seed, hashString('heterogeneity')))
  const offset = { canary: 0, primary: 0 }
  const latOffset = { canary: 0, primary: 0 }
  const noise = { canary: 0, primary: 0 }
  const latNoise = { canary: 0, primary: 0 }
  let phi = 0
  let innovation = 0
  let latInnovation = 0
  if (het) {
    for (const arm of ARMS) {
      offset[arm] = het.offsetSd * normal(hetRng)
      latOffset[arm] = het.latencyOffsetSd * normal(hetRng)
      noise[arm] = het.noiseSd * normal(hetRng)
      latNoise[arm] = het.latencyNoiseSd * normal(hetRng)
    }
    phi = Math.pow(het.rho, cfg.slotMs / het.stepMs)
    innovation = het.noiseSd * Math.sqrt(1 - phi * phi)
    latInnovation = het.latencyNoiseSd * Math.sqrt(1 - phi * phi)
  }

  let lastWeight = 0
  let drawn = 0

  const drawSlot = (weight: number): void => {
    const i = drawn
    const t0 = cfg.start + i * cfg.slotMs
    const mid = t0 + cfg.slotMs / 2
    const swing = 1 + cfg.diurnal.amplitude * Math.sin((2 * Math.PI * (mid - cfg.start)) / cfg.diurnal.periodMs + cfg.diurnal.phase)
    const reg = cfg.regression !== null && t0 >= cfg.regression.at ? cfg.regression : null
    const w = Math.min(100, Math.max(0, weight)) / 100
    for (const arm of ARMS) {
      const c = cols[arm]
      const isCanary = arm === 'canary'
      const armRate = cfg.split === 'perArm' ? cfg.rate : cfg.rate * (isCanary ? w : 1 - w)
      const total = poisson(rng, armRate * swing * slotSec)
      let p = isCanary ? cfg.canaryBadRate : cfg.badRate
      if (isCanary && reg?.badRateMultiplier !== undefined) p *= reg.badRateMultiplier
      let mu = logMedian
      if (isCanary && reg?.latencyMultiplier !== undefined) mu += Math.log(reg.latencyMultiplier)
      if (het) {
        p *= Math.exp(offset[arm] + noise[arm])
        mu += latOffset[arm] + latNoise[arm]
        noise[arm] = phi * noise[arm] + innovation * normal(hetRng)
        latNoise[arm] = phi * latNoise[arm] + latInnovation * normal(hetRng)
      }
      p = Math.min(1, Math.max(0, p))
      const tailFraction = isCanary && reg?.tail ? reg.tail.fraction : 0
      const tailMultiplier = isCanary && reg?.tail ? reg.tail.multiplier : 1
      const bad = binomial(rng, total, p)
      const q = exceedance(cfg.latencyBoundaryMs, mu, cfg.latency.sigma, tailFraction, tailMultiplier)
      const slow = binomial(rng, total, q)
      c.total.push(total)
      c.bad.push(bad)
      c.slow.push(slow)
      c.mu.push(mu)
      c.tailFraction.push(tailFraction)
      c.tailMultiplier.push(tailMultiplier)
    }
    drawn++
  }

  /** Slot index range [lo, hi) of the slots whose start lies in [from, to). */
  const slotRange = (from: number, to: number): [number, number] => {
    const lo = Math.max(0, Math.ceil((from - cfg.start) / cfg.slotMs))
    const hi = Math.max(lo, Math.ceil((to - cfg.start) / cfg.slotMs))
    return [lo, hi]
  }

  const ensure = (hi: number, weight: number | undefined): void => {
    if (weight !== undefined && Number.isFinite(weight)) lastWeight = weight
    while (drawn < hi) drawSlot(lastWeight)
  }

  const sumArm = (arm: Arm, lo: number, hi: number): ArmStats => {
    const c = cols[arm]
    let total = 0
    let bad = 0
    let slow = 0
    for (let i = lo; i < hi; i++) {
      total += c.total[i] ?? 0
      bad += c.bad[i] ?? 0
      slow += c.slow[i] ?? 0
    }
    return { total, bad, slow }
  }

  const window = (from: number, to: number, canaryWeight?: number): WindowStats => {
    const [lo, hi] = slotRange(from, to)
    ensure(hi, canaryWeight)
    return { window: { from, to }, canary: sumArm('canary', lo, hi), primary: sumArm('primary', lo, hi) }
  }

  const armIndex = (arm: Arm): number => (arm === 'canary' ? 1 : 2)

  const latencyQuantile = (arm: Arm, from: number, to: number, q: number): number => {
    const [lo, hi] = slotRange(from, to)
    ensure(hi, undefined)
    const c = cols[arm]
    let n = 0
    let minMu = Infinity
    let maxMu = -Infinity
    for (let i = lo; i < hi; i++) {
      const ni = c.total[i] ?? 0
      if (ni === 0) continue
      n += ni
      const m = c.mu[i] ?? logMedian
      const tm = Math.log(c.tailMultiplier[i] ?? 1)
      minMu = Math.min(minMu, m)
      maxMu = Math.max(maxMu, m + tm)
    }
    if (n === 0 || !(q > 0 && q < 1)) return Number.NaN
    const k = Math.min(n, Math.max(1, Math.ceil(q * n)))
    const qrng = createPrng(deriveSeed(seed, hashString('quantile'), armIndex(arm), from, to, Math.round(q * 1e9)))
    const u = beta(qrng, k, n + 1 - k)
    const sigma = cfg.latency.sigma
    // bisection on log latency for the mixture CDF = u
    let a = minMu - 12 * sigma
    let b = maxMu + 12 * sigma
    for (let it = 0; it < 60; it++) {
      const m = (a + b) / 2
      const x = Math.exp(m)
      let cdf = 0
      for (let i = lo; i < hi; i++) {
        const ni = c.total[i] ?? 0
        if (ni === 0) continue
        cdf += ni * (1 - exceedance(x, c.mu[i] ?? logMedian, sigma, c.tailFraction[i] ?? 0, c.tailMultiplier[i] ?? 1))
      }
      if (cdf / n < u) a = m
      else b = m
    }
    return Math.exp((a + b) / 2)
  }

  const histogram = (arm: Arm, from: number, to: number, boundsMs: readonly number[]): number[] => {
    const [lo, hi] = slotRange(from, to)
    ensure(hi, undefined)
    const c = cols[arm]
    const hrng = createPrng(deriveSeed(seed, hashString('histogram'), armIndex(arm), from, to, boundsMs.length))
    const counts = new Array<number>(boundsMs.length + 1).fill(0)
    const sigma = cfg.latency.sigma
    for (let i = lo; i < hi; i++) {
      let remaining = c.total[i] ?? 0
      let remainingProb = 1
      let prevCdf = 0
      for (let j = 0; j < boundsMs.length && remaining > 0; j++) {
        const cdf = 1 - exceedance(boundsMs[j] ?? Infinity, c.mu[i] ?? logMedian, sigma, c.tailFraction[i] ?? 0, c.tailMultiplier[i] ?? 1)
        const pj = Math.max(0, cdf - prevCdf)
        const x = remainingProb > 0 ? binomial(hrng, remaining, Math.min(1, pj / remainingProb)) : 0
        counts[j] = (counts[j] ?? 0) + x
        remaining -= x
        remainingProb -= pj
        prevCdf = Math.max(prevCdf, cdf)
      }
      counts[boundsMs.length] = (counts[boundsMs.length] ?? 0) + remaining
    }
    // cumulative, Prometheus style
    for (let j = 1; j < counts.length; j++) counts[j] = (counts[j] ?? 0) + (counts[j - 1] ?? 0)
    return counts
  }

  const noData = (metric: string, w: Window, detail: string): Sample => ({ kind: 'noData', metric, window: w, detail })

  const toCounts = (a: ArmStats, source: 'errors' | 'latency'): Counts => ({ total: a.total, bad: source === 'errors' ? a.bad : a.slow })

  const sample = (metric: string, kind: Sample['kind'], from: number, to: number, canaryWeight?: number): Sample => {
    const w: Window = { from, to }
    const binding = cfg.metrics[metric]
    if (binding === undefined) return noData(metric, w, 'unknown metric')
    const stats = window(from, to, canaryWeight)
    switch (kind) {
      case 'noData':
        return noData(metric, w, 'asked for noData')
      case 'counts':
        if (stats.canary.total === 0 && stats.primary.total === 0) return noData(metric, w, 'no requests')
        return { kind: 'counts', metric, window: w, canary: toCounts(stats.canary, binding.source), primary: toCounts(stats.primary, binding.source) }
      case 'value': {
        const c = stats.canary
        if (c.total === 0) return noData(metric, w, 'no canary requests')
        if (binding.source === 'errors') {
          const value = binding.value === 'errorRate' ? (100 * c.bad) / c.total : (100 * (c.total - c.bad)) / c.total
          return { kind: 'value', metric, window: w, value }
        }
        return { kind: 'value', metric, window: w, value: latencyQuantile('canary', from, to, binding.quantile ?? 0.99) }
      }
      case 'points': {
        const canary: number[] = []
        const primary: number[] = []
        const step = cfg.pointMs
        for (let t = from; t < to; t += step) {
          const end = Math.min(to, t + step)
          const s = window(t, end)
          for (const arm of ARMS) {
            const a = s[arm]
            if (a.total === 0) continue
            const point =
              binding.source === 'errors' ? a.bad / a.total : latencyQuantile(arm, t, end, binding.quantile ?? 0.99)
            ;(arm === 'canary' ? canary : primary).push(point)
          }
        }
        if (canary.length === 0 || primary.length === 0) return noData(metric, w, 'no points')
        return { kind: 'points', metric, window: w, canary, primary }
      }
    }
  }

  const answer = (needs: readonly Need[], at: number, canaryWeight?: number): Sample[] => {
    if (canaryWeight !== undefined && Number.isFinite(canaryWeight)) lastWeight = canaryWeight
    const out: Sample[] = []
    for (const need of needs) {
      if (need.kind !== 'metric') continue
      const to = Math.min(need.window.to, at)
      if (!(to > need.window.from)) {
        out.push(noData(need.metric, need.window, 'window in the future'))
        continue
      }
      out.push(sample(need.metric, need.sample, need.window.from, to))
    }
    return out
  }

  return { config: cfg, window, answer, sample, latencyQuantile, histogram, slots: () => drawn }
}, (m) => rethrow(m))
