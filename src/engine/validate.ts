/**
 * Checks an observation before it is used, part by part. Only an unusable `at` (not a number, beyond the
 * Date range, before the last observation) or an observation that is not an object refuses the whole
 * observation. Every other part is checked on its own: an unusable revision, readiness field, command,
 * sample or gate answer is left out with a reason, and the rest is used.
 *
 * @module
 */
import type { RolloutSpec } from '../config/spec.js'
import { COMMANDS, GATE_ANSWERS, type GateAnswer, type Observation, type Sample } from '../model/observation.js'
import type { RolloutState } from './state.js'
import type { Reason } from './decision.js'
import { gateNeeds } from './needs.js'
import { describeValue } from '../model/errors.js'
import { sampleProblem } from './sampleCheck.js'

/** The most samples one observation carries (one per metric and window is the norm). */
const MAX_SAMPLES = 10_000
const COMMAND_LIST: readonly string[] = COMMANDS
const ANSWERS: readonly string[] = GATE_ANSWERS

const isObj = (u: unknown): u is Record<string, unknown> => typeof u === 'object' && u !== null && !Array.isArray(u)
/** The Date range: an `at` beyond it is a unit mistake, and accepting it would make every later observation go backwards. */
const MAX_INSTANT = 8.64e15

/**
 * The result of checking an observation: refused as a whole (`refused` says why), or the usable part of
 * it (`obs`, the input itself when nothing was left out) with a reason for each part left out.
 *
 * @example
 * ```ts
 * declare const c: ObservationCheck
 * if ('refused' in c) console.log(c.refused)
 * else console.log(c.ignored.map((r) => r.message))
 * ```
 * @category model
 */
export type ObservationCheck = { readonly refused: string } | { readonly obs: Observation; readonly ignored: readonly Reason[] }

/** The Observation fields, in the order the engine writes them. */
type Parts = { -readonly [K in keyof Observation]: Observation[K] }

const windowText = (s: unknown): string => {
  const w = isObj(s) ? s.window : undefined
  return isObj(w) && typeof w.from === 'number' && typeof w.to === 'number' ? ` [${w.from}, ${w.to})` : ''
}

const metricOf = (s: unknown): string | undefined => (isObj(s) && typeof s.metric === 'string' ? s.metric : undefined)

/**
 * Checks `obs` against `state` (see the module comment).
 *
 * @example
 * ```ts
 * declare const spec: RolloutSpec, state: RolloutState
 * checkObservation(spec, state, { at: state.at - 1 })               // { refused: 'time went backwards: ...' }
 * checkObservation(spec, state, { at: state.at, command: 'oops' })  // { obs: { at }, ignored: [{ code: 'commandIgnored', ... }] }
 * ```
 * @category validation
 */
export const checkObservation = (spec: RolloutSpec, state: RolloutState, obs: unknown): ObservationCheck => {
  if (!isObj(obs)) return { refused: `expected an observation object, got ${describeValue(obs)}` }
  const o = obs as unknown as Observation
  const at = o.at as unknown
  if (typeof at !== 'number' || !Number.isFinite(at)) return { refused: `at: expected epoch milliseconds, got ${describeValue(at)}` }
  if (Math.abs(at) > MAX_INSTANT) return { refused: `at: ${at} is not an epoch-millisecond instant (beyond the Date range; seconds or nanoseconds?)` }
  if (at < state.at) return { refused: `time went backwards: at ${at} is before the last observation ${state.at}` }

  let ignored: Reason[] | null = null
  const ignore = (r: Reason): void => {
    ;(ignored ??= []).push(r)
  }

  const revision = o.revision as unknown
  const revisionOk = revision === undefined || (typeof revision === 'string' && revision.length > 0 && revision.length <= 253)
  if (!revisionOk) {
    ignore({ code: 'revisionIgnored', message: `revision ignored: expected a non-empty string (at most 253 characters), got ${describeValue(revision)}` })
  }

  let ready = o.ready as unknown
  if (ready !== undefined) {
    if (!isObj(ready)) {
      ignore({ code: 'readinessIgnored', message: `ready ignored: expected { canary?: boolean, primary?: boolean, experiment?: boolean }, got ${describeValue(ready)}` })
      ready = undefined
    } else if (
      (ready.canary !== undefined && typeof ready.canary !== 'boolean') ||
      (ready.primary !== undefined && typeof ready.primary !== 'boolean') ||
      (ready.experiment !== undefined && typeof ready.experiment !== 'boolean')
    ) {
      const kept: { canary?: boolean; primary?: boolean; experiment?: boolean } = {}
      for (const arm of ['canary', 'primary', 'experiment'] as const) {
        const v = ready[arm]
        if (typeof v === 'boolean') kept[arm] = v
        else if (v !== undefined) ignore({ code: 'readinessIgnored', message: `ready.${arm} ignored: expected a boolean, got ${describeValue(v)}` })
      }
      ready = kept
    }
  }

  const command = o.command as unknown
  const commandOk = command === undefined || COMMAND_LIST.includes(command as string)
  if (!commandOk) ignore({ code: 'commandIgnored', message: `command ignored: expected one of ${COMMAND_LIST.join(', ')}, got ${describeValue(command)}` })

  let samples = o.samples as unknown
  if (samples !== undefined) {
    if (!Array.isArray(samples)) {
      ignore({ code: 'sampleIgnored', message: `samples ignored: expected a list, got ${describeValue(samples)}` })
      samples = undefined
    } else if (samples.length > MAX_SAMPLES) {
      // a list of length 2^32-1 would be walked for hours (and give a reason per entry)
      ignore({ code: 'sampleIgnored', message: `samples ignored: a list of ${samples.length} samples, more than ${MAX_SAMPLES}` })
      samples = undefined
    } else {
      let kept: Sample[] | null = null
      for (let i = 0; i < samples.length; i++) {
        const s = samples[i] as unknown
        const problem = sampleProblem(spec, state, s, at)
        if (problem === null) {
          kept?.push(s as Sample)
          continue
        }
        if (kept === null) kept = (samples as Sample[]).slice(0, i)
        const metric = metricOf(s)
        ignore({
          code: 'sampleIgnored',
          message: `${metric !== undefined ? `${metric}: sample` : `samples[${i}]`}${windowText(s)} ignored: ${problem}`,
          ...(metric !== undefined ? { metric } : {}),
        })
      }
      if (kept !== null) samples = kept
    }
  }

  let gates = o.gates as unknown
  if (gates !== undefined) {
    if (!isObj(gates)) {
      ignore({ code: 'gateIgnored', message: `gates ignored: expected { [gate]: "approve" | "deny" | "rollback" }, got ${describeValue(gates)}` })
      gates = undefined
    } else {
      let asked: Set<string> | null = null
      let kept: Record<string, GateAnswer> | null = null
      const entries = Object.entries(gates)
      for (let i = 0; i < entries.length; i++) {
        const [name, answer] = entries[i]!
        let problem: string | null = null
        if (!ANSWERS.includes(answer as string)) problem = `expected approve, deny or rollback, got ${describeValue(answer)}`
        else if (!spec.gates.some((x) => x.name === name)) problem = 'unknown gate'
        else {
          asked ??= new Set(gateNeeds(spec, state).flatMap((n) => (n.kind === 'gate' ? [n.gate] : [])))
          if (!asked.has(name)) problem = `this gate was not asked for (phase ${state.phase})`
        }
        if (problem === null) {
          if (kept !== null) kept[name] = answer as GateAnswer
          continue
        }
        if (kept === null) {
          kept = Object.create(null) as Record<string, GateAnswer>
          for (let j = 0; j < i; j++) kept[entries[j]![0]] = entries[j]![1] as GateAnswer
        }
        ignore({ code: 'gateIgnored', message: `gates.${name}: ${typeof answer === 'string' ? `${JSON.stringify(answer.slice(0, 40))} ` : ''}ignored: ${problem}` })
      }
      if (kept !== null) gates = { ...kept }
    }
  }

  if (ignored === null) return { obs: o, ignored: [] }
  const clean: Parts = { at }
  if (revisionOk && revision !== undefined) clean.revision = revision as string
  if (ready !== undefined) clean.ready = ready as Observation['ready']
  if (samples !== undefined) clean.samples = samples as readonly Sample[]
  if (gates !== undefined) clean.gates = gates as Observation['gates']
  if (commandOk && command !== undefined) clean.command = command as Observation['command']
  return { obs: clean, ignored }
}
