/**
 * Test helper: loads an upstream CustomResourceDefinition from the shared fixtures and compiles the
 * schema of one served version into an ajv validator. Kubernetes extensions
 * (x-kubernetes-int-or-string, x-kubernetes-preserve-unknown-fields, x-kubernetes-validations, ...)
 * are unknown keywords to ajv and are ignored (`strict: false`); formats such as int32 are not checked.
 * CEL rules (x-kubernetes-validations) are therefore NOT enforced: tests check the ones that matter.
 *
 * @module
 */
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { Ajv, type ValidateFunction } from 'ajv'
import { parseAllDocuments } from 'yaml'

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..')

/**
 * The directory holding the CRD YAML files: `../shared/crds` beside the repository, else `/work/shared/crds`.
 *
 * @example
 * ```ts
 * fs.readdirSync(crdDirectory())
 * ```
 */
export const crdDirectory = (): string => {
  const beside = path.resolve(repoRoot, '..', 'shared', 'crds')
  return fs.existsSync(beside) ? beside : '/work/shared/crds'
}

/**
 * A compiled schema with the group, version and kind it belongs to.
 *
 * @example
 * ```ts
 * const v = crdValidator('TrafficSplit', 'v1alpha4')
 * v.apiVersion // 'split.smi-spec.io/v1alpha4'
 * ```
 */
export interface CrdValidator {
  readonly apiVersion: string
  readonly kind: string
  readonly validate: ValidateFunction
}

interface CrdDoc {
  kind?: string
  spec?: {
    group?: string
    names?: { kind?: string }
    versions?: Array<{ name?: string; schema?: { openAPIV3Schema?: unknown } }>
  }
}

/**
 * Finds the CRD of `kind` among the fixture files and compiles the schema of `version`.
 * Throws (in tests only) when the kind or version is not there.
 *
 * @example
 * ```ts
 * const { validate } = crdValidator('VirtualService', 'v1')
 * validate({ apiVersion: 'networking.istio.io/v1', kind: 'VirtualService', metadata: {}, spec: {} })
 * ```
 */
export const crdValidator = (kind: string, version: string): CrdValidator => {
  const dir = crdDirectory()
  for (const file of fs.readdirSync(dir).filter((f) => f.endsWith('.yaml') || f.endsWith('.yml')).sort()) {
    const text = fs.readFileSync(path.join(dir, file), 'utf8')
    if (!new RegExp(`kind:\\s*${kind}\\b`).test(text)) continue
    for (const doc of parseAllDocuments(text)) {
      const crd = doc.toJS() as CrdDoc | null
      if (crd?.kind !== 'CustomResourceDefinition' || crd.spec?.names?.kind !== kind) continue
      const v = crd.spec.versions?.find((x) => x.name === version)
      const schema = v?.schema?.openAPIV3Schema
      if (schema === undefined) throw new Error(`${file}: ${kind} has no schema for version ${version}`)
      const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false })
      return { apiVersion: `${crd.spec.group ?? ''}/${version}`, kind, validate: ajv.compile(schema as object) }
    }
  }
  throw new Error(`no CRD for kind ${kind} in ${dir}`)
}

/**
 * Validates an object against the CRD schema and its apiVersion / kind; returns readable errors (empty when valid).
 *
 * @example
 * ```ts
 * expect(schemaErrors(crdValidator('TrafficSplit', 'v1alpha4'), obj)).toEqual([])
 * ```
 */
export const schemaErrors = (v: CrdValidator, obj: unknown): string[] => {
  const errors: string[] = []
  const o = obj as { apiVersion?: unknown; kind?: unknown }
  if (o.apiVersion !== v.apiVersion) errors.push(`apiVersion ${String(o.apiVersion)} != ${v.apiVersion}`)
  if (o.kind !== v.kind) errors.push(`kind ${String(o.kind)} != ${v.kind}`)
  if (!v.validate(obj)) errors.push(...(v.validate.errors ?? []).map((e) => `${e.instancePath} ${e.message ?? ''} ${JSON.stringify(e.params)}`))
  return errors
}
