import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import * as E from 'fp-ts/lib/Either.js'
import { renderTrafficSplit, type SmiOptions, type SmiVersion } from '../../src/render/smi.js'
import type { RenderNames } from '../../src/render/names.js'
import type { RenderSource } from '../../src/render/source.js'
import { crdValidator, schemaErrors } from '../helpers/crdSchema.js'
import { traffic } from './arbitraries.js'

const versions: SmiVersion[] = ['v1alpha2', 'v1alpha3', 'v1alpha4']
const schemas = Object.fromEntries(versions.map((v) => [v, crdValidator('TrafficSplit', v)]))
const names: RenderNames = { name: 'podinfo', namespace: 'test' }
const paths = (s: RenderSource, n: RenderNames = names, o: SmiOptions = {}) => {
  const r = renderTrafficSplit(s, n, o)
  return E.isLeft(r) ? r.left.map((e) => e.path) : []
}

describe('renderTrafficSplit', () => {
  it('renders splits valid against every SMI schema, weights summing to 100, primary then canary', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 100 }), fc.constantFrom(...versions), (w, version) => {
        const r = renderTrafficSplit({ type: 'setWeight', weight: w, routes: [] }, names, { version })
        if (E.isLeft(r)) throw new Error(JSON.stringify(r.left))
        const schema = schemas[version]
        if (schema === undefined) throw new Error('no schema')
        expect(schemaErrors(schema, r.right)).toEqual([])
        expect(r.right.spec).toEqual({
          service: 'podinfo',
          backends: [
            { service: 'podinfo-primary', weight: 100 - w },
            { service: 'podinfo-canary', weight: w },
          ],
        })
      }),
    )
  })

  it('defaults to v1alpha4 and uses the given Services', () => {
    const r = renderTrafficSplit({ weight: 25, routes: [] }, { name: 'split', namespace: 'ns', service: 'web', primaryService: 'web-blue', canaryService: 'web-green' })
    expect(r).toEqual(
      E.right({
        apiVersion: 'split.smi-spec.io/v1alpha4',
        kind: 'TrafficSplit',
        metadata: { name: 'split', namespace: 'ns' },
        spec: { service: 'web', backends: [{ service: 'web-blue', weight: 75 }, { service: 'web-green', weight: 25 }] },
      }),
    )
  })

  it('renders a rollback as weight 0', () => {
    const r = renderTrafficSplit({ type: 'rollback', revision: 'v2' }, names)
    expect(E.isRight(r) && r.right.spec.backends.map((b) => b.weight)).toEqual([100, 0])
  })

  it('gives a Left for routes and mirroring it cannot express, and for bad input', () => {
    fc.assert(
      fc.property(traffic(), (t) => {
        const expected = [...(t.routes.length > 0 ? ['traffic.routes'] : []), ...(t.mirror !== undefined && t.mirror > 0 ? ['traffic.mirror'] : [])]
        expect(paths(t)).toEqual(expected)
      }),
    )
    expect(paths({ weight: -1, routes: [] })).toEqual(['traffic.weight'])
    expect(paths({ weight: 0, routes: [] }, { name: '', namespace: 'test' })).toContain('names.name')
    expect(paths({ weight: 0, routes: [] }, names, { version: 'v1' as SmiVersion })).toEqual(['options.version'])
  })

  it('never throws', () => {
    fc.assert(fc.property(fc.anything(), fc.anything(), fc.anything(), (s, n, o) => {
      const r = renderTrafficSplit(s as RenderSource, n as RenderNames, o as SmiOptions)
      expect(E.isLeft(r) || E.isRight(r)).toBe(true)
    }))
  })
})
