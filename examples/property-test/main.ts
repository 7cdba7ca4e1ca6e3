/**
 * A user's property test of THEIR OWN rollout config with rollout-kernel/testing:
 * 1. for every observation script fast-check can think of (failures, no data, gate denials, operator commands,
 *    garbage such as NaN values or time going backwards), the engine keeps its invariants on my config;
 * 2. a healthy canary on simulated traffic is promoted, and a canary with 5x the errors is rolled back,
 *    driving the real engine with the seeded traffic simulator.
 *
 * Run: npx tsx examples/property-test/main.ts
 * (In a published project, import from 'rollout-kernel' and 'rollout-kernel/testing' instead of ../../src.)
 *
 * @module
 */
import fc from 'fast-check'
import * as E from 'fp-ts/lib/Either.js'
import type { Decision, RolloutSpec } from '../../src/index.js'
import { decodeSpec, initialState, step } from '../../src/index.js'
import { assertInvariants, createSimulator, observationScript, playScript } from '../../src/testing/index.js'

// my rollout config, as I would keep it in YAML
const myConfig = {
  strategy: { canary: { steps: [{ setWeight: 10 }, { analysis: { intervals: 3 } }, { setWeight: 50 }, { analysis: { intervals: 3 } }] } },
  analysis: {
    interval: '1m',
    threshold: 3,
    metrics: [
      { name: 'request-success-rate', thresholdRange: { min: 98 } },
      { name: 'request-duration', thresholdRange: { max: 800 } },
    ],
  },
  gates: [{ name: 'approve-promotion', type: 'confirm-promotion' }],
}

const decoded = decodeSpec(myConfig)
if (E.isLeft(decoded)) {
  console.error('my config does not decode:', decoded.left)
  process.exit(1)
}
const spec: RolloutSpec = decoded.right

// 1. invariants under arbitrary worlds
fc.assert(
  fc.property(observationScript({ maxLength: 50 }), (script) => {
    assertInvariants(spec, playScript(spec, script))
  }),
  { numRuns: 200 },
)
console.log('invariants: 200 random observation scripts passed')

// 2. simulated traffic: run the engine until it settles
const rollout = (badRateMultiplier: number, seed: number): { phase: string; minutes: number } => {
  const t0 = 0
  const sim = createSimulator(
    { traffic: { rate: 50, split: 'weighted' }, badRate: 0.005, regression: { at: t0, badRateMultiplier } },
    seed,
  )
  let state = initialState(spec, t0)
  let d: Decision = step(spec, state, { at: t0, revision: 'v1' })
  state = d.state
  let at = t0 + 1_000
  d = step(spec, state, { at, revision: 'v2', ready: { canary: true, primary: true } })
  state = d.state
  for (let i = 0; i < 500 && state.phase !== 'succeeded' && state.phase !== 'failed'; i++) {
    at = Math.max(at + 1_000, d.wakeAt ?? at + 60_000)
    const gates = Object.fromEntries(d.needs.flatMap((n) => (n.kind === 'gate' ? [[n.gate, 'approve' as const]] : [])))
    d = step(spec, state, {
      at,
      samples: sim.answer(d.needs, at, state.traffic.weight),
      gates,
      ready: { canary: true, primary: true },
    })
    state = d.state
  }
  return { phase: state.phase, minutes: (at - t0) / 60_000 }
}

const healthy = [1, 2, 3].map((seed) => rollout(1, seed))
const broken = [1, 2, 3].map((seed) => rollout(5, seed))
console.log('healthy canary:', healthy)
console.log('5x errors canary:', broken)
if (!healthy.every((r) => r.phase === 'succeeded') || !broken.every((r) => r.phase === 'failed')) {
  console.error('my config does not separate a healthy canary from a broken one')
  process.exit(1)
}
console.log('ok')
