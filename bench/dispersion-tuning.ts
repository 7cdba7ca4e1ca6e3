/**
 * Tuning runs of the judge's dispersion estimate (issue 12, false-rollback targets): the fleet cells the estimate
 * moves, for the default judge only, in one process, each cell named exactly (bench/fleet.ts matches substrings).
 *
 * `npx tsx bench/dispersion-tuning.ts [runsH0] [runsH1] [cells]` (defaults 2000 / 500; cells: comma-separated
 * exact ids, or `h0` / `h1` / `all` for the healthy, regression or all split-traffic cells of the targets).
 * The stepped cells run through the engine (slower): ask for them by id (`st-h0-10,st-2x-10`).
 *
 * @module
 */
import { FLEET_CELLS, runCell } from './fleet.js'
import { FLEET_METHODS } from './fleetMethods.js'

const H0 = ['h0-clusters-10', 'h0-bursts-100', 'h0-nb-100', 'h0-three-100', 'h0-plain-10', 'h0-plain-100', 'h0-plain-1000', 'h0-low-0.5', 'h0-het10-100']
const H1 = ['h1-2x-10', 'h1-5x-10', 'h1-2x-late-10', 'h1-2x-100', 'h1-1.2x-1000', 'h1-2x-three-100', 'h1-2x-clusters-10']

const main = (): void => {
  const args = process.argv.slice(2)
  const runsH0 = Number(args[0] ?? 2000)
  const runsH1 = Number(args[1] ?? 500)
  const which = args[2] ?? 'all'
  const ids = which === 'all' ? [...H0, ...H1] : which === 'h0' ? H0 : which === 'h1' ? H1 : which.split(',')
  const method = FLEET_METHODS.find((m) => m.id === 'default')
  if (method === undefined) return
  for (const id of ids) {
    const cell = FLEET_CELLS.find((c) => c.id === id)
    if (cell === undefined) {
      console.log(`${id}: no such cell`)
      continue
    }
    for (const guarded of cell.stepped === true ? [false, true] : [false]) {
      const s = runCell(cell, method, cell.h0 ? runsH0 : runsH1, 12, guarded)
      const pct = (x: number): string => `${(100 * x).toFixed(2)}%`
      const min = (x: number): string => (Number.isFinite(x) ? x.toFixed(2) : '>60')
      const within = s.withinRuns > 0 ? s.withinRollbacks / s.withinRuns : 0
      console.log(
        `${(id + (guarded ? '+detect' : '')).padEnd(22)} n=${String(s.runs).padEnd(5)} rollbacks ${pct(s.rollbackRate).padStart(7)} ` +
          `(within tol ${pct(within)}) delay ${min(s.delayMedianMin)}/${min(s.delayP90Min)} promoted ${pct(s.promotes / s.runs)} ` +
          `promote ${min(s.promoteMedianMin)}/${min(s.promoteP90Min)}`,
      )
    }
  }
}

main()
