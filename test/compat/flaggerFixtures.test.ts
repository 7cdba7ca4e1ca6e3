import { describe, expect, it } from 'vitest'
import * as E from 'fp-ts/lib/Either.js'
import { importFlagger } from '../../src/compat/index.js'
import { crdValidator, schemaErrors } from '../helpers/crdSchema.js'
import { upstreamFixtures } from '../helpers/upstream.js'
import { simulate } from './simulate.js'

const canaryCrd = crdValidator('Canary', 'v1beta1')
const templateCrd = crdValidator('MetricTemplate', 'v1beta1')
const fixtures = upstreamFixtures('flagger')

const plannedWeights = (analysis: Record<string, unknown>): number[] => {
  if (Array.isArray(analysis.stepWeights)) return analysis.stepWeights as number[]
  const step = analysis.stepWeight as number
  const max = (analysis.maxWeight as number | undefined) ?? 100
  return Array.from({ length: Math.ceil(max / step) }, (_, i) => Math.min(100, (i + 1) * step))
}

describe('Flagger upstream examples', () => {
  it('finds the five example canaries', () => {
    expect(fixtures.map((f) => f.file)).toEqual(['istio-abtest.yaml', 'istio-canary.yaml', 'kuma-canary.yaml', 'linkerd-canary-steps.yaml', 'linkerd-canary.yaml'])
  })

  for (const f of fixtures) {
    describe(f.file, () => {
      const analysis = (f.object.spec as Record<string, unknown>).analysis as Record<string, unknown>
      const r = importFlagger(f.object, f.templates)

      it('is a valid Canary for the upstream CRD (and so are the templates)', () => {
        expect(schemaErrors(canaryCrd, f.object)).toEqual([])
        for (const t of f.templates) expect(schemaErrors(templateCrd, t)).toEqual([])
      })

      if (analysis.iterations !== undefined) {
        const iterations = analysis.iterations as number
        const ab = Array.isArray(analysis.match) && analysis.match.length > 0
        it(`imports as ${ab ? 'A/B testing' : 'blue/green'}`, () => {
          if (E.isLeft(r)) throw new Error(JSON.stringify(r.left))
          expect(r.right.carried.strategy).toBe(ab ? 'abTest' : 'blueGreen')
          expect(r.right.spec.strategy.kind).toBe(ab ? 'abTest' : 'blueGreen')
          expect(r.right.input.strategy).toEqual(
            ab ? { abTest: { iterations, match: analysis.match } } : { blueGreen: { iterations } },
          )
        })
        // Flagger: A/B promotes after `iterations` analysed ticks; blue/green analyses `iterations` ticks,
        // routes all traffic to the canary, analyses one more tick, then promotes
        const runs = ab ? iterations : iterations + 1
        it(`promotes a healthy canary after ${runs} analysis runs`, () => {
          if (E.isLeft(r)) throw new Error('import failed')
          const sim = simulate(r.right.spec, 'healthy')
          expect(sim.outcome).toBe('succeeded')
          expect(sim.intervalsToPromote).toBe(runs)
        })
        it('rolls a failing canary back after threshold x interval', () => {
          if (E.isLeft(r)) throw new Error('import failed')
          const sim = simulate(r.right.spec, 'failing')
          expect(sim.outcome).toBe('failed')
          expect(sim.intervalsToRollback).toBe(analysis.threshold)
        })
        return
      }

      it('imports', () => {
        if (E.isLeft(r)) throw new Error(JSON.stringify(r.left))
        const spec = r.right.spec
        const threshold = analysis.threshold as number
        expect(spec.analysis.threshold).toBe(threshold)
        expect(spec.analysis.intervalMs).toBe(15_000)
        expect(spec.strategy.steps.filter((s) => s.type === 'setWeight').map((s) => (s.type === 'setWeight' ? s.weight : 0))).toEqual(plannedWeights(analysis))
        expect(spec.gates.map((g) => [g.name, g.type])).toEqual(
          (analysis.webhooks as Record<string, unknown>[]).map((w) => [w.name, (w.type as string | undefined) ?? 'rollout']),
        )
        expect(spec.analysis.metrics.map((m) => m.name)).toEqual(['request-success-rate', 'request-duration'])
        expect(spec.analysis.metrics.map((m) => m.provider?.unit)).toEqual(['percent', 'milliseconds'])
        expect(r.right.carried.target.targetRef).toEqual((f.object.spec as Record<string, unknown>).targetRef)
      })

      it('promotes a healthy canary after ceil(maxWeight/stepWeight) (or len(stepWeights)) analysis runs', () => {
        if (E.isLeft(r)) throw new Error('import failed')
        const n = plannedWeights(analysis).length
        const sim = simulate(r.right.spec, 'healthy')
        expect(sim.outcome).toBe('succeeded')
        expect(sim.intervalsToPromote).toBe(n)
        expect(sim.ticks).toBe(n)
        expect(sim.weights).toEqual(plannedWeights(analysis))
        expect(sim.manualPromotions).toBe(0)
      })

      it('rolls a failing canary back after threshold x interval from the start of the analysis', () => {
        if (E.isLeft(r)) throw new Error('import failed')
        const sim = simulate(r.right.spec, 'failing')
        expect(sim.outcome).toBe('failed')
        expect(sim.intervalsToRollback).toBe(analysis.threshold)
        expect(sim.last.state.lastFailure?.code).toBe('thresholdReached')
      })
    })
  }
})
