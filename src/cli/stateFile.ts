/**
 * The state file of `run --state FILE` and `status STATE_FILE`: the encoded rollout state plus the last
 * decision (what the status view shows), written atomically (a temporary file renamed over the old one)
 * so that an interrupted write never leaves half a file. `status` also reads a bare encoded state, as a
 * controller keeps it in a custom resource's status.
 *
 * @module
 */
import * as E from 'fp-ts/lib/Either.js'
import { decodeState } from '../engine/stateCodec.js'
import type { RolloutState } from '../engine/state.js'
import type { Reason } from '../engine/decision.js'
import type { LastDecision } from './statusView.js'

/**
 * The `kind` of a state file written by `run`.
 *
 * @example
 * ```ts
 * STATE_FILE_KIND // 'rollout-kernel/run-state'
 * ```
 * @category constants
 */
export const STATE_FILE_KIND = 'rollout-kernel/run-state'

/**
 * A state file's content, decoded.
 *
 * @example
 * ```ts
 * declare const f: StateFile
 * f.state.phase
 * ```
 * @category model
 */
export interface StateFile {
  /** The encoded state as saved (what `drive`'s persistence loads). */
  readonly encoded: unknown
  readonly state: RolloutState
  readonly last: LastDecision | null
  /** The latest verdict of each metric over the run (see `latestVerdicts`). */
  readonly verdicts: Readonly<Record<string, Reason>>
}

const isRecord = (u: unknown): u is Record<string, unknown> => typeof u === 'object' && u !== null && !Array.isArray(u)

/**
 * The JSON text of a state file.
 *
 * @example
 * ```ts
 * declare const encoded: unknown
 * stateFileText(encoded, null).startsWith('{') // true
 * ```
 * @category formatters
 */
export const stateFileText = (encoded: unknown, last: LastDecision | null, verdicts: Readonly<Record<string, Reason>> = {}): string =>
  `${JSON.stringify({ kind: STATE_FILE_KIND, v: 1, state: encoded, last, verdicts }, null, 2)}\n`

const isLast = (u: unknown): u is LastDecision =>
  isRecord(u) &&
  typeof u['at'] === 'number' &&
  isRecord(u['action']) &&
  typeof u['action']['type'] === 'string' &&
  Array.isArray(u['reasons']) &&
  Array.isArray(u['needs']) &&
  Array.isArray(u['events']) &&
  (u['wakeAt'] === null || typeof u['wakeAt'] === 'number')

/**
 * Reads a state file's text: a `run` state file or a bare encoded state. Left with one message per problem.
 *
 * @example
 * ```ts
 * parseStateFile('s.json', '{}')._tag // 'Left'
 * ```
 * @category parsers
 */
export const parseStateFile = (file: string, text: string): E.Either<string[], StateFile> => {
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch (e) {
    return E.left([`${file}: not JSON (${e instanceof Error ? e.message : String(e)})`])
  }
  const wrapped = isRecord(json) && json['kind'] === STATE_FILE_KIND
  const encoded = wrapped ? (json as Record<string, unknown>)['state'] : json
  const decoded = decodeState(encoded)
  if (E.isLeft(decoded)) return E.left(decoded.left.map((e) => `${file}: ${wrapped ? 'state.' : ''}${e.path === '' ? '' : `${e.path}: `}${e.message}`))
  const rawLast = wrapped ? (json as Record<string, unknown>)['last'] : null
  const rawVerdicts = wrapped ? (json as Record<string, unknown>)['verdicts'] : undefined
  const verdicts: Record<string, Reason> = {}
  if (isRecord(rawVerdicts)) {
    for (const [k, v] of Object.entries(rawVerdicts)) if (isRecord(v) && typeof v['code'] === 'string' && typeof v['message'] === 'string') verdicts[k] = v as unknown as Reason
  }
  return E.right({ encoded, state: decoded.right, last: isLast(rawLast) ? rawLast : null, verdicts })
}
