/**
 * Every default of the native config in one place (documented in docs/config.md).
 *
 * @module
 */

/**
 * Defaults applied by `decodeSpec`.
 *
 * @example
 * ```ts
 * DEFAULTS.analysisIntervalMs // 60_000
 * ```
 * @category constants
 */
export const DEFAULTS = {
  /** Analysis interval: 1 minute (Flagger's default for an empty interval). */
  analysisIntervalMs: 60_000,
  /** Smallest analysis interval accepted by the native config. */
  minAnalysisIntervalMs: 1_000,
  /** Failed checks before rollback (Flagger's documented example value). */
  threshold: 5,
  /** Consecutive no-data ticks before rollback. */
  noDataLimit: 10,
  /** Readiness deadline (Flagger's and Argo's progressDeadlineSeconds default). */
  progressDeadlineMs: 600_000,
  /** Flagger's default maxWeight. */
  maxWeight: 100,
  /** Sequential judge: bound on false rollbacks. */
  sequentialAlpha: 0.01,
  /** Sequential judge: tolerated relative risk of the canary against the primary. */
  sequentialTolerance: 1.12,
  /**
   * Sequential judge: the relative risk that must be ruled out before promotion (no blind promotion; see
   * docs/evidence.md): a doubled bad-event rate.
   */
  sequentialDetect: 2,
  /**
   * Sequential judge: the level at which `detect` is ruled out, i.e. the bound on promoting a canary whose
   * relative risk is `detect` or more (docs/evidence.md).
   */
  sequentialDetectLevel: 0.05,
  /** The longest a rollout waits at the promotion point for evidence (docs/evidence.md); then `onEvidenceTimeout`. */
  evidenceTimeoutMs: 1_800_000,
  /** Mann-Whitney judge defaults (Kayenta's). */
  mannWhitney: {
    confidence: 0.98,
    allowedIncrease: 1,
    allowedDecrease: 1,
    minPoints: 10,
    tolerance: 0.25,
  },
  /**
   * Blue/green delays. Argo form (pre/post-promotion analysis): Argo's 30 s scale-down and abort scale-down
   * delays. Flagger form (`iterations`): none, as Flagger.
   */
  blueGreen: {
    argo: { scaleDownDelayMs: 30_000, abortScaleDownDelayMs: 30_000 },
    flagger: { scaleDownDelayMs: 0, abortScaleDownDelayMs: 0 },
  },
  /** Name of the managed route of an A/B test. */
  abTestRouteName: 'ab-test',
  /** Argo measurement-limit defaults. */
  limits: {
    failureLimit: 0,
    inconclusiveLimit: 0,
    consecutiveErrorLimit: 4,
    consecutiveSuccessLimit: 0,
  },
} as const
