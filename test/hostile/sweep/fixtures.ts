/**
 * Valid inputs for every public function, built through the library itself, so the sweep can plant a
 * hostile value deep inside something that gets past the first checks.
 */
import { decodeSpec, initialState, isLeft, step, type Decision, type RolloutSpec } from '../../../src/index.js'
import { noticeOf, type Notice } from '../../../src/notify/index.js'
import { decodeQueryResponse, type QueryResult } from '../../../src/prometheus/index.js'
import { classifyKayenta } from '../../../src/stats/index.js'

const specOf = (input: unknown): RolloutSpec => {
  const r = decodeSpec(input)
  if (isLeft(r)) throw new Error(`sweep fixture: ${JSON.stringify(r.left)}`)
  return r.right
}

export const T0 = Date.parse('2026-01-01T00:00:00Z')

export const specInput = {
  strategy: { canary: { steps: [{ setWeight: 10 }, { setHeaderRoute: { name: 'beta', match: [{ headerName: 'x-beta', headerValue: { exact: 'yes' } }] } }, { analysis: { intervals: 2 } }, { setWeight: 50 }] } },
  analysis: {
    interval: '1m',
    threshold: 2,
    metrics: [
      { name: 'sr', thresholdRange: { min: 99 } },
      { name: 'errors', sequential: {} },
      { name: 'cpu', successCondition: 'result < 90' },
      { name: 'latency', mannWhitney: { minPoints: 3 } },
    ],
  },
  gates: [{ name: 'ok', type: 'confirm-promotion' }],
}
export const spec = specOf(specInput)
export const abSpec = specOf({ strategy: { abTest: { iterations: 2, match: [{ headers: { 'x-canary': { regex: 'insider|beta' } }, cookies: { c: { exact: 'y' } } }] } }, analysis: { interval: '1m', metrics: [] } })

export const state0 = initialState(spec, T0, { stable: 'v1' })
export const first: Decision = step(spec, state0, { at: T0, revision: 'v2', ready: { canary: true } })
export const state = first.state
export const window = { start: T0, end: T0 + 60_000 }
export const samples = [
  { kind: 'value', metric: 'sr', window, value: 99.5 },
  { kind: 'counts', metric: 'errors', window, canary: { total: 1000, bad: 3 }, primary: { total: 1000, bad: 2 } },
  { kind: 'value', metric: 'cpu', window, value: 42 },
  { kind: 'points', metric: 'latency', window, canary: [1, 2, 3, 4, 5], primary: [1, 2, 3, 4, 6] },
]
export const observation = { at: T0 + 60_000, ready: { canary: true }, samples, gates: {} }
export const decision: Decision = step(spec, state, observation as never)
export const abDecision: Decision = step(abSpec, initialState(abSpec, T0, { stable: 'v1' }), { at: T0, revision: 'v2', ready: { canary: true } })
export const traffic = abDecision.state.traffic
export const routeMatch = traffic.routes[0]?.match[0] ?? { headers: { 'x-canary': { regex: 'insider|beta' } } }
export const request = { headers: { 'x-canary': 'insider' }, cookies: { c: 'y' }, queryParams: { q: '1' } }

const metric = (name: string) => {
  const m = spec.analysis.metrics.find((x) => x.name === name)
  if (m === undefined) throw new Error(`sweep fixture: no metric ${name}`)
  return m
}
export const thresholdMetric = metric('sr')
export const sequentialMetric = metric('errors')
export const conditionMetric = metric('cpu')
export const kayentaMetric = metric('latency')
export const judgeOf = <K extends string>(m: { judge: unknown }, _kind: K) => m.judge as never

export const notice: Notice = noticeOf(decision, { rollout: 'podinfo', namespace: 'test', at: T0 + 60_000, url: 'https://ci/run/1' }) ?? {
  title: 'podinfo',
  summary: 's',
  severity: 'info',
  rollout: 'podinfo',
  namespace: 'test',
  revision: 'v2',
  phase: 'progressing',
  action: 'setWeight',
  weight: 10,
  failedChecks: 0,
  events: [],
  reasons: [{ code: 'thresholdFailed', message: 'sr 97 below 99', metric: 'sr', observed: 97, bound: 99 }],
  time: new Date(T0).toISOString(),
}
export const noticeReason = { code: 'thresholdFailed', message: 'sr 97 below 99', metric: 'sr', observed: 97, bound: 99 }

const queryOf = (body: unknown): QueryResult => {
  const r = decodeQueryResponse(body)
  if (isLeft(r)) throw new Error(`sweep fixture: ${JSON.stringify(r.left)}`)
  return r.right
}
export const vectorBody = { status: 'success', data: { resultType: 'vector', result: [{ metric: { le: '0.5' }, value: [1, '99.5'] }, { metric: { le: '+Inf' }, value: [1, '120'] }] } }
export const vector = queryOf(vectorBody)
export const scalar = queryOf({ status: 'success', data: { resultType: 'scalar', result: [1, '3'] } })

export const classification = classifyKayenta('latency', judgeOf(kayentaMetric, 'mannWhitney'), [1, 2, 3, 4, 5], [1, 2, 3, 4, 6])

export const flaggerCanary = {
  apiVersion: 'flagger.app/v1beta1',
  kind: 'Canary',
  metadata: { name: 'podinfo', namespace: 'test' },
  spec: {
    targetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'podinfo' },
    service: { port: 9898 },
    analysis: {
      interval: '1m',
      threshold: 5,
      maxWeight: 50,
      stepWeight: 10,
      metrics: [{ name: 'request-success-rate', thresholdRange: { min: 99 }, interval: '1m' }, { name: 'custom', templateRef: { name: 't' }, thresholdRange: { max: 5 } }],
      webhooks: [{ name: 'gate', type: 'confirm-rollout', url: 'http://gate/' }],
    },
  },
}
export const flaggerTemplate = { apiVersion: 'flagger.app/v1beta1', kind: 'MetricTemplate', metadata: { name: 't', namespace: 'test' }, spec: { provider: { type: 'prometheus', address: 'http://p:9090' }, query: 'up' } }
export const argoRollout = {
  apiVersion: 'argoproj.io/v1alpha1',
  kind: 'Rollout',
  metadata: { name: 'r', namespace: 'default' },
  spec: { strategy: { canary: { steps: [{ setWeight: 20 }, { pause: { duration: '1m' } }, { analysis: { templates: [{ templateName: 'sr' }], args: [{ name: 'svc', value: 'podinfo' }] } }, { setWeight: 60 }, { pause: {} }] } } },
}
export const argoTemplate = {
  apiVersion: 'argoproj.io/v1alpha1',
  kind: 'AnalysisTemplate',
  metadata: { name: 'sr', namespace: 'default' },
  spec: { args: [{ name: 'svc' }], metrics: [{ name: 'sr', interval: '1m', successCondition: 'result[0] >= 0.95', provider: { prometheus: { address: 'http://p', query: 'up{svc="{{args.svc}}"}' } } }] },
}
