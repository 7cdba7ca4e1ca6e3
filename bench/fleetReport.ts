/**
 * Markdown tables of a fleet-benchmark summary (bench/fleet.ts `--json`): `npx tsx bench/fleetReport.ts file`.
 *
 * @module
 */
import { readFileSync } from 'node:fs'
import type { FleetSummary } from './fleet.js'
import { FLEET_CELLS } from './fleet.js'

const pct = (x: number): string => `${(100 * x).toFixed(x < 0.1 ? 2 : 1)}%`
const mins = (x: number): string => (Number.isFinite(x) ? x.toFixed(1) : '>60')
const LABEL: Record<string, string> = {
  default: 'sequential (this release)',
  shipped: 'sequential (first release)',
  netflix: 'Netflix-style (exact equality)',
  'default+detect': 'this release + ruleOut(detect 2) guard',
}

/**
 * The tables, as markdown lines.
 *
 * @example
 * ```ts
 * fleetTables([])
 * ```
 */
export const fleetTables = (rows: readonly FleetSummary[]): string[] => {
  const get = (cell: string, m: string): FleetSummary | undefined => rows.find((r) => r.cell === cell && r.method === m)
  const out: string[] = []
  const methods = ['default', 'shipped', 'netflix']
  out.push('| healthy canary, 60 min | ' + methods.map((m) => LABEL[m]).join(' | ') + ' |', '|---|' + methods.map(() => '---|').join(''))
  for (const c of FLEET_CELLS.filter((x) => x.h0 && !x.stepped)) {
    out.push(`| ${c.label} | ` + methods.map((m) => { const s = get(c.id, m); return s ? `${pct(s.rollbackRate)} [${pct(s.ci[0])}-${pct(s.ci[1])}] (n=${s.runs})` : 'n/a' }).join(' | ') + ' |')
  }
  out.push('', '| regression: caught within 60 min; median / p90 minutes from its onset | ' + methods.map((m) => LABEL[m]).join(' | ') + ' |', '|---|' + methods.map(() => '---|').join(''))
  for (const c of FLEET_CELLS.filter((x) => !x.h0 && !x.stepped)) {
    out.push(`| ${c.label} | ` + methods.map((m) => { const s = get(c.id, m); return s ? `${pct(s.rollbackRate)}; ${mins(s.delayMedianMin)} / ${mins(s.delayP90Min)} (n=${s.runs})` : 'n/a' }).join(' | ') + ' |')
  }
  const sm = ['default', 'default+detect', 'shipped']
  out.push('', '| README-style stepped canary | ' + sm.map((m) => LABEL[m]).join(' | ') + ' |', '|---|' + sm.map(() => '---|').join(''))
  for (const c of FLEET_CELLS.filter((x) => x.stepped)) {
    out.push(`| ${c.label} | ` + sm.map((m) => {
      const s = get(c.id, m)
      if (!s) return 'n/a'
      return c.h0 ? `promoted ${pct(s.promotes / s.runs)}, median / p90 ${mins(s.promoteMedianMin)} / ${mins(s.promoteP90Min)} min; rolled back ${pct(s.rollbackRate)} (n=${s.runs})` : `PROMOTED ${pct(s.promotes / s.runs)}; rolled back ${pct(s.rollbackRate)}, median ${mins(s.delayMedianMin)} min (n=${s.runs})`
    }).join(' | ') + ' |')
  }
  return out
}

if (process.argv[1]?.endsWith('fleetReport.ts')) {
  const file = process.argv[2] ?? '.tmp/fleet.json'
  console.log(fleetTables(JSON.parse(readFileSync(file, 'utf8')) as FleetSummary[]).join('\n'))
}
