import { describe, expect, it } from 'vitest'
import * as E from 'fp-ts/lib/Either.js'
import { decodeSpec, initialState, routeRequest, step } from '../../src/index.js'
import type { Decision, Observation, RolloutSpec } from '../../src/index.js'
import { specIndex } from '../../src/config/specIndex.js'
import { conditionMemoSize } from '../../src/analysis/condition.js'
import { regexMemoSize } from '../../src/model/regex.js'

// Each test file runs in its own module graph: the two memos start empty here, and these tests are what
// fills them (or must not).

/** A spec with condition metrics in both dialects (a `matches` among them) and a header route with a regex, made distinct by `i`. */
const input = (i: number) => ({
  strategy: {
    canary: {
      steps: [
        { setHeaderRoute: { name: 'beta', match: [{ headerName: 'x-user', headerValue: { regex: `beta-${i}-[0-9]+` } }] } },
        { setWeight: 20 },
        { analysis: { metrics: ['success', 'latency'] } },
        { setWeight: 60 },
      ],
    },
  },
  analysis: {
    interval: '1m',
    metrics: [
      { name: 'success', interval: '1m', successCondition: `result[0] >= 0.${90 + (i % 9)} && !isNaN(result[0])`, failureCondition: `result[0] < 0.5 || "p${i}" matches "^p[0-9]+$" && result[0] < 0.${i % 5}` },
      { name: 'latency', interval: '1m', dialect: 'mathjs', successCondition: `result < ${500 + i}` },
    ],
  },
})

const decoded = (i: number): RolloutSpec => {
  const r = decodeSpec(input(i))
  if (E.isLeft(r)) throw new Error(JSON.stringify(r.left))
  return r.right
}

/** A run through the analysis step: baseline, start, then a window of both metrics per minute. */
const observations = (success: readonly number[], latency: readonly number[]): Observation[] => {
  const obs: Observation[] = [
    { at: 0, revision: 'v1' },
    { at: 1000, revision: 'v2', ready: { canary: true } },
  ]
  for (let k = 0; k < success.length; k++) {
    const from = 1000 + k * 60_000
    const to = from + 60_000
    obs.push({
      at: to,
      ready: { canary: true },
      samples: [
        { kind: 'value', metric: 'success', window: { from, to }, value: [success[k]!] },
        { kind: 'value', metric: 'latency', window: { from, to }, value: latency[k]! },
      ],
    })
  }
  return obs
}

const run = (spec: RolloutSpec, obs: readonly Observation[]): Decision[] => {
  let state = initialState(spec, 0)
  const out: Decision[] = []
  for (const o of obs) {
    const d = step(spec, state, o)
    out.push(d)
    state = d.state
  }
  return out
}

describe('a decoded spec carries its compiled conditions and patterns', () => {
  it('the index holds each condition metric, compiled, with the text the judge reads', () => {
    const spec = decoded(3)
    const c = specIndex(spec).conditionsNamed
    expect(Object.keys(c).sort()).toEqual(['latency', 'success'])
    expect(c['success']?.successCondition?.text).toBe(input(3).analysis.metrics[0]!.successCondition)
    expect(c['success']?.failureCondition?.dialect).toBe('argo')
    expect(c['latency']?.successCondition?.dialect).toBe('mathjs')
    expect(c['latency']?.failureCondition).toBeUndefined()
    expect(Object.isFrozen(c)).toBe(true)
  })

  it('evaluated twice, a decoded spec decides identically; a hand-made copy (compiled on demand) decides the same', () => {
    const obs = observations([0.97, 0.4, 0.99], [120, 130, 140])
    const spec = decoded(7)
    const first = run(spec, obs)
    const second = run(spec, obs)
    expect(second).toEqual(first)
    // a spread copy carries no index: its conditions go through checkCondition's memo
    const copy: RolloutSpec = { ...spec }
    expect(run(copy, obs)).toEqual(first)
    // the run judged conditions: passed the first windows, failed the 0.4 one
    const messages = first.flatMap((d) => d.reasons).filter((r) => r.metric === 'success').map((r) => r.message)
    expect(messages.some((m) => /result \[0\.97\] met successCondition/.test(m))).toBe(true)
    expect(messages.some((m) => /result \[0\.4\] met failureCondition/.test(m))).toBe(true)
  })

  it('decoding and running 5,000 distinct specs leaves the condition and regex memos untouched', () => {
    const conditions = conditionMemoSize()
    const patterns = regexMemoSize()
    const obs = observations([0.97, 0.98], [100, 100])
    for (let i = 0; i < 5000; i++) {
      const spec = decoded(i)
      // every 100th spec is also run, and its route asked about a request (from the state's traffic)
      if (i % 100 === 0) {
        const ds = run(spec, obs)
        expect(ds.flatMap((d) => d.reasons).filter((r) => r.code === 'metricError')).toEqual([])
        const traffic = ds.at(-1)!.state.traffic
        expect(routeRequest(traffic, { headers: { 'X-User': `beta-${i}-42` } })).toBe('canary')
        expect(routeRequest(traffic, { headers: { 'X-User': `beta-${i}-x` } })).not.toBe('canary')
      }
    }
    expect(conditionMemoSize()).toBe(conditions)
    expect(regexMemoSize()).toBe(patterns)
  })

  it('text-only callers still compile on demand, through the bounded memos', () => {
    const before = regexMemoSize()
    // an action's routes are JSON copies: they carry no compiled pattern, so the memo answers
    const spec = decoded(1)
    const ds = run(spec, observations([0.97], [100]))
    const action = ds.find((d) => d.action.type === 'setWeight' && d.action.routes.length > 0)?.action
    expect(action?.type).toBe('setWeight')
    if (action?.type !== 'setWeight') return
    expect(routeRequest({ weight: 0, routes: action.routes }, { headers: { 'x-user': 'beta-1-7' } })).toBe('canary')
    expect(regexMemoSize()).toBe(before + 1)
    const copy: RolloutSpec = { ...spec }
    const sizeBefore = conditionMemoSize()
    run(copy, observations([0.97], [100]))
    expect(conditionMemoSize()).toBeGreaterThan(sizeBefore)
  })
})
