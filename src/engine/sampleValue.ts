/**
 * The shape a `value` sample's `value` must have to be judged. One place on purpose: the set of usable
 * value shapes is a single decision, and widening it (another provider's result type) is a change here only.
 *
 * @module
 */

/** A finite, non-negative number. */
const isUsableNumber = (n: unknown): boolean => typeof n === 'number' && Number.isFinite(n) && n >= 0

/**
 * Whether `v` is usable as a `value` sample's value: a finite, non-negative number, or a non-empty list of
 * them (a Prometheus vector).
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
export const isUsableValue = (v: unknown): boolean => (typeof v === 'number' ? isUsableNumber(v) : Array.isArray(v) && v.length > 0 && v.every(isUsableNumber))

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
