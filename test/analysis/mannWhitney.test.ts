/**
 * Known values for the Mann-Whitney U test. Every expected number is derived independently of the
 * implementation: by counting (the exact null distribution enumerated over all rank subsets, in the test
 * itself) or by the normal-approximation formulas worked out step by step in comments. The origin of the
 * R figures quoted is R's own documentation (?wilcox.test examples); they agree with the derivations.
 */
import { describe, expect, it } from 'vitest'
import * as E from 'fp-ts/lib/Either.js'
import { mannWhitney, rankSumDistribution, type MannWhitneyResult } from '../../src/analysis/mannWhitney.js'
import { hodgesLehmann, kthPairwiseDifference } from '../../src/analysis/hodgesLehmann.js'
import { erfc, normalCdf, normalQuantile, normalSurvival } from '../../src/analysis/normalDistribution.js'

const right = (e: E.Either<unknown, MannWhitneyResult>): MannWhitneyResult => {
  if (E.isLeft(e)) throw new Error(`expected Right, got ${JSON.stringify(e.left)}`)
  return e.right
}

/** All k-subsets of {1..N} (test-side brute force). */
function* subsets(N: number, k: number, start = 1): Generator<number[]> {
  if (k === 0) {
    yield []
    return
  }
  for (let i = start; i <= N - k + 1; i++) for (const rest of subsets(N, k - 1, i + 1)) yield [i, ...rest]
}

/** Counts of U = (rank sum of the m-subset) - m(m+1)/2 over all C(m+n, m) rank subsets. */
const enumerateU = (m: number, n: number): number[] => {
  const counts = new Array<number>(m * n + 1).fill(0)
  for (const s of subsets(m + n, m)) {
    const u = s.reduce((a, b) => a + b, 0) - (m * (m + 1)) / 2
    counts[u] = (counts[u] ?? 0) + 1
  }
  return counts
}

describe('normal distribution', () => {
  it('matches well-known constants', () => {
    expect(erfc(0)).toBe(1)
    expect(erfc(1)).toBeCloseTo(0.157299207050285, 14)
    expect(normalCdf(-1.96)).toBeCloseTo(0.024997895148220435, 15)
    expect(normalSurvival(3)).toBeCloseTo(0.0013498980316300933, 15)
    expect(normalCdf(-10) / 7.61985302416047e-24).toBeCloseTo(1, 12)
    expect(normalQuantile(0.975)).toBeCloseTo(1.959963984540054, 13)
    expect(normalQuantile(0.025)).toBeCloseTo(-1.959963984540054, 13)
    expect(normalQuantile(0.01)).toBeCloseTo(-2.3263478740408408, 13)
    expect(normalQuantile(1e-10)).toBeCloseTo(-6.361340902404056, 11)
    expect(normalQuantile(0)).toBe(-Infinity)
    expect(normalQuantile(1)).toBe(Infinity)
    expect(normalQuantile(Number.NaN)).toBeNaN()
  })
})

describe('exact null distribution of U', () => {
  it('equals the enumeration over all rank subsets', () => {
    for (const [m, n] of [[1, 1], [2, 2], [3, 2], [4, 6], [7, 5]] as const) {
      const counts = enumerateU(m, n)
      const total = counts.reduce((a, b) => a + b, 0)
      const dist = rankSumDistribution(m, n)
      expect(dist).toHaveLength(m * n + 1)
      dist.forEach((p, k) => expect(p).toBeCloseTo((counts[k] as number) / total, 15))
    }
    // m = n = 2: the 6 arrangements give U = 0, 1, 2, 2, 3, 4.
    expect(rankSumDistribution(2, 2)).toEqual([1 / 6, 1 / 6, 2 / 6, 1 / 6, 1 / 6])
  })
  it('is empty for invalid sizes', () => {
    expect(rankSumDistribution(-1, 2)).toEqual([])
    expect(rankSumDistribution(1.5, 2)).toEqual([])
  })
})

describe('mannWhitney: exact, tiny sample counted by hand', () => {
  // canary [3, 4, 5], primary [1, 2]: every canary point beats every primary point, U = 6 = mn.
  // Of the C(5, 2) = 10 equally likely arrangements only one gives U = 6: P(U >= 6) = 1/10.
  // Pairwise differences: 3-1, 3-2, 4-1, 4-2, 5-1, 5-2 = sorted [1, 2, 2, 3, 3, 4]; median (2 + 3)/2 = 2.5.
  it('gives U, p and the Hodges-Lehmann estimate', () => {
    const g = right(mannWhitney([3, 4, 5], [1, 2], { confidence: 0.8, alternative: 'greater' }))
    expect(g.u).toBe(6)
    expect(g.method).toBe('exact')
    expect(g.pValue).toBeCloseTo(0.1, 15)
    expect(g.estimate).toBe(2.5)
    const t = right(mannWhitney([3, 4, 5], [1, 2], { confidence: 0.8, alternative: 'two-sided' }))
    expect(t.pValue).toBeCloseTo(0.2, 15) // 2 * min(P(U >= 6), P(U <= 6)) = 2 * 0.1
    // CI at 80%: alpha/2 = 0.1; qwilcox(0.1, 3, 2) = 0 because P(U <= 0) = 0.1, and R raises 0 to 1:
    // lower = 1st smallest difference = 1, upper = (mn - 1 + 1) = 6th smallest = 4.
    expect([t.lower, t.upper]).toEqual([1, 4])
    const l = right(mannWhitney([3, 4, 5], [1, 2], { confidence: 0.8, alternative: 'less' }))
    expect(l.pValue).toBe(1) // P(U <= 6) = 1
  })
})

describe("mannWhitney: R's ?wilcox.test permeability example (Hollander & Wolfe), exact", () => {
  // x (canary) = at term, y (primary) = 12-26 weeks. R's documentation: wilcox.test(x, y, alternative = "g")
  // prints W = 35, p-value = 0.1272; with exact = FALSE, correct = FALSE ("H&W large sample
  // approximation") p-value = 0.1103.
  const x = [0.8, 0.83, 1.89, 1.04, 1.45, 1.38, 1.91, 1.64, 0.73, 1.46]
  const y = [1.15, 0.88, 0.9, 0.74, 1.21]
  // W by counting, per x point, the y points below it (y sorted: 0.74 0.88 0.90 1.15 1.21):
  // 0.80:1 0.83:1 1.89:5 1.04:3 1.45:5 1.38:5 1.91:5 1.64:5 0.73:0 1.46:5  -> W = 35.
  it('W = 35 and p = 382/3003 by enumeration', () => {
    const counts = enumerateU(10, 5) // C(15, 5) = 3003 rank subsets
    const total = counts.reduce((a, b) => a + b, 0)
    const atLeast35 = counts.slice(35).reduce((a, b) => a + b, 0)
    expect(total).toBe(3003)
    expect(atLeast35).toBe(382)
    const r = right(mannWhitney(x, y, { confidence: 0.95, alternative: 'greater' }))
    expect(r.u).toBe(35)
    expect(r.method).toBe('exact')
    expect(r.ties).toBe(false)
    expect(r.pValue).toBeCloseTo(382 / 3003, 14) // 0.127206...
    expect(r.pValue.toFixed(4)).toBe('0.1272')
    // two-sided: P(U <= 35) = 2693/3003 > 1/2, so 2 * P(U >= 35) = 764/3003.
    const t = right(mannWhitney(x, y, { confidence: 0.95, alternative: 'two-sided' }))
    expect(t.pValue).toBeCloseTo(764 / 3003, 14)
  })
  it('Hodges-Lehmann estimate and exact confidence intervals', () => {
    // The 50 differences x - y sorted; the 25th and 26th are 0.30 and 0.31 -> estimate 0.305.
    // Two-sided 95%: qwilcox(0.025, 10, 5) = 9 since P(U <= 8) = 60/3003 < 0.025 (= 75.075/3003) <= P(U <= 9) = 83/3003,
    // so the interval is [9th smallest, (50 - 9 + 1) = 42nd smallest] = [-0.15, 0.76].
    // One-sided 95%: qwilcox(0.05, 10, 5) = 12 since P(U <= 11) = 149/3003 < 0.05 (= 150.15/3003) <= P(U <= 12) = 194/3003
    // -> greater: [12th smallest, Inf) = [-0.08, Inf);
    // less: (-Inf, 39th smallest] = (-Inf, 0.72].
    const counts = enumerateU(10, 5)
    const cdf = (q: number): number => counts.slice(0, q + 1).reduce((a, b) => a + b, 0) / 3003
    const qwilcox = (p: number): number => {
      let q = 0
      while (cdf(q) < p) q++
      return q
    }
    expect(qwilcox(0.025)).toBe(9)
    expect(qwilcox(0.05)).toBe(12)
    const diffs = x.flatMap((a) => y.map((b) => a - b)).sort((a, b) => a - b)
    const t = right(mannWhitney(x, y, { confidence: 0.95, alternative: 'two-sided' }))
    expect(t.estimate).toBeCloseTo(0.305, 12)
    expect(t.lower).toBe(diffs[8])
    expect(t.upper).toBe(diffs[41])
    expect(t.lower).toBeCloseTo(-0.15, 12)
    expect(t.upper).toBeCloseTo(0.76, 12)
    const g = right(mannWhitney(x, y, { confidence: 0.95, alternative: 'greater' }))
    expect(g.lower).toBeCloseTo(-0.08, 12)
    expect(g.upper).toBe(Infinity)
    const l = right(mannWhitney(x, y, { confidence: 0.95, alternative: 'less' }))
    expect(l.lower).toBe(-Infinity)
    expect(l.upper).toBeCloseTo(0.72, 12)
  })
  it('large-sample approximation without correction: p = 0.1103', () => {
    // z = (W - mn/2) / sqrt(mn (N + 1) / 12) = (35 - 25) / sqrt(50 * 16 / 12) = 10 / 8.164966 = 1.2247449
    // p = 1 - Phi(1.2247449) = 0.1103357
    const r = right(mannWhitney(x, y, { confidence: 0.95, alternative: 'greater', method: 'normal', continuityCorrection: false }))
    expect(r.method).toBe('normal')
    expect(r.z).toBeCloseTo(1.2247448714, 9)
    expect(r.pValue).toBeCloseTo(0.1103356809599, 10)
    expect(r.pValue.toFixed(4)).toBe('0.1103')
  })
})

describe('mannWhitney: depression data as two independent samples (ties -> normal approximation)', () => {
  // R's ?wilcox.test paired example data, used unpaired here: canary = x (first visit), primary = y.
  const x = [1.83, 0.5, 1.62, 2.48, 1.68, 1.88, 1.55, 3.06, 1.3]
  const y = [0.878, 0.647, 0.598, 2.05, 1.06, 1.29, 1.06, 3.14, 1.29]
  // Pooled, sorted, mid-ranks (x marked *):
  //  0.5*:1  0.598:2  0.647:3  0.878:4  1.06:5.5  1.06:5.5  1.29:7.5  1.29:7.5  1.30*:9  1.55*:10
  //  1.62*:11  1.68*:12  1.83*:13  1.88*:14  2.05:15  2.48*:16  3.06*:17  3.14:18
  // R1 = 1+9+10+11+12+13+14+16+17 = 103;  W = R1 - 9*10/2 = 58;  mn/2 = 40.5
  // Ties: {1.06, 1.06}, {1.29, 1.29}: sum(t^3 - t) = 6 + 6 = 12
  // sigma^2 = (mn/12) (N + 1 - 12/(N (N-1))) = 6.75 * (19 - 12/306) = 6.75 * 18.96078431 = 127.98529412
  // sigma = 11.31305857
  // two-sided: z = (58 - 40.5 - 0.5) / sigma = 17 / 11.31305857 = 1.50268823; p = 2 Phi(-z) = 0.13291946
  // greater:   same z; p = Phi(-z) = 0.06645973
  // less:      z = (17.5 + 0.5) / sigma = 1.59108166; p = Phi(z) = 0.94420440
  // (Phi evaluated with an independent erfc implementation; the brief quoted 0.1329 for "greater", but
  // 0.1329 is the two-sided value: the greater p-value is half of it.)
  it('W, z and p-values', () => {
    const t = right(mannWhitney(x, y, { confidence: 0.95, alternative: 'two-sided' }))
    expect(t.u).toBe(58)
    expect(t.ties).toBe(true)
    expect(t.method).toBe('normal')
    expect(t.z).toBeCloseTo(1.502688234, 8)
    expect(t.pValue).toBeCloseTo(0.1329194582, 9)
    const g = right(mannWhitney(x, y, { confidence: 0.95, alternative: 'greater' }))
    expect(g.pValue).toBeCloseTo(0.0664597291, 9)
    const l = right(mannWhitney(x, y, { confidence: 0.95, alternative: 'less' }))
    expect(l.z).toBeCloseTo(1.5910816597, 9)
    expect(l.pValue).toBeCloseTo(0.9442044003, 9)
  })
  it('normal-approximation confidence interval and estimate', () => {
    // Off the 81 pairwise differences W(d) = #{differences > d} and only the within-arm ties remain
    // (the same two pairs in y), so sigma0 = 11.31305857. Lower 95% bound: largest W with
    // (W - 40.5 - 0.5)/sigma0 <= 1.95996398 -> W <= 41 + 22.17318 -> W* = 63; the bound is the
    // (81 - 63) = 18th smallest difference = 1.68 - 2.05 = -0.37.
    // Upper: (W - 40.5 + 0.5)/sigma0 <= -1.95996398 -> W <= 40 - 22.17318 = 17.83 -> W* = 17; bound =
    // (81 - 17) = 64th smallest difference = 1.83 - 0.647 = 1.183.
    // A replay of R's algorithm (rank x - d with y, Brent root finding on the corrected z) lands on the
    // same points: -0.3700 and 1.1830 (R stops within its uniroot tolerance 1e-4 of them).
    const diffs = x.flatMap((a) => y.map((b) => a - b)).sort((a, b) => a - b)
    expect(diffs[17]).toBeCloseTo(-0.37, 12)
    expect(diffs[63]).toBeCloseTo(1.183, 12)
    const t = right(mannWhitney(x, y, { confidence: 0.95, alternative: 'two-sided' }))
    expect(t.lower).toBeCloseTo(-0.37, 12)
    expect(t.upper).toBeCloseTo(1.183, 12)
    // 81 differences: the 41st smallest is the median = 0.56.
    expect(diffs[40]).toBeCloseTo(0.56, 12)
    expect(t.estimate).toBeCloseTo(0.56, 12)
    // 90%: z = 1.64485363, z * sigma0 = 18.6083; lower W <= 41 + 18.6083 -> 59 -> 22nd smallest
    // = 0.5 - 0.598 = -0.098; upper W <= 40 - 18.6083 = 21.39 -> 21 -> 60th smallest = 3.06 - 2.05 = 1.010.
    const n90 = right(mannWhitney(x, y, { confidence: 0.9, alternative: 'two-sided' }))
    expect(n90.lower).toBeCloseTo(-0.098, 12)
    expect(n90.upper).toBeCloseTo(1.01, 12)
    expect(diffs[21]).toBeCloseTo(-0.098, 12)
    expect(diffs[59]).toBeCloseTo(1.01, 12)
  })
})

describe('mannWhitney: total on bad input', () => {
  it('returns typed errors', () => {
    expect(mannWhitney([], [1], { confidence: 0.95, alternative: 'two-sided' })).toEqual(
      E.left({ code: 'emptyArm', arm: 'canary', message: 'canary has no finite points' }),
    )
    const p = mannWhitney([1], [Number.NaN, Infinity], { confidence: 0.95, alternative: 'two-sided' })
    expect(E.isLeft(p) && p.left.code === 'emptyArm' && p.left.arm === 'primary').toBe(true)
    for (const confidence of [0, 1, -0.5, Number.NaN, 2]) {
      const r = mannWhitney([1, 2], [3, 4], { confidence, alternative: 'two-sided' })
      expect(E.isLeft(r) && r.left.code).toBe('invalidOptions')
    }
    const bad = mannWhitney([1, 2], [3, 4], { confidence: 0.9, alternative: 'sideways' as never })
    expect(E.isLeft(bad) && bad.left.code).toBe('invalidOptions')
  })
  it('drops non-finite points and counts them', () => {
    const r = right(mannWhitney([3, Number.NaN, 4, 5, Infinity], [1, -Infinity, 2], { confidence: 0.8, alternative: 'greater' }))
    expect(r.dropped).toBe(3)
    expect(r.u).toBe(6)
    expect(r.pValue).toBeCloseTo(0.1, 15)
  })
  it('all points tied: p = 1, estimate 0, interval [0, 0]', () => {
    const r = right(mannWhitney([5, 5, 5], [5, 5], { confidence: 0.95, alternative: 'two-sided' }))
    expect(r.pValue).toBe(1)
    expect([r.estimate, r.lower, r.upper]).toEqual([0, 0, 0])
  })
  it('each arm constant but different: still a finite test (no noise needed)', () => {
    // canary all 2, primary all 1: W = mn = 400 of 20 x 20; ties {20 x 1, 20 x 2}: sum(t^3 - t) = 2 * 7980
    // sigma^2 = (400/12)(41 - 15960/(40*39)) = 33.333 * (41 - 10.2308) = 1025.641; sigma = 32.0256
    // z = (400 - 200 - 0.5)/32.0256 = 6.2294; p = 2 Phi(-6.2294) = 4.68e-10
    const r = right(mannWhitney(new Array(20).fill(2), new Array(20).fill(1), { confidence: 0.98, alternative: 'two-sided' }))
    expect(r.z).toBeCloseTo(199.5 / Math.sqrt((400 / 12) * (41 - 15960 / 1560)), 12)
    expect(r.pValue).toBeLessThan(1e-9)
    expect([r.estimate, r.lower, r.upper]).toEqual([1, 1, 1])
  })
})

describe('Hodges-Lehmann and pairwise-difference selection', () => {
  it('small cases by hand', () => {
    expect(kthPairwiseDifference([1, 2, 3], [0, 10], 1)).toBe(-9)
    expect(kthPairwiseDifference([1, 2, 3], [0, 10], 6)).toBe(3)
    expect(kthPairwiseDifference([1, 2, 3], [0, 10], 99)).toBe(3) // clamped
    expect(hodgesLehmann([1, 2, 3], [0, 10])).toBe(-3)
    expect(hodgesLehmann([], [1])).toBeNaN()
  })
  it('selects exactly on a large matrix (the selection path, not the direct sort)', () => {
    // 200 x 150 = 30 000 differences of integer data with many ties; compare with a full sort.
    const xs = Array.from({ length: 200 }, (_, i) => (i * 37) % 101).sort((a, b) => a - b)
    const ys = Array.from({ length: 150 }, (_, i) => (i * 53) % 89).sort((a, b) => a - b)
    const all = xs.flatMap((a) => ys.map((b) => a - b)).sort((a, b) => a - b)
    for (const k of [1, 2, 777, 15_000, 15_001, 29_999, 30_000]) expect(kthPairwiseDifference(xs, ys, k)).toBe(all[k - 1])
  })
})
