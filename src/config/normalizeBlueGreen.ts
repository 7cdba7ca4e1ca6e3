/**
 * From the blue/green input to `BlueGreenStrategySpec`: form detection (Flagger's `iterations` or Argo's
 * pre/post-promotion analysis), defaults by form, and compilation into a step program.
 *
 * @module
 */
import type { BlueGreenStep, BlueGreenStrategySpec, PromotionAnalysisSpec } from './spec.js'
import type { BlueGreenInputType } from './blueGreenInput.js'
import { joinPath, specError, type SpecError } from '../model/errors.js'
import { DEFAULTS } from './defaults.js'

type PromotionInput = NonNullable<BlueGreenInputType['prePromotionAnalysis']>

const promotionAnalysis = (a: PromotionInput, path: string, errors: SpecError[], metricNames: readonly string[]): PromotionAnalysisSpec => {
  if (a.untilDecided === true && a.intervals !== undefined) errors.push(specError(path, 'use either intervals or untilDecided, not both'))
  a.metrics?.forEach((m, i) => {
    if (!metricNames.includes(m)) {
      errors.push(specError(joinPath(joinPath(path, 'metrics'), i), `unknown metric "${m}"; known metrics: ${metricNames.join(', ') || 'none'}`))
    }
  })
  return { intervals: a.untilDecided === true ? null : (a.intervals ?? 1), ...(a.metrics !== undefined ? { metrics: a.metrics } : {}) }
}

const analysisStep = (a: PromotionAnalysisSpec): BlueGreenStep => ({
  type: 'analysis',
  intervals: a.intervals,
  ...(a.metrics !== undefined ? { metrics: a.metrics } : {}),
})

/**
 * Compiles a blue/green spec (without its `steps`) into its program:
 * `preview`, pre-promotion analysis (Flagger: `iterations` intervals), the auto-promotion pause (indefinite
 * when `autoPromotionEnabled` is false, `autoPromotionDelayMs` when > 0), `switch`, post-promotion analysis
 * (Flagger: one interval), `scaleDownDelay` (when > 0).
 *
 * @example
 * ```ts
 * blueGreenProgram({ form: 'flagger', iterations: 3, prePromotionAnalysis: null, postPromotionAnalysis: null,
 *   autoPromotionEnabled: true, autoPromotionDelayMs: 0, scaleDownDelayMs: 0, previewReplicas: null })
 * // preview, analysis 3, switch, analysis 1
 * ```
 * @category compilers
 */
export const blueGreenProgram = (
  s: Pick<
    BlueGreenStrategySpec,
    'form' | 'iterations' | 'prePromotionAnalysis' | 'postPromotionAnalysis' | 'autoPromotionEnabled' | 'autoPromotionDelayMs' | 'scaleDownDelayMs' | 'previewReplicas' | 'mirror'
  >,
): BlueGreenStep[] => {
  const steps: BlueGreenStep[] = [
    {
      type: 'preview',
      ...(s.mirror !== undefined ? { mirror: s.mirror.percentage } : {}),
      ...(s.previewReplicas !== null ? { replicas: s.previewReplicas } : {}),
    },
  ]
  if (s.form === 'flagger') steps.push({ type: 'analysis', intervals: s.iterations ?? 1 })
  else if (s.prePromotionAnalysis !== null) steps.push(analysisStep(s.prePromotionAnalysis))
  if (!s.autoPromotionEnabled) steps.push({ type: 'pause', durationMs: null })
  else if (s.autoPromotionDelayMs > 0) steps.push({ type: 'pause', durationMs: s.autoPromotionDelayMs })
  steps.push({ type: 'switch' })
  if (s.form === 'flagger') steps.push({ type: 'analysis', intervals: 1 })
  else if (s.postPromotionAnalysis !== null) steps.push(analysisStep(s.postPromotionAnalysis))
  if (s.scaleDownDelayMs > 0) steps.push({ type: 'scaleDownDelay', durationMs: s.scaleDownDelayMs })
  return steps
}

/**
 * Normalises `strategy.blueGreen`; problems are pushed to `errors` with their paths.
 *
 * @example
 * ```ts
 * const errors: SpecError[] = []
 * normalizeBlueGreen({ iterations: 5 }, 'strategy.blueGreen', errors, []).steps.length // 4
 * ```
 * @category constructors
 */
export const normalizeBlueGreen = (
  b: BlueGreenInputType,
  path: string,
  errors: SpecError[],
  metricNames: readonly string[],
): BlueGreenStrategySpec => {
  const argoKeys = (['prePromotionAnalysis', 'postPromotionAnalysis'] as const).filter((k) => b[k] !== undefined)
  if (b.iterations !== undefined && argoKeys.length > 0) {
    errors.push(
      specError(path, `use iterations (Flagger form) or prePromotionAnalysis / postPromotionAnalysis (Argo form), not both; got iterations and ${argoKeys.join(' and ')}`),
    )
  }
  const form = b.iterations !== undefined ? 'flagger' : 'argo'
  if (b.mirrorWeight !== undefined && b.mirror !== true) errors.push(specError(joinPath(path, 'mirrorWeight'), 'mirrorWeight needs mirror: true'))
  if (b.autoPromotionEnabled === false && b.autoPromotionDelay !== undefined) {
    errors.push(specError(joinPath(path, 'autoPromotionDelay'), 'autoPromotionDelay has no effect with autoPromotionEnabled: false (the switch waits for a promote command)'))
  }
  const d = DEFAULTS.blueGreen[form]
  const base = {
    form,
    iterations: b.iterations ?? null,
    prePromotionAnalysis: b.prePromotionAnalysis !== undefined ? promotionAnalysis(b.prePromotionAnalysis, joinPath(path, 'prePromotionAnalysis'), errors, metricNames) : null,
    postPromotionAnalysis: b.postPromotionAnalysis !== undefined ? promotionAnalysis(b.postPromotionAnalysis, joinPath(path, 'postPromotionAnalysis'), errors, metricNames) : null,
    autoPromotionEnabled: b.autoPromotionEnabled ?? true,
    autoPromotionDelayMs: b.autoPromotionDelay ?? 0,
    scaleDownDelayMs: b.scaleDownDelay ?? d.scaleDownDelayMs,
    abortScaleDownDelayMs: b.abortScaleDownDelay ?? d.abortScaleDownDelayMs,
    previewReplicas: b.previewReplicas ?? null,
    ...(b.mirror === true ? { mirror: { percentage: b.mirrorWeight ?? 100 } } : {}),
  } as const
  return { kind: 'blueGreen', maxWeight: 100, ...base, steps: blueGreenProgram(base) }
}
