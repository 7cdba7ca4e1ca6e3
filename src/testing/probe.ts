/**
 * Synthetic metric answers (used by `plan`, `simulate` and the cooperative caller's world models): for each metric, a sample its own judge passes (or fails), found
 * by asking the judge itself, so the plan follows the engine's rules instead of restating them.
 *
 * @module
 */
import type { MetricSpec } from '../config/spec.js'
import type { Sample, SampleValue, Window } from '../model/observation.js'
import { conditionHints } from '../analysis/expr/hints.js'
import { initialJudgeState, judgeSample, type Verdict } from '../analysis/judge.js'
import { guarded, rethrow } from '../model/guard.js'

/**
 * Builds the sample of one window.
 *
 * @example
 * ```ts
 * const a: Answer = (w) => ({ kind: 'value', metric: 'sr', window: w, value: 99.5 })
 * ```
 * @category model
 */
export type Answer = (window: Window) => Sample

const valueCandidates = (m: MetricSpec): number[] => {
  const out: number[] = []
  if (m.judge.kind === 'threshold') {
    const { min, max } = m.judge
    if (min !== undefined && max !== undefined) out.push((min + max) / 2)
    if (min !== undefined) out.push(min, min - Math.max(1, Math.abs(min)))
    if (max !== undefined) out.push(max, max + Math.max(1, Math.abs(max)))
  }
  out.push(0, 1, 0.5, 0.99, 0.01, 100, 99.9, 10, 1000, 1e6)
  // the engine takes only finite, non-negative numbers: a negative candidate would be refused, not judged
  return out.filter((v) => Number.isFinite(v) && v >= 0)
}

/** Results built from what a condition reads: its string literals, and JSON objects along its result paths. */
const conditionCandidates = (m: MetricSpec): SampleValue[] => {
  if (m.judge.kind !== 'condition' || m.judge.dialect !== 'argo') return []
  const texts = [m.judge.successCondition, m.judge.failureCondition].filter((t): t is string => typeof t === 'string')
  const hints = texts.map(conditionHints)
  const strings = [...new Set(hints.flatMap((h) => h.strings))]
  const numbers = [...new Set(hints.flatMap((h) => h.numbers))]
  const leaves: SampleValue[] = [true, false, [], ...numbers.flatMap((n) => [n, n + 1, n - 1, n / 2]), 0, 1, 100, ...strings, '', [1], [{ status: 'ok' }]]
  const out: SampleValue[] = [...strings, ...leaves.slice(0, 12)]
  const paths = hints.flatMap((h) => h.paths).slice(0, 6)
  const build = (assign: (i: number) => SampleValue): SampleValue => {
    const root: Record<string, SampleValue> = {}
    paths.forEach((p, i) => {
      let cur: Record<string, SampleValue> = root
      p.forEach((k, j) => {
        const key = String(k)
        if (j === p.length - 1) {
          if (!(key in cur) || typeof cur[key] !== 'object') cur[key] = assign(i)
        } else {
          const next = cur[key]
          if (typeof next !== 'object' || next === null || Array.isArray(next)) cur[key] = {}
          cur = cur[key] as Record<string, SampleValue>
        }
      })
    })
    return root
  }
  if (paths.length > 0) {
    // every leaf the same value, then (up to 3 paths) every combination of the first 10 leaf values
    for (const v of leaves) out.push(build(() => v))
    if (paths.length <= 3) {
      const few = leaves.slice(0, 10)
      const combos = few.length ** paths.length
      for (let c = 0; c < combos && c < 1000; c++) out.push(build((i) => few[Math.floor(c / few.length ** i) % few.length] ?? 0))
    }
  }
  if (hints.some((h) => h.predicate)) out.push([1], [0, 1], [numbers[0] ?? 1], [(numbers[0] ?? 1) + 1], [{ status: 'ok' }])
  return out
}

const countsCandidates: readonly { canary: { total: number; bad: number }; primary: { total: number; bad: number } }[] = [
  // first: a healthy answer with enough bad events (1%) that one or two windows rule out a doubled rate (docs/evidence.md)
  { canary: { total: 10_000, bad: 100 }, primary: { total: 10_000, bad: 100 } },
  { canary: { total: 10_000, bad: 10 }, primary: { total: 10_000, bad: 10 } },
  { canary: { total: 10_000, bad: 0 }, primary: { total: 10_000, bad: 0 } },
  { canary: { total: 10_000, bad: 5_000 }, primary: { total: 10_000, bad: 5 } },
  { canary: { total: 10_000, bad: 5 }, primary: { total: 10_000, bad: 5_000 } },
]

const points = (scale: number): number[] => Array.from({ length: 30 }, (_, i) => (10 + (i % 10)) * scale)

const candidates = (m: MetricSpec): Answer[] => {
  switch (m.sample) {
    case 'value':
      return [
        ...valueCandidates(m).flatMap((v): Answer[] => [
          (w) => ({ kind: 'value', metric: m.name, window: w, value: v }),
          (w) => ({ kind: 'value', metric: m.name, window: w, value: [v] }),
        ]),
        ...conditionCandidates(m).map((v): Answer => (w) => ({ kind: 'value', metric: m.name, window: w, value: v })),
      ]
    case 'counts':
      return countsCandidates.map((c): Answer => (w) => ({ kind: 'counts', metric: m.name, window: w, ...c }))
    case 'points':
      return [1, 100, 0.01].map((scale): Answer => (w) => ({ kind: 'points', metric: m.name, window: w, canary: points(scale), primary: points(1) }))
  }
}

/**
 * An answer for `metric` whose first sample its judge gives `verdict`, or `undefined` when no candidate
 * does (e.g. a condition no probe value satisfies).
 *
 * @example
 * ```ts
 * const m: MetricSpec = { name: 'sr', windowMs: 60_000, sample: 'value', judge: { kind: 'threshold', min: 99 }, background: true, dryRun: false }
 * probeAnswer(m, 'fail')?.({ from: 0, to: 60_000 }) // { kind: 'value', metric: 'sr', ..., value: 98 }
 * ```
 * @category plan
 */
export const probeAnswer = guarded('probeAnswer', (metric: MetricSpec, verdict: Extract<Verdict, 'pass' | 'fail'>): Answer | undefined => {
  const w: Window = { from: 0, to: metric.windowMs }
  for (const a of candidates(metric)) {
    try {
      if (judgeSample(metric, initialJudgeState(metric), a(w)).verdict === verdict) return a
    } catch {
      // a judge never throws; a candidate that makes one throw is simply not used
    }
  }
  return undefined
}, (m) => rethrow(m))
