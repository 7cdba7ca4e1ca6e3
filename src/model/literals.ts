/**
 * io-ts codecs derived from the model's `as const` lists, so a vocabulary is written once and its codec
 * follows it.
 *
 * @module
 */
import * as t from 'io-ts'

/**
 * An io-ts literal union of the strings of `list`, in the list's order (so the codec's name, which error
 * messages quote, lists them in that order).
 *
 * @example
 * ```ts
 * literalCodec(['a', 'b'] as const).is('b') // true
 * ```
 * @category codecs
 */
export const literalCodec = <L extends readonly [string, ...string[]]>(list: L): t.KeyofC<{ [K in L[number]]: null }> =>
  t.keyof(Object.fromEntries(list.map((k) => [k, null])) as { [K in L[number]]: null })
