/**
 * `rollout-kernel/prometheus`: Flagger-style query templating, Prometheus HTTP API response decoding
 * and a fetch-based `MetricsSource` for `rollout-kernel/driver`.
 *
 * @packageDocumentation
 */
export {
  promDuration,
  renderTemplate,
  templateVariableNames,
  type TemplateError,
  type TemplateVariables,
} from './template.js'
export {
  decodeQueryResponse,
  parsePromNumber,
  resultToBuckets,
  resultToCount,
  resultToValue,
  type MatrixSeries,
  type PromError,
  type QueryResult,
  type SeriesPolicy,
  type ValueOutcome,
  type VectorSeries,
} from './response.js'
export { checkClientOptions, DEFAULT_MAX_BODY_BYTES, instantQuery, type FetchLike, type PromClientOptions } from './client.js'
export {
  counterIncrease,
  latencyTemplate,
  type ArmVariables,
  type CountsQuery,
  type LatencyQuery,
  type MetricQuery,
  type PointsQuery,
  type ValueQuery,
} from './queries.js'
export { prometheusSource, type PrometheusSourceOptions } from './source.js'
