import { describe, expect, it } from 'vitest'
import * as E from 'fp-ts/lib/Either.js'
import { importArgoRollout } from '../../src/compat/index.js'
import { crdValidator, schemaErrors } from '../helpers/crdSchema.js'
import { upstreamFiles, upstreamFixtures } from '../helpers/upstream.js'
import { simulate } from './simulate.js'

const rolloutCrd = crdValidator('Rollout', 'v1alpha1')
const templateCrd = crdValidator('AnalysisTemplate', 'v1alpha1')
const fixtures = upstreamFixtures('argo')

/**
 * What upstream's documented timing predicts for each example, with healthy metrics (ms from the start to
 * the promotion; indefinite pauses are promoted by the simulated operator after 1 s each) and with failing
 * metrics (null: the example has no metric, so nothing can fail and it promotes the same way).
 */
const EXPECTED: Record<string, { promoteMs: number; manual: number; weights: number[]; rollbackMs: number | null; operatorMs?: number; experiment?: boolean }> = {
  // setCanaryScale + setHeaderRoute (one step, split), pause, 20, pause, 40, pause 15, 60, pause 15, 80, pause 15
  'apisix-rollout.yaml': { promoteMs: 2_000 + 45_000, manual: 2, weights: [20, 40, 60, 80], rollbackMs: null },
  // setCanaryScale, setMirrorRoute, pause {}
  'istio-istio-mirror.yaml': { promoteMs: 1_000, manual: 1, weights: [], rollbackMs: null },
  'istio-istio-subset-split.yaml': { promoteMs: 1_000, manual: 1, weights: [10], rollbackMs: null },
  'notifications-rollout-canary.yaml': { promoteMs: 1_000 + 30_000, manual: 1, weights: [20, 40, 60, 80], rollbackMs: null },
  // setWeight 25, analysis (random-fail: count 2 every 5s; always-pass: count 1): decided after 2 measurements;
  // failing: always-pass' single measurement failed (count reached with no success: Failed, kernel rule) at 5s
  'rollout-analysis-step.yaml': { promoteMs: 10_000, manual: 0, weights: [25], rollbackMs: 5_000 },
  // background random-fail (count 2, failureLimit 1) + setWeight 25, pause {}: promoted by an operator who
  // waits a minute; failing: 2 failed measurements > failureLimit 1 at 10s, before the operator acts
  'rollout-background-analysis.yaml': { promoteMs: 60_000, manual: 1, weights: [25], rollbackMs: 10_000, operatorMs: 60_000 },
  // a single experiment step without a duration or analyses: its ReplicaSets are reported ready at the next
  // call (one analysis interval, 60 s), then it runs until promoted (the operator, 1 s later; the promotion
  // follows the routing change one spin-guard second later); failing: the ReplicaSets never become ready and
  // the rollout rolls back at the progress deadline (600 s)
  'rollout-baseline-vs-canary.yaml': { promoteMs: 62_000, manual: 1, weights: [], rollbackMs: 600_000, experiment: true },
  'rollout-canary-preview.yaml': { promoteMs: 62_000, manual: 1, weights: [], rollbackMs: 600_000, experiment: true },
  // autoPromotionEnabled false: preview, pause until promoted, switch, old version kept scaleDownDelaySeconds (30 s default)
  'rollout-bluegreen.yaml': { promoteMs: 1_000 + 30_000, manual: 1, weights: [], rollbackMs: null },
  'rollout-canary.yaml': { promoteMs: 1_000 + 80_000, manual: 1, weights: [20, 40, 60, 80], rollbackMs: null },
  'rollout-template-ref.yaml': { promoteMs: 10_000, manual: 0, weights: [20], rollbackMs: null },
  'traffic-management-rollout-linkerd.yaml': { promoteMs: 1_000, manual: 1, weights: [5], rollbackMs: null },
}

describe('Argo Rollouts upstream examples', () => {
  it('finds every Rollout (Services, Deployments, Ingresses, VirtualServices... skipped)', () => {
    expect(fixtures.map((f) => f.file).sort()).toEqual(Object.keys(EXPECTED).sort())
    expect(fixtures[0]?.templates.map((t) => `${String(t.kind)}/${String((t.metadata as Record<string, unknown>).name)}`).sort()).toEqual([
      'AnalysisTemplate/load-test',
      'AnalysisTemplate/pass',
      'AnalysisTemplate/random-fail',
      'ClusterAnalysisTemplate/always-pass',
    ])
  })

  it('templates are valid for the AnalysisTemplate CRD, except the upstream example whose unquoted {{args...}} YAML parses into a map', () => {
    // ClusterAnalysisTemplate has the same spec schema; its CRD is not among the fixtures
    const invalid = upstreamFiles('argo')
      .flatMap((f) => f.docs)
      .filter((d) => d.kind === 'AnalysisTemplate' || d.kind === 'ClusterAnalysisTemplate')
      .filter((d) => schemaErrors(templateCrd, { ...d, kind: 'AnalysisTemplate' }).length > 0)
      .map((d) => (d.metadata as Record<string, unknown>).name)
    expect(invalid).toEqual(['load-test'])
  })

  for (const f of fixtures) {
    describe(f.file, () => {
      const r = importArgoRollout(f.object, f.templates)

      it('is a valid Rollout for the upstream CRD', () => {
        expect(schemaErrors(rolloutCrd, f.object)).toEqual([])
      })

      const strategy = (f.object.spec as Record<string, Record<string, unknown>>).strategy ?? {}
      const want = EXPECTED[f.file]
      if (want === undefined) throw new Error(`no expectation for ${f.file}`)

      it('imports, carrying what the kernel does not model', () => {
        if (E.isLeft(r)) throw new Error(JSON.stringify(r.left))
        const canary = (strategy.canary ?? {}) as Record<string, unknown>
        for (const k of ['trafficRouting', 'canaryService', 'stableService']) expect(r.right.carried.canary[k]).toEqual(canary[k])
        const bg = (strategy.blueGreen ?? {}) as Record<string, unknown>
        for (const k of ['activeService', 'previewService']) expect(r.right.carried.blueGreen[k]).toEqual(bg[k])
        expect(r.right.spec.strategy.kind).toBe(strategy.blueGreen !== undefined ? 'blueGreen' : 'canary')
        expect(r.right.carried.workload.template ?? r.right.carried.workload.workloadRef).toBeDefined()
      })

      it(`promotes with healthy metrics after ${want.promoteMs / 1000}s`, () => {
        if (E.isLeft(r)) throw new Error('import failed')
        const sim = simulate(r.right.spec, 'healthy', { operatorMs: want.operatorMs ?? 1000 })
        expect(sim.outcome).toBe('succeeded')
        expect(sim.msToPromote).toBe(want.promoteMs)
        expect(sim.manualPromotions).toBe(want.manual)
        expect(sim.weights).toEqual(want.weights)
      })

      it(want.rollbackMs === null ? 'has no metric: nothing can fail' : `rolls back with failing ${want.experiment === true ? 'experiment ReplicaSets' : 'metrics'} after ${want.rollbackMs / 1000}s`, () => {
        if (E.isLeft(r)) throw new Error('import failed')
        const sim = simulate(r.right.spec, 'failing', { operatorMs: want.operatorMs ?? 1000 })
        if (want.rollbackMs === null) {
          expect(r.right.spec.analysis.metrics).toEqual([])
          expect(sim.outcome).toBe('succeeded')
        } else {
          expect(sim.outcome).toBe('failed')
          expect(sim.msToRollback).toBe(want.rollbackMs)
        }
      })
    })
  }
})
