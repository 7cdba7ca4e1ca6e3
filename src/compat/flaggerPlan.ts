/**
 * Flagger's analysis plan rules, reproduced: the interval floor and default, the threshold floor, strategy
 * selection, the linear weight plan WITH its overshoot, and `stepWeights` (with one deliberate difference:
 * an unsorted list is a decode error instead of a rollout that never advances).
 *
 * @module
 */
import * as E from 'fp-ts/lib/Either.js'
import { joinPath } from '../model/errors.js'
import { fail, failIfPossible, warn, type Issues } from './manifest.js'
import { parseGoDuration } from './goDuration.js'
import { boundedList, guarded } from '../model/guard.js'

/** Flagger's default analysis interval (empty or unparseable `interval`). */
const DEFAULT_INTERVAL_MS = 60_000
/** Flagger's floor on the analysis interval. */
const MIN_INTERVAL_MS = 10_000

/**
 * Flagger's strategy, chosen exactly as its scheduler does: `match` + `iterations` -> A/B testing,
 * `iterations` alone -> blue/green, otherwise a canary.
 *
 * @example
 * ```ts
 * const s: FlaggerStrategy = 'abTest'
 * ```
 * @category compat
 */
export type FlaggerStrategy = 'canary' | 'blueGreen' | 'abTest'

/**
 * Selects the strategy from `spec.analysis` (iterations > 0 and a non-empty match list count).
 *
 * @example
 * ```ts
 * flaggerStrategy({ iterations: 10, match: [{ headers: {} }] }) // 'abTest'
 * flaggerStrategy({ iterations: 10 })                          // 'blueGreen'
 * flaggerStrategy({ stepWeight: 10 })                          // 'canary'
 * ```
 * @category compat
 */
export const flaggerStrategy = guarded('flaggerStrategy', (analysis: { readonly iterations?: unknown; readonly match?: unknown }): FlaggerStrategy => {
  const iterations = typeof analysis.iterations === 'number' && analysis.iterations > 0
  const match = Array.isArray(analysis.match) && analysis.match.length > 0
  return iterations && match ? 'abTest' : iterations ? 'blueGreen' : 'canary'
}, () => 'canary' as const)

/**
 * Flagger's analysis interval in ms: empty or unparseable (Go duration) -> 60 s; below 10 s -> 10 s.
 * Both adjustments are reported as warnings.
 *
 * @example
 * ```ts
 * const issues = { errors: [], warnings: [] }
 * flaggerInterval('5s', 'spec.analysis.interval', issues) // 10_000 (+ a warning)
 * flaggerInterval('1m', 'spec.analysis.interval', issues) // 60_000
 * ```
 * @category compat
 */
export const flaggerInterval = guarded('flaggerInterval', (raw: string | undefined, path: string, issues: Issues): number => {
  if (raw === undefined || raw === '') {
    warn(issues, path, 'empty interval: Flagger uses 60s')
    return DEFAULT_INTERVAL_MS
  }
  const parsed = parseGoDuration(raw)
  if (E.isLeft(parsed)) {
    warn(issues, path, `${parsed.left}: Flagger falls back to 60s`)
    return DEFAULT_INTERVAL_MS
  }
  if (parsed.right < MIN_INTERVAL_MS) {
    warn(issues, path, `interval ${raw} is below Flagger's 10s floor: raised to 10s`)
    return MIN_INTERVAL_MS
  }
  return parsed.right
}, (m, _f, [, path, issues]) => (failIfPossible(issues, path, m), DEFAULT_INTERVAL_MS))

/**
 * Flagger's threshold: a value <= 0 becomes 1 (with a warning).
 *
 * @example
 * ```ts
 * const issues = { errors: [], warnings: [] }
 * flaggerThreshold(0, 'spec.analysis.threshold', issues) // 1
 * ```
 * @category compat
 */
export const flaggerThreshold = guarded('flaggerThreshold', (raw: number, path: string, issues: Issues): number => {
  if (raw <= 0) {
    warn(issues, path, `threshold ${raw} <= 0: Flagger uses 1 (roll back on the first failed check)`)
    return 1
  }
  return raw
}, (m, _f, [, path, issues]) => (failIfPossible(issues, path, m), 1))

/**
 * Flagger's linear plan: from weight 0, add `stepWeight` while the weight is below `maxWeight`, each weight
 * clamped to 100. The last weight MAY OVERSHOOT `maxWeight` (stepWeight 20, maxWeight 50 -> 20, 40, 60), as
 * in Flagger; the number of weights is ceil(maxWeight / stepWeight).
 *
 * @example
 * ```ts
 * flaggerLinearWeights(20, 50) // [20, 40, 60]
 * flaggerLinearWeights(30, 100) // [30, 60, 90, 100]
 * flaggerLinearWeights(5, 50).length // 10
 * ```
 * @category compat
 */
export const flaggerLinearWeights = guarded('flaggerLinearWeights', (stepWeight: number, maxWeight: number): number[] => {
  const out: number[] = []
  let w = 0
  while (w < maxWeight && out.length < 1000) {
    w = Math.min(100, w + stepWeight)
    out.push(w)
  }
  return out
}, () => [])

/**
 * Flagger's `stepWeights`, checked: every entry an integer > 0 (a 0 would never advance), entries above 100
 * clamped to 100 with a warning (Flagger's maxWeight is min(100, last)), weights after the first 100
 * dropped (Flagger promotes at 100). Unsorted or repeated entries are an ERROR at the first offending index
 * (Flagger accepts them and then never advances: a deliberate difference).
 *
 * @example
 * ```ts
 * const issues = { errors: [], warnings: [] }
 * flaggerStepWeights([5, 10, 20], 'spec.analysis.stepWeights', issues) // [5, 10, 20]
 * flaggerStepWeights([10, 5], 'spec.analysis.stepWeights', issues)     // error at spec.analysis.stepWeights[1]
 * ```
 * @category compat
 */
export const flaggerStepWeights = guarded('flaggerStepWeights', (raw: readonly unknown[], path: string, issues: Issues): number[] => {
  const out: number[] = []
  let ok = true
  boundedList(raw, 'stepWeights').forEach((v, i) => {
    const p = joinPath(path, i)
    if (typeof v !== 'number' || !Number.isSafeInteger(v)) {
      fail(issues, p, `expected an integer weight (Flagger's stepWeights are []int), got ${JSON.stringify(v) ?? String(v)}`)
      ok = false
      return
    }
    if (v <= 0) {
      fail(issues, p, `weight ${v} must be > 0: Flagger would hold the canary at weight 0 for ever`)
      ok = false
      return
    }
    const prev = raw[i - 1]
    if (typeof prev === 'number' && v <= prev) {
      fail(issues, p, `stepWeights must be strictly increasing (${v} after ${prev}): Flagger accepts an unsorted list and then never advances; rollout-kernel refuses it`)
      ok = false
      return
    }
    if (out.length > 0 && out[out.length - 1] === 100) {
      warn(issues, p, `weight ${v} comes after 100: Flagger promotes at 100, so it is never used; dropped`)
      return
    }
    if (v > 100) warn(issues, p, `weight ${v} is above 100: clamped to 100 (Flagger's maxWeight is min(100, last weight))`)
    out.push(Math.min(100, v))
  })
  if (raw.length === 0) fail(issues, path, 'stepWeights is empty: Flagger would never advance')
  return ok ? out : []
}, (m, _f, [, path, issues]) => (failIfPossible(issues, path, m), []))
