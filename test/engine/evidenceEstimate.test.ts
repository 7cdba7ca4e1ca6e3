/**
 * The no-blind-promotion estimate (src/engine/evidenceEstimate.ts): the time and bad events still needed to
 * rule out `detect`, read off the sequential judge's state.
 */
import { describe, expect, it } from 'vitest'
import { initialSequentialState, updateSequential, type SequentialState } from '../../src/analysis/sequential.js'
import type { SequentialJudgeSpec } from '../../src/config/spec.js'
import { aboutMore, describeEstimate, estimateEvidence } from '../../src/engine/evidenceEstimate.js'

const spec: SequentialJudgeSpec = { kind: 'sequential', alpha: 0.01, tolerance: 1.12, earlyPass: false, minBadEvents: 0 }

/** `windows` one-minute windows of `total` requests and `bad` bad events in each arm. */
const feed = (windows: number, total: number, canaryBad: number, primaryBad: number): SequentialState => {
  let s = initialSequentialState(spec)
  for (let i = 0; i < windows; i++) s = updateSequential(s, { total, bad: canaryBad }, { total, bad: primaryBad }, 60_000)
  return s
}

describe('estimateEvidence', () => {
  it('gives no time before any bad event is seen, and says so', () => {
    const e = estimateEvidence(feed(2, 1000, 0, 0), 2, 0.01, 0.5)
    expect(e.ruleOut.ruledOut).toBe(false)
    expect(e.moreMs).toBeNull()
    expect(e.perArmRate).toBeCloseTo(1000 / 60, 5)
    expect(describeEstimate(e, 2, 0.01)).toContain('none seen yet, so no time estimate')
  })

  it('estimates the remaining time from the observed bad-event rate', () => {
    const e = estimateEvidence(feed(2, 1000, 5, 5), 2, 0.01, 0.5)
    expect(e.ruleOut.ruledOut).toBe(false)
    expect(e.badRate).toBeCloseTo(20 / 120, 5)
    expect(e.moreMs).not.toBeNull()
    // the time is the bad events still needed at the observed rate (10 per minute)
    expect(e.moreMs!).toBeCloseTo((e.ruleOut.moreBadEvents / (20 / 120)) * 1000, -3)
    expect(describeEstimate(e, 2, 0.01)).toMatch(/at 16\.7 req\/s per arm, ruling out 2x needs about \d+ more minutes \(about \d+ more bad events\)/)
  })

  it('the estimate comes true on a healthy stream: feeding the predicted bad events rules 2x out', () => {
    const s = feed(3, 1000, 5, 5)
    const e = estimateEvidence(s, 2, 0.01, 0.5)
    const minutes = Math.ceil((e.moreMs ?? Infinity) / 60_000)
    expect(minutes).toBeGreaterThan(0)
    expect(minutes).toBeLessThan(120)
    // planning figure, not a bound: within a factor 2 either way on a steady equal-rate stream
    let t = s
    let took = 0
    while (!estimateEvidence(t, 2, 0.01, 0.5).ruleOut.ruledOut && took < 10 * minutes) {
      t = updateSequential(t, { total: 1000, bad: 5 }, { total: 1000, bad: 5 }, 60_000)
      took++
    }
    expect(took).toBeGreaterThanOrEqual(Math.floor(minutes / 2))
    expect(took).toBeLessThanOrEqual(2 * minutes)
  })

  it('says more traffic will not help when the observed relative risk is at or above detect', () => {
    const e = estimateEvidence(feed(5, 1000, 30, 10), 2, 0.01, 0.5)
    expect(e.moreMs).toBeNull()
    expect(describeEstimate(e, 2, 0.01)).toContain('more traffic will not rule it out')
  })

  it('is 0 once ruled out', () => {
    const e = estimateEvidence(feed(5, 10_000, 100, 100), 2, 0.01, 0.5)
    expect(e.ruleOut.ruledOut).toBe(true)
    expect(e.moreMs).toBe(0)
  })
})

describe('aboutMore', () => {
  it('reads in seconds, minutes or hours', () => {
    expect(aboutMore(40_000)).toBe('about 40 more seconds')
    expect(aboutMore(540_000)).toBe('about 9 more minutes')
    expect(aboutMore(3 * 3_600_000)).toBe('about 3 more hours')
  })
})
