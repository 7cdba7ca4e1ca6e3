import * as E from 'fp-ts/lib/Either.js'
import { decodeSpec } from '../../src/config/decodeSpec.js'
import type { RolloutSpec } from '../../src/config/spec.js'

/** Decodes a native spec or throws (tests only). */
export const specOf = (input: unknown): RolloutSpec => {
  const r = decodeSpec(input)
  if (E.isLeft(r)) throw new Error(`bad test spec: ${JSON.stringify(r.left)}`)
  return r.right
}
