/**
 * Manifests in the forms upstream docs and examples use (test/compat/fixtures/forms): each is valid for
 * the upstream CRD; the valid ones import, validate, and simulate to a promotion in a healthy world and a
 * rollback in a failing one; the typos are errors for `validate` (warnings with --lenient and in the
 * importers), naming the path and the closest field.
 */
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import * as E from 'fp-ts/lib/Either.js'
import { parseAllDocuments } from 'yaml'
import { importArgoRollout, importFlagger } from '../../src/compat/index.js'
import type { ImportResult } from '../../src/compat/types.js'
import type { SpecError } from '../../src/model/errors.js'
import { metricScale } from '../../src/cli/scenario.js'
import { VERSION } from '../../src/cli/version.js'
import { runCli } from '../cli/harness.js'
import { crdValidator, schemaErrors } from '../helpers/crdSchema.js'
import { simulate } from './simulate.js'

const DIR = join(__dirname, 'fixtures', 'forms')
const files = readdirSync(DIR).filter((f) => f.endsWith('.yaml')).sort()
const docsOf = (f: string): Record<string, unknown>[] => parseAllDocuments(readFileSync(join(DIR, f), 'utf8')).map((d) => d.toJS() as Record<string, unknown>)
const path = (f: string): string => join(DIR, f)

const VALIDATORS: Record<string, ReturnType<typeof crdValidator>> = {
  Canary: crdValidator('Canary', 'v1beta1'),
  MetricTemplate: crdValidator('MetricTemplate', 'v1beta1'),
  Rollout: crdValidator('Rollout', 'v1alpha1'),
  AnalysisTemplate: crdValidator('AnalysisTemplate', 'v1alpha1'),
}

const VALID = [
  'argo-fieldref-missing-label.yaml',
  'argo-json-condition.yaml',
  'argo-nested-templates.yaml',
  'argo-predicate-condition.yaml',
  'argo-secret-args.yaml',
  'argo-string-condition.yaml',
  'flagger-abtest.yaml',
  'flagger-bluegreen.yaml',
  'flagger-latency-seconds.yaml',
]

const imported = (f: string): E.Either<SpecError[], ImportResult<unknown>> => {
  const docs = docsOf(f)
  const rollout = docs.find((d) => d.kind === 'Rollout' || d.kind === 'Canary')
  const templates = docs.filter((d) => d !== rollout)
  return rollout?.kind === 'Canary' ? importFlagger(rollout, templates) : importArgoRollout(rollout, templates)
}

// the Flagger CRD itself refuses a Canary without iterations / stepWeight / stepWeights (oneOf)
const CRD_INVALID = new Set(['flagger-typo-stepWieght.yaml'])

describe('fixtures are valid for the upstream CRDs (typos included: the API server prunes unknown fields)', () => {
  it.each(files)('%s', (f) => {
    const errors = docsOf(f).flatMap((d) => {
      const v = VALIDATORS[String(d.kind)]
      return v !== undefined ? schemaErrors(v, d) : []
    })
    if (CRD_INVALID.has(f)) expect(errors.length).toBeGreaterThan(0)
    else expect(errors).toEqual([])
  })
})

describe('valid forms: import, validate, simulate healthy and failing', () => {
  it.each(VALID)('%s', (f) => {
    const r = imported(f)
    if (E.isLeft(r)) throw new Error(JSON.stringify(r.left))
    expect(r.right.warnings.filter((w) => w.finding !== undefined)).toEqual([])
    expect(runCli(['validate', path(f)]).code).toBe(0)
    expect(runCli(['simulate', path(f), '--scenario', 'healthy', '--expect', 'promoted']).code).toBe(0)
    expect(simulate(r.right.spec, 'healthy').outcome).toBe('succeeded')
    expect(simulate(r.right.spec, 'failing').outcome).toBe('failed')
  })

  it('the CLI world rolls back the Flagger forms in the regression scenario (--expect rolledBack)', () => {
    for (const f of ['flagger-abtest.yaml', 'flagger-bluegreen.yaml', 'flagger-latency-seconds.yaml']) {
      expect(runCli(['simulate', path(f), '--scenario', 'regression', '--expect', 'rolledBack']).code, f).toBe(0)
      const wrong = runCli(['simulate', path(f), '--scenario', 'regression', '--expect', 'promoted'])
      expect(wrong.code).toBe(1)
      expect(wrong.stderr).toMatch(/expected promoted, but the rollout was rolled back/)
    }
  })
})

describe('typos and never-failing metrics', () => {
  it.each([
    ['flagger-typo-thresholdRnage.yaml', ['spec.analysis.metrics[0].thresholdRnage: unknown field "thresholdRnage" (did you mean "thresholdRange"?)', 'can never fail'], true],
    ['flagger-typo-mxa.yaml', ['spec.analysis.metrics[0].thresholdRange.mxa: unknown field "mxa" (did you mean "max"?)', 'thresholdRange has neither min nor max'], true],
    ['flagger-empty-range.yaml', ['spec.analysis.metrics[0].thresholdRange: thresholdRange has neither min nor max (Flagger checks nothing): this metric can never fail'], true],
    ['argo-typo-successConditon.yaml', ['AnalysisTemplate/typo.spec.metrics[0].successConditon: unknown field "successConditon" (did you mean "successCondition"?)', 'no successCondition nor failureCondition'], true],
    ['flagger-typo-stepWieght.yaml', ['got none: found "stepWieght" (did you mean "stepWeight"?)'], false],
    ['argo-typo-setWieght.yaml', ['spec.strategy.canary.steps[0]: a step needs one of', 'got "setWieght" (did you mean "setWeight"?)'], false],
    ['argo-typo-templateName.yaml', ['AnalysisTemplate "sucess-rate" not found', '(did you mean "success-rate"?); pass the file that defines it with --templates'], false],
  ] as const)('%s', (f, messages, lenientPasses) => {
    const strict = runCli(['validate', path(f)])
    expect(strict.code).toBe(1)
    for (const m of messages) expect(strict.stderr).toContain(m)
    const lenient = runCli(['validate', path(f), '--lenient'])
    expect(lenient.code).toBe(lenientPasses ? 0 : 1)
    if (lenientPasses) {
      expect(lenient.stderr).toContain('warning:')
      // the importer returns the same findings as warnings, with the suggestion
      const r = imported(f)
      expect(E.isRight(r) && r.right.warnings.some((w) => w.finding !== undefined && messages.some((m) => `${w.path}: ${w.message}`.includes(m.split(': ').slice(1).join(': ') || m)))).toBe(true)
    }
  })
})

describe('secret arguments', () => {
  const SECRET = 'sup3r-s3cret-t0ken-4242'
  it('become references the adapter resolves; the value never appears anywhere', () => {
    const r = imported('argo-secret-args.yaml')
    if (E.isLeft(r)) throw new Error(JSON.stringify(r.left))
    const m = r.right.spec.analysis.metrics[0]
    expect(m?.provider?.['secretRefs']).toEqual([{ placeholder: '{{secretKeyRef.metrics-api/token}}', secret: 'metrics-api', key: 'token' }])
    expect(JSON.stringify(m?.provider)).toContain('Bearer {{secretKeyRef.metrics-api/token}}')
    const everything = [
      JSON.stringify(r.right),
      JSON.stringify(simulate(r.right.spec, 'healthy')),
      JSON.stringify(simulate(r.right.spec, 'failing')),
      ...[['validate'], ['plan'], ['simulate'], ['simulate', '--json'], ['simulate', '--scenario', 'regression']].map((a) => {
        const out = runCli([a[0] ?? '', path('argo-secret-args.yaml'), ...a.slice(1)])
        return out.stdout + out.stderr
      }),
    ]
    for (const text of everything) expect(text).not.toContain(SECRET)
  })
  it('a secret argument in a condition is refused (it would appear in reasons)', () => {
    const docs = docsOf('argo-secret-args.yaml')
    const t = docs[1] as { spec: { metrics: { successCondition: string }[] } }
    const bad = { ...t, spec: { ...t.spec, metrics: [{ ...t.spec.metrics[0], successCondition: "result.token == '{{args.api-token}}'" }] } }
    const r = importArgoRollout(docs[0], [bad])
    expect(E.isLeft(r) && r.left.some((e) => /secret argument cannot be used in a condition/.test(e.message))).toBe(true)
  })
})

describe('args, templates and steps', () => {
  it('fieldRef to a label the Rollout lacks resolves to "" (Kubernetes), with a warning', () => {
    const r = imported('argo-fieldref-missing-label.yaml')
    if (E.isLeft(r)) throw new Error(JSON.stringify(r.left))
    expect(r.right.spec.analysis.metrics[0]?.query).toContain('app="demo",team=""')
    expect(r.right.warnings.some((w) => w.path.endsWith('args[1].valueFrom.fieldRef.fieldPath'))).toBe(true)
  })
  it('nested AnalysisTemplates (spec.templates) are followed', () => {
    const r = imported('argo-nested-templates.yaml')
    expect(E.isRight(r) && r.right.spec.analysis.metrics.map((m) => m.name)).toEqual(['error-rate', 'p99'])
  })
  it('a template cycle is an error, not a hang', () => {
    const docs = docsOf('argo-nested-templates.yaml')
    const cyc = { ...docs[2], spec: { templates: [{ templateName: 'combined' }] } }
    const r = importArgoRollout(docs[0], [docs[1], cyc, docs[3]])
    expect(E.isLeft(r) && r.left.some((e) => /template cycle: AnalysisTemplate\/combined -> AnalysisTemplate\/error-rate -> AnalysisTemplate\/combined/.test(e.message))).toBe(true)
  })
  it('--templates is repeatable and template-only files on the command line serve the others', () => {
    const docs = readFileSync(path('argo-nested-templates.yaml'), 'utf8').split(/^---$/m)
    const files = { '/m/rollout.yaml': `${docs[0] ?? ''}---${docs[1] ?? ''}`, '/m/errors.yaml': docs[2] ?? '', '/m/latency.yaml': docs[3] ?? '' }
    expect(runCli(['validate', '/m/rollout.yaml', '--templates', '/m/errors.yaml', '--templates', '/m/latency.yaml'], files).code).toBe(0)
    const together = runCli(['validate', '/m/rollout.yaml', '/m/errors.yaml', '/m/latency.yaml'], files)
    expect(together.code).toBe(0)
    expect(together.stdout).toContain('/m/errors.yaml: OK (1 template, used for the other files)')
    const missing = runCli(['validate', '/m/rollout.yaml', '/m/errors.yaml'], files)
    expect(missing.code).toBe(1)
    expect(missing.stderr).toMatch(/AnalysisTemplate "latency" not found .*--templates/)
  })
  it('setCanaryScale with setHeaderRoute in one step is valid in Argo: no warning; setWeight with pause is', () => {
    const docs = docsOf('argo-string-condition.yaml')
    const rollout = (steps: unknown[]) => ({ ...docs[0], spec: { ...(docs[0]?.spec as object), strategy: { canary: { trafficRouting: { managedRoutes: [{ name: 'h' }], istio: { virtualService: { name: 'vs', routes: ['primary'] } } }, canaryService: 'c', stableService: 's', steps } } } })
    const ok = importArgoRollout(rollout([{ setCanaryScale: { weight: 20 }, setHeaderRoute: { name: 'h', match: [{ headerName: 'x', headerValue: { exact: 'y' } }] } }, { setWeight: 100 }]), [])
    expect(E.isRight(ok) && ok.right.warnings.filter((w) => w.path === 'spec.strategy.canary.steps[0]')).toEqual([])
    const bad = importArgoRollout(rollout([{ setWeight: 20, pause: { duration: 10 } }]), [])
    expect(E.isRight(bad) && bad.right.warnings.some((w) => w.path === 'spec.strategy.canary.steps[0]' && /InvalidSpec/.test(w.message))).toBe(true)
  })
  it('a Flagger template metric with neither thresholdRange nor threshold fails when value > 0 (as Flagger)', () => {
    const docs = docsOf('flagger-latency-seconds.yaml')
    const canary = docs[0] as { spec: { analysis: { metrics: Record<string, unknown>[] } } }
    const { thresholdRange: _drop, ...metric } = canary.spec.analysis.metrics[0] ?? {}
    const c = { ...canary, spec: { ...canary.spec, analysis: { ...canary.spec.analysis, metrics: [metric] } } }
    const r = importFlagger(c, [docs[1]])
    expect(E.isRight(r) && r.right.spec.analysis.metrics[0]?.judge).toEqual({ kind: 'threshold', max: 0 })
    expect(E.isRight(r) && r.right.warnings.some((w) => /threshold, which defaults to 0/.test(w.message))).toBe(true)
  })
})

describe('simulate: units and the CLI', () => {
  it('units follow the metric', () => {
    expect(metricScale('latency', { kind: 'threshold', max: 0.5 }, undefined)).toBe(0.001)
    expect(metricScale('latency', { kind: 'threshold', max: 500 }, 'rate(x_seconds_bucket[1m])')).toBe(0.001)
    expect(metricScale('latency', { kind: 'threshold', max: 500 }, 'rate(x_ms_bucket[1m])')).toBe(1)
    expect(metricScale('errors', { kind: 'threshold', max: 0.01 }, 'sum(a) / sum(b)')).toBe(0.01)
    expect(metricScale('errors', { kind: 'threshold', max: 1 }, '100 * sum(a) / sum(b)')).toBe(1)
    expect(metricScale('errors', { kind: 'condition', dialect: 'argo', successCondition: 'result[0] <= 0.01' }, undefined)).toBe(0.01)
  })
  it('--version prints the package version', () => {
    const pkg = JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8')) as { version: string }
    expect(VERSION).toBe(pkg.version)
    expect(runCli(['--version'])).toMatchObject({ code: 0, stdout: `rollout-kernel ${pkg.version}\n` })
  })
  it('--expect takes promoted or rolledBack only', () => {
    expect(runCli(['simulate', path('flagger-abtest.yaml'), '--expect', 'success']).code).toBe(2)
  })
})
