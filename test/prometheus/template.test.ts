import { describe, expect, it } from 'vitest'
import * as E from 'fp-ts/lib/Either.js'
import fc from 'fast-check'
import { promDuration, renderTemplate, templateVariableNames } from '../../src/prometheus/index.js'

const all = {
  name: 'podinfo',
  namespace: 'test',
  target: 'podinfo-deploy',
  service: 'podinfo-svc',
  ingress: 'podinfo-ing',
  route: 'podinfo-route',
  interval: '1m',
  arm: 'canary',
  variables: { direction: 'inbound', x_1: 'y' },
}

describe('renderTemplate', () => {
  it('substitutes every Flagger variable, with or without whitespace inside the braces', () => {
    const t =
      '{{ name }}|{{namespace}}|{{  target  }}|{{service}}|{{ ingress}}|{{route }}|{{ interval }}|{{ arm }}|{{ variables.direction }}|{{variables.x_1}}'
    expect(renderTemplate(t, all)).toEqual(
      E.right('podinfo|test|podinfo-deploy|podinfo-svc|podinfo-ing|podinfo-route|1m|canary|inbound|y'),
    )
  })

  it('renders a realistic Flagger query', () => {
    const t = 'sum(rate(istio_requests_total{destination_workload_namespace="{{ namespace }}",destination_workload=~"{{ target }}",response_code!~"5.*"}[{{ interval }}]))'
    expect(renderTemplate(t, all)).toEqual(
      E.right('sum(rate(istio_requests_total{destination_workload_namespace="test",destination_workload=~"podinfo-deploy",response_code!~"5.*"}[1m]))'),
    )
  })

  it('leaves text without templates (and single braces) untouched', () => {
    const q = 'sum(rate(x{a="b"}[1m])) by (le) }'
    expect(renderTemplate(q, {})).toEqual(E.right(q))
  })

  it('fails naming a missing top-level variable', () => {
    const r = renderTemplate('x{ing="{{ ingress }}"}', { target: 'a' })
    expect(E.isLeft(r)).toBe(true)
    if (E.isLeft(r)) {
      expect(r.left.variable).toBe('ingress')
      expect(r.left.message).toContain("'ingress'")
      expect(r.left.offset).toBe(7)
    }
  })

  it('fails naming a missing variables.KEY', () => {
    const r = renderTemplate('{{ variables.nope }}', { variables: { other: '1' } })
    expect(r).toEqual(E.left({ message: "template variable 'variables.nope' is not set", variable: 'variables.nope', offset: 0 }))
  })

  it('does not resolve inherited object properties as variables', () => {
    expect(E.isLeft(renderTemplate('{{ variables.toString }}', { variables: {} }))).toBe(true)
  })

  it('rejects unknown variables and every other template feature', () => {
    for (const t of ['{{ foo }}', '{{ .name }}', '{{- name }}', '{{ if x }}', '{{ name | printf }}', '{{ variables.a.b }}', '{{}}']) {
      const r = renderTemplate(t, all)
      expect(E.isLeft(r), t).toBe(true)
    }
    const unknown = renderTemplate('{{ foo }}', all)
    if (E.isLeft(unknown)) expect(unknown.left.message).toContain("unknown template variable 'foo'")
  })

  it('rejects an unclosed {{', () => {
    const r = renderTemplate('sum(x) {{ name ', all)
    expect(E.isLeft(r) && r.left.message).toContain('unclosed')
  })

  it('property: a template made of literal text and known variables renders to their concatenation', () => {
    const piece = fc.oneof(
      fc.string().filter((s) => !s.includes('{') && !s.includes('}')).map((s) => ({ t: s, v: s })),
      fc.constantFrom(...templateVariableNames).map((n) => ({ t: `{{ ${n} }}`, v: all[n] })),
    )
    fc.assert(
      fc.property(fc.array(piece), (pieces) => {
        expect(renderTemplate(pieces.map((p) => p.t).join(''), all)).toEqual(E.right(pieces.map((p) => p.v).join('')))
      }),
    )
  })
})

describe('promDuration', () => {
  it('uses minutes, seconds or milliseconds', () => {
    expect(promDuration(60_000)).toBe('1m')
    expect(promDuration(300_000)).toBe('5m')
    expect(promDuration(90_000)).toBe('90s')
    expect(promDuration(3_000)).toBe('3s')
    expect(promDuration(1_500)).toBe('1500ms')
    expect(promDuration(0)).toBe('1ms')
  })
})
