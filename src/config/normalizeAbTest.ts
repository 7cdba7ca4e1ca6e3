/**
 * From the A/B testing input to `AbTestStrategySpec`: each match entry needs at least one condition, each
 * condition exactly one of exact / prefix / suffix / regex, and regular expressions must compile. The test
 * is compiled into a program: a `setHeaderRoute` step (the managed route `ab-test`) and an `analysis` step
 * of `iterations` intervals.
 *
 * @module
 */
import type { AbTestStrategySpec, CanaryStep } from './spec.js'
import type { AbTestInputType } from './abTestInput.js'
import type { RequestMatch, StringMatch } from '../model/traffic.js'
import { joinPath, specError, type SpecError } from '../model/errors.js'
import { DEFAULTS } from './defaults.js'
import * as E from 'fp-ts/lib/Either.js'
import { compilePattern, withCompiledPattern } from '../model/regex.js'

type ValueIn = { exact?: string; prefix?: string; suffix?: string; regex?: string }

const valueMatch = (m: ValueIn, path: string, errors: SpecError[]): StringMatch => {
  const keys = (['exact', 'prefix', 'suffix', 'regex'] as const).filter((k) => m[k] !== undefined)
  if (keys.length !== 1) errors.push(specError(path, `expected exactly one of exact, prefix, suffix, regex; got ${keys.length === 0 ? 'none' : keys.join(' and ')}`))
  const k = keys[0] ?? 'exact'
  const v = m[k] ?? ''
  const out = { [k]: v } as StringMatch
  if (k === 'regex') {
    // compiled once here and carried by the spec (no memo): requestMatches / routeRequest use it
    const re = compilePattern(v)
    if (E.isLeft(re)) errors.push(specError(joinPath(path, 'regex'), `not a valid regular expression (RE2 syntax, as Envoy, Istio and Gateway API read it): ${re.left}`))
    else withCompiledPattern(out, re.right)
  }
  return out
}

const valueMap = (m: Record<string, ValueIn> | undefined, path: string, errors: SpecError[]): Record<string, StringMatch> | undefined => {
  if (m === undefined) return undefined
  const out: Record<string, StringMatch> = {}
  for (const [name, v] of Object.entries(m)) {
    if (name.length === 0) errors.push(specError(path, 'names must not be empty'))
    out[name] = valueMatch(v, joinPath(path, name), errors)
  }
  return out
}

/**
 * The A/B program: route the matched requests to the canary, then `iterations` analysed intervals.
 *
 * @example
 * ```ts
 * abTestProgram(3, [{ headers: { 'x-canary': { exact: 'insider' } } }])
 * // [{ type: 'setHeaderRoute', name: 'ab-test', match: [...] }, { type: 'analysis', intervals: 3 }]
 * ```
 * @category compilers
 */
export const abTestProgram = (iterations: number, match: readonly RequestMatch[]): CanaryStep[] => [
  { type: 'setHeaderRoute', name: DEFAULTS.abTestRouteName, match },
  { type: 'analysis', intervals: iterations },
]

/**
 * Normalises `strategy.abTest`; problems are pushed to `errors` with their paths.
 *
 * @example
 * ```ts
 * const errors: SpecError[] = []
 * normalizeAbTest({ iterations: 5, match: [{ cookies: { canary: { exact: 'always' } } }] }, 'strategy.abTest', errors).steps.length // 2
 * ```
 * @category constructors
 */
export const normalizeAbTest = (a: AbTestInputType, path: string, errors: SpecError[]): AbTestStrategySpec => {
  const mpath = joinPath(path, 'match')
  if (a.match.length === 0) errors.push(specError(mpath, 'expected at least one match (an A/B test without a match would route nobody to the canary)'))
  const match: RequestMatch[] = a.match.map((m, i) => {
    const p = joinPath(mpath, i)
    const headers = valueMap(m.headers, joinPath(p, 'headers'), errors)
    const cookies = valueMap(m.cookies, joinPath(p, 'cookies'), errors)
    const queryParams = valueMap(m.queryParams, joinPath(p, 'queryParams'), errors)
    const n = Object.keys(headers ?? {}).length + Object.keys(cookies ?? {}).length + Object.keys(queryParams ?? {}).length
    if (n === 0) errors.push(specError(p, 'a match needs at least one header, cookie or query parameter condition'))
    return {
      ...(headers !== undefined ? { headers } : {}),
      ...(cookies !== undefined ? { cookies } : {}),
      ...(queryParams !== undefined ? { queryParams } : {}),
    }
  })
  return { kind: 'abTest', iterations: a.iterations, match, maxWeight: 0, steps: abTestProgram(a.iterations, match) }
}
