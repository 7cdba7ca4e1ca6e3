/**
 * The spec input codec's decoder as a function: in the build, the input codecs (config/input.ts and the
 * strategy codecs it composes, built when their modules load) are loaded on the first `decodeSpec`, not at
 * import (tsup.config.ts, `LAZY`; docs/packaging.md, "Cold import").
 *
 * @module
 */
import type * as t from 'io-ts'
import { SpecInput, type SpecInputType } from './input.js'

/**
 * Decodes a plain value with the spec input codec (`SpecInput.decode`).
 *
 * @example
 * ```ts
 * decodeSpecInput({ strategy: { canary: { stepWeight: 10, maxWeight: 50 } } })._tag // 'Right'
 * ```
 * @category decoders
 */
export const decodeSpecInput = (input: unknown): t.Validation<SpecInputType> => SpecInput.decode(input)
