/**
 * Judge-specific checks run by `decodeSpec` on every metric: conditions are parsed, checked against the
 * sandbox's allow-list and compiled here, so that a bad expression is a decode error with its position, not
 * a runtime surprise; Argo measurement limits are checked for consistency.
 *
 * @module
 */
import type { MetricCheck } from './normalize.js'
import { conditionSpecErrors } from '../analysis/condition.js'
import { validateLimits } from '../analysis/measurement.js'

const conditions: MetricCheck = (m) =>
  m.judge.kind === 'condition'
    ? conditionSpecErrors(m.judge, '').map((e) => ({ field: e.path.replace(/^\./, ''), message: e.message }))
    : []

const limits: MetricCheck = (m) => (m.limits === undefined ? [] : validateLimits(m.limits).map((message) => ({ field: 'failureLimit', message })))

/**
 * The checks `decodeSpec` applies to each metric.
 *
 * @example
 * ```ts
 * metricChecks.length // 2
 * ```
 * @category constants
 */
export const metricChecks: readonly MetricCheck[] = [conditions, limits]
