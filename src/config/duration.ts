/**
 * Durations: `"30s"`, `"5m"`, `"1h30m"`, `"250ms"`, digit strings and plain numbers (seconds), as Flagger
 * and Argo write them. Parsed into milliseconds.
 *
 * @module
 */
import * as E from 'fp-ts/lib/Either.js'
import { describeValue } from '../model/errors.js'

const UNIT_MS: Readonly<Record<string, number>> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000 }
const PART = /(\d+(?:\.\d+)?)(ms|s|m|h)/gy

/** Longest duration accepted: 100 years, far beyond any rollout, so that times stay exact integers. */
const MAX_DURATION_MS = 100 * 365 * 24 * 3_600_000

/**
 * Parses a duration into milliseconds. Numbers and digit strings are seconds (Argo's `pause.duration: 30`).
 * Negative, non-finite, malformed and absurdly long (over 100 years) inputs are a `Left` with a message.
 *
 * @example
 * ```ts
 * parseDuration('1h30m') // right(5_400_000)
 * parseDuration(30)      // right(30_000)
 * parseDuration('5 min') // left('expected a duration such as "30s", "5m" or "1h30m", got "5 min"')
 * ```
 * @category parsers
 */
export const parseDuration = (input: unknown): E.Either<string, number> => {
  const r = parseDurationMs(input)
  return E.isRight(r) && r.right > MAX_DURATION_MS
    ? E.left(`expected a duration of at most 100 years, got ${describeValue(input)}`)
    : r
}

const parseDurationMs = (input: unknown): E.Either<string, number> => {
  const bad = E.left(`expected a duration such as "30s", "5m" or "1h30m", got ${describeValue(input)}`)
  if (typeof input === 'number') {
    return Number.isFinite(input) && input >= 0 ? E.right(Math.round(input * 1000)) : bad
  }
  if (typeof input !== 'string') return bad
  const text = input.trim()
  if (/^\d+$/.test(text)) return E.right(Number(text) * 1000)
  if (text === '' || text.length > 40) return bad
  PART.lastIndex = 0
  let total = 0
  let consumed = 0
  for (let m = PART.exec(text); m !== null; m = PART.exec(text)) {
    const unit = UNIT_MS[m[2] ?? '']
    if (unit === undefined) return bad
    total += Number(m[1]) * unit
    consumed = PART.lastIndex
  }
  return consumed === text.length && consumed > 0 ? E.right(Math.round(total)) : bad
}

/**
 * Formats milliseconds as a compact duration (`90_000` -> `"1m30s"`).
 *
 * @example
 * ```ts
 * formatDuration(5_400_000) // '1h30m'
 * formatDuration(1_500)     // '1.5s'
 * ```
 * @category formatters
 */
export const formatDuration = (ms: number): string => {
  if (typeof ms !== 'number') return `not a duration (${describeValue(ms)})`
  if (!Number.isFinite(ms)) return String(ms)
  if (ms === 0) return '0s'
  const sign = ms < 0 ? '-' : ''
  let rest = Math.abs(ms)
  const h = Math.floor(rest / 3_600_000)
  rest -= h * 3_600_000
  const m = Math.floor(rest / 60_000)
  rest -= m * 60_000
  const s = rest / 1000
  return `${sign}${h ? `${h}h` : ''}${m ? `${m}m` : ''}${s ? `${Number.isInteger(s) ? s : Number(s.toFixed(3))}s` : ''}`
}

/**
 * Formats an epoch-millisecond instant as ISO 8601 (UTC) without ever throwing: values outside the Date
 * range are printed as plain numbers.
 *
 * @example
 * ```ts
 * formatInstant(0)        // '1970-01-01T00:00:00.000Z'
 * formatInstant(Infinity) // 'Infinity'
 * ```
 * @category formatters
 */
export const formatInstant = (ms: number): string =>
  Number.isFinite(ms) && Math.abs(ms) <= 8.64e15 ? new Date(ms).toISOString() : String(ms)
