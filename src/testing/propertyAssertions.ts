/**
 * The shared prelude of the liveness and safety properties (test/engine/*.property.test.ts): decode a drawn
 * spec input (a draw that does not decode is a generator bug), run the cooperative caller and check it, and
 * throw with the spec and a short trace when a property is broken. Assertion helpers: they throw by design,
 * for fast-check to shrink.
 *
 * @module
 */
import * as E from 'fp-ts/lib/Either.js'
import type { RolloutSpec } from '../config/spec.js'
import { decodeSpec } from '../config/decodeSpec.js'
import type { TraceEntry } from './trace.js'
import { guarded, rethrow } from '../model/guard.js'
import type { RunOptions } from './cooperative.js'
import { runToEnd } from './cooperative.js'
import type { World } from './world.js'
import type { RolloutSpecInput } from './specArbitraries.js'
import { checkLiveness, formatPropertyViolations, type LivenessExpectation, type PropertyViolation } from './properties.js'

/** A property's own failure: passed through as it is (the message is the finding). */
class PropertyFailure extends Error {}

/** `e` is a {@link PropertyFailure} (false for a revoked Proxy, on which `instanceof` itself throws). */
const isPropertyFailure = (e: unknown): e is PropertyFailure => {
  try {
    return e instanceof PropertyFailure
  } catch {
    return false
  }
}

/**
 * `f` guarded, except that its own {@link PropertyFailure} goes through unchanged: anything else it throws
 * becomes a TypeError naming `name` (a hostile input met while reading), so a caller always gets an Error
 * whose message can be read.
 */
const readableThrows = <A extends readonly unknown[], R>(name: string, f: (...args: A) => R): ((...args: A) => R) =>
  guarded(name, f, (message, _f, _args, thrown) => {
    if (isPropertyFailure(thrown)) throw thrown
    return rethrow(message)
  })

/**
 * A short, readable trace (the last `last` entries): time, what was sent, the phase change, the action, the
 * wake-up, the needs and the reason codes of each call.
 *
 * @example
 * ```ts
 * declare const trace: TraceEntry[]
 * console.log(shortTrace(trace, 5))
 * ```
 * @category properties
 */
export const shortTrace = readableThrows('shortTrace', (trace: readonly TraceEntry[], last: number = 8): string =>
  trace
    .slice(-last)
    .map((e) => {
      const d = e.decision
      const o = e.observation
      const sent = [
        o.samples?.length ? `${o.samples.length} samples` : '',
        o.gates ? `gates ${Object.entries(o.gates).map(([k, v]) => `${k}=${v}`).join(',')}` : '',
        o.command ?? '',
        o.ready ? `ready c=${o.ready.canary} p=${o.ready.primary}` : '',
      ].filter((x) => x !== '').join('; ')
      if (d === null) return `  at ${o.at}: threw`
      return `  at ${o.at} [${sent}] ${e.before.phase} -> ${d.state.phase} ${d.action.type}${d.action.type === 'setWeight' ? ` ${d.action.weight}` : ''} wakeAt ${d.wakeAt} needs ${d.needs.map((n) => (n.kind === 'metric' ? `${n.metric}[${n.window.from},${n.window.to}]` : n.kind === 'gate' ? `gate ${n.gate}` : 'ready')).join(',')} | ${d.reasons.map((r) => r.code).join(',')}`
    })
    .join('\n'))

/**
 * Decodes a drawn spec input; throws when it does not decode (the generator drew an invalid spec).
 *
 * @example
 * ```ts
 * declare const input: RolloutSpecInput
 * const spec = decodeDrawn(input)
 * ```
 * @category properties
 */
export const decodeDrawn = readableThrows('decodeDrawn', (input: RolloutSpecInput): RolloutSpec => {
  const r = decodeSpec(input)
  if (E.isLeft(r)) throw new PropertyFailure(`generated spec does not decode: ${JSON.stringify(r.left)}`)
  return r.right
})

/**
 * Runs the cooperative caller (`runToEnd`, at most 1,500 calls unless `options` says otherwise) in the world
 * the spec calls for and throws, with the spec and the last calls, when `checkLiveness` finds a violation.
 *
 * @example
 * ```ts
 * declare const input: RolloutSpecInput
 * assertLive(input, (spec) => metricWorld(spec, 'failing'), () => ({ end: 'ends' }))
 * ```
 * @category properties
 */
export const assertLive = readableThrows('assertLive', (
  input: RolloutSpecInput,
  world: (spec: RolloutSpec) => World,
  expected: (spec: RolloutSpec) => LivenessExpectation,
  options: RunOptions = {},
): void => {
  const spec = decodeDrawn(input)
  const run = runToEnd(spec, world(spec), { maxCalls: 1500, ...options })
  const v = checkLiveness(spec, run, expected(spec))
  if (v.length > 0) throw new PropertyFailure(`${formatPropertyViolations(v)}\nspec: ${JSON.stringify(input)}\ntrace (last calls):\n${shortTrace(run.calls)}`)
})

/**
 * Throws, with the spec and the trace up to the first violation at an entry (else the whole trace), when
 * `violations` is not empty; `text` is the rendered violations.
 *
 * @example
 * ```ts
 * declare const input: RolloutSpecInput, trace: TraceEntry[]
 * const v = checkSafety(trace)
 * assertNoViolations(input, trace, v, formatPropertyViolations(v))
 * ```
 * @category properties
 */
export const assertNoViolations = readableThrows('assertNoViolations', (input: RolloutSpecInput, trace: readonly TraceEntry[], violations: readonly Pick<PropertyViolation, 'index'>[], text: string): void => {
  if (violations.length === 0) return
  const at = violations.find((x) => x.index >= 0)?.index ?? trace.length - 1
  throw new PropertyFailure(`${text}\nspec: ${JSON.stringify(input)}\ntrace (up to the first violation):\n${shortTrace(trace.slice(0, at + 1))}`)
})
