import { describe, expect, it } from 'vitest'
import { readdirSync } from 'node:fs'
import { runCli } from './harness.js'

const misspelt = `
strategy:
  canary: { stepWieght: 10, maxWeight: 50 }
analysis:
  interval: 1m
  metrics:
    - name: ok
      thresholdRange: { min: 1 }
    - name: sr
      thresholdRange: { min: ninety }
`

describe('validate', () => {
  it('prints one OK line per valid file and exits 0', () => {
    const files = readdirSync('examples').filter((f) => f.endsWith('.yaml')).map((f) => `examples/${f}`)
    expect(files).toContain('examples/canary.yaml')
    const r = runCli(['validate', ...files])
    expect(r.stderr).toBe('')
    expect(r.code).toBe(0)
    for (const f of files) expect(r.stdout).toContain(`${f}: OK (native canary spec:`)
    expect(r.stdout).toContain(`${files.length} files: ${files.length} valid, 0 invalid`)
  })

  it('reports every decode error as file: path: message, with the did-you-mean hint, and exits 1', () => {
    const r = runCli(['validate', 'bad.yaml'], { 'bad.yaml': misspelt })
    expect(r.code).toBe(1)
    expect(r.stdout).toBe('')
    const lines = r.stderr.trim().split('\n')
    expect(lines).toContain('bad.yaml: analysis.metrics[1].thresholdRange.min: expected a finite number, got "ninety"')
    expect(lines.find((l) => l.startsWith('bad.yaml: strategy.canary.stepWieght: '))).toContain('did you mean "stepWeight"?')
  })

  it('goes on after an invalid file and counts valid and invalid files', () => {
    const r = runCli(['validate', 'bad.yaml', 'examples/canary.yaml'], { 'bad.yaml': misspelt })
    expect(r.code).toBe(1)
    expect(r.stdout).toContain('examples/canary.yaml: OK')
    expect(r.stdout).toContain('2 files: 1 valid, 1 invalid')
  })

  it('reports YAML syntax errors with line and column', () => {
    const r = runCli(['validate', 's.yaml'], { 's.yaml': 'strategy:\n  canary: [1\n' })
    expect(r.code).toBe(1)
    expect(r.stderr).toMatch(/^s\.yaml:\d+:\d+: /)
  })

  it('accepts JSON', () => {
    const r = runCli(['validate', 's.json'], { 's.json': JSON.stringify({ strategy: { canary: { stepWeight: 20, maxWeight: 60 } } }) })
    expect(r.code).toBe(0)
    expect(r.stdout).toBe('s.json: OK (native canary spec: 3 weight steps, 0 metrics, 0 gates)\n')
  })

  it('picks the rollout document of a multi-document file and names the document in errors', () => {
    const text = 'apiVersion: v1\nkind: Service\nmetadata: { name: x }\n---\nstrategy: { canary: { stepWeight: 10, maxWieght: 50 } }\n'
    const r = runCli(['validate', 'm.yaml'], { 'm.yaml': text })
    expect(r.code).toBe(1)
    expect(r.stderr).toContain('m.yaml[document 2]: strategy.canary.maxWieght: ')
    const ok = runCli(['validate', 'm.yaml'], { 'm.yaml': text.replace('maxWieght', 'maxWeight') })
    expect(ok.code).toBe(0)
  })

  it('refuses files without a rollout document or with two', () => {
    const none = runCli(['validate', 'n.yaml'], { 'n.yaml': 'apiVersion: v1\nkind: Service\n' })
    expect(none.code).toBe(1)
    expect(none.stderr).toContain('n.yaml: no rollout document found')
    const two = runCli(['validate', 't.yaml'], { 't.yaml': 'strategy: { canary: { stepWeight: 10 } }\n---\nstrategy: { canary: { stepWeight: 20 } }\n' })
    expect(two.stderr).toContain('2 rollout documents')
    expect(runCli(['validate', 'e.yaml'], { 'e.yaml': '# nothing\n' }).stderr).toContain('e.yaml: the file holds no document')
  })

  it('imports a Flagger Canary (detected by apiVersion and kind) with the MetricTemplates in the same file', () => {
    const r = runCli(['validate', 'examples/upstream/flagger-istio-canary.yaml'])
    expect(r.code).toBe(0)
    expect(r.stdout).toContain('OK (Flagger Canary -> canary spec: 10 weight steps, 2 metrics, 2 gates)')
    const canary = `apiVersion: flagger.app/v1beta1
kind: Canary
metadata: { name: app }
spec:
  targetRef: { apiVersion: apps/v1, kind: Deployment, name: app }
  service: { port: 80 }
  analysis:
    interval: 1m
    threshold: 2
    maxWeight: 20
    stepWeight: 10
    metrics:
      - name: error-ratio
        templateRef: { name: error-ratio }
        thresholdRange: { max: 1 }
`
    const template = `---
apiVersion: flagger.app/v1beta1
kind: MetricTemplate
metadata: { name: error-ratio }
spec:
  provider: { type: prometheus, address: http://prometheus:9090 }
  query: sum(rate(errors[{{ interval }}]))
`
    const alone = runCli(['validate', 'c.yaml'], { 'c.yaml': canary })
    expect(alone.code).toBe(1)
    expect(alone.stderr).toContain('c.yaml: spec.analysis.metrics[0]')
    const withTemplate = runCli(['validate', 'c.yaml'], { 'c.yaml': canary + template })
    expect(withTemplate.stderr).toBe('')
    expect(withTemplate.code).toBe(0)
    const separate = runCli(['validate', 'c.yaml', '--templates', 't.yaml'], { 'c.yaml': canary, 't.yaml': template })
    expect(separate.code).toBe(0)
  })

  it('imports an Argo Rollout with the AnalysisTemplates in the same file', () => {
    const r = runCli(['validate', 'examples/upstream/argo-rollout-analysis-step.yaml'])
    expect(r.code).toBe(0)
    expect(r.stdout).toContain('OK (Argo Rollout -> canary spec: 2 steps, 2 metrics, 0 gates)')
  })

  it('reports upstream import errors with the upstream path', () => {
    const r = runCli(['validate', 'a.yaml'], { 'a.yaml': 'apiVersion: argoproj.io/v1alpha1\nkind: Rollout\nmetadata: { name: x }\nspec: { strategy: { canary: { steps: [{ setWeight: lots }] } } }\n' })
    expect(r.code).toBe(1)
    expect(r.stderr).toMatch(/^a\.yaml: spec\.strategy\.canary\.steps\[0\]\.setWeight: /m)
  })
})
