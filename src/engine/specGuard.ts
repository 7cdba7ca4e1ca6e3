/**
 * A constant-time check that a spec passed to `step` is not too big to be a decoded spec. `decodeSpec`
 * bounds every list (src/config/plainData.ts); a hand-made or hostile value can still carry a list of
 * length 2^32-1, and walking it would stall the caller for hours. Such a spec is refused before any list
 * is walked.
 *
 * @module
 */
import type { RolloutSpec } from '../config/spec.js'
import { PLAIN_DATA_LIMITS } from '../config/plainData.js'

/** The longest list a decoded spec can hold. */
const MAX_LIST = PLAIN_DATA_LIMITS.maxItems

const tooLong = (u: unknown): boolean => Array.isArray(u) && u.length > MAX_LIST

/**
 * Why `spec` cannot be a decoded spec (a list longer than any decoded spec has, or a spec that cannot be
 * read), or null. Reads three lists' lengths: constant time.
 *
 * @example
 * ```ts
 * declare const spec: RolloutSpec
 * oversizedSpec(spec) // null
 * ```
 * @category validation
 */
export const oversizedSpec = (spec: RolloutSpec): string | null => {
  try {
    const s = spec as unknown as { analysis?: { metrics?: unknown }; strategy?: { steps?: unknown }; gates?: unknown }
    if (tooLong(s.analysis?.metrics) || tooLong(s.strategy?.steps) || tooLong(s.gates)) {
      return `the spec has a list of more than ${MAX_LIST} entries: it is not a decoded spec (use decodeSpec)`
    }
    return null
  } catch {
    return 'the spec cannot be read: it is not a decoded spec (use decodeSpec)'
  }
}
