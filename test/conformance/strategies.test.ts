/**
 * Conformance scenarios for blue/green, A/B testing and mirroring, as data (test/conformance/strategies/).
 * Runs them with the shared runner (which checks action type, weight, phase, reasons, events, routes,
 * mirror, and round-trips the state through JSON between ticks), then checks the strategy-specific
 * expectations a tick may carry under `check`:
 * - `switchTo`: the action is a `switch` to this side;
 * - `preview`: the wanted routing has (true) or has not (false) the preview flag, in the state and in a `setWeight`;
 * - `canaryScale`: the routing's replica override (null: none), in the state and in a `setWeight`;
 * - `routeNames`: the names of the managed routes in the state;
 * - `actionRoutes`: the number of routes a `setWeight` action carries;
 * - `scaleDownAt`: seconds (null: absent);
 * - `replicas`: the pod counts a `setWeight` action carries (null: none).
 */
import { describe, expect, it } from 'vitest'
import { fileURLToPath } from 'node:url'
import { dirname, join } from 'node:path'
import { checkedTicks, loadScenarios, runScenario, type Scenario, type TickRecord } from './runner.js'

const dir = join(dirname(fileURLToPath(import.meta.url)), 'strategies')

interface Check {
  switchTo?: 'canary' | 'primary'
  preview?: boolean
  canaryScale?: { weight?: number; replicas?: number } | null
  routeNames?: string[]
  actionRoutes?: number
  scaleDownAt?: number | null
  replicas?: { canary: number; stable: number } | null
}

const CHECK_KEYS: readonly (keyof Check)[] = ['switchTo', 'preview', 'canaryScale', 'routeNames', 'actionRoutes', 'scaleDownAt', 'replicas']

const extraChecks = (sc: Scenario, records: readonly TickRecord[]): string[] => {
  const { errors, checked } = checkedTicks<Check>(sc, records, CHECK_KEYS)
  for (const { rec, check: c, where } of checked) {
    const { action, state } = rec.decision
    if (c.switchTo !== undefined && !(action.type === 'switch' && action.to === c.switchTo)) {
      errors.push(`${where}: expected switch to ${c.switchTo}, got ${JSON.stringify(action)}`)
    }
    if (c.preview !== undefined) {
      if ((state.traffic.preview === true) !== c.preview) errors.push(`${where}: state preview ${String(state.traffic.preview)}, expected ${c.preview}`)
      if (action.type === 'setWeight' && (action.preview === true) !== c.preview) errors.push(`${where}: action preview ${String(action.preview)}, expected ${c.preview}`)
    }
    if (c.canaryScale !== undefined) {
      const want = JSON.stringify(c.canaryScale)
      if (JSON.stringify(state.traffic.canaryScale ?? null) !== want) errors.push(`${where}: state canaryScale ${JSON.stringify(state.traffic.canaryScale)}, expected ${want}`)
      if (action.type === 'setWeight' && JSON.stringify(action.canaryScale ?? null) !== want) {
        errors.push(`${where}: action canaryScale ${JSON.stringify(action.canaryScale)}, expected ${want}`)
      }
    }
    if (c.routeNames !== undefined && JSON.stringify(state.traffic.routes.map((x) => x.name)) !== JSON.stringify(c.routeNames)) {
      errors.push(`${where}: routes ${JSON.stringify(state.traffic.routes.map((x) => x.name))}, expected ${JSON.stringify(c.routeNames)}`)
    }
    if (c.actionRoutes !== undefined && !(action.type === 'setWeight' && action.routes.length === c.actionRoutes)) {
      errors.push(`${where}: expected a setWeight with ${c.actionRoutes} routes, got ${JSON.stringify(action)}`)
    }
    if (c.replicas !== undefined) {
      const got = action.type === 'setWeight' ? JSON.stringify(action.replicas ?? null) : 'no setWeight action'
      if (got !== JSON.stringify(c.replicas)) errors.push(`${where}: replicas ${got}, expected ${JSON.stringify(c.replicas)}`)
    }
    if (c.scaleDownAt !== undefined && (state.scaleDownAt ?? null) !== (c.scaleDownAt === null ? null : c.scaleDownAt * 1000)) {
      errors.push(`${where}: scaleDownAt ${String(state.scaleDownAt)}, expected ${String(c.scaleDownAt)}`)
    }
  }
  return errors
}

const timeline = (records: readonly TickRecord[]): string =>
  records
    .map((r) => `${r.at / 1000}s ${r.decision.state.phase} ${JSON.stringify(r.decision.action)} wake=${r.decision.wakeAt === null ? '-' : r.decision.wakeAt / 1000} ${r.decision.reasons.map((x) => x.code).join(',')}`)
    .join('\n')

describe('strategy conformance scenarios (blue/green, A/B, mirroring, managed routes, replicas)', () => {
  const all = loadScenarios(dir)
  it('has scenarios for every strategy', () => {
    const kinds = new Set(all.map(({ scenario }) => Object.keys((scenario.spec as { strategy: object }).strategy)[0]))
    expect([...kinds].sort()).toEqual(['abTest', 'blueGreen', 'canary'])
    expect(all.length).toBeGreaterThan(20)
  })
  for (const { file, scenario } of all) {
    it(`${file}: ${scenario.name}`, () => {
      const { errors, records } = runScenario(scenario)
      const all = [...errors, ...extraChecks(scenario, records)]
      expect(all, `timeline:\n${timeline(records)}`).toEqual([])
    })
  }
})
