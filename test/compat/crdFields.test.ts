/**
 * The importers' field lists (used for "unknown field" findings, which `validate` treats as errors) are
 * exactly the upstream CRDs' properties: a field the CRD defines is never reported as unknown, and a field
 * it does not define always is.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { parseAllDocuments } from 'yaml'
import { crdDirectory } from '../helpers/crdSchema.js'
import { ANALYSIS_KEYS, SPEC_KEYS } from '../../src/compat/flagger.js'
import { METRIC_KEYS } from '../../src/compat/flaggerMetrics.js'
import { KEYS as WEBHOOK_KEYS } from '../../src/compat/flaggerWebhooks.js'
import { KEYS as ARGO_METRIC_KEYS } from '../../src/compat/argoMetrics.js'
import { STEP_TYPES } from '../../src/compat/argoSteps.js'

interface Schema {
  readonly properties?: Record<string, Schema>
  readonly items?: Schema
}

const properties = (file: string, kind: string, version: string, path: readonly string[]): string[] => {
  for (const d of parseAllDocuments(readFileSync(join(crdDirectory(), file), 'utf8'))) {
    const crd = d.toJS() as { spec?: { names?: { kind?: string }; versions?: { name: string; schema: { openAPIV3Schema: Schema } }[] } } | null
    if (crd?.spec?.names?.kind !== kind) continue
    let s: Schema | undefined = crd.spec.versions?.find((v) => v.name === version)?.schema.openAPIV3Schema
    for (const p of path) s = p === '[]' ? s?.items : s?.properties?.[p]
    return Object.keys(s?.properties ?? {}).sort()
  }
  throw new Error(`no ${kind} in ${file}`)
}

const FLAGGER = 'flagger-v1.44.0-crd.yaml'
const ARGO_AT = 'argo-rollouts-v1.9.1-analysis-template-crd.yaml'
const ARGO_RO = 'argo-rollouts-v1.9.1-rollout-crd.yaml'

describe('importer field lists = CRD properties', () => {
  it.each([
    ['Flagger CanarySpec', SPEC_KEYS, FLAGGER, 'Canary', 'v1beta1', ['spec']],
    ['Flagger CanaryAnalysis', ANALYSIS_KEYS, FLAGGER, 'Canary', 'v1beta1', ['spec', 'analysis']],
    ['Flagger CanaryMetric', METRIC_KEYS, FLAGGER, 'Canary', 'v1beta1', ['spec', 'analysis', 'metrics', '[]']],
    ['Flagger CanaryThresholdRange', ['min', 'max'], FLAGGER, 'Canary', 'v1beta1', ['spec', 'analysis', 'metrics', '[]', 'thresholdRange']],
    ['Flagger CanaryWebhook', WEBHOOK_KEYS, FLAGGER, 'Canary', 'v1beta1', ['spec', 'analysis', 'webhooks', '[]']],
    ['Argo Metric', ARGO_METRIC_KEYS, ARGO_AT, 'AnalysisTemplate', 'v1alpha1', ['spec', 'metrics', '[]']],
    ['Argo CanaryStep', STEP_TYPES, ARGO_RO, 'Rollout', 'v1alpha1', ['spec', 'strategy', 'canary', 'steps', '[]']],
  ] as const)('%s', (_what, keys, file, kind, version, path) => {
    expect([...keys].sort()).toEqual(properties(file, kind, version, path))
  })
})
