/**
 * Liveness of the cooperative caller (src/testing/cooperative.ts) across every strategy and option
 * (rolloutSpecInput): a healthy rollout succeeds within plan's minimum duration plus one interval; a failing
 * one fails; one without data fails or holds for an operator; no run spins at one time, and a decision that
 * changed nothing always wakes later than it was made.
 */
import { describe, it } from 'vitest'
import fc from 'fast-check'
import { assertLive as live, metricWorld, minimumDuration, rolloutSpecInput } from '../../src/testing/index.js'

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
