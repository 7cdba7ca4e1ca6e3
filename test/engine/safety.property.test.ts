/**
 * Safety across every strategy and option (rolloutSpecInput): never `succeeded` while the primary is unready
 * after the switch; the canary is never scaled down while it is the only ready copy; a rollback leaves no
 * canary traffic and no canary routes; an operator command is acted on or refused with a reason.
 */
import { describe, it } from 'vitest'
import fc from 'fast-check'
import * as E from 'fp-ts/lib/Either.js'
import { decodeSpec, type RolloutSpec } from '../../src/index.js'
import {
  checkLiveness,
  checkSafety,
  formatPropertyViolations,
  metricWorld,
  observationScript,
  playScript,
  rolloutSpecInput,
  runToEnd,
  type RolloutSpecInput,
  type TraceEntry,
} from '../../src/testing/index.js'
import { shortTrace } from '../testing/trace.js'

const decode = (input: RolloutSpecInput): RolloutSpec => {
  const r = decodeSpec(input)
  if (E.isLeft(r)) throw new Error(`generated spec does not decode: ${JSON.stringify(r.left)}`)
  return r.right
}

const report = (input: RolloutSpecInput, trace: readonly TraceEntry[], v: readonly { index: number }[], text: string): void => {
  if (v.length === 0) return
  const at = v.find((x) => x.index >= 0)?.index ?? trace.length - 1
  throw new Error(`${text}\nspec: ${JSON.stringify(input)}\ntrace (up to the first violation):\n${shortTrace(trace.slice(0, at + 1))}`)
}

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
