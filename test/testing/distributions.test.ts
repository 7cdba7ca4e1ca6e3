import { describe, expect, it } from 'vitest'
import { beta, binomial, erfc, gamma, logGamma, lognormal, normal, normalCdf, normalQuantile, poisson } from '../../src/testing/distributions.js'
import { createPrng, deriveSeed, hashString } from '../../src/testing/prng.js'

const moments = (n: number, draw: () => number): { mean: number; variance: number } => {
  let s = 0
  let s2 = 0
  for (let i = 0; i < n; i++) {
    const x = draw()
    s += x
    s2 += x * x
  }
  const mean = s / n
  return { mean, variance: s2 / n - mean * mean }
}

describe('prng', () => {
  it('is deterministic per seed and differs between seeds', () => {
    const a = createPrng(7)
    const b = createPrng(7)
    const c = createPrng(8)
    const xs = Array.from({ length: 5 }, () => a.nextU32())
    expect(Array.from({ length: 5 }, () => b.nextU32())).toEqual(xs)
    expect(Array.from({ length: 5 }, () => c.nextU32())).not.toEqual(xs)
  })
  it('gives uniform floats in [0, 1) with mean 1/2 and variance 1/12', () => {
    const rng = createPrng(1)
    const m = moments(200_000, rng.next)
    expect(m.mean).toBeCloseTo(0.5, 2)
    expect(m.variance).toBeCloseTo(1 / 12, 2)
    for (let i = 0; i < 10_000; i++) {
      const u = rng.nextOpen()
      expect(u > 0 && u < 1).toBe(true)
    }
  })
  it('derives distinct seeds from parts, including large epoch values', () => {
    const seeds = new Set([deriveSeed(1, 0), deriveSeed(1, 1), deriveSeed(2, 0), deriveSeed(1, 2 ** 40), deriveSeed(1, 2 ** 40 + 1), deriveSeed(1, hashString('x'))])
    expect(seeds.size).toBe(6)
    expect(deriveSeed(3, 4, 5)).toBe(deriveSeed(3, 4, 5))
  })
})

describe('special functions', () => {
  it('normal CDF and quantile agree with known values', () => {
    expect(normalCdf(0)).toBeCloseTo(0.5, 7)
    expect(normalCdf(1.959963985)).toBeCloseTo(0.975, 6)
    expect(normalQuantile(0.99)).toBeCloseTo(2.326347874, 5)
    expect(normalQuantile(0.001)).toBeCloseTo(-3.090232306, 5)
    expect(normalQuantile(0.5)).toBeCloseTo(0, 7)
    expect(erfc(0)).toBeCloseTo(1, 7)
    for (const p of [1e-6, 0.01, 0.3, 0.7, 0.999]) expect(normalCdf(normalQuantile(p))).toBeCloseTo(p, 6)
  })
  it('logGamma returns for every input (issue 15: -Infinity used to loop forever)', () => {
    for (const x of [-Infinity, -1e300, -1.5, Number.NaN]) expect(logGamma(x)).toBeNaN()
    expect(logGamma(0)).toBe(Infinity)
    expect(logGamma(Infinity)).toBe(Infinity)
    expect(Number.isFinite(logGamma(1e300))).toBe(true)
  })

  it('logGamma matches factorials', () => {
    expect(Math.exp(logGamma(5))).toBeCloseTo(24, 6)
    expect(logGamma(101)).toBeCloseTo(363.73937555556347, 6)
    expect(Math.exp(logGamma(0.5))).toBeCloseTo(Math.sqrt(Math.PI), 7)
  })
})

describe('variates', () => {
  const rng = createPrng(123)
  it('normal and lognormal have the right moments', () => {
    const m = moments(100_000, () => normal(rng))
    expect(m.mean).toBeCloseTo(0, 1)
    expect(m.variance).toBeCloseTo(1, 1)
    const logs = moments(50_000, () => Math.log(lognormal(rng, Math.log(100), 0.6)))
    expect(logs.mean).toBeCloseTo(Math.log(100), 1)
  })
  it('gamma and beta have the right means', () => {
    for (const k of [0.5, 1, 3.7, 50]) expect(moments(50_000, () => gamma(rng, k)).mean / k).toBeCloseTo(1, 1)
    expect(moments(50_000, () => beta(rng, 2, 6)).mean).toBeCloseTo(0.25, 2)
  })
  it.each([0.3, 4, 9.9, 10, 37, 600, 60_000])('poisson(%d) has mean and variance lambda', (lambda) => {
    const m = moments(60_000, () => poisson(rng, lambda))
    const se = Math.sqrt(lambda / 60_000)
    expect(Math.abs(m.mean - lambda)).toBeLessThan(5 * se)
    expect(m.variance / lambda).toBeGreaterThan(0.95)
    expect(m.variance / lambda).toBeLessThan(1.05)
  })
  it.each([
    [10, 0.3],
    [1000, 0.01],
    [6000, 0.01],
    [100_000, 0.02],
    [500, 0.9],
  ])('binomial(%d, %d) has mean np and variance np(1-p)', (n, p) => {
    const m = moments(40_000, () => binomial(rng, n, p))
    const v = n * p * (1 - p)
    expect(Math.abs(m.mean - n * p)).toBeLessThan(5 * Math.sqrt(v / 40_000))
    expect(m.variance / v).toBeGreaterThan(0.94)
    expect(m.variance / v).toBeLessThan(1.06)
  })
  it('binomial stays within [0, n] and handles the edges', () => {
    expect(binomial(rng, 0, 0.5)).toBe(0)
    expect(binomial(rng, 10, 0)).toBe(0)
    expect(binomial(rng, 10, 1)).toBe(10)
    for (let i = 0; i < 2000; i++) {
      const x = binomial(rng, 200, 0.6)
      expect(x >= 0 && x <= 200 && Number.isInteger(x)).toBe(true)
    }
    expect(poisson(rng, 0)).toBe(0)
    expect(poisson(rng, Number.NaN)).toBe(0)
  })
})
