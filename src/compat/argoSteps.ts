/**
 * Argo canary steps to native steps: setWeight (relative to `maxTrafficWeight`), pause (int seconds, digit
 * string or Go duration; none = until promoted), analysis (the step's metrics, until decided),
 * setCanaryScale, setHeaderRoute, setMirrorRoute, experiment (templates, duration, analyses resolved by the
 * importer). Plugin steps are skipped with a warning.
 *
 * @module
 */
import { suggestKey } from '../config/suggest.js'
import * as E from 'fp-ts/lib/Either.js'
import { joinPath } from '../model/errors.js'
import { fail, isObj, warn, type Issues, type Obj } from './manifest.js'
import { nativeDuration, parseGoDuration } from './goDuration.js'
import type { PathMap } from './pathMap.js'
import { guarded } from '../model/guard.js'

/** The step types Argo's validation allows only one of per step. */
const EXCLUSIVE_STEP_TYPES: readonly string[] = ['setWeight', 'pause', 'experiment', 'analysis']
/** The step types of the Argo v1alpha1 CanaryStep (the CRD's; a test keeps them equal). @internal */
export const STEP_TYPES = ['setWeight', 'pause', 'analysis', 'experiment', 'setCanaryScale', 'setHeaderRoute', 'setMirrorRoute', 'plugin'] as const

/**
 * Argo's pause duration in whole seconds: an integer, a digit string, or a Go duration (truncated to whole
 * seconds, as Argo does). `Left` for anything else or a negative value.
 *
 * @example
 * ```ts
 * argoPauseSeconds(30)     // right(30)
 * argoPauseSeconds('30')   // right(30)
 * argoPauseSeconds('1m30s') // right(90)
 * argoPauseSeconds('soon') // left(...)
 * ```
 * @category compat
 */
export const argoPauseSeconds = guarded('argoPauseSeconds', (raw: unknown): E.Either<string, number> => {
  if (typeof raw === 'number') return Number.isSafeInteger(raw) && raw >= 0 ? E.right(raw) : E.left(`expected a whole number of seconds >= 0, got ${raw}`)
  if (typeof raw !== 'string') return E.left(`expected seconds or a duration such as "30s", got ${JSON.stringify(raw) ?? String(raw)}`)
  if (/^-?\d+$/.test(raw)) {
    const n = Number(raw)
    return n >= 0 ? E.right(n) : E.left(`a pause cannot be negative (${raw})`)
  }
  const d = parseGoDuration(raw)
  if (E.isLeft(d)) return d
  return d.right >= 0 ? E.right(Math.trunc(d.right / 1000)) : E.left(`a pause cannot be negative (${raw})`)
}, (m) => E.left(m))

/**
 * What the step conversion needs and reports besides the steps.
 *
 * @example
 * ```ts
 * const ctx: StepContext = { issues: { errors: [], warnings: [] }, paths: new Map(), stepMetrics: new Map(), counts: new Map(), maxTrafficWeight: 100, routes: {}, skipped: [] }
 * ```
 * @category compat
 */
export interface StepContext {
  readonly issues: Issues
  readonly paths: PathMap
  /** Native metric names of each analysis step, by Argo step index. */
  readonly stepMetrics: ReadonlyMap<number, readonly string[]>
  /** `count` of each native metric (null: runs until the analysis ends). */
  readonly counts: ReadonlyMap<string, number | null>
  readonly maxTrafficWeight: number
  /** Mirror route matches the native model cannot hold (method, path), by route name. */
  readonly routes: Record<string, unknown>
  /** Steps that were skipped, with their index and content. */
  readonly skipped: { readonly index: number; readonly step: unknown }[]
  /** The native analyses of each experiment step, by Argo step index (built by the importer). */
  readonly experimentAnalyses?: ReadonlyMap<number, readonly Record<string, unknown>[]>
  /** Filled with what each experiment step carries for the adapter, by native experiment name. */
  readonly experiments?: Record<string, { index: number; templates: unknown; run?: Record<string, unknown> }>
  /** The Rollout uses traffic routing (experiment template weights need it). */
  readonly trafficRouting?: boolean
}

const stringMatch = (v: unknown): v is Obj => isObj(v)

/**
 * The native analysis step for an Argo analysis run: when every metric has a `count`, `intervals` = the
 * largest count (the step also ends earlier when every metric reached a final pass, e.g. through
 * consecutiveSuccessLimit), so a background metric that runs for ever does not hold the step; otherwise
 * `untilDecided` (an Argo run with a count-less metric does not end by itself either). No metric: one
 * interval.
 *
 * @example
 * ```ts
 * analysisStepInput(['a', 'b'], new Map([['a', 2], ['b', 1]])) // { intervals: 2, metrics: ['a', 'b'] }
 * analysisStepInput(['a'], new Map([['a', null]]))              // { untilDecided: true, metrics: ['a'] }
 * ```
 * @category compat
 */
export const analysisStepInput = (names: readonly string[], counts: ReadonlyMap<string, number | null>): Record<string, unknown> => {
  if (names.length === 0) return { intervals: 1 }
  const cs = names.map((n) => counts.get(n) ?? null)
  return cs.every((c): c is number => c !== null && c > 0) ? { intervals: Math.max(...cs), metrics: [...names] } : { untilDecided: true, metrics: [...names] }
}

const one = (key: string, value: unknown, i: number, path: string, ctx: StepContext): Record<string, unknown> | null => {
  const { issues } = ctx
  const p = joinPath(path, key)
  switch (key) {
    case 'setWeight': {
      if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0 || value > ctx.maxTrafficWeight) {
        fail(issues, p, `expected an integer from 0 to ${ctx.maxTrafficWeight} (maxTrafficWeight), got ${JSON.stringify(value) ?? String(value)}`)
        return null
      }
      return { setWeight: ctx.maxTrafficWeight === 100 ? value : Math.round((value * 100 * 1e6) / ctx.maxTrafficWeight) / 1e6 }
    }
    case 'pause': {
      if (!isObj(value)) {
        fail(issues, p, 'expected { duration? }')
        return null
      }
      if (value.duration === undefined || value.duration === null) return { pause: {} }
      const s = argoPauseSeconds(value.duration)
      if (E.isLeft(s)) {
        fail(issues, joinPath(p, 'duration'), s.left)
        return null
      }
      return { pause: { duration: nativeDuration(s.right * 1000) } }
    }
    case 'analysis': {
      return { analysis: analysisStepInput(ctx.stepMetrics.get(i) ?? [], ctx.counts) }
    }
    case 'setCanaryScale': {
      if (!isObj(value)) {
        fail(issues, p, 'expected { weight | replicas | matchTrafficWeight }')
        return null
      }
      const out: Record<string, unknown> = {}
      for (const k of ['weight', 'replicas', 'matchTrafficWeight']) if (value[k] !== undefined && value[k] !== null) out[k] = value[k]
      return { setCanaryScale: out }
    }
    case 'setHeaderRoute': {
      if (!isObj(value)) {
        fail(issues, p, 'expected { name, match }')
        return null
      }
      return { setHeaderRoute: { name: value.name, ...(value.match !== undefined ? { match: value.match } : {}) } }
    }
    case 'setMirrorRoute': {
      if (!isObj(value)) {
        fail(issues, p, 'expected { name, percentage?, match? }')
        return null
      }
      const match = Array.isArray(value.match) ? value.match : []
      const native = match.map((m, j) => {
        const mp = joinPath(joinPath(p, 'match'), j)
        if (!isObj(m)) {
          fail(issues, mp, 'expected a match { headers?, method?, path? }')
          return { headers: [] }
        }
        const lost = ['method', 'path'].filter((k) => m[k] !== undefined)
        if (lost.length > 0) {
          warn(issues, mp, `${lost.join(' and ')} matching cannot be expressed in the native route model: the route mirrors by headers only; the original match is in carried.routes["${String(value.name)}"] for the router adapter`)
          ctx.routes[String(value.name)] = value.match
        }
        const headers = isObj(m.headers) ? m.headers : {}
        return {
          headers: Object.entries(headers).map(([headerName, headerValue]) => ({ headerName, headerValue: stringMatch(headerValue) ? headerValue : {} })),
        }
      })
      return { setMirrorRoute: { name: value.name, ...(value.percentage !== undefined ? { percentage: value.percentage } : {}), ...(value.match !== undefined ? { match: native } : {}) } }
    }
    case 'experiment':
      return experimentStep(value, i, p, ctx)
    case 'plugin': {
      warn(issues, p, 'plugin step skipped: its semantics belong to the plugin; it is carried in carried.skippedSteps')
      ctx.skipped.push({ index: i, step: { plugin: value } })
      return null
    }
    default:
      return null
  }
}

const SPEC_REFS: readonly string[] = ['stable', 'canary']

/**
 * An Argo experiment step to the native one, named `experiment-<Argo step index>`: templates (name, specRef,
 * replicas, weight; selector, metadata and service are carried for the adapter), the duration (Go duration),
 * and the analyses the importer resolved. AnalysisRun-only settings and `scaleDownDelaySeconds` are carried.
 *
 * @example
 * ```ts
 * const ctx: StepContext = { issues: { errors: [], warnings: [] }, paths: new Map(), stepMetrics: new Map(), counts: new Map(), maxTrafficWeight: 100, routes: {}, skipped: [] }
 * experimentStep({ duration: '1h', templates: [{ name: 'canary', specRef: 'canary' }] }, 0, 'spec.strategy.canary.steps[0].experiment', ctx)
 * // { experiment: { name: 'experiment-0', duration: '3600s', templates: [{ name: 'canary', specRef: 'canary' }] } }
 * ```
 * @category compat
 */
export const experimentStep = (value: unknown, i: number, p: string, ctx: StepContext): Record<string, unknown> | null => {
  const { issues } = ctx
  if (!isObj(value)) {
    fail(issues, p, 'expected { templates, duration?, analyses? }')
    return null
  }
  const name = `experiment-${i}`
  const raw = Array.isArray(value.templates) ? value.templates : []
  if (raw.length === 0) fail(issues, joinPath(p, 'templates'), 'an experiment needs at least one template')
  let carriedFields = false
  const templates = raw.flatMap((t, j): Record<string, unknown>[] => {
    const tp = joinPath(joinPath(p, 'templates'), j)
    if (!isObj(t) || typeof t.name !== 'string' || t.name === '') {
      fail(issues, tp, 'expected a template { name, specRef, replicas?, weight?, selector?, metadata?, service? }')
      return []
    }
    if (typeof t.specRef !== 'string' || !SPEC_REFS.includes(t.specRef)) {
      fail(issues, joinPath(tp, 'specRef'), `expected stable or canary (Argo refuses other values), got ${JSON.stringify(t.specRef) ?? 'nothing'}`)
      return []
    }
    if (t.weight !== undefined && t.weight !== null && ctx.trafficRouting !== true) {
      warn(issues, joinPath(tp, 'weight'), 'a template weight needs traffic routing (Argo routes it through the traffic router only): the weight is kept in the action for a router adapter')
    }
    if (['selector', 'metadata', 'service'].some((k) => t[k] !== undefined && t[k] !== null)) carriedFields = true
    return [{
      name: t.name,
      specRef: t.specRef,
      ...(typeof t.replicas === 'number' ? { replicas: t.replicas } : {}),
      ...(typeof t.weight === 'number' ? { weight: t.weight } : {}),
    }]
  })
  if (carriedFields) warn(issues, joinPath(p, 'templates'), `template selector, metadata and service are for the adapter that creates the ReplicaSets: carried in carried.experiments["${name}"]`)
  const out: Record<string, unknown> = { name, templates }
  if (value.duration !== undefined && value.duration !== null) {
    const d = typeof value.duration === 'string' ? parseGoDuration(value.duration) : E.left(`expected a duration such as "1h", got ${JSON.stringify(value.duration)}`)
    if (E.isLeft(d)) fail(issues, joinPath(p, 'duration'), d.left)
    else if (d.right < 0) fail(issues, joinPath(p, 'duration'), `a duration cannot be negative (${String(value.duration)})`)
    else out.duration = nativeDuration(d.right)
  }
  const analyses = ctx.experimentAnalyses?.get(i) ?? []
  if (analyses.length > 0) out.analyses = analyses.map((a) => ({ ...a }))
  const run = Object.fromEntries(['analysisRunMetadata', 'scaleDownDelaySeconds'].flatMap((k) => (value[k] !== undefined && value[k] !== null ? [[k, value[k]]] : [])))
  if (Object.keys(run).length > 0) warn(issues, p, `${Object.keys(run).join(' and ')} concern the Experiment object, which rollout-kernel does not create: carried in carried.experiments["${name}"]`)
  if (ctx.experiments !== undefined) ctx.experiments[name] = { index: i, templates: value.templates, ...(Object.keys(run).length > 0 ? { run } : {}) }
  return { experiment: out }
}

/**
 * Converts the steps; returns the native steps and, per Argo step index, the native index of its first
 * native step (the index the next native step gets when the Argo step was skipped), plus one entry for
 * the end (for `startingStep` equal to the number of steps).
 *
 * @example
 * ```ts
 * const ctx = { issues: { errors: [], warnings: [] }, paths: new Map(), stepMetrics: new Map(), counts: new Map(), maxTrafficWeight: 100, routes: {}, skipped: [] }
 * convertArgoSteps([{ setWeight: 20 }, { pause: { duration: '1m' } }], 'spec.strategy.canary.steps', ctx).steps
 * // [{ setWeight: 20 }, { pause: { duration: '60s' } }]
 * ```
 * @category compat
 */
export const convertArgoSteps = (raw: readonly unknown[], path: string, ctx: StepContext): { steps: Record<string, unknown>[]; indexMap: number[] } => {
  const steps: Record<string, unknown>[] = []
  const indexMap: number[] = []
  raw.forEach((s, i) => {
    const p = joinPath(path, i)
    indexMap.push(steps.length)
    if (!isObj(s)) {
      fail(ctx.issues, p, 'expected a step object')
      return
    }
    const keys = Object.keys(s).filter((k) => s[k] !== undefined && s[k] !== null)
    for (const k of keys) {
      if (!(STEP_TYPES as readonly string[]).includes(k)) {
        const sug = suggestKey(k, STEP_TYPES)
        ctx.issues.warnings.push({ path: joinPath(p, k), message: `unknown field "${k}"${sug !== undefined ? ` (did you mean "${sug}"?)` : ''}: not a step type of the Argo v1alpha1 CRD (the API server would prune it); ignored`, finding: 'unknownField' })
      }
    }
    const types = keys.filter((k) => (STEP_TYPES as readonly string[]).includes(k))
    if (types.length === 0) {
      const stray = keys.flatMap((k) => {
        const sug = suggestKey(k, STEP_TYPES)
        return [sug !== undefined ? `"${k}" (did you mean "${sug}"?)` : `"${k}"`]
      })
      fail(ctx.issues, p, `a step needs one of ${STEP_TYPES.join(', ')}${stray.length > 0 ? `; got ${stray.join(', ')}` : ''}`)
      return
    }
    // Argo's validation (hasMultipleStepsType) refuses a step with more than one of setWeight, pause,
    // experiment, analysis; the other types combine freely (setCanaryScale with setHeaderRoute is valid).
    // rollout-kernel runs several types as consecutive steps in the order written.
    const exclusive = types.filter((k) => EXCLUSIVE_STEP_TYPES.includes(k))
    if (exclusive.length > 1) {
      warn(ctx.issues, p, `a step with several of setWeight, pause, experiment, analysis (${exclusive.join(', ')}) is rejected by Argo's validation (InvalidSpec); rollout-kernel runs them as consecutive steps in that order`)
    }
    for (const k of types) {
      const out = one(k, s[k], i, p, ctx)
      if (out === null) continue
      ctx.paths.set(joinPath('strategy.canary.steps', steps.length), p)
      steps.push(out)
    }
  })
  indexMap.push(steps.length)
  return { steps, indexMap }
}
