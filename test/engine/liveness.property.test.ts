/**
 * Liveness of the cooperative caller (src/testing/cooperative.ts) across every strategy and option
 * (rolloutSpecInput): a healthy rollout succeeds within plan's minimum duration plus one interval; a failing
 * one fails; one without data fails or holds for an operator; no run spins at one time, and a decision that
 * changed nothing always wakes later than it was made.
 */
import { describe, it } from 'vitest'
import fc from 'fast-check'
import * as E from 'fp-ts/lib/Either.js'
import { decodeSpec, type RolloutSpec } from '../../src/index.js'
import {
  checkLiveness,
  formatPropertyViolations,
  metricWorld,
  minimumDuration,
  rolloutSpecInput,
  runToEnd,
  type LivenessExpectation,
  type RolloutSpecInput,
  type RunOptions,
  type World,
} from '../../src/testing/index.js'
import { shortTrace } from '../testing/trace.js'

const decode = (input: RolloutSpecInput): RolloutSpec => {
  const r = decodeSpec(input)
  if (E.isLeft(r)) throw new Error(`generated spec does not decode: ${JSON.stringify(r.left)}`)
  return r.right
}

const live = (input: RolloutSpecInput, world: (spec: RolloutSpec) => World, expected: (spec: RolloutSpec) => LivenessExpectation, options: RunOptions = {}): void => {
  const spec = decode(input)
  const run = runToEnd(spec, world(spec), { maxCalls: 1500, ...options })
  const v = checkLiveness(spec, run, expected(spec))
  if (v.length > 0) throw new Error(`${formatPropertyViolations(v)}\nspec: ${JSON.stringify(input)}\ntrace (last calls):\n${shortTrace(run.calls)}`)
}

const RUNS = { numRuns: 150 }

describe('liveness (property): the cooperative caller always gets an answer', () => {
  it('a healthy rollout succeeds within plan\'s minimum duration plus one interval', () => {
    fc.assert(
      fc.property(rolloutSpecInput(), (input) =>
        live(input, (spec) => metricWorld(spec, 'healthy'), (spec) => {
          const min = minimumDuration(spec)
          return { end: 'succeeded', withinMs: min === null ? null : min + spec.analysis.intervalMs }
        }),
      ),
      RUNS,
    )
  })

  it('a failing rollout fails (at its first failed check when the spec says so)', () => {
    fc.assert(fc.property(rolloutSpecInput({ failFast: true }), (input) => live(input, (spec) => metricWorld(spec, 'failing'), () => ({ end: 'failed' }))), RUNS)
  })

  it('a failing rollout of any spec ends, one way or the other', () => {
    fc.assert(fc.property(rolloutSpecInput(), (input) => live(input, (spec) => metricWorld(spec, 'failing'), () => ({ end: 'ends' }))), RUNS)
  })

  it('without data a rollout fails or holds for an operator', () => {
    fc.assert(
      fc.property(rolloutSpecInput(), (input) => live(input, (spec) => metricWorld(spec, 'noData'), () => ({ end: 'failedOrHold' }), { operatorMs: null })),
      RUNS,
    )
  })
})
