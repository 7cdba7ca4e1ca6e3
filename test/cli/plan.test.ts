import { describe, expect, it } from 'vitest'
import { runCli } from './harness.js'

const table = (stdout: string): string[][] =>
  stdout
    .split('\n')
    .filter((l) => /^\s*\d*\s{2,}\S/.test(l) && !l.startsWith('step'))
    .map((l) => l.trim().split(/\s{2,}/))

describe('plan', () => {
  it('lists the steps of examples/canary.yaml with weights, start times and waits', () => {
    const r = runCli(['plan', 'examples/canary.yaml'])
    expect(r.code).toBe(0)
    expect(r.stdout).toMatch(/^step\s+stage\s+weight\s+at\s+waits\s+analysis$/m)
    const rows = table(r.stdout)
    expect(rows[0]).toEqual(['1', 'setWeight 10', '10%', '00:00', '-', '-'])
    expect(rows[1]).toEqual(['2', 'analysis: 1 interval', '10%', '00:00', '1m', 'request-success-rate, errors, request-duration'])
    expect(rows[9]).toEqual(['10', 'analysis: 1 interval', '50%', '04:00', '1m', 'request-success-rate, errors, request-duration'])
    expect(rows[10]).toEqual(['confirm-promotion gate "ship-it"', '50%', '05:00', 'until approved', '-'])
    expect(rows.map((x) => x[0])).toContain('promote v2')
  })

  it('reports the minimum duration (checks, promotion and finalising ticks) and the fastest rollbacks', () => {
    const r = runCli(['plan', 'examples/canary.yaml'])
    expect(r.stdout).toContain('minimum duration to promotion: 7m (promote at 05:00, then the promotion and finalising ticks;')
    expect(r.stdout).toContain('fastest rollback on failed checks: 5m after the start of analysis at 00:00 (threshold 5 x interval 1m), rolled back at 05:00')
    expect(r.stdout).toContain('fastest rollback by errors (sequential test): at the first window with enough evidence; at the earliest 01:00')
  })

  it('agrees with the engine: the healthy simulation promotes no earlier than the plan says', () => {
    const plan = runCli(['plan', 'examples/canary.yaml']).stdout
    const promoteAt = /promote at (\d\d:\d\d)/.exec(plan)?.[1] ?? ''
    const sim = runCli(['simulate', 'examples/canary.yaml']).stdout
    const simPromote = sim.split('\n').find((l) => /\spromote\s/.test(l))?.slice(0, 5) ?? ''
    expect(simPromote >= promoteAt).toBe(true)
  })

  it('plans a blue/green rollout whose scale-down time comes before the post-promotion window ends', () => {
    // the switch at 02:00 sets the scale-down time to 02:30 while the post-promotion window ends at 03:00:
    // the plan run used to answer that window at 02:30 (a sample from the future), looped and gave up
    const spec = [
      'strategy: { blueGreen: { prePromotionAnalysis: { intervals: 2 }, autoPromotionEnabled: false, postPromotionAnalysis: { intervals: 1 } } }',
      'analysis: { interval: 1m, metrics: [{ name: sr, thresholdRange: { min: 99 } }] }',
    ].join('\n')
    const r = runCli(['plan', 'bg.yaml'], { 'bg.yaml': spec })
    expect(r.code).toBe(0)
    expect(r.stdout).not.toContain('does not reach promotion')
    expect(r.stdout).toContain('minimum duration to promotion: 5m (promote at 03:00')
    const stages = table(r.stdout).map((x) => (x.length === 6 ? x[1] : x[0]))
    expect(stages).toEqual([
      'preview (new version on the preview service)',
      'analysis: 2 intervals',
      'pause until promoted',
      'switch the active service',
      'analysis: 1 interval',
      'scaleDownDelay 30s',
      'promote v2',
      'shift traffic to the primary',
      'finalise (canary scaled down)',
    ])
  })

  it('reports indefinite pauses as "waits for promote", timed pauses and consecutiveFailureLimit', () => {
    const r = runCli(['plan', 'examples/canary-steps.yaml'])
    expect(r.code).toBe(0)
    const rows = table(r.stdout)
    expect(rows[0]).toEqual(['pre-rollout gate "smoke-test"', '0%', '00:00', 'until approved', '-'])
    expect(rows.find((x) => x[1] === 'pause until promoted')?.[4]).toBe('waits for promote')
    expect(rows.find((x) => x[1] === 'pause 2m')?.[4]).toBe('2m')
    expect(rows.find((x) => x[1] === 'analysis: 3 intervals (+ latency)')?.slice(2)).toEqual(['50%', '02:00', '3m', 'request-success-rate, latency'])
    expect(r.stdout).toContain('plus the time until an operator promotes 1 indefinite pause')
    expect(r.stdout).toContain('(consecutiveFailureLimit 2 x interval 1m)')
  })

  it('plans specs without metrics and says nothing can fail', () => {
    const r = runCli(['plan', 'p.yaml'], { 'p.yaml': 'strategy: { canary: { stepWeights: [25, 75] } }\nanalysis: { interval: 30s }\n' })
    expect(r.code).toBe(0)
    expect(r.stdout).toContain('minimum duration to promotion: 2m (promote at 01:00')
    expect(r.stdout).toContain('fastest rollback: no check can fail')
  })

  it('plans imported upstream manifests', () => {
    const r = runCli(['plan', 'examples/upstream/flagger-istio-canary.yaml'])
    expect(r.code).toBe(0)
    expect(r.stdout).toContain('rollout gate "load-test" (before every analysis)')
    expect(r.stdout).toContain('(threshold 10 x interval 15s)')
  })

  it('refuses an invalid spec (exit 1) and extra arguments (exit 2)', () => {
    expect(runCli(['plan', 'b.yaml'], { 'b.yaml': 'strategy: {}\n' }).code).toBe(1)
    expect(runCli(['plan', 'examples/canary.yaml', 'examples/sequential.yaml']).code).toBe(2)
  })
})
