/**
 * The upstream baseline-vs-canary example (rollout-baseline-vs-canary.yaml) with the analysis of Argo's
 * experiment documentation (docs/features/experiment.md: a duration, and an analysis comparing the two
 * templates through `{{templates.<name>.podTemplateHash}}` args): imported and simulated, a healthy canary
 * promotes after the experiment, a failing one rolls back during it, with a reason naming the experiment.
 */
import { describe, expect, it } from 'vitest'
import * as E from 'fp-ts/lib/Either.js'
import { importArgoRollout } from '../../src/compat/index.js'
import { crdValidator, schemaErrors } from '../helpers/crdSchema.js'
import { upstreamFixtures } from '../helpers/upstream.js'
import { simulate } from './simulate.js'
import { initialState, step } from '../../src/index.js'

type Obj = Record<string, unknown>

const rolloutCrd = crdValidator('Rollout', 'v1alpha1')
const fixture = upstreamFixtures('argo').find((f) => f.file === 'rollout-baseline-vs-canary.yaml')

const template: Obj = {
  apiVersion: 'argoproj.io/v1alpha1',
  kind: 'AnalysisTemplate',
  metadata: { name: 'compare' },
  spec: {
    args: [{ name: 'baseline-hash' }, { name: 'canary-hash' }],
    metrics: [
      {
        name: 'error-ratio-delta',
        interval: '1m',
        count: 5,
        failureLimit: 0,
        successCondition: 'result[0] <= 0.01',
        provider: {
          prometheus: {
            address: 'http://prometheus:9090',
            query: 'err_ratio{rollouts_pod_template_hash="{{args.canary-hash}}"} - err_ratio{rollouts_pod_template_hash="{{args.baseline-hash}}"}',
          },
        },
      },
    ],
  },
}

/** The example with the documentation's duration and analysis added to its experiment step. */
const withAnalysis = (): Obj => {
  if (fixture === undefined) throw new Error('rollout-baseline-vs-canary.yaml not found')
  const r = structuredClone(fixture.object) as { spec: { strategy: { canary: { steps: Obj[] } } } }
  const step = r.spec.strategy.canary.steps[0] as { experiment: Obj }
  step.experiment.duration = '10m'
  step.experiment.analyses = [
    {
      name: 'compare',
      templateName: 'compare',
      args: [
        { name: 'baseline-hash', value: '{{templates.baseline.podTemplateHash}}' },
        { name: 'canary-hash', value: '{{templates.canary.podTemplateHash}}' },
      ],
    },
  ]
  return r
}

describe('Argo baseline-vs-canary experiment, with the documented analysis', () => {
  const manifest = withAnalysis()
  const r = importArgoRollout(manifest, [template])

  it('is a valid Rollout for the upstream CRD and imports its experiment step', () => {
    expect(schemaErrors(rolloutCrd, manifest)).toEqual([])
    if (E.isLeft(r)) throw new Error(JSON.stringify(r.left))
    expect(r.right.spec.strategy.steps).toEqual([
      {
        type: 'experiment',
        name: 'experiment-0',
        durationMs: 600_000,
        templates: [{ name: 'baseline', specRef: 'stable', replicas: 1 }, { name: 'canary', specRef: 'canary', replicas: 1 }],
        analyses: [{ name: 'compare', metrics: ['error-ratio-delta'], requiredForCompletion: false, args: { 'baseline-hash': '{{templates.baseline.podTemplateHash}}', 'canary-hash': '{{templates.canary.podTemplateHash}}' } }],
      },
    ])
    expect(r.right.spec.analysis.metrics[0]?.background).toBe(false)
    expect(r.right.carried.experiments['experiment-0']?.index).toBe(0)
  })

  it('healthy: the experiment runs its 10 minutes from readiness, then the rollout promotes', () => {
    if (E.isLeft(r)) throw new Error('import failed')
    const sim = simulate(r.right.spec, 'healthy')
    expect(sim.outcome).toBe('succeeded')
    // ReplicaSets reported ready at the first wake-up (one interval, 60 s), then 10 minutes; the promotion
    // follows the routing change that removes the experiment one spin-guard second later
    expect(sim.msToPromote).toBe(60_000 + 600_000 + 1000)
    expect(sim.manualPromotions).toBe(0)
  })

  it('failing: the comparison fails at its first measurement and the rollout rolls back, naming the experiment', () => {
    if (E.isLeft(r)) throw new Error('import failed')
    // the ReplicaSets come up (reported ready with the first analysis tick, at 60 s): only the comparison
    // fails, at its first measurement (answered one spin-guard second later)
    const sim = simulate(r.right.spec, 'failing', { experimentReady: true })
    expect(sim.outcome).toBe('failed')
    expect(sim.msToRollback).toBe(61_000)
    expect(sim.last.reasons.map((x) => x.code)).toEqual(expect.arrayContaining(['metricFailed', 'experimentFailed']))
    expect(sim.last.reasons.find((x) => x.code === 'experimentFailed')?.message).toContain('experiment "experiment-0" failed: analysis "compare", metric "error-ratio-delta"')
  })

  it('failing ReplicaSets: never ready, the rollout rolls back at the progress deadline', () => {
    if (E.isLeft(r)) throw new Error('import failed')
    const sim = simulate(r.right.spec, 'failing')
    expect(sim.outcome).toBe('failed')
    expect(sim.msToRollback).toBe(600_000)
    expect(sim.last.reasons.map((x) => x.code)).toContain('experimentNotReady')
  })

  it('asks for the ReplicaSets, then the metric needs carry the analysis args for the metrics adapter', () => {
    if (E.isLeft(r)) throw new Error('import failed')
    const spec = r.right.spec
    const d0 = step(spec, initialState(spec, 0, { stable: 'v1' }), { at: 0, revision: 'v2', ready: { canary: true } })
    expect(d0.action).toEqual({
      type: 'setWeight', weight: 0, routes: [],
      experiment: { name: 'experiment-0', templates: [{ name: 'baseline', specRef: 'stable', replicas: 1 }, { name: 'canary', specRef: 'canary', replicas: 1 }] },
    })
    const d1 = step(spec, d0.state, { at: 5000, ready: { experiment: true } })
    expect(d1.needs.filter((n) => n.kind === 'metric')).toEqual([
      {
        kind: 'metric', metric: 'error-ratio-delta', window: { from: 5000, to: 60_000 }, sample: 'value',
        query: 'err_ratio{rollouts_pod_template_hash="{{templates.canary.podTemplateHash}}"} - err_ratio{rollouts_pod_template_hash="{{templates.baseline.podTemplateHash}}"}',
        experiment: { name: 'experiment-0', analysis: 'compare', args: { 'baseline-hash': '{{templates.baseline.podTemplateHash}}', 'canary-hash': '{{templates.canary.podTemplateHash}}' } },
      },
    ])
  })
})
