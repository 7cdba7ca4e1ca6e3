/**
 * A minimal Prometheus HTTP API client for instant queries, built on `fetch` (injectable) with a
 * per-request timeout. It never rejects: every failure (network, HTTP status, timeout, cancellation,
 * a body that is not the API's JSON, `status: error`) is a `Left` with a message that says which
 * query failed against which server and why.
 *
 * @module
 */
import * as E from 'fp-ts/lib/Either.js'
import { decodeQueryResponse, type PromError, type QueryResult } from './response.js'

/**
 * The subset of `fetch` the client uses (the global `fetch` fits; tests pass a stub).
 *
 * @example
 * ```ts
 * const stub: FetchLike = async () => new Response(JSON.stringify({ status: 'success', data: { resultType: 'scalar', result: [0, '1'] } }))
 * ```
 * @category model
 */
export type FetchLike = (input: string, init: { method: string; headers: Record<string, string>; body: string; signal: AbortSignal }) => Promise<Response>

/**
 * Where and how to query.
 *
 * @example
 * ```ts
 * const c: PromClientOptions = { address: 'http://127.0.0.1:9090', timeoutMs: 5000, maxBodyBytes: 8 * 1024 * 1024 }
 * ```
 * @category model
 */
export interface PromClientOptions {
  /** Base URL of the Prometheus server, e.g. `http://prometheus.istio-system:9090` (a path prefix is kept). */
  readonly address: string
  /**
   * Deadline of one query in milliseconds, covering connect, reading the body and parsing it (default
   * 10 000): a whole number from 1 to 2,147,483,647 (the largest timer delay).
   */
  readonly timeoutMs?: number
  /**
   * Largest response body accepted, in bytes after decompression (default 16 MiB): a bigger body (or a
   * gzip bomb) is abandoned as soon as it passes the limit. A whole number from 1 to 2^31-1.
   */
  readonly maxBodyBytes?: number
  /** The fetch implementation (default: the global `fetch`). */
  readonly fetch?: FetchLike
  /** Extra request headers (e.g. `Authorization`). */
  readonly headers?: Readonly<Record<string, string>>
}

/** Default `timeoutMs`. */
const DEFAULT_TIMEOUT_MS = 10_000
/**
 * Default `maxBodyBytes`: 16 MiB, about 100,000 series of an instant vector.
 *
 * @example
 * ```ts
 * DEFAULT_MAX_BODY_BYTES // 16777216
 * ```
 * @category client
 */
export const DEFAULT_MAX_BODY_BYTES = 16 * 1024 * 1024
/** The largest delay a timer takes (2^31-1 ms, about 24.8 days); longer ones fire at once. */
const MAX_TIMER_MS = 2_147_483_647

const shorten = (s: string, n = 160): string => (s.length > n ? `${s.slice(0, n - 3)}...` : s)

const describe = (v: unknown): string => {
  try {
    return typeof v === 'string' ? JSON.stringify(shorten(v, 60)) : typeof v === 'number' || typeof v === 'bigint' || typeof v === 'boolean' ? String(v) : typeof v
  } catch {
    return typeof v
  }
}

const wholeIn = (v: unknown, max: number): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 1 && v <= max

/**
 * Checks client options up front: the first problem, or null. `instantQuery` and `prometheusSource`
 * call it, so a wrong option is one clear message instead of a rejected promise or a failure per query.
 *
 * @example
 * ```ts
 * checkClientOptions({ address: 'http://p:9090', timeoutMs: Infinity })
 * // 'timeoutMs: expected a whole number of milliseconds from 1 to 2147483647, got Infinity'
 * ```
 * @category client
 */
export const checkClientOptions = (options: unknown): string | null => {
  try {
    if (typeof options !== 'object' || options === null) return `expected client options { address, timeoutMs?, maxBodyBytes? }, got ${describe(options)}`
    const o = options as Record<string, unknown>
    const address = o['address']
    if (typeof address !== 'string' || !/^https?:\/\/[^\s]+$/.test(address)) return `address: expected an http:// or https:// URL, got ${describe(address)}`
    const timeoutMs = o['timeoutMs']
    if (timeoutMs !== undefined && !wholeIn(timeoutMs, MAX_TIMER_MS)) {
      return `timeoutMs: expected a whole number of milliseconds from 1 to ${MAX_TIMER_MS}, got ${describe(timeoutMs)}`
    }
    const maxBodyBytes = o['maxBodyBytes']
    if (maxBodyBytes !== undefined && !wholeIn(maxBodyBytes, 2 ** 31 - 1)) {
      return `maxBodyBytes: expected a whole number of bytes from 1 to ${2 ** 31 - 1}, got ${describe(maxBodyBytes)}`
    }
    const f = o['fetch']
    if (f !== undefined && typeof f !== 'function') return `fetch: expected a function, got ${describe(f)}`
    const headers = o['headers']
    if (headers !== undefined && (typeof headers !== 'object' || headers === null || Object.values(headers).some((v) => typeof v !== 'string'))) {
      return 'headers: expected a map of header names to strings'
    }
    return null
  } catch {
    return 'the client options cannot be read'
  }
}

class BodyTooLarge extends Error {}

/** Reads a response body as text, abandoning it once it passes `max` bytes (counted after decompression). */
const readCapped = async (res: Response, max: number): Promise<string> => {
  const body = res.body
  if (body === null) return ''
  const reader = body.getReader()
  const decoder = new TextDecoder()
  const parts: string[] = []
  let size = 0
  for (;;) {
    const { done, value } = await reader.read()
    if (done) break
    size += value.byteLength
    if (size > max) {
      await reader.cancel().catch(() => undefined)
      throw new BodyTooLarge(`response body larger than ${max} bytes (maxBodyBytes)`)
    }
    parts.push(decoder.decode(value, { stream: true }))
  }
  parts.push(decoder.decode())
  return parts.join('')
}

/**
 * Runs an instant query (`POST /api/v1/query`, form-encoded) evaluated at `time` (epoch ms). One deadline
 * (`timeoutMs`) covers connecting, reading the body (at most `maxBodyBytes`, decompressed) and parsing it.
 * Never rejects: invalid options, a timeout, a body over the limit and every other failure are a `Left`.
 *
 * @example
 * ```ts
 * const r = await instantQuery({ address: 'http://127.0.0.1:9090', timeoutMs: 2000 }, 'up', Date.now())
 * if (r._tag === 'Left') console.error(r.left.message)
 * ```
 * @category client
 */
export const instantQuery = async (
  options: PromClientOptions,
  query: string,
  time: number,
  signal?: AbortSignal,
): Promise<E.Either<PromError, QueryResult>> => {
  const invalid = checkClientOptions(options)
  if (invalid !== null) return E.left({ message: `invalid Prometheus client options: ${invalid}` })
  if (typeof query !== 'string') return E.left({ message: `expected a query string, got ${describe(query)}` })
  if (typeof time !== 'number' || !Number.isFinite(time)) return E.left({ message: `expected an evaluation time in epoch milliseconds, got ${describe(time)}` })
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES
  const url = `${options.address.replace(/\/+$/, '')}/api/v1/query`
  const where = `query ${JSON.stringify(shorten(query))} to ${url}`
  let timeout: AbortSignal
  let combined: AbortSignal
  try {
    timeout = AbortSignal.timeout(timeoutMs)
    combined = signal === undefined ? timeout : AbortSignal.any([timeout, signal])
  } catch {
    return E.left({ message: `${where} failed: the cancellation signal cannot be used` })
  }
  const timedOut = (): E.Either<PromError, never> => E.left({ message: `${where} timed out after ${timeoutMs} ms` })
  const cancelled = (): E.Either<PromError, never> => (timeout.aborted ? timedOut() : E.left({ message: `${where} was cancelled` }))
  if (combined.aborted) return cancelled()
  // the deadline holds even against a fetch that ignores its signal
  let onAbort = (): void => undefined
  const deadline = new Promise<E.Either<PromError, never>>((resolve) => {
    onAbort = () => resolve(cancelled())
    combined.addEventListener('abort', onAbort, { once: true })
  })
  try {
    return await Promise.race([deadline, query1(options, url, where, query, time, combined, timeout, maxBodyBytes, timedOut)])
  } finally {
    combined.removeEventListener('abort', onAbort)
  }
}

const query1 = async (
  options: PromClientOptions,
  url: string,
  where: string,
  query: string,
  time: number,
  combined: AbortSignal,
  timeout: AbortSignal,
  maxBodyBytes: number,
  timedOut: () => E.Either<PromError, never>,
): Promise<E.Either<PromError, QueryResult>> => {
  const doFetch: FetchLike = options.fetch ?? ((input, init) => fetch(input, init))
  try {
    const res = await doFetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json', ...options.headers },
      body: new URLSearchParams({ query, time: (time / 1000).toFixed(3) }).toString(),
      signal: combined,
    })
    const text = await readCapped(res, maxBodyBytes)
    if (timeout.aborted) return timedOut()
    let body: unknown
    try {
      body = JSON.parse(text)
    } catch {
      return E.left({ message: `${where} failed: HTTP ${res.status}, body is not JSON: ${JSON.stringify(shorten(text, 120))}` })
    }
    if (timeout.aborted) return timedOut()
    const decoded = decodeQueryResponse(body)
    // parsing is linear in the (capped) body, but it still counts against the one deadline
    if (timeout.aborted) return timedOut()
    if (E.isLeft(decoded)) return E.left({ message: `${where} failed: HTTP ${res.status}, ${decoded.left.message}` })
    if (!res.ok) return E.left({ message: `${where} failed: HTTP ${res.status}` })
    return decoded
  } catch (err) {
    if (err instanceof BodyTooLarge) return E.left({ message: `${where} failed: ${err.message}` })
    if (timeout.aborted) return timedOut()
    if (combined.aborted) return E.left({ message: `${where} was cancelled` })
    return E.left({ message: `${where} failed: ${describeFailure(err)}` })
  }
}

const describeFailure = (err: unknown): string => {
  try {
    const e = err as { message?: unknown; cause?: { message?: unknown; code?: unknown } }
    const cause = e.cause?.code ?? e.cause?.message
    return `${String(e.message ?? err)}${cause !== undefined ? ` (${String(cause)})` : ''}`
  } catch {
    return 'an error that cannot be printed'
  }
}
