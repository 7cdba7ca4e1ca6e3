import { describe, expect, it } from 'vitest'
import { describeEffect, effectsOf, reassertTraffic } from '../../src/driver/index.js'

describe('effectsOf', () => {
  it('hold does nothing', () => {
    expect(effectsOf({ type: 'hold' })).toEqual([])
  })

  it('setWeight scales the canary (following the weight) before routing', () => {
    const a = { type: 'setWeight' as const, weight: 20, routes: [] }
    expect(effectsOf(a)).toEqual([
      { kind: 'scaleCanary', target: { kind: 'followWeight', weight: 20 } },
      { kind: 'route', action: a },
    ])
  })

  it('setWeight honours an explicit canary scale (replicas win over a share)', () => {
    expect(effectsOf({ type: 'setWeight', weight: 5, routes: [], canaryScale: { weight: 50 } })[0]).toEqual({ kind: 'scaleCanary', target: { kind: 'share', weight: 50 } })
    expect(effectsOf({ type: 'setWeight', weight: 5, routes: [], canaryScale: { replicas: 3, weight: 50 } })[0]).toEqual({ kind: 'scaleCanary', target: { kind: 'replicas', replicas: 3 } })
  })

  it('promote rolls the primary then routes; rollback routes away then scales to zero; finalize scales to zero', () => {
    expect(effectsOf({ type: 'promote', revision: 'v2' }).map(describeEffect)).toEqual(['promote primary to v2', 'route promote v2'])
    expect(effectsOf({ type: 'rollback', revision: 'v2' }).map(describeEffect)).toEqual(['route rollback v2', 'scale canary to zero'])
    expect(effectsOf({ type: 'finalize', revision: 'v2' }).map(describeEffect)).toEqual(['scale canary to zero'])
    expect(effectsOf({ type: 'switch', to: 'canary', revision: 'v2' }).map(describeEffect)).toEqual(['route switch to canary'])
  })

  it('reassertTraffic re-applies the wanted routing as a setWeight', () => {
    expect(reassertTraffic({ weight: 40, routes: [], mirror: 10 }).map(describeEffect)).toEqual(['scale canary to 40%', 'route setWeight 40%'])
  })
})
