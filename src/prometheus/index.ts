/**
 * `rollout-kernel/prometheus`: Flagger-style query templating, Prometheus HTTP API response decoding
 * and a fetch-based `MetricsSource` for `rollout-kernel/driver`.
 *
 * @packageDocumentation
 */
export * from './template.js'
export * from './response.js'
export * from './client.js'
export * from './queries.js'
export * from './source.js'
