/**
 * Boundary guards: the last line of "never throws". A public function's own checks reject bad input with a
 * typed error; a guard wraps the function so that whatever still escapes (a throwing getter met deep inside,
 * a revoked Proxy, an object whose `toString` throws) comes back as the function's documented failure value,
 * with the thrown message in it, instead of an exception. docs/totality.md lists what each export returns.
 *
 * @module
 */
import { thrownMessage } from './thrown.js'

/**
 * Wraps `f` so that a throw becomes `onThrow(message, f, args, thrown)`, where `message` names the function and
 * says what was thrown (`renderIstio: could not read its input: ...`) and `thrown` is the thrown value itself;
 * `onThrow` may call `f` again on a safe value (it must not read `args` beyond passing one on: they are what
 * threw), and may let a throw of its own kind through by testing `thrown` (which may be hostile too: test it
 * inside a `try`). The arguments are passed through untouched and the wrapper keeps `f`'s signature.
 *
 * @example
 * ```ts
 * const half = guarded('half', (x: number) => x.toFixed(1), () => 'NaN')
 * half(Object.create(null)) // 'NaN'
 * ```
 * @category utils
 */
export const guarded =
  <A extends readonly unknown[], R>(name: string, f: (...args: A) => R, onThrow: (message: string, unguarded: (...args: A) => R, args: A, thrown: unknown) => NoInfer<R>): ((...args: A) => R) =>
  (...args: A): R => {
    try {
      return f(...args)
    } catch (e) {
      return onThrow(guardMessage(name, e), f, args, e)
    }
  }

/**
 * The message `guarded` gives, for code that catches by itself.
 *
 * @example
 * ```ts
 * guardMessage('clip', new Error('boom')) // 'clip: could not read its input: boom'
 * ```
 * @category utils
 */
export const guardMessage = (name: string, e: unknown): string => `${name}: could not read its input: ${thrownMessage(e)}`

/** The longest list a guarded function walks (the engine's bound on a sample's values). */
export const MAX_LIST = 100_000

/**
 * `v` when it is a list of at most `max` entries; otherwise throws a message that says so, for a function
 * wrapped in `guarded` to turn into its failure value. A list of 2^32-1 holes is refused here, before a
 * loop over its `length` could run for minutes.
 *
 * @example
 * ```ts
 * boundedList([1, 2], 'values') // [1, 2]
 * // boundedList(new Array(2 ** 32 - 1), 'values') throws 'values: expected a list of at most 100000 entries, got 4294967295'
 * ```
 * @category utils
 */
export const boundedList = <T>(v: readonly T[], what: string, max: number = MAX_LIST): readonly T[] => {
  if (!Array.isArray(v)) throw new TypeError(`${what}: expected a list, got ${typeof v === 'object' ? (v === null ? 'null' : 'an object') : typeof v}`)
  if (v.length > max) throw new RangeError(`${what}: expected a list of at most ${max} entries, got ${v.length}`)
  return v
}

/**
 * `guarded` for an async function: a throw or a rejection becomes `onThrow(message, f, args, thrown)`, so the
 * promise always resolves.
 *
 * @example
 * ```ts
 * const read = guardedAsync('read', async (x: { n: number }) => x.n, () => -1)
 * await read(Object.create(null)) // NaN is not thrown; a throwing getter gives -1
 * ```
 * @category utils
 */
export const guardedAsync =
  <A extends readonly unknown[], R>(name: string, f: (...args: A) => Promise<R>, onThrow: (message: string, unguarded: (...args: A) => Promise<R>, args: A, thrown: unknown) => NoInfer<R>): ((...args: A) => Promise<R>) =>
  async (...args: A): Promise<R> => {
    try {
      return await f(...args)
    } catch (e) {
      return onThrow(guardMessage(name, e), f, args, e)
    }
  }

/**
 * `e` when it is an Error whose message can be read, otherwise a new Error saying what was thrown: what a
 * function that rejects by contract rejects with, so the caller's `catch` can always print it.
 *
 * @example
 * ```ts
 * asError(new Error('boom')).message // 'boom'
 * asError(Object.create(null)).message // 'a value that cannot be printed (object)'
 * ```
 * @category utils
 */
export const asError = (e: unknown): Error => {
  try {
    if (e instanceof Error && typeof e.message === 'string') return e
  } catch {
    // a revoked Proxy: instanceof throws
  }
  return new Error(thrownMessage(e))
}

/**
 * Throws a TypeError with `message`: the fallback of the `rollout-kernel/testing` helpers, which are called
 * by test code and fail the test on bad input, always with an Error whose message can be printed.
 *
 * @example
 * ```ts
 * const hash = guarded('hash', (s: string) => s.length, (m) => rethrow(m))
 * // hash(undefined as never) throws TypeError('hash: could not read its input: ...')
 * ```
 * @category utils
 */
export const rethrow = (message: string): never => {
  throw new TypeError(message)
}
