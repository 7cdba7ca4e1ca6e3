/**
 * "Never throws" for every export of every entry (issue 15): each function export of each package entry is
 * called with no arguments, with 1-3 hostile values (throwing getters, throwing and revoked Proxies,
 * null-prototype throwables, huge / tiny / NaN numbers, long strings, lists of length 2^32-1, sparse lists,
 * cyclic objects, functions, symbols, bigints), and with a hostile value planted inside each argument
 * of a valid call. Every call must return (or settle) by its rule in test/hostile/sweep/catalogue.ts; a call
 * that does not return within the bound is killed and reported as a hang, never a stuck run.
 *
 * Seeded: FC_SEED (CI uses a fixed seed; locally each run draws one and prints it). HOSTILE_RUNS sets the
 * number of hostile inputs per shape (default 4: about 4,000 calls). docs/totality.md says what each kind of
 * export returns for hostile input.
 */
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { CATALOGUE, ENTRIES, type EntryName } from './sweep/catalogue.js'
import { sweep, summarise, type SweepResult } from './sweep/watchdog.js'

const SEED = process.env.FC_SEED !== undefined ? Number(process.env.FC_SEED) : process.env.CI ? 20261126 : Math.floor(Math.random() * 2 ** 31)
const RUNS = Number(process.env.HOSTILE_RUNS ?? 4)

/** The function exports an API report lists: `// name (function)`, or `// name (const)` whose type is a function type. */
const reportedFunctions = (entry: EntryName): string[] => {
  const lines = readFileSync(new URL(`../../etc/api/${entry}.d.ts`, import.meta.url), 'utf8').split('\n')
  const out: string[] = []
  lines.forEach((line, i) => {
    const m = /^\/\/ (\w+) \((const|function)\)$/.exec(line)
    if (m === null) return
    const decl = lines[i + 1] ?? ''
    if (m[2] === 'function' || new RegExp(`^export declare const ${m[1]}: (<|\\()`).test(decl)) out.push(m[1]!)
  })
  return out.sort()
}

const functionExports = (entry: EntryName): string[] =>
  Object.entries(ENTRIES[entry])
    .filter(([, v]) => typeof v === 'function')
    .map(([k]) => k)
    .sort()

describe('the sweep covers every function export (issue 15)', () => {
  for (const entry of Object.keys(ENTRIES) as EntryName[]) {
    it(`${entry}: the catalogue, the entry's exports and etc/api/${entry}.d.ts list the same functions`, () => {
      const catalogued = Object.keys(CATALOGUE[entry]).sort()
      expect(catalogued).toEqual(functionExports(entry))
      expect(catalogued).toEqual(reportedFunctions(entry))
    })
  }
})

describe(`hostile sweep over every export (issue 15; seed ${SEED}, ${RUNS} runs per shape)`, () => {
  let result: SweepResult | undefined
  const run = async (): Promise<SweepResult> => (result ??= await sweep({ seed: SEED, runs: RUNS, hangMs: 8_000, asyncMs: 3_000, maxRestarts: 10 }))

  it('every call returns by its rule: no throw, no rejection, no hang, no crash, no mutated input', async () => {
    const r = await run()
    expect(r.cases).toBeGreaterThan(0)
    expect(r.functions).toBeGreaterThan(100)
    expect(summarise(r.failures), `replay with FC_SEED=${SEED} HOSTILE_RUNS=${RUNS} npx tsx test/hostile/sweep/watchdog.ts`).toEqual([])
    expect(r.calls).toBe(r.cases)
  }, 240_000)
})
