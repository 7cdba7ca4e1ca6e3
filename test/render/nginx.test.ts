import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import * as E from 'fp-ts/lib/Either.js'
import { Ajv } from 'ajv'
import { renderNginxCanary, type CanaryIngress, type IngressManifest, type NginxOptions } from '../../src/render/nginx.js'
import type { RenderNames } from '../../src/render/names.js'
import type { RenderSource } from '../../src/render/source.js'
import type { Traffic } from '../../src/model/traffic.js'
import { stringMatch, tokenName, traffic } from './arbitraries.js'

const P = 'nginx.ingress.kubernetes.io'
const names: RenderNames = { name: 'podinfo', namespace: 'test' }

const deepFreeze = <A>(a: A): A => {
  if (typeof a === 'object' && a !== null) {
    for (const v of Object.values(a)) deepFreeze(v)
    Object.freeze(a)
  }
  return a
}

const base: IngressManifest = deepFreeze({
  apiVersion: 'networking.k8s.io/v1',
  kind: 'Ingress',
  metadata: {
    name: 'podinfo',
    namespace: 'test',
    labels: { app: 'podinfo' },
    annotations: { 'kubernetes.io/ingress.class': 'nginx', [`${P}/canary-weight`]: '55', [`${P}/rewrite-target`]: '/' },
  },
  spec: {
    ingressClassName: 'nginx',
    tls: [{ hosts: ['app.example.com'], secretName: 'tls' }],
    rules: [
      {
        host: 'app.example.com',
        http: {
          paths: [
            { path: '/', pathType: 'Prefix', backend: { service: { name: 'podinfo', port: { number: 80 } } } },
            { path: '/other', pathType: 'Prefix', backend: { service: { name: 'other', port: { number: 80 } } } },
          ],
        },
      },
    ],
  },
})

// The networking.k8s.io/v1 Ingress fields this renderer touches (a built-in type: no CRD to load).
const ingressSchema = new Ajv({ strict: false, allErrors: true }).compile({
  type: 'object',
  required: ['apiVersion', 'kind', 'metadata', 'spec'],
  properties: {
    apiVersion: { const: 'networking.k8s.io/v1' },
    kind: { const: 'Ingress' },
    metadata: {
      type: 'object',
      required: ['name', 'namespace'],
      properties: {
        name: { type: 'string', pattern: '^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$', maxLength: 253 },
        namespace: { type: 'string' },
        labels: { type: 'object', additionalProperties: { type: 'string' } },
        annotations: { type: 'object', additionalProperties: { type: 'string' } },
      },
    },
    spec: {
      type: 'object',
      properties: {
        rules: {
          type: 'array',
          items: {
            type: 'object',
            properties: {
              http: {
                type: 'object',
                required: ['paths'],
                properties: {
                  paths: {
                    type: 'array',
                    items: {
                      type: 'object',
                      required: ['pathType', 'backend'],
                      properties: {
                        pathType: { enum: ['Exact', 'Prefix', 'ImplementationSpecific'] },
                        backend: { type: 'object', properties: { service: { type: 'object', required: ['name'] } } },
                      },
                    },
                  },
                },
              },
            },
          },
        },
      },
    },
  },
})

const render = (s: RenderSource, o: NginxOptions = {}, b: IngressManifest = base): CanaryIngress => {
  const r = renderNginxCanary(s, names, b, o)
  if (E.isLeft(r)) throw new Error(JSON.stringify(r.left))
  return r.right
}
const paths = (s: RenderSource, b: unknown = base, n: RenderNames = names) => {
  const r = renderNginxCanary(s, n, b as IngressManifest)
  return E.isLeft(r) ? r.left.map((e) => e.path) : []
}
const canaryKeys = (ing: CanaryIngress) => Object.keys(ing.metadata.annotations ?? {}).filter((k) => k.startsWith(`${P}/canary`)).sort()

/** Can ingress-nginx express this traffic? */
const expressible = (t: Traffic): boolean => {
  if (t.mirror !== undefined && t.mirror > 0) return false
  if (t.routes.some((r) => r.kind === 'mirror')) return false
  const header = t.routes.filter((r) => r.kind === 'header')
  if (header.length === 0) return true
  if (header.length > 1) return false
  const [route] = header
  const [m] = route?.match ?? []
  if (route?.match.length !== 1 || m === undefined) return false
  const h = Object.entries(m.headers ?? {})
  const c = Object.entries(m.cookies ?? {})
  if (Object.keys(m.queryParams ?? {}).length > 0 || h.length + c.length !== 1) return false
  const [hh] = h
  if (hh !== undefined) return hh[1].exact !== ''
  return c[0]?.[1].exact === 'always'
}

describe('renderNginxCanary', () => {
  it('clones the base Ingress as <name>-canary pointing at the canary Service, with canary + weight annotations', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 100 }), (w) => {
        const ing = render({ type: 'setWeight', weight: w, routes: [] })
        expect(ingressSchema(ing)).toBe(true)
        expect(ing.metadata.name).toBe('podinfo-canary')
        expect(ing.metadata.namespace).toBe('test')
        expect(ing.metadata.labels).toEqual({ app: 'podinfo' })
        expect(ing.metadata.annotations).toEqual({
          'kubernetes.io/ingress.class': 'nginx',
          [`${P}/rewrite-target`]: '/',
          [`${P}/canary`]: 'true',
          [`${P}/canary-weight`]: String(w),
        })
        const spec = ing.spec as typeof base.spec & { rules: Array<{ http: { paths: Array<{ backend: { service: { name: string } } }> } }> }
        expect(spec.rules[0]?.http.paths.map((p) => p.backend.service.name)).toEqual(['podinfo-canary', 'other'])
        expect(spec.tls).toEqual(base.spec.tls)
      }),
    )
  })

  it('renders a rollback as weight 0 without header or cookie annotations', () => {
    const ing = render({ type: 'rollback', revision: 'v2' })
    expect(ing.metadata.annotations?.[`${P}/canary-weight`]).toBe('0')
    expect(canaryKeys(ing)).toEqual([`${P}/canary`, `${P}/canary-weight`])
  })

  it('expresses one header route: exact value, or an anchored pattern for prefix / suffix / regex', () => {
    fc.assert(
      fc.property(tokenName, stringMatch.filter((m) => m.exact !== ''), fc.integer({ min: 0, max: 100 }), (h, m, w) => {
        const ing = render({ weight: w, routes: [{ name: 'r', kind: 'header', match: [{ headers: { [h]: m } }] }] })
        const a = ing.metadata.annotations ?? {}
        expect(a[`${P}/canary-by-header`]).toBe(h)
        expect(a[`${P}/canary-weight`]).toBe(String(w))
        if (m.exact !== undefined) {
          expect(a[`${P}/canary-by-header-value`]).toBe(m.exact)
          expect(a[`${P}/canary-by-header-pattern`]).toBeUndefined()
        } else {
          const re = new RegExp(a[`${P}/canary-by-header-pattern`] ?? '(?!)')
          if (m.prefix !== undefined) {
            expect(re.test(`${m.prefix}zz`)).toBe(true)
            expect(re.test(`zz${m.prefix}`)).toBe(m.prefix === '' || `zz${m.prefix}`.startsWith(m.prefix))
          }
          if (m.suffix !== undefined) expect(re.test(`zz${m.suffix}`)).toBe(true)
          expect(a[`${P}/canary-by-header-value`]).toBeUndefined()
        }
      }),
    )
  })

  it('expresses a cookie route with the value "always" as canary-by-cookie', () => {
    const ing = render({ weight: 0, routes: [{ name: 'c', kind: 'header', match: [{ cookies: { canary: { exact: 'always' } } }] }] })
    expect(ing.metadata.annotations?.[`${P}/canary-by-cookie`]).toBe('canary')
  })

  it('is a Right exactly when ingress-nginx can express the traffic', () => {
    fc.assert(
      fc.property(traffic(2), (t) => {
        const r = renderNginxCanary(t, names, base)
        expect(E.isRight(r)).toBe(expressible(t))
        if (E.isRight(r)) expect(ingressSchema(r.right)).toBe(true)
      }),
      { numRuns: 300 },
    )
  })

  it('gives Lefts with clear paths for what it cannot express', () => {
    const hr = (name: string) => ({ name, kind: 'header' as const, match: [{ headers: { 'x-a': { exact: '1' } } }] })
    expect(paths({ weight: 0, routes: [hr('a'), hr('b')] })).toEqual(['traffic.routes'])
    expect(paths({ weight: 0, routes: [{ name: 'm', kind: 'mirror', match: [{ headers: { a: { exact: '1' } } }] }] })).toEqual(['traffic.routes[0]'])
    expect(paths({ weight: 0, mirror: 10, routes: [] })).toEqual(['traffic.mirror'])
    expect(paths({ weight: 0, routes: [{ name: 'q', kind: 'header', match: [{ queryParams: { a: { exact: '1' } } }] }] })).toEqual(['traffic.routes[0].match[0].queryParams'])
    expect(paths({ weight: 0, routes: [{ name: 'two', kind: 'header', match: [{ headers: { a: { exact: '1' }, b: { exact: '2' } } }] }] })).toEqual(['traffic.routes[0].match[0]'])
    expect(paths({ weight: 0, routes: [{ name: 'c', kind: 'header', match: [{ cookies: { c: { exact: 'yes' } } }] }] })).toEqual(['traffic.routes[0].match[0].cookies.c'])
    const r = renderNginxCanary({ weight: 0, routes: [hr('a'), hr('b')] }, names, base)
    expect(E.isLeft(r) && r.left[0]?.message).toMatch(/at most one header route/)
  })

  it('gives a Left for a base Ingress it cannot use', () => {
    expect(paths({ weight: 0, routes: [] }, { ...base, spec: { rules: [] } })).toEqual(['base.spec'])
    expect(paths({ weight: 0, routes: [] }, { ...base, apiVersion: 'extensions/v1beta1' })).toEqual(['base.apiVersion'])
    expect(paths({ weight: 0, routes: [] }, { ...base, metadata: { ...base.metadata, namespace: 'elsewhere' } })).toEqual(['base.metadata.namespace'])
    expect(paths({ weight: 0, routes: [] }, null)).toEqual(['base'])
    expect(paths({ weight: 0, routes: [] }, base, { name: 'podinfo', namespace: '' })).toEqual(['names.namespace'])
  })

  it('retargets the default backend and backends naming the primary Service too', () => {
    const b: IngressManifest = {
      metadata: { name: 'web' },
      spec: {
        defaultBackend: { service: { name: 'podinfo-primary', port: { number: 80 } } },
        rules: [{ http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'podinfo', port: { name: 'http' } } } }] } }],
      },
    }
    const ing = render({ weight: 5, routes: [] }, {}, b)
    expect(ing.metadata.name).toBe('web-canary')
    expect(ing.spec.defaultBackend).toEqual({ service: { name: 'podinfo-canary', port: { number: 80 } } })
    expect(JSON.stringify(ing.spec.rules)).toContain('"podinfo-canary"')
    expect(b.spec.defaultBackend).toEqual({ service: { name: 'podinfo-primary', port: { number: 80 } } })
  })

  it('never throws', () => {
    fc.assert(
      fc.property(fc.anything(), fc.anything(), fc.anything(), fc.anything(), (s, n, b, o) => {
        const r = renderNginxCanary(s as RenderSource, n as RenderNames, b as IngressManifest, o as NginxOptions)
        expect(E.isLeft(r) || E.isRight(r)).toBe(true)
      }),
    )
  })
})
