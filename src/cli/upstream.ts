/**
 * Bridge from the CLI to the `compat` importers (Flagger `Canary`, Argo `Rollout`). The Argo importer is
 * looked up by name so the CLI reports "not supported yet" until it exists.
 *
 * @module
 */
import * as E from 'fp-ts/lib/Either.js'
import * as compat from '../compat/index.js'
import type { SpecError } from '../model/errors.js'
import type { RolloutSpec } from '../config/spec.js'

/**
 * The upstream manifest kinds the CLI recognises.
 *
 * @example
 * ```ts
 * const k: UpstreamKind = 'flagger'
 * ```
 * @category model
 */
export type UpstreamKind = 'flagger' | 'argo'

/**
 * A successful import: the spec and the importer's warnings (`path: message`).
 *
 * @example
 * ```ts
 * declare const r: UpstreamImport
 * r.warnings.forEach((w) => console.log(w))
 * ```
 * @category model
 */
export interface UpstreamImport {
  readonly spec: RolloutSpec
  readonly warnings: readonly string[]
  /** The warnings `validate` treats as errors unless `--lenient` (unknown fields, metrics that never fail). */
  readonly findings: readonly string[]
}

type Importer = (manifest: unknown, templates: readonly unknown[]) => E.Either<SpecError[], unknown>

const isSpecResult = (u: unknown): u is { spec: RolloutSpec; warnings?: readonly { path: string; message: string; finding?: string }[] } =>
  typeof u === 'object' && u !== null && 'spec' in u && typeof (u as { spec: unknown }).spec === 'object'

const fromResult = (u: unknown): UpstreamImport =>
  isSpecResult(u)
    ? {
        spec: u.spec,
        warnings: (u.warnings ?? []).filter((w) => w.finding === undefined).map(line),
        findings: (u.warnings ?? []).filter((w) => w.finding !== undefined).map(line),
      }
    : { spec: u as RolloutSpec, warnings: [], findings: [] }

const line = (w: { path: string; message: string }): string => (w.path === '' ? w.message : `${w.path}: ${w.message}`)

const importerFor = (kind: UpstreamKind): Importer | undefined => {
  const names = kind === 'flagger' ? ['importFlagger', 'fromFlagger'] : ['importArgoRollout', 'fromArgoRollout', 'importArgo', 'fromArgo']
  const table = compat as unknown as Readonly<Record<string, unknown>>
  for (const n of names) {
    const f = table[n]
    if (typeof f === 'function') return f as Importer
  }
  return undefined
}

/**
 * Imports an upstream manifest with the `compat` importer for its kind, passing the templates found in
 * the same file. `undefined` when that importer is not available in this build.
 *
 * @example
 * ```ts
 * const r = importUpstream('flagger', { apiVersion: 'flagger.app/v1beta1', kind: 'Canary', spec: {} }, [])
 * ```
 * @category compat
 */
export const importUpstream = (
  kind: UpstreamKind,
  manifest: unknown,
  templates: readonly unknown[],
): E.Either<SpecError[], UpstreamImport> | undefined => {
  const f = importerFor(kind)
  if (f === undefined) return undefined
  try {
    return E.map(fromResult)(f(manifest, templates))
  } catch (e) {
    return E.left([{ path: '', message: `the ${kind} importer failed: ${e instanceof Error ? e.message : String(e)}` }])
  }
}
