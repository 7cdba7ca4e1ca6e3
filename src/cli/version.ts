/**
 * The version `rollout-kernel --version` prints (a test keeps it equal to package.json's).
 *
 * @module
 */

/**
 * The package version.
 *
 * @example
 * ```ts
 * VERSION // '0.1.0'
 * ```
 * @category cli
 */
export const VERSION = '0.1.0'
