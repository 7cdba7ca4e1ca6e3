import { describe, expect, it } from 'vitest'
import { runCli } from './harness.js'

const DEMO = ['simulate', 'examples/canary.yaml', '--scenario', 'healthy', '--seed', '1']

const rows = (stdout: string): string[] => stdout.split('\n').filter((l) => /^\d\d:\d\d\s/.test(l))

describe('simulate', () => {
  it('npm run demo: a readable timeline from 00:00 ending with the promotion', () => {
    const r = runCli(DEMO)
    expect(r.stderr).toBe('')
    expect(r.code).toBe(0)
    expect(r.stdout).toMatch(/^time\s+weight\s+checks\s+action\s+reasons$/m)
    // stepWeight 10 up to 50: five weight steps, as the engine's reasons count them (not the 10 compiled program steps)
    expect(r.stdout.split('\n')[0]).toBe('examples/canary.yaml: canary rollout of v2 over v1, 5 weight steps, 3 metrics, analysis every 1m')
    const lines = rows(r.stdout)
    expect(lines[0]).toMatch(/^00:00\s+10%\s+0\/5\s+setWeight\s+rollout of v2 started/)
    const weights = lines.map((l) => Number(/\s(\d+)%\s/.exec(l)?.[1]))
    expect(weights.slice(0, 5)).toEqual([10, 20, 30, 40, 50])
    expect(lines.some((l) => /\spromote\s/.test(l) && l.includes('confirm-promotion gate "ship-it" approved'))).toBe(true)
    expect(lines[lines.length - 1]).toMatch(/\sfinalize\s+v2 promoted/)
    expect(r.stdout.trimEnd().split('\n').pop()).toMatch(/^promoted v2 at \d\d:\d\d \(0\/5 failed checks\)$/)
  })

  it('is deterministic: the same seed gives the same output, another seed other values', () => {
    expect(runCli(DEMO).stdout).toBe(runCli(DEMO).stdout)
    expect(runCli([...DEMO.slice(0, 4), '--seed', '2']).stdout).not.toBe(runCli(DEMO).stdout)
  })

  it('regression: ends in a rollback whose reason names the metric, the value and the bound', () => {
    const r = runCli(['simulate', 'examples/canary.yaml', '--scenario', 'regression', '--seed', '1'])
    expect(r.code).toBe(0)
    const lines = rows(r.stdout)
    const last = lines[lines.length - 1] ?? ''
    expect(last).toMatch(/\s0%\s.*\srollback\s/)
    const outcome = r.stdout.trimEnd().split('\n').pop() ?? ''
    const m = /^rolled back v2 at (\d\d:\d\d): (.*)$/.exec(outcome)
    expect(m).not.toBeNull()
    // the regression starts at 03:00: nothing can see it before
    expect(m?.[1]! >= '03:00').toBe(true)
    const why = m?.[2] ?? ''
    expect(why).toMatch(/^(errors|request-success-rate|request-duration)\b/)
    expect(why).toMatch(/\d+(\.\d+)?.*(>|<).*\d/)
  })

  it.each([1, 2, 3, 4, 5])('regression is rolled back and healthy promoted with seed %i', (seed) => {
    expect(runCli(['simulate', 'examples/canary.yaml', '--scenario', 'regression', '--seed', String(seed)]).stdout).toMatch(/\nrolled back v2 at /)
    expect(runCli(['simulate', 'examples/canary.yaml', '--seed', String(seed)]).stdout).toMatch(/\npromoted v2 at /)
  })

  it('no-data: holds without counting failed checks while the source has nothing, then promotes', () => {
    const r = runCli(['simulate', 'examples/canary.yaml', '--scenario', 'no-data'])
    const lines = rows(r.stdout)
    const held = lines.filter((l) => l.includes('no data: request-success-rate, errors, request-duration'))
    expect(held.length).toBe(3)
    for (const l of held) expect(l).toMatch(/\s0\/5\s+hold\s/)
    expect(r.stdout).toMatch(/\npromoted v2 at /)
  })

  it('flaky: failing windows count failed checks', () => {
    const r = runCli(['simulate', 'examples/canary.yaml', '--scenario', 'flaky', '--seed', '1'])
    expect(rows(r.stdout).some((l) => l.includes('FAILED request-success-rate'))).toBe(true)
    expect(r.stdout).toMatch(/\n(promoted|rolled back) v2 at .*[1-9]\/5 failed checks|\nrolled back/)
  })

  it('reads a scenario file (durations, regression, outages) and reports its errors with paths', () => {
    const scenario = 'description: slow leak\ntraffic: { rate: 200 }\nregression: { at: 2m, badRateMultiplier: 10 }\nnoData: [{ from: 0s, to: 1m, metrics: [latency] }]\n'
    const r = runCli(['simulate', 'examples/canary.yaml', '--scenario', 's.yaml'], { 's.yaml': scenario })
    expect(r.code).toBe(0)
    expect(r.stdout).toContain('scenario s.yaml: slow leak')
    expect(r.stdout).toMatch(/\nrolled back v2 at /)
    const bad = runCli(['simulate', 'examples/canary.yaml', '--scenario', 'b.yaml'], { 'b.yaml': 'badrate: 0.1\nregression: { at: soon }\n' })
    expect(bad.code).toBe(1)
    expect(bad.stderr).toContain('error: b.yaml: badrate: unknown field (did you mean "badRate"?)')
    expect(bad.stderr).toContain('error: b.yaml: regression.at: expected a duration')
  })

  it('rejects an unknown scenario name with a suggestion (exit 2)', () => {
    const r = runCli(['simulate', 'examples/canary.yaml', '--scenario', 'regresion'])
    expect(r.code).toBe(2)
    expect(r.stderr).toContain('error: unknown scenario "regresion" (did you mean "regression"?)')
  })

  it('--json prints one JSON decision per line, matching the table', () => {
    const r = runCli([...DEMO, '--json'])
    expect(r.code).toBe(0)
    const decisions = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as { time: string; weight: number; action: { type: string }; reasons: { code: string }[] })
    expect(decisions.length).toBe(rows(runCli(DEMO).stdout).length)
    expect(decisions[0]).toMatchObject({ time: '00:00', weight: 10, action: { type: 'setWeight', weight: 10 } })
    expect(decisions.at(-1)?.action.type).toBe('finalize')
  })

  it('--svg writes a chart with the weight, one panel per metric and the decision points', () => {
    const r = runCli(['simulate', 'examples/canary.yaml', '--scenario', 'regression', '--svg', 'out.svg'])
    expect(r.code).toBe(0)
    expect(r.stdout).toContain('chart written to out.svg')
    const svg = r.written.get('out.svg') ?? ''
    expect(svg).toMatch(/^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/)
    expect(svg.trimEnd().endsWith('</svg>')).toBe(true)
    for (const label of ['canary weight', 'request-success-rate', 'errors', 'request-duration', 'rollback at ']) expect(svg).toContain(label)
    expect(svg).not.toMatch(/NaN|undefined/)
    const failed = runCli(['simulate', 'examples/canary.yaml', '--svg', '/nonexistent/x.svg'])
    expect(failed.code).toBe(1)
    expect(failed.stderr).toContain('error: cannot write the chart: /nonexistent/x.svg: no such file')
  })

  it('refuses an invalid spec with its decode errors (exit 1)', () => {
    const r = runCli(['simulate', 'bad.yaml'], { 'bad.yaml': 'strategy: { canary: { stepWeight: ten } }\n' })
    expect(r.code).toBe(1)
    expect(r.stderr).toMatch(/^error: bad\.yaml: strategy\.canary\.stepWeight: /)
  })

  it('simulates imported upstream manifests, with passing stand-ins for metrics the simulator has no model for', () => {
    const r = runCli(['simulate', 'examples/upstream/flagger-istio-canary.yaml'])
    expect(r.code).toBe(0)
    expect(r.stdout).toContain('(imported from a Flagger Canary)')
    expect(r.stdout).toContain('pre-rollout gate "conformance-test" approved (simulated)')
    expect(r.stdout).toMatch(/\npromoted v2 at /)
    const argo = runCli(['simulate', 'examples/upstream/argo-rollout-analysis-step.yaml'])
    expect(argo.stdout).toContain('note: the simulator has no model for random-fail, pass: they get stand-in values that pass their judge')
    expect(argo.code).toBe(0)
    expect(argo.stdout).toMatch(/\npromoted v2 at /)
  })

  it('ends indefinite pauses with a simulated operator promote', () => {
    const r = runCli(['simulate', 'examples/canary-steps.yaml'])
    expect(r.stdout).toContain('operator promotes (simulated)')
    expect(r.stdout).toMatch(/\npromoted v2 at /)
  })
})
