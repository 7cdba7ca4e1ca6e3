/**
 * The full calibration of the sequential judge (not part of CI; the seconds-scale version with the same
 * simulator is test/analysis/sequential.calibration.test.ts): 2,000 seeded runs per cell, an hour of 10-s
 * windows each, checked at every window, the canary's share drawn per window. Prints each cell's rate with
 * its 95% Wilson interval and whether it is within the bound the cell states.
 *
 * `npx tsx bench/sequential-calibration.ts [runs]`
 *
 * @module
 */
import { rates, simulateRun, type SimOutcome } from '../test/analysis/sequentialSim.js'
import { wilson } from './stats.js'

interface Cell {
  readonly label: string
  readonly seed: number
  readonly run: (seed: number) => SimOutcome
  /** What is measured: false rollbacks, false early passes, or detections (with the median window). */
  readonly measure: 'fails' | 'passes' | 'detected'
  /** The bound the rate must stay at or below ('detected': at or above). */
  readonly bound: number
}

const CELLS: readonly Cell[] = [
  { label: 'equal rates, tolerance 1 (least favourable null), false rollbacks', seed: 10_000, run: (s) => simulateRun(s, 1, 0.01, 0.01, 2000), measure: 'fails', bound: 0.01 },
  { label: 'canary at exactly the tolerance (1.12), false rollbacks', seed: 20_000, run: (s) => simulateRun(s, 1.12, 0.0112, 0.01, 2000), measure: 'fails', bound: 0.01 },
  { label: 'canary at exactly the tolerance (1.12), false early passes', seed: 20_000, run: (s) => simulateRun(s, 1.12, 0.0112, 0.01, 2000), measure: 'passes', bound: 0.01 },
  { label: 'equal rates, tolerance 1, alpha 0.1, false rollbacks', seed: 25_000, run: (s) => simulateRun(s, 1, 0.01, 0.01, 2000, { alpha: 0.1 }), measure: 'fails', bound: 0.1 },
  { label: 'equal rates at the default tolerance, false rollbacks', seed: 30_000, run: (s) => simulateRun(s, 1.12, 0.01, 0.01, 2000), measure: 'fails', bound: 0.002 },
  { label: 'retried-error clusters (mean 3), equal split, false rollbacks (outside the model)', seed: 60_000, run: (s) => simulateRun(s, 1.12, 0.01, 0.01, 200, { cluster: true, share: 0.5 }), measure: 'fails', bound: 0.03 },
  { label: '1% -> 5% at 200 requests per window, detected', seed: 40_000, run: (s) => simulateRun(s, 1.12, 0.05, 0.01, 200), measure: 'detected', bound: 0.95 },
]

const main = (): void => {
  const runs = Number(process.argv[2] ?? 2000)
  for (const c of CELLS) {
    const t0 = performance.now()
    const r = rates(c.seed, runs, c.run)
    const k = c.measure === 'passes' ? r.passes : r.fails
    const [lo, hi] = wilson(k, runs)
    const rate = k / runs
    const ok = c.measure === 'detected' ? rate >= c.bound : rate <= c.bound
    const at = [...r.failedAt].sort((a, b) => a - b)
    const med = c.measure === 'detected' && at.length > 0 ? `, median window ${String(at[Math.floor(at.length / 2)])}` : ''
    console.log(
      `${c.label}: ${(100 * rate).toFixed(2)}% [${(100 * lo).toFixed(2)}%-${(100 * hi).toFixed(2)}%] (n=${String(runs)}${med}); bound ${c.measure === 'detected' ? '>=' : '<='} ${(100 * c.bound).toFixed(1)}% ${ok ? 'met' : 'NOT MET'} (${((performance.now() - t0) / 1000).toFixed(1)} s)`,
    )
  }
}

main()
