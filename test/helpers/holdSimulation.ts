/**
 * Seeded holds at the promotion point, driven through the real engine (`step()`): a README-style canary
 * (stepWeight 10, maxWeight 50, one sequential metric with the default `detect: 2`) on Poisson traffic with
 * binomial bad events, a healthy canary (the primary's bad rate), answered with the counts of exactly the
 * window each need asks for. For each run: the first `awaitingEvidence` estimate that gives a time, and the
 * wait that followed until the engine promoted. No wall clock: time is the observations' `at`.
 */
import * as E from 'fp-ts/lib/Either.js'
import { decodeSpec, initialState, step, type Decision, type RolloutSpec, type Sample } from '../../src/index.js'
import { makePrng } from './prng.js'

/**
 * One cell: requests per second per arm (at an equal split), the bad-event rate, the analysis interval.
 */
export interface HoldCell {
  readonly perArm: number
  readonly badRate: number
  readonly interval: string
  /** The canary's true relative risk (1: healthy). */
  readonly relativeRisk?: number
}

/** One run: the first estimate with a time (ms) and the wait that followed (ms; Infinity: no promotion by the horizon). */
export interface HoldRun {
  readonly estimateMs: number
  readonly waitMs: number
  /** The estimate's bad events still needed, and those that came. */
  readonly estimateBad: number
  readonly actualBad: number
  /** When the hold started (ms from the start) and when the rollout promoted (Infinity: not by the horizon). */
  readonly holdFromMs: number
  readonly promotedAtMs: number
}

/** The README-style spec at `interval`, with an evidence timeout long enough that every hold ends in a promotion. */
export const holdSpec = (interval: string, evidenceTimeout = '48h'): RolloutSpec => {
  const r = decodeSpec({
    strategy: { canary: { stepWeight: 10, maxWeight: 50 } },
    analysis: { interval, evidenceTimeout, metrics: [{ name: 'errors', sequential: {} }] },
  })
  if (E.isLeft(r)) throw new Error(JSON.stringify(r.left))
  return r.right
}

const estimateOf = (d: Decision): { ms: number; bad: number } | null => {
  const r = d.reasons.find((x) => x.code === 'awaitingEvidence')
  const ms = r?.details?.['moreMs']
  const bad = r?.details?.['moreBadEvents']
  return typeof ms === 'number' && typeof bad === 'number' ? { ms, bad } : null
}

/**
 * Runs one seeded hold: `null` when the run never held with a time estimate (promoted during the steps, or
 * rolled back).
 */
export const simulateHold = (cell: HoldCell, seed: number, horizonMs = 24 * 3_600_000): HoldRun | null => {
  return simulateRun(cell, seed, horizonMs).hold
}

/**
 * One seeded run to its end: when it promoted (`null`: it rolled back or had not promoted by the horizon),
 * and its hold when it held with a time estimate.
 */
export const simulateRun = (
  cell: HoldCell,
  seed: number,
  horizonMs = 24 * 3_600_000,
  evidenceTimeout = '48h',
): { readonly promotedAtMs: number | null; readonly first: { at: number; ms: number; bad: number } | null; readonly hold: HoldRun | null } => {
  const spec = holdSpec(cell.interval, evidenceTimeout)
  const rng = makePrng(seed)
  const rr = cell.relativeRisk ?? 1
  const ready = { canary: true, primary: true }
  let d = step(spec, initialState(spec, 0, { stable: 'v1' }), { at: 0, revision: 'v2', ready })
  let first: { at: number; ms: number; bad: number } | null = null
  let holdFrom = -1
  let badSince = 0
  for (let i = 0; i < 200_000 && d.wakeAt !== null && d.wakeAt <= horizonMs; i++) {
    if (d.action.type === 'rollback' || d.action.type === 'promote') break
    const at = d.wakeAt
    const q = d.state.traffic.weight / 100
    const samples: Sample[] = d.needs.flatMap((n): Sample[] => {
      if (n.kind !== 'metric' || n.window.to > at) return []
      const sec = (n.window.to - n.window.from) / 1000
      const ct = rng.poisson(2 * cell.perArm * q * sec)
      const pt = rng.poisson(2 * cell.perArm * (1 - q) * sec)
      const cb = rng.binomial(ct, Math.min(1, cell.badRate * rr))
      const pb = rng.binomial(pt, cell.badRate)
      if (first !== null) badSince += cb + pb
      return [{ kind: 'counts', metric: n.metric, window: n.window, canary: { total: ct, bad: cb }, primary: { total: pt, bad: pb } }]
    })
    d = step(spec, d.state, { at, ready, samples })
    if (holdFrom < 0 && d.reasons.some((r) => r.code === 'awaitingEvidence')) holdFrom = d.state.at
    if (first === null) {
      const e = estimateOf(d)
      if (e !== null) first = { at: d.state.at, ...e }
    }
  }
  const promoted = d.action.type === 'promote' ? d.state.at : null
  if (d.action.type === 'rollback' || first === null) return { promotedAtMs: promoted, first, hold: null }
  const end = promoted ?? Infinity
  return { promotedAtMs: promoted, first, hold: { estimateMs: first.ms, waitMs: end - first.at, estimateBad: first.bad, actualBad: badSince, holdFromMs: holdFrom, promotedAtMs: end } }
}

/** Median of a list (Infinity sorts last). */
export const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b)
  if (s.length === 0) return NaN
  const m = Math.floor(s.length / 2)
  return s.length % 2 === 1 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2
}

/** A quantile of a list (nearest rank). */
export const quantile = (xs: readonly number[], p: number): number => {
  const s = [...xs].sort((a, b) => a - b)
  return s.length === 0 ? NaN : (s[Math.min(s.length - 1, Math.max(0, Math.ceil(p * s.length) - 1))] as number)
}

/** The cell's runs and their actual/estimate ratios (seeds `base`, `base + 1`, ...). */
export const holdCell = (cell: HoldCell, runs: number, base = 1): { readonly runs: HoldRun[]; readonly ratios: number[] } => {
  const out: HoldRun[] = []
  for (let k = 0; k < runs; k++) {
    const r = simulateHold(cell, base + k * 7919)
    if (r !== null) out.push(r)
  }
  return { runs: out, ratios: out.map((r) => r.waitMs / Math.max(1, r.estimateMs)) }
}
