/**
 * Conformance scenarios as data: for each upstream rule an importer applies (docs/compat.md), a minimal
 * manifest and what rollout-kernel makes of it. Each scenario's manifest is checked against the upstream
 * CRD first when `crdValid` is set, so "upstream would accept this" is a fact, not an assumption.
 */
import { describe, expect, it } from 'vitest'
import * as E from 'fp-ts/lib/Either.js'
import { importArgoRollout, importFlagger } from '../../src/compat/index.js'
import type { RolloutSpec } from '../../src/config/spec.js'
import { crdValidator, schemaErrors } from '../helpers/crdSchema.js'
import { simulate } from './simulate.js'

const canaryCrd = crdValidator('Canary', 'v1beta1')
const rolloutCrd = crdValidator('Rollout', 'v1alpha1')

type Obj = Record<string, unknown>

const canary = (analysis: Obj, spec: Obj = {}): Obj => ({
  apiVersion: 'flagger.app/v1beta1',
  kind: 'Canary',
  metadata: { name: 'podinfo', namespace: 'test' },
  spec: { targetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'podinfo' }, ...spec, analysis: { interval: '1m', threshold: 5, ...analysis } },
})

const rollout = (canaryStrategy: Obj): Obj => ({
  apiVersion: 'argoproj.io/v1alpha1',
  kind: 'Rollout',
  metadata: { name: 'demo', namespace: 'default' },
  spec: { replicas: 3, selector: { matchLabels: { app: 'demo' } }, template: { metadata: { labels: { app: 'demo' } } }, strategy: { canary: canaryStrategy } },
})

const template = (name: string, metrics: Obj[], args?: Obj[], kind = 'AnalysisTemplate'): Obj => ({
  apiVersion: 'argoproj.io/v1alpha1',
  kind,
  metadata: { name },
  spec: { ...(args !== undefined ? { args } : {}), metrics },
})

const prom = (query: string): Obj => ({ prometheus: { address: 'http://prometheus:9090', query } })

const weights = (s: RolloutSpec): number[] => s.strategy.steps.flatMap((x) => (x.type === 'setWeight' ? [x.weight] : []))
const pauses = (s: RolloutSpec): (number | null)[] => s.strategy.steps.flatMap((x) => (x.type === 'pause' ? [x.durationMs] : []))

interface Scenario {
  readonly rule: string
  readonly tool: 'flagger' | 'argo'
  readonly manifest: Obj
  readonly templates?: readonly Obj[]
  /** The manifest is valid for the upstream CRD (checked). */
  readonly crdValid: boolean
  /** Expected outcome: a check of the imported spec (+ warning paths), or the first error. */
  readonly expect:
    | { readonly spec: (s: RolloutSpec) => unknown; readonly equals: unknown; readonly warningAt?: string }
    | { readonly errorAt: string; readonly message: RegExp }
}

const SCENARIOS: readonly Scenario[] = [
  // Flagger: interval
  { rule: 'interval below 10s raised to 10s', tool: 'flagger', manifest: canary({ interval: '5s', stepWeight: 10 }), crdValid: true, expect: { spec: (s) => s.analysis.intervalMs, equals: 10_000, warningAt: 'spec.analysis.interval' } },
  { rule: 'unparseable interval -> 60s', tool: 'flagger', manifest: canary({ interval: '10sec', stepWeight: 10 }), crdValid: true, expect: { spec: (s) => s.analysis.intervalMs, equals: 60_000, warningAt: 'spec.analysis.interval' } },
  { rule: 'Go duration interval', tool: 'flagger', manifest: canary({ interval: '1m30s', stepWeight: 10 }), crdValid: true, expect: { spec: (s) => s.analysis.intervalMs, equals: 90_000 } },
  { rule: 'interval is required by the CRD', tool: 'flagger', manifest: canary({ interval: undefined, stepWeight: 10 }), crdValid: false, expect: { errorAt: 'spec.analysis.interval', message: /required/ } },
  // Flagger: threshold
  { rule: 'threshold 0 -> 1', tool: 'flagger', manifest: canary({ threshold: 0, stepWeight: 10 }), crdValid: true, expect: { spec: (s) => s.analysis.threshold, equals: 1, warningAt: 'spec.analysis.threshold' } },
  { rule: 'negative threshold -> 1', tool: 'flagger', manifest: canary({ threshold: -3, stepWeight: 10 }), crdValid: true, expect: { spec: (s) => s.analysis.threshold, equals: 1 } },
  { rule: 'threshold is an int in Flagger', tool: 'flagger', manifest: canary({ threshold: 2.5, stepWeight: 10 }), crdValid: true, expect: { errorAt: 'spec.analysis.threshold', message: /integer/ } },
  // Flagger: linear plan
  { rule: 'overshoot: stepWeight 20, maxWeight 50 -> 20, 40, 60', tool: 'flagger', manifest: canary({ stepWeight: 20, maxWeight: 50 }), crdValid: true, expect: { spec: weights, equals: [20, 40, 60], warningAt: 'spec.analysis.stepWeight' } },
  { rule: 'weights clamped to 100', tool: 'flagger', manifest: canary({ stepWeight: 30, maxWeight: 100 }), crdValid: true, expect: { spec: weights, equals: [30, 60, 90, 100] } },
  { rule: 'maxWeight defaults to 100', tool: 'flagger', manifest: canary({ stepWeight: 25 }), crdValid: true, expect: { spec: weights, equals: [25, 50, 75, 100] } },
  { rule: 'stepWeight 0 never advances', tool: 'flagger', manifest: canary({ stepWeight: 0 }), crdValid: true, expect: { errorAt: 'spec.analysis.stepWeight', message: /> 0/ } },
  // Flagger: stepWeights
  { rule: 'stepWeights as given', tool: 'flagger', manifest: canary({ stepWeights: [1, 5, 25, 50] }), crdValid: true, expect: { spec: weights, equals: [1, 5, 25, 50] } },
  { rule: 'unsorted stepWeights: error (Flagger never advances)', tool: 'flagger', manifest: canary({ stepWeights: [10, 5, 20] }), crdValid: true, expect: { errorAt: 'spec.analysis.stepWeights[1]', message: /strictly increasing/ } },
  { rule: 'stepWeights above 100 clamped', tool: 'flagger', manifest: canary({ stepWeights: [50, 120] }), crdValid: true, expect: { spec: weights, equals: [50, 100], warningAt: 'spec.analysis.stepWeights[1]' } },
  { rule: 'exactly one of iterations, stepWeight, stepWeights (CRD oneOf)', tool: 'flagger', manifest: canary({ stepWeight: 10, stepWeights: [10, 20] }), crdValid: false, expect: { errorAt: 'spec.analysis', message: /exactly one/ } },
  // Flagger: strategy selection
  { rule: 'match + iterations = A/B', tool: 'flagger', manifest: canary({ iterations: 5, match: [{ headers: { 'x-canary': { exact: 'insider' } } }] }), crdValid: true, expect: { spec: (s) => [s.strategy.kind, s.strategy.steps.length], equals: ['abTest', 2] } },
  { rule: 'iterations alone = blue/green', tool: 'flagger', manifest: canary({ iterations: 5 }), crdValid: true, expect: { spec: (s) => [s.strategy.kind, s.strategy.steps.map((x) => x.type)], equals: ['blueGreen', ['preview', 'analysis', 'switch', 'analysis']] } },
  { rule: 'match without iterations = canary (match carried)', tool: 'flagger', manifest: canary({ stepWeight: 50, match: [{ headers: { a: { exact: 'b' } } }] }), crdValid: true, expect: { spec: (s) => s.strategy.kind, equals: 'canary', warningAt: 'spec.analysis.match' } },
  { rule: 'stepWeightPromotion', tool: 'flagger', manifest: canary({ stepWeight: 50, stepWeightPromotion: 25 }), crdValid: true, expect: { spec: (s) => (s.strategy.kind === 'canary' ? s.strategy.stepWeightPromotion : null), equals: 25 } },
  { rule: 'mirror + mirrorWeight', tool: 'flagger', manifest: canary({ stepWeight: 50, mirror: true, mirrorWeight: 30 }), crdValid: true, expect: { spec: (s) => (s.strategy.kind === 'canary' ? s.strategy.mirror : null), equals: { percentage: 30 } } },
  // Flagger: webhooks
  {
    rule: 'every webhook type maps to the gate of the same name; no type = rollout',
    tool: 'flagger',
    manifest: canary({
      stepWeight: 50,
      webhooks: [
        ...['confirm-rollout', 'pre-rollout', 'rollout', 'confirm-traffic-increase', 'confirm-promotion', 'post-rollout', 'rollback', 'event'].map((type) => ({ name: type, type, url: `http://hooks/${type}` })),
        { name: 'untyped', url: 'http://hooks/', timeout: '15s', metadata: { cmd: 'hey' } },
      ],
    }),
    crdValid: true,
    expect: {
      spec: (s) => s.gates.map((g) => [g.name, g.type, g.timeoutMs ?? null]),
      equals: [
        ...['confirm-rollout', 'pre-rollout', 'rollout', 'confirm-traffic-increase', 'confirm-promotion', 'post-rollout', 'rollback', 'event'].map((t) => [t, t, null]),
        ['untyped', 'rollout', 15_000],
      ],
    },
  },
  { rule: 'unknown webhook type', tool: 'flagger', manifest: canary({ stepWeight: 50, webhooks: [{ name: 'x', type: 'pre', url: 'http://x/' }] }), crdValid: false, expect: { errorAt: 'spec.analysis.webhooks[0].type', message: /unknown webhook type/ } },
  { rule: 'duplicate webhook names (native check, upstream path)', tool: 'flagger', manifest: canary({ stepWeight: 50, webhooks: [{ name: 'x', url: 'http://x/' }, { name: 'x', url: 'http://y/' }] }), crdValid: true, expect: { errorAt: 'spec.analysis.webhooks[1].name', message: /duplicate/ } },
  // Flagger: metrics
  { rule: 'builtin request-success-rate: percent over the metric interval', tool: 'flagger', manifest: canary({ stepWeight: 50, metrics: [{ name: 'request-success-rate', interval: '2m', thresholdRange: { min: 99 } }] }), crdValid: true, expect: { spec: (s) => [s.analysis.metrics[0]?.windowMs, s.analysis.metrics[0]?.judge, s.analysis.metrics[0]?.provider?.unit], equals: [120_000, { kind: 'threshold', min: 99 }, 'percent'] } },
  { rule: 'deprecated threshold on builtins: min for success rate, max (ms) for duration', tool: 'flagger', manifest: canary({ stepWeight: 50, metrics: [{ name: 'request-success-rate', threshold: 99 }, { name: 'request-duration', threshold: 500 }] }), crdValid: true, expect: { spec: (s) => s.analysis.metrics.map((m) => m.judge), equals: [{ kind: 'threshold', min: 99 }, { kind: 'threshold', max: 500 }] } },
  { rule: 'metric interval defaults to 1m', tool: 'flagger', manifest: canary({ stepWeight: 50, metrics: [{ name: 'request-duration', thresholdRange: { max: 500 } }] }), crdValid: true, expect: { spec: (s) => s.analysis.metrics[0]?.windowMs, equals: 60_000 } },
  {
    rule: 'templateRef resolved (canary namespace by default): provider + query carried',
    tool: 'flagger',
    manifest: canary({ stepWeight: 50, metrics: [{ name: 'errors', templateRef: { name: 'not-found' }, templateVariables: { route: 'api' }, thresholdRange: { max: 1 } }] }),
    templates: [{ apiVersion: 'flagger.app/v1beta1', kind: 'MetricTemplate', metadata: { name: 'not-found', namespace: 'test' }, spec: { provider: { type: 'prometheus', address: 'http://prom:9090' }, query: 'sum(rate(x{route="{{ variables.route }}"}[{{ interval }}]))' } }],
    crdValid: true,
    expect: {
      spec: (s) => [s.analysis.metrics[0]?.query, s.analysis.metrics[0]?.provider],
      equals: ['sum(rate(x{route="{{ variables.route }}"}[{{ interval }}]))', { type: 'prometheus', address: 'http://prom:9090', templateRef: { name: 'not-found', namespace: 'test' }, variables: { route: 'api' } }],
    },
  },
  { rule: 'missing MetricTemplate', tool: 'flagger', manifest: canary({ stepWeight: 50, metrics: [{ name: 'errors', templateRef: { name: 'nope', namespace: 'other' }, thresholdRange: { max: 1 } }] }), crdValid: true, expect: { errorAt: 'spec.analysis.metrics[0].templateRef', message: /not found/ } },
  { rule: 'thresholdRange min above max (native check, upstream path)', tool: 'flagger', manifest: canary({ stepWeight: 50, metrics: [{ name: 'request-success-rate', thresholdRange: { min: 99, max: 90 } }] }), crdValid: true, expect: { errorAt: 'spec.analysis.metrics[0].thresholdRange.min', message: /above max/ } },
  { rule: 'skipAnalysis and progressDeadlineSeconds', tool: 'flagger', manifest: canary({ stepWeight: 50 }, { skipAnalysis: true, progressDeadlineSeconds: 120 }), crdValid: true, expect: { spec: (s) => [s.skipAnalysis, s.progressDeadlineMs], equals: [true, 120_000] } },
  { rule: 'suspend: carried with a warning', tool: 'flagger', manifest: canary({ stepWeight: 50 }, { suspend: true }), crdValid: true, expect: { spec: (s) => s.strategy.kind, equals: 'canary', warningAt: 'spec.suspend' } },
  // Argo: pauses
  { rule: 'pause forms: int seconds, digit string, Go duration (whole seconds), none', tool: 'argo', manifest: rollout({ steps: [{ pause: { duration: 30 } }, { pause: { duration: '45' } }, { pause: { duration: '1m30s' } }, { pause: { duration: '1500ms' } }, { pause: {} }] }), crdValid: true, expect: { spec: pauses, equals: [30_000, 45_000, 90_000, 1_000, null] } },
  { rule: 'bad pause duration', tool: 'argo', manifest: rollout({ steps: [{ setWeight: 10 }, { pause: { duration: 'soon' } }] }), crdValid: true, expect: { errorAt: 'spec.strategy.canary.steps[1].pause.duration', message: /Go duration/ } },
  // Argo: steps
  { rule: 'setWeight relative to maxTrafficWeight', tool: 'argo', manifest: rollout({ trafficRouting: { maxTrafficWeight: 1000, smi: {} }, steps: [{ setWeight: 200 }, { setWeight: 1000 }] }), crdValid: true, expect: { spec: weights, equals: [20, 100] } },
  { rule: 'setWeight out of range', tool: 'argo', manifest: rollout({ steps: [{ setWeight: 150 }] }), crdValid: true, expect: { errorAt: 'spec.strategy.canary.steps[0].setWeight', message: /0 to 100/ } },
  {
    rule: 'setCanaryScale, setHeaderRoute, setMirrorRoute',
    tool: 'argo',
    manifest: rollout({
      steps: [
        { setCanaryScale: { replicas: 2 } },
        { setHeaderRoute: { name: 'h', match: [{ headerName: 'x-canary', headerValue: { exact: 'yes' } }] } },
        { setMirrorRoute: { name: 'm', percentage: 30, match: [{ headers: { 'x-mirror': { prefix: 'a' } } }] } },
      ],
    }),
    crdValid: true,
    expect: {
      spec: (s) => s.strategy.steps,
      equals: [
        { type: 'setCanaryScale', replicas: 2 },
        { type: 'setHeaderRoute', name: 'h', match: [{ headers: { 'x-canary': { exact: 'yes' } } }] },
        { type: 'setMirrorRoute', name: 'm', percentage: 30, match: [{ headers: { 'x-mirror': { prefix: 'a' } } }] },
      ],
    },
  },
  {
    rule: 'experiment: templates (replicas default 1), Go duration, named after its Argo step index',
    tool: 'argo',
    manifest: rollout({ steps: [{ setWeight: 10 }, { experiment: { duration: '1h30m', templates: [{ name: 'c', specRef: 'canary', replicas: 2 }, { name: 'b', specRef: 'stable' }] } }, { setWeight: 50 }] }),
    crdValid: true,
    expect: {
      spec: (s) => s.strategy.steps[1],
      equals: { type: 'experiment', name: 'experiment-1', durationMs: 5_400_000, templates: [{ name: 'c', specRef: 'canary', replicas: 2 }, { name: 'b', specRef: 'stable', replicas: 1 }], analyses: [] },
    },
  },
  {
    rule: 'experiment analyses: the template metrics (not background), args kept for the needs, requiredForCompletion',
    tool: 'argo',
    manifest: rollout({
      trafficRouting: { smi: {} },
      steps: [{ experiment: { templates: [{ name: 'baseline', specRef: 'stable', weight: 5 }, { name: 'canary', specRef: 'canary', weight: 5 }], analyses: [{ name: 'a', templateName: 't', requiredForCompletion: true, args: [{ name: 'hash', value: '{{templates.canary.podTemplateHash}}' }] }] } }],
    }),
    templates: [template('t', [{ name: 'err', interval: '1m', count: 3, successCondition: 'result[0] < 0.01', provider: prom('rate(errors{hash="{{args.hash}}"}[1m])') }], [{ name: 'hash' }])],
    crdValid: true,
    expect: {
      spec: (s) => [s.strategy.steps[0], s.analysis.metrics[0]?.background, s.analysis.metrics[0]?.query],
      equals: [
        {
          type: 'experiment', name: 'experiment-0', durationMs: null,
          templates: [{ name: 'baseline', specRef: 'stable', replicas: 1, weight: 5 }, { name: 'canary', specRef: 'canary', replicas: 1, weight: 5 }],
          analyses: [{ name: 'a', metrics: ['err'], requiredForCompletion: true, args: { hash: '{{templates.canary.podTemplateHash}}' } }],
        },
        false,
        'rate(errors{hash="{{templates.canary.podTemplateHash}}"}[1m])',
      ],
      warningAt: 'spec.strategy.canary.steps[0].experiment.analyses[0].args',
    },
  },
  { rule: 'experiment template weight without traffic routing: kept, with a warning', tool: 'argo', manifest: rollout({ steps: [{ experiment: { templates: [{ name: 'c', specRef: 'canary', weight: 10 }] } }] }), crdValid: true, expect: { spec: (s) => s.strategy.steps.length, equals: 1, warningAt: 'spec.strategy.canary.steps[0].experiment.templates[0].weight' } },
  { rule: 'experiment template selector and metadata: carried for the adapter', tool: 'argo', manifest: rollout({ steps: [{ experiment: { templates: [{ name: 'p', specRef: 'canary', selector: { matchLabels: { app: 'p' } }, metadata: { labels: { app: 'p' } } }] } }] }), crdValid: true, expect: { spec: (s) => s.strategy.steps.length, equals: 1, warningAt: 'spec.strategy.canary.steps[0].experiment.templates' } },
  { rule: 'experiment specRef other than stable or canary: error', tool: 'argo', manifest: rollout({ steps: [{ experiment: { templates: [{ name: 'c', specRef: 'preview' }] } }] }), crdValid: true, expect: { errorAt: 'spec.strategy.canary.steps[0].experiment.templates[0].specRef', message: /stable or canary/ } },
  { rule: 'experiment analysis with a missing template: error at the analysis', tool: 'argo', manifest: rollout({ steps: [{ experiment: { templates: [{ name: 'c', specRef: 'canary' }], analyses: [{ name: 'a', templateName: 'missing' }] } }] }), crdValid: true, expect: { errorAt: 'spec.strategy.canary.steps[0].experiment.analyses[0].templateName', message: /missing/ } },
  { rule: 'plugin step: skipped with a warning', tool: 'argo', manifest: rollout({ steps: [{ plugin: { name: 'x', config: {} } }, { setWeight: 50 }] }), crdValid: true, expect: { spec: weights, equals: [50], warningAt: 'spec.strategy.canary.steps[0].plugin' } },
  // Argo: args
  {
    rule: 'args substituted into the whole metric; rollout args override template defaults',
    tool: 'argo',
    manifest: rollout({ analysis: { templates: [{ templateName: 'sr' }], args: [{ name: 'service', value: 'podinfo' }] }, steps: [{ setWeight: 50 }] }),
    templates: [template('sr', [{ name: 'sr', interval: '1m', successCondition: 'result[0] >= {{args.min}}', provider: prom('rate(x{svc="{{ args.service }}"}[1m])') }], [{ name: 'service', value: 'other' }, { name: 'min', value: '0.95' }])],
    crdValid: true,
    expect: { spec: (s) => [s.analysis.metrics[0]?.query, s.analysis.metrics[0]?.judge], equals: ['rate(x{svc="podinfo"}[1m])', { kind: 'condition', successCondition: 'result[0] >= 0.95', dialect: 'argo' }] },
  },
  {
    rule: 'unresolved {{args.x}} tag',
    tool: 'argo',
    manifest: rollout({ analysis: { templates: [{ templateName: 'sr' }] }, steps: [{ setWeight: 50 }] }),
    templates: [template('sr', [{ name: 'sr', interval: '1m', successCondition: 'result[0] >= 0.9', provider: prom('x{svc="{{args.service}}"}') }])],
    crdValid: true,
    expect: { errorAt: 'AnalysisTemplate/sr.spec.metrics[0]', message: /unresolved tag/ },
  },
  {
    rule: 'declared arg without a value',
    tool: 'argo',
    manifest: rollout({ analysis: { templates: [{ templateName: 'sr' }] }, steps: [{ setWeight: 50 }] }),
    templates: [template('sr', [{ name: 'sr', interval: '1m', successCondition: 'result[0] >= 0.9', provider: prom('x{svc="{{args.service}}"}') }], [{ name: 'service' }])],
    crdValid: true,
    expect: { errorAt: 'AnalysisTemplate/sr.spec.metrics[0]', message: /no value/ },
  },
  {
    rule: 'fieldRef args resolved against the Rollout',
    tool: 'argo',
    manifest: rollout({ analysis: { templates: [{ templateName: 'sr' }], args: [{ name: 'ns', valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } } }] }, steps: [{ setWeight: 50 }] }),
    templates: [template('sr', [{ name: 'sr', interval: '1m', successCondition: 'result[0] >= 0.9', provider: prom('x{ns="{{args.ns}}"}') }], [{ name: 'ns' }])],
    crdValid: true,
    expect: { spec: (s) => s.analysis.metrics[0]?.query, equals: 'x{ns="default"}' },
  },
  // Argo: limits and conditions
  {
    rule: 'count and limits mapped (int-or-string), initialDelay, interval as the tick',
    tool: 'argo',
    manifest: rollout({ analysis: { templates: [{ templateName: 'sr' }] }, steps: [{ setWeight: 50 }] }),
    templates: [template('sr', [{ name: 'sr', interval: '30s', initialDelay: '1m', count: '6', failureLimit: 2, inconclusiveLimit: 1, consecutiveErrorLimit: 3, consecutiveSuccessLimit: 2, successCondition: 'result[0] >= 0.9', failureCondition: 'result[0] < 0.5', provider: prom('x') }])],
    crdValid: true,
    expect: {
      spec: (s) => [s.analysis.intervalMs, s.analysis.metrics[0]?.limits],
      equals: [30_000, { failureLimit: 2, inconclusiveLimit: 1, consecutiveErrorLimit: 3, consecutiveSuccessLimit: 2, count: 6, initialDelayMs: 60_000 }],
    },
  },
  {
    rule: 'no count and no interval: one measurement',
    tool: 'argo',
    manifest: rollout({ steps: [{ setWeight: 50 }, { analysis: { templates: [{ templateName: 'once' }] } }] }),
    templates: [template('once', [{ name: 'once', successCondition: 'result[0] >= 0.9', provider: prom('x') }])],
    crdValid: true,
    expect: { spec: (s) => [s.analysis.metrics[0]?.limits?.count, s.analysis.metrics[0]?.background, s.strategy.steps[1]], equals: [1, false, { type: 'analysis', intervals: 1, metrics: ['once'] }] },
  },
  {
    rule: 'count > 1 needs an interval',
    tool: 'argo',
    manifest: rollout({ steps: [{ analysis: { templates: [{ templateName: 't' }] } }] }),
    templates: [template('t', [{ name: 't', count: 3, successCondition: 'result[0] >= 0.9', provider: prom('x') }])],
    crdValid: true,
    expect: { errorAt: 'AnalysisTemplate/t.spec.metrics[0].count', message: /needs an interval/ },
  },
  {
    rule: 'invalid condition: error at its path',
    tool: 'argo',
    manifest: rollout({ steps: [{ analysis: { templates: [{ templateName: 't' }] } }] }),
    templates: [template('t', [{ name: 't', successCondition: 'result.ok = true', provider: { web: { url: 'http://x/' } } }])],
    crdValid: true,
    expect: { errorAt: 'AnalysisTemplate/t.spec.metrics[0].successCondition', message: /not allowed/ },
  },
  {
    rule: 'dryRun by metric-name regex',
    tool: 'argo',
    manifest: rollout({ analysis: { templates: [{ templateName: 't' }], dryRun: [{ metricName: '^lat' }] }, steps: [{ setWeight: 50 }] }),
    templates: [template('t', [
      { name: 'latency', interval: '1m', successCondition: 'result[0] < 500', provider: prom('x') },
      { name: 'errors', interval: '1m', successCondition: 'result[0] < 1', provider: prom('y') },
    ])],
    crdValid: true,
    expect: { spec: (s) => s.analysis.metrics.map((m) => [m.name, m.dryRun]), equals: [['latency', true], ['errors', false]] },
  },
  {
    rule: 'background analysis startingStep (indices of the native program)',
    tool: 'argo',
    manifest: rollout({ analysis: { templates: [{ templateName: 't' }], startingStep: 2 }, steps: [{ setWeight: 10 }, { pause: { duration: 60 } }, { setWeight: 50 }] }),
    templates: [template('t', [{ name: 't', interval: '1m', successCondition: 'result[0] < 1', provider: prom('y') }])],
    crdValid: true,
    expect: { spec: (s) => [s.analysis.startingStep, s.analysis.metrics[0]?.background], equals: [2, true] },
  },
  {
    rule: 'a template used by two analyses: names made unique',
    tool: 'argo',
    manifest: rollout({ analysis: { templates: [{ templateName: 't' }] }, steps: [{ setWeight: 10 }, { analysis: { templates: [{ templateName: 't' }] } }] }),
    templates: [template('t', [{ name: 'sr', interval: '1m', count: 2, successCondition: 'result[0] < 1', provider: prom('y') }])],
    crdValid: true,
    expect: { spec: (s) => s.analysis.metrics.map((m) => m.name), equals: ['sr@background', 'sr@steps[1]'] },
  },
  {
    rule: 'clusterScope looks up ClusterAnalysisTemplates only',
    tool: 'argo',
    manifest: rollout({ steps: [{ analysis: { templates: [{ templateName: 't', clusterScope: true }] } }] }),
    templates: [template('t', [{ name: 'sr', successCondition: 'result[0] < 1', provider: prom('y') }])],
    crdValid: true,
    expect: { errorAt: 'spec.strategy.canary.steps[0].analysis.templates[0].templateName', message: /ClusterAnalysisTemplate "t" not found/ },
  },
  {
    rule: 'job provider without conditions: the adapter reports 1 (succeeded) or 0 (failed)',
    tool: 'argo',
    manifest: rollout({ steps: [{ analysis: { templates: [{ templateName: 'job' }] } }] }),
    templates: [template('job', [{ name: 'job', provider: { job: { spec: { template: { spec: { containers: [] } } } } } }])],
    crdValid: true,
    expect: { spec: (s) => s.analysis.metrics[0]?.judge, equals: { kind: 'condition', successCondition: 'result == 1', dialect: 'argo' } },
  },
  { rule: 'one strategy', tool: 'argo', manifest: { ...rollout({}), spec: { strategy: {} } }, crdValid: true, expect: { errorAt: 'spec.strategy', message: /exactly one of canary, blueGreen/ } },
]

describe('conformance scenarios', () => {
  for (const sc of SCENARIOS) {
    it(`${sc.tool}: ${sc.rule}`, () => {
      const crd = sc.tool === 'flagger' ? canaryCrd : rolloutCrd
      expect(schemaErrors(crd, sc.manifest).length === 0).toBe(sc.crdValid)
      const r = sc.tool === 'flagger' ? importFlagger(sc.manifest, sc.templates ?? []) : importArgoRollout(sc.manifest, sc.templates ?? [])
      const want = sc.expect
      if ('errorAt' in want) {
        expect(E.isLeft(r)).toBe(true)
        if (E.isLeft(r)) expect(r.left).toContainEqual({ path: want.errorAt, message: expect.stringMatching(want.message) })
        return
      }
      if (E.isLeft(r)) throw new Error(JSON.stringify(r.left))
      expect(want.spec(r.right.spec)).toEqual(want.equals)
      if (want.warningAt !== undefined) expect(r.right.warnings.map((w) => w.path)).toContain(want.warningAt)
    })
  }
})

describe('totality', () => {
  const junk: unknown[] = [null, undefined, 42, 'Canary', [], {}, { spec: null }, { apiVersion: 'flagger.app/v1beta1', kind: 'Canary', spec: { analysis: [] } }, { spec: { strategy: { canary: { steps: 'x' } } } }]
  for (const j of junk) {
    it(`never throws on ${JSON.stringify(j) ?? 'undefined'}`, () => {
      expect(E.isLeft(importFlagger(j))).toBe(true)
      expect(E.isLeft(importArgoRollout(j))).toBe(true)
    })
  }
})

describe('Argo timing beside background analysis', () => {
  it('an inline analysis step with counted metrics completes while a count-less background metric keeps running', () => {
    const r = importArgoRollout(
      rollout({
        analysis: { templates: [{ templateName: 'bg' }] },
        steps: [{ setWeight: 20 }, { analysis: { templates: [{ templateName: 'st' }] } }, { setWeight: 50 }],
      }),
      [
        template('bg', [{ name: 'bg', interval: '10s', successCondition: 'result[0] < 1', provider: prom('x') }]),
        template('st', [{ name: 'st', interval: '10s', count: 3, successCondition: 'result[0] < 1', provider: prom('y') }]),
      ],
    )
    if (E.isLeft(r)) throw new Error(JSON.stringify(r.left))
    expect(r.right.spec.strategy.steps[1]).toEqual({ type: 'analysis', intervals: 3, metrics: ['st'] })
    const sim = simulate(r.right.spec, 'healthy')
    expect(sim.outcome).toBe('succeeded')
    // 3 measurements end the step at 30 s and set the final weight; the promotion follows on the next call
    // (wakeAt is that same instant; this simulation steps 1 s when wakeAt is now: docs/compat.md)
    expect(sim.msToPromote).toBe(31_000)
    expect(sim.weights).toEqual([20, 50])
    const bad = simulate(r.right.spec, 'failing')
    expect(bad.outcome).toBe('failed')
    expect(bad.msToRollback).toBe(10_000) // failureLimit 0: the first failed measurement fails the metric
  })
})
