/**
 * The sweep, run in a child process so that a call that never returns can be stopped (a worker thread cannot
 * be: `filter` or `sort` over a list of 2^32-1 holes ignores `terminate()`). Before each call the runner
 * writes the call's index to the progress file; the watchdog kills the process when that index stops moving,
 * records a hang for that call and starts again after it. Failures are appended to the results file as they
 * happen, so a killed run loses none.
 *
 * Every call is derived from (seed, entry, function, case number) alone, so a restart, a replay with
 * FC_SEED and a run in CI see the same inputs.
 */
import { appendFileSync, openSync, writeSync } from 'node:fs'
import fc from 'fast-check'
import { hostileValue, hostileWithin, type Hostile } from '../../../src/testing/hostile.js'
import { CATALOGUE, ENTRIES, type EntryName, type Rule } from './catalogue.js'

export interface RunnerInput {
  readonly seed: number
  readonly runs: number
  readonly from: number
  readonly asyncMs: number
  readonly progressFile: string
  readonly resultsFile: string
  readonly only?: readonly string[]
}

export interface Failure {
  readonly cursor: number
  readonly entry: string
  readonly fn: string
  readonly input: string
  readonly outcome: 'threw' | 'rejected' | 'unsettled' | 'mutated' | 'hang' | 'crashed' | 'unhandled'
  readonly message: string
}

export type RunnerMessage =
  | { readonly type: 'plan'; readonly cases: number; readonly functions: number; readonly names: readonly (readonly [string, string, string])[] }
  | { readonly type: 'fail'; readonly failure: Failure }
  | { readonly type: 'done'; readonly calls: number; readonly slowest: readonly (readonly [string, number])[] }

interface CallCase {
  readonly entry: EntryName
  readonly fn: string
  readonly rule: Rule
  readonly input: string
  readonly args: () => unknown[]
  readonly valid: boolean
}

const input = JSON.parse(process.argv[2] ?? '{}') as RunnerInput
const progress = openSync(input.progressFile, 'w')
const post = (m: RunnerMessage): void => appendFileSync(input.resultsFile, `${JSON.stringify(m)}\n`)
const mark = (i: number): void => {
  writeSync(progress, `${String(i).padStart(12)}`, 0)
}

/** A 32-bit hash of the text (FNV-1a), to derive one seed per function from the sweep's seed. */
const hash = (text: string): number => {
  let h = 0x811c9dc5
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193)
  return h >>> 0
}

const safe = (f: () => string): string => {
  try {
    return f()
  } catch {
    return 'a value that cannot be printed'
  }
}
const messageOf = (e: unknown): string =>
  safe(() => (e instanceof Error ? `${e.name}: ${String(e.message).slice(0, 200)}` : typeof e === 'string' ? e.slice(0, 200) : `a thrown ${typeof e}`))
const readableError = (e: unknown): boolean => {
  try {
    return e instanceof Error && typeof e.message === 'string'
  } catch {
    return false
  }
}
const json = (v: unknown): string => safe(() => JSON.stringify(v, (_k, x: unknown) => (typeof x === 'bigint' ? `${x}n` : x)) ?? 'undefined')

const cases = (): CallCase[] => {
  const out: CallCase[] = []
  for (const entry of Object.keys(CATALOGUE) as EntryName[]) {
    if (input.only !== undefined && !input.only.includes(entry)) continue
    for (const [fn, c] of Object.entries(CATALOGUE[entry])) {
      if (c.rule === 'skip') continue
      const seed = hash(`${input.seed}/${entry}/${fn}`)
      const add = (label: string, args: () => unknown[], valid = false) => out.push({ entry, fn, rule: c.rule, input: label, args, valid: valid && c.mutates !== true })
      const valid = c.valid()
      add('no arguments', () => [])
      add('valid arguments', () => [...c.valid()], true)
      for (const n of [1, 2, 3]) {
        const boxes = fc.sample(fc.array(hostileValue(), { minLength: n, maxLength: n }), { seed: seed + n, numRuns: input.runs })
        for (const b of boxes) add(`(${b.map((h) => h.label).join(', ')})`, () => b.map((h) => h.make()))
      }
      valid.forEach((v, i) => {
        const boxes = fc.sample(hostileWithin(v), { seed: seed + 10 + i, numRuns: input.runs })
        for (const h of boxes as Hostile[])
          add(`argument ${i}: ${h.label}`, () => {
            const args = [...c.valid()]
            args[i] = h.make()
            return args
          })
      })
    }
  }
  return out
}

const settle = async (p: unknown): Promise<{ state: 'resolved' | 'rejected' | 'unsettled'; error?: unknown }> => {
  let timer: ReturnType<typeof setTimeout> | undefined
  const timeout = new Promise<{ state: 'unsettled' }>((resolve) => {
    timer = setTimeout(() => resolve({ state: 'unsettled' }), input.asyncMs)
  })
  try {
    return await Promise.race([
      Promise.resolve(p).then(
        () => ({ state: 'resolved' as const }),
        (error: unknown) => ({ state: 'rejected' as const, error }),
      ),
      timeout,
    ])
  } finally {
    clearTimeout(timer)
  }
}

const isThenable = (v: unknown): boolean => {
  try {
    return typeof v === 'object' && v !== null && typeof (v as { then?: unknown }).then === 'function'
  } catch {
    return false
  }
}

let current: CallCase | undefined
let cursor = 0
const fail = (c: CallCase, outcome: Failure['outcome'], message: string): void =>
  post({ type: 'fail', failure: { cursor, entry: c.entry, fn: c.fn, input: c.input, outcome, message } })

process.on('unhandledRejection', (reason) => {
  if (current !== undefined) fail(current, 'unhandled', `an unhandled rejection escaped: ${messageOf(reason)}`)
})

const run = async (): Promise<void> => {
  const all = cases()
  post({ type: 'plan', cases: all.length, functions: new Set(all.map((c) => `${c.entry}.${c.fn}`)).size, names: all.map((c) => [c.entry, c.fn, c.input.slice(0, 300)] as const) })
  let calls = 0
  const spent = new Map<string, number>()
  for (cursor = input.from; cursor < all.length; cursor++) {
    const c = all[cursor]!
    current = c
    mark(cursor)
    const f = (ENTRIES[c.entry] as Record<string, unknown>)[c.fn] as (...a: unknown[]) => unknown
    const t0 = performance.now()
    const key = `${c.entry}.${c.fn}`
    const args = c.args()
    const before = c.valid ? json(args) : ''
    calls++
    let result: unknown
    try {
      result = f(...args)
    } catch (e) {
      if (c.rule === 'throwsReadable' && readableError(e)) continue
      fail(c, 'threw', messageOf(e))
      continue
    }
    if (c.rule === 'settles' || c.rule === 'rejects' || isThenable(result)) {
      const s = await settle(result)
      if (s.state === 'unsettled') fail(c, 'unsettled', `the promise did not settle within ${input.asyncMs} ms`)
      else if (s.state === 'rejected' && !(c.rule === 'rejects' && readableError(s.error))) fail(c, 'rejected', messageOf(s.error))
    }
    if (c.valid && json(args) !== before) fail(c, 'mutated', 'a valid argument changed during the call')
    spent.set(key, (spent.get(key) ?? 0) + performance.now() - t0)
  }
  current = undefined
  const slowest = [...spent.entries()].sort((a, b) => b[1] - a[1]).slice(0, 8).map(([k, ms]) => [k, Math.round(ms)] as const)
  post({ type: 'done', calls, slowest })
}

await run()
process.exit(0)
