/**
 * The limits on condition text, in a module of their own: the condition language is loaded on first use
 * in the build (tsup.config.ts, `LAZY`), and this constant is exported at import.
 *
 * @module
 */

/**
 * Limits on condition text: at most `maxLength` characters and `maxNodes` syntax-tree nodes.
 *
 * @example
 * ```ts
 * CONDITION_LIMITS.maxLength // 1000
 * ```
 * @category model
 */
export const CONDITION_LIMITS = { maxLength: 1000, maxNodes: 200 } as const
