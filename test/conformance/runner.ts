/**
 * Conformance scenarios as data: a YAML file holds a native spec and a list of ticks (observation +
 * expectation). The runner answers the engine's metric needs from each tick's `answer` map, steps the
 * engine, checks the expectations, and round-trips the state through JSON between ticks.
 */
import { readFileSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { parse } from 'yaml'
import * as E from 'fp-ts/lib/Either.js'
import {
  decodeSpec,
  decodeState,
  encodeState,
  initialState,
  step,
  type Decision,
  type Need,
  type Observation,
  type RolloutSpec,
  type RolloutState,
  type Sample,
} from '../../src/index.js'
import { answerNeeds, type World } from '../../src/testing/index.js'

type Answer = number | number[] | 'noData' | { canary: { total: number; bad: number }; primary: { total: number; bad: number } } | { canaryPoints: number[]; primaryPoints: number[] }

export interface TickInput {
  /** Seconds since the scenario start, 'wake' (the previous decision's wakeAt) or '+Ns' after the previous tick. */
  at?: number | string
  revision?: string
  ready?: { canary?: boolean; primary?: boolean }
  command?: Observation['command']
  gates?: Record<string, 'approve' | 'deny' | 'rollback'>
  samples?: Sample[]
  /** Answer every metric need of the previous decision: metric name -> value. `*` answers any metric. */
  answer?: Record<string, Answer>
  /** Repeat this tick (each at the next wakeAt when `at` is 'wake'). */
  repeat?: number
  expect?: {
    action?: string
    weight?: number
    phase?: string
    reason?: string
    noReason?: string
    event?: string
    failedChecks?: number
    wakeAt?: number | null
    unchanged?: boolean
    routes?: number
    mirror?: number | null
  }
}

export interface Scenario {
  name: string
  description?: string
  spec: unknown
  stable?: string
  ticks: TickInput[]
}

const answerNeed = (n: Need, a: Answer): Sample | null => {
  if (n.kind !== 'metric') return null
  if (a === 'noData') return { kind: 'noData', metric: n.metric, window: n.window, detail: 'scenario' }
  if (typeof a === 'number' || Array.isArray(a)) return { kind: 'value', metric: n.metric, window: n.window, value: a }
  if ('canaryPoints' in a) return { kind: 'points', metric: n.metric, window: n.window, canary: a.canaryPoints, primary: a.primaryPoints }
  return { kind: 'counts', metric: n.metric, window: n.window, canary: a.canary, primary: a.primary }
}

export interface TickRecord {
  index: number
  at: number
  decision: Decision
}

const SCENARIO_KEYS = ['name', 'description', 'spec', 'stable', 'ticks']
/** `check` holds the strategy scenarios' extra expectations (test/conformance/strategies.test.ts checks its keys). */
const TICK_KEYS = ['at', 'revision', 'ready', 'command', 'gates', 'samples', 'answer', 'repeat', 'expect', 'check']
const EXPECT_KEYS = ['action', 'weight', 'phase', 'reason', 'noReason', 'event', 'failedChecks', 'wakeAt', 'unchanged', 'routes', 'mirror']

/**
 * Keys a scenario file may not hold: a misspelt key (`expct`, `phse`, `gate`) would otherwise be ignored
 * and turn its expectation into one that cannot fail.
 */
export const unknownScenarioKeys = (sc: Scenario): string[] => {
  const errors: string[] = []
  const extra = (o: object, known: readonly string[], where: string): void => {
    for (const k of Object.keys(o)) if (!known.includes(k)) errors.push(`${where}: unknown key "${k}" (known: ${known.join(', ')})`)
  }
  extra(sc, SCENARIO_KEYS, 'scenario')
  sc.ticks.forEach((t, i) => {
    extra(t, TICK_KEYS, `ticks[${i}]`)
    if (t.expect !== undefined) extra(t.expect, EXPECT_KEYS, `ticks[${i}].expect`)
  })
  return errors
}

export const runScenario = (sc: Scenario): { errors: string[]; records: TickRecord[] } => {
  const misspelt = unknownScenarioKeys(sc)
  if (misspelt.length > 0) return { errors: misspelt, records: [] }
  const decoded = decodeSpec(sc.spec)
  if (E.isLeft(decoded)) return { errors: [`spec does not decode: ${JSON.stringify(decoded.left)}`], records: [] }
  const spec: RolloutSpec = decoded.right
  let state: RolloutState = initialState(spec, 0, sc.stable !== undefined ? { stable: sc.stable } : {})
  let last: Decision | null = null
  let at = 0
  const errors: string[] = []
  const records: TickRecord[] = []
  let index = 0
  for (const tick of sc.ticks) {
    for (let r = 0; r < (tick.repeat ?? 1); r++) {
      index += 1
      const label = `tick ${index}${tick.repeat ? ` (repeat ${r + 1}/${tick.repeat})` : ''}`
      if (tick.at === 'wake') {
        if (last?.wakeAt == null) {
          errors.push(`${label}: at 'wake' but the previous decision has no wakeAt`)
          return { errors, records }
        }
        at = last.wakeAt
      } else if (typeof tick.at === 'string' && tick.at.startsWith('+')) {
        at += Number(tick.at.slice(1).replace(/s$/, '')) * 1000
      } else if (typeof tick.at === 'number') {
        at = tick.at * 1000
      }
      const samples: Sample[] = [...(tick.samples ?? [])]
      if (tick.answer !== undefined && last !== null) {
        // the cooperative caller's answer to the metric needs whose window has ended (src/testing/cooperative.ts)
        const answers = tick.answer
        const world: World = {
          samples: (due) => due.flatMap((n) => {
            const a = answers[n.metric] ?? answers['*']
            const s = a === undefined ? null : answerNeed(n, a)
            return s === null ? [] : [s]
          }),
        }
        samples.push(...(answerNeeds(last, world, at, { gates: false }).observation.samples ?? []))
      }
      const obs: Observation = {
        at,
        ...(tick.revision !== undefined ? { revision: tick.revision } : {}),
        ...(tick.ready !== undefined ? { ready: tick.ready } : {}),
        ...(tick.command !== undefined ? { command: tick.command } : {}),
        ...(tick.gates !== undefined ? { gates: tick.gates } : {}),
        ...(samples.length > 0 ? { samples } : {}),
      }
      const before = JSON.stringify(state)
      const d = step(spec, state, obs)
      records.push({ index, at, decision: d })
      const e = tick.expect
      if (e !== undefined) {
        const where = `${label} at ${at / 1000}s`
        const codes = d.reasons.map((x) => `${x.code}: ${x.message}`)
        if (e.action !== undefined && d.action.type !== e.action) errors.push(`${where}: action ${d.action.type}, expected ${e.action} (${codes.join(' | ')})`)
        if (e.weight !== undefined && d.state.traffic.weight !== e.weight) errors.push(`${where}: weight ${d.state.traffic.weight}, expected ${e.weight}`)
        if (e.phase !== undefined && d.state.phase !== e.phase) errors.push(`${where}: phase ${d.state.phase}, expected ${e.phase} (${codes.join(' | ')})`)
        if (e.reason !== undefined && !d.reasons.some((x) => x.code === e.reason || x.message.includes(e.reason ?? ''))) {
          errors.push(`${where}: no reason ${e.reason} in ${codes.join(' | ')}`)
        }
        if (e.noReason !== undefined && d.reasons.some((x) => x.code === e.noReason)) errors.push(`${where}: unexpected reason ${e.noReason}`)
        if (e.event !== undefined && !d.events.some((x) => x.type === e.event)) {
          errors.push(`${where}: no event ${e.event} in ${d.events.map((x) => x.type).join(', ')}`)
        }
        if (e.failedChecks !== undefined && d.state.failedChecks !== e.failedChecks) errors.push(`${where}: failedChecks ${d.state.failedChecks}, expected ${e.failedChecks}`)
        if (e.wakeAt !== undefined && (e.wakeAt === null ? d.wakeAt !== null : d.wakeAt !== e.wakeAt * 1000)) {
          errors.push(`${where}: wakeAt ${d.wakeAt === null ? null : d.wakeAt / 1000}, expected ${e.wakeAt}`)
        }
        if (e.unchanged === true && JSON.stringify(d.state) !== before) errors.push(`${where}: state changed, expected unchanged`)
        if (e.routes !== undefined && d.state.traffic.routes.length !== e.routes) errors.push(`${where}: ${d.state.traffic.routes.length} routes, expected ${e.routes}`)
        if (e.mirror !== undefined && (d.state.traffic.mirror ?? null) !== e.mirror) errors.push(`${where}: mirror ${d.state.traffic.mirror}, expected ${e.mirror}`)
      }
      // persist and resume through JSON, as a controller would
      const back = decodeState(JSON.parse(JSON.stringify(encodeState(d.state))))
      if (E.isLeft(back)) {
        errors.push(`${label}: state does not round-trip: ${JSON.stringify(back.left)}`)
        return { errors, records }
      }
      state = back.right
      last = d
    }
  }
  return { errors, records }
}

export const loadScenarios = (dir: string): { file: string; scenario: Scenario }[] =>
  readdirSync(dir)
    .filter((f) => f.endsWith('.yaml') || f.endsWith('.yml') || f.endsWith('.json'))
    .sort()
    .flatMap((file) => {
      const text = readFileSync(join(dir, file), 'utf8')
      const doc = file.endsWith('.json') ? JSON.parse(text) : parse(text)
      const list: Scenario[] = Array.isArray(doc) ? doc : [doc]
      return list.map((scenario) => ({ file, scenario }))
    })

/**
 * Pairs each tick's extra `check` (a key the suite defines) with the decision record it applies to,
 * repeats included, and reports check keys the suite does not know (a misspelt key must never make a
 * vacuous expectation).
 */
export const checkedTicks = <C extends object>(
  sc: Scenario,
  records: readonly TickRecord[],
  keys: readonly (keyof C)[],
): { errors: string[]; checked: { rec: TickRecord; check: C; where: string }[] } => {
  const errors: string[] = []
  const checked: { rec: TickRecord; check: C; where: string }[] = []
  let i = 0
  for (const tick of sc.ticks as (Scenario['ticks'][number] & { check?: C })[]) {
    for (let r = 0; r < (tick.repeat ?? 1); r++) {
      const rec = records[i]
      i += 1
      const c = tick.check
      if (c !== undefined) {
        for (const k of Object.keys(c)) if (!keys.includes(k as keyof C)) errors.push(`unknown check key "${k}" (known: ${keys.join(', ')})`)
      }
      if (rec !== undefined && c !== undefined) checked.push({ rec, check: c, where: `tick ${rec.index} at ${rec.at / 1000}s` })
    }
  }
  return { errors, checked }
}
