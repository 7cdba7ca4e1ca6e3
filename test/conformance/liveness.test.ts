/**
 * Conformance scenarios for liveness and fail-safe endings (test/conformance/liveness/): a rollout always
 * ends, and never ends wrongly. Each scenario is written from upstream's documented behaviour (Argo's
 * initialDelay, Flagger's promotion-failure handling #1898/#1931, Flagger's webhook order) or from the
 * rule docs/semantics.md states where upstream is silent. Runs them with the shared runner, then checks
 * the extra expectations a tick may carry under `check`:
 * - `gates`: the names of the gates the decision asks for, in order (`[]`: none);
 * - `metrics`: the names of the metrics the decision asks for (`[]`: none);
 * - `actionWeight`: the weight a `setWeight` action carries;
 * - `switchTo`: the action is a `switch` to this side;
 * - `errorEvent`: an event of this type with severity `error`;
 * - `eventCount`: the number of events of a type (`{ type, count }`);
 * - `stable`: the state's stable revision;
 * - `lastFailure`: a text the state's `lastFailure.message` contains.
 */
import { describe, expect, it } from 'vitest'
import { fileURLToPath } from 'node:url'
import { dirname, join } from 'node:path'
import * as E from 'fp-ts/lib/Either.js'
import { checkedTicks, loadScenarios, runScenario, type Scenario, type TickRecord } from './runner.js'
import { fromFlagger } from '../../src/compat/index.js'
import { decodeSpec } from '../../src/index.js'

const dir = join(dirname(fileURLToPath(import.meta.url)), 'liveness')

interface Check {
  gates?: string[]
  metrics?: string[]
  actionWeight?: number
  switchTo?: 'canary' | 'primary'
  errorEvent?: string
  eventCount?: { type: string; count: number }
  stable?: string | null
  lastFailure?: string
}

const CHECK_KEYS: readonly (keyof Check)[] = ['gates', 'metrics', 'actionWeight', 'switchTo', 'errorEvent', 'eventCount', 'stable', 'lastFailure']

const extraChecks = (sc: Scenario, records: readonly TickRecord[]): string[] => {
  const { errors, checked } = checkedTicks<Check>(sc, records, CHECK_KEYS)
  for (const { rec, check: c, where } of checked) {
    const { action, state, needs, events } = rec.decision
    if (c.gates !== undefined) {
      const got = needs.flatMap((n) => (n.kind === 'gate' ? [n.gate] : []))
      if (JSON.stringify(got) !== JSON.stringify(c.gates)) errors.push(`${where}: asks gates ${JSON.stringify(got)}, expected ${JSON.stringify(c.gates)}`)
    }
    if (c.metrics !== undefined) {
      const got = needs.flatMap((n) => (n.kind === 'metric' ? [n.metric] : []))
      if (JSON.stringify(got) !== JSON.stringify(c.metrics)) errors.push(`${where}: asks metrics ${JSON.stringify(got)}, expected ${JSON.stringify(c.metrics)}`)
    }
    if (c.actionWeight !== undefined && !(action.type === 'setWeight' && action.weight === c.actionWeight)) {
      errors.push(`${where}: expected setWeight ${c.actionWeight}, got ${JSON.stringify(action)}`)
    }
    if (c.switchTo !== undefined && !(action.type === 'switch' && action.to === c.switchTo)) {
      errors.push(`${where}: expected switch to ${c.switchTo}, got ${JSON.stringify(action)}`)
    }
    if (c.errorEvent !== undefined && !events.some((e) => e.type === c.errorEvent && e.severity === 'error')) {
      errors.push(`${where}: no error event ${c.errorEvent} in ${JSON.stringify(events)}`)
    }
    if (c.eventCount !== undefined) {
      const n = events.filter((e) => e.type === c.eventCount?.type).length
      if (n !== c.eventCount.count) errors.push(`${where}: ${n} ${c.eventCount.type} events, expected ${c.eventCount.count}`)
    }
    if (c.stable !== undefined && state.stable !== c.stable) errors.push(`${where}: stable ${state.stable}, expected ${c.stable}`)
    if (c.lastFailure !== undefined && !(state.lastFailure?.message ?? '').includes(c.lastFailure)) {
      errors.push(`${where}: lastFailure ${JSON.stringify(state.lastFailure)}, expected it to contain ${JSON.stringify(c.lastFailure)}`)
    }
  }
  return errors
}

describe('liveness conformance scenarios', () => {
  const all = loadScenarios(dir)
  it('has scenarios', () => expect(all.length).toBeGreaterThan(6))
  for (const { file, scenario } of all) {
    it(`${file}: ${scenario.name}`, () => {
      const { errors, records } = runScenario(scenario)
      expect([...errors, ...extraChecks(scenario, records)]).toEqual([])
    })
  }
})

describe('a Flagger metric named "" (the CRD allows it)', () => {
  const canary = (metrics: unknown[]) => ({
    apiVersion: 'flagger.app/v1beta1',
    kind: 'Canary',
    metadata: { name: 'podinfo', namespace: 'test' },
    spec: {
      targetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'podinfo' },
      service: { port: 80 },
      analysis: { interval: '1m', threshold: 5, maxWeight: 50, stepWeight: 10, metrics },
    },
  })
  it('is imported, named after its position', () => {
    const r = fromFlagger(canary([{ name: '', interval: '1m', thresholdRange: { min: 99 }, query: 'sum(rate(x[1m]))' }]))
    expect(E.isRight(r) && r.right.analysis.metrics.map((m) => m.name)).toEqual(['metrics[0]'])
  })
  it('keeps the other metrics as they are', () => {
    const r = fromFlagger(canary([{ name: 'request-success-rate', thresholdRange: { min: 99 } }, { name: '', thresholdRange: { max: 5 }, query: 'q' }]))
    expect(E.isRight(r) && r.right.analysis.metrics.map((m) => m.name)).toEqual(['request-success-rate', 'metrics[1]'])
  })
  it('is still refused in a native spec, where a name is how samples find their metric', () => {
    expect(E.isLeft(decodeSpec({ strategy: { canary: { stepWeight: 10 } }, analysis: { metrics: [{ name: '', thresholdRange: { min: 1 } }] } }))).toBe(true)
  })
})
