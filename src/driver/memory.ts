/**
 * In-memory adapters for tests, demos and dry runs.
 *
 * @module
 */
import type { Persistence, Readiness, Workloads, CanaryScaleTarget } from './adapters.js'
import { guarded } from '../model/guard.js'

/**
 * Persistence in a variable, with the last saved value readable (`current()`) and the number of saves.
 *
 * @example
 * ```ts
 * const store = memoryPersistence()
 * await store.save({ v: 1 })
 * store.current() // { v: 1 }
 * ```
 * @category adapters
 */
export interface MemoryPersistence extends Persistence {
  current(): unknown
  saves(): number
}

/**
 * Creates an in-memory `Persistence`, optionally pre-loaded with a saved state. Values are copied
 * through JSON on save and load, as a real store would.
 *
 * @example
 * ```ts
 * const store = memoryPersistence()
 * // drive(spec, { ...adapters, persistence: store }, options)
 * ```
 * @category adapters
 */
export const memoryPersistence = guarded('memoryPersistence', (initial?: unknown): MemoryPersistence => {
  let value: string | undefined = initial === undefined ? undefined : JSON.stringify(initial)
  let count = 0
  return {
    load: async () => (value === undefined ? undefined : (JSON.parse(value) as unknown)),
    save: async (encoded) => {
      value = JSON.stringify(encoded)
      count += 1
    },
    current: () => (value === undefined ? undefined : (JSON.parse(value) as unknown)),
    saves: () => count,
  }
}, (_m, f) => f())

/**
 * A record of what in-memory workloads were asked to do.
 *
 * @example
 * ```ts
 * const w = memoryWorkloads()
 * w.log // [] until drive promotes or scales
 * ```
 * @category adapters
 */
export interface MemoryWorkloads extends Workloads {
  /** Calls in order: `promote v2`, `scale zero`, `scale followWeight 20`... */
  readonly log: string[]
  /** The revision the primary runs after the last promotion. */
  primary(): string | undefined
}

/**
 * In-memory workloads: always ready (or as `readiness` says), recording promotions and scaling.
 *
 * @example
 * ```ts
 * const w = memoryWorkloads({ primary: 'v1' })
 * await w.promote('v2', ctx)
 * w.primary() // 'v2'
 * ```
 * @category adapters
 */
export const memoryWorkloads = guarded('memoryWorkloads', (options: { primary?: string; readiness?: () => Readiness } = {}): MemoryWorkloads => {
  let primary = options.primary
  const log: string[] = []
  const describe = (t: CanaryScaleTarget): string =>
    t.kind === 'zero' ? 'zero' : t.kind === 'replicas' ? `replicas ${t.replicas}` : `${t.kind} ${t.weight}`
  return {
    log,
    primary: () => primary,
    readiness: async () => options.readiness?.() ?? { canary: true, primary: true },
    promote: async (revision) => {
      primary = revision
      log.push(`promote ${revision}`)
    },
    scaleCanary: async (target) => {
      log.push(`scale ${describe(target)}`)
    },
  }
}, (_m, f) => f())
