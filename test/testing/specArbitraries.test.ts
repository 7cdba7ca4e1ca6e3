import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import * as E from 'fp-ts/lib/Either.js'
import { decodeSpec } from '../../src/index.js'
import { ALL_GATE_TYPES, observationScript, playScript, rolloutSpecInput } from '../../src/testing/index.js'
import { COMMANDS } from '../../src/model/observation.js'
import { PHASES } from '../../src/model/phase.js'

describe('rolloutSpecInput', () => {
  it('draws only specs that decode', () => {
    fc.assert(
      fc.property(rolloutSpecInput(), (input) => {
        const r = decodeSpec(input)
        if (E.isLeft(r)) throw new Error(`${JSON.stringify(input)}\n${JSON.stringify(r.left)}`)
      }),
      { numRuns: 1500 },
    )
  })

  it('failFast specs decode too', () => {
    fc.assert(
      fc.property(rolloutSpecInput({ failFast: true }), (input) => {
        const r = decodeSpec(input)
        if (E.isLeft(r)) throw new Error(`${JSON.stringify(input)}\n${JSON.stringify(r.left)}`)
        expect(r.right.analysis.threshold).toBe(1)
        expect(r.right.analysis.metrics.every((m) => m.background && !m.dryRun)).toBe(true)
      }),
      { numRuns: 300 },
    )
  })

  it('covers every strategy, form, step type, judge, limit, gate type and option', () => {
    const seen = new Set<string>()
    const mark = (k: string): void => void seen.add(k)
    for (const input of fc.sample(rolloutSpecInput(), { numRuns: 3000, seed: 7 })) {
      const r = decodeSpec(input)
      if (E.isLeft(r)) continue
      const spec = r.right
      const s = spec.strategy
      mark(`strategy:${s.kind}`)
      if (s.kind === 'canary') {
        mark(`form:${s.form}`)
        if (s.mirror !== undefined) mark('canary:mirror')
        if (s.stepWeightPromotion !== null) mark('canary:stepWeightPromotion')
        for (const st of s.steps) {
          mark(`step:${st.type}`)
          if (st.type === 'pause') mark(st.durationMs === null ? 'pause:indefinite' : 'pause:timed')
          if (st.type === 'analysis') {
            if (st.intervals === null) mark('analysis:untilDecided')
            if (st.metrics !== undefined) mark('analysis:metrics')
          }
          if (st.type === 'experiment') {
            mark(st.durationMs === null ? 'experiment:noDuration' : 'experiment:duration')
            if (st.templates.some((t) => t.weight !== undefined)) mark('experiment:weights')
            if (st.analyses.length > 0) mark('experiment:analyses')
            if (st.analyses.some((x) => x.requiredForCompletion)) mark('experiment:required')
            if (st.analyses.some((x) => x.args !== undefined)) mark('experiment:args')
            if (st.analyses.length > 1) mark('experiment:twoAnalyses')
          }
          if (st.type === 'setCanaryScale') {
            mark(st.matchTrafficWeight === true ? 'setCanaryScale:matchTrafficWeight' : st.replicas !== undefined ? 'setCanaryScale:replicas' : 'setCanaryScale:weight')
          }
        }
      }
      if (s.kind === 'blueGreen') {
        mark(`blueGreen:${s.form}`)
        if (s.prePromotionAnalysis !== null) mark('blueGreen:pre')
        if (s.postPromotionAnalysis !== null) mark('blueGreen:post')
        for (const [k, pa] of [['pre', s.prePromotionAnalysis], ['post', s.postPromotionAnalysis]] as const) {
          if (pa === null) continue
          mark(`blueGreen:${k}:${pa.intervals === null ? 'untilDecided' : 'intervals'}`)
          if (pa.metrics !== undefined) mark(`blueGreen:${k}:metrics`)
        }
        if (!s.autoPromotionEnabled) mark('blueGreen:manualPromotion')
        if (s.autoPromotionDelayMs > 0) mark('blueGreen:autoPromotionDelay')
        if (s.scaleDownDelayMs > 0) mark('blueGreen:scaleDownDelay')
        if (s.abortScaleDownDelayMs > 0) mark('blueGreen:abortScaleDownDelay')
        if (s.previewReplicas !== null) mark('blueGreen:previewReplicas')
        if (s.mirror !== undefined) mark('blueGreen:mirror')
      }
      if (s.kind === 'abTest') for (const m of s.match) for (const k of Object.keys(m)) mark(`abTest:${k}`)
      const a = spec.analysis
      if (a.consecutiveFailureLimit !== null) mark('analysis:consecutiveFailureLimit')
      if (a.startingStep > 0) mark('analysis:startingStep')
      const rawAnalysis = input.analysis as Record<string, unknown>
      if (rawAnalysis['aggregation'] !== undefined) mark(`aggregation:${String(rawAnalysis['aggregation'])}`)
      if (rawAnalysis['sequentialAlpha'] !== undefined) mark(`sequentialAlpha:${String(rawAnalysis['sequentialAlpha'])}`)
      if (a.score !== undefined) mark('analysis:score')
      if (a.score?.groupWeights !== undefined) mark('score:groupWeights')
      for (const m of input.analysis.metrics) {
        const sq = m['sequential'] as Record<string, unknown> | undefined
        if (sq !== undefined && 'detectLevel' in sq) mark('sequential:detectLevel')
        if (sq !== undefined && sq['earlyPass'] === true) mark('sequential:earlyPass')
        const mw = m['mannWhitney'] as Record<string, unknown> | undefined
        if (mw !== undefined && mw['critical'] === true) mark('mannWhitney:critical')
      }
      if (a.evidenceTimeoutMs !== undefined) mark('analysis:evidenceTimeout')
      if (a.onEvidenceTimeout !== undefined) mark(`onEvidenceTimeout:${a.onEvidenceTimeout}`)
      for (const m of a.metrics) {
        mark(`judge:${m.judge.kind}`)
        if (m.judge.kind === 'condition') mark(`dialect:${m.judge.dialect}`)
        if (m.judge.kind === 'sequential') mark(m.judge.detect !== undefined ? `detect:${m.judge.detect}` : 'detect:off')
        if (!m.background) mark('metric:notBackground')
        if (m.dryRun) mark('metric:dryRun')
        if (m.windowMs !== a.intervalMs) mark('metric:window')
        const l = m.limits
        if (l !== undefined) {
          if (l.failureLimit === -1) mark('limits:failureDisabled')
          if (l.failureLimit > 0) mark('limits:failureLimit')
          if (l.inconclusiveLimit > 0) mark('limits:inconclusiveLimit')
          if (l.consecutiveSuccessLimit > 0) mark('limits:consecutiveSuccessLimit')
          if (l.count !== null) mark('limits:count')
          if (l.countRule !== undefined) mark(`countRule:${l.countRule}`)
          if (l.initialDelayMs > 0 && l.initialDelayMs < a.intervalMs) mark('initialDelay:shorter')
          if (l.initialDelayMs > a.intervalMs) mark('initialDelay:longer')
        }
      }
      for (const g of spec.gates) mark(`gate:${g.type}`)
      if (spec.skipAnalysis) mark('skipAnalysis')
      if (spec.workload !== undefined) mark('workload')
    }
    const expected = [
      'strategy:canary', 'strategy:blueGreen', 'strategy:abTest',
      'form:linear', 'form:stepWeights', 'form:steps', 'canary:mirror', 'canary:stepWeightPromotion',
      'step:setWeight', 'step:pause', 'step:analysis', 'step:setCanaryScale', 'step:setHeaderRoute', 'step:setMirrorRoute',
      'step:experiment', 'experiment:duration', 'experiment:noDuration', 'experiment:weights', 'experiment:analyses', 'experiment:required', 'experiment:args',
      'pause:indefinite', 'pause:timed', 'analysis:untilDecided', 'analysis:metrics',
      'blueGreen:flagger', 'blueGreen:argo', 'blueGreen:pre', 'blueGreen:post', 'blueGreen:manualPromotion', 'blueGreen:autoPromotionDelay',
      'blueGreen:scaleDownDelay', 'blueGreen:abortScaleDownDelay', 'blueGreen:previewReplicas', 'blueGreen:mirror',
      'abTest:headers', 'abTest:cookies', 'abTest:queryParams',
      'experiment:twoAnalyses', 'setCanaryScale:weight', 'setCanaryScale:replicas', 'setCanaryScale:matchTrafficWeight',
      'blueGreen:pre:untilDecided', 'blueGreen:pre:intervals', 'blueGreen:pre:metrics', 'blueGreen:post:untilDecided', 'blueGreen:post:intervals', 'blueGreen:post:metrics',
      'analysis:consecutiveFailureLimit', 'analysis:startingStep', 'aggregation:worst', 'aggregation:anyPass', 'aggregation:majority', 'analysis:score',
      'sequentialAlpha:rollout', 'sequentialAlpha:metric', 'sequential:detectLevel', 'sequential:earlyPass', 'mannWhitney:critical', 'score:groupWeights',
      'judge:threshold', 'judge:condition', 'judge:sequential', 'judge:mannWhitney', 'dialect:argo', 'dialect:mathjs',
      'detect:2', 'detect:3', 'detect:off', 'analysis:evidenceTimeout', 'onEvidenceTimeout:promote',
      'metric:notBackground', 'metric:dryRun', 'metric:window',
      'limits:failureDisabled', 'limits:failureLimit', 'limits:inconclusiveLimit', 'limits:consecutiveSuccessLimit', 'limits:count',
      'countRule:kernel', 'countRule:argo', 'initialDelay:shorter', 'initialDelay:longer',
      ...ALL_GATE_TYPES.map((t) => `gate:${t}`), 'skipAnalysis', 'workload',
    ]
    expect(expected.filter((k) => !seen.has(k))).toEqual([])
  })

  it('with observation scripts, reaches every command in every phase a run can be in', () => {
    // the safety property's draw (test/engine/safety.property.test.ts); `idle` and `initialized` come before the
    // first revision only, which playScript sends itself
    const seen = new Set<string>()
    const draw = fc.tuple(rolloutSpecInput(), observationScript({ maxLength: 40, commands: 0.2, garbage: 0.1 }))
    for (const [input, script] of fc.sample(draw, { numRuns: 1500, seed: 7 })) {
      const r = decodeSpec(input)
      if (E.isLeft(r)) continue
      for (const e of playScript(r.right, script)) {
        const c = e.observation.command
        if (c === undefined || e.observation.at < e.before.at) continue
        seen.add(`${e.before.phase}:${c}`)
        if (e.before.paused !== null) seen.add(`paused:${e.before.paused.by}:${c}`)
      }
    }
    const phases = PHASES.filter((p) => p !== 'idle' && p !== 'initialized')
    const expected = [...phases.flatMap((p) => COMMANDS.map((c) => `${p}:${c}`)), ...(['operator', 'step', 'inconclusive'] as const).flatMap((by) => COMMANDS.map((c) => `paused:${by}:${c}`))]
    expect(expected.filter((k) => !seen.has(k))).toEqual([])
  })
})
