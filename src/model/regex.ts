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

/**
 * Compiles an RE2 pattern, or says why it is not one (the message RE2 gives, e.g.
 * ``invalid or unsupported Perl syntax: `(?=` ``). Not memoised: the caller keeps the result (the decoder
 * does: a decoded spec carries its compiled route patterns, and a compiled condition its `matches`
 * patterns). Never throws.
 *
 * @example
 * ```ts
 * compilePattern('insider|beta')._tag // 'Right'
 * compilePattern('(a)\\1')._tag        // 'Left' (backreferences are not RE2)
 * ```
 * @category predicates
 */
export const compilePattern = (pattern: string): E.Either<string, RE2JS> => {
  if (typeof pattern !== 'string') return E.left('expected a string')
  if (pattern.length > MAX_REGEX_LENGTH) return E.left(`longer than ${MAX_REGEX_LENGTH} characters (${pattern.length})`)
  try {
    return E.right(RE2JS.compile(pattern))
  } catch (e) {
    return E.left(thrownMessage(e))
  }
}

const cache = new Map<string, E.Either<string, RE2JS>>()
const CACHE_SIZE = 1000

/**
 * {@link compilePattern}, memoised by pattern text (at most 1,000 patterns; the memo is emptied when
 * full): for the functions that take a pattern as text ({@link regexFullMatch}, {@link regexFind}), whose
 * callers hold data, not a decoded spec (traffic read back from JSON, a request match built by hand). Keyed
 * by text, so it cannot answer for a pattern that changed. Never throws.
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
  const r = compilePattern(pattern)
  if (cache.size >= CACHE_SIZE) cache.clear()
  cache.set(pattern, r)
  return r
}

/**
 * How many patterns the memo of {@link compileRegex} holds (for tests: decoding and running a spec must
 * not add to it).
 *
 * @example
 * ```ts
 * regexMemoSize() // 0 in a fresh process
 * ```
 * @internal
 */
export const regexMemoSize = (): number => cache.size

const MATCHER: unique symbol = Symbol('rollout-kernel compiled pattern')

/** A whole-value matcher over a compiled pattern (never throws). */
const fullMatcher =
  (re: RE2JS) =>
  (value: string): boolean => {
    if (typeof value !== 'string') return false
    try {
      return re.matches(value)
    } catch {
      return false
    }
  }

/**
 * Attaches the compiled form of `holder.regex` to `holder` (under a symbol: JSON, spreading and equality
 * do not see it), so that {@link regexFullMatchOf} needs no compilation and no memo. The decoder does this
 * for each route match of a spec before freezing it. Returns `holder`.
 *
 * @example
 * ```ts
 * import * as E from 'fp-ts/lib/Either.js'
 * const m = { regex: 'beta-[0-9]+' }
 * const re = compilePattern(m.regex)
 * if (E.isRight(re)) withCompiledPattern(m, re.right)
 * ```
 * @category constructors
 */
export const withCompiledPattern = <T extends { readonly regex?: string }>(holder: T, re: RE2JS): T => {
  Object.defineProperty(holder, MATCHER, { value: { source: holder.regex, matches: fullMatcher(re) }, enumerable: false, writable: false, configurable: false })
  return holder
}

/**
 * Whether `holder.regex` matches the whole of `value`: with the compiled pattern the decoder attached when
 * it is there (and is the holder's own, for this very text), through {@link regexFullMatch} otherwise.
 * Never throws.
 *
 * @example
 * ```ts
 * regexFullMatchOf({ regex: 'a+' }, 'aaa') // true
 * ```
 * @category predicates
 */
export const regexFullMatchOf = (holder: { readonly regex?: string }, value: string): boolean => {
  const pattern = holder.regex
  if (typeof pattern !== 'string') return false
  const own = Object.prototype.hasOwnProperty.call(holder, MATCHER) ? (holder as { readonly [MATCHER]?: { readonly source: unknown; readonly matches: (v: string) => boolean } })[MATCHER] : undefined
  return own !== undefined && own.source === pattern ? own.matches(value) : regexFullMatch(pattern, value)
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

/**
 * {@link regexFind} over a pattern already compiled (by {@link compilePattern}): a match somewhere in
 * `value`, in time linear in `value`. Never throws.
 *
 * @example
 * ```ts
 * import * as E from 'fp-ts/lib/Either.js'
 * const re = compilePattern('^canary-')
 * if (E.isRight(re)) patternFinder(re.right)('canary-latency') // true
 * ```
 * @category predicates
 */
export const patternFinder =
  (re: RE2JS) =>
  (value: string): boolean => {
    if (typeof value !== 'string') return false
    try {
      return re.test(value)
    } catch {
      return false
    }
  }
