/**
 * Saying what was thrown without throwing again. A catch-all that writes
 * `e instanceof Error ? e.message : String(e)` rethrows when `e` is a revoked Proxy (`instanceof` throws), a
 * null-prototype object whose `toString` throws, or an Error whose `message` getter throws; this never does.
 *
 * @module
 */

/**
 * A message for any thrown value: an Error's message, a string as it is, otherwise a short description;
 * never throws, and never longer than 500 characters.
 *
 * @example
 * ```ts
 * thrownMessage(new Error('boom')) // 'boom'
 * thrownMessage(Object.create(null)) // 'a value that cannot be printed (object)'
 * ```
 * @category utils
 */
export const thrownMessage = (e: unknown): string => {
  let text: string
  try {
    if (typeof e === 'string') text = e
    else if (e instanceof Error) text = typeof e.message === 'string' ? e.message : `${e.name}`
    else if (typeof e === 'symbol') text = e.toString()
    else text = String(e)
  } catch {
    text = `a value that cannot be printed (${typeof e})`
  }
  return text.length > 500 ? `${text.slice(0, 497)}...` : text
}
