/**
 * Typed decode errors. Every problem found in a spec, a state or an observation is reported as a
 * `SpecError` with a dotted path to the offending field, never as an exception.
 *
 * @module
 */

/**
 * One problem found while decoding input.
 *
 * @example
 * ```ts
 * const e: SpecError = { path: 'analysis.metrics[1].thresholdRange.min', message: 'expected a number, got "ninety"' }
 * ```
 * @category model
 */
export interface SpecError {
  /** Dotted path with array indices, e.g. `strategy.canary.steps[2].pause.duration`. Empty for the root. */
  readonly path: string
  /** Human-readable explanation, naming the expected and the observed value. */
  readonly message: string
}

/**
 * Builds a `SpecError`.
 *
 * @example
 * ```ts
 * specError('analysis.interval', 'expected a duration such as "1m"')
 * ```
 * @category constructors
 */
export const specError = (path: string, message: string): SpecError => ({ path, message })

/**
 * Joins a parent path and a child key or index into a dotted path.
 *
 * @example
 * ```ts
 * joinPath('analysis', 'metrics') // 'analysis.metrics'
 * joinPath('analysis.metrics', 1) // 'analysis.metrics[1]'
 * joinPath('', 'strategy')        // 'strategy'
 * ```
 * @category utils
 */
export const joinPath = (parent: string, key: string | number): string =>
  typeof key === 'number' ? `${parent}[${key}]` : parent === '' ? key : `${parent}.${key}`

/**
 * Short, safe rendering of an arbitrary value for error messages (never throws, bounded length).
 *
 * @example
 * ```ts
 * describeValue('ninety') // '"ninety"'
 * describeValue(undefined) // 'nothing'
 * ```
 * @category utils
 */
export const describeValue = (v: unknown): string => {
  try {
    return describeUnsafe(v)
  } catch {
    // a revoked Proxy (Array.isArray throws) or a Proxy whose traps throw: typeof never throws
    return typeof v === 'object' ? 'an object' : typeof v
  }
}

const describeUnsafe = (v: unknown): string => {
  if (v === undefined) return 'nothing'
  if (v === null) return 'null'
  if (typeof v === 'string') return JSON.stringify(v.length > 60 ? `${v.slice(0, 57)}...` : v)
  if (typeof v === 'number' || typeof v === 'boolean') return String(v)
  if (Array.isArray(v)) return `a list of ${v.length}`
  if (typeof v === 'object') return 'an object'
  return typeof v
}
