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
 * const c: PromClientOptions = { address: 'http://127.0.0.1:9090', timeoutMs: 5000 }
 * ```
 * @category model
 */
export interface PromClientOptions {
  /** Base URL of the Prometheus server, e.g. `http://prometheus.istio-system:9090` (a path prefix is kept). */
  readonly address: string
  /** Per-query timeout in milliseconds (default 10 000). */
  readonly timeoutMs?: number
  /** The fetch implementation (default: the global `fetch`). */
  readonly fetch?: FetchLike
  /** Extra request headers (e.g. `Authorization`). */
  readonly headers?: Readonly<Record<string, string>>
}

const shorten = (s: string, n = 160): string => (s.length > n ? `${s.slice(0, n - 3)}...` : s)

/**
 * Runs an instant query (`POST /api/v1/query`, form-encoded) evaluated at `time` (epoch ms).
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
  const timeoutMs = options.timeoutMs ?? 10_000
  const url = `${options.address.replace(/\/+$/, '')}/api/v1/query`
  const where = `query ${JSON.stringify(shorten(query))} to ${url}`
  const timeout = AbortSignal.timeout(timeoutMs)
  const combined = signal === undefined ? timeout : AbortSignal.any([timeout, signal])
  const doFetch: FetchLike = options.fetch ?? ((input, init) => fetch(input, init))
  try {
    const res = await doFetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json', ...options.headers },
      body: new URLSearchParams({ query, time: (time / 1000).toFixed(3) }).toString(),
      signal: combined,
    })
    const text = await res.text()
    let body: unknown
    try {
      body = JSON.parse(text)
    } catch {
      return E.left({ message: `${where} failed: HTTP ${res.status}, body is not JSON: ${JSON.stringify(shorten(text, 120))}` })
    }
    const decoded = decodeQueryResponse(body)
    if (E.isLeft(decoded)) return E.left({ message: `${where} failed: HTTP ${res.status}, ${decoded.left.message}` })
    if (!res.ok) return E.left({ message: `${where} failed: HTTP ${res.status}` })
    return decoded
  } catch (err) {
    if (timeout.aborted) return E.left({ message: `${where} timed out after ${timeoutMs} ms` })
    if (signal?.aborted) return E.left({ message: `${where} was cancelled` })
    const e = err as { message?: unknown; cause?: { message?: unknown; code?: unknown } }
    const cause = e.cause?.code ?? e.cause?.message
    return E.left({ message: `${where} failed: ${String(e.message ?? err)}${cause !== undefined ? ` (${String(cause)})` : ''}` })
  }
}
