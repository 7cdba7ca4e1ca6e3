/**
 * `deepFreeze`: makes a decoded spec immutable, so that no caller (and no action or state that shares a
 * part of it) can change it after the engine has memoised what it derived from it.
 *
 * @module
 */

/**
 * Freezes `value` and every object and array reachable from it, in place, and returns it. Functions are
 * frozen as values (their closures are not walked). Already frozen objects are not walked again, so
 * shared and cyclic parts cost one visit.
 *
 * @example
 * ```ts
 * const spec = deepFreeze({ analysis: { metrics: [{ name: 'errors' }] } })
 * Object.isFrozen(spec.analysis.metrics[0]) // true
 * ```
 * @category helpers
 */
export const deepFreeze = <T>(value: T): T => {
  const stack: unknown[] = [value]
  while (stack.length > 0) {
    const v = stack.pop()
    if ((typeof v !== 'object' && typeof v !== 'function') || v === null || Object.isFrozen(v)) continue
    Object.freeze(v)
    if (typeof v === 'function') continue
    for (const key of Reflect.ownKeys(v)) {
      const d = Object.getOwnPropertyDescriptor(v, key)
      if (d !== undefined && 'value' in d) stack.push(d.value)
    }
  }
  return value
}
