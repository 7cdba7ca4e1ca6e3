import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import * as E from 'fp-ts/lib/Either.js'
import * as render from '../../src/render/index.js'
import type { Action } from '../../src/engine/decision.js'
import { traffic } from './arbitraries.js'

describe('rollout-kernel/render entry', () => {
  it('exports the renderers and helpers', () => {
    for (const name of [
      'renderIstio',
      'renderHTTPRoute',
      'renderTrafficSplit',
      'renderNginxCanary',
      'splitReplicas',
      'canaryReplicas',
      'trafficOf',
      'checkTraffic',
      'resolveNames',
      'anchoredRegex',
      'cookieRegex',
      'escapeRegex',
      'mirrorShare',
      'objectMeta',
    ])
      expect(typeof (render as Record<string, unknown>)[name]).toBe('function')
  })

  it('renders the same canary weight with every router for any setWeight action without routes', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 100 }), (weight) => {
        const action: Action = { type: 'setWeight', weight, routes: [] }
        const names = { name: 'podinfo', namespace: 'test', port: 80 }
        const istio = render.renderIstio(action, names)
        const route = render.renderHTTPRoute(action, names)
        const split = render.renderTrafficSplit(action, names)
        if (E.isLeft(istio) || E.isLeft(route) || E.isLeft(split)) throw new Error('left')
        expect(istio.right.virtualService.spec.http.at(-1)?.route[1]?.weight).toBe(weight)
        expect(route.right.spec.rules.at(-1)?.backendRefs[1]?.weight).toBe(weight)
        expect(split.right.spec.backends[1]?.weight).toBe(weight)
      }),
    )
  })

  it('is deterministic: the same input renders the same output', () => {
    fc.assert(
      fc.property(traffic(), (t) => {
        const names = { name: 'podinfo', namespace: 'test', port: 80 }
        expect(render.renderIstio(t, names)).toEqual(render.renderIstio(t, names))
        expect(render.renderHTTPRoute(t, names)).toEqual(render.renderHTTPRoute(t, names))
      }),
      { numRuns: 50 },
    )
  })
})
