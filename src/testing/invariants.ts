/**
 * Invariant checkers for rollout traces: given a spec and the (state, observation, decision) entries of a run
 * (from `playScript`, or recorded by your own harness), report every broken invariant:
 * - `noThrow`: `step` never throws;
 * - `weightBounds`: the canary weight stays within [0, maxWeight] except while promoting;
 * - `noRiseAfterFailure`: the weight never rises in a step that reported a failed check;
 * - `rollbackShape`: a `rollback` action leaves weight 0 and phase `failed`;
 * - `terminalStays`: `succeeded` / `failed` stay put until a new revision (or `retry` for `failed`);
 * - `invalidHolds`: an observation whose time went backwards changes nothing and holds;
 * - `deterministic`: stepping the same state and observation again gives the same decision;
 * - `codecTransparent`: `decodeState(encodeState(s))` (through JSON text) gives `s` back, and stepping the
 *   decoded state gives the same decision;
 * - `stateSize`: the encoded state is under 2.5 KB of JSON (the README's bound for up to four sequential metrics).
 *
 * @module
 */
import * as E from 'fp-ts/lib/Either.js'
import type { RolloutSpec } from '../config/spec.js'
import type { Decision } from '../engine/decision.js'
import type { RolloutState } from '../engine/state.js'
import { decodeState, encodeState } from '../engine/stateCodec.js'
import { step as engineStep } from '../engine/step.js'
import type { StepFunction, TraceEntry } from './trace.js'
import { phaseSet, PROMOTION_PHASES, TERMINAL_PHASES } from '../model/phase.js'
import { boundedList, guarded, rethrow } from '../model/guard.js'

/**
 * The name of an invariant.
 *
 * @example
 * ```ts
 * const n: InvariantName = 'weightBounds'
 * ```
 * @category model
 */
export type InvariantName =
  | 'noThrow'
  | 'weightBounds'
  | 'noRiseAfterFailure'
  | 'rollbackShape'
  | 'terminalStays'
  | 'invalidHolds'
  | 'deterministic'
  | 'codecTransparent'
  | 'stateSize'

/**
 * A broken invariant at trace entry `index`.
 *
 * @example
 * ```ts
 * const v: Violation = { index: 3, invariant: 'weightBounds', message: 'weight 60 > maxWeight 50 in phase progressing' }
 * ```
 * @category model
 */
export interface Violation {
  readonly index: number
  readonly invariant: InvariantName
  readonly message: string
}

/**
 * Options of `checkInvariants`.
 *
 * @example
 * ```ts
 * const o: InvariantOptions = { maxStateBytes: 2048, skip: ['stateSize'] }
 * ```
 * @category model
 */
export interface InvariantOptions {
  /** Largest allowed encoded state, in bytes of JSON text (default 2560, exclusive: the README's measured bound). */
  readonly maxStateBytes?: number
  /** Invariants not to check. */
  readonly skip?: readonly InvariantName[]
  /** The step function used for the determinism and codec re-runs (default: the engine's `step`). */
  readonly step?: StepFunction
}

const TERMINAL = phaseSet(TERMINAL_PHASES)
const PROMOTION = phaseSet(PROMOTION_PHASES)

const json = (x: unknown): string => {
  try {
    return JSON.stringify(x, (_k, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? String(v) : v)) ?? 'undefined'
  } catch {
    return '<unserialisable>'
  }
}

const weightOf = (d: Decision): number | null => (d.action.type === 'setWeight' ? d.action.weight : null)

const reportedFailure = (d: Decision): boolean =>
  d.events.some((e) => e.type === 'checkFailed') || d.reasons.some((r) => r.code === 'metricFailed')

/**
 * Checks every invariant over a trace and returns the violations (empty when all hold).
 *
 * @example
 * ```ts
 * const violations = checkInvariants(spec, playScript(spec, script))
 * if (violations.length > 0) throw new Error(formatViolations(violations))
 * ```
 * @category invariants
 */
export const checkInvariants = guarded('checkInvariants', (spec: RolloutSpec, trace: readonly TraceEntry[], options: InvariantOptions = {}): Violation[] => {
  const out: Violation[] = []
  const skip = new Set(options.skip ?? [])
  const maxBytes = options.maxStateBytes ?? 2560
  const stepFn = options.step ?? engineStep
  const maxWeight = spec.strategy.maxWeight
  const add = (index: number, invariant: InvariantName, message: string): void => {
    if (!skip.has(invariant)) out.push({ index, invariant, message })
  }
  boundedList(trace, 'trace').forEach((entry, i) => {
    const { before, observation: obs, decision: d } = entry
    if (d === null) {
      add(i, 'noThrow', `step threw: ${entry.thrown instanceof Error ? entry.thrown.message : String(entry.thrown)}`)
      return
    }
    const s: RolloutState = d.state
    // weight bounds
    const weights = [s.traffic.weight, weightOf(d)].filter((w): w is number => w !== null)
    for (const w of weights) {
      if (!(w >= 0 && w <= 100)) add(i, 'weightBounds', `weight ${w} outside [0, 100]`)
      else if (w > maxWeight && !PROMOTION.has(s.phase)) add(i, 'weightBounds', `weight ${w} > maxWeight ${maxWeight} in phase ${s.phase}`)
    }
    // no rise after a failed check in the same step
    if (reportedFailure(d) && s.traffic.weight > before.traffic.weight && before.revision === s.revision) {
      add(i, 'noRiseAfterFailure', `weight rose ${before.traffic.weight} -> ${s.traffic.weight} in a step with a failed check`)
    }
    // rollback shape
    if (d.action.type === 'rollback' && (s.traffic.weight !== 0 || s.phase !== 'failed')) {
      add(i, 'rollbackShape', `rollback left weight ${s.traffic.weight} and phase ${s.phase}`)
    }
    // terminal phases stay terminal until a new revision (or retry after a failure)
    if (TERMINAL.has(before.phase)) {
      const newRevision = obs.revision !== undefined && obs.revision !== before.revision
      const retry = before.phase === 'failed' && obs.command === 'retry'
      if (!newRevision && !retry && s.phase !== before.phase) add(i, 'terminalStays', `${before.phase} -> ${s.phase} without a new revision`)
    }
    // an observation from the past changes nothing
    if (obs.at < before.at) {
      if (json(s) !== json(before)) add(i, 'invalidHolds', `time went backwards (${obs.at} < ${before.at}) but the state changed`)
      if (d.action.type !== 'hold') add(i, 'invalidHolds', `time went backwards but the action was ${d.action.type}`)
    }
    // determinism
    if (!skip.has('deterministic')) {
      try {
        const again = stepFn(spec, before, obs)
        if (json(again) !== json(d)) add(i, 'deterministic', 'stepping the same state and observation again gave another decision')
      } catch (e) {
        add(i, 'deterministic', `the re-run threw: ${String(e)}`)
      }
    }
    // codec transparency and size
    let text = ''
    try {
      text = JSON.stringify(encodeState(s))
    } catch (e) {
      add(i, 'codecTransparent', `encodeState threw: ${String(e)}`)
    }
    if (text !== '') {
      if (text.length >= maxBytes) add(i, 'stateSize', `encoded state is ${text.length} bytes (limit ${maxBytes})`)
      if (!skip.has('codecTransparent')) {
        const back = decodeState(JSON.parse(text) as unknown)
        if (E.isLeft(back)) add(i, 'codecTransparent', `decodeState rejected encodeState's output: ${back.left.map((e) => `${e.path}: ${e.message}`).join('; ')}`)
        else if (json(back.right) !== json(s)) add(i, 'codecTransparent', 'decodeState(encodeState(s)) differs from s')
        else if (i + 1 < trace.length) {
          const nextObs = trace[i + 1]?.observation
          const nextDecision = trace[i + 1]?.decision
          if (nextObs && nextDecision) {
            try {
              if (json(stepFn(spec, back.right, nextObs)) !== json(nextDecision)) add(i, 'codecTransparent', 'stepping the decoded state gave another decision')
            } catch (e) {
              add(i, 'codecTransparent', `stepping the decoded state threw: ${String(e)}`)
            }
          }
        }
      }
    }
  })
  return out
}, (m) => rethrow(m))

/**
 * Renders violations for an assertion message (at most `limit` lines).
 *
 * @example
 * ```ts
 * formatViolations([{ index: 3, invariant: 'stateSize', message: 'encoded state is 2100 bytes (limit 2048)' }])
 * // '#3 stateSize: encoded state is 2100 bytes (limit 2048)'
 * ```
 * @category invariants
 */
export const formatViolations = guarded('formatViolations', (violations: readonly Violation[], limit: number = 20): string =>
  [
    ...violations.slice(0, limit).map((v) => `#${v.index} ${v.invariant}: ${v.message}`),
    ...(violations.length > limit ? [`... and ${violations.length - limit} more`] : []),
  ].join('\n'), (m) => rethrow(m))

/**
 * Throws an Error listing the violations when any invariant is broken (for `fc.assert` properties).
 *
 * @example
 * ```ts
 * fc.assert(fc.property(observationScript(), (script) => assertInvariants(spec, playScript(spec, script))))
 * ```
 * @category invariants
 */
export const assertInvariants = guarded('assertInvariants', (spec: RolloutSpec, trace: readonly TraceEntry[], options: InvariantOptions = {}): void => {
  const v = checkInvariants(spec, trace, options)
  if (v.length > 0) throw new Error(`${v.length} invariant violation(s):\n${formatViolations(v)}`)
}, (m) => rethrow(m))
