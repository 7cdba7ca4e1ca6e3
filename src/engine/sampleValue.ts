/**
 * The shape a `value` sample's `value` must have to be judged. One place on purpose: the set of usable
 * value shapes is a single decision, and widening it (another provider's result type) is a change here only.
 *
 * @module
 */

/** The longest vector value (as many as a `points` arm; a list of length 2^32-1 would be walked for hours). */
const MAX_VALUES = 100_000

/** A finite, non-negative number. */
const isUsableNumber = (n: unknown): boolean => typeof n === 'number' && Number.isFinite(n) && n >= 0

/**
 * Whether `v` is usable as a `value` sample's value: a finite, non-negative number, or a non-empty list of
 * them (a Prometheus vector), at most 100,000.
 *
 * @example
 * ```ts
 * isUsableValue(99.5)      // true
 * isUsableValue([1, 2])    // true
 * isUsableValue(NaN)       // false
 * isUsableValue([])        // false
 * ```
 * @internal
 */
export const isUsableValue = (v: unknown): boolean =>
  typeof v === 'number' ? isUsableNumber(v) : Array.isArray(v) && v.length > 0 && v.length <= MAX_VALUES && v.every(isUsableNumber)

/**
 * What `isUsableValue` accepts, in words (for the reason of an ignored sample).
 *
 * @example
 * ```ts
 * `expected ${USABLE_VALUE}` // 'expected a finite, non-negative number or a non-empty list of them'
 * ```
 * @internal
 */
export const USABLE_VALUE = 'a finite, non-negative number or a non-empty list of them'

/**
 * Whether `v` is usable as the value of a CONDITION metric's sample beyond numbers (Argo's web provider):
 * a string, a boolean, null, or JSON (finite numbers, strings, booleans, null, arrays and plain objects of
 * them), at most 100,000 values and 32 levels, data properties only (no accessors, no class instances).
 * Never throws (a throwing Proxy is simply not usable).
 *
 * @example
 * ```ts
 * isUsableJsonValue({ ok: true, data: { count: 3 } }) // true
 * isUsableJsonValue('It worked!')                     // true
 * isUsableJsonValue(new Date())                       // false
 * ```
 * @internal
 */
export const isUsableJsonValue = (v: unknown): boolean => {
  const budget = { n: 100_000 }
  const ok = (u: unknown, depth: number): boolean => {
    if (--budget.n < 0 || depth > 32) return false
    if (u === null || typeof u === 'string' || typeof u === 'boolean') return true
    if (typeof u === 'number') return Number.isFinite(u)
    if (typeof u !== 'object') return false
    if (Array.isArray(u)) return u.every((x) => ok(x, depth + 1))
    const proto: unknown = Object.getPrototypeOf(u)
    if (proto !== Object.prototype && proto !== null) return false
    return Object.keys(u).every((k) => {
      const d = Object.getOwnPropertyDescriptor(u, k)
      return d !== undefined && 'value' in d && ok(d.value, depth + 1)
    })
  }
  try {
    return ok(v, 0)
  } catch {
    return false
  }
}

/**
 * What a condition metric accepts besides {@link USABLE_VALUE}, in words.
 *
 * @example
 * ```ts
 * USABLE_JSON_VALUE // 'a string, a boolean or JSON data (at most 100,000 values, 32 levels, plain data)'
 * ```
 * @internal
 */
export const USABLE_JSON_VALUE = 'a string, a boolean or JSON data (at most 100,000 values, 32 levels, plain data)'
