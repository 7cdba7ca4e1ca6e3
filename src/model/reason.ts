/**
 * Reasons: why a decision was taken (`Reason`) and every `Reason.code` a decision can carry, as one `as const` list from which the
 * `ReasonCode` type is derived. The union is closed, so a misspelt code is a type error. To add a code,
 * add one line here (in the group it belongs to) and describe it in docs/semantics.md.
 *
 * @module
 */

/**
 * Every reason code, in a stable order (see docs/semantics.md for each).
 *
 * @example
 * ```ts
 * REASON_CODES.includes('metricFailed') // true
 * ```
 * @category model
 */
export const REASON_CODES = [
  'baseline',
  'started',
  'restarted',
  'noRevision',
  'revisionIsStable',
  'awaitingReadiness',
  'progressDeadline',
  'awaitingGate',
  'gateDenied',
  'gateRollback',
  'awaitingSamples',
  'metricPassed',
  'metricFailed',
  'checkFailed',
  'gateAnswered',
  'metricInconclusive',
  'metricError',
  'noData',
  'noDataLimit',
  'thresholdReached',
  'consecutiveFailureLimit',
  'analysisPassed',
  'analysisDecided',
  'weightIncreased',
  'pauseStep',
  'pauseEnded',
  'waitingInterval',
  'promotionReady',
  'promoting',
  'finalising',
  'succeeded',
  'failed',
  'aborted',
  'paused',
  'resumed',
  'commandIgnored',
  'skipAnalysis',
  'invalidObservation',
  'invalidState',
  'sampleIgnored',
  'gateIgnored',
  'readinessIgnored',
  'revisionIgnored',
  'initialDelay',
  'internalError',
  'invalidSpec',
  'mirroring',
  'preview',
  'switched',
  'switchedBack',
  'previewRemoved',
  'scaleDownDelay',
  'scaleDownDelayEnded',
  'abortScaleDownDelay',
  // experiment steps (src/engine/experiment.ts)
  'experimentStarted',
  'experimentPending',
  'experimentRunning',
  'experimentCompleted',
  'experimentNotReady',
  'experimentFailed',
  'experimentInconclusive',
  'experimentRemoved',
  // no blind promotion (docs/evidence.md)
  'awaitingEvidence',
  'awaitingFirstWindow',
  'evidenceTimeout',
] as const

/**
 * A machine-readable reason code: one of `REASON_CODES`.
 *
 * @example
 * ```ts
 * const c: ReasonCode = 'metricFailed'
 * ```
 * @category model
 */
export type ReasonCode = (typeof REASON_CODES)[number]

/**
 * Why the engine decided what it did. Metric reasons name the metric, the observed value and the bound.
 *
 * @example
 * ```ts
 * const r: Reason = { code: 'metricFailed', message: 'request-success-rate 97.2 < min 99', metric: 'request-success-rate', observed: 97.2, bound: 99 }
 * ```
 * @category model
 */
export interface Reason {
  readonly code: ReasonCode
  readonly message: string
  readonly metric?: string
  readonly observed?: number
  readonly bound?: number
  /** Extra numbers a judge reports (e.g. `eValue`, `relativeRisk`, `lower`, `upper`). */
  readonly details?: Readonly<Record<string, number | string | boolean>>
}
