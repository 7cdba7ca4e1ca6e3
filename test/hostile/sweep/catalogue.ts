/**
 * What the sweep calls: every function export of every package entry, with its rule (what it must do with
 * hostile input) and a valid argument list the sweep plants hostile values inside. The sweep test checks
 * this list against the API reports (etc/api/*.d.ts), so an export added without an entry here fails it.
 */
import * as root from '../../../src/index.js'
import * as stats from '../../../src/stats/index.js'
import * as render from '../../../src/render/index.js'
import * as notify from '../../../src/notify/index.js'
import * as prometheus from '../../../src/prometheus/index.js'
import * as compat from '../../../src/compat/index.js'
import * as driver from '../../../src/driver/index.js'
import * as testing from '../../../src/testing/index.js'
import * as F from './fixtures.js'

/**
 * - `total`: synchronous; returns for every input, never throws.
 * - `settles`: returns a promise without throwing, and the promise resolves (never rejects) in bounded time.
 * - `rejects`: returns a promise without throwing; by contract the promise rejects when the call fails
 *   (`withTimeout`), always with an Error whose message can be read; it settles in bounded time.
 * - `throwsReadable`: may throw, by contract (the `testing` helpers: test code wants a failed test, not a
 *   silent fallback, on bad input; `assertInvariants` throws on a violation); what it throws is always an
 *   Error whose message can be read, and it returns or throws in bounded time.
 * - `skip`: not called (the reason says why).
 */
export type Rule = 'total' | 'settles' | 'rejects' | 'throwsReadable' | 'skip'

export interface Case {
  readonly rule: Rule
  /** A valid argument list; hostile values are planted inside each argument in turn. */
  readonly valid: () => readonly unknown[]
  readonly why?: string
  /** Writes to its arguments by contract (drive's adapters record what they were asked): no mutation check. */
  readonly mutates?: boolean
}

export const ENTRIES = { index: root, stats, render, notify, prometheus, compat, driver, testing } as const
export type EntryName = keyof typeof ENTRIES

const total = (valid: () => readonly unknown[]): Case => ({ rule: 'total', valid })
const settles = (valid: () => readonly unknown[]): Case => ({ rule: 'settles', valid })
const readable = (valid: () => readonly unknown[]): Case => ({ rule: 'throwsReadable', valid })

const judge = F.judgeOf
const fetchOk: prometheus.FetchLike = async () => new Response(JSON.stringify(F.vectorBody), { status: 200, headers: { 'content-type': 'application/json' } })
const promOptions = () => ({ address: 'http://prometheus:9090', timeoutMs: 1000, fetch: fetchOk })
const ctx = () => ({ spec: F.spec, state: F.state, now: F.T0, signal: new AbortController().signal })
const adapters = () => {
  const workloads = driver.memoryWorkloads({ primary: 'v1' })
  return {
    metrics: { gather: async () => [] },
    router: { apply: async () => undefined },
    workloads,
    clock: driver.fakeClock(F.T0),
    persistence: driver.memoryPersistence(),
  }
}
const trace = () => [{ before: F.state0, observation: { at: F.T0, revision: 'v2', ready: { canary: true } }, decision: F.first, thrown: undefined }]
const prng = () => testing.createPrng(1)
const snapshot = () => driver.rolloutMetrics(F.spec, { rollout: 'podinfo', namespace: 'test' }).snapshot()
const runResult = () => testing.runToEnd(F.spec, testing.metricWorld(F.spec, 'healthy'), { maxCalls: 50 } as never)

export const CATALOGUE: { readonly [E in EntryName]: Readonly<Record<string, Case>> } = {
  index: {
    bucketExceedance: total(() => [[{ le: 0.5, count: 90 }, { le: Infinity, count: 100 }], [{ le: 0.5, count: 95 }, { le: Infinity, count: 100 }], 0.5]),
    canaryReplicas: total(() => [{ replicas: 2 }, 20, 10]),
    decodeSpec: total(() => [F.specInput]),
    decodeState: total(() => [root.encodeState(F.state)]),
    encodeState: total(() => [F.state]),
    formatDuration: total(() => [90_000]),
    initialState: total(() => [F.spec, F.T0, { stable: 'v1' }]),
    isLeft: total(() => [{ _tag: 'Left', left: 1 }]),
    isRight: total(() => [{ _tag: 'Right', right: 1 }]),
    parseDuration: total(() => ['1m30s']),
    requestMatches: total(() => [F.routeMatch, F.request]),
    routeRequest: total(() => [F.traffic, F.request]),
    sampleProblem: total(() => [F.spec, F.state, F.samples[0], F.T0 + 60_000]),
    splitReplicas: total(() => [10, 20, 1]),
    step: total(() => [F.spec, F.state, F.observation]),
    valueMatches: total(() => [{ regex: 'insider|beta' }, 'insider']),
  },
  stats: {
    checkCondition: total(() => ['result[0] < 90', 'argo']),
    classifyKayenta: total(() => ['latency', judge(F.kayentaMetric, 'mannWhitney'), [1, 2, 3, 4, 5], [1, 2, 3, 4, 6]]),
    evaluateCondition: total(() => {
      const c = stats.checkCondition('result < 90', 'argo')
      return [root.isRight(c) ? c.right : null, 42]
    }),
    hodgesLehmann: total(() => [[1, 2, 3], [2, 3, 4]]),
    initialJudgeState: total(() => [F.sequentialMetric]),
    initialSequentialState: total(() => [judge(F.sequentialMetric, 'sequential')]),
    iqrFences: total(() => [[1, 2, 3, 4, 5, 100], 1.5, false]),
    judgeCondition: total(() => [F.conditionMetric, stats.initialJudgeState(F.conditionMetric), F.samples[2]]),
    judgeKayenta: total(() => ['latency', judge(F.kayentaMetric, 'mannWhitney'), F.samples[3]]),
    judgeSample: total(() => [F.sequentialMetric, stats.initialJudgeState(F.sequentialMetric), F.samples[1]]),
    judgeSequential: total(() => ['errors', judge(F.sequentialMetric, 'sequential'), stats.initialJudgeState(F.sequentialMetric), F.samples[1]]),
    judgeThreshold: total(() => ['sr', judge(F.thresholdMetric, 'threshold'), F.samples[0]]),
    kayentaScore: total(() => [[F.classification], { passScore: 95, marginalScore: 75, groupWeights: { default: 1 } }]),
    mannWhitney: total(() => [[12, 14, 15, 19, 22], [10, 11, 12, 12, 13], { confidence: 0.95, alternative: 'greater' }]),
    quantileSorted: total(() => [[1, 2, 3, 4], 0.5]),
    rankSumDistribution: total(() => [3, 4]),
    removeOutliers: total(() => [[1, 2, 3, 4, 5, 100], 1.5, false]),
    ruleOut: total(() => [stats.updateSequential(stats.initialSequentialState(judge(F.sequentialMetric, 'sequential')), { total: 1000, bad: 3 }, { total: 1000, bad: 2 }), 2, 0.05, 0.5]),
    summariseSequential: total(() => [0.01, stats.updateSequential(stats.initialSequentialState(judge(F.sequentialMetric, 'sequential')), { total: 1000, bad: 3 }, { total: 1000, bad: 2 })]),
    updateSequential: total(() => [stats.initialSequentialState(judge(F.sequentialMetric, 'sequential')), { total: 1000, bad: 3 }, { total: 1000, bad: 2 }, 60_000]),
  },
  render: {
    anchoredRegex: total(() => [{ kind: 'prefix', value: 'a.b' }]),
    canaryReplicas: total(() => [{ replicas: 2 }, 20, 10]),
    checkTraffic: total(() => [F.traffic]),
    conditionsOf: total(() => [F.routeMatch, 'headers']),
    cookieRegex: total(() => ['c', { kind: 'exact', value: 'y' }]),
    escapeRegex: total(() => ['a.b*c']),
    matchOf: total(() => [{ exact: 'yes' }]),
    mirrorShare: total(() => [12.5]),
    objectMeta: total(() => ['podinfo', 'test', { labels: { app: 'podinfo' }, annotations: { a: 'b' } }]),
    renderHTTPRoute: total(() => [F.traffic, { name: 'podinfo', namespace: 'test', port: 9898, gateways: ['gw'] }, {}]),
    renderIstio: total(() => [F.traffic, { name: 'podinfo', namespace: 'test', port: 9898, hosts: ['podinfo'] }, {}]),
    renderNginxCanary: total(() => [
      { type: 'setWeight', weight: 20, routes: [] },
      { name: 'podinfo', namespace: 'test', port: 9898 },
      { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: { name: 'podinfo', namespace: 'test', annotations: { a: 'b' } }, spec: { rules: [{ host: 'app' }] } },
      {},
    ]),
    renderTrafficSplit: total(() => [{ type: 'setWeight', weight: 20, routes: [] }, { name: 'podinfo', namespace: 'test' }, {}]),
    resolveNames: total(() => [{ name: 'podinfo', namespace: 'test', hosts: ['a'], gateways: ['g'], port: 80 }]),
    routesOfKind: total(() => [F.traffic, 'header']),
    splitReplicas: total(() => [10, 20, 1]),
    trafficOf: total(() => [F.decision.action]),
  },
  notify: {
    clip: total(() => ['a long message', 5]),
    discordMessage: total(() => [F.notice]),
    noticeOf: total(() => [F.decision, { rollout: 'podinfo', namespace: 'test', at: F.T0, url: 'https://ci/1', notable: new Set(['rollback']) }]),
    reasonText: total(() => [F.noticeReason]),
    slackMessage: total(() => [F.notice]),
    teamsMessage: total(() => [F.notice]),
    unreadableNotice: total(() => ['noticeOf: could not read its input: boom']),
    webhookPayload: total(() => [F.notice]),
  },
  prometheus: {
    checkClientOptions: total(() => [promOptions()]),
    counterIncrease: total(() => ['http_requests_total{app="podinfo"}']),
    decodeQueryResponse: total(() => [F.vectorBody]),
    instantQuery: settles(() => [promOptions(), 'up', F.T0 / 1000]),
    latencyTemplate: total(() => [{ kind: 'latency', histogram: 'http_request_duration_seconds', matchers: 'app="podinfo"', le: 0.5 }]),
    parsePromNumber: total(() => ['1.5e3']),
    promDuration: total(() => [90_000]),
    prometheusSource: total(() => [{ ...promOptions(), queries: { sr: { kind: 'value', query: 'up' } }, variables: { name: 'podinfo' } }]),
    renderTemplate: total(() => ['rate(x{name="{{ name }}"}[{{ interval }}])', { name: 'podinfo', interval: '1m' }]),
    resultToBuckets: total(() => [F.vector]),
    resultToCount: total(() => [F.scalar]),
    resultToValue: total(() => [F.vector, 'all']),
  },
  compat: {
    argoPauseSeconds: total(() => ['30s']),
    flaggerInterval: total(() => ['1m', 'spec.analysis.interval', { errors: [], warnings: [] }]),
    flaggerLinearWeights: total(() => [10, 50]),
    flaggerStepWeights: total(() => [[10, 20, 50], 'spec.analysis.stepWeights', { errors: [], warnings: [] }]),
    flaggerStrategy: total(() => [{ iterations: 10, match: [{ headers: {} }] }]),
    flaggerThreshold: total(() => [5, 'spec.analysis.threshold', { errors: [], warnings: [] }]),
    fromArgoRollout: total(() => [F.argoRollout, [F.argoTemplate]]),
    fromFlagger: total(() => [F.flaggerCanary, [F.flaggerTemplate]]),
    importArgoRollout: total(() => [F.argoRollout, [F.argoTemplate]]),
    importFlagger: total(() => [F.flaggerCanary, [F.flaggerTemplate]]),
    parseGoDuration: total(() => ['1h30m']),
    readArgs: total(() => [[{ name: 'svc', value: 'podinfo' }], 'spec.args', F.argoRollout, new Map(), { errors: [], warnings: [] }]),
    substituteArgs: total(() => [{ query: 'up{svc="{{args.svc}}"}' }, new Map([['svc', 'podinfo']]), 'spec.metrics[0]', { errors: [], warnings: [] }]),
  },
  driver: {
    commandInbox: total(() => [() => undefined, () => undefined]),
    describeEffect: total(() => [{ kind: 'promote', revision: 'v2' }]),
    drive: { ...settles(() => [F.spec, adapters(), { revision: 'v2', stable: 'v1', maxSteps: 5 }]), mutates: true },
    effectsOf: total(() => [F.decision.action]),
    errorText: total(() => [new Error('boom')]),
    exposition: total(() => [snapshot()]),
    fakeClock: total(() => [F.T0]),
    gatherNeeds: { ...settles(() => [adapters(), F.first.needs, ctx(), 1000, () => undefined]), mutates: true },
    isRoutingAction: total(() => [F.decision.action]),
    memoryPersistence: total(() => [root.encodeState(F.state)]),
    memoryWorkloads: total(() => [{ primary: 'v1' }]),
    reassertTraffic: total(() => [F.traffic]),
    rolloutMetrics: total(() => [F.spec, { rollout: 'podinfo', namespace: 'test' }]),
    runEffect: { rule: 'rejects', valid: () => [adapters(), { kind: 'promote', revision: 'v2' }, ctx()], mutates: true },
    serveMetrics: { rule: 'skip', valid: () => [], why: 'listens on a network port (covered by test/driver/metrics.test.ts)' },
    statusCode: total(() => ['succeeded']),
    withTimeout: { rule: 'rejects', valid: () => [driver.fakeClock(F.T0), 1000, undefined, 'call', async () => 1] },
  },
  testing: {
    answerNeeds: readable(() => [F.first, testing.metricWorld(F.spec, 'healthy'), F.T0 + 60_000]),
    answersWorld: readable(() => [new Map(), {}]),
    approveEveryGate: readable(() => [{ kind: 'gate', gate: 'ok' }]),
    assertInvariants: readable(() => [F.spec, trace(), {}]),
    beta: readable(() => [prng(), 2, 3]),
    binomial: readable(() => [prng(), 10, 0.3]),
    canarySpecInput: readable(() => [{}]),
    canDecide: readable(() => [F.thresholdMetric]),
    checkInvariants: readable(() => [F.spec, trace(), {}]),
    checkLiveness: readable(() => [F.spec, runResult(), { end: 'ends' }]),
    checkProgress: readable(() => [trace(), 3]),
    checkSafety: readable(() => [trace()]),
    cooperativeGate: readable(() => [{ kind: 'gate', gate: 'ok', type: 'confirm-promotion' }]),
    createPrng: readable(() => [1]),
    createSimulator: readable(() => [{ traffic: { rate: 100 }, badRate: 0.01 }, 1]),
    deriveSeed: readable(() => [1, 2, 3]),
    erfc: readable(() => [0.5]),
    exceedance: readable(() => [0.5, 0.1, 0.05, 0.01, 3]),
    formatPropertyViolations: readable(() => [[{ property: 'safety', message: 'x', index: 0 }], 5]),
    formatViolations: readable(() => [[{ invariant: 'weightBounds', message: 'x', index: 0 }], 5]),
    gamma: readable(() => [prng(), 2]),
    hashString: readable(() => ['abc']),
    holdingMetrics: readable(() => [F.spec]),
    hostileValue: readable(() => []),
    hostileWithin: readable(() => [{ a: [1, { b: 2 }] }]),
    logFactorial: readable(() => [10]),
    logGamma: readable(() => [3.5]),
    lognormal: readable(() => [prng(), 0, 1]),
    longestSameTimeRun: readable(() => [trace()]),
    metricAnswers: readable(() => [F.spec, 'healthy']),
    metricWorld: readable(() => [F.spec, 'healthy', {}]),
    minimumDuration: readable(() => [F.spec]),
    mix32: readable(() => [12345]),
    normal: readable(() => [prng()]),
    normalCdf: readable(() => [1.5]),
    normalQuantile: readable(() => [0.975]),
    nullProtoWithGetter: readable(() => ['a']),
    observationScript: readable(() => [{}]),
    oneTrapProxy: readable(() => ['get', {}]),
    playScript: readable(() => [F.spec, [{ waitMs: 60_000, useWakeAt: true, mood: 'healthy', gate: 'none', ready: true }], {}]),
    poisson: readable(() => [prng(), 4]),
    probeAnswer: readable(() => [F.thresholdMetric, 'pass']),
    revokedProxy: readable(() => [{}]),
    rolloutSpecInput: readable(() => [{}]),
    runToEnd: readable(() => [F.spec, testing.metricWorld(F.spec, 'healthy'), { maxCalls: 50 }]),
    throwingConversion: readable(() => ['toString']),
    throwingGetter: readable(() => ['a', undefined, {}]),
    throwingProxy: readable(() => [undefined, {}]),
    undecidableExperiment: readable(() => [F.spec, { type: 'experiment', analyses: [{ name: 'a', metrics: ['sr'], requiredForCompletion: true }] }]),
    undecidableStep: readable(() => [F.spec, 0]),
    unprintable: readable(() => []),
  },
}
