/**
 * Checks an observation before it is used. Anything the engine cannot use (time going backwards, a
 * malformed or non-finite value, a sample for an unknown metric or of the wrong kind, counts that are not
 * integers or have bad > total, a gate nobody asked for) is reported; the caller's state stays unchanged.
 *
 * @module
 */
import type { MetricSpec, RolloutSpec } from '../config/spec.js'
import type { Observation, Sample } from './observation.js'
import type { RolloutState } from './state.js'
import { gateNeeds } from './needs.js'
import { describeValue } from '../config/errors.js'

const COMMANDS = ['promote', 'promoteFull', 'abort', 'retry', 'pause', 'resume']
const ANSWERS = ['approve', 'deny', 'rollback']

const isObj = (u: unknown): u is Record<string, unknown> => typeof u === 'object' && u !== null && !Array.isArray(u)
/** The Date range: an `at` beyond it is a unit mistake, and accepting it would make every later observation go backwards. */
const MAX_INSTANT = 8.64e15
const isCount = (n: unknown): n is number => typeof n === 'number' && Number.isSafeInteger(n) && n >= 0
const isValue = (n: unknown): boolean => typeof n === 'number' && Number.isFinite(n) && n >= 0
const isPoint = (n: unknown): boolean => typeof n === 'number' && n !== Infinity && n !== -Infinity

/** Per spec: the sample kind each metric takes, by name (the first metric of a name, as `find` gives). */
const sampleKinds = new WeakMap<readonly MetricSpec[], Map<string, MetricSpec['sample']>>()
const sampleKindOf = (metrics: readonly MetricSpec[], name: string): MetricSpec['sample'] | undefined => {
  let kinds = sampleKinds.get(metrics)
  if (kinds === undefined) {
    kinds = new Map()
    for (const m of metrics) if (!kinds.has(m.name)) kinds.set(m.name, m.sample)
    sampleKinds.set(metrics, kinds)
  }
  return kinds.get(name)
}

const ARMS = ['canary', 'primary'] as const

const countsProblemOf = (c: unknown): boolean => !isObj(c) || !isCount(c.total) || !isCount(c.bad) || c.bad > c.total

/** A JSON value: strings, booleans, null, finite numbers, arrays and plain objects of them (bounded, no accessors). */
const isJson = (u: unknown, depth: number, budget: { n: number }): boolean => {
  if (--budget.n < 0 || depth > 32) return false
  if (u === null || typeof u === 'string' || typeof u === 'boolean') return true
  if (typeof u === 'number') return Number.isFinite(u)
  if (typeof u !== 'object') return false
  try {
    if (Array.isArray(u)) return u.every((x) => isJson(x, depth + 1, budget))
    const proto: unknown = Object.getPrototypeOf(u)
    if (proto !== Object.prototype && proto !== null) return false
    return Object.keys(u).every((k) => {
      const d = Object.getOwnPropertyDescriptor(u, k)
      return d !== undefined && 'value' in d && isJson(d.value, depth + 1, budget)
    })
  } catch {
    return false
  }
}

/**
 * The value-shape check of a `value` sample: a finite, non-negative number or a non-empty list of them;
 * for a condition metric (Argo's web provider) also a string, a boolean or JSON (at most 100,000 values,
 * 32 levels, plain data only: no accessors, no class instances).
 */
const valueProblem = (metrics: readonly MetricSpec[], metric: string, v: unknown, i: number): string | null => {
  if (typeof v === 'number' ? isValue(v) : Array.isArray(v) && v.length > 0 && v.every(isValue)) return null
  // only the slow path looks the judge up
  const judge = metrics.find((m) => m.name === metric)?.judge.kind
  if (judge === 'condition') {
    if (isJson(v, 0, { n: 100_000 })) return null
    return `samples[${i}].value: expected a number, a string, a boolean or JSON data (at most 100,000 values, 32 levels, no accessors or class instances), got ${describeValue(v)} (send a noData sample when the source has nothing)`
  }
  return `samples[${i}].value: expected a finite, non-negative number or a non-empty list of them, got ${Array.isArray(v) ? `[${v.slice(0, 3).map(describeValue).join(', ')}${v.length > 3 ? ', ...' : ''}]` : describeValue(v)} (send a noData sample when the source has nothing)`
}

// `where` is only built when there is a problem to report (this runs on every sample)
const checkSample = (spec: RolloutSpec, u: unknown, at: number, i: number): string | null => {
  if (!isObj(u)) return `samples[${i}]: expected a sample object, got ${describeValue(u)}`
  const s = u as unknown as Sample
  if (typeof s.metric !== 'string') return `samples[${i}].metric: expected a metric name`
  const sample = sampleKindOf(spec.analysis.metrics, s.metric)
  if (sample === undefined) return `samples[${i}]: unknown metric "${s.metric}"`
  const w = s.window as unknown
  if (!isObj(w) || typeof w.from !== 'number' || typeof w.to !== 'number' || !Number.isFinite(w.from) || !Number.isFinite(w.to) || !(w.from < w.to)) {
    return `samples[${i}].window: expected { from, to } epoch ms with from < to`
  }
  if (w.to > at) return `samples[${i}].window: ends at ${w.to}, after the observation time ${at}`
  if (s.kind === 'noData') return s.detail === undefined || typeof s.detail === 'string' ? null : `samples[${i}].detail: expected a string`
  if (s.kind !== sample) return `samples[${i}]: metric "${s.metric}" takes ${sample} samples, got ${describeValue(s.kind)}`
  switch (s.kind) {
    case 'value':
      return valueProblem(spec.analysis.metrics, s.metric, s.value as unknown, i)
    case 'counts': {
      if (!countsProblemOf(s.canary) && !countsProblemOf(s.primary)) return null
      for (const arm of ARMS) {
        const c = s[arm] as unknown
        if (countsProblemOf(c)) {
          return `samples[${i}].${arm}: expected { total, bad } integers with 0 <= bad <= total, got ${isObj(c) ? `{ total: ${describeValue(c.total)}, bad: ${describeValue(c.bad)} }` : describeValue(c)}`
        }
      }
      return null
    }
    case 'points': {
      for (const arm of ARMS) {
        const p = s[arm] as unknown
        if (!Array.isArray(p) || p.length > 100_000 || !p.every(isPoint)) {
          return `samples[${i}].${arm}: expected a list of numbers (at most 100,000)`
        }
      }
      return null
    }
    default:
      return `samples[${i}].kind: unknown sample kind ${describeValue((s as { kind?: unknown }).kind)}`
  }
}

/**
 * Returns the first problem that makes `obs` unusable in `state`, or null when it can be used.
 *
 * @example
 * ```ts
 * declare const spec: RolloutSpec, state: RolloutState
 * validateObservation(spec, state, { at: state.at - 1 }) // 'time went backwards: ...'
 * ```
 * @category validation
 */
export const validateObservation = (spec: RolloutSpec, state: RolloutState, obs: unknown): string | null => {
  if (!isObj(obs)) return `expected an observation object, got ${describeValue(obs)}`
  const o = obs as unknown as Observation
  if (typeof o.at !== 'number' || !Number.isFinite(o.at)) return `at: expected epoch milliseconds, got ${describeValue(o.at)}`
  if (Math.abs(o.at) > MAX_INSTANT) return `at: ${o.at} is not an epoch-millisecond instant (beyond the Date range; seconds or nanoseconds?)`
  if (o.at < state.at) return `time went backwards: at ${o.at} is before the last observation ${state.at}`
  if (o.revision !== undefined && (typeof o.revision !== 'string' || o.revision.length === 0 || o.revision.length > 253)) {
    return `revision: expected a non-empty string (at most 253 characters), got ${describeValue(o.revision)}`
  }
  if (o.ready !== undefined) {
    const r = o.ready as unknown
    if (!isObj(r) || (r.canary !== undefined && typeof r.canary !== 'boolean') || (r.primary !== undefined && typeof r.primary !== 'boolean')) {
      return 'ready: expected { canary?: boolean, primary?: boolean }'
    }
  }
  if (o.command !== undefined && !COMMANDS.includes(o.command as string)) {
    return `command: expected one of ${COMMANDS.join(', ')}, got ${describeValue(o.command)}`
  }
  if (o.samples !== undefined) {
    if (!Array.isArray(o.samples)) return 'samples: expected a list'
    for (let i = 0; i < o.samples.length; i++) {
      const problem = checkSample(spec, o.samples[i], o.at, i)
      if (problem !== null) return problem
    }
  }
  if (o.gates !== undefined) {
    const g = o.gates as unknown
    if (!isObj(g)) return 'gates: expected { [gate]: "approve" | "deny" | "rollback" }'
    const asked = new Set(gateNeeds(spec, state).flatMap((n) => (n.kind === 'gate' ? [n.gate] : [])))
    for (const [name, answer] of Object.entries(g)) {
      if (!ANSWERS.includes(answer as string)) return `gates.${name}: expected approve, deny or rollback, got ${describeValue(answer)}`
      if (!spec.gates.some((x) => x.name === name)) return `gates.${name}: unknown gate`
      if (!asked.has(name)) return `gates.${name}: this gate was not asked for (phase ${state.phase})`
    }
  }
  return null
}
