import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import * as E from 'fp-ts/lib/Either.js'
import { renderIstio, type IstioObjects, type IstioOptions } from '../../src/render/istio.js'
import type { RenderNames } from '../../src/render/names.js'
import type { RenderSource } from '../../src/render/source.js'
import type { Traffic } from '../../src/model/traffic.js'
import { crdValidator, schemaErrors } from '../helpers/crdSchema.js'
import { traffic } from './arbitraries.js'

// Compile each CRD schema once for the whole file.
const vsSchema = crdValidator('VirtualService', 'v1')
const drSchema = crdValidator('DestinationRule', 'v1')

const names: RenderNames = { name: 'podinfo', namespace: 'test', port: 9898 }
const subsetOptions: IstioOptions = {
  destinations: 'subsets',
  subsetLabels: { primary: { 'rollouts-pod-template-hash': 'aaa' }, canary: { 'rollouts-pod-template-hash': 'bbb' } },
}

const render = (source: RenderSource, n: RenderNames = names, o: IstioOptions = {}): IstioObjects => {
  const r = renderIstio(source, n, o)
  if (E.isLeft(r)) throw new Error(JSON.stringify(r.left))
  return r.right
}
const errorsOf = (source: RenderSource, n: RenderNames = names, o: IstioOptions = {}) => {
  const r = renderIstio(source, n, o)
  return E.isLeft(r) ? r.left : []
}
const last = <A>(xs: readonly A[]): A => {
  const x = xs[xs.length - 1]
  if (x === undefined) throw new Error('empty')
  return x
}

describe('renderIstio: schema validity', () => {
  it('uses validators that reject malformed objects (the check has teeth)', () => {
    const vs = render({ weight: 10, routes: [] }).virtualService
    expect(schemaErrors(vsSchema, { ...vs, spec: { ...vs.spec, http: [{ route: [{ destination: {}, weight: '10' }] }] } }).length).toBeGreaterThan(0)
    expect(schemaErrors(vsSchema, { ...vs, spec: { ...vs.spec, http: [{ match: [{ headers: { a: { exact: 'x', prefix: 'y' } } }], route: [] }] } }).length).toBeGreaterThan(0)
    expect(schemaErrors(drSchema, { apiVersion: 'networking.istio.io/v1', kind: 'DestinationRule', metadata: {}, spec: { subsets: [{}] } }).length).toBeGreaterThan(0)
  })

  it('renders objects valid against the Istio v1.30 CRDs for random traffic, in both destination styles', () => {
    fc.assert(
      fc.property(traffic(), fc.boolean(), fc.option(fc.constantFrom(['istio-system/public', 'mesh'], ['gw']), { nil: undefined }), (t, subsets, gateways) => {
        const objs = render(t, { ...names, ...(gateways ? { gateways } : {}) }, subsets ? subsetOptions : {})
        expect(schemaErrors(vsSchema, objs.virtualService)).toEqual([])
        for (const dr of objs.destinationRules) expect(schemaErrors(drSchema, dr)).toEqual([])
      }),
      { numRuns: 200 },
    )
  })
})

describe('renderIstio: routing', () => {
  it('splits primary/canary with weights summing to 100, default route last and unmatched', () => {
    fc.assert(
      fc.property(traffic(), (t) => {
        const http = render(t).virtualService.spec.http
        const def = last(http)
        expect(def.match).toBeUndefined()
        expect(def.route.map((d) => d.destination.host)).toEqual(['podinfo-primary', 'podinfo-canary'])
        expect(def.route.map((d) => d.weight)).toEqual([100 - t.weight, t.weight])
        for (const r of http) expect(r.route.reduce((s, d) => s + d.weight, 0)).toBe(100)
      }),
    )
  })

  it('places managed routes before the default route, in their order, header routes to the canary only', () => {
    fc.assert(
      fc.property(traffic(), (t) => {
        const http = render(t).virtualService.spec.http
        expect(http).toHaveLength(t.routes.length + 1)
        t.routes.forEach((r, i) => {
          const h = http[i]
          expect(h?.name).toBe(r.name)
          expect(h?.match).toHaveLength(r.match.length)
          if (r.kind === 'header') {
            expect(h?.route).toEqual([{ destination: { host: 'podinfo-canary', port: { number: 9898 } }, weight: 100 }])
            expect(h?.mirror).toBeUndefined()
          } else {
            expect(h?.mirror).toEqual({ host: 'podinfo-canary', port: { number: 9898 } })
            expect(h?.mirrorPercentage).toEqual({ value: r.percentage ?? 100 })
            expect(h?.route.map((d) => d.weight)).toEqual([100 - t.weight, t.weight])
          }
        })
      }),
    )
  })

  it('mirrors the default route when traffic.mirror > 0, and only then', () => {
    const on = last(render({ weight: 0, mirror: 25, routes: [] }).virtualService.spec.http)
    expect(on.mirror).toEqual({ host: 'podinfo-canary', port: { number: 9898 } })
    expect(on.mirrorPercentage).toEqual({ value: 25 })
    const off = last(render({ weight: 0, mirror: 0, routes: [] }).virtualService.spec.http)
    expect(off.mirror).toBeUndefined()
    expect(off.mirrorPercentage).toBeUndefined()
  })

  it('renders a rollback as weight 0 with no match routes and no mirror', () => {
    fc.assert(
      fc.property(traffic(), (t) => {
        // the traffic before the rollback does not matter: a rollback carries none
        void t
        const http = render({ type: 'rollback', revision: 'v2' }).virtualService.spec.http
        expect(http).toHaveLength(1)
        expect(http[0]?.match).toBeUndefined()
        expect(http[0]?.mirror).toBeUndefined()
        expect(http[0]?.route.map((d) => [d.destination.host, d.weight])).toEqual([
          ['podinfo-primary', 100],
          ['podinfo-canary', 0],
        ])
      }),
      { numRuns: 5 },
    )
  })

  it('renders switch / finalize / setWeight actions', () => {
    const w = (s: RenderSource) => last(render(s).virtualService.spec.http).route.map((d) => d.weight)
    expect(w({ type: 'switch', to: 'canary', revision: 'v2' })).toEqual([0, 100])
    expect(w({ type: 'switch', to: 'primary', revision: 'v2' })).toEqual([100, 0])
    expect(w({ type: 'finalize', revision: 'v2' })).toEqual([100, 0])
    expect(w({ type: 'setWeight', weight: 35, routes: [] })).toEqual([65, 35])
  })

  it('translates string matches: suffix becomes an anchored regex, headers are lower-cased, query prefix is a regex', () => {
    const vs = render({
      weight: 10,
      routes: [
        {
          name: 'beta',
          kind: 'header',
          match: [
            { headers: { 'X-User': { exact: 'a' }, 'x-region': { suffix: '.eu' }, 'x-p': { prefix: 'b' }, 'x-r': { regex: 'q+' } } },
            { queryParams: { tier: { prefix: 'gold' }, ab: { exact: 'on' } } },
          ],
        },
      ],
    }).virtualService
    expect(vs.spec.http[0]?.match).toEqual([
      { headers: { 'x-user': { exact: 'a' }, 'x-region': { regex: '^.*\\.eu$' }, 'x-p': { prefix: 'b' }, 'x-r': { regex: 'q+' } } },
      { queryParams: { tier: { regex: '^gold.*$' }, ab: { exact: 'on' } } },
    ])
  })

  it('matches cookies through a regex on the cookie header (as Flagger does)', () => {
    fc.assert(
      fc.property(
        fc.stringMatching(/^[a-z][a-z0-9_-]{0,8}$/),
        fc.stringMatching(/^[A-Za-z0-9._+-]{1,10}$/),
        fc.stringMatching(/^[a-z]{1,5}=[a-z0-9]{0,5}$/),
        (cookie, value, other) => {
          const vs = render({ weight: 0, routes: [{ name: 'c', kind: 'header', match: [{ cookies: { [cookie]: { exact: value } } }] }] }).virtualService
          const regex = vs.spec.http[0]?.match?.[0]?.headers?.cookie?.regex
          expect(regex).toBeDefined()
          const re = new RegExp(regex ?? '')
          expect(re.test(`${cookie}=${value}`)).toBe(true)
          expect(re.test(`${other}; ${cookie}=${value}; ${other}`)).toBe(true)
          expect(re.test(`${cookie}=${value}x`)).toBe(false)
          expect(re.test(`x${cookie}=${value}`)).toBe(false)
        },
      ),
    )
  })

  it('uses subsets of the apex Service and one DestinationRule in the subsets style', () => {
    const objs = render({ weight: 40, routes: [] }, names, subsetOptions)
    expect(last(objs.virtualService.spec.http).route).toEqual([
      { destination: { host: 'podinfo', subset: 'primary', port: { number: 9898 } }, weight: 60 },
      { destination: { host: 'podinfo', subset: 'canary', port: { number: 9898 } }, weight: 40 },
    ])
    expect(objs.destinationRules).toHaveLength(1)
    expect(objs.destinationRules[0]?.metadata.name).toBe('podinfo')
    expect(objs.destinationRules[0]?.spec.subsets?.map((s) => s.name)).toEqual(['primary', 'canary'])
  })

  it('renders one DestinationRule per Service in the services style, with names and hosts from the names', () => {
    const objs = render({ weight: 0, routes: [] }, { name: 'web', namespace: 'prod', hosts: ['web.example.com'], gateways: ['istio-system/public'] }, { trafficPolicy: { tls: { mode: 'ISTIO_MUTUAL' } } })
    expect(objs.virtualService.metadata).toEqual({ name: 'web', namespace: 'prod' })
    expect(objs.virtualService.spec.hosts).toEqual(['web.example.com'])
    expect(objs.virtualService.spec.gateways).toEqual(['istio-system/public'])
    expect(objs.destinationRules.map((d) => [d.metadata.name, d.spec.host])).toEqual([
      ['web-primary', 'web-primary'],
      ['web-canary', 'web-canary'],
    ])
    expect(objs.destinationRules[0]?.spec.trafficPolicy).toEqual({ tls: { mode: 'ISTIO_MUTUAL' } })
    for (const dr of objs.destinationRules) expect(schemaErrors(drSchema, dr)).toEqual([])
  })

  it('does not mutate its input', () => {
    const t: Traffic = Object.freeze({ weight: 5, routes: Object.freeze([Object.freeze({ name: 'a', kind: 'header' as const, match: Object.freeze([Object.freeze({ headers: Object.freeze({ 'x-a': Object.freeze({ exact: '1' }) }) })]) })]) })
    const before = JSON.stringify(t)
    render(t)
    expect(JSON.stringify(t)).toBe(before)
  })
})

describe('renderIstio: bad input is a Left with paths', () => {
  const paths = (source: RenderSource, n: RenderNames = names, o: IstioOptions = {}) => errorsOf(source, n, o).map((e) => e.path)

  it('rejects weights outside 0..100 or not integers', () => {
    fc.assert(
      fc.property(fc.oneof(fc.integer({ min: 101 }), fc.integer({ max: -1 }), fc.double({ min: 0.01, max: 99.99, noNaN: true }).filter((x) => !Number.isInteger(x))), (w) => {
        expect(paths({ weight: w, routes: [] })).toEqual(['traffic.weight'])
      }),
    )
    expect(paths({ weight: Number.NaN, routes: [] })).toEqual(['traffic.weight'])
  })

  it('rejects empty names and bad options', () => {
    expect(paths({ weight: 0, routes: [] }, { name: '', namespace: 'test' })).toContain('names.name')
    expect(paths({ weight: 0, routes: [] }, { name: 'ok', namespace: 'Not_A_Namespace' })).toEqual(['names.namespace'])
    expect(paths({ weight: 0, routes: [] }, { name: 'ok', namespace: 'ns', port: 0 })).toEqual(['names.port'])
    expect(paths({ weight: 0, routes: [] }, names, { destinations: 'subsets' })).toEqual(['options.subsetLabels'])
  })

  it('rejects malformed routes and matches', () => {
    expect(paths({ weight: 0, routes: [{ name: '', kind: 'header', match: [{ headers: { a: { exact: '1' } } }] }] })).toEqual(['traffic.routes[0].name'])
    expect(paths({ weight: 0, routes: [{ name: 'a', kind: 'header', match: [] }] })).toEqual(['traffic.routes[0].match'])
    expect(paths({ weight: 0, routes: [{ name: 'a', kind: 'header', match: [{}] }] })).toEqual(['traffic.routes[0].match[0]'])
    expect(paths({ weight: 0, routes: [{ name: 'a', kind: 'header', match: [{ headers: { a: { exact: '1', prefix: '2' } } }] }] })).toEqual(['traffic.routes[0].match[0].headers.a'])
    expect(paths({ weight: 0, routes: [{ name: 'a', kind: 'header', match: [{ headers: { 'bad name': { exact: '1' } } }] }] })).toEqual(['traffic.routes[0].match[0].headers.bad name'])
    const dup = { name: 'a', kind: 'header' as const, match: [{ headers: { a: { exact: '1' } } }] }
    expect(paths({ weight: 0, routes: [dup, dup] })).toEqual(['traffic.routes[1].name'])
    expect(paths({ weight: 0, routes: [{ ...dup, percentage: 5 }] })).toEqual(['traffic.routes[0].percentage'])
  })

  it('rejects two cookies in one match, and a cookie beside a cookie header', () => {
    expect(paths({ weight: 0, routes: [{ name: 'a', kind: 'header', match: [{ cookies: { a: { exact: '1' }, b: { exact: '2' } } }] }] })).toEqual(['traffic.routes[0].match[0].cookies'])
    expect(paths({ weight: 0, routes: [{ name: 'a', kind: 'header', match: [{ headers: { Cookie: { regex: '.*' } }, cookies: { a: { exact: '1' } } }] }] })).toEqual(['traffic.routes[0].match[0].cookies'])
  })

  it('has nothing to render for hold and promote', () => {
    expect(paths({ type: 'hold' })).toEqual(['action.type'])
    expect(paths({ type: 'promote', revision: 'v2' })).toEqual(['action.type'])
  })

  it('never throws, whatever it is given', () => {
    fc.assert(
      fc.property(fc.anything(), fc.anything(), fc.anything(), (s, n, o) => {
        const r = renderIstio(s as RenderSource, n as RenderNames, o as IstioOptions)
        expect(E.isLeft(r) || E.isRight(r)).toBe(true)
      }),
    )
  })
})
