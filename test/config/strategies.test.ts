import { describe, expect, it } from 'vitest'
import * as E from 'fp-ts/lib/Either.js'
import { decodeSpec, type RolloutSpec, type SpecError } from '../../src/index.js'

const ok = (input: unknown): RolloutSpec => {
  const r = decodeSpec(input)
  if (E.isLeft(r)) throw new Error(JSON.stringify(r.left))
  return r.right
}
const errs = (input: unknown): SpecError[] => {
  const r = decodeSpec(input)
  if (E.isRight(r)) throw new Error(`expected errors, got ${JSON.stringify(r.right.strategy)}`)
  return r.left
}
const metrics = [{ name: 'sr', thresholdRange: { min: 99 } }, { name: 'smoke', thresholdRange: { min: 1 }, background: false }]

describe('blue/green config', () => {
  it('compiles the Flagger form: preview, iterations, switch, one more interval; no delays', () => {
    const s = ok({ strategy: { blueGreen: { iterations: 4 } } }).strategy
    expect(s).toMatchObject({ kind: 'blueGreen', form: 'flagger', iterations: 4, maxWeight: 100, scaleDownDelayMs: 0, abortScaleDownDelayMs: 0, autoPromotionEnabled: true })
    expect(s.steps).toEqual([{ type: 'preview' }, { type: 'analysis', intervals: 4 }, { type: 'switch' }, { type: 'analysis', intervals: 1 }])
  })

  it('compiles the Argo form with Argo defaults (30 s scale-down delays)', () => {
    const s = ok({
      strategy: { blueGreen: { prePromotionAnalysis: { intervals: 2, metrics: ['smoke'] }, postPromotionAnalysis: { untilDecided: true }, autoPromotionDelay: '1m', previewReplicas: 1 } },
      analysis: { metrics },
    }).strategy
    expect(s).toMatchObject({ form: 'argo', scaleDownDelayMs: 30_000, abortScaleDownDelayMs: 30_000, autoPromotionDelayMs: 60_000, previewReplicas: 1 })
    expect(s.steps).toEqual([
      { type: 'preview', replicas: 1 },
      { type: 'analysis', intervals: 2, metrics: ['smoke'] },
      { type: 'pause', durationMs: 60_000 },
      { type: 'switch' },
      { type: 'analysis', intervals: null },
      { type: 'scaleDownDelay', durationMs: 30_000 },
    ])
  })

  it('an empty blueGreen is Argo without analysis: preview, switch, scale-down delay', () => {
    expect(ok({ strategy: { blueGreen: {} } }).strategy.steps).toEqual([{ type: 'preview' }, { type: 'switch' }, { type: 'scaleDownDelay', durationMs: 30_000 }])
  })

  it('autoPromotionEnabled false waits for promote before the switch', () => {
    const steps = ok({ strategy: { blueGreen: { autoPromotionEnabled: false, scaleDownDelay: 0 } } }).strategy.steps
    expect(steps).toEqual([{ type: 'preview' }, { type: 'pause', durationMs: null }, { type: 'switch' }])
  })

  it('mirror with blue/green mirrors in the preview stage', () => {
    expect(ok({ strategy: { blueGreen: { iterations: 1, mirror: true, mirrorWeight: 25 } } }).strategy.steps[0]).toEqual({ type: 'preview', mirror: 25 })
  })

  it('refuses mixing the two forms, with the path', () => {
    expect(errs({ strategy: { blueGreen: { iterations: 3, postPromotionAnalysis: { intervals: 1 } } } })).toEqual([
      expect.objectContaining({ path: 'strategy.blueGreen', message: expect.stringContaining('not both') }),
    ])
  })

  it('refuses unknown metrics, both intervals and untilDecided, mirrorWeight without mirror, an ignored autoPromotionDelay', () => {
    const e = errs({
      strategy: { blueGreen: { prePromotionAnalysis: { intervals: 1, untilDecided: true, metrics: ['nope'] }, mirrorWeight: 10, autoPromotionEnabled: false, autoPromotionDelay: 30 } },
      analysis: { metrics },
    })
    expect(e.map((x) => x.path).sort()).toEqual([
      'strategy.blueGreen.autoPromotionDelay',
      'strategy.blueGreen.mirrorWeight',
      'strategy.blueGreen.prePromotionAnalysis',
      'strategy.blueGreen.prePromotionAnalysis.metrics[0]',
    ])
  })

  it('suggests the native name for a misspelt key', () => {
    const e = errs({ strategy: { blueGreen: { scaleDownDelya: '30s' } } })
    expect(e[0]?.message).toContain('did you mean "scaleDownDelay"')
  })

  it('refuses bad durations and counts with paths', () => {
    const e = errs({ strategy: { blueGreen: { scaleDownDelay: 'soon', previewReplicas: -1, iterations: 0 } } })
    expect(e.map((x) => x.path).sort()).toEqual(['strategy.blueGreen.iterations', 'strategy.blueGreen.previewReplicas', 'strategy.blueGreen.scaleDownDelay'])
  })
})

describe('A/B testing config', () => {
  it('compiles match + iterations into a header route and an analysis step', () => {
    const s = ok({
      strategy: { abTest: { iterations: 10, match: [{ headers: { 'x-canary': { exact: 'insider' } } }, { cookies: { canary: { regex: '^(.*?;)?(canary=always)(;.*)?$' } }, queryParams: { beta: { prefix: '1' } } }] } },
    }).strategy
    expect(s).toMatchObject({ kind: 'abTest', iterations: 10, maxWeight: 0 })
    expect(s.steps).toEqual([
      {
        type: 'setHeaderRoute',
        name: 'ab-test',
        match: [{ headers: { 'x-canary': { exact: 'insider' } } }, { cookies: { canary: { regex: '^(.*?;)?(canary=always)(;.*)?$' } }, queryParams: { beta: { prefix: '1' } } }],
      },
      { type: 'analysis', intervals: 10 },
    ])
  })

  it('needs iterations and a non-empty match of non-empty conditions', () => {
    expect(errs({ strategy: { abTest: { match: [{ headers: { a: { exact: 'b' } } }] } } })[0]).toMatchObject({ path: 'strategy.abTest.iterations' })
    expect(errs({ strategy: { abTest: { iterations: 1, match: [] } } })[0]).toMatchObject({ path: 'strategy.abTest.match' })
    expect(errs({ strategy: { abTest: { iterations: 1, match: [{}] } } })[0]).toMatchObject({ path: 'strategy.abTest.match[0]' })
  })

  it('needs exactly one matcher per value and valid regular expressions', () => {
    const e = errs({ strategy: { abTest: { iterations: 1, match: [{ headers: { a: { exact: 'x', prefix: 'y' }, b: {} }, cookies: { c: { regex: '([' } } }] } } })
    expect(e.map((x) => x.path).sort()).toEqual(['strategy.abTest.match[0].cookies.c.regex', 'strategy.abTest.match[0].headers.a', 'strategy.abTest.match[0].headers.b'])
    expect(e.find((x) => x.path.endsWith('regex'))?.message).toContain('not a valid regular expression')
  })

  it('refuses unknown keys and non-string values with paths', () => {
    const e = errs({ strategy: { abTest: { iterations: 1, match: [{ header: {} , cookies: { c: { exact: 3 } } }] } } })
    expect(e.map((x) => x.path).sort()).toEqual(['strategy.abTest.match[0].cookies.c.exact', 'strategy.abTest.match[0].header'])
    expect(e.find((x) => x.path.endsWith('header'))?.message).toContain('did you mean "headers"')
  })
})

describe('strategy choice', () => {
  it('takes exactly one strategy', () => {
    expect(errs({ strategy: { canary: { stepWeight: 10 }, blueGreen: {} } }).some((x) => x.path === 'strategy' && x.message.includes('canary and blueGreen'))).toBe(true)
    expect(errs({ strategy: {} }).some((x) => x.path === 'strategy' && x.message.includes('none'))).toBe(true)
  })

  it('keeps the canary mirror as a field (the engine runs it as a phase)', () => {
    const s = ok({ strategy: { canary: { stepWeight: 10, maxWeight: 20, mirror: true } } }).strategy
    expect(s).toMatchObject({ kind: 'canary', mirror: { percentage: 100 } })
  })
})
