/**
 * `decodeSpec`: the native config, from a plain object (what YAML or JSON parsing gives) to a normalised
 * `RolloutSpec`, or every problem with its path.
 *
 * @module
 */
import * as E from 'fp-ts/lib/Either.js'
import { decodeSpecInput } from './specInputDecoder.js'
import { foldErrors } from './closed.js'
import { normalizeSpec, type MetricCheck } from './normalize.js'
import type { RolloutSpec } from './spec.js'
import type { SpecError } from '../model/errors.js'
import { metricChecksWith } from './metricChecks.js'
import { thrownMessage } from '../model/thrown.js'
import { readPlainData } from './plainData.js'
import { deepFreeze } from './deepFreeze.js'
import { conditionCompiler, withSpecIndex } from './specIndex.js'

/**
 * Decodes and validates a native rollout spec. Unknown keys are errors (with a "did you mean" hint),
 * every default is applied (docs/config.md), and the canary's plan is compiled into a step program.
 * The spec returned is deeply frozen and carries its indexes (config/specIndex.ts: metrics by name, weight
 * step numbers, the metrics each step evaluates, experiment analyses by metric) and its conditions and
 * route patterns compiled, so the engine keeps no cache keyed by spec objects and compiles nothing while
 * a rollout runs;
 * actions never hand out a part of it that a caller could edit. Never throws.
 *
 * @example
 * ```ts
 * import * as E from 'fp-ts/lib/Either.js'
 * const r = decodeSpec({
 *   strategy: { canary: { stepWeight: 10, maxWeight: 50 } },
 *   analysis: { interval: '1m', threshold: 5, metrics: [{ name: 'request-success-rate', thresholdRange: { min: 99 } }] },
 * })
 * if (E.isLeft(r)) console.error(r.left.map((e) => `${e.path}: ${e.message}`).join('\n'))
 * ```
 * @category decoders
 */
export const decodeSpec = (input: unknown, extraChecks: readonly MetricCheck[] = []): E.Either<SpecError[], RolloutSpec> => {
  try {
    // read once into plain, bounded data: getters, Proxies and giant lists stop here, with a path
    const plain = readPlainData(input)
    if (E.isLeft(plain)) return plain
    const decoded = decodeSpecInput(plain.right)
    if (E.isLeft(decoded)) return E.left(foldErrors(decoded.left))
    // each condition is compiled once, here (no module memo), and the decoded spec carries it
    const conditions = conditionCompiler()
    return E.map((spec: RolloutSpec) => deepFreeze(withSpecIndex(spec, conditions)))(
      normalizeSpec(decoded.right, [...metricChecksWith(conditions.compile), ...extraChecks]),
    )
  } catch (e) {
    return E.left([{ path: '', message: `could not decode the spec: ${thrownMessage(e)}` }])
  }
}
