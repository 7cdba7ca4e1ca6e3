/**
 * Runs the sweep (runner.ts) in a child process and keeps it bounded: a call whose index in the progress file
 * does not move for `hangMs` is a hang, and a process that dies (out of memory, say) is a crash; either way the
 * process is killed, the call is recorded and the sweep starts again with the next one. Used by sweep.test.ts
 * and runnable on its own (`npx tsx test/hostile/sweep/watchdog.ts`, with FC_SEED, HOSTILE_RUNS, ONLY) to print
 * the figures.
 */
import { spawn } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Failure, RunnerInput, RunnerMessage } from './runner.js'

export interface SweepOptions {
  readonly seed: number
  readonly runs: number
  readonly hangMs: number
  readonly asyncMs: number
  readonly only?: readonly string[]
  /** Stop restarting after this many hangs or crashes (each costs a process start). */
  readonly maxRestarts?: number
  /** Called with each failure as it is found. */
  readonly onFailure?: (f: Failure) => void
}

export interface SweepResult {
  readonly cases: number
  readonly functions: number
  readonly calls: number
  readonly failures: readonly Failure[]
  readonly restarts: number
}

type Plan = { cases: number; functions: number; names: readonly (readonly [string, string, string])[] }
interface Run {
  readonly plan?: Plan
  readonly calls: number
  readonly failures: readonly Failure[]
  readonly stopped?: { readonly cursor: number; readonly outcome: 'hang' | 'crashed'; readonly message: string }
}

const runner = fileURLToPath(new URL('./runner.ts', import.meta.url))

const readLines = (file: string): RunnerMessage[] => {
  let text = ''
  try {
    text = readFileSync(file, 'utf8')
  } catch {
    return []
  }
  return text
    .split('\n')
    .filter((l) => l !== '')
    .flatMap((l) => {
      try {
        return [JSON.parse(l) as RunnerMessage]
      } catch {
        return []
      }
    })
}

const cursorOf = (file: string, fallback: number): number => {
  try {
    const n = Number(readFileSync(file, 'utf8').trim())
    return Number.isInteger(n) ? n : fallback
  } catch {
    return fallback
  }
}

const once = (o: SweepOptions, from: number, dir: string): Promise<Run> =>
  new Promise((resolve) => {
    const progressFile = join(dir, `progress-${from}`)
    const resultsFile = join(dir, `results-${from}`)
    writeFileSync(progressFile, String(from).padStart(12))
    writeFileSync(resultsFile, '')
    const input: RunnerInput = { seed: o.seed, runs: o.runs, from, asyncMs: o.asyncMs, progressFile, resultsFile, ...(o.only ? { only: o.only } : {}) }
    const child = spawn(process.execPath, ['--max-old-space-size=768', '--import', 'tsx', runner, JSON.stringify(input)], { stdio: ['ignore', 'ignore', 'pipe'] })
    let stderr = ''
    child.stderr.on('data', (d: Buffer) => {
      if (stderr.length < 4000) stderr += d.toString()
    })
    let last = -1
    let still = 0
    let hang: Run['stopped']
    const tick = setInterval(() => {
      // the clock only starts once the plan is written (loading the library takes a while on a busy machine)
      if (!readFileSync(resultsFile, 'utf8').startsWith('{"type":"plan"')) return
      const c = cursorOf(progressFile, from)
      if (c !== last) {
        last = c
        still = 0
        return
      }
      still += 250
      if (still >= o.hangMs) {
        hang = { cursor: c, outcome: 'hang', message: `no return within ${o.hangMs} ms` }
        child.kill('SIGKILL')
      }
    }, 250)
    child.on('exit', (code) => {
      clearInterval(tick)
      const messages = readLines(resultsFile)
      const plan = messages.find((m): m is Extract<RunnerMessage, { type: 'plan' }> => m.type === 'plan')
      const done = messages.find((m): m is Extract<RunnerMessage, { type: 'done' }> => m.type === 'done')
      const failures = messages.flatMap((m) => (m.type === 'fail' ? [m.failure] : []))
      const cursor = cursorOf(progressFile, from)
      const planned = plan ? { plan: { cases: plan.cases, functions: plan.functions, names: plan.names } } : {}
      if (done !== undefined && code === 0) {
        if (process.env.SWEEP_TIMING) console.log('slowest (ms):', JSON.stringify(done.slowest))
        resolve({ ...planned, calls: done.calls, failures })
      }
      else resolve({ ...planned, calls: cursor - from + 1, failures, stopped: hang ?? { cursor, outcome: 'crashed', message: `the process exited (${code}): ${stderr.trim().split('\n').slice(-3).join(' ').slice(0, 300)}` } })
    })
  })

/** Runs every case once, restarting after each hang or crash. */
export const sweep = async (o: SweepOptions): Promise<SweepResult> => {
  const dir = mkdtempSync(join(tmpdir(), 'hostile-sweep-'))
  const failures: Failure[] = []
  let from = 0
  let calls = 0
  let restarts = 0
  let plan: Plan = { cases: 0, functions: 0, names: [] }
  try {
    for (;;) {
      const r = await once(o, from, dir)
      if (r.plan) plan = r.plan
      calls += r.calls
      for (const f of r.failures) {
        failures.push(f)
        o.onFailure?.(f)
      }
      if (r.stopped === undefined) break
      const [entry, fn, label] = plan.names[r.stopped.cursor] ?? ['?', '?', '?']
      const stop: Failure = { cursor: r.stopped.cursor, entry, fn, input: label, outcome: r.stopped.outcome, message: r.stopped.message }
      failures.push(stop)
      o.onFailure?.(stop)
      if (plan.cases === 0) break
      from = r.stopped.cursor + 1
      restarts++
      if (restarts > (o.maxRestarts ?? 20) || from >= plan.cases) break
    }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
  return { cases: plan.cases, functions: plan.functions, calls, failures, restarts }
}

/** One line per function that failed: how many of its calls failed, how, and the first input. */
export const summarise = (failures: readonly Failure[]): string[] => {
  const by = new Map<string, Failure[]>()
  for (const f of failures) {
    const k = `${f.entry}.${f.fn}`
    by.set(k, [...(by.get(k) ?? []), f])
  }
  return [...by.entries()].map(([k, fs]) => `${k}: ${fs.length} x ${[...new Set(fs.map((f) => f.outcome))].join('/')}; first: ${fs[0]!.input.slice(0, 160)} -> ${fs[0]!.message.slice(0, 160)}`)
}

if (process.argv[1]?.endsWith('watchdog.ts')) {
  const seed = Number(process.env.FC_SEED ?? 20261126)
  const runs = Number(process.env.HOSTILE_RUNS ?? 10)
  const only = process.env.ONLY ? process.env.ONLY.split(',') : undefined
  const t = Date.now()
  const seen = new Set<string>()
  const r = await sweep({
    seed,
    runs,
    hangMs: Number(process.env.HANG_MS ?? 5000),
    asyncMs: 2000,
    ...(only ? { only } : {}),
    maxRestarts: 200,
    onFailure: (f) => {
      const k = `${f.entry}.${f.fn}`
      if (f.outcome === 'hang' || f.outcome === 'crashed' || !seen.has(k)) console.log(`  [${f.cursor}] ${k} ${f.outcome}: ${f.input.slice(0, 120)} -> ${f.message.slice(0, 160)}`)
      seen.add(k)
    },
  })
  console.log(`seed ${seed}, runs ${runs}: ${r.functions} functions, ${r.cases} cases, ${r.calls} calls, ${r.failures.length} failures, ${r.restarts} restarts, ${Date.now() - t} ms`)
  for (const line of summarise(r.failures)) console.log(line)
}
