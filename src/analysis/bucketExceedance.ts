/**
 * Latency as counts: requests slower than a boundary (an SLO, or the primary's p99 bucket boundary) are the
 * "bad events" of the sequential test. This module turns two cumulative Prometheus-style histograms (one per
 * arm, the increase over one window) into the per-arm {@link Counts} of a `counts` sample.
 *
 * @module
 */
import { describeValue } from '../model/errors.js'
import * as E from 'fp-ts/lib/Either.js'
import type { Counts } from '../model/observation.js'
import { guarded } from '../model/guard.js'

/**
 * One cumulative histogram bucket: `count` requests took at most `le` (Prometheus `_bucket{le="..."}`).
 * The last bucket of a list is `le: Infinity` (`+Inf`), whose count is the total.
 *
 * @example
 * ```ts
 * const b: Bucket = { le: 0.25, count: 980 }
 * ```
 * @category latency
 */
export interface Bucket {
  readonly le: number
  readonly count: number
}

/**
 * Why two bucket lists could not be turned into counts.
 *
 * @example
 * ```ts
 * const e: BucketProblem = { problem: 'boundaryNotFound', arm: 'canary', message: 'no bucket with le = 0.3' }
 * ```
 * @category latency
 */
export interface BucketProblem {
  readonly problem: 'empty' | 'notFinite' | 'negative' | 'notAscending' | 'notCumulative' | 'noInfBucket' | 'boundaryNotFound' | 'badBoundary' | 'unreadable'
  readonly arm: 'canary' | 'primary' | 'both'
  readonly message: string
}

const armCounts = (arm: 'canary' | 'primary', buckets: readonly Bucket[], boundary: number): E.Either<BucketProblem, Counts> => {
  const fail = (problem: BucketProblem['problem'], message: string): E.Either<BucketProblem, Counts> =>
    E.left({ problem, arm, message: `${arm}: ${message}` })
  if (!Array.isArray(buckets) || buckets.length === 0) return fail('empty', 'no buckets')
  let prevLe = -Infinity
  let prevCount = 0
  for (const [i, b] of buckets.entries()) {
    if (typeof b?.le !== 'number' || Number.isNaN(b.le) || typeof b.count !== 'number' || !Number.isFinite(b.count)) {
      return fail('notFinite', `bucket ${i} has a missing, NaN or infinite value`)
    }
    if (b.count < 0) return fail('negative', `bucket le=${b.le} has a negative count ${b.count}`)
    if (!(b.le > prevLe)) return fail('notAscending', `bucket bounds must strictly increase (le=${b.le} after ${prevLe})`)
    if (b.count < prevCount) {
      return fail('notCumulative', `counts must not decrease (le=${b.le}: ${b.count} after ${prevCount})`)
    }
    prevLe = b.le
    prevCount = b.count
  }
  const last = buckets[buckets.length - 1]
  if (last === undefined || last.le !== Infinity) return fail('noInfBucket', 'the last bucket must be le=+Inf (the total)')
  const at = buckets.find((b) => b.le === boundary)
  if (at === undefined) return fail('boundaryNotFound', `no bucket with le = ${boundary}`)
  // increase() over a window gives fractional counts: round both, keeping 0 <= bad <= total
  const total = Math.round(last.count)
  const within = Math.min(total, Math.round(at.count))
  return E.right({ total, bad: total - within })
}

/**
 * Counts, per arm, the requests above `boundary` (bad) out of all requests (total) from two cumulative bucket
 * lists. `boundary` must be one of the bucket bounds present in both lists (a histogram cannot say more) and
 * finite. Fractional counts (Prometheus `increase()` extrapolates) are rounded to integers. Never throws.
 *
 * @example
 * ```ts
 * const canary = [{ le: 0.1, count: 700 }, { le: 0.4, count: 985 }, { le: Infinity, count: 1000 }]
 * const primary = [{ le: 0.1, count: 720 }, { le: 0.4, count: 995 }, { le: Infinity, count: 1000 }]
 * bucketExceedance(canary, primary, 0.4)
 * // right({ canary: { total: 1000, bad: 15 }, primary: { total: 1000, bad: 5 } })
 * ```
 * @category latency
 */
export const bucketExceedance = guarded('bucketExceedance', (
  canaryBuckets: readonly Bucket[],
  primaryBuckets: readonly Bucket[],
  boundary: number,
): E.Either<BucketProblem, { readonly canary: Counts; readonly primary: Counts }> => {
  if (typeof boundary !== 'number' || !Number.isFinite(boundary)) {
    return E.left({ problem: 'badBoundary', arm: 'both', message: `boundary must be a finite bucket bound, got ${describeValue(boundary)}` })
  }
  const canary = armCounts('canary', canaryBuckets, boundary)
  if (E.isLeft(canary)) return canary
  const primary = armCounts('primary', primaryBuckets, boundary)
  if (E.isLeft(primary)) return primary
  return E.right({ canary: canary.right, primary: primary.right })
}, (m) => E.left({ problem: 'unreadable' as const, arm: 'both' as const, message: m }))
