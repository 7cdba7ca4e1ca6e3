/**
 * The result types shared by the upstream importers (`importFlagger`, `importArgoRollout`).
 *
 * @module
 */
import type { RolloutSpec } from '../config/spec.js'

/**
 * Something the importer did not carry over exactly (a value raised to a floor, a field the kernel does not
 * model, a step it skipped), with the path into the UPSTREAM manifest.
 *
 * @example
 * ```ts
 * const w: ImportWarning = { path: 'spec.analysis.interval', message: 'interval 5s is below Flagger\'s 10s floor; raised to 10s' }
 * ```
 * @category compat
 */
export interface ImportWarning {
  /** Dotted path into the upstream manifest, e.g. `spec.analysis.stepWeights[2]`. */
  readonly path: string
  readonly message: string
  /**
   * Set on findings that `rollout-kernel validate` treats as errors unless `--lenient`: a field the
   * upstream CRD does not define (`unknownField`, e.g. a typo such as `thresholdRnage`) or a metric that can
   * never fail (`neverFails`, e.g. `thresholdRange: {}` or an Argo metric without conditions).
   */
  readonly finding?: 'unknownField' | 'neverFails'
}

/**
 * The native config object the importer built (the input `decodeSpec` accepts: durations as strings, the
 * same field names as a hand-written rollout-kernel YAML). Plain JSON.
 *
 * @example
 * ```ts
 * const input: NativeInput = { strategy: { canary: { stepWeights: [10, 20] } }, analysis: { interval: '1m', threshold: 5 } }
 * ```
 * @category compat
 */
export type NativeInput = Readonly<Record<string, unknown>>

/**
 * What an importer returns: the decoded spec, the native input it was decoded from (so it can be written out
 * as a rollout-kernel YAML and reviewed), warnings, and everything the kernel does not model but an adapter
 * needs (router, services, workload references, provider settings...), carried untouched.
 *
 * @example
 * ```ts
 * declare const r: ImportResult<{ name: string }>
 * console.log(r.spec.strategy.maxWeight, r.warnings.length, r.carried.name)
 * ```
 * @category compat
 */
export interface ImportResult<C> {
  readonly spec: RolloutSpec
  readonly input: NativeInput
  readonly warnings: readonly ImportWarning[]
  readonly carried: C
}
