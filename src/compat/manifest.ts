/**
 * Total readers over untrusted, parsed manifests: each reader checks a field's type, records an error with
 * the upstream path when it is wrong, and never throws. Errors and warnings are collected in an `Issues`
 * accumulator so an importer reports every problem at once.
 *
 * @module
 */
import { describeValue, joinPath, specError, type SpecError } from '../model/errors.js'
import type { ImportWarning } from './types.js'
import { suggestKey } from '../config/suggest.js'

/**
 * A plain JSON object.
 *
 * @example
 * ```ts
 * const o: Obj = { name: 'podinfo' }
 * ```
 * @category compat
 */
export type Obj = Readonly<Record<string, unknown>>

/**
 * Errors and warnings collected while importing.
 *
 * @example
 * ```ts
 * const issues: Issues = { errors: [], warnings: [] }
 * ```
 * @category compat
 */
export interface Issues {
  readonly errors: SpecError[]
  readonly warnings: ImportWarning[]
}

/**
 * A fresh, empty accumulator.
 *
 * @example
 * ```ts
 * const issues = newIssues()
 * issues.errors.length // 0
 * ```
 * @category compat
 */
export const newIssues = (): Issues => ({ errors: [], warnings: [] })

/**
 * True for a non-null, non-array object.
 *
 * @example
 * ```ts
 * isObj({}) // true
 * isObj([]) // false
 * ```
 * @category compat
 */
export const isObj = (u: unknown): u is Obj => typeof u === 'object' && u !== null && !Array.isArray(u)

/**
 * Records an error at `path`.
 *
 * @example
 * ```ts
 * const issues = newIssues()
 * fail(issues, 'spec.analysis', 'missing')
 * ```
 * @category compat
 */
export const fail = (issues: Issues, path: string, message: string): void => {
  issues.errors.push(specError(path, message))
}

/**
 * Records an error at `path` when `issues` can take it, and otherwise does nothing: what a guarded compat
 * helper does with the message of an input it could not read (the issues may be what could not be read).
 *
 * @example
 * ```ts
 * const issues = newIssues()
 * failIfPossible(issues, 'spec.analysis', 'could not be read')
 * issues.errors.length // 1
 * ```
 * @category compat
 */
export const failIfPossible = (issues: unknown, path: unknown, message: string): void => {
  try {
    ;(issues as Issues).errors.push(specError(typeof path === 'string' ? path : '', message))
  } catch {
    // the accumulator itself cannot be written: the caller's issues are what was hostile
  }
}

/**
 * Records a warning at `path`.
 *
 * @example
 * ```ts
 * const issues = newIssues()
 * warn(issues, 'spec.suspend', 'carried, not modelled')
 * ```
 * @category compat
 */
export const warn = (issues: Issues, path: string, message: string): void => {
  issues.warnings.push({ path, message })
}

type Kind = 'string' | 'number' | 'integer' | 'boolean' | 'object' | 'array'

const matches = (v: unknown, kind: Kind): boolean => {
  switch (kind) {
    case 'string':
      return typeof v === 'string'
    case 'number':
      return typeof v === 'number' && Number.isFinite(v)
    case 'integer':
      return typeof v === 'number' && Number.isSafeInteger(v)
    case 'boolean':
      return typeof v === 'boolean'
    case 'object':
      return isObj(v)
    case 'array':
      return Array.isArray(v)
  }
}

const ARTICLE: Readonly<Record<Kind, string>> = {
  string: 'a string',
  number: 'a finite number',
  integer: 'an integer',
  boolean: 'true or false',
  object: 'an object',
  array: 'a list',
}

/**
 * Reads an optional field of a given kind: `undefined` when absent (or `null`), the value when it has the
 * kind, else `undefined` and an error at `path.key`.
 *
 * @example
 * ```ts
 * const issues = newIssues()
 * opt(issues, { threshold: 5 }, 'spec.analysis', 'threshold', 'integer') // 5
 * opt(issues, { threshold: 'x' }, 'spec.analysis', 'threshold', 'integer') // undefined, one error
 * ```
 * @category compat
 */
export function opt(issues: Issues, o: Obj, path: string, key: string, kind: 'string'): string | undefined
export function opt(issues: Issues, o: Obj, path: string, key: string, kind: 'number' | 'integer'): number | undefined
export function opt(issues: Issues, o: Obj, path: string, key: string, kind: 'boolean'): boolean | undefined
export function opt(issues: Issues, o: Obj, path: string, key: string, kind: 'object'): Obj | undefined
export function opt(issues: Issues, o: Obj, path: string, key: string, kind: 'array'): readonly unknown[] | undefined
export function opt(issues: Issues, o: Obj, path: string, key: string, kind: Kind): unknown {
  const v = o[key]
  if (v === undefined || v === null) return undefined
  if (matches(v, kind)) return v
  fail(issues, joinPath(path, key), `expected ${ARTICLE[kind]}, got ${describeValue(v)}`)
  return undefined
}

/**
 * Reads a required field: like `opt`, plus an error when it is absent.
 *
 * @example
 * ```ts
 * const issues = newIssues()
 * req(issues, {}, 'spec', 'targetRef', 'object') // undefined, error 'spec.targetRef: missing required field'
 * ```
 * @category compat
 */
export function req(issues: Issues, o: Obj, path: string, key: string, kind: 'string'): string | undefined
export function req(issues: Issues, o: Obj, path: string, key: string, kind: 'number' | 'integer'): number | undefined
export function req(issues: Issues, o: Obj, path: string, key: string, kind: 'object'): Obj | undefined
export function req(issues: Issues, o: Obj, path: string, key: string, kind: 'array'): readonly unknown[] | undefined
export function req(issues: Issues, o: Obj, path: string, key: string, kind: Kind): unknown {
  if (o[key] === undefined || o[key] === null) {
    fail(issues, joinPath(path, key), `missing required field "${key}" (${ARTICLE[kind]})`)
    return undefined
  }
  return opt(issues, o, path, key, kind as 'string')
}

/**
 * Warns about keys of `o` that are not in `known` (fields the upstream CRD does not define: the API server
 * would prune them, so the importer ignores them, loudly).
 *
 * @example
 * ```ts
 * const issues = newIssues()
 * unknownKeys(issues, { nmae: 'x' }, 'spec.analysis.metrics[0]', ['name'], 'Flagger metric')
 * ```
 * @category compat
 */
export const unknownKeys = (issues: Issues, o: Obj, path: string, known: readonly string[], what: string): void => {
  for (const k of Object.keys(o)) {
    if (!known.includes(k)) {
      const anagram = known.find((x) => x.length === k.length && [...x].sort().join('') === [...k].sort().join(''))
      const s = anagram ?? suggestKey(k, known)
      issues.warnings.push({
        path: joinPath(path, k),
        message: `unknown field "${k}"${s !== undefined ? ` (did you mean "${s}"?)` : ''}: not a field of the ${what} (the API server would prune it); ignored`,
        finding: 'unknownField',
      })
    }
  }
}

/**
 * Records a metric that can never fail (a typo or an empty range usually): a warning for importers, an
 * error for `rollout-kernel validate` unless `--lenient`.
 *
 * @example
 * ```ts
 * const issues = newIssues()
 * neverFails(issues, 'spec.analysis.metrics[0].thresholdRange', 'thresholdRange {} has neither min nor max')
 * ```
 * @category compat
 */
export const neverFails = (issues: Issues, path: string, message: string): void => {
  issues.warnings.push({ path, message: `${message}: this metric can never fail`, finding: 'neverFails' })
}

/**
 * The keys of `o` that are not in `known`, each with its closest known key (for "got none" messages).
 *
 * @example
 * ```ts
 * strayKeys({ stepWieght: 10 }, ['stepWeight']) // ['"stepWieght" (did you mean "stepWeight"?)']
 * ```
 * @category compat
 */
export const strayKeys = (o: Obj, known: readonly string[], candidates: readonly string[] = known): string[] =>
  Object.keys(o)
    .filter((k) => !known.includes(k))
    .flatMap((k) => {
      const s = suggestKey(k, candidates)
      return s !== undefined ? [`"${k}" (did you mean "${s}"?)`] : []
    })

/**
 * Copies the listed keys that are present into a new object (for `carried`).
 *
 * @example
 * ```ts
 * pick({ a: 1, b: 2 }, ['a', 'c']) // { a: 1 }
 * ```
 * @category compat
 */
export const pick = (o: Obj, keys: readonly string[]): Record<string, unknown> => {
  const out: Record<string, unknown> = {}
  for (const k of keys) if (o[k] !== undefined) out[k] = o[k]
  return out
}

/**
 * Copies every key except the listed ones (for `carried`: what the kernel does not consume).
 *
 * @example
 * ```ts
 * omit({ a: 1, b: 2 }, ['a']) // { b: 2 }
 * ```
 * @category compat
 */
export const omit = (o: Obj, keys: readonly string[]): Record<string, unknown> => {
  const out: Record<string, unknown> = {}
  for (const [k, v] of Object.entries(o)) if (!keys.includes(k) && v !== undefined) out[k] = v
  return out
}
