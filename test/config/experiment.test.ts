import { describe, expect, it } from 'vitest'
import * as E from 'fp-ts/lib/Either.js'
import { decodeSpec } from '../../src/index.js'

const spec = (experiment: unknown, metrics: unknown[] = [{ name: 'm', background: false, thresholdRange: { max: 1 } }], more: unknown[] = []) => ({
  analysis: { interval: '1m', metrics },
  strategy: { canary: { steps: [{ setWeight: 10 }, { experiment }, ...more] } },
})

const errors = (input: unknown): { path: string; message: string }[] => {
  const r = decodeSpec(input)
  return E.isLeft(r) ? r.left : []
}

const base = { templates: [{ name: 'baseline', specRef: 'stable' }, { name: 'canary', specRef: 'canary' }] }

describe('the experiment step input', () => {
  it('normalises: default name, replicas 1, duration in ms, requiredForCompletion false', () => {
    const r = decodeSpec(spec({ ...base, duration: '1h', analyses: [{ name: 'a', metrics: ['m'], args: { h: '{{templates.canary.podTemplateHash}}' } }] }))
    if (E.isLeft(r)) throw new Error(JSON.stringify(r.left))
    expect(r.right.strategy.steps[1]).toEqual({
      type: 'experiment', name: 'experiment-2', durationMs: 3_600_000,
      templates: [{ name: 'baseline', specRef: 'stable', replicas: 1 }, { name: 'canary', specRef: 'canary', replicas: 1 }],
      analyses: [{ name: 'a', metrics: ['m'], requiredForCompletion: false, args: { h: '{{templates.canary.podTemplateHash}}' } }],
    })
  })

  it('is a closed object with "did you mean" hints and paths', () => {
    expect(errors(spec({ ...base, duraton: '1h' }))).toEqual([expect.objectContaining({ path: 'strategy.canary.steps[1].experiment.duraton', message: expect.stringContaining('did you mean "duration"') })])
    expect(errors(spec({ templates: [{ name: 'c', specRef: 'canary', replica: 2 }] }))).toEqual([expect.objectContaining({ path: 'strategy.canary.steps[1].experiment.templates[0].replica', message: expect.stringContaining('did you mean "replicas"') })])
    expect(errors(spec({ templates: [{ name: 'c', specRef: 'preview' }] }))[0]?.path).toBe('strategy.canary.steps[1].experiment.templates[0].specRef')
    expect(errors(spec({ ...base, analyses: [{ name: 'a', metrics: ['m'], requiredForCompletoin: true }] }))[0]?.message).toContain('did you mean "requiredForCompletion"')
    expect(errors(spec({ ...base, analyses: [{ name: 'a', metrics: ['m'], args: { h: 1 } }] }))[0]?.path).toBe('strategy.canary.steps[1].experiment.analyses[0].args.h')
  })

  it('refuses what cannot run as written, naming the field', () => {
    const at = (input: unknown): string[] => errors(input).map((e) => `${e.path}: ${e.message}`)
    expect(at(spec({ templates: [] }))).toEqual(['strategy.canary.steps[1].experiment.templates: an experiment needs at least one template'])
    expect(at(spec({ templates: [{ name: 'c', specRef: 'canary' }, { name: 'c', specRef: 'stable' }] }))).toEqual(['strategy.canary.steps[1].experiment.templates[1].name: duplicate template name "c"'])
    expect(at(spec({ templates: [{ name: 'a', specRef: 'canary', weight: 60 }, { name: 'b', specRef: 'stable', weight: 50 }] }))).toEqual(['strategy.canary.steps[1].experiment.templates: the template weights add up to 110, above 100'])
    expect(at(spec({ ...base, analyses: [{ name: 'a', metrics: ['nope'] }] }))).toEqual(['strategy.canary.steps[1].experiment.analyses[0].metrics[0]: unknown metric "nope"; known metrics: m'])
    expect(at(spec({ ...base, analyses: [{ name: 'a', metrics: [] }] }))).toEqual(['strategy.canary.steps[1].experiment.analyses[0].metrics: analysis "a" needs at least one metric'])
    expect(at(spec({ ...base, analyses: [{ name: 'a', metrics: ['m'] }, { name: 'b', metrics: ['m'] }] }))).toEqual([
      'strategy.canary.steps[1].experiment.analyses[1].metrics[0]: metric "m" is already run by analysis "a" of this experiment (a metric keeps one state per run)',
    ])
    expect(at(spec({ ...base, analyses: [{ name: 'a', metrics: ['bg'] }] }, [{ name: 'bg', thresholdRange: { max: 1 } }]))).toEqual([
      'strategy.canary.steps[1].experiment.analyses[0].metrics[0]: metric "bg" is a background metric; an experiment analysis runs metrics with background: false (its args select the experiment\'s pods)',
    ])
    expect(at(spec({ ...base, name: 'x' }, undefined, [{ experiment: { ...base, name: 'x' } }]))).toEqual(['strategy.canary.steps[2].experiment.name: duplicate experiment name "x"'])
    expect(at({ strategy: { canary: { steps: [{ experiment: base, setWeight: 5 }] } } })[0]).toContain('strategy.canary.steps[0]: a step takes exactly one of')
  })
})
