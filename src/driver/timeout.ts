/**
 * Bounding an adapter call in time with the injected clock, so a hanging adapter cannot stall the loop
 * and tests with a virtual clock never wait on the wall clock.
 *
 * @module
 */
import type { Clock } from './adapters.js'
import { asError, guarded } from '../model/guard.js'
import { thrownMessage } from '../model/thrown.js'

/**
 * The text of any thrown value, for reports and `noData` details.
 *
 * @example
 * ```ts
 * errorText(new Error('boom')) // 'boom'
 * errorText('plain') // 'plain'
 * ```
 * @category utils
 */
export const errorText = guarded('errorText', (err: unknown): string => {
  if (err instanceof Error) return err.message || err.name
  if (typeof err === 'string') return err
  try {
    return JSON.stringify(err) ?? String(err)
  } catch {
    return String(err)
  }
}, (_m, _f, [err]) => thrownMessage(err))

/**
 * Runs `call` with a signal that aborts after `ms` (on `clock`) or when `outer` aborts; rejects with
 * `"<label> timed out after <ms> ms"` on timeout and `"<label> cancelled"` on cancellation. A call that
 * throws synchronously rejects too; nothing escapes as an exception. It always rejects with an Error whose
 * message can be read (a rejection with anything else is wrapped in one that says what it was).
 *
 * @example
 * ```ts
 * const answer = await withTimeout(systemClock, 5000, undefined, 'gate approve', (signal) => fetch('http://127.0.0.1:8080/approve', { signal }))
 * ```
 * @category utils
 */
export const withTimeout = async <T>(
  clock: Clock,
  ms: number,
  outer: AbortSignal | undefined,
  label: string,
  call: (signal: AbortSignal) => Promise<T>,
): Promise<T> => {
  try {
    return await timeoutUnguarded(clock, ms, outer, label, call)
  } catch (e) {
    // what the caller's catch receives is always an Error it can print
    throw asError(e)
  }
}

const timeoutUnguarded = async <T>(
  clock: Clock,
  ms: number,
  outer: AbortSignal | undefined,
  label: string,
  call: (signal: AbortSignal) => Promise<T>,
): Promise<T> => {
  const callAc = new AbortController()
  const timerAc = new AbortController()
  const onOuter = (): void => callAc.abort(outer?.reason)
  if (outer?.aborted) throw new Error(`${label} cancelled`)
  outer?.addEventListener('abort', onOuter, { once: true })
  let timedOut = false
  const timer = clock.sleep(ms, timerAc.signal).then(() => {
    if (timerAc.signal.aborted) return new Promise<never>(() => undefined)
    timedOut = true
    callAc.abort(new Error(`${label} timed out after ${ms} ms`))
    throw new Error(`${label} timed out after ${ms} ms`)
  })
  const cancelled = new Promise<never>((_resolve, reject) =>
    callAc.signal.addEventListener('abort', () => { if (!timedOut) reject(new Error(`${label} cancelled`)) }, { once: true }),
  )
  try {
    const work = (async () => call(callAc.signal))()
    return await Promise.race([work, timer, cancelled])
  } finally {
    timerAc.abort()
    outer?.removeEventListener('abort', onOuter)
  }
}
