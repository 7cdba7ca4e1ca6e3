/**
 * Small text formatters for the CLI's tables: clock times, numbers and aligned columns.
 *
 * @module
 */
import type { RolloutSpec } from '../config/spec.js'

/**
 * Milliseconds since the start as `mm:ss` (`h:mm:ss` from one hour on).
 *
 * @example
 * ```ts
 * clock(90_000)    // '01:30'
 * clock(3_723_000) // '1:02:03'
 * ```
 * @category formatters
 */
export const clock = (ms: number): string => {
  const total = Math.max(0, Math.round(ms / 1000))
  const h = Math.floor(total / 3600)
  const m = Math.floor((total % 3600) / 60)
  const s = total % 60
  const mm = String(m).padStart(2, '0')
  const ss = String(s).padStart(2, '0')
  return h > 0 ? `${h}:${mm}:${ss}` : `${mm}:${ss}`
}

/**
 * A number with at most `digits` significant digits, no exponent for everyday magnitudes.
 *
 * @example
 * ```ts
 * num(99.79423868) // '99.79'
 * num(430.1746)    // '430.2'
 * num(4164.2)      // '4164'
 * ```
 * @category formatters
 */
export const num = (x: number, digits = 4): string => {
  if (!Number.isFinite(x)) return String(x)
  if (x === 0) return '0'
  const mag = Math.floor(Math.log10(Math.abs(x)))
  if (mag >= digits) return String(Math.round(x))
  return String(Number(x.toFixed(Math.max(0, digits - 1 - mag))))
}

/**
 * A measured value for a table cell: two decimals below 100, one below 1000, none above.
 *
 * @example
 * ```ts
 * short(99.79423) // '99.79'
 * short(430.17)   // '430.2'
 * short(1.1424)   // '1.14'
 * ```
 * @category formatters
 */
export const short = (x: number): string => {
  if (!Number.isFinite(x)) return String(x)
  const a = Math.abs(x)
  return String(Number(x.toFixed(a >= 1000 ? 0 : a >= 100 ? 1 : 2)))
}

/**
 * Rounds every long decimal inside a message (`98.5002419` -> `98.5`).
 *
 * @example
 * ```ts
 * roundNumbers('request-success-rate 98.50024 < min 99') // 'request-success-rate 98.5 < min 99'
 * ```
 * @category formatters
 */
export const roundNumbers = (text: string): string => text.replace(/\d+\.\d{4,}/g, (m) => num(Number(m)))

/**
 * Column alignment of a table.
 *
 * @example
 * ```ts
 * const a: Align = 'right'
 * ```
 * @category model
 */
export type Align = 'left' | 'right'

/**
 * Renders rows as an aligned text table (two spaces between columns, the last column not padded).
 *
 * @example
 * ```ts
 * table(['time', 'weight'], [['00:00', '10%']], ['left', 'right'])
 * // 'time   weight\n00:00     10%\n'
 * ```
 * @category formatters
 */
export const table = (header: readonly string[], rows: readonly (readonly string[])[], align: readonly Align[] = []): string => {
  const all = [header, ...rows]
  const widths = header.map((_, c) => Math.max(...all.map((r) => (r[c] ?? '').length)))
  const line = (r: readonly string[]): string =>
    r
      .map((cell, c) => {
        if (c === r.length - 1) return align[c] === 'right' ? cell.padStart(widths[c] ?? 0) : cell
        return align[c] === 'right' ? cell.padStart(widths[c] ?? 0) : cell.padEnd(widths[c] ?? 0)
      })
      .join('  ')
      .trimEnd()
  return all.map(line).join('\n') + '\n'
}

/**
 * The size of a rollout's program as a user wrote it: weight steps for the linear and `stepWeights` canary
 * forms (which compile to a `setWeight` + one-tick `analysis` pair per weight), program steps otherwise.
 * The same count the engine's reasons use ("weight 2/5").
 *
 * @example
 * ```ts
 * import * as E from 'fp-ts/lib/Either.js'
 * import { decodeSpec } from '../config/decodeSpec.js'
 * const r = decodeSpec({ strategy: { canary: { stepWeight: 10, maxWeight: 50 } } })
 * if (E.isRight(r)) programSize(r.right) // '5 weight steps'
 * ```
 * @category formatters
 */
export const programSize = (spec: RolloutSpec): string => {
  const s = spec.strategy
  if (s.kind === 'canary' && s.form !== 'steps') {
    const n = s.steps.filter((p) => p.type === 'setWeight').length
    return `${n} weight step${n === 1 ? '' : 's'}`
  }
  return `${s.steps.length} step${s.steps.length === 1 ? '' : 's'}`
}
