/**
 * Runs the native decoder on an imported input and translates the paths of its errors back into the
 * upstream manifest, so a problem found by the shared validation (`decodeSpec`) still points at the field
 * the user wrote.
 *
 * @module
 */
import * as E from 'fp-ts/lib/Either.js'
import { decodeSpec } from '../config/decodeSpec.js'
import type { SpecError } from '../model/errors.js'
import type { RolloutSpec } from '../config/spec.js'
import type { NativeInput } from './types.js'

/**
 * Native path prefix -> upstream path prefix (e.g. `analysis.metrics[1]` -> `spec.analysis.metrics[3]`).
 *
 * @example
 * ```ts
 * const m: PathMap = new Map([['analysis.interval', 'spec.analysis.interval']])
 * ```
 * @category compat
 */
export type PathMap = Map<string, string>

const under = (path: string, prefix: string): boolean =>
  path === prefix || path.startsWith(`${prefix}.`) || path.startsWith(`${prefix}[`)

/**
 * Translates a native path with the longest matching prefix of the map; unmapped paths are returned as
 * `(native) <path>` so they are never mistaken for upstream fields.
 *
 * @example
 * ```ts
 * translatePath(new Map([['analysis.metrics[0]', 'spec.analysis.metrics[2]']]), 'analysis.metrics[0].thresholdRange.min')
 * // 'spec.analysis.metrics[2].thresholdRange.min'
 * ```
 * @category compat
 */
export const translatePath = (map: PathMap, path: string): string => {
  let best: string | null = null
  for (const k of map.keys()) if (under(path, k) && (best === null || k.length > best.length)) best = k
  if (best === null) return `(native) ${path}`
  return `${map.get(best) ?? ''}${path.slice(best.length)}`
}

/**
 * `decodeSpec(input)` with error paths translated into the upstream manifest.
 *
 * @example
 * ```ts
 * decodeNative({ strategy: { canary: { stepWeights: [10] } } }, new Map([['strategy', 'spec.analysis']]))
 * ```
 * @category compat
 */
export const decodeNative = (input: NativeInput, map: PathMap): E.Either<SpecError[], RolloutSpec> =>
  E.mapLeft((errors: SpecError[]) => errors.map((e) => ({ path: translatePath(map, e.path), message: e.message })))(decodeSpec(input))
