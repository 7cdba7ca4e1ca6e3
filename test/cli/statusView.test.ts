import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { decodeSpec } from '../../src/config/decodeSpec.js'
import type { RolloutSpec } from '../../src/config/spec.js'
import type { Decision } from '../../src/engine/decision.js'
import type { Observation, Sample } from '../../src/model/observation.js'
import { initialState } from '../../src/engine/initialState.js'
import { step } from '../../src/engine/step.js'
import type { RolloutState } from '../../src/engine/state.js'
import { awaited, decisionJson, decisionLine, latestVerdicts, statusView, stepMark, weightBar, type LastDecision } from '../../src/cli/statusView.js'

const decoded = decodeSpec({
  strategy: { canary: { stepWeight: 25, maxWeight: 50 } },
  analysis: { interval: '1m', threshold: 2, metrics: [{ name: 'sr', thresholdRange: { min: 99 } }, { name: 'errors', sequential: {} }] },
  gates: [{ name: 'ship-it', type: 'confirm-promotion' }],
})
if (decoded._tag === 'Left') throw new Error(JSON.stringify(decoded.left))
const spec: RolloutSpec = decoded.right

/** Drives the engine by hand: every need answered, sr = `sr`, errors with `bad` canary bad events per 1000. */
const run = (sr: number, bad: number, calls: number): { state: RolloutState; decisions: Decision[] } => {
  let state = initialState(spec, 0, { stable: 'v1' })
  let at = 0
  let needs: Decision['needs'] = []
  const decisions: Decision[] = []
  for (let i = 0; i < calls; i++) {
    const samples = needs.flatMap((n): Sample[] =>
      n.kind !== 'metric' ? [] : n.sample === 'counts' ? [{ kind: 'counts' as const, metric: n.metric, window: n.window, canary: { total: 1000, bad }, primary: { total: 1000, bad: 10 } }] : [{ kind: 'value' as const, metric: n.metric, window: n.window, value: sr }],
    )
    const obs: Observation = { at, revision: 'v2', ready: { canary: true, primary: true }, ...(samples.length > 0 ? { samples } : {}) }
    const d = step(spec, state, obs)
    decisions.push(d)
    state = d.state
    needs = d.needs
    at = Math.max(at + 1000, d.wakeAt ?? at + 60_000)
  }
  return { state, decisions }
}

const lastOf = (d: Decision, at: number): LastDecision => ({ at, action: d.action, reasons: d.reasons, wakeAt: d.wakeAt, needs: d.needs, events: d.events })

describe('status view (a pure function of spec, state, last decision, now)', () => {
  it('mid-rollout: phase, weight bar, step marks, metric verdicts with value and bound, sequential bounds, next wake-up', () => {
    const { state, decisions } = run(99.5, 10, 2)
    const d = decisions[1] as Decision
    const text = statusView({ spec, state, last: lastOf(d, state.at), now: state.at + 20_000, name: 'podinfo' })
    expect(text).toContain('Name:          podinfo')
    expect(text).toContain('Phase:         progressing')
    expect(text).toContain(`Weight:        ${weightBar(50)} of max 50%`)
    expect(text).toMatch(/✔\s+1\. setWeight 25%\n\s+✔\s+2\. analysis 1 interval\n\s+✔\s+3\. setWeight 50%\n\s+▶\s+4\. analysis 1 interval\n\s+· promote/)
    expect(text).toMatch(/ {2}sr {6}pass {4}value 99\.5, bound 99\n/)
    expect(text).toMatch(/ {2}errors {2}pass {4}relative risk 1, bound 1\.12\n {4}e-value [\d.]+ \(rollback at 100\), relative risk [\d.]+ \[0, (?:[\d.]+|inf)\] at 99%, tolerance 1\.12\n/)
    expect(text).toMatch(/Next: {10}00:02:00Z \(in 40s\)/)
    expect(text).toMatch(/Awaiting: {6}metrics sr, errors \(window ending 00:02:00Z\)/)
  })

  it('a failure: the failed step is marked, the metric shows FAIL with its value and bound, the last failure is spelt out', () => {
    const { state, decisions } = run(97, 10, 4)
    expect(state.phase).toBe('failed')
    const verdicts = decisions.reduce<Record<string, import('../../src/engine/decision.js').Reason>>((acc, d) => latestVerdicts(acc, d.reasons), {})
    const text = statusView({ spec, state, last: lastOf(decisions.at(-1) as Decision, state.at), now: state.at, verdicts })
    expect(text).toContain('✖')
    expect(text).toContain('✖ rolled back')
    expect(text).toMatch(/sr {6}FAIL {4}value 97, bound 99: sr 97 < min 99/)
    expect(text).toMatch(/Last failure: {2}.*\[metric sr, value 97, bound 99\]/)
    expect(text).not.toContain('Next:')
  })

  it('the counts line splits the streak towards noDataLimit once an inconclusive tick is in it', () => {
    const { state } = run(99.5, 10, 3)
    expect(statusView({ spec, state, last: null, now: state.at })).toContain(`no-data ticks ${state.noDataTicks}/${spec.analysis.noDataLimit}`)
    const mixed = { ...state, noDataTicks: 2, inconclusiveTicks: 1 }
    expect(statusView({ spec, state: mixed, last: null, now: state.at })).toContain(`ticks without a decision 3/${spec.analysis.noDataLimit} (2 without data, 1 inconclusive)`)
  })

  it('without a last decision (a bare saved state), verdicts come from the state and the sequential statistics', () => {
    const { state } = run(99.5, 10, 3)
    const text = statusView({ spec, state, last: null, now: state.at })
    expect(text).toMatch(/e-value [\d.]+ \(rollback at 100\)/)
    expect(text).toContain('Next:          no wake-up scheduled')
  })

  it('latest verdicts carry across decisions without analysis', () => {
    const { decisions } = run(99.5, 10, 6)
    const v = decisions.reduce<Record<string, import('../../src/engine/decision.js').Reason>>((acc, d) => latestVerdicts(acc, d.reasons), {})
    expect(v['sr']?.code).toBe('metricPassed')
    expect(v['errors']?.code).toBe('metricPassed')
  })

  it('awaited names gates, readiness and an indefinite pause', () => {
    expect(awaited([{ kind: 'gate', gate: 'ship-it', type: 'confirm-promotion' }, { kind: 'readiness' }], { by: 'operator', since: 0, until: null })).toEqual([
      'gate "ship-it" (confirm-promotion)',
      'canary readiness',
      'command promote or resume (paused indefinitely)',
    ])
  })

  it('is pure: same input, same text; the state is not mutated (property over rollouts)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 90, max: 100 }), fc.integer({ min: 0, max: 200 }), fc.integer({ min: 1, max: 8 }), fc.integer({ min: 0, max: 120_000 }), (sr, bad, calls, dt) => {
        const { state, decisions } = run(sr, bad, calls)
        const d = decisions.at(-1) as Decision
        const frozen = JSON.stringify(state)
        const input = { spec, state, last: lastOf(d, state.at), now: state.at + dt, name: 'p' }
        const a = statusView(input)
        expect(statusView(input)).toBe(a)
        expect(JSON.stringify(state)).toBe(frozen)
        expect(a).not.toMatch(/NaN|undefined/)
        for (let i = 0; i < spec.strategy.steps.length; i++) expect(['✔', '▶', '·', '✖']).toContain(stepMark(state, i))
        const line = decisionLine(spec, state, lastOf(d, state.at), 0)
        expect(line.split('\n')).toHaveLength(1)
        expect(JSON.parse(decisionJson(state, lastOf(d, state.at), 0)).phase).toBe(state.phase)
      }),
      { numRuns: 40 },
    )
  })
})
