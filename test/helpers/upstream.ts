/**
 * Test helper: loads the upstream example manifests (Flagger v1.44.0 and Argo Rollouts v1.9.1) from the
 * shared fixtures, one entry per rollout object, with the templates of the same directory. Non-rollout
 * documents (Services, Deployments, Ingresses, VirtualServices...) are skipped.
 *
 * @module
 */
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseAllDocuments } from 'yaml'

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..')

/**
 * The shared fixtures directory: `../shared` beside the repository, else `/work/shared`.
 *
 * @example
 * ```ts
 * fs.readdirSync(path.join(sharedDirectory(), 'upstream-examples'))
 * ```
 */
export const sharedDirectory = (): string => {
  const beside = path.resolve(repoRoot, '..', 'shared')
  return fs.existsSync(path.join(beside, 'upstream-examples')) ? beside : '/work/shared'
}

type Doc = Record<string, unknown>

/**
 * Every YAML document of a file, as plain objects (empty documents dropped).
 *
 * @example
 * ```ts
 * loadDocuments('/work/shared/upstream-examples/flagger-v1.44.0/istio-canary.yaml').length // 1
 * ```
 */
export const loadDocuments = (file: string): Doc[] =>
  parseAllDocuments(fs.readFileSync(file, 'utf8'))
    .map((d) => d.toJS({ maxAliasCount: 100 }) as unknown)
    .filter((d): d is Doc => typeof d === 'object' && d !== null && !Array.isArray(d))

/**
 * One rollout object of the fixtures with its file and the templates of its directory.
 *
 * @example
 * ```ts
 * const f: Fixture = { file: 'istio-canary.yaml', object: {}, templates: [] }
 * ```
 */
export interface Fixture {
  readonly file: string
  readonly object: Doc
  readonly templates: readonly Doc[]
}

const directory = (tool: 'flagger' | 'argo'): string =>
  path.join(sharedDirectory(), 'upstream-examples', tool === 'flagger' ? 'flagger-v1.44.0' : 'argo-rollouts-v1.9.1')

/**
 * The fixture files of one tool (sorted), each with its documents.
 *
 * @example
 * ```ts
 * upstreamFiles('argo').map((f) => f.file)
 * ```
 */
export const upstreamFiles = (tool: 'flagger' | 'argo'): { readonly file: string; readonly docs: readonly Doc[] }[] => {
  const dir = directory(tool)
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.yaml') || f.endsWith('.yml'))
    .sort()
    .map((file) => ({ file, docs: loadDocuments(path.join(dir, file)) }))
}

/**
 * Every rollout object of a tool's fixtures: Flagger `Canary` (templates: the directory's MetricTemplates) or
 * Argo `Rollout` (templates: the directory's AnalysisTemplates and ClusterAnalysisTemplates).
 *
 * @example
 * ```ts
 * upstreamFixtures('flagger').map((f) => f.file) // ['istio-abtest.yaml', 'istio-canary.yaml', ...]
 * ```
 */
export const upstreamFixtures = (tool: 'flagger' | 'argo'): Fixture[] => {
  const files = upstreamFiles(tool)
  const kind = tool === 'flagger' ? 'Canary' : 'Rollout'
  const templateKinds = tool === 'flagger' ? ['MetricTemplate'] : ['AnalysisTemplate', 'ClusterAnalysisTemplate']
  const templates = files.flatMap((f) => f.docs.filter((d) => templateKinds.includes(String(d.kind))))
  return files.flatMap((f) => f.docs.filter((d) => d.kind === kind).map((object) => ({ file: f.file, object, templates })))
}
