/**
 * The project's one regular-expression engine: RE2 syntax, matched in linear time. Envoy (Istio, Gateway
 * API implementations) and Go (Argo Rollouts, and expr-lang's `matches` inside Argo's conditions) use RE2:
 * no backreferences, no lookaround, repetition counts up to 1000, and matching time linear in the input
 * whatever the pattern, so that `(a+)+` on a long header or a long string result cannot stall the caller.
 * The engine is `re2js` (a pure-JavaScript port of RE2), so what the config accepts is what a mesh or Argo
 * accepts, and no match can backtrack exponentially. Used by header / cookie / query routes (full match),
 * the condition language's `matches` and Argo's `dryRun` metric names (a match anywhere, as Go's
 * `regexp.MatchString`).
 *
 * In the leaf `src/model/`: imports nothing outside it.
 *
 * @module
 */
import * as E from 'fp-ts/lib/Either.js'
import { RE2JS } from './re2.js'
import { thrownMessage } from './thrown.js'

/**
 * Longest pattern accepted, in characters.
 *
 * @example
 * ```ts
 * MAX_REGEX_LENGTH // 1024
 * ```
 * @category predicates
 */
export const MAX_REGEX_LENGTH = 1024

const cache = new Map<string, E.Either<string, RE2JS>>()
const CACHE_SIZE = 1000

/**
 * Compiles an RE2 pattern, or says why it is not one (the message RE2 gives, e.g.
 * ``invalid or unsupported Perl syntax: `(?=` ``). Cached; never throws.
 *
 * @example
 * ```ts
 * compileRegex('insider|beta')._tag // 'Right'
 * compileRegex('(a)\\1')._tag        // 'Left' (backreferences are not RE2)
 * ```
 * @category predicates
 */
export const compileRegex = (pattern: string): E.Either<string, RE2JS> => {
  if (typeof pattern !== 'string') return E.left('expected a string')
  const hit = cache.get(pattern)
  if (hit !== undefined) return hit
  let r: E.Either<string, RE2JS>
  if (pattern.length > MAX_REGEX_LENGTH) r = E.left(`longer than ${MAX_REGEX_LENGTH} characters (${pattern.length})`)
  else {
    try {
      r = E.right(RE2JS.compile(pattern))
    } catch (e) {
      r = E.left(thrownMessage(e))
    }
  }
  if (cache.size >= CACHE_SIZE) cache.clear()
  cache.set(pattern, r)
  return r
}

/**
 * Whether `pattern` (RE2 syntax) matches the WHOLE of `value` (Envoy's `safe_regex` full-match
 * semantics), in time linear in `value`. An invalid pattern matches nothing. Never throws.
 *
 * @example
 * ```ts
 * regexFullMatch('a+', 'aaa') // true
 * regexFullMatch('a+', 'aab') // false
 * ```
 * @category predicates
 */
export const regexFullMatch = (pattern: string, value: string): boolean => {
  const re = compileRegex(pattern)
  if (E.isLeft(re) || typeof value !== 'string') return false
  try {
    return re.right.matches(value)
  } catch {
    return false
  }
}

/**
 * Whether `pattern` (RE2 syntax) matches somewhere in `value` (Go's `regexp.MatchString`, the semantics of
 * expr-lang's `matches` and of Argo's `dryRun` metric names), in time linear in `value`. An invalid pattern
 * matches nothing. Never throws.
 *
 * @example
 * ```ts
 * regexFind('^canary-', 'canary-latency') // true
 * regexFind('latency', 'canary-latency')  // true
 * regexFind('^latency$', 'canary-latency') // false
 * ```
 * @category predicates
 */
export const regexFind = (pattern: string, value: string): boolean => {
  const re = compileRegex(pattern)
  if (E.isLeft(re) || typeof value !== 'string') return false
  try {
    return re.right.test(value)
  } catch {
    return false
  }
}
