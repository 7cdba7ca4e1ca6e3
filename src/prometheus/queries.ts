/**
 * How a metric is queried: the query kinds the Prometheus source understands and helpers to build
 * counter and histogram queries over the engine's window.
 *
 * @module
 */
import type { SeriesPolicy } from './response.js'
import type { TemplateVariables } from './template.js'
import { guarded } from '../model/guard.js'

/**
 * Variables per arm for per-arm queries (counts, latency, points). By default `{{ arm }}` renders as
 * `canary` or `primary`; anything set here overrides the base variables for that arm (e.g.
 * `{ canary: { target: 'podinfo' }, primary: { target: 'podinfo-primary' } }`).
 *
 * @example
 * ```ts
 * const arms: ArmVariables = { canary: { target: 'podinfo-canary' }, primary: { target: 'podinfo-primary' } }
 * ```
 * @category model
 */
export interface ArmVariables {
  readonly canary?: TemplateVariables
  readonly primary?: TemplateVariables
}

/**
 * A single-value query (thresholds, conditions): the result must be a scalar or an instant vector.
 *
 * @example
 * ```ts
 * const q: ValueQuery = { kind: 'value', query: 'histogram_quantile(0.99, sum(rate(http_request_duration_seconds_bucket{app="{{ target }}"}[{{ interval }}])) by (le)) * 1000', series: 'single' }
 * ```
 * @category model
 */
export interface ValueQuery {
  readonly kind: 'value'
  readonly query: string
  /** Several series: a vector value (default) or an error. */
  readonly series?: SeriesPolicy
}

/**
 * Event counts per arm from counter queries rendered once per arm: `total` and either `bad` or `good`
 * (then bad = total - good). Each query should return the number of events in the window, typically
 * `sum(increase(counter{...}[{{ interval }}]))` (see `counterIncrease`). Counts are rounded to integers
 * (increase() extrapolates) and `bad` is clamped to `[0, total]`. An empty or NaN `total` is no data.
 * An empty `bad` (or `good`) is no data too unless `missingBadIsZero` is set: a labelled error counter
 * often does not exist until the first error; write `... or vector(0)` or set the flag.
 *
 * @example
 * ```ts
 * const q: CountsQuery = {
 *   kind: 'counts',
 *   total: counterIncrease('http_requests_total{app="{{ target }}",arm="{{ arm }}"}'),
 *   bad: counterIncrease('http_requests_total{app="{{ target }}",arm="{{ arm }}",code=~"5.."}'),
 * }
 * ```
 * @category model
 */
export interface CountsQuery {
  readonly kind: 'counts'
  readonly total: string
  readonly bad?: string
  readonly good?: string
  readonly arms?: ArmVariables
  readonly missingBadIsZero?: boolean
}

/**
 * Latency as event counts (bucket exceedance): per arm, one query for the histogram's buckets over the
 * window, `sum by (le) (increase(<histogram>_bucket{<matchers>}[{{ interval }}]))`; total = the `+Inf`
 * bucket, bad = requests slower than the bucket boundary `le` (total - bucket(le)), computed by the core's
 * `bucketExceedance`. `matchers` are label matchers without braces. `le` must be one of the histogram's
 * bucket bounds (compared as numbers, so `"0.25"` and `0.25` are the same). Because `increase()`
 * extrapolates each bucket series separately, cumulative counts are made non-decreasing (running maximum)
 * before they are read, as `histogram_quantile` does.
 *
 * @example
 * ```ts
 * const q: LatencyQuery = { kind: 'latency', histogram: 'http_request_duration_seconds', matchers: 'app="{{ target }}",arm="{{ arm }}"', le: 0.25 }
 * ```
 * @category model
 */
export interface LatencyQuery {
  readonly kind: 'latency'
  readonly histogram: string
  readonly matchers: string
  readonly le: number | string
  readonly arms?: ArmVariables
}

/**
 * Raw points per arm for the Mann-Whitney judge: the query is rendered per arm and evaluated at the
 * window's end; a matrix result (e.g. a subquery `rate(x[1m])[{{ interval }}:30s]`) gives every point of
 * every series, a vector gives one point per series.
 *
 * @example
 * ```ts
 * const q: PointsQuery = { kind: 'points', query: 'rate(http_requests_total{arm="{{ arm }}"}[1m])[{{ interval }}:15s]' }
 * ```
 * @category model
 */
export interface PointsQuery {
  readonly kind: 'points'
  readonly query: string
  readonly arms?: ArmVariables
}

/**
 * How one metric is queried: a plain string is a `value` query template.
 *
 * @example
 * ```ts
 * const queries: Record<string, MetricQuery> = {
 *   'request-success-rate': 'sum(rate(http_requests_total{code!~"5.."}[{{ interval }}])) / sum(rate(http_requests_total[{{ interval }}])) * 100',
 * }
 * ```
 * @category model
 */
export type MetricQuery = string | ValueQuery | CountsQuery | LatencyQuery | PointsQuery

/**
 * Wraps a counter selector into "events in the window": `sum(increase(<selector>[{{ interval }}]))`.
 *
 * @example
 * ```ts
 * counterIncrease('http_requests_total{arm="{{ arm }}"}')
 * // 'sum(increase(http_requests_total{arm="{{ arm }}"}[{{ interval }}]))'
 * ```
 * @category constructors
 */
export const counterIncrease = guarded('counterIncrease', (selector: string): string => `sum(increase(${selector}[{{ interval }}]))`, (m) => m)

/**
 * The bucket query template a `LatencyQuery` stands for.
 *
 * @example
 * ```ts
 * latencyTemplate({ kind: 'latency', histogram: 'h', matchers: 'app="a"', le: 0.5 })
 * // 'sum by (le) (increase(h_bucket{app="a"}[{{ interval }}]))'
 * ```
 * @category constructors
 */
export const latencyTemplate = guarded('latencyTemplate', (q: LatencyQuery): string =>
  `sum by (le) (increase(${q.histogram}_bucket{${q.matchers.trim().replace(/,+$/, '')}}[{{ interval }}]))`, (m) => m)
