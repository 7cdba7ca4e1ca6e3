import { boundedList, guarded } from '../model/guard.js'
/**
 * Order statistics of the pairwise differences `x[i] - y[j]` (the Walsh-type differences behind the
 * Hodges-Lehmann shift estimator), found without materialising all `m * n` of them.
 *
 * `kthPairwiseDifference` is a deterministic matrix selection in the style of Johnson & Mizoguchi
 * (1978): row `i` of the implicit matrix holds `x[i] - y[j]` in ascending order; each round picks the
 * weighted median of the rows' middle candidates as a pivot, counts the differences below and at the
 * pivot by binary search in every row, and drops every candidate on the wrong side. At least a quarter
 * of the candidates go each round, so it takes O(log(mn)) rounds of O(m log n); when few candidates are
 * left they are sorted directly. Memory is O(m + n) plus the final small sort.
 *
 * @module
 */

/** Number of `j` with `x - y[j] < pivot` (strict) or `<= pivot`, where `ys` ascends. Monotone in floating point. */
const countRow = (x: number, ys: readonly number[], pivot: number, strict: boolean): number => {
  // x - y[j] decreases as j grows; count the j (a suffix) with x - y[j] < pivot (or <=).
  let lo = 0
  let hi = ys.length
  while (lo < hi) {
    const mid = (lo + hi) >>> 1
    const d = x - (ys[mid] as number)
    if (strict ? d < pivot : d <= pivot) hi = mid
    else lo = mid + 1
  }
  return ys.length - lo
}

/** The c-th smallest (0-based) difference of row i: x - y[n - 1 - c]. */
const cell = (x: number, ys: readonly number[], c: number): number => x - (ys[ys.length - 1 - c] as number)

const DIRECT_SORT = 2048

/**
 * The `k`-th smallest (1-based) of the `m * n` differences `xs[i] - ys[j]`. Both inputs must be sorted
 * ascending and finite; `k` is clamped to `[1, m * n]`. Returns NaN when an input is empty.
 *
 * @example
 * ```ts
 * kthPairwiseDifference([1, 2, 3], [0, 10], 1) // -9 (1 - 10)
 * kthPairwiseDifference([1, 2, 3], [0, 10], 6) // 3 (3 - 0)
 * ```
 * @category statistics
 */
export const kthPairwiseDifference = (xs: readonly number[], ys: readonly number[], k: number): number => {
  const m = xs.length
  const n = ys.length
  if (m === 0 || n === 0 || Number.isNaN(k)) return Number.NaN
  const total = m * n
  const target = Math.min(Math.max(Math.round(k), 1), total)
  // Candidates of row i are the columns L[i]..R[i] (inclusive, ascending values); `below` counts the
  // dropped cells left of the candidates (all <= the answer).
  const L = new Array<number>(m).fill(0)
  const R = new Array<number>(m).fill(n - 1)
  let below = 0
  for (let round = 0; round < 10_000; round++) {
    let candidates = 0
    for (let i = 0; i < m; i++) candidates += Math.max(0, (R[i] as number) - (L[i] as number) + 1)
    if (candidates <= DIRECT_SORT) {
      const pool: number[] = []
      for (let i = 0; i < m; i++) {
        const x = xs[i] as number
        for (let c = L[i] as number; c <= (R[i] as number); c++) pool.push(cell(x, ys, c))
      }
      pool.sort((a, b) => a - b)
      const v = pool[target - below - 1]
      return v === undefined ? Number.NaN : v
    }
    // Pivot: weighted median of the rows' middle candidates (weight = candidates in the row).
    const mids: Array<{ v: number; w: number }> = []
    for (let i = 0; i < m; i++) {
      const l = L[i] as number
      const r = R[i] as number
      if (r >= l) mids.push({ v: cell(xs[i] as number, ys, (l + r) >>> 1), w: r - l + 1 })
    }
    mids.sort((a, b) => a.v - b.v)
    let acc = 0
    let pivot = (mids[mids.length - 1] as { v: number }).v
    for (const mv of mids) {
      acc += mv.w
      if (2 * acc >= candidates) {
        pivot = mv.v
        break
      }
    }
    let less = 0
    let lessEq = 0
    const lt = new Array<number>(m)
    const le = new Array<number>(m)
    for (let i = 0; i < m; i++) {
      const x = xs[i] as number
      const a = countRow(x, ys, pivot, true)
      const b = countRow(x, ys, pivot, false)
      lt[i] = a
      le[i] = b
      less += a
      lessEq += b
    }
    if (less < target && target <= lessEq) return pivot
    if (target <= less) {
      // The answer is below the pivot: keep only cells < pivot (columns < lt[i]).
      for (let i = 0; i < m; i++) R[i] = Math.min(R[i] as number, (lt[i] as number) - 1)
    } else {
      // The answer is above the pivot: drop cells <= pivot (columns < le[i]).
      below = 0
      for (let i = 0; i < m; i++) {
        L[i] = Math.max(L[i] as number, le[i] as number)
        below += L[i] as number
      }
    }
  }
  return Number.NaN
}

/**
 * The Hodges-Lehmann estimate of the shift `x - y`: the median of all pairwise differences
 * `xs[i] - ys[j]` (mean of the two middle ones when `m * n` is even). Inputs must be sorted ascending
 * and finite; NaN when an input is empty. This is R's `wilcox.test(x, y, conf.int = TRUE)` estimate in
 * the exact case; in the normal-approximation case R reports a numerical root (`uniroot`, tol 1e-4)
 * of the same step function, which lies on this median (odd `m * n`) or between the two middle
 * differences (even `m * n`).
 *
 * @example
 * ```ts
 * hodgesLehmann([1, 2, 3], [0, 10]) // median of [-9, -8, -7, 1, 2, 3] = (-7 + 1) / 2 = -3
 * ```
 * @category statistics
 */
export const hodgesLehmann = guarded('hodgesLehmann', (xs: readonly number[], ys: readonly number[]): number => {
  const total = boundedList(xs, 'xs').length * boundedList(ys, 'ys').length
  if (total === 0) return Number.NaN
  if (total % 2 === 1) return kthPairwiseDifference(xs, ys, (total + 1) / 2)
  const a = kthPairwiseDifference(xs, ys, total / 2)
  const b = kthPairwiseDifference(xs, ys, total / 2 + 1)
  return a + (b - a) / 2
}, () => Number.NaN)
