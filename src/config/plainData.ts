/**
 * Reading a caller's value into plain data before decoding it. Every property is read exactly once,
 * so a getter that throws, a Proxy whose traps throw, a revoked Proxy or a value that changes between
 * two reads cannot reach the decoders; lists, maps and nesting are bounded, so a list of length 2^32-1
 * cannot make a decoder loop for hours. What cannot be read is an error with its path.
 *
 * @module
 */
import * as E from 'fp-ts/lib/Either.js'
import { joinPath, type SpecError } from '../model/errors.js'
import { thrownMessage } from '../model/thrown.js'

/**
 * Bounds of `readPlainData`.
 *
 * @example
 * ```ts
 * const l: PlainDataLimits = { maxItems: 100_000, maxKeys: 10_000, maxDepth: 64, maxNodes: 1_000_000 }
 * ```
 * @category model
 */
export interface PlainDataLimits {
  /** Longest list. */
  readonly maxItems: number
  /** Most keys in one map. */
  readonly maxKeys: number
  /** Deepest nesting. */
  readonly maxDepth: number
  /** Most values in all. */
  readonly maxNodes: number
}

/**
 * The default bounds: far above any real manifest (Flagger and Argo specs nest about 10 deep and hold
 * tens of entries), far below what would take a decoder more than a moment.
 *
 * @example
 * ```ts
 * PLAIN_DATA_LIMITS.maxItems // 100000
 * ```
 * @category defaults
 */
export const PLAIN_DATA_LIMITS: PlainDataLimits = { maxItems: 100_000, maxKeys: 10_000, maxDepth: 64, maxNodes: 1_000_000 }

class Refused {
  constructor(readonly path: string, readonly message: string) {}
}

/**
 * A plain copy of `input` (objects and lists copied, other values as they are), or the first thing that
 * could not be read, with its path. Never throws. A `__proto__` key is kept as an own property (so that
 * the decoders report it instead of it changing the copy's prototype).
 *
 * @example
 * ```ts
 * readPlainData({ a: [1, 2] }) // right({ a: [1, 2] })
 * readPlainData(Object.defineProperty({}, 'a', { enumerable: true, get: () => { throw new Error('no') } }))
 * // left([{ path: 'a', message: 'cannot be read: no' }])
 * ```
 * @category decoders
 */
export const readPlainData = (input: unknown, limits: PlainDataLimits = PLAIN_DATA_LIMITS): E.Either<SpecError[], unknown> => {
  let nodes = 0
  const seen = new Set<object>()
  const read = <A>(path: string, f: () => A): A => {
    try {
      return f()
    } catch (e) {
      if (e instanceof Refused) throw e
      throw new Refused(path, `cannot be read: ${thrownMessage(e)}`)
    }
  }
  const copy = (v: unknown, path: string, depth: number): unknown => {
    if (++nodes > limits.maxNodes) throw new Refused(path, `more than ${limits.maxNodes} values in all`)
    if (typeof v !== 'object' || v === null) return v
    if (depth >= limits.maxDepth) throw new Refused(path, `nested more than ${limits.maxDepth} deep`)
    if (seen.has(v)) throw new Refused(path, 'refers back to itself (a cycle)')
    seen.add(v)
    try {
      if (read(path, () => Array.isArray(v))) {
        const list = v as readonly unknown[]
        const n = read(path, () => list.length)
        if (n > limits.maxItems) throw new Refused(path, `a list of ${n} items, more than ${limits.maxItems}`)
        const out: unknown[] = []
        for (let i = 0; i < n; i++) out.push(copy(read(joinPath(path, i), () => list[i]), joinPath(path, i), depth + 1))
        return out
      }
      const keys = read(path, () => Object.keys(v))
      if (keys.length > limits.maxKeys) throw new Refused(path, `a map of ${keys.length} keys, more than ${limits.maxKeys}`)
      const out: Record<string, unknown> = {}
      for (const k of keys) {
        const p = joinPath(path, k)
        const x = copy(read(p, () => (v as Record<string, unknown>)[k]), p, depth + 1)
        Object.defineProperty(out, k, { value: x, enumerable: true, writable: true, configurable: true })
      }
      return out
    } finally {
      seen.delete(v)
    }
  }
  try {
    return E.right(copy(input, '', 0))
  } catch (e) {
    return E.left([e instanceof Refused ? { path: e.path, message: e.message } : { path: '', message: `cannot be read: ${thrownMessage(e)}` }])
  }
}
