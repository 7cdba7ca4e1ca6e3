/**
 * `--traffic` of `validate` and `plan` (docs/cli.md): the blind-promotion warning of threshold-only canaries and
 * the expected time to the evidence of sequential ones.
 */
import { describe, expect, it } from 'vitest'
import { runCli } from './harness.js'
import { parseRate, parseTraffic } from '../../src/cli/evidencePlan.js'

const thresholdOnly = `
strategy: { canary: { stepWeight: 10, maxWeight: 50 } }
analysis:
  interval: 1m
  threshold: 5
  metrics:
    - name: request-success-rate
      thresholdRange: { min: 99 }
`
const sequential = `
strategy: { canary: { stepWeight: 10, maxWeight: 50 } }
analysis:
  interval: 1m
  metrics:
    - name: errors
      sequential: {}
`

describe('--traffic', () => {
  it('parses rates', () => {
    expect(parseTraffic('20/s')).toBe(20)
    expect(parseTraffic('1200/m')).toBe(20)
    expect(parseTraffic('20')).toBe(20)
    expect(parseTraffic('0/s')).toBeNull()
    expect(parseTraffic('fast')).toBeNull()
    expect(parseRate('1%')).toBe(0.01)
    expect(parseRate('0.002')).toBe(0.002)
    expect(parseRate('60%')).toBeNull()
  })

  it('validate warns when a threshold-only canary promotes a doubled error rate at that traffic; the file stays valid', () => {
    const low = runCli(['validate', 'c.yaml', '--traffic', '20/s'], { 'c.yaml': thresholdOnly })
    expect(low.code).toBe(0)
    expect(low.stdout).toContain('c.yaml: OK')
    expect(low.stderr).toMatch(/c\.yaml: warning: at 20 req\/s \(both arms\), a canary whose error rate doubles \(1% -> 2%\) passes every check and promotes with probability \d+(\.\d)?%/)
    // at a high rate the threshold sees the doubled rate in every window: no warning
    const high = runCli(['validate', 'c.yaml', '--traffic', '2000/s'], { 'c.yaml': thresholdOnly })
    expect(high.stderr).toBe('')
  })

  it('a canary with a sequential metric gets no threshold warning; plan shows the expected time to rule out detect', () => {
    expect(runCli(['validate', 's.yaml', '--traffic', '2/s'], { 's.yaml': sequential }).stderr).toBe('')
    const r = runCli(['plan', 's.yaml', '--traffic', '20/s'], { 's.yaml': sequential })
    expect(r.code).toBe(0)
    expect(r.stdout).toMatch(/expected time to the evidence: at 20 req\/s \(both arms\), base bad-event rate 1%: a healthy canary is expected to rule out errors 2x and promote at \d\d:\d\d/)
    const slow = runCli(['plan', 's.yaml', '--traffic', '1/s'], { 's.yaml': sequential })
    expect(slow.stdout).toContain('expected to reach the evidence timeout')
    expect(runCli(['plan', 's.yaml'], { 's.yaml': sequential }).stdout).toContain('--traffic RATE shows the expected time')
  })

  it('refuses a bad rate as a usage error', () => {
    expect(runCli(['plan', 's.yaml', '--traffic', 'lots'], { 's.yaml': sequential }).code).toBe(2)
    expect(runCli(['validate', 's.yaml', '--base-rate', '1%'], { 's.yaml': sequential }).code).toBe(2)
  })
})
