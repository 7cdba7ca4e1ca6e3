import { describe, expect, it } from 'vitest'
import { runCli, hasStackTrace } from './harness.js'
import { runInProcess, stubProm } from './runHarness.js'

const SPEC = 'test/integration/fixtures/run-canary.yaml'
const QUERIES = 'test/integration/fixtures/run-queries.yaml'
const STATE = '/nonexistent-rk-dir/state.json'

describe('run (in process, fake clock, stub Prometheus)', () => {
  it('healthy canary: one line per decision, would-apply lines, exit 0, the state file saved', async () => {
    const r = await runInProcess({ file: SPEC, queries: QUERIES, state: STATE, render: 'istio' }, stubProm(0.01))
    expect(r.code, r.stdout + r.stderr).toBe(0)
    expect(r.stderr).toBe('')
    expect(r.stdout).toContain('shadow mode (--dry-run): nothing is applied')
    expect(r.stdout).toContain('would apply: setWeight 25% -> VirtualService podinfo: podinfo-primary 75, podinfo-canary 25')
    expect(r.stdout).toContain('kind: VirtualService')
    expect(r.stdout).toMatch(/^00:03 progressing\s+setWeight weight\s+50%\s+checks 0\/2\s+ok: request-success-rate 99, errors RR 1/m)
    expect(r.stdout).toMatch(/promoted v2 after \d+ decisions \(shadow mode: nothing was applied\)\n$/)
    const saved = JSON.parse(r.files.get(STATE) ?? '{}') as { kind: string; state: { phase: string }; last: { action: { type: string } }; verdicts: Record<string, unknown> }
    expect(saved.kind).toBe('rollout-kernel/run-state')
    expect(saved.state.phase).toBe('succeeded')
    expect(Object.keys(saved.verdicts).sort()).toEqual(['errors', 'request-success-rate'])
  })

  it('faulty canary: rolled back, exit 1, the last line names metric, value and bound', async () => {
    const r = await runInProcess({ file: SPEC, queries: QUERIES }, stubProm(0.1))
    expect(r.code, r.stdout).toBe(1)
    const last = r.stdout.trim().split('\n').at(-1) ?? ''
    expect(last).toMatch(/^rolled back v2: .*\[metric (request-success-rate|errors), value [\d.]+, bound [\d.]+\]$/)
    expect(r.stdout).toContain('would apply: rollback v2')
  })

  it('--json: decision, wouldApply and summary lines, all JSON', async () => {
    const r = await runInProcess({ file: SPEC, queries: QUERIES, json: true }, stubProm(0.1))
    expect(r.code).toBe(1)
    const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as { type: string })
    expect(new Set(lines.map((l) => l.type))).toEqual(new Set(['decision', 'wouldApply', 'summary']))
    expect(lines.at(-1)).toMatchObject({ type: 'summary', phase: 'failed', exit: 1 })
  })

  it('Prometheus down: one error line, exit 2', async () => {
    const prom = stubProm()
    prom.down = true
    const r = await runInProcess({ file: SPEC, queries: QUERIES }, prom)
    expect(r.code).toBe(2)
    expect(r.stderr).toMatch(/^error: Prometheus at http:\/\/prom\.test:9090 does not answer: failed: fetch failed \(ECONNREFUSED\)\n$/)
    expect(r.stdout).toBe('')
  })

  it('Prometheus going down mid-run: a warning once per metric, then the no-data limit rolls back (exit 1)', async () => {
    const prom = stubProm()
    let decisions = 0
    const r = await runInProcess({ file: SPEC, queries: QUERIES }, prom, {
      onDecision: (_i, out) => {
        decisions = out.split('\n').filter((l) => /^\d\d:\d\d /.test(l)).length
        if (decisions >= 2) prom.down = true
      },
    })
    expect(r.code, r.stdout).toBe(1)
    expect(r.stderr.trim().split('\n').filter((l) => l.startsWith('warning: no data for'))).toHaveLength(2)
    expect(r.stdout).toMatch(/rolled back v2: 10 analysis ticks in a row without data reached noDataLimit 10/)
    expect(r.stdout).toMatch(/^00:06 progressing\s+hold\s+weight\s+50%\s+checks 0\/2\s+no data: request-success-rate, errors; no usable data \(1\/10 towards rollback\)/m)
  })

  it('a metric without a query is a configuration error naming it (exit 2)', async () => {
    const r = await runInProcess({ file: SPEC }, stubProm())
    expect(r.code).toBe(2)
    expect(r.stderr).toMatch(/^error: no Prometheus query for metric 'errors': give one in --queries FILE/)
  })

  it('Ctrl-C: exit 130 with the state saved; the next run resumes from it and finishes', async () => {
    const files = new Map<string, string>()
    let fired = false
    const first = await runInProcess({ file: SPEC, queries: QUERIES, state: STATE }, stubProm(), {
      files,
      onDecision: (interrupt, out) => {
        if (!fired && /weight\s+50%/.test(out)) {
          fired = true
          interrupt()
        }
      },
    })
    expect(first.code, first.stdout).toBe(130)
    expect(first.stdout).toMatch(/interrupted in phase progressing at weight 50%; state saved in \/nonexistent-rk-dir\/state\.json/)
    const saved = JSON.parse(files.get(STATE) ?? '{}') as { state: { phase: string; traffic: { weight: number } } }
    expect(saved.state.traffic.weight).toBe(50)
    const second = await runInProcess({ file: SPEC, queries: QUERIES, state: STATE }, stubProm(), { files })
    expect(second.code, second.stdout).toBe(0)
    expect(second.stdout).toContain(`resuming from ${STATE}`)
    expect(second.stdout).not.toContain('would apply: setWeight 25%')
  })

  it('a state file that is not a state: exit 2, nothing overwritten', async () => {
    const files = new Map([[STATE, '{"hello":1}']])
    const r = await runInProcess({ file: SPEC, queries: QUERIES, state: STATE }, stubProm(), { files })
    expect(r.code).toBe(2)
    expect(r.stderr).toMatch(/^error: --state: the file does not hold a rollout state/)
    expect(files.get(STATE)).toBe('{"hello":1}')
  })

  it('on a TTY the view is redrawn in place (clear + home before every frame)', async () => {
    const r = await runInProcess({ file: SPEC, queries: QUERIES }, stubProm(), { isTTY: true })
    expect(r.code).toBe(0)
    const frames = r.stdout.split('\x1b[H\x1b[2J').filter((f) => f !== '')
    expect(frames.length).toBeGreaterThan(3)
    for (const f of frames.slice(0, -1)) expect(f).toMatch(/^Name: {10}podinfo\n/)
    expect(r.stdout).not.toMatch(/^\d\d:\d\d progressing/m)
  })

  it('usage errors: missing --prometheus, --dry-run with --apply, bad --render (exit 2, usage printed)', () => {
    for (const argv of [
      ['run', SPEC, '--dry-run'],
      ['run', SPEC, '--prometheus', 'http://p:9090', '--dry-run', '--apply', 'cat'],
      ['run', SPEC, '--prometheus', 'http://p:9090', '--dry-run', '--render', 'linkerd'],
    ]) {
      const r = runCli(argv)
      expect(r.code, argv.join(' ')).toBe(2)
      expect(r.stderr).toMatch(/^error: /)
      expect(r.stderr).toContain('usage: rollout-kernel run FILE')
      expect(hasStackTrace(r.stderr)).toBe(false)
    }
  })
})
