/**
 * What both condition dialects share: the dialect names and the shape of a problem found in condition text
 * (a position in the author's text and a message that names the column).
 *
 * @module
 */

/**
 * The condition dialects: `argo` (expr-lang spellings, 0-based `result[i]`) and `mathjs` (mathjs syntax
 * as is, 1-based `result[i]`).
 *
 * @example
 * ```ts
 * const d: ConditionDialect = 'argo'
 * ```
 * @category model
 */
export type ConditionDialect = 'argo' | 'mathjs'

/**
 * A problem found in condition text. `position` is the 0-based character offset in the text the author
 * wrote (null when the problem is not at one place, e.g. too many nodes); `message` says what is wrong
 * and, when there is a position, where (as a 1-based column).
 *
 * @example
 * ```ts
 * const e: ConditionError = { position: 10, message: "assignment '=' is not allowed (column 11)" }
 * ```
 * @category model
 */
export interface ConditionError {
  readonly position: number | null
  readonly message: string
}

/**
 * Formats an error message with its 1-based column.
 *
 * @example
 * ```ts
 * conditionError(3, "unexpected character '#'") // { position: 3, message: "unexpected character '#' (column 4)" }
 * ```
 * @category constructors
 */
export const conditionError = (position: number | null, message: string): ConditionError => ({
  position,
  message: position === null ? message : `${message} (column ${position + 1})`,
})
