/**
 * End-to-end `rollout-kernel run --dry-run` (shadow mode) against a real Prometheus started here, which
 * scrapes in-process apps whose canary already gets 25% of the traffic (as if Flagger or Argo moved it:
 * the shadow run applies nothing). Checks the printed decisions, the exit codes (0 promoted, 1 rolled
 * back, 2 Prometheus unreachable, 130 interrupted), the state file and its resume, `status` on the saved
 * state, and, through tmux, the status view redrawn on a terminal.
 */
import { spawn, spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startApp, type FakeApp } from './app.js'
import { findPrometheus, freePort, startPrometheus, waitForScrapes, type PrometheusServer } from './prometheusServer.js'

const ROOT = resolve(__dirname, '../..')
// The built CLI (CI builds before the integration tests) starts in a fraction of tsx's time; without a
// build, the sources run through tsx.
const BUILT = join(ROOT, 'dist/cli.cjs')
const [RUNNER, CLI] = existsSync(BUILT) && process.env['RK_CLI_FROM_SRC'] === undefined ? [process.execPath, BUILT] : [join(ROOT, 'node_modules/.bin/tsx'), join(ROOT, 'src/cli/main.ts')]
const SPEC = join(ROOT, 'test/integration/fixtures/run-canary.yaml')
const QUERIES = join(ROOT, 'test/integration/fixtures/run-queries.yaml')
const bin = findPrometheus()
const hasTmux = spawnSync('tmux', ['-V']).status === 0

interface Ran {
  code: number | null
  stdout: string
  stderr: string
}

/** Runs the CLI as a child process (stdout is a pipe, not a terminal). */
const cli = (args: readonly string[], timeoutMs = 60_000): Promise<Ran> =>
  new Promise((done) => {
    const child = spawn(RUNNER, [CLI, ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (b: Buffer) => void (stdout += b.toString()))
    child.stderr.on('data', (b: Buffer) => void (stderr += b.toString()))
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs)
    child.on('close', (code) => {
      clearTimeout(timer)
      done({ code, stdout, stderr })
    })
  })

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))
const hasStackTrace = (text: string): boolean => /\n\s+at .+[:(]\d+/.test(text)

const describeIf = bin !== undefined ? describe : process.env['CI'] === 'true' ? describe : describe.skip

describeIf.concurrent('run --dry-run against a real Prometheus', () => {
  let prom: PrometheusServer | undefined
  const apps: FakeApp[] = []
  const dir = mkdtempSync(join(tmpdir(), 'rollout-kernel-run-'))

  beforeAll(async () => {
    if (bin === undefined) throw new Error('prometheus binary not found: apt-get install -y prometheus')
    const healthy = await startApp({ rps: 2000, oldVersion: { errorRate: 0.01 }, newVersion: { errorRate: 0.01 } })
    const faulty = await startApp({ rps: 2000, oldVersion: { errorRate: 0.01 }, newVersion: { errorRate: 0.1 } })
    const watched = await startApp({ rps: 2000, oldVersion: { errorRate: 0.01 }, newVersion: { errorRate: 0.01 } })
    for (const a of [healthy, faulty, watched]) {
      a.weight = 25 // another controller moved traffic; the shadow run applies nothing
      apps.push(a)
    }
    prom = await startPrometheus(bin, {
      healthy: `127.0.0.1:${healthy.port}`,
      faulty: `127.0.0.1:${faulty.port}`,
      watched: `127.0.0.1:${watched.port}`,
    })
    await waitForScrapes(prom.address, ['healthy', 'faulty', 'watched'], 3)
  }, 60_000)

  afterAll(async () => {
    await Promise.allSettled(apps.map((a) => a.close()))
    await prom?.stop()
    rmSync(dir, { recursive: true, force: true })
  }, 30_000)

  const address = (): string => (prom as PrometheusServer).address

  it('healthy: one line per decision, would-apply lines, exit 0; status renders the saved state', async () => {
    const state = join(dir, 'healthy.json')
    const r = await cli(['run', SPEC, '--prometheus', address(), '--dry-run', '--queries', QUERIES, '--name', 'healthy', '--state', state, '--render', 'istio'], 120_000)
    expect(r.code, r.stdout + r.stderr).toBe(0)
    expect(hasStackTrace(r.stderr)).toBe(false)
    expect(r.stdout).toContain('shadow mode (--dry-run): nothing is applied')
    expect(r.stdout).toMatch(/would apply: setWeight 25% -> VirtualService healthy: healthy-primary 75, healthy-canary 25/)
    expect(r.stdout).toMatch(/would apply: setWeight 50%/)
    expect(r.stdout).toContain('kind: VirtualService')
    expect(r.stdout).toMatch(/progressing\s+setWeight weight\s+50%\s+checks 0\/2\s+ok: request-success-rate (100|9\d(\.\d+)?), errors RR/)
    expect(r.stdout).toMatch(/promoted v2 after \d+ decisions \(shadow mode: nothing was applied\)/)
    // the apps' routing was never touched
    expect(apps[0]?.weight).toBe(25)
    const saved = JSON.parse(readFileSync(state, 'utf8')) as { kind: string; state: { phase: string }; last: unknown }
    expect(saved.kind).toBe('rollout-kernel/run-state')
    expect(saved.state.phase).toBe('succeeded')
    const s = await cli(['status', state, SPEC])
    expect(s.code, s.stderr).toBe(0)
    expect(s.stdout).toContain('Phase:         succeeded')
    expect(s.stdout).toMatch(/✔\s+1\. setWeight 25%/)
    expect(s.stdout).toMatch(/request-success-rate\s+pass\s+value 9\d(\.\d+)?, bound 95/)
    expect(s.stdout).toMatch(/errors\s+pass\s+relative risk [\d.]+, bound 1\.12\n\s+e-value [\d.]+ \(rollback at 100\), relative risk [\d.]+ \[[\d.]+, [\d.inf]+\] at 99%/)
  }, 150_000)

  it('faulty: --json decision lines, the rollback names metric, value and bound, exit 1; metrics served while it runs', async () => {
    const port = await freePort()
    const running = cli(['run', SPEC, '--prometheus', address(), '--dry-run', '--queries', QUERIES, '--name', 'faulty', '--json', '--metrics-address', `127.0.0.1:${port}`])
    // scrape the run's own metrics endpoint while it drives the rollout
    let scraped = ''
    for (let i = 0; i < 100 && !/rollout_kernel_decisions_total/.test(scraped); i++) {
      await sleep(300)
      scraped = await fetch(`http://127.0.0.1:${port}/metrics`).then((res) => res.text()).catch(() => '')
    }
    const r = await running
    expect(scraped).toContain('# TYPE rollout_kernel_canary_weight gauge')
    expect(scraped).toMatch(/rollout_kernel_phase\{rollout="faulty",namespace="default",phase="(progressing|failed)"\} 1/)
    expect(r.code, r.stdout + r.stderr).toBe(1)
    const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>)
    const decisions = lines.filter((l) => l['type'] === 'decision')
    expect(decisions.length).toBeGreaterThan(1)
    expect(lines.some((l) => l['type'] === 'wouldApply' && (l['action'] as { type: string }).type === 'rollback')).toBe(true)
    const summary = lines.at(-1) as { type: string; phase: string; exit: number; lastFailure: { metric?: string; observed?: number; bound?: number } }
    expect(summary.type).toBe('summary')
    expect(summary.phase).toBe('failed')
    expect(summary.exit).toBe(1)
    expect(['request-success-rate', 'errors']).toContain(summary.lastFailure.metric)
    expect(typeof summary.lastFailure.observed).toBe('number')
    expect(typeof summary.lastFailure.bound).toBe('number')
  }, 90_000)

  it('Prometheus down: one error line, exit 2, no stack trace', async () => {
    const port = await freePort()
    const r = await cli(['run', SPEC, '--prometheus', `http://127.0.0.1:${port}`, '--dry-run', '--queries', QUERIES])
    expect(r.code).toBe(2)
    expect(r.stderr.trim().split('\n')).toHaveLength(1)
    expect(r.stderr).toMatch(new RegExp(`^error: Prometheus at http://127.0.0.1:${port} does not answer: .*ECONNREFUSED`))
    expect(hasStackTrace(r.stderr)).toBe(false)
  }, 30_000)

  it('a query that returns nothing: a one-line warning naming the metric, and the rollout is not promoted on it', async () => {
    const empty = join(dir, 'empty-queries.yaml')
    const { writeFileSync } = await import('node:fs')
    const spec = join(dir, 'no-data-limit-2.yaml')
    writeFileSync(spec, readFileSync(SPEC, 'utf8').replace('threshold: 2\n', 'threshold: 2\n  noDataLimit: 2\n'))
    writeFileSync(empty, 'queries:\n  errors:\n    kind: counts\n    total: sum(increase(no_such_metric_total[{{ interval }}]))\n    bad: vector(0)\n')
    const r = await cli(['run', spec, '--prometheus', address(), '--dry-run', '--queries', empty, '--name', 'healthy'], 60_000)
    expect(r.code, r.stdout + r.stderr).toBe(1)
    expect(r.stdout).toMatch(/rolled back v2: 2 analysis ticks in a row without data reached noDataLimit 2/)
    const warnings = r.stderr.trim().split('\n').filter((l) => l.startsWith('warning:'))
    expect(warnings).toHaveLength(1)
    expect(warnings[0]).toMatch(/^warning: no data for 'errors': no data for the canary total of 'errors' \(empty result or NaN\)/)
    expect(hasStackTrace(r.stderr)).toBe(false)
  }, 90_000)

  ;(hasTmux ? it : it.skip)('on a terminal (tmux): the view is redrawn in place; Ctrl-C saves the state, exit 130; the next run resumes', async () => {
    const state = join(dir, 'watched.json')
    const socket = `rk-${process.pid}`
    const session = 'watch'
    const tmux = (...a: string[]) => spawnSync('tmux', ['-L', socket, ...a], { encoding: 'utf8' })
    const cmd = `${RUNNER} ${CLI} run ${SPEC} --prometheus ${address()} --dry-run --queries ${QUERIES} --name watched --state ${state}; echo EXIT=$?; sleep 120`
    expect(tmux('new-session', '-d', '-s', session, '-x', '120', '-y', '60', cmd).status).toBe(0)
    const pane = () => tmux('capture-pane', '-p', '-t', session).stdout
    try {
      const waitFor = async (re: RegExp, ms: number): Promise<string> => {
        const end = Date.now() + ms
        for (;;) {
          const p = pane()
          if (re.test(p)) return p
          if (Date.now() > end) throw new Error(`timed out waiting for ${String(re)}; pane:\n${p}`)
          await sleep(200)
        }
      }
      // wait for the second weight step: the first analysis has passed
      const view = await waitFor(/Weight:\s+\[█{10}░{10}\]\s+50%/, 40_000)
      expect(view).toContain('Name:          watched')
      expect(view).toContain('Phase:         progressing')
      expect(view).toMatch(/✔\s+1\. setWeight 25%/)
      expect(view).toMatch(/▶\s+4\. analysis 1 interval|▶\s+3\. setWeight 50%/)
      expect(view).toMatch(/·\s+promote/)
      expect(view).toMatch(/request-success-rate\s+pass\s+value 9\d(\.\d+)?, bound 95/)
      expect(view).toMatch(/e-value [\d.]+ \(rollback at 100\), relative risk/)
      expect(view).toMatch(/Next:\s+\d\d:\d\d:\d\dZ \(in \d+(\.\d+)?s\)/)
      expect(view).toMatch(/Awaiting:\s+metrics request-success-rate, errors/)
      // redrawn in place: the header appears once on the screen
      expect(view.match(/Name: {10}watched/g)).toHaveLength(1)
      tmux('send-keys', '-t', session, 'C-c')
      const after = await waitFor(/EXIT=\d+/, 15_000)
      expect(after).toContain('EXIT=130')
      expect(after).toMatch(/interrupted in phase progressing at weight 50%; state saved in .*watched\.json/)
    } finally {
      tmux('kill-server')
    }
    expect(existsSync(state)).toBe(true)
    const resumed = await cli(['run', SPEC, '--prometheus', address(), '--dry-run', '--queries', QUERIES, '--name', 'watched', '--state', state])
    expect(resumed.code, resumed.stdout + resumed.stderr).toBe(0)
    expect(resumed.stdout).toContain(`resuming from ${state}`)
    expect(resumed.stdout).not.toMatch(/would apply: setWeight 25%/)
  }, 120_000)
})
