/**
 * Safety across every strategy and option (rolloutSpecInput): never `succeeded` while the primary is unready
 * after the switch; the canary is never scaled down while it is the only ready copy; a rollback leaves no
 * canary traffic and no canary routes; an operator command is acted on or refused with a reason.
 */
import { describe, it } from 'vitest'
import fc from 'fast-check'
import {
  assertNoViolations as report,
  checkLiveness,
  checkSafety,
  decodeDrawn as decode,
  formatPropertyViolations,
  metricWorld,
  observationScript,
  playScript,
  rolloutSpecInput,
  runToEnd,
} from '../../src/testing/index.js'

describe('safety (property)', () => {
  it('the primary failing after promotion: the canary is kept, the rollout fails, never succeeds', () => {
    fc.assert(
      fc.property(rolloutSpecInput(), fc.constantFrom('promoting', 'finalising'), (input, from) => {
        const spec = decode(input)
        // the primary (now running the new version) stops being ready once promotion (or finalising) starts
        const failed = from === 'promoting' ? ['promoting', 'finalising'] : ['finalising']
        const world = metricWorld(spec, 'healthy', { ready: (_at, s) => ({ canary: true, primary: !failed.includes(s.phase) }) })
        const run = runToEnd(spec, world, { maxCalls: 1500 })
        const v = [...checkSafety(run.calls), ...checkLiveness(spec, run, { end: 'failed' })]
        report(input, run.calls, v, formatPropertyViolations(v))
      }),
      { numRuns: 150 },
    )
  })

  it('commands are acted on or refused with a reason, and rollbacks are clean, whatever the world does', () => {
    fc.assert(
      fc.property(rolloutSpecInput(), observationScript({ maxLength: 40, commands: 0.2, garbage: 0.1 }), (input, script) => {
        const spec = decode(input)
        const trace = playScript(spec, script)
        const v = checkSafety(trace)
        report(input, trace, v, formatPropertyViolations(v))
      }),
      { numRuns: 300 },
    )
  })
})
