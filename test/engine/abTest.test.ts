import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import * as E from 'fp-ts/lib/Either.js'
import { requestMatches, routeRequest, valueMatches } from '../../src/engine/strategies/abTest.js'
import { decodeSpec, initialState, step, type Traffic } from '../../src/index.js'

describe('valueMatches', () => {
  it('compares exact, prefix, suffix and whole-value regex', () => {
    expect(valueMatches({ exact: 'insider' }, 'insider')).toBe(true)
    expect(valueMatches({ exact: 'insider' }, 'insider2')).toBe(false)
    expect(valueMatches({ prefix: 'beta' }, 'beta-7')).toBe(true)
    expect(valueMatches({ suffix: '.internal' }, 'a.internal')).toBe(true)
    expect(valueMatches({ suffix: '.internal' }, 'a.internal.com')).toBe(false)
    expect(valueMatches({ regex: '.*Firefox.*' }, 'Mozilla/5.0 Firefox/120')).toBe(true)
    expect(valueMatches({ regex: 'a+' }, 'aab')).toBe(false)
    expect(valueMatches({ regex: '([' }, '([')).toBe(false)
    expect(valueMatches({ exact: '' }, undefined)).toBe(false)
  })
  it('exact match is string equality (property)', () => {
    fc.assert(fc.property(fc.string(), fc.string(), (a, b) => valueMatches({ exact: a }, b) === (a === b)))
  })
})

describe('requestMatches', () => {
  it('needs every condition; header names are case-insensitive, cookie names are not', () => {
    const m = { headers: { 'x-canary': { exact: 'insider' } }, cookies: { beta: { exact: '1' } } }
    expect(requestMatches(m, { headers: { 'X-Canary': 'insider' }, cookies: { beta: '1' } })).toBe(true)
    expect(requestMatches(m, { headers: { 'X-Canary': 'insider' } })).toBe(false)
    expect(requestMatches(m, { headers: { 'X-Canary': 'insider' }, cookies: { Beta: '1' } })).toBe(false)
    expect(requestMatches({}, { headers: { a: 'b' } })).toBe(false)
  })
})

describe('routeRequest over the A/B decisions', () => {
  it('sends matched users to the canary during the test and nobody after promotion or rollback', () => {
    const spec = decodeSpec({ strategy: { abTest: { iterations: 1, match: [{ headers: { 'x-canary': { exact: 'insider' } } }, { cookies: { canary: { exact: 'always' } } }] } } })
    if (E.isLeft(spec)) throw new Error(JSON.stringify(spec.left))
    const insider = { headers: { 'x-canary': 'insider' } }
    const cookie = { cookies: { canary: 'always' } }
    const other = { headers: { 'x-canary': 'no' } }
    const d = step(spec.right, initialState(spec.right, 0, { stable: 'v1' }), { at: 0, revision: 'v2', ready: { canary: true } })
    if (d.action.type !== 'setWeight') throw new Error(JSON.stringify(d.action))
    const during: Traffic = { weight: d.action.weight, routes: d.action.routes }
    expect([routeRequest(during, insider), routeRequest(during, cookie), routeRequest(during, other)]).toEqual(['canary', 'canary', 'primary'])
    const aborted = step(spec.right, d.state, { at: 1000, command: 'abort' })
    expect(routeRequest(aborted.state.traffic, insider)).toBe('primary')
  })
  it('weight alone decides without matching routes', () => {
    expect(routeRequest({ weight: 100, routes: [] }, {})).toBe('canary')
    expect(routeRequest({ weight: 30, routes: [] }, {})).toBe('split')
    expect(routeRequest({ weight: 0, routes: [{ name: 'm', kind: 'mirror', match: [], percentage: 100 }] }, {})).toBe('primary')
  })
})
