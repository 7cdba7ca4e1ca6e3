/** Kayenta-style group-weighted score: thresholds, weights, critical metrics, NoData share. */
import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import * as E from 'fp-ts/lib/Either.js'
import type { KayentaClassification, KayentaLabel } from '../../src/analysis/kayenta.js'
import { kayentaScore, type KayentaScore, type KayentaScoreOptions } from '../../src/analysis/kayentaScore.js'

const cls = (metric: string, label: KayentaLabel, group = 'default', critical = false): KayentaClassification => ({
  metric,
  label,
  group,
  critical,
  stats: null,
  reason: { code: label === 'Pass' ? 'metricPassed' : 'metricFailed', message: `${metric}: ${label}`, metric },
})
const opts: KayentaScoreOptions = { passScore: 95, marginalScore: 75 }
const score = (cs: readonly KayentaClassification[], o: KayentaScoreOptions = opts): KayentaScore => {
  const r = kayentaScore(cs, o)
  if (E.isLeft(r)) throw new Error(r.left.message)
  return r.right
}

describe('kayentaScore', () => {
  it('all passing: 100, pass', () => {
    const s = score([cls('a', 'Pass'), cls('b', 'Pass')])
    expect([s.score, s.outcome, s.verdict]).toEqual([100, 'pass', 'pass'])
    expect(s.reason.message).toBe('score 100 >= pass 95')
  })
  it('thresholds: >= pass passes, >= marginal is marginal (inconclusive), below fails', () => {
    // 3 of 4 pass in one group: 75.
    const four = [cls('a', 'Pass'), cls('b', 'Pass'), cls('c', 'Pass'), cls('d', 'High')]
    expect(score(four, { passScore: 75, marginalScore: 50 }).outcome).toBe('pass')
    const m = score(four, { passScore: 76, marginalScore: 75 })
    expect([m.score, m.outcome, m.verdict]).toEqual([75, 'marginal', 'inconclusive'])
    expect(m.reason).toMatchObject({ observed: 75, bound: 76 })
    const f = score(four, { passScore: 95, marginalScore: 75.01 })
    expect([f.outcome, f.verdict]).toEqual(['fail', 'fail'])
    expect(f.reason.message).toBe('score 75 < marginal 75.01')
  })
  it('group weights: weighted mean of group pass shares', () => {
    // latency: 1 of 2 pass = 50; errors: 1 of 1 = 100; weights 50/50 -> 75.
    const cs = [cls('p99', 'Pass', 'latency'), cls('p50', 'High', 'latency'), cls('5xx', 'Pass', 'errors')]
    expect(score(cs, { ...opts, groupWeights: { latency: 50, errors: 50 } }).score).toBe(75)
    // 80/20 -> 0.8 * 50 + 0.2 * 100 = 60
    expect(score(cs, { ...opts, groupWeights: { latency: 80, errors: 20 } }).score).toBe(60)
    // Unweighted groups share the rest of 100: latency 70, errors gets 30 -> 0.7 * 50 + 0.3 * 100 = 65
    expect(score(cs, { ...opts, groupWeights: { latency: 70 } }).score).toBe(65)
    // No weights: equal -> 75. A weight for an absent group does not drag the score down.
    expect(score(cs).score).toBe(75)
    expect(score(cs, { ...opts, groupWeights: { latency: 25, errors: 25, absent: 50 } }).score).toBe(75)
    // Rounded to 2 decimals: 1 of 3 -> 33.33
    expect(score([cls('a', 'Pass'), cls('b', 'Low'), cls('c', 'High')]).score).toBe(33.33)
    const g = score(cs, { ...opts, groupWeights: { latency: 80, errors: 20 } }).groups
    expect(g).toEqual([
      { group: 'latency', score: 50, weight: 80, pass: 1, high: 1, low: 0, noData: 0, error: 0 },
      { group: 'errors', score: 100, weight: 20, pass: 1, high: 0, low: 0, noData: 0, error: 0 },
    ])
  })
  it('NoData and Error metrics do not count; a group with nothing counted scores 100', () => {
    const cs = [cls('a', 'Pass', 'x'), cls('b', 'High', 'x'), cls('c', 'NoData', 'y'), cls('d', 'Pass', 'z'), cls('e', 'Error', 'z')]
    const s = score(cs, { ...opts, noDataFailShare: 1 })
    expect(s.groups.map((g) => g.score)).toEqual([50, 100, 100])
    expect(s.score).toBe(83.33)
  })
  it('a critical metric that does not pass fails the judgement whatever the score', () => {
    const cs = [...Array.from({ length: 19 }, (_, i) => cls(`m${i}`, 'Pass')), cls('errors', 'High', 'default', true)]
    const s = score(cs)
    expect(s.score).toBe(95) // would pass
    expect([s.outcome, s.verdict]).toEqual(['fail', 'fail'])
    expect(s.criticalFailures).toEqual(['errors'])
    expect(s.reason.metric).toBe('errors')
    expect(s.reason.message).toMatch(/critical metric errors did not pass \(High\)/)
    // Kayenta's rule: a critical metric without data fails too.
    expect(score([cls('a', 'Pass'), cls('b', 'Pass'), cls('c', 'NoData', 'default', true)]).outcome).toBe('fail')
    // A passing critical metric is fine.
    expect(score([cls('a', 'Pass', 'default', true)]).outcome).toBe('pass')
  })
  it('half or more NoData metrics fail (Kayenta), configurable', () => {
    const cs = [cls('a', 'Pass'), cls('b', 'NoData')]
    const s = score(cs)
    expect(s.outcome).toBe('fail')
    expect(s.reason.code).toBe('noDataLimit')
    expect(score(cs, { ...opts, noDataFailShare: 0.6 }).outcome).toBe('pass')
    expect(score([cls('a', 'Pass'), cls('b', 'Pass'), cls('c', 'NoData')]).outcome).toBe('pass')
  })
  it('typed errors instead of throwing', () => {
    expect(kayentaScore([], opts)).toEqual(E.left({ code: 'noMetrics', message: 'no classifications to score' }))
    for (const o of [
      { passScore: 75, marginalScore: 95 },
      { passScore: 101, marginalScore: 50 },
      { passScore: Number.NaN, marginalScore: 50 },
      { passScore: 90, marginalScore: 50, groupWeights: { a: -1 } },
      { passScore: 90, marginalScore: 50, noDataFailShare: 0 },
    ]) {
      const r = kayentaScore([cls('a', 'Pass')], o)
      expect(E.isLeft(r) && r.left.code).toBe('invalidOptions')
    }
  })
  it('properties: score in [0, 100]; turning a failing metric into a pass never lowers the score', () => {
    const label = fc.constantFrom<KayentaLabel>('Pass', 'High', 'Low', 'NoData', 'Error')
    const item = fc.record({ label, group: fc.constantFrom('a', 'b', 'c'), critical: fc.boolean() })
    const weights = fc.dictionary(fc.constantFrom('a', 'b', 'c'), fc.integer({ min: 0, max: 100 }))
    fc.assert(
      fc.property(fc.array(item, { minLength: 1, maxLength: 12 }), weights, fc.nat(), (items, w, pick) => {
        const cs = items.map((x, i) => cls(`m${i}`, x.label, x.group, x.critical))
        const o = { passScore: 90, marginalScore: 60, groupWeights: w, noDataFailShare: 2 }
        const s = score(cs, o)
        expect(s.score).toBeGreaterThanOrEqual(0)
        expect(s.score).toBeLessThanOrEqual(100)
        const i = pick % cs.length
        const c = cs[i] as KayentaClassification
        if (c.label === 'High' || c.label === 'Low') {
          const better = cs.map((x, j) => (j === i ? { ...x, label: 'Pass' as const } : x))
          expect(score(better, o).score).toBeGreaterThanOrEqual(s.score)
        }
        if (cs.some((x) => x.critical && x.label !== 'Pass')) expect(s.verdict).toBe('fail')
      }),
      { numRuns: 300 },
    )
  })
})
