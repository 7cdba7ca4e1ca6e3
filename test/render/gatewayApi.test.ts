import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import * as E from 'fp-ts/lib/Either.js'
import { mirrorShare, renderHTTPRoute, type GatewayApiOptions, type HTTPRoute } from '../../src/render/gatewayApi.js'
import type { RenderNames } from '../../src/render/names.js'
import type { RenderSource } from '../../src/render/source.js'
import { crdValidator, schemaErrors } from '../helpers/crdSchema.js'
import { traffic } from './arbitraries.js'

// Compile the (large) HTTPRoute schema once for the file.
const routeSchema = crdValidator('HTTPRoute', 'v1')

const names: RenderNames = { name: 'podinfo', namespace: 'test', port: 9898, gateways: ['gateways/public'] }

const render = (source: RenderSource, n: RenderNames = names, o: GatewayApiOptions = {}): HTTPRoute => {
  const r = renderHTTPRoute(source, n, o)
  if (E.isLeft(r)) throw new Error(JSON.stringify(r.left))
  return r.right
}
const paths = (source: RenderSource, n: RenderNames = names, o: GatewayApiOptions = {}) => {
  const r = renderHTTPRoute(source, n, o)
  return E.isLeft(r) ? r.left.map((e) => e.path) : []
}
const last = <A>(xs: readonly A[]): A => {
  const x = xs[xs.length - 1]
  if (x === undefined) throw new Error('empty')
  return x
}

// CEL rules (x-kubernetes-validations) that ajv cannot run, checked by hand.
const celErrors = (route: HTTPRoute): string[] => {
  const errors: string[] = []
  const total = route.spec.rules.reduce((s, r) => s + (r.matches?.length ?? 1), 0)
  if (total > 128) errors.push('more than 128 matches')
  for (const rule of route.spec.rules) {
    for (const b of rule.backendRefs) if (b.port === undefined) errors.push('Service backendRef without port')
    for (const f of rule.filters ?? []) {
      const m = f.requestMirror
      if (m.percent !== undefined && m.fraction !== undefined) errors.push('both percent and fraction')
      if (m.fraction !== undefined && m.fraction.numerator > m.fraction.denominator) errors.push('fraction above 1')
    }
    for (const m of rule.matches ?? []) {
      for (const list of [m.headers ?? [], m.queryParams ?? []]) {
        const keys = list.map((h) => h.name.toLowerCase())
        if (new Set(keys).size !== keys.length) errors.push(`duplicate match names ${keys.join(',')}`)
      }
    }
  }
  return errors
}

describe('renderHTTPRoute: schema validity', () => {
  it('uses a validator that rejects malformed routes (the check has teeth)', () => {
    const r = render({ weight: 10, routes: [] })
    expect(schemaErrors(routeSchema, { ...r, spec: { ...r.spec, rules: [{ backendRefs: [{ name: 'x', port: 0, weight: 1 }] }] } }).length).toBeGreaterThan(0)
    expect(schemaErrors(routeSchema, { ...r, spec: { ...r.spec, rules: [{ matches: [{ headers: [{ type: 'Prefix', name: 'a', value: 'b' }] }], backendRefs: [] }] } }).length).toBeGreaterThan(0)
  })

  it('renders routes valid against the Gateway API v1.6.1 CRD (and its CEL rules) for random traffic', () => {
    fc.assert(
      fc.property(traffic(), fc.constantFrom<RenderNames>(names, { name: 'podinfo', namespace: 'test', port: 80 }, { ...names, hosts: ['app.example.com', '*.example.org'] }), (t, n) => {
        const route = render(t, n)
        expect(schemaErrors(routeSchema, route)).toEqual([])
        expect(celErrors(route)).toEqual([])
      }),
      { numRuns: 200 },
    )
  })
})

describe('renderHTTPRoute: routing', () => {
  it('ends with the weighted default rule: primary then canary, weights summing to 100', () => {
    fc.assert(
      fc.property(traffic(), (t) => {
        const rules = render(t).spec.rules
        const def = last(rules)
        expect(def.matches).toBeUndefined()
        expect(def.backendRefs).toEqual([
          { name: 'podinfo-primary', port: 9898, weight: 100 - t.weight },
          { name: 'podinfo-canary', port: 9898, weight: t.weight },
        ])
        for (const r of rules) expect(r.backendRefs.reduce((s, b) => s + b.weight, 0)).toBe(100)
      }),
    )
  })

  it('renders header routes first, to the canary only, and mirror routes with a RequestMirror filter', () => {
    fc.assert(
      fc.property(traffic(), (t) => {
        const rules = render(t).spec.rules
        expect(rules).toHaveLength(t.routes.length + 1)
        t.routes.forEach((r, i) => {
          const rule = rules[i]
          expect(rule?.name).toBe(r.name)
          expect(rule?.matches).toHaveLength(r.match.length)
          if (r.kind === 'header') {
            expect(rule?.backendRefs).toEqual([{ name: 'podinfo-canary', port: 9898, weight: 100 }])
            expect(rule?.filters).toBeUndefined()
          } else {
            expect(rule?.filters).toEqual([{ type: 'RequestMirror', requestMirror: { backendRef: { name: 'podinfo-canary', port: 9898 }, ...mirrorShare(r.percentage ?? 100) } }])
          }
        })
      }),
    )
  })

  it('translates string matches into Exact / anchored RegularExpression', () => {
    const route = render({
      weight: 0,
      routes: [
        {
          name: 'beta',
          kind: 'header',
          match: [
            { headers: { 'X-User': { exact: 'a' }, 'x-e': { exact: '' }, 'x-p': { prefix: 'b.' }, 'x-s': { suffix: '.eu' }, 'x-r': { regex: 'q+' } } },
            { queryParams: { tier: { prefix: 'gold' } }, cookies: { canary: { exact: 'always' } } },
          ],
        },
      ],
    })
    expect(route.spec.rules[0]?.matches).toEqual([
      {
        headers: [
          { type: 'Exact', name: 'X-User', value: 'a' },
          { type: 'RegularExpression', name: 'x-e', value: '^$' },
          { type: 'RegularExpression', name: 'x-p', value: '^b\\..*$' },
          { type: 'RegularExpression', name: 'x-s', value: '^.*\\.eu$' },
          { type: 'RegularExpression', name: 'x-r', value: 'q+' },
        ],
      },
      {
        headers: [{ type: 'RegularExpression', name: 'cookie', value: '^(?:.*?;\\s*)?canary=always(?:;.*)?$' }],
        queryParams: [{ type: 'RegularExpression', name: 'tier', value: '^gold.*$' }],
      },
    ])
  })

  it('anchored regexes accept exactly what the string match accepts', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[A-Za-z0-9.+*?()|-]{0,6}$/), fc.stringMatching(/^[A-Za-z0-9.+*?()|-]{0,8}$/), (pattern, value) => {
        const route = render({ weight: 0, routes: [{ name: 'a', kind: 'header', match: [{ headers: { p: { prefix: pattern }, s: { suffix: pattern } } }] }] })
        const [p, s] = route.spec.rules[0]?.matches?.[0]?.headers ?? []
        expect(new RegExp(p?.value ?? '').test(value)).toBe(value.startsWith(pattern))
        expect(new RegExp(s?.value ?? '').test(value)).toBe(value.endsWith(pattern))
      }),
    )
  })

  it('mirrors in the default rule when traffic.mirror > 0, with percent or fraction', () => {
    expect(last(render({ weight: 0, mirror: 30, routes: [] }).spec.rules).filters).toEqual([
      { type: 'RequestMirror', requestMirror: { backendRef: { name: 'podinfo-canary', port: 9898 }, percent: 30 } },
    ])
    expect(last(render({ weight: 0, mirror: 0.5, routes: [] }).spec.rules).filters?.[0]?.requestMirror.fraction).toEqual({ numerator: 5, denominator: 1000 })
    expect(last(render({ weight: 0, mirror: 0, routes: [] }).spec.rules).filters).toBeUndefined()
  })

  it('mirrorShare keeps the share within 1e-4 % and valid', () => {
    fc.assert(
      fc.property(fc.double({ min: 0, max: 100, noNaN: true }), (p) => {
        const s = mirrorShare(p)
        if ('percent' in s) {
          expect(Number.isInteger(s.percent)).toBe(true)
          expect(s.percent).toBe(p)
        } else {
          expect(Number.isInteger(s.fraction.numerator)).toBe(true)
          expect(s.fraction.numerator).toBeLessThanOrEqual(s.fraction.denominator)
          expect(Math.abs((s.fraction.numerator / s.fraction.denominator) * 100 - p)).toBeLessThanOrEqual(1e-4 + 1e-12)
        }
      }),
    )
  })

  it('renders a rollback as weight 0 with no match rules and no mirror', () => {
    const rules = render({ type: 'rollback', revision: 'v2' }).spec.rules
    expect(rules).toEqual([
      {
        backendRefs: [
          { name: 'podinfo-primary', port: 9898, weight: 100 },
          { name: 'podinfo-canary', port: 9898, weight: 0 },
        ],
      },
    ])
  })

  it('takes parents from the gateways, from options, or the apex Service (mesh)', () => {
    expect(render({ weight: 0, routes: [] }).spec.parentRefs).toEqual([{ name: 'public', namespace: 'gateways' }])
    expect(render({ weight: 0, routes: [] }, { name: 'podinfo', namespace: 'test', port: 9898 }).spec.parentRefs).toEqual([
      { group: '', kind: 'Service', name: 'podinfo', port: 9898 },
    ])
    const route = render({ weight: 0, routes: [] }, names, { parentRefs: [{ name: 'edge', sectionName: 'https' }] })
    expect(route.spec.parentRefs).toEqual([{ name: 'edge', sectionName: 'https' }])
    expect(schemaErrors(routeSchema, route)).toEqual([])
  })
})

describe('renderHTTPRoute: bad input is a Left with paths', () => {
  it('needs a port', () => {
    expect(paths({ weight: 0, routes: [] }, { name: 'podinfo', namespace: 'test' })).toEqual(['names.port'])
  })
  it('rejects hostnames the Gateway API refuses, weights out of range, bad parents', () => {
    expect(paths({ weight: 0, routes: [] }, { ...names, hosts: ['Bad_Host'] })).toEqual(['names.hosts[0]'])
    expect(paths({ weight: 101, routes: [] })).toEqual(['traffic.weight'])
    expect(paths({ weight: 0, routes: [] }, names, { parentRefs: [{ name: '' }] })).toEqual(['options.parentRefs[0].name'])
    expect(paths({ weight: 0, routes: [] }, { ...names, gateways: ['a/b', 'a/b'] })).toEqual(['names.gateways[1]'])
  })
  it('rejects more rules or matches than the Gateway API allows', () => {
    const route = (i: number) => ({ name: `r${i}`, kind: 'header' as const, match: [{ headers: { a: { exact: String(i) } } }] })
    expect(paths({ weight: 0, routes: Array.from({ length: 16 }, (_, i) => route(i)) })).toEqual(['traffic.routes'])
    expect(paths({ weight: 0, routes: Array.from({ length: 15 }, (_, i) => route(i)) })).toEqual([])
    const many = { name: 'm', kind: 'header' as const, match: Array.from({ length: 65 }, (_, i) => ({ headers: { a: { exact: String(i) } } })) }
    expect(paths({ weight: 0, routes: [many] })).toEqual(['traffic.routes[0].match'])
  })
  it('rejects two cookies in one match', () => {
    expect(paths({ weight: 0, routes: [{ name: 'a', kind: 'header', match: [{ cookies: { a: { exact: '1' }, b: { exact: '2' } } }] }] })).toEqual(['traffic.routes[0].match[0].cookies'])
  })
  it('never throws, whatever it is given', () => {
    fc.assert(
      fc.property(fc.anything(), fc.anything(), fc.anything(), (s, n, o) => {
        const r = renderHTTPRoute(s as RenderSource, n as RenderNames, o as GatewayApiOptions)
        expect(E.isLeft(r) || E.isRight(r)).toBe(true)
      }),
    )
  })
})
