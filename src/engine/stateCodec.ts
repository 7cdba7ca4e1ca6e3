/**
 * `encodeState` / `decodeState`: the state as a plain, versioned JSON value that a controller keeps in a
 * CRD status and any replica resumes from.
 *
 * @module
 */
import * as t from 'io-ts'
import * as E from 'fp-ts/lib/Either.js'
import type { RolloutState, STATE_KEYS } from './state.js'
import type { SpecError } from '../model/errors.js'
import { foldErrors } from '../config/closed.js'
import { thrownMessage } from '../model/thrown.js'
import { readPlainData } from '../config/plainData.js'
import { describeValue } from '../model/errors.js'
import { PhaseCodec } from '../model/phase.js'
import { FINALS, VERDICTS } from '../model/verdict.js'
import { literalCodec } from '../model/literals.js'

const refined = <A>(name: string, guard: (u: unknown) => u is A): t.Type<A, A, unknown> =>
  new t.Type<A, A, unknown>(name, guard, (u, c) => (guard(u) ? t.success(u) : t.failure(u, c)), (a) => a)
/**
 * Ranges match what `step` can write (issue 15): `at` is an accepted observation time, so within the Date
 * range; every other number (window ends, `at` + an interval, observed values and bounds) is any finite
 * number, since a metric value of 1e308 or a `nextTickAt` past the largest Date must decode back.
 */
const instant = refined('an epoch-millisecond instant (within the Date range)', (u): u is number => typeof u === 'number' && Number.isFinite(u) && Math.abs(u) <= 8.64e15)
/** Any finite number: a derived time (`nextTickAt`, `lastTo`), a duration, an observed value or a bound. */
const num = refined('a finite number', (u): u is number => typeof u === 'number' && Number.isFinite(u))
/** A counter: a safe integer >= 0. */
const count = refined('a whole number >= 0', (u): u is number => typeof u === 'number' && Number.isSafeInteger(u) && u >= 0)
/** A traffic share 0..100. */
const percent = refined('a number from 0 to 100', (u): u is number => typeof u === 'number' && u >= 0 && u <= 100)
/** A revision name (Kubernetes name length). */
const name = refined('a string of at most 253 characters', (u): u is string => typeof u === 'string' && u.length <= 253)
/** A counter that states written before it existed lack: absent, it reads as 0. */
const laterCount = new t.Type<number, number, unknown>(count.name, count.is, (u, c) => (u === undefined ? t.success(0) : count.validate(u, c)), (a) => a)
const nullableNum = t.union([num, t.null])
const StringMatchC = t.partial({ exact: t.string, prefix: t.string, suffix: t.string, regex: t.string })
const RequestMatchC = t.partial({
  headers: t.record(t.string, StringMatchC),
  cookies: t.record(t.string, StringMatchC),
  queryParams: t.record(t.string, StringMatchC),
})
const RouteC = t.intersection([
  t.type({ name: t.string, kind: t.keyof({ header: null, mirror: null }), match: t.array(RequestMatchC) }),
  t.partial({ percentage: num }),
])
const ExperimentTemplateC = t.intersection([
  t.type({ name, specRef: t.keyof({ stable: null, canary: null }), replicas: count }),
  t.partial({ weight: percent }),
])
const ExperimentTrafficC = t.intersection([t.type({ name, templates: t.array(ExperimentTemplateC) }), t.partial({ running: t.literal(true) })])
const TrafficC = t.intersection([
  t.type({ weight: percent, routes: t.array(RouteC) }),
  t.partial({ mirror: percent, canaryScale: t.partial({ weight: percent, replicas: count }), preview: t.boolean, experiment: ExperimentTrafficC }),
])
const Verdict = literalCodec(VERDICTS)
const PendingC = t.union([
  t.null,
  t.intersection([t.type({ verdict: Verdict, message: t.string }), t.partial({ observed: num, bound: num })]),
])
const MetricStateC = t.type({
  lastTo: nullableNum,
  pending: PendingC,
  judge: t.unknown,
  final: t.union([t.null, literalCodec(FINALS)]),
  measurements: count,
})
const PhaseC = PhaseCodec
const FailureC = t.union([
  t.null,
  t.intersection([t.type({ code: t.string, message: t.string, at: num }), t.partial({ metric: t.string, observed: num, bound: num })]),
])

/**
 * io-ts codec of the state, schema version 1.
 *
 * @example
 * ```ts
 * RolloutStateCodec.is({}) // false
 * ```
 * @category codecs
 */
export const RolloutStateCodec = t.intersection([t.type({
  v: t.literal(1),
  phase: PhaseC,
  at: instant,
  revision: t.union([name, t.null]),
  stable: t.union([name, t.null]),
  startedAt: nullableNum,
  stepIndex: count,
  stepStartedAt: nullableNum,
  stepPasses: count,
  traffic: TrafficC,
  failedChecks: count,
  consecutiveFailures: count,
  noDataTicks: count,
  inconclusiveTicks: laterCount,
  ticks: count,
  nextTickAt: nullableNum,
  waitingSince: nullableNum,
  canaryReady: t.union([t.boolean, t.null]),
  approved: t.array(t.string),
  paused: t.union([
    t.null,
    t.type({ by: t.keyof({ operator: null, step: null, inconclusive: null }), since: num, until: nullableNum }),
  ]),
  resumePhase: t.union([PhaseC, t.null]),
  metrics: t.record(t.string, MetricStateC),
  lastFailure: FailureC,
}), t.partial({ scaleDownAt: num })])

/**
 * The state as a plain JSON value (it already is one: this is the identity, typed as `unknown` so that
 * callers persist it as data and read it back through `decodeState`).
 *
 * @example
 * ```ts
 * declare const state: RolloutState
 * const status = JSON.stringify(encodeState(state))
 * ```
 * @category codecs
 */
export const encodeState = (state: RolloutState): unknown => state

/**
 * A state written before `inconclusiveTicks` existed, with the count (0) after `noDataTicks`, where
 * `STATE_KEYS` has it, instead of last (every other key keeps its place).
 */
const countInPlace = (s: RolloutState): RolloutState =>
  Object.fromEntries(
    Object.entries(s).flatMap(([k, v]): [string, unknown][] => (k === 'inconclusiveTicks' ? [] : k === 'noDataTicks' ? [[k, v], ['inconclusiveTicks', s.inconclusiveTicks]] : [[k, v]])),
  ) as unknown as RolloutState

/**
 * Reads a persisted state back, or says what is wrong with it (with paths). Never throws. A state written
 * before `inconclusiveTicks` existed reads with 0 there.
 *
 * @example
 * ```ts
 * import * as E from 'fp-ts/lib/Either.js'
 * declare const status: string
 * const r = decodeState(JSON.parse(status))
 * if (E.isLeft(r)) console.error(r.left)
 * ```
 * @category codecs
 */
export const decodeState = (input: unknown): E.Either<SpecError[], RolloutState> => {
  try {
    const plain = readPlainData(input)
    if (E.isLeft(plain)) return plain
    const data = plain.right
    if (typeof data === 'object' && data !== null && 'v' in data && (data as { v: unknown }).v !== 1) {
      return E.left([{ path: 'v', message: `unsupported state version ${describeValue((data as { v: unknown }).v)}; this library reads version 1` }])
    }
    const r = RolloutStateCodec.decode(data)
    if (E.isLeft(r)) return E.left(foldErrors(r.left))
    const s = r.right as RolloutState
    return E.right(Object.prototype.hasOwnProperty.call(data, 'inconclusiveTicks') ? s : countInPlace(s))
  } catch (e) {
    return E.left([{ path: '', message: `could not decode the state: ${thrownMessage(e)}` }])
  }
}

/** The codec's fields are `STATE_KEYS` (plus the optional `scaleDownAt`): a compile error names a key on one side only. */
type CodecKeys = keyof (typeof RolloutStateCodec.types)[0]['props']
type StateKeyMismatch = Exclude<CodecKeys, (typeof STATE_KEYS)[number]> | Exclude<(typeof STATE_KEYS)[number], CodecKeys>
const codecMatchesStateKeys: [StateKeyMismatch] extends [never] ? true : StateKeyMismatch = true
void codecMatchesStateKeys

