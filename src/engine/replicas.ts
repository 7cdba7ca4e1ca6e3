/**
 * Replica counts for a canary without a traffic router: the share of pods approximates the traffic
 * weight (Argo Rollouts' basic canary), and the canary scale override of `setCanaryScale`.
 *
 * @module
 */
import * as E from 'fp-ts/lib/Either.js'
import { describeValue, specError, type SpecError } from '../model/errors.js'
import type { CanaryScale } from '../model/traffic.js'
import { guarded } from '../model/guard.js'

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v)
const orErrors = <A>(errors: readonly SpecError[], value: () => A): E.Either<SpecError[], A> =>
  errors.length > 0 ? E.left([...errors]) : E.right(value())

/**
 * Pod counts of the canary and stable workloads.
 *
 * @example
 * ```ts
 * const s: ReplicaSplit = { canary: 3, stable: 8 }
 * ```
 * @category model
 */
export interface ReplicaSplit {
  readonly canary: number
  readonly stable: number
}

const MAX_INT32 = 2 ** 31 - 1

const checkCount = (path: string, v: unknown): SpecError[] =>
  typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= MAX_INT32
    ? []
    : [specError(path, `expected a whole number >= 0, got ${describeValue(v)}`)]

const checkWeight = (path: string, v: unknown): SpecError[] =>
  typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= 100
    ? []
    : [specError(path, `expected an integer in 0..100, got ${describeValue(v)}`)]

/** Fractional part as Go's math.Modf computes it for non-negative numbers. */
const frac = (v: number): number => v - Math.trunc(v)

/**
 * Splits `replicas` pods between canary and stable so the canary's share of pods is as close as
 * possible to `weight` %, Argo Rollouts' rule for a canary without traffic routing:
 *
 * - `replicas = 0` gives (0, 0);
 * - with `x = replicas·weight/100`, candidates (canary, total) in this order:
 *   (⌈x⌉, R) if ⌈x⌉ < R or zero is allowed; (⌊x⌋, R) if R is not tied and (⌊x⌋ ≠ 0 or zero is allowed);
 *   when `maxSurge > 0` also (⌈x⌉, R+1), and (⌊x⌋, R+1) under the same condition for R+1;
 *   "tied(n)" means n·weight/100 has fractional part exactly 0.5 (then the ceiling wins); zero is
 *   allowed when weight is 0 or 100, or replicas is 1 and maxSurge 0;
 * - the candidate with the smallest |canary·100/total − weight| wins, the earlier one on ties;
 *   the stable count is total − canary. With no candidate at all (e.g. R2 W75 S0) the result is
 *   (0, R), as upstream.
 *
 * So `canary + stable` is between `replicas` and `replicas + min(maxSurge, 1)`.
 *
 * @example
 * ```ts
 * splitReplicas(10, 24, 1) // right({ canary: 3, stable: 8 })
 * splitReplicas(3, 50, 0)  // right({ canary: 2, stable: 1 })
 * splitReplicas(1, 1, 1)   // right({ canary: 1, stable: 1 })
 * splitReplicas(3, 120, 0) // left([{ path: 'weight', message: 'expected an integer in 0..100, got 120' }])
 * ```
 * @category replicas
 */
export const splitReplicas = guarded('splitReplicas', (replicas: number, weight: number, maxSurge: number): E.Either<SpecError[], ReplicaSplit> => {
  const errors = [...checkCount('replicas', replicas), ...checkWeight('weight', weight), ...checkCount('maxSurge', maxSurge)]
  return orErrors(errors, () => {
    const r = replicas
    const w = weight
    if (r === 0) return { canary: 0, stable: 0 }
    const x = (r * w) / 100
    const ceil = Math.ceil(x)
    const floor = Math.floor(x)
    const tied = (n: number): boolean => frac(n * (w / 100)) === 0.5
    const zeroAllowed = w === 100 || w === 0 || (r === 1 && maxSurge === 0)
    const candidates: Array<readonly [canary: number, total: number]> = []
    if (ceil < r || zeroAllowed) candidates.push([ceil, r])
    if (!tied(r) && (floor !== 0 || zeroAllowed)) candidates.push([floor, r])
    if (maxSurge > 0) {
      candidates.push([ceil, r + 1])
      if (!tied(r + 1) && (floor !== 0 || zeroAllowed)) candidates.push([floor, r + 1])
    }
    const delta = ([c, t]: readonly [number, number]): number => Math.abs((c * 100) / t - w)
    let best: readonly [number, number] | undefined
    for (const c of candidates) if (best === undefined || delta(c) < delta(best)) best = c
    return best === undefined ? { canary: 0, stable: r } : { canary: best[0], stable: best[1] - best[0] }
  })
}, (m) => E.left([specError('', m)]))

/**
 * The canary's replica count with traffic routing (Argo `setCanaryScale`): an absolute
 * `scale.replicas` wins; else `⌈scale.weight·replicas/100⌉`; without a scale the replicas follow the
 * traffic weight, `⌈weight·replicas/100⌉` (the stable side stays at `replicas`).
 *
 * @example
 * ```ts
 * canaryReplicas({ weight: 25 }, 5, 10) // right(3)
 * canaryReplicas({ replicas: 2 }, 5, 10) // right(2)
 * canaryReplicas(undefined, 33, 10)      // right(4)
 * ```
 * @category replicas
 */
export const canaryReplicas = guarded('canaryReplicas', (scale: CanaryScale | undefined, weight: number, replicas: number): E.Either<SpecError[], number> => {
  const given: CanaryScale | undefined = scale
  // (the checks below use `scale`, so `given` keeps its declared type)
  const errors = [...checkWeight('weight', weight), ...checkCount('replicas', replicas)]
  if (scale !== undefined && !isRecord(scale)) errors.push(specError('canaryScale', `expected a canary scale, got ${describeValue(scale)}`))
  else if (scale !== undefined) {
    if (scale.replicas !== undefined) errors.push(...checkCount('canaryScale.replicas', scale.replicas))
    else if (scale.weight !== undefined) errors.push(...checkWeight('canaryScale.weight', scale.weight))
  }
  const fixed: number | undefined = given?.replicas
  const share: number = given?.weight ?? weight
  return orErrors(errors, (): number => fixed ?? Math.ceil((share * replicas) / 100))
}, (m) => E.left([specError('', m)]))
