/**
 * `plan --traffic`'s expected promotion time (src/cli/evidencePlan.ts) against the seeded holds of
 * test/helpers/holdSimulation.ts: the median promotion time it prints is that of many more runs of the same
 * engine on random traffic. (Before, the plan ran the engine once on noiseless expected counts, which at 10
 * req/s per arm said 9 minutes where the median run promoted at 12 to 14.)
 */
import { describe, expect, it } from 'vitest'
import { evidenceTimeLines } from '../../src/cli/evidencePlan.js'
import { holdSpec, median, simulateRun, type HoldCell } from '../helpers/holdSimulation.js'

const clockMs = (line: string): number => {
  const m = /promote at (\d+):(\d\d)/.exec(line)
  return m === null ? NaN : (Number(m[1]) * 60 + Number(m[2])) * 1000
}

describe('plan --traffic: the expected promotion time', () => {
  const cells: HoldCell[] = [
    { perArm: 10, badRate: 0.01, interval: '1m' },
    { perArm: 100, badRate: 0.01, interval: '10s' },
    { perArm: 1000, badRate: 0.01, interval: '3s' },
  ]
  for (const cell of cells) {
    it(`${cell.perArm} req/s per arm, ${cell.badRate * 100}% bad, interval ${cell.interval}: within a third of the simulated median`, () => {
      const line = evidenceTimeLines(holdSpec(cell.interval, '30m'), 2 * cell.perArm, cell.badRate)[0] ?? ''
      const planned = clockMs(line)
      const runs = Array.from({ length: 80 }, (_, k) => simulateRun(cell, 424_242 + 7919 * k, 3_600_000, '30m').promotedAtMs ?? Infinity)
      const simulated = median(runs)
      expect(Number.isFinite(planned)).toBe(true)
      expect(planned / simulated).toBeGreaterThanOrEqual(0.75)
      expect(planned / simulated).toBeLessThanOrEqual(1.33)
    })
  }
})
