import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import * as E from 'fp-ts/lib/Either.js'
import { canaryReplicas, splitReplicas } from '../../src/render/replicas.js'

const split = (r: number, w: number, s: number): [number, number] => {
  const res = splitReplicas(r, w, s)
  if (E.isLeft(res)) throw new Error(JSON.stringify(res.left))
  return [res.right.canary, res.right.stable]
}

// [replicas, weight, maxSurge, canary, stable]: the Argo Rollouts test vectors
// (utils/replicaset canary tests) for approximateWeightedCanaryStableReplicaCounts.
const vectors: ReadonlyArray<readonly [number, number, number, number, number]> = [
  [10, 24, 1, 3, 8],
  [3, 50, 0, 2, 1],
  [1, 1, 1, 1, 1],
  [0, 50, 1, 0, 0],
  [1, 1, 0, 0, 1],
  [1, 49, 0, 0, 1],
  [1, 50, 0, 1, 0],
  [1, 99, 1, 1, 1],
  [1, 100, 1, 1, 0],
  [2, 1, 0, 1, 1],
  [2, 99, 0, 1, 1],
  [2, 1, 1, 1, 2],
  [2, 99, 1, 2, 1],
  [3, 10, 0, 1, 2],
  [3, 49, 0, 1, 2],
  [3, 10, 1, 1, 3],
  [3, 33, 1, 1, 2],
  [3, 49, 1, 2, 2],
  [3, 50, 1, 2, 2],
  [10, 1, 0, 1, 9],
  [10, 14, 0, 1, 9],
  [10, 15, 0, 2, 8],
  [10, 99, 0, 9, 1],
  [10, 1, 1, 1, 10],
  [10, 18, 1, 2, 9],
  [10, 20, 1, 2, 8],
  [10, 23, 1, 2, 8],
  [10, 25, 1, 3, 8],
  [10, 99, 1, 10, 1],
  [10, 100, 1, 10, 0],
]

describe('splitReplicas (Argo Rollouts rule without traffic routing)', () => {
  it.each(vectors)('R%i W%i S%i -> (%i, %i)', (r, w, s, c, st) => {
    expect(split(r, w, s)).toEqual([c, st])
  })

  it('falls back to (0, R) when no candidate qualifies, as upstream', () => {
    expect(split(2, 75, 0)).toEqual([0, 2])
  })

  const args = fc.tuple(fc.integer({ min: 0, max: 500 }), fc.integer({ min: 0, max: 100 }), fc.integer({ min: 0, max: 50 }))

  it('keeps canary + stable within replicas .. replicas + maxSurge, both non-negative', () => {
    fc.assert(
      fc.property(args, ([r, w, s]) => {
        const [c, st] = split(r, w, s)
        expect(c).toBeGreaterThanOrEqual(0)
        expect(st).toBeGreaterThanOrEqual(0)
        expect(c + st).toBeGreaterThanOrEqual(r)
        expect(c + st).toBeLessThanOrEqual(r + s)
      }),
    )
  })

  it('gives no canary at weight 0 and no stable at weight 100', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 500 }), fc.integer({ min: 0, max: 50 }), (r, s) => {
        expect(split(r, 0, s)).toEqual([0, r])
        expect(split(r, 100, s)).toEqual([r, 0])
      }),
    )
  })

  it('keeps both sides running for weights 1..99 once there are 2 pods or a surge', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 500 }), fc.integer({ min: 1, max: 99 }), fc.integer({ min: 1, max: 50 }), (r, w, s) => {
        const [c, st] = split(r, w, s)
        expect(c).toBeGreaterThan(0)
        expect(st).toBeGreaterThan(0)
      }),
    )
  })

  it('is never worse than the plain rounding of the weight over replicas', () => {
    fc.assert(
      fc.property(args.filter(([r]) => r > 1), ([r, w, s]) => {
        const [c, st] = split(r, w, s)
        const err = Math.abs((c * 100) / (c + st) - w)
        // the ceiling on R pods is always a candidate for 1 <= ceil < R, so the result is at least as close
        const ceil = Math.ceil((r * w) / 100)
        if (ceil >= 1 && ceil < r) expect(err).toBeLessThanOrEqual(Math.abs((ceil * 100) / r - w) + 1e-9)
      }),
    )
  })

  it('gives a Left for bad input and never throws', () => {
    const paths = (r: unknown, w: unknown, s: unknown) => {
      const res = splitReplicas(r as number, w as number, s as number)
      return E.isLeft(res) ? res.left.map((e) => e.path) : []
    }
    expect(paths(-1, 10, 0)).toEqual(['replicas'])
    expect(paths(3, 101, 0)).toEqual(['weight'])
    expect(paths(3, 10.5, 0)).toEqual(['weight'])
    expect(paths(3, 10, 1.5)).toEqual(['maxSurge'])
    expect(paths(Number.NaN, '1', null)).toEqual(['replicas', 'weight', 'maxSurge'])
    fc.assert(fc.property(fc.anything(), fc.anything(), fc.anything(), (r, w, s) => {
      expect(() => splitReplicas(r as number, w as number, s as number)).not.toThrow()
    }))
  })
})

describe('canaryReplicas (setCanaryScale)', () => {
  it('follows the weight with ceil(w*R/100) when there is no scale, or the scale weight', () => {
    expect(canaryReplicas(undefined, 33, 10)).toEqual(E.right(4))
    expect(canaryReplicas(undefined, 0, 10)).toEqual(E.right(0))
    expect(canaryReplicas(undefined, 20, 10)).toEqual(E.right(2))
    expect(canaryReplicas({ weight: 25 }, 90, 10)).toEqual(E.right(3))
    expect(canaryReplicas({}, 99, 10)).toEqual(E.right(10))
  })

  it('uses absolute replicas when given (they win over a scale weight, as in Argo)', () => {
    expect(canaryReplicas({ replicas: 2 }, 50, 10)).toEqual(E.right(2))
    expect(canaryReplicas({ replicas: 7, weight: 10 }, 50, 3)).toEqual(E.right(7))
  })

  it('is ceil(w*R/100): the smallest count whose share is at least w', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 100 }), fc.integer({ min: 0, max: 1000 }), (w, r) => {
        const res = canaryReplicas(undefined, w, r)
        if (E.isLeft(res)) throw new Error('left')
        const c = res.right
        expect(c * 100).toBeGreaterThanOrEqual(w * r)
        if (c > 0) expect((c - 1) * 100).toBeLessThan(w * r)
        expect(c).toBeLessThanOrEqual(r)
      }),
    )
  })

  it('gives a Left for bad input', () => {
    const paths = (s: unknown, w: unknown, r: unknown) => {
      const res = canaryReplicas(s as undefined, w as number, r as number)
      return E.isLeft(res) ? res.left.map((e) => e.path) : []
    }
    expect(paths({ weight: 150 }, 10, 3)).toEqual(['canaryScale.weight'])
    expect(paths({ replicas: -2 }, 10, 3)).toEqual(['canaryScale.replicas'])
    expect(paths(undefined, 10, -3)).toEqual(['replicas'])
    expect(paths('x', 10, 3)).toEqual(['canaryScale'])
  })
})
