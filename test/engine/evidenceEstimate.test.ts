/**
 * The no-blind-promotion estimate (src/engine/evidenceEstimate.ts): the time and bad events still needed to
 * rule out `detect`, read off the sequential judge's state.
 */
import { describe, expect, it } from 'vitest'
import { initialSequentialState, updateSequential, type SequentialState } from '../../src/analysis/sequential.js'
import type { SequentialJudgeSpec } from '../../src/config/spec.js'
import { aboutMore, describeEstimate, estimateEvidence } from '../../src/engine/evidenceEstimate.js'
import { holdCell, median, quantile, type HoldCell } from '../helpers/holdSimulation.js'

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
    expect(describeEstimate(e, 2, 0.01)).toContain('none has been seen yet, so no time estimate')
  })

  it('counts whole windows: the next tick, then one interval per window still needed', () => {
    const timing = { windowMs: 60_000, intervalMs: 60_000, nextInMs: 20_000 }
    const e = estimateEvidence(feed(2, 1000, 5, 5), 2, 0.01, 0.5, timing)
    expect(e.ruleOut.ruledOut).toBe(false)
    expect(e.badRate).toBeCloseTo(20 / 120, 5)
    expect(e.ruleOut.moreWindows).toBeGreaterThan(1)
    expect(e.moreMs).toBe(20_000 + (e.ruleOut.moreWindows - 1) * 60_000)
    // the bad events are those of the windows still needed, at the observed rate (10 per minute)
    expect(Math.abs(e.ruleOut.moreBadEvents - e.ruleOut.moreWindows * 10)).toBeLessThanOrEqual(1)
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

/**
 * The estimate says only what is true (issue 12 item 4): seeded holds through the real engine at 1 to 1,000
 * req/s per arm and bad-event rates from 0.1% to 5%, the first time estimate against the wait that followed.
 * Before the projection went through the judge's tempering (about 10x at 1,000 req/s, 3-s interval, 1%),
 * the median ratio was 11 in that cell and about 2 in most others. `HOLD_RUNS` raises the runs per cell;
 * `HOLD_DUMP` prints the table of docs/evidence.md.
 */
describe('the hold estimate is calibrated', () => {
  const runs = Number(process.env['HOLD_RUNS'] ?? 40)
  const cells: HoldCell[] = [
    { perArm: 1, badRate: 0.05, interval: '1m' },
    { perArm: 10, badRate: 0.01, interval: '1m' },
    { perArm: 10, badRate: 0.002, interval: '1m' },
    { perArm: 100, badRate: 0.01, interval: '10s' },
    { perArm: 100, badRate: 0.001, interval: '1m' },
    { perArm: 1000, badRate: 0.01, interval: '3s' },
    { perArm: 1000, badRate: 0.001, interval: '10s' },
  ]
  for (const cell of cells) {
    it(`${cell.perArm} req/s per arm, ${cell.badRate * 100}% bad, interval ${cell.interval}: median wait / first estimate within [0.5, 2]`, () => {
      const { runs: rs, ratios } = holdCell(cell, runs)
      if (process.env['HOLD_DUMP'] !== undefined) {
        const s = (ms: number): string => (ms >= 90_000 ? `${(ms / 60_000).toFixed(1)} min` : `${Math.round(ms / 1000)} s`)
        console.log(
          `| ${cell.perArm} | ${cell.badRate * 100}% | ${cell.interval} | ${rs.length} | ${s(median(rs.map((r) => r.estimateMs)))} | ${s(median(rs.map((r) => r.waitMs)))} | ` +
            `${median(ratios).toFixed(2)} | ${quantile(ratios, 0.1).toFixed(2)}-${quantile(ratios, 0.9).toFixed(2)} | ${median(rs.map((r) => r.estimateBad))} / ${median(rs.map((r) => r.actualBad))} |`,
        )
      }
      // at least half the runs hold (the rest promote at the end of the steps or, rarely, roll back)
      expect(rs.length).toBeGreaterThanOrEqual(Math.floor(runs / 2))
      const m = median(ratios)
      expect(m).toBeGreaterThanOrEqual(0.5)
      expect(m).toBeLessThanOrEqual(2)
    })
  }
})
