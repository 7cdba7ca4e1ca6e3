/**
 * In-process `run`: a fake clock, a stub Prometheus (fetch) that answers the fixtures' queries from a
 * small model of a canary and a primary, captured output and files. No process, no network, no waiting.
 */
import { readFileSync } from 'node:fs'
import { fakeClock } from '../../src/driver/clock.js'
import type { CliIo } from '../../src/cli/io.js'
import { runRollout, type RunEnv, type RunOptions } from '../../src/cli/run.js'
import type { FetchLike } from '../../src/prometheus/client.js'

export interface StubProm {
  /** Canary error share (0..1); the primary's is 1%. */
  canaryErrors: number
  /** When true, every request fails (connection refused). */
  down: boolean
  /** Queries received. */
  readonly queries: string[]
}

export const stubProm = (canaryErrors = 0.01): StubProm & { fetch: FetchLike } => {
  const p: StubProm = { canaryErrors, down: false, queries: [] }
  const fetch: FetchLike = async (_url, init) => {
    if (p.down) throw Object.assign(new TypeError('fetch failed'), { cause: { code: 'ECONNREFUSED' } })
    const form = new URLSearchParams(init.body)
    const q = form.get('query') ?? ''
    const t = Number(form.get('time') ?? '0')
    p.queries.push(q)
    const arm = /arm="canary"/.test(q) ? 'canary' : 'primary'
    const rate = arm === 'canary' ? p.canaryErrors : 0.01
    let v: number
    if (q === 'vector(1)') v = 1
    else if (/\* 100$/.test(q.trim())) v = 100 * (1 - p.canaryErrors)
    else if (/code="500"/.test(q)) v = Math.round((arm === 'canary' ? 1000 : 3000) * rate)
    else v = arm === 'canary' ? 1000 : 3000
    const body = { status: 'success', data: { resultType: 'vector', result: [{ metric: {}, value: [t, String(v)] }] } }
    return new Response(JSON.stringify(body), { status: 200, headers: { 'content-type': 'application/json' } })
  }
  return Object.assign(p, { fetch })
}

export interface InProcessRun {
  code: number
  stdout: string
  stderr: string
  files: Map<string, string>
}

export const runInProcess = async (
  options: Partial<RunOptions> & { file: string },
  prom: { fetch: FetchLike },
  extra: { files?: Map<string, string>; isTTY?: boolean; onDecision?: (interrupt: () => void, stdout: string) => void } = {},
): Promise<InProcessRun> => {
  let stdout = ''
  let stderr = ''
  const files = extra.files ?? new Map<string, string>()
  let interrupt: () => void = () => undefined
  const io: CliIo = {
    stdout: (s) => {
      stdout += s
      extra.onDecision?.(interrupt, stdout)
    },
    stderr: (s) => void (stderr += s),
    readFile: (p) => {
      const mem = files.get(p)
      if (mem !== undefined) return mem
      return readFileSync(p, 'utf8')
    },
    writeFile: (p, text) => void files.set(p, text),
  }
  const env: RunEnv = {
    clock: fakeClock(Date.parse('2026-03-01T12:00:00Z')),
    fetch: prom.fetch,
    isTTY: extra.isTTY ?? false,
    onInterrupt: (h) => {
      interrupt = h
      return () => undefined
    },
    writeFileAtomic: (p, text) => void files.set(p, text),
  }
  const code = await runRollout({ prometheus: 'http://prom.test:9090', dryRun: true, json: false, templates: [], ...options }, io, env)
  return { code, stdout, stderr, files }
}
