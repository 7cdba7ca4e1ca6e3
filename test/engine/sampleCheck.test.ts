import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import * as E from 'fp-ts/lib/Either.js'
import { decodeSpec, initialState, sampleProblem, step, type RolloutSpec, type RolloutState } from '../../src/index.js'

const specOf = (input: unknown): RolloutSpec => {
  const r = decodeSpec(input)
  if (E.isLeft(r)) throw new Error(JSON.stringify(r.left))
  return r.right
}

const spec = specOf({
  strategy: { canary: { stepWeight: 10 } },
  analysis: { interval: '1m', metrics: [{ name: 'sr', thresholdRange: { min: 99 } }, { name: 'errors', sequential: {} }] },
})

/** A rollout of v2 started at 100 s, at weight 10. */
const running = (): RolloutState => {
  let s = initialState(spec, 0, { stable: 'v1' })
  s = step(spec, s, { at: 100_000, revision: 'v2', ready: { canary: true } }).state
  expect(s.phase).toBe('progressing')
  return s
}

describe('sampleProblem: the per-sample check', () => {
  const s = running()
  const w = { from: 100_000, to: 160_000 }
  it('accepts a usable sample', () => {
    expect(sampleProblem(spec, s, { kind: 'value', metric: 'sr', window: w, value: 99.5 }, 160_000)).toBeNull()
    expect(sampleProblem(spec, s, { kind: 'value', metric: 'sr', window: w, value: [99.5, 100] }, 160_000)).toBeNull()
    expect(sampleProblem(spec, s, { kind: 'noData', metric: 'errors', window: w }, 160_000)).toBeNull()
  })
  it('says what is wrong, one problem at a time', () => {
    const at = 160_000
    expect(sampleProblem(spec, s, { kind: 'value', metric: 'sr', window: w, value: NaN }, at)).toContain('got NaN')
    expect(sampleProblem(spec, s, { kind: 'value', metric: 'nope', window: w, value: 1 }, at)).toContain('unknown metric "nope"')
    expect(sampleProblem(spec, s, { kind: 'value', metric: 'sr', window: w, value: 1 }, 150_000)).toContain('not over yet')
    expect(sampleProblem(spec, s, { kind: 'value', metric: 'sr', window: { from: 0, to: 100_000 }, value: 1 }, at)).toContain('previous run')
    expect(sampleProblem(spec, s, { kind: 'value', metric: 'errors', window: w, value: 1 }, at)).toContain('takes counts samples')
    expect(sampleProblem(spec, s, { kind: 'counts', metric: 'errors', window: w, canary: { total: 1, bad: 2 }, primary: { total: 1, bad: 0 } }, at)).toContain('bad <= total')
    expect(sampleProblem(spec, s, null, at)).toContain('expected a sample object')
  })
  it('defaults the observation time to the state time', () => {
    expect(sampleProblem(spec, s, { kind: 'value', metric: 'sr', window: w, value: 99 })).toContain('not over yet')
  })
  it('never throws, even on a sample whose getters throw', () => {
    const hostile = Object.defineProperty({}, 'metric', { get: () => { throw new Error('boom') }, enumerable: true })
    expect(sampleProblem(spec, s, hostile, 160_000)).toContain('unreadable sample')
  })
})

describe('step: refuse per sample, never lose a command', () => {
  const junk = fc.oneof(
    fc.constant(null),
    fc.record({ kind: fc.constant('value'), metric: fc.constantFrom('sr', 'nope', 'errors'), window: fc.constant({ from: 100_000, to: 160_000 }), value: fc.constantFrom(NaN, -1, [], 'x', Infinity) }),
    fc.record({ kind: fc.constant('value'), metric: fc.constant('sr'), window: fc.constant({ from: 100_000, to: 999_000 }), value: fc.constant(99.5) }),
    fc.record({ kind: fc.constant('value'), metric: fc.constant('sr'), window: fc.constant({ from: 0, to: 90_000 }), value: fc.constant(1) }),
    fc.record({ kind: fc.constant('counts'), metric: fc.constant('errors'), window: fc.constant({ from: 100_000, to: 160_000 }), canary: fc.constant({ total: 1, bad: 5 }), primary: fc.constant({ total: 1, bad: 0 }) }),
  )
  const gates = fc.dictionary(fc.constantFrom('nope', 'other', '__proto__'), fc.constantFrom('approve', 'deny', 'maybe'))

  it('an abort is acted on whatever unusable samples, gate answers, readiness or revision come with it', () => {
    const s = running()
    fc.assert(
      fc.property(fc.array(junk, { maxLength: 8 }), gates, fc.constantFrom(undefined, '', 'v'.repeat(300), 7), fc.constantFrom(undefined, 'yes', 1), (samples, g, revision, ready) => {
        const obs = { at: 160_000, command: 'abort', samples, gates: g, ...(revision !== undefined ? { revision } : {}), ...(ready !== undefined ? { ready: { canary: ready } } : {}) }
        const d = step(spec, s, obs as never)
        expect(d.action.type).toBe('rollback')
        expect(d.state.phase).toBe('failed')
        const ignored = d.reasons.filter((r) => /Ignored$/.test(r.code)).length
        const bad = samples.length + Object.keys(g).length + (revision !== undefined ? 1 : 0) + (ready !== undefined ? 1 : 0)
        expect(ignored).toBe(bad)
        expect(d.events.filter((e) => e.type === 'inputIgnored').length).toBe(Math.min(bad, 5) + (bad > 5 ? 1 : 0))
      }),
    )
  })

  it('every command is acted on or refused with a reason, in every phase', () => {
    const s0 = running()
    const commands = ['promote', 'promoteFull', 'abort', 'retry', 'pause', 'resume'] as const
    const phases: RolloutState[] = [
      s0,
      step(spec, s0, { at: 101_000, command: 'pause' }).state,
      step(spec, s0, { at: 101_000, command: 'abort' }).state,
      step(spec, s0, { at: 101_000, command: 'promoteFull' }).state,
      initialState(spec, 0),
      initialState(spec, 0, { stable: 'v1' }),
    ]
    const acted = new Set(['aborted', 'restarted', 'paused', 'resumed', 'promoting', 'commandIgnored'])
    for (const s of phases) {
      for (const command of commands) {
        for (const revision of [undefined, 'v3', 'v1']) {
          const d = step(spec, s, { at: 200_000, command, ...(revision !== undefined ? { revision } : {}) })
          const said = d.reasons.some((r) => acted.has(r.code) || r.message.includes(command))
          expect(said, `${s.phase} + ${command} + ${revision}: ${JSON.stringify(d.reasons)}`).toBe(true)
        }
      }
    }
  })
})
