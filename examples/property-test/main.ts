/**
 * A user's property test of THEIR OWN rollout config with rollout-kernel/testing:
 * 1. for every observation script fast-check can think of (failures, no data, gate denials, operator commands,
 *    garbage such as NaN values or time going backwards), the engine keeps its invariants on my config;
 * 2. a healthy canary on simulated traffic is promoted, and a canary with 5x the errors is rolled back,
 *    driving the real engine with the seeded traffic simulator through the cooperative caller (runToEnd);
 * 3. with healthy metrics it succeeds, with failing metrics it fails, without data it fails or holds, and
 *    the safety properties hold (checkLiveness, checkSafety).
 *
 * Run: npx tsx examples/property-test/main.ts
 * (In a published project, import from 'rollout-kernel' and 'rollout-kernel/testing' instead of ../../src.)
 *
 * @module
 */
import fc from 'fast-check'
import * as E from 'fp-ts/lib/Either.js'
import type { RolloutSpec } from '../../src/index.js'
import { decodeSpec } from '../../src/index.js'
import {
  assertInvariants,
  checkLiveness,
  checkSafety,
  createSimulator,
  formatPropertyViolations,
  metricWorld,
  observationScript,
  playScript,
  runToEnd,
  type World,
} from '../../src/testing/index.js'

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

// 2. simulated traffic: the cooperative caller (runToEnd) drives the real engine, the seeded simulator
//    answers the metric queries once their window has ended, gates are approved
const rollout = (badRateMultiplier: number, seed: number): { phase: string; minutes: number } => {
  const sim = createSimulator({ traffic: { rate: 50, split: 'weighted' }, badRate: 0.005, regression: { at: 0, badRateMultiplier } }, seed)
  const world: World = { samples: (due, at, state) => sim.answer(due, at, state.traffic.weight) }
  const run = runToEnd(spec, world, { maxCalls: 500 })
  return { phase: run.last.state.phase, minutes: (run.endedAt - run.startedAt) / 60_000 }
}

// 3. liveness and safety of my config, whatever the metrics say
for (const health of ['healthy', 'failing', 'noData'] as const) {
  const run = runToEnd(spec, metricWorld(spec, health), { operatorMs: health === 'noData' ? null : 0 })
  const expected = health === 'healthy' ? 'succeeded' : health === 'failing' ? 'failed' : 'failedOrHold'
  const violations = [...checkLiveness(spec, run, { end: expected }), ...checkSafety(run.calls)]
  if (violations.length > 0) {
    console.error(`${health}: ${formatPropertyViolations(violations)}`)
    process.exit(1)
  }
  console.log(`${health} metrics: ${run.outcome} after ${(run.endedAt - run.startedAt) / 60_000} minutes`)
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
