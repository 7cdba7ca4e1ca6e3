/**
 * Decoding of Prometheus HTTP API `/api/v1/query` responses (instant queries): the JSON envelope
 * (`status`, `data.resultType`, `data.result`, `errorType`, `error`) into a typed result, and the
 * result into a number, a vector or "no data". Sample values arrive as strings (`"1.5"`, `"NaN"`,
 * `"+Inf"`); they are parsed here.
 *
 * @module
 */
import * as E from 'fp-ts/lib/Either.js'
import { boundedList, guarded } from '../model/guard.js'

/**
 * One series of an instant vector: its labels and its value.
 *
 * @example
 * ```ts
 * const s: VectorSeries = { labels: { pod: 'podinfo-1' }, value: 0.99 }
 * ```
 * @category model
 */
export interface VectorSeries {
  readonly labels: Readonly<Record<string, string>>
  readonly value: number
}

/**
 * One series of a range vector (matrix): its labels and its values in time order.
 *
 * @example
 * ```ts
 * const s: MatrixSeries = { labels: {}, values: [1, 2, 3] }
 * ```
 * @category model
 */
export interface MatrixSeries {
  readonly labels: Readonly<Record<string, string>>
  readonly values: readonly number[]
}

/**
 * A decoded query result, tagged by Prometheus' `resultType`.
 *
 * @example
 * ```ts
 * const r: QueryResult = { resultType: 'vector', series: [{ labels: {}, value: 99.5 }] }
 * ```
 * @category model
 */
export type QueryResult =
  | { readonly resultType: 'scalar'; readonly value: number }
  | { readonly resultType: 'string'; readonly value: string }
  | { readonly resultType: 'vector'; readonly series: readonly VectorSeries[] }
  | { readonly resultType: 'matrix'; readonly series: readonly MatrixSeries[] }

/**
 * A query that failed: Prometheus said `status: error` (with `errorType`), the body was not the API's
 * shape, or the request itself failed (network, HTTP status, timeout).
 *
 * @example
 * ```ts
 * const e: PromError = { message: 'bad_data: 1:5: parse error: unexpected end of input' }
 * ```
 * @category model
 */
export interface PromError {
  readonly message: string
}

/**
 * What a query result means for a single-value metric: a number, a vector of numbers (several series),
 * or no data (with the reason). A NaN or an empty result is `noData`, never a value.
 *
 * @example
 * ```ts
 * const v: ValueOutcome = { kind: 'noData', detail: 'empty vector: the query matched no series' }
 * ```
 * @category model
 */
export type ValueOutcome =
  | { readonly kind: 'value'; readonly value: number | readonly number[] }
  | { readonly kind: 'noData'; readonly detail: string }

const isRecord = (u: unknown): u is Record<string, unknown> => typeof u === 'object' && u !== null && !Array.isArray(u)

/**
 * Parses a Prometheus sample value string (`"1.5"`, `"NaN"`, `"+Inf"`, `"-Inf"`); `undefined` when it is
 * not a number at all.
 *
 * @example
 * ```ts
 * parsePromNumber('+Inf') // Infinity
 * parsePromNumber('NaN')  // NaN
 * parsePromNumber('abc')  // undefined
 * ```
 * @category decoding
 */
export const parsePromNumber = (s: unknown): number | undefined => {
  if (typeof s === 'number') return s
  if (typeof s !== 'string') return undefined
  const t = s.trim()
  if (t === 'NaN') return Number.NaN
  if (t === '+Inf' || t === 'Inf') return Number.POSITIVE_INFINITY
  if (t === '-Inf') return Number.NEGATIVE_INFINITY
  // unambiguous, so linear in the length (the former `\d+\.?\d*` backtracked quadratically on long digit runs)
  if (t === '' || !/^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/.test(t)) return undefined
  return Number(t)
}

const decodePair = (u: unknown, where: string): E.Either<PromError, string> =>
  Array.isArray(u) && u.length === 2 && typeof u[1] === 'string'
    ? E.right(u[1])
    : E.left({ message: `malformed Prometheus response: ${where} is not a [timestamp, "value"] pair` })

const decodeNumberPair = (u: unknown, where: string): E.Either<PromError, number> => {
  const pair = decodePair(u, where)
  if (E.isLeft(pair)) return pair
  const n = parsePromNumber(pair.right)
  return n === undefined ? E.left({ message: `malformed Prometheus response: ${where} value ${JSON.stringify(pair.right.length > 60 ? `${pair.right.slice(0, 57)}...` : pair.right)}${pair.right.length > 60 ? ` (${pair.right.length} characters)` : ''} is not a number` }) : E.right(n)
}

const decodeLabels = (u: unknown): Readonly<Record<string, string>> => {
  if (!isRecord(u)) return {}
  const out: Record<string, string> = {}
  for (const [k, v] of Object.entries(u)) if (typeof v === 'string') out[k] = v
  return out
}

/**
 * Decodes the JSON body of `/api/v1/query`. `status: "error"` becomes a `Left` with Prometheus'
 * `errorType` and `error`; an unknown shape becomes a `Left` saying what was wrong.
 *
 * @example
 * ```ts
 * decodeQueryResponse({ status: 'success', data: { resultType: 'scalar', result: [1700000000, '0.5'] } })
 * // Right({ resultType: 'scalar', value: 0.5 })
 * decodeQueryResponse({ status: 'error', errorType: 'bad_data', error: 'parse error' })
 * // Left({ message: 'Prometheus error (bad_data): parse error' })
 * ```
 * @category decoding
 */
export const decodeQueryResponse = guarded('decodeQueryResponse', (body: unknown): E.Either<PromError, QueryResult> => {
  if (!isRecord(body)) return E.left({ message: 'malformed Prometheus response: expected a JSON object' })
  if (body['status'] === 'error') {
    const type = typeof body['errorType'] === 'string' ? body['errorType'] : 'unknown'
    const msg = typeof body['error'] === 'string' ? body['error'] : 'no error message'
    return E.left({ message: `Prometheus error (${type}): ${msg}` })
  }
  if (body['status'] !== 'success') {
    return E.left({ message: `malformed Prometheus response: status ${JSON.stringify(body['status'])}, expected "success" or "error"` })
  }
  const data = body['data']
  if (!isRecord(data)) return E.left({ message: 'malformed Prometheus response: missing data' })
  const result = data['result']
  switch (data['resultType']) {
    case 'scalar':
      return E.map((value: number) => ({ resultType: 'scalar' as const, value }))(decodeNumberPair(result, 'scalar result'))
    case 'string':
      return E.map((value: string) => ({ resultType: 'string' as const, value }))(decodePair(result, 'string result'))
    case 'vector': {
      if (!Array.isArray(result)) return E.left({ message: 'malformed Prometheus response: vector result is not a list' })
      const series: VectorSeries[] = []
      for (const [i, s] of result.entries()) {
        if (!isRecord(s)) return E.left({ message: `malformed Prometheus response: vector series ${i} is not an object` })
        const value = decodeNumberPair(s['value'], `vector series ${i}`)
        if (E.isLeft(value)) return value
        series.push({ labels: decodeLabels(s['metric']), value: value.right })
      }
      return E.right({ resultType: 'vector', series })
    }
    case 'matrix': {
      if (!Array.isArray(result)) return E.left({ message: 'malformed Prometheus response: matrix result is not a list' })
      const series: MatrixSeries[] = []
      for (const [i, s] of result.entries()) {
        if (!isRecord(s) || !Array.isArray(s['values'])) {
          return E.left({ message: `malformed Prometheus response: matrix series ${i} has no values list` })
        }
        const values: number[] = []
        for (const [j, p] of s['values'].entries()) {
          const v = decodeNumberPair(p, `matrix series ${i} point ${j}`)
          if (E.isLeft(v)) return v
          values.push(v.right)
        }
        series.push({ labels: decodeLabels(s['metric']), values })
      }
      return E.right({ resultType: 'matrix', series })
    }
    default:
      return E.left({ message: `malformed Prometheus response: unknown resultType ${JSON.stringify(data['resultType'])}` })
  }
}, (m) => E.left({ message: m }))

const describeLabels = (labels: Readonly<Record<string, string>>): string =>
  `{${Object.entries(labels)
    .map(([k, v]) => `${k}="${v}"`)
    .join(',')}}`

/**
 * How several series in a vector result are treated: `vector` (the default) answers with all their
 * values in series order (the threshold judge reads the first, an Argo condition sees `result`);
 * `single` makes more than one series an error, so an ambiguous query fails loudly instead of
 * Flagger's silent "last series wins".
 *
 * @example
 * ```ts
 * const policy: SeriesPolicy = 'single'
 * ```
 * @category model
 */
export type SeriesPolicy = 'vector' | 'single'

/**
 * Turns a decoded result into a single-value outcome. A scalar or a one-series vector is a number; a
 * string result is a number if it parses as one; several series follow `policy`; an empty vector or a
 * NaN anywhere is `noData`; a matrix (range vector) is an error, as in Flagger: use an instant query.
 *
 * @example
 * ```ts
 * resultToValue({ resultType: 'vector', series: [{ labels: {}, value: 99.1 }] }) // Right({ kind: 'value', value: 99.1 })
 * resultToValue({ resultType: 'scalar', value: NaN }) // Right({ kind: 'noData', detail: 'scalar result is NaN' })
 * ```
 * @category decoding
 */
export const resultToValue = guarded('resultToValue', (result: QueryResult, policy: SeriesPolicy = 'vector'): E.Either<PromError, ValueOutcome> => {
  switch (result.resultType) {
    case 'scalar':
      return E.right(Number.isNaN(result.value) ? { kind: 'noData', detail: 'scalar result is NaN' } : { kind: 'value', value: result.value })
    case 'string': {
      const n = parsePromNumber(result.value)
      if (n === undefined) return E.left({ message: `string result ${JSON.stringify(result.value)} is not a number` })
      return E.right(Number.isNaN(n) ? { kind: 'noData', detail: 'string result is NaN' } : { kind: 'value', value: n })
    }
    case 'vector': {
      const [first, ...rest] = result.series
      if (first === undefined) return E.right({ kind: 'noData', detail: 'empty vector: the query matched no series' })
      const nan = result.series.find((s) => Number.isNaN(s.value))
      if (nan !== undefined) return E.right({ kind: 'noData', detail: `NaN value in series ${describeLabels(nan.labels)}` })
      if (rest.length === 0) return E.right({ kind: 'value', value: first.value })
      if (policy === 'single') {
        return E.left({
          message: `expected one series, got ${result.series.length} (${result.series.map((s) => describeLabels(s.labels)).join(', ')}): aggregate the query, e.g. with sum()`,
        })
      }
      return E.right({ kind: 'value', value: result.series.map((s) => s.value) })
    }
    case 'matrix':
      return E.left({ message: `range vector (matrix) result with ${result.series.length} series: use an instant query (no [range] selector at the top level)` })
  }
}, (m) => E.left({ message: m }))

/**
 * Reads a result as one event count (for counter queries): a scalar, or the sum of a vector's series.
 * An empty vector or NaN is `undefined` (no data); a matrix, a negative count or a non-number is an error.
 *
 * @example
 * ```ts
 * resultToCount({ resultType: 'vector', series: [{ labels: { pod: 'a' }, value: 10 }, { labels: { pod: 'b' }, value: 5 }] }) // Right(15)
 * resultToCount({ resultType: 'vector', series: [] }) // Right(undefined)
 * ```
 * @category decoding
 */
export const resultToCount = guarded('resultToCount', (result: QueryResult): E.Either<PromError, number | undefined> => {
  const outcome = resultToValue(result, 'vector')
  if (E.isLeft(outcome)) return outcome
  if (outcome.right.kind === 'noData') return E.right(undefined)
  const v = outcome.right.value
  const total = typeof v === 'number' ? v : boundedList(v, 'value').reduce((a, b) => a + b, 0)
  if (!Number.isFinite(total)) return E.left({ message: `count is not finite (${total})` })
  if (total < 0) return E.left({ message: `count is negative (${total}): a counter query should use increase()` })
  return E.right(total)
}, (m) => E.left({ message: m }))

/**
 * Reads a `sum by (le) (...)` histogram result as cumulative buckets sorted by bound: each series'
 * `le` label is parsed (`"+Inf"` is `Infinity`), counts are made non-decreasing (running maximum, since
 * `increase()` extrapolates each bucket series separately). An empty result or a NaN count is
 * `undefined` (no data); a series without a numeric `le` label or a non-vector result is an error.
 *
 * @example
 * ```ts
 * resultToBuckets({ resultType: 'vector', series: [
 *   { labels: { le: '+Inf' }, value: 100 }, { labels: { le: '0.1' }, value: 90.2 }, { labels: { le: '0.5' }, value: 90.1 },
 * ] })
 * // Right([{ le: 0.1, count: 90.2 }, { le: 0.5, count: 90.2 }, { le: Infinity, count: 100 }])
 * ```
 * @category decoding
 */
export const resultToBuckets = guarded('resultToBuckets', (
  result: QueryResult,
): E.Either<PromError, readonly { readonly le: number; readonly count: number }[] | undefined> => {
  if (result.resultType !== 'vector') return E.left({ message: `expected a vector of histogram buckets, got a ${result.resultType}` })
  if (result.series.length === 0) return E.right(undefined)
  const buckets: { le: number; count: number }[] = []
  for (const s of result.series) {
    const le = parsePromNumber(s.labels['le'])
    if (le === undefined || Number.isNaN(le)) {
      return E.left({ message: `histogram series ${describeLabels(s.labels)} has no numeric le label: aggregate with sum by (le)` })
    }
    if (Number.isNaN(s.value)) return E.right(undefined)
    buckets.push({ le, count: s.value })
  }
  buckets.sort((a, b) => a.le - b.le)
  let max = 0
  return E.right(buckets.map((b) => ((max = Math.max(max, b.count)), { le: b.le, count: max })))
}, (m) => E.left({ message: m }))
