/**
 * Issue 15 item 2: Argo `dryRun` metric names are RE2 patterns compiled by the project's one regex engine
 * (src/model/regex.ts), with the routes' limits: linear time, RE2 syntax only, at most 1,024 characters.
 */
import { describe, expect, it } from 'vitest'
import * as E from 'fp-ts/lib/Either.js'
import { fromArgoRollout } from '../../src/compat/index.js'

const rollout = (dryRun: unknown[]) => ({
  apiVersion: 'argoproj.io/v1alpha1',
  kind: 'Rollout',
  metadata: { name: 'r', namespace: 'default' },
  spec: { strategy: { canary: { analysis: { templates: [{ templateName: 't' }], dryRun }, steps: [{ setWeight: 50 }] } } },
})
const template = (names: string[]) => ({
  apiVersion: 'argoproj.io/v1alpha1',
  kind: 'AnalysisTemplate',
  metadata: { name: 't', namespace: 'default' },
  spec: { metrics: names.map((name) => ({ name, interval: '1m', successCondition: 'result[0] < 1', provider: { prometheus: { address: 'http://p', query: 'up' } } })) },
})

const dryRunOf = (dryRun: unknown[], names: string[]) => {
  const r = fromArgoRollout(rollout(dryRun), [template(names)])
  return E.isRight(r) ? r.right.analysis.metrics.map((m) => [m.name, m.dryRun]) : r.left
}

describe('Argo dryRun metric names (RE2, linear time)', () => {
  it('a catastrophic pattern on a long metric name answers (no backtracking; a backtracking engine takes ~2^40 steps here)', () => {
    const long = 'a'.repeat(40)
    expect(dryRunOf([{ metricName: '^(a+)+$' }], [`${long}-b`, long])).toEqual([[`${long}-b`, false], [long, true]])
    expect(dryRunOf([{ metricName: '(x+x+)+y' }], ['x'.repeat(60)])).toEqual([['x'.repeat(60), false]])
  })

  it('matches anywhere in the name, as Go regexp.MatchString', () => {
    expect(dryRunOf([{ metricName: 'lat' }], ['p99-latency', 'errors'])).toEqual([['p99-latency', true], ['errors', false]])
    expect(dryRunOf([{ metricName: '.*' }], ['a', 'b'])).toEqual([['a', true], ['b', true]])
    expect(dryRunOf([{ metricName: '(?i)^LAT' }], ['latency'])).toEqual([['latency', true]])
  })

  it('refuses what Go refuses (look-around, backreferences) and over-long patterns, at the path', () => {
    for (const metricName of ['(?=lat)', '(a)\\1', 'a'.repeat(1025)]) {
      const r = fromArgoRollout(rollout([{ metricName }]), [template(['latency'])])
      expect(E.isLeft(r)).toBe(true)
      if (E.isLeft(r)) expect(JSON.stringify(r.left)).toMatch(/dryRun\[0\]\.metricName.*invalid regular expression \(RE2 syntax\)/)
    }
  })
})
