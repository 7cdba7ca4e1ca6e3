/**
 * A/B testing (Flagger): the strategy itself is a compiled program (a `setHeaderRoute` step named `ab-test`
 * and an `analysis` step of `iterations` intervals, see `normalizeAbTest`) run by the shared runner. This
 * module answers the question a router, a simulator or a test asks about the routing the engine wants:
 * which side serves a given request. Header names are compared case-insensitively (HTTP), cookie and query
 * parameter names exactly; `regex` is RE2 syntax and must match the whole value (Envoy / Istio full-match
 * semantics), matched in linear time (src/model/regex.ts).
 *
 * @module
 */
import type { RequestMatch, StringMatch, Traffic } from '../../model/traffic.js'
import { regexFullMatchOf } from '../../model/regex.js'

/**
 * The parts of a request a match looks at.
 *
 * @example
 * ```ts
 * const r: RequestAttributes = { headers: { 'X-Canary': 'insider' }, cookies: { canary: 'always' } }
 * ```
 * @category model
 */
export interface RequestAttributes {
  readonly headers?: Readonly<Record<string, string>>
  readonly cookies?: Readonly<Record<string, string>>
  readonly queryParams?: Readonly<Record<string, string>>
}

/**
 * Whether `value` satisfies one string match; an invalid regular expression matches nothing.
 *
 * @example
 * ```ts
 * valueMatches({ prefix: 'beta' }, 'beta-2') // true
 * valueMatches({ regex: 'a+' }, 'aab')       // false (whole value)
 * ```
 * @category predicates
 */
export const valueMatches = (m: StringMatch, value: string | undefined): boolean => {
  try {
    return valueMatchesUnsafe(m, value)
  } catch {
    return false
  }
}

const valueMatchesUnsafe = (m: StringMatch, value: string | undefined): boolean => {
  if (typeof value !== 'string' || typeof m !== 'object' || m === null) return false
  if (m.exact !== undefined) return value === m.exact
  if (m.prefix !== undefined) return value.startsWith(m.prefix)
  if (m.suffix !== undefined) return value.endsWith(m.suffix)
  if (m.regex !== undefined) return regexFullMatchOf(m, value)
  return false
}

const lookup = (map: Readonly<Record<string, string>> | undefined, name: string, caseless: boolean): string | undefined => {
  if (map === undefined) return undefined
  if (!caseless) return Object.prototype.hasOwnProperty.call(map, name) ? map[name] : undefined
  const key = Object.keys(map).find((k) => k.toLowerCase() === name.toLowerCase())
  return key === undefined ? undefined : map[key]
}

const allMatch = (conds: Readonly<Record<string, StringMatch>> | undefined, map: Readonly<Record<string, string>> | undefined, caseless: boolean): boolean =>
  Object.entries(conds ?? {}).every(([name, m]) => valueMatches(m, lookup(map, name, caseless)))

/**
 * Whether a request satisfies a match: every header, cookie and query parameter condition holds. A match
 * without any condition matches nothing (the config refuses it).
 *
 * @example
 * ```ts
 * requestMatches({ headers: { 'x-canary': { exact: 'insider' } } }, { headers: { 'X-Canary': 'insider' } }) // true
 * ```
 * @category predicates
 */
export const requestMatches = (match: RequestMatch, req: RequestAttributes): boolean => {
  try {
    return requestMatchesUnsafe(match, req)
  } catch {
    // a request or match that cannot be read (a throwing getter, a revoked Proxy) matches nothing
    return false
  }
}

const requestMatchesUnsafe = (match: RequestMatch, req: RequestAttributes): boolean => {
  const n = Object.keys(match.headers ?? {}).length + Object.keys(match.cookies ?? {}).length + Object.keys(match.queryParams ?? {}).length
  return n > 0 && allMatch(match.headers, req.headers, true) && allMatch(match.cookies, req.cookies, false) && allMatch(match.queryParams, req.queryParams, false)
}

/**
 * Which side serves a request under `traffic`, ignoring the weighted split: `'canary'` when a managed
 * `header` route matches it (any of its matches), `'primary'` when none does, `'split'` when only the
 * weight decides (weight between 1 and 99). Mirror routes never change who answers.
 *
 * @example
 * ```ts
 * const t: Traffic = { weight: 0, routes: [{ name: 'ab-test', kind: 'header', match: [{ cookies: { canary: { exact: 'always' } } }] }] }
 * routeRequest(t, { cookies: { canary: 'always' } }) // 'canary'
 * routeRequest(t, {})                                  // 'primary'
 * ```
 * @category selectors
 */
export const routeRequest = (traffic: Traffic, req: RequestAttributes): 'canary' | 'primary' | 'split' => {
  try {
    return routeRequestUnsafe(traffic, req)
  } catch {
    // traffic that cannot be read: the stable version answers
    return 'primary'
  }
}

const routeRequestUnsafe = (traffic: Traffic, req: RequestAttributes): 'canary' | 'primary' | 'split' => {
  const routed = traffic.routes.some((r) => r.kind === 'header' && r.match.some((m) => requestMatches(m, req)))
  if (routed || traffic.weight >= 100) return 'canary'
  return traffic.weight <= 0 ? 'primary' : 'split'
}
