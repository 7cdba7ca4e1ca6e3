/**
 * Judge-specific checks run by `decodeSpec` on every metric: conditions are parsed, checked against the
 * sandbox's allow-list and compiled here, so that a bad expression is a decode error with its position, not
 * a runtime surprise; Argo measurement limits are checked for consistency.
 *
 * @module
 */
import type { MetricCheck } from './normalize.js'
import { compileCondition, conditionSpecErrors } from '../analysis/condition.js'
import type { CompiledCondition, ConditionDialect, ConditionError } from '../analysis/condition.js'
import type { Either } from 'fp-ts/lib/Either.js'
import { validateLimits } from '../analysis/measurement.js'

const conditionsWith =
  (compile: (text: string, dialect: ConditionDialect) => Either<ConditionError, CompiledCondition>): MetricCheck =>
  (m) =>
    m.judge.kind === 'condition'
      ? conditionSpecErrors(m.judge, '', compile).map((e) => ({ field: e.path.replace(/^\./, ''), message: e.message }))
      : []

const limits: MetricCheck = (m) => (m.limits === undefined ? [] : validateLimits(m.limits).map((message) => ({ field: 'failureLimit', message })))

/**
 * The checks `decodeSpec` applies to each metric, with conditions compiled by `compile` (`decodeSpec`
 * passes the compiler whose results the decoded spec carries).
 *
 * @example
 * ```ts
 * metricChecksWith(compileCondition).length // 2
 * ```
 * @category constructors
 */
export const metricChecksWith = (compile: (text: string, dialect: ConditionDialect) => Either<ConditionError, CompiledCondition>): readonly MetricCheck[] => [
  conditionsWith(compile),
  limits,
]

/**
 * The checks `decodeSpec` applies to each metric (conditions compiled without a memo).
 *
 * @example
 * ```ts
 * metricChecks.length // 2
 * ```
 * @category constants
 */
export const metricChecks: readonly MetricCheck[] = metricChecksWith(compileCondition)
