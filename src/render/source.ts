/**
 * What a renderer takes: the traffic part of an action (or a `Traffic` value), checked once so that
 * every renderer can trust it. A rollback (and a finalize) means weight 0 with no mirroring and no
 * managed routes; a blue/green switch means weight 100 (to the canary) or 0 (back to the primary).
 *
 * @module
 */
import * as E from 'fp-ts/lib/Either.js'
import { describeValue, joinPath, specError, type SpecError } from '../model/errors.js'
import type { Action } from '../engine/decision.js'
import { noTraffic, type ManagedRoute, type RequestMatch, type StringMatch, type Traffic } from '../model/traffic.js'
import { checkPercent, isHttpToken, isRecord, orErrors } from './checks.js'
import { boundedList, guarded } from '../model/guard.js'

/**
 * Anything a renderer accepts: a `Traffic` value or an engine `Action`.
 *
 * @example
 * ```ts
 * const a: RenderSource = { type: 'setWeight', weight: 20, routes: [] }
 * const b: RenderSource = { weight: 0, routes: [] }
 * ```
 * @category model
 */
export type RenderSource = Traffic | Action

/** The keys of a `StringMatch`, in the order they are tried. */
const MATCH_KINDS = ['exact', 'prefix', 'suffix', 'regex'] as const

/**
 * A `StringMatch` with its single field made explicit.
 *
 * @example
 * ```ts
 * const m: MatchOf = { kind: 'prefix', value: 'beta-' }
 * ```
 * @category model
 */
export interface MatchOf {
  readonly kind: (typeof MATCH_KINDS)[number]
  readonly value: string
}

/**
 * Reads the single field of a (checked) `StringMatch`.
 *
 * @example
 * ```ts
 * matchOf({ suffix: '-beta' }) // { kind: 'suffix', value: '-beta' }
 * ```
 * @category utils
 */
export const matchOf = guarded('matchOf', (m: StringMatch): MatchOf => {
  for (const kind of MATCH_KINDS) {
    const value = m[kind]
    if (value !== undefined) return { kind, value }
  }
  return { kind: 'exact', value: '' }
}, () => ({ kind: 'exact' as const, value: '' }))

const checkStringMatch = (path: string, m: unknown): SpecError[] => {
  if (!isRecord(m)) return [specError(path, `expected a string match such as { exact: "..." }, got ${describeValue(m)}`)]
  const set = Object.keys(m).filter((k) => m[k] !== undefined)
  const unknown = set.filter((k) => !(MATCH_KINDS as readonly string[]).includes(k))
  if (unknown.length > 0)
    return [specError(path, `unknown string match field(s) ${unknown.join(', ')}; expected exactly one of exact, prefix, suffix, regex`)]
  if (set.length !== 1)
    return [specError(path, `expected exactly one of exact, prefix, suffix, regex, got ${set.length === 0 ? 'none' : set.join(' and ')}`)]
  const kind = set[0] as string
  const value = m[kind]
  if (typeof value !== 'string') return [specError(joinPath(path, kind), `expected a string, got ${describeValue(value)}`)]
  if (kind === 'regex' && value.length === 0) return [specError(joinPath(path, kind), 'expected a non-empty regular expression')]
  return []
}

const checkConditions = (path: string, conditions: unknown, what: string): SpecError[] => {
  if (conditions === undefined) return []
  if (!isRecord(conditions)) return [specError(path, `expected a map from ${what} name to string match, got ${describeValue(conditions)}`)]
  const errors: SpecError[] = []
  const seen = new Set<string>()
  for (const [key, m] of Object.entries(conditions)) {
    const p = joinPath(path, key)
    if (!isHttpToken(key)) errors.push(specError(p, `expected a ${what} name (an HTTP token: letters, digits and !#$%&'*+-.^_\`|~), got ${describeValue(key)}`))
    else if (what === 'header' && seen.has(key.toLowerCase()))
      errors.push(specError(p, `header "${key}" is listed twice (header names are case-insensitive)`))
    seen.add(key.toLowerCase())
    errors.push(...checkStringMatch(p, m))
  }
  return errors
}

const checkRequestMatch = (path: string, m: unknown): SpecError[] => {
  if (!isRecord(m)) return [specError(path, `expected a request match, got ${describeValue(m)}`)]
  const unknown = Object.keys(m).filter((k) => m[k] !== undefined && !['headers', 'cookies', 'queryParams'].includes(k))
  if (unknown.length > 0) return [specError(path, `unknown request match field(s) ${unknown.join(', ')}; expected headers, cookies, queryParams`)]
  const count = (v: unknown): number => (isRecord(v) ? Object.keys(v).length : 0)
  const errors = [
    ...checkConditions(joinPath(path, 'headers'), m.headers, 'header'),
    ...checkConditions(joinPath(path, 'cookies'), m.cookies, 'cookie'),
    ...checkConditions(joinPath(path, 'queryParams'), m.queryParams, 'query parameter'),
  ]
  if (errors.length === 0 && count(m.headers) + count(m.cookies) + count(m.queryParams) === 0)
    errors.push(specError(path, 'a request match needs at least one header, cookie or query parameter condition (an empty match would catch every request)'))
  return errors
}

const checkRoute = (path: string, r: unknown, names: Set<string>): SpecError[] => {
  if (!isRecord(r)) return [specError(path, `expected a managed route, got ${describeValue(r)}`)]
  const errors: SpecError[] = []
  if (typeof r.name !== 'string' || r.name.trim().length === 0)
    errors.push(specError(joinPath(path, 'name'), `expected a non-empty route name, got ${describeValue(r.name)}`))
  else if (names.has(r.name)) errors.push(specError(joinPath(path, 'name'), `route name "${r.name}" is used twice`))
  else names.add(r.name)
  if (r.kind !== 'header' && r.kind !== 'mirror')
    errors.push(specError(joinPath(path, 'kind'), `expected "header" or "mirror", got ${describeValue(r.kind)}`))
  if (!Array.isArray(r.match) || r.match.length === 0)
    errors.push(specError(joinPath(path, 'match'), `expected a non-empty list of request matches, got ${describeValue(r.match)}`))
  else r.match.forEach((m: unknown, i) => errors.push(...checkRequestMatch(joinPath(joinPath(path, 'match'), i), m)))
  if (r.percentage !== undefined) {
    if (r.kind !== 'mirror')
      errors.push(specError(joinPath(path, 'percentage'), 'percentage applies to mirror routes only'))
    else errors.push(...checkPercent(joinPath(path, 'percentage'), r.percentage, false))
  }
  return errors
}

/**
 * Checks a `Traffic` value: integer weight in 0..100, mirror share in 0..100, managed routes with
 * unique non-empty names, non-empty match lists, HTTP-token header / cookie / query names and string
 * matches with exactly one field. Paths start with `traffic.`.
 *
 * @example
 * ```ts
 * checkTraffic({ weight: 20, routes: [] })  // right({ weight: 20, routes: [] })
 * checkTraffic({ weight: 120, routes: [] }) // left([{ path: 'traffic.weight', message: 'expected an integer in 0..100, got 120' }])
 * ```
 * @category constructors
 */
export const checkTraffic = guarded('checkTraffic', (traffic: Traffic): E.Either<SpecError[], Traffic> => {
  if (!isRecord(traffic)) return E.left([specError('traffic', `expected traffic, got ${describeValue(traffic)}`)])
  const errors: SpecError[] = [...checkPercent('traffic.weight', traffic.weight, true)]
  if (traffic.mirror !== undefined) errors.push(...checkPercent('traffic.mirror', traffic.mirror, false))
  const routes: unknown = traffic.routes
  if (!Array.isArray(routes)) errors.push(specError('traffic.routes', `expected a list of managed routes, got ${describeValue(routes)}`))
  else {
    const names = new Set<string>()
    boundedList(routes, 'traffic.routes').forEach((r: unknown, i) => errors.push(...checkRoute(joinPath('traffic.routes', i), r, names)))
  }
  return orErrors(errors, () => traffic)
}, (m) => E.left([specError('', m)]))

/**
 * The routing an action asks for, checked with `checkTraffic`.
 * `setWeight` gives its own traffic; `rollback` and `finalize` give weight 0 without mirror or routes;
 * `switch` gives weight 100 (to the canary) or 0 (to the primary). `hold` and `promote` leave the
 * routing as it is, so there is nothing to render: they give a `Left` at `action.type`.
 *
 * @example
 * ```ts
 * trafficOf({ type: 'rollback', revision: 'v2' }) // right({ weight: 0, routes: [] })
 * trafficOf({ type: 'setWeight', weight: 30, routes: [] }) // right({ weight: 30, routes: [] })
 * trafficOf({ type: 'hold' }) // left([{ path: 'action.type', message: ... }])
 * ```
 * @category constructors
 */
export const trafficOf = guarded('trafficOf', (source: RenderSource): E.Either<SpecError[], Traffic> => {
  if (!isRecord(source)) return E.left([specError('traffic', `expected an action or traffic, got ${describeValue(source)}`)])
  if (!('type' in source)) return checkTraffic(source)
  const action = source as Action
  switch (action.type) {
    case 'setWeight': {
      const { weight, mirror, routes, canaryScale } = action
      return checkTraffic({
        weight,
        routes,
        ...(mirror !== undefined ? { mirror } : {}),
        ...(canaryScale !== undefined ? { canaryScale } : {}),
      })
    }
    case 'rollback':
    case 'finalize':
      return E.right(noTraffic)
    case 'switch':
      return action.to === 'canary' ? E.right({ weight: 100, routes: [] }) : E.right(noTraffic)
    case 'hold':
    case 'promote':
      return E.left([specError('action.type', `a ${action.type} action leaves the routing as it is: there is nothing to render`)])
    default:
      return E.left([specError('action.type', `unknown action type ${describeValue((action as { type?: unknown }).type)}`)])
  }
}, (m) => E.left([specError('', m)]))

/**
 * The routes of one kind, in their original order.
 *
 * @example
 * ```ts
 * routesOfKind({ weight: 0, routes: [] }, 'header') // []
 * ```
 * @category utils
 */
export const routesOfKind = guarded('routesOfKind', (traffic: Traffic, kind: ManagedRoute['kind']): readonly ManagedRoute[] =>
  boundedList(traffic.routes, 'traffic.routes').filter((r) => r.kind === kind), () => [])

/**
 * The entries of an optional condition map, in insertion order.
 *
 * @example
 * ```ts
 * conditionsOf({ headers: { 'x-a': { exact: '1' } } }, 'headers') // [['x-a', { exact: '1' }]]
 * ```
 * @category utils
 */
export const conditionsOf = guarded('conditionsOf', (
  m: RequestMatch,
  field: 'headers' | 'cookies' | 'queryParams',
): ReadonlyArray<readonly [string, StringMatch]> => Object.entries(m[field] ?? {}), () => [])
