/**
 * Go's `time.ParseDuration` grammar (what Flagger and Argo use for intervals and pauses): a sequence of
 * decimal numbers with units `ns`, `us` (`µs`), `ms`, `s`, `m`, `h`, e.g. `"300ms"`, `"1.5h"`, `"2h45m"`;
 * an optional sign; `"0"` alone. A bare number such as `"30"` is NOT a Go duration.
 *
 * @module
 */
import * as E from 'fp-ts/lib/Either.js'
import { guarded } from '../model/guard.js'

const UNIT_MS: Readonly<Record<string, number>> = {
  ns: 1e-6,
  us: 1e-3,
  'µs': 1e-3,
  'μs': 1e-3,
  ms: 1,
  s: 1_000,
  m: 60_000,
  h: 3_600_000,
}

const PART = /(\d+\.?\d*|\.\d+)(ns|us|µs|μs|ms|s|m|h)/y

/**
 * Parses a Go duration into milliseconds (fractions of a millisecond are kept). Negative durations parse
 * (Go accepts them); callers decide what a negative value means.
 *
 * @example
 * ```ts
 * parseGoDuration('1m30s') // right(90_000)
 * parseGoDuration('1.5h')  // right(5_400_000)
 * parseGoDuration('30')    // left('... missing unit ...')
 * ```
 * @category compat
 */
export const parseGoDuration = guarded('parseGoDuration', (text: string): E.Either<string, number> => {
  const bad = (why: string): E.Either<string, number> => E.left(`"${text.length > 40 ? `${text.slice(0, 37)}...` : text}" is not a Go duration (${why})`)
  if (typeof text !== 'string' || text.length === 0) return bad('empty')
  if (text.length > 64) return bad('too long')
  let s = text
  let sign = 1
  if (s[0] === '-' || s[0] === '+') {
    sign = s[0] === '-' ? -1 : 1
    s = s.slice(1)
  }
  if (s === '0') return E.right(0)
  if (s === '') return bad('empty')
  PART.lastIndex = 0
  let total = 0
  let consumed = 0
  for (let m = PART.exec(s); m !== null; m = PART.exec(s)) {
    total += Number(m[1]) * (UNIT_MS[m[2] ?? ''] ?? NaN)
    consumed = PART.lastIndex
  }
  if (consumed !== s.length || consumed === 0) return bad(/^\d+(\.\d+)?$/.test(s) ? 'missing unit' : 'expected numbers with units ns, us, ms, s, m, h')
  return Number.isFinite(total) ? E.right(sign * total) : bad('out of range')
}, (m) => E.left(m))

/**
 * Writes milliseconds in the native duration syntax (`"90s"`, `"250ms"`), exactly (rounded to whole ms).
 *
 * @example
 * ```ts
 * nativeDuration(90_000) // '90s'
 * nativeDuration(250)    // '250ms'
 * ```
 * @category compat
 */
export const nativeDuration = (ms: number): string => {
  const r = Math.max(0, Math.round(ms))
  return r % 1000 === 0 ? `${r / 1000}s` : `${r}ms`
}
