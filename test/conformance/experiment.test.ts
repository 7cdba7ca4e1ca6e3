/**
 * Conformance scenarios for the canary `experiment` step (test/conformance/experiment/), written from Argo's
 * experiment semantics (docs/features/experiment.md, rollout/experiment.go) and the choices docs/strategies.md
 * states where the native model differs. Runs them with the shared runner, then checks the extra
 * expectations a tick may carry under `check`:
 * - `experiment`: the name of the experiment the action asks for (a `setWeight` action's `experiment`
 *   field), or `null` when the action asks for none (its ReplicaSets are to be removed);
 * - `running`: whether the state's wanted experiment runs (its ReplicaSets were reported ready); `null`: no
 *   experiment is wanted;
 * - `templates`: the action's experiment templates as `name:specRef:replicas[:weight]`;
 * - `need`: a metric need of the decision carries this experiment, analysis and args;
 * - `paused`: who holds the rollout (`state.paused.by`), or `null`;
 * - `lastFailure`: a text the state's `lastFailure.message` contains.
 */
import { describe, expect, it } from 'vitest'
import { fileURLToPath } from 'node:url'
import { dirname, join } from 'node:path'
import { checkedTicks, loadScenarios, runScenario, type Scenario, type TickRecord } from './runner.js'

const dir = join(dirname(fileURLToPath(import.meta.url)), 'experiment')

interface Check {
  experiment?: string | null
  running?: boolean | null
  templates?: string[]
  need?: { metric: string; experiment: string; analysis: string; args?: Record<string, string> }
  paused?: string | null
  lastFailure?: string
}

const CHECK_KEYS: readonly (keyof Check)[] = ['experiment', 'running', 'templates', 'need', 'paused', 'lastFailure']

const extraChecks = (sc: Scenario, records: readonly TickRecord[]): string[] => {
  const { errors, checked } = checkedTicks<Check>(sc, records, CHECK_KEYS)
  for (const { rec, check: c, where } of checked) {
    const { action, state, needs } = rec.decision
    const asked = action.type === 'setWeight' ? action.experiment : undefined
    if (c.experiment !== undefined) {
      if (c.experiment === null ? asked !== undefined : asked?.name !== c.experiment) errors.push(`${where}: action asks experiment ${JSON.stringify(asked?.name ?? null)}, expected ${JSON.stringify(c.experiment)} (${JSON.stringify(action)})`)
    }
    if (c.running !== undefined) {
      const got = state.traffic.experiment === undefined ? null : state.traffic.experiment.running === true
      if (got !== c.running) errors.push(`${where}: experiment running ${JSON.stringify(got)}, expected ${JSON.stringify(c.running)}`)
    }
    if (c.templates !== undefined) {
      const got = (asked?.templates ?? []).map((t) => [t.name, t.specRef, t.replicas, ...(t.weight !== undefined ? [t.weight] : [])].join(':'))
      if (JSON.stringify(got) !== JSON.stringify(c.templates)) errors.push(`${where}: templates ${JSON.stringify(got)}, expected ${JSON.stringify(c.templates)}`)
    }
    if (c.need !== undefined) {
      const want = c.need
      const ok = needs.some(
        (n) =>
          n.kind === 'metric' &&
          n.metric === want.metric &&
          n.experiment?.name === want.experiment &&
          n.experiment.analysis === want.analysis &&
          (want.args === undefined || JSON.stringify(n.experiment.args) === JSON.stringify(want.args)),
      )
      if (!ok) errors.push(`${where}: no metric need ${JSON.stringify(want)} in ${JSON.stringify(needs)}`)
    }
    if (c.paused !== undefined && (state.paused?.by ?? null) !== c.paused) errors.push(`${where}: paused by ${JSON.stringify(state.paused?.by ?? null)}, expected ${JSON.stringify(c.paused)}`)
    if (c.lastFailure !== undefined && !(state.lastFailure?.message ?? '').includes(c.lastFailure)) {
      errors.push(`${where}: lastFailure ${JSON.stringify(state.lastFailure)}, expected it to contain ${JSON.stringify(c.lastFailure)}`)
    }
  }
  return errors
}

describe('experiment conformance scenarios', () => {
  const all = loadScenarios(dir)
  it('has scenarios', () => expect(all.length).toBeGreaterThanOrEqual(6))
  for (const { file, scenario } of all) {
    it(`${file}: ${scenario.name}`, () => {
      const { errors, records } = runScenario(scenario)
      expect([...errors, ...extraChecks(scenario, records)]).toEqual([])
    })
  }
})
