/**
 * Reading a spec file: YAML or JSON (one or more documents), native specs and upstream manifests alike.
 * A Flagger `Canary` (flagger.app) or an Argo `Rollout` (argoproj.io) is imported with the templates
 * (MetricTemplate, AnalysisTemplate, ClusterAnalysisTemplate) found in the same file.
 *
 * @module
 */
import * as E from 'fp-ts/lib/Either.js'
import { LineCounter, parseAllDocuments } from 'yaml'
import { checkDocuments, checkText } from './limits.js'
import { decodeSpec } from '../config/decodeSpec.js'
import type { SpecError } from '../model/errors.js'
import type { RolloutSpec } from '../config/spec.js'
import type { CliIo } from './io.js'
import { describeFsError } from './errors.js'
import { importUpstream, type UpstreamKind } from './upstream.js'

/**
 * Which kind of document the spec came from.
 *
 * @example
 * ```ts
 * const s: SpecSource = 'native'
 * ```
 * @category model
 */
export type SpecSource = 'native' | UpstreamKind

/**
 * A spec loaded from a file.
 *
 * @example
 * ```ts
 * declare const l: LoadedSpec
 * console.log(`${l.file}: ${l.source} spec with ${l.spec.analysis.metrics.length} metrics`)
 * ```
 * @category model
 */
export interface LoadedSpec {
  readonly file: string
  readonly source: SpecSource
  readonly spec: RolloutSpec
  /** `metadata.name` of the document, when it has one. */
  readonly name: string | undefined
  /** Importer warnings (fields carried but not modelled...). */
  readonly warnings: readonly string[]
  /** Unknown fields and never-failing metrics of an upstream manifest (errors for `validate` unless `--lenient`). */
  readonly findings: readonly string[]
}

type Doc = Readonly<Record<string, unknown>>

const isDoc = (u: unknown): u is Doc => typeof u === 'object' && u !== null && !Array.isArray(u)

const str = (u: unknown): string => (typeof u === 'string' ? u : '')

const TEMPLATE_KINDS: Record<UpstreamKind, readonly string[]> = {
  flagger: ['MetricTemplate'],
  argo: ['AnalysisTemplate', 'ClusterAnalysisTemplate'],
}

/**
 * The kind of one parsed document: a Flagger Canary, an Argo Rollout, an upstream template, or native.
 *
 * @example
 * ```ts
 * documentKind({ apiVersion: 'flagger.app/v1beta1', kind: 'Canary' }) // 'flagger'
 * documentKind({ strategy: { canary: { stepWeight: 10 } } })          // 'native'
 * ```
 * @category parsers
 */
export const documentKind = (doc: unknown): SpecSource | 'template' | 'other' => {
  if (!isDoc(doc)) return 'other'
  const api = str(doc.apiVersion)
  const kind = str(doc.kind)
  if (api.startsWith('flagger.app/')) return kind === 'Canary' ? 'flagger' : TEMPLATE_KINDS.flagger.includes(kind) ? 'template' : 'other'
  if (api.startsWith('argoproj.io/')) return kind === 'Rollout' ? 'argo' : TEMPLATE_KINDS.argo.includes(kind) ? 'template' : 'other'
  if (api === '' || api.startsWith('rollout-kernel/')) return 'native'
  return 'other'
}

/**
 * Parses YAML (or JSON, which is YAML) text into its documents. Syntax errors come back with their line.
 *
 * @example
 * ```ts
 * parseDocuments('a.yaml', 'a: 1\n---\nb: 2\n') // right([{ a: 1 }, { b: 2 }])
 * ```
 * @category parsers
 */
export const parseDocuments = (file: string, text: string): E.Either<string[], unknown[]> => {
  const tooLong = checkText(file, text)
  if (tooLong !== null) return E.left([tooLong])
  // the parser's duplicate-key check is quadratic: checkDocuments does it in one pass (src/cli/limits.ts)
  const lineCounter = new LineCounter()
  const docs = parseAllDocuments(text, { prettyErrors: true, logLevel: 'error', uniqueKeys: false, lineCounter })
  const list = Array.isArray(docs) ? docs : [docs]
  const limits = checkDocuments(file, list, lineCounter)
  if (limits.length > 0) return E.left(limits)
  const errors: string[] = []
  const values: unknown[] = []
  for (const d of list) {
    for (const err of d.errors) {
      const line = err.linePos?.[0]
      const first = (err.message.split('\n')[0] ?? err.message).replace(/ at line \d+, column \d+:?$/, '')
      errors.push(`${file}:${line !== undefined ? `${line.line}:${line.col}:` : ''} ${first}`)
    }
    if (d.errors.length === 0) {
      const v: unknown = d.toJS({ maxAliasCount: 100 })
      if (v !== null && v !== undefined) values.push(v)
    }
  }
  return errors.length > 0 ? E.left(errors) : E.right(values)
}

/**
 * Formats decode errors as `file: path: message` lines.
 *
 * @example
 * ```ts
 * formatSpecErrors('a.yaml', [{ path: 'analysis.interval', message: 'expected a duration' }])
 * // ['a.yaml: analysis.interval: expected a duration']
 * ```
 * @category formatters
 */
export const formatSpecErrors = (file: string, errors: readonly SpecError[]): string[] =>
  errors.map((e) => (e.path === '' ? `${file}: ${e.message}` : `${file}: ${e.path}: ${e.message}`))

const metadataName = (doc: unknown): string | undefined => {
  if (!isDoc(doc) || !isDoc(doc.metadata)) return undefined
  return typeof doc.metadata.name === 'string' ? doc.metadata.name : undefined
}

/**
 * Picks the rollout document of a file and turns it into a spec: the native decoder, or the upstream
 * importer with the file's templates. Every problem comes back as a `file: path: message` line.
 *
 * @example
 * ```ts
 * specFromDocuments('a.yaml', [{ strategy: { canary: { stepWeight: 10, maxWeight: 50 } } }])
 * ```
 * @category parsers
 */
export const specFromDocuments = (file: string, docs: readonly unknown[], extraTemplates: readonly unknown[] = []): E.Either<string[], LoadedSpec> => {
  if (docs.length === 0) return E.left([`${file}: the file holds no document`])
  const rollouts = docs.map((d, i) => ({ d, i, kind: documentKind(d) })).filter((x) => x.kind === 'native' || x.kind === 'flagger' || x.kind === 'argo')
  if (rollouts.length === 0) {
    if (docs.every((d) => documentKind(d) === 'template')) {
      return E.left([`${file}: holds only templates (${docs.length}); pass it with --templates ${file}, or list it next to the rollout files for validate`])
    }
    const kinds = docs.map((d) => (isDoc(d) ? `${str(d.apiVersion) || '?'} ${str(d.kind) || '?'}` : typeof d)).join(', ')
    return E.left([`${file}: no rollout document found (expected a native spec, a flagger.app Canary or an argoproj.io Rollout; found ${kinds})`])
  }
  if (rollouts.length > 1) {
    return E.left([`${file}: ${rollouts.length} rollout documents (documents ${rollouts.map((r) => r.i + 1).join(', ')}); expected exactly one per file`])
  }
  const only = rollouts[0]
  if (only === undefined) return E.left([`${file}: no rollout document found`])
  const { d: doc, kind } = only
  const where = docs.length > 1 ? `${file}[document ${only.i + 1}]` : file
  if (kind === 'native') {
    const r = decodeSpec(doc)
    return E.isLeft(r)
      ? E.left(formatSpecErrors(where, r.left))
      : E.right({ file, source: 'native', spec: r.right, name: metadataName(doc), warnings: [], findings: [] })
  }
  const upstream = kind as UpstreamKind
  const templates = [...docs, ...extraTemplates].filter((d) => documentKind(d) === 'template' && TEMPLATE_KINDS[upstream].includes(str((d as Doc).kind)))
  const r = importUpstream(upstream, doc, templates)
  if (r === undefined) {
    return E.left([`${file}: ${upstream === 'flagger' ? 'Flagger Canary' : 'Argo Rollout'} manifests are not supported yet by this build (no importer in rollout-kernel/compat)`])
  }
  return E.isLeft(r)
    ? E.left(formatSpecErrors(where, r.left))
    : E.right({ file, source: upstream, spec: r.right.spec, name: metadataName(doc), warnings: r.right.warnings, findings: r.right.findings })
}

/**
 * Reads, parses and decodes a spec file. `templateFiles` are read for upstream templates
 * (MetricTemplate, AnalysisTemplate, ClusterAnalysisTemplate) kept in files of their own.
 *
 * @example
 * ```ts
 * import { processIo } from './io.js'
 * const r = loadSpec('examples/canary.yaml', processIo())
 * ```
 * @category parsers
 */
export const loadSpec = (file: string, io: CliIo, templateFiles: readonly string[] = []): E.Either<string[], LoadedSpec> => {
  const read = (path: string): E.Either<string[], unknown[]> => {
    try {
      return parseDocuments(path, io.readFile(path))
    } catch (e) {
      return E.left([describeFsError(path, e)])
    }
  }
  const docs = read(file)
  if (E.isLeft(docs)) return docs
  const extra: unknown[] = []
  for (const t of templateFiles) {
    const r = read(t)
    if (E.isLeft(r)) return r
    const templates = r.right.filter((d) => documentKind(d) === 'template')
    if (templates.length === 0) return E.left([`${t}: no MetricTemplate, AnalysisTemplate or ClusterAnalysisTemplate in this file`])
    extra.push(...templates)
  }
  return specFromDocuments(file, docs.right, extra)
}

/**
 * The `--templates FILE` option shared by every command (comma-separated for several files).
 *
 * @example
 * ```ts
 * TEMPLATES_OPTION.name // 'templates'
 * ```
 * @category commands
 */
export const TEMPLATES_OPTION = {
  name: 'templates',
  value: 'FILE[,FILE]',
  description: 'upstream templates kept in other files (Flagger MetricTemplate, Argo AnalysisTemplate); repeatable',
  repeatable: true,
} as const

/**
 * The template files named by `--templates`.
 *
 * @example
 * ```ts
 * templateFiles(new Map([['templates', 'a.yaml,b.yaml']])) // ['a.yaml', 'b.yaml']
 * ```
 * @category commands
 */
export const templateFiles = (values: ReadonlyMap<string, string>): string[] =>
  (values.get('templates') ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '')
