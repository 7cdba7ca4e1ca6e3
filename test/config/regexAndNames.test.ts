/**
 * Issue 15 items 9 and 13: header / cookie regular expressions are RE2 (what meshes accept), matched in
 * linear time; a condition named `__proto__` is an error instead of being dropped.
 */
import { describe, expect, it } from 'vitest'
import * as E from 'fp-ts/lib/Either.js'
import { decodeSpec, initialState, routeRequest, step, valueMatches } from '../../src/index.js'
import { compileRegex } from '../../src/model/regex.js'

const ab = (headers: Record<string, unknown>) => ({ strategy: { abTest: { iterations: 1, match: [{ headers }] } }, analysis: { interval: '1m', metrics: [] } })
const errors = (input: unknown) => {
  const r = decodeSpec(input)
  return E.isLeft(r) ? r.left : []
}

describe('RE2 regular expressions (issue 15 item 9)', () => {
  it('matches a catastrophic pattern in linear time', () => {
    // with a backtracking engine, 26 characters took 0.27 s and every further character doubled it;
    // here 100,000 characters are one linear pass (no timing is asserted: the test would hang instead)
    expect(valueMatches({ regex: '(a+)+' }, 'a'.repeat(100_000) + 'b')).toBe(false)
    expect(valueMatches({ regex: '(x+x+)+y' }, 'x'.repeat(100_000))).toBe(false)
    expect(valueMatches({ regex: '(a+)+' }, 'a'.repeat(100_000))).toBe(true)
  })

  it('keeps full-match semantics', () => {
    expect(valueMatches({ regex: 'insider|beta' }, 'beta')).toBe(true)
    expect(valueMatches({ regex: 'a+' }, 'aab')).toBe(false)
    expect(valueMatches({ regex: '.*-beta' }, 'v2-beta')).toBe(true)
  })

  it('refuses at decode what RE2 (and so a mesh) refuses, with the reason', () => {
    for (const bad of ['(a)\\1', '(?=x)', '(?<!x)y', 'a{2,1001}', '[', 'x'.repeat(1025)]) {
      const e = errors(ab({ 'x-canary': { regex: bad } }))
      expect(e.map((x) => x.path)).toEqual(['strategy.abTest.match[0].headers.x-canary.regex'])
      expect(e[0]?.message).toMatch(/^not a valid regular expression \(RE2 syntax/)
    }
    expect(errors(ab({ 'x-canary': { regex: '(a+)+' } }))).toEqual([])
    const steps = { strategy: { canary: { steps: [{ setHeaderRoute: { name: 'h', match: [{ headerName: 'x', headerValue: { regex: '(?=x)' } }] } }] } }, analysis: { interval: '1m', metrics: [] } }
    expect(errors(steps).map((x) => x.path)).toEqual(['strategy.canary.steps[0].setHeaderRoute.match[0].headerValue.regex'])
  })

  it('compileRegex says why', () => {
    const r = compileRegex('(?=x)')
    expect(E.isLeft(r) && r.left).toContain('(?=')
  })

  it('routes a hostile header without stalling', () => {
    const spec = decodeSpec(ab({ 'x-canary': { regex: '(a+)+' } }))
    if (E.isLeft(spec)) throw new Error(JSON.stringify(spec.left))
    const d = step(spec.right, initialState(spec.right, 0, { stable: 'v1' }), { at: 0, revision: 'v2', ready: { canary: true } })
    expect(routeRequest(d.state.traffic, { headers: { 'X-Canary': 'a'.repeat(50_000) + 'b' } })).toBe('primary')
    expect(routeRequest(d.state.traffic, { headers: { 'X-Canary': 'aaa' } })).toBe('canary')
  })
})

describe('__proto__ as a name (issue 15 item 13)', () => {
  it('is an error for A/B headers, cookies and query parameters', () => {
    for (const kind of ['headers', 'cookies', 'queryParams']) {
      const input = JSON.parse(`{"strategy":{"abTest":{"iterations":1,"match":[{"${kind}":{"__proto__":{"exact":"x"}}}]}},"analysis":{"interval":"1m","metrics":[]}}`)
      const e = errors(input)
      expect(e.map((x) => x.path)).toContain(`strategy.abTest.match[0].${kind}.__proto__`)
      expect(e.find((x) => x.path.endsWith('__proto__'))?.message).toContain('__proto__')
    }
  })

  it('is an error for a header route name', () => {
    const e = errors({ strategy: { canary: { steps: [{ setHeaderRoute: { name: 'h', match: [{ headerName: '__proto__', headerValue: { exact: 'x' } }] } }] } }, analysis: { interval: '1m', metrics: [] } })
    expect(e.map((x) => x.path)).toEqual(['strategy.canary.steps[0].setHeaderRoute.match[0].headerName'])
  })
})
