/**
 * The `Either` results of the public functions, and the helpers a caller needs to read them without
 * depending on fp-ts. Every `Left` / `Right` is a plain object (`{ _tag: 'Left', left }` or
 * `{ _tag: 'Right', right }`), the same shape as fp-ts' `Either`, so a caller who uses fp-ts can pass them
 * to its functions unchanged; the package itself bundles the few fp-ts functions it needs and does not
 * install fp-ts.
 *
 * @module
 */
import * as E from 'fp-ts/lib/Either.js'

/**
 * A failure: `{ _tag: 'Left', left }` (for `decodeSpec`, `left` is the list of `SpecError`s).
 *
 * @example
 * ```ts
 * const l: Left<string> = { _tag: 'Left', left: 'bad' }
 * ```
 */
export type Left<L> = E.Left<L>

/**
 * A success: `{ _tag: 'Right', right }`.
 *
 * @example
 * ```ts
 * const r: Right<number> = { _tag: 'Right', right: 1 }
 * ```
 */
export type Right<R> = E.Right<R>

/**
 * Either a failure (`Left<L>`) or a success (`Right<R>`): what every fallible public function returns
 * instead of throwing.
 *
 * @example
 * ```ts
 * declare const r: Either<string, number>
 * const n = isRight(r) ? r.right : 0
 * ```
 */
export type Either<L, R> = E.Either<L, R>

/** The `_tag` of an Either, or undefined when `result` is not an object or its tag cannot be read. */
const tagOf = (result: unknown): unknown => {
  try {
    return typeof result === 'object' && result !== null ? (result as { _tag?: unknown })._tag : undefined
  } catch {
    return undefined
  }
}

/**
 * True (and narrows to `Left`) when the result is a failure. False for anything that is not an `Either`
 * (`undefined`, a revoked Proxy, an object whose `_tag` getter throws): it never throws.
 *
 * @example
 * ```ts
 * import { decodeSpec, isLeft } from 'rollout-kernel'
 * const r = decodeSpec({ strategy: { canary: { stepWeight: 10 } } })
 * if (isLeft(r)) console.error(r.left.map((e) => `${e.path}: ${e.message}`).join('\n'))
 * ```
 */
export const isLeft = <L, R>(result: Either<L, R>): result is Left<L> => tagOf(result) === 'Left'

/**
 * True (and narrows to `Right`) when the result is a success. False for anything that is not an `Either`;
 * never throws.
 *
 * @example
 * ```ts
 * import { decodeSpec, isRight } from 'rollout-kernel'
 * const r = decodeSpec({ strategy: { canary: { stepWeight: 10, maxWeight: 50 } } })
 * if (isRight(r)) console.log(r.right.strategy)
 * ```
 */
export const isRight = <L, R>(result: Either<L, R>): result is Right<R> => tagOf(result) === 'Right'
