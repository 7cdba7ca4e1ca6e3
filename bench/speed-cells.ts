/**
 * Detection-speed cells beside the fleet benchmark (issue 12, speed targets): the regressions bench/fleet.ts does
 * not run (1.5x and 3x from the start, 2x from minutes 5 and 40, 5x from minute 20) and the fleet cells themselves,
 * for the default judge, the Netflix-style test, and the same judge at a smaller tolerance (1 = the exact equality
 * the Netflix-style test uses), to separate what the tolerance costs from what the judge costs.
 * Figures: docs/sequential.md "Detection speed: variants measured".
 *
 * `npx tsx bench/speed-cells.ts [runsH0] [runsH1] [filter] [method]` (defaults 2000 / 500; filter: substrings of
 * cell ids, comma-separated; method: `default`, `netflix`, `shipped` or `tol=<number>`, default `default`).
 *
 * @module
 */
import type { SequentialJudgeSpec } from '../src/config/spec.js'
import { judgeSequential } from '../src/analysis/sequential.js'
import type { FleetCell } from './fleet.js'
import { FLEET_CELLS, runCell } from './fleet.js'
import type { FleetMethod, MetricJudge } from './fleetMethods.js'
import { FLEET_METHODS } from './fleetMethods.js'

const MIN = 60_000
const HET = 0.05

/**
 * The extra regression cells (equal split, 10 or 100 req/s/arm, heterogeneity as in bench/fleet.ts).
 *
 * @example
 * ```ts
 * SPEED_CELLS.map((c) => c.id)
 * ```
 */
export const SPEED_CELLS: readonly FleetCell[] = [
  { id: 'h1-1.5x-10', label: '1% -> 1.5% @ 10', h0: false, condition: { rate: 10, hetSd: HET, metrics: 1, multiplier: 1.5 } },
  { id: 'h1-1.5x-100', label: '1% -> 1.5% @ 100', h0: false, condition: { rate: 100, hetSd: HET, metrics: 1, multiplier: 1.5 } },
  { id: 'h1-3x-10', label: '1% -> 3% @ 10', h0: false, condition: { rate: 10, hetSd: HET, metrics: 1, multiplier: 3 } },
  { id: 'h1-2x-late5-10', label: '1% -> 2% from minute 5 @ 10', h0: false, condition: { rate: 10, hetSd: HET, metrics: 1, multiplier: 2, onsetMs: 5 * MIN } },
  { id: 'h1-2x-late40-10', label: '1% -> 2% from minute 40 @ 10', h0: false, condition: { rate: 10, hetSd: HET, metrics: 1, multiplier: 2, onsetMs: 40 * MIN } },
  { id: 'h1-5x-late-10', label: '1% -> 5% from minute 20 @ 10', h0: false, condition: { rate: 10, hetSd: HET, metrics: 1, multiplier: 5, onsetMs: 20 * MIN } },
]

/**
 * The project's judge at another tolerance (alpha split over the rollout's metrics, as the default method).
 *
 * @example
 * ```ts
 * atTolerance(1).make(1, false).window(100, 1, 100, 1, 0, 10_000) // 'pass'
 * ```
 */
export const atTolerance = (tolerance: number): FleetMethod => ({
  id: `tol=${String(tolerance)}`,
  label: `sequential at tolerance ${String(tolerance)}`,
  make: (metrics: number): MetricJudge => {
    const spec: SequentialJudgeSpec = { kind: 'sequential', alpha: 0.01 / metrics, tolerance, earlyPass: false, minBadEvents: 0 }
    let state: unknown = null
    return {
      window: (ct, cb, pt, pb, from, to) => {
        if (ct + pt === 0) return 'pass'
        const j = judgeSequential('m', spec, state, { kind: 'counts', metric: 'm', window: { from, to }, canary: { total: ct, bad: cb }, primary: { total: pt, bad: pb } })
        state = j.judgeState
        return j.verdict === 'fail' ? 'fail' : 'pass'
      },
      state: () => state,
    }
  },
})

const pct = (x: number): string => `${(100 * x).toFixed(2)}%`
const mins = (x: number): string => (Number.isFinite(x) ? x.toFixed(2) : '>60')

const main = (): void => {
  const [h0 = '2000', h1 = '500', filter = '', methodId = 'default'] = process.argv.slice(2)
  const method = methodId.startsWith('tol=') ? atTolerance(Number(methodId.slice(4))) : FLEET_METHODS.find((m) => m.id === methodId)
  if (method === undefined) throw new Error(`unknown method ${methodId}`)
  const wanted = filter === '' ? [''] : filter.split(',')
  for (const cell of [...FLEET_CELLS, ...SPEED_CELLS]) {
    if (cell.stepped === true || !wanted.some((f) => cell.id.includes(f))) continue
    const s = runCell(cell, method, Number(cell.h0 ? h0 : h1), 12)
    console.log(
      `${cell.id.padEnd(18)} ${method.id.padEnd(9)} n=${s.runs} rollbacks ${pct(s.rollbackRate)} (within tolerance ${pct(s.withinRuns > 0 ? s.withinRollbacks / s.withinRuns : 0)})` +
        ` delay median ${mins(s.delayMedianMin)} p90 ${mins(s.delayP90Min)}`,
    )
  }
}

if (process.argv[1]?.endsWith('speed-cells.ts')) main()
