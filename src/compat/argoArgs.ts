/**
 * Argo analysis arguments: `{{args.name}}` tags (spaces allowed inside the braces) substituted into every
 * string of a template's metric, with the rollout's args overriding the template's defaults. An argument
 * without a value, or a tag naming an unknown argument, is an error (Argo refuses to start such a run).
 *
 * @module
 */
import { joinPath } from '../model/errors.js'
import { fail, failIfPossible, isObj, warn, type Issues, type Obj } from './manifest.js'
import { boundedList, guarded, MAX_LIST } from '../model/guard.js'

const TAG = /\{\{\s*args\.([A-Za-z0-9_.-]+?)\s*\}\}/g

/**
 * The placeholder a `valueFrom.secretKeyRef` argument becomes: `{{secretKeyRef.<secret>/<key>}}` (neither
 * a Secret name nor a key can contain `/` or `}`). Global: use with `matchAll` or a fresh copy.
 *
 * @example
 * ```ts
 * [...'x {{secretKeyRef.api/token}}'.matchAll(SECRET_PLACEHOLDER)][0]?.[1] // 'api'
 * ```
 * @category compat
 */
export const SECRET_PLACEHOLDER = /\{\{secretKeyRef\.([a-z0-9.-]+)\/([-._a-zA-Z0-9]+)\}\}/g

/**
 * Resolved argument values by name (`null`: declared without a value).
 *
 * @example
 * ```ts
 * const a: ArgValues = new Map([['service-name', 'podinfo'], ['namespace', null]])
 * ```
 * @category compat
 */
export type ArgValues = Map<string, string | null>

/**
 * Resolves a `valueFrom.fieldRef.fieldPath` against the rollout object: dotted paths and
 * `metadata.labels['key']` / `metadata.annotations['key']`. `undefined` when the path does not resolve to a
 * string or number.
 *
 * @example
 * ```ts
 * resolveFieldPath({ metadata: { name: 'r', labels: { app: 'x' } } }, "metadata.labels['app']") // 'x'
 * ```
 * @category compat
 */
export const resolveFieldPath = (root: Obj, fieldPath: string): string | undefined => {
  const parts = fieldPath.match(/[^.[\]'"]+/g) ?? []
  let cur: unknown = root
  for (const p of parts) {
    if (!isObj(cur)) return undefined
    cur = cur[p]
  }
  return typeof cur === 'string' ? cur : typeof cur === 'number' || typeof cur === 'boolean' ? String(cur) : undefined
}

/**
 * Reads an `args` list (`[{ name, value?, valueFrom? }]`) into `into`, later lists overriding earlier ones.
 * `valueFrom.fieldRef` is resolved against `rollout`; `valueFrom.podTemplateHashValue` becomes the
 * placeholder `{{podTemplateHash.<Latest|Stable>}}` for the adapter to fill (with a warning).
 *
 * @example
 * ```ts
 * const issues = { errors: [], warnings: [] }
 * const m: ArgValues = new Map()
 * readArgs([{ name: 'service', value: 'podinfo' }], 'spec.strategy.canary.analysis.args', {}, m, issues)
 * m.get('service') // 'podinfo'
 * ```
 * @category compat
 */
export const readArgs = guarded('readArgs', (list: unknown, path: string, rollout: Obj, into: ArgValues, issues: Issues): void => {
  if (list === undefined || list === null) return
  if (!Array.isArray(list)) {
    fail(issues, path, 'expected a list of args')
    return
  }
  boundedList(list, 'args').forEach((a, i) => {
    const p = joinPath(path, i)
    if (!isObj(a) || typeof a.name !== 'string' || a.name === '') {
      fail(issues, p, 'expected an arg { name, value | valueFrom }')
      return
    }
    if (typeof a.value === 'string') {
      into.set(a.name, a.value)
      return
    }
    if (a.value !== undefined && a.value !== null) {
      fail(issues, joinPath(p, 'value'), `expected a string, got ${JSON.stringify(a.value) ?? String(a.value)}`)
      return
    }
    const from = a.valueFrom
    if (isObj(from)) {
      if (typeof from.podTemplateHashValue === 'string') {
        const which = from.podTemplateHashValue
        warn(issues, joinPath(p, 'valueFrom'), `podTemplateHashValue is only known at run time: substituted by the placeholder {{podTemplateHash.${which}}} for the metrics adapter`)
        into.set(a.name, `{{podTemplateHash.${which}}}`)
        return
      }
      const secret = from.secretKeyRef
      if (isObj(secret)) {
        const sp = joinPath(joinPath(p, 'valueFrom'), 'secretKeyRef')
        if (typeof secret.name !== 'string' || !/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(secret.name)) {
          fail(issues, joinPath(sp, 'name'), 'expected the name of a Secret')
          return
        }
        if (typeof secret.key !== 'string' || !/^[-._a-zA-Z0-9]+$/.test(secret.key)) {
          fail(issues, joinPath(sp, 'key'), 'expected a key of the Secret')
          return
        }
        // the value is never read here: the metrics adapter resolves the placeholder (see secretRefsIn)
        into.set(a.name, `{{secretKeyRef.${secret.name}/${secret.key}}}`)
        return
      }
      const fieldRef = from.fieldRef
      if (isObj(fieldRef) && typeof fieldRef.fieldPath === 'string') {
        const fp = joinPath(joinPath(joinPath(p, 'valueFrom'), 'fieldRef'), 'fieldPath')
        const v = resolveFieldPath(rollout, fieldRef.fieldPath)
        if (v !== undefined) into.set(a.name, v)
        else if (/^metadata\.(labels|annotations)\b/.test(fieldRef.fieldPath)) {
          // Kubernetes' downward-API rule: a label or annotation the object lacks is the empty string
          warn(issues, fp, `"${fieldRef.fieldPath}" is not set on the Rollout: resolved to "" (as Kubernetes does for a missing label or annotation)`)
          into.set(a.name, '')
        } else fail(issues, fp, `"${fieldRef.fieldPath}" does not resolve to a value in the Rollout`)
        return
      }
      fail(issues, joinPath(p, 'valueFrom'), 'expected podTemplateHashValue, secretKeyRef or fieldRef.fieldPath')
      return
    }
    if (!into.has(a.name)) into.set(a.name, null)
  })
}, (m, _f, [, path, , , issues]) => failIfPossible(issues, path, m))

/**
 * Substitutes `{{args.x}}` in every string (keys included) of a JSON value. Unknown or valueless arguments
 * are reported once each, at `path`.
 *
 * @example
 * ```ts
 * const issues = { errors: [], warnings: [] }
 * substituteArgs({ query: 'up{service="{{ args.svc }}"}' }, new Map([['svc', 'podinfo']]), 'spec.metrics[0]', issues)
 * // { query: 'up{service="podinfo"}' }
 * ```
 * @category compat
 */
export const substituteArgs = guarded('substituteArgs', (value: unknown, args: ArgValues, path: string, issues: Issues): unknown => {
  const reported = new Set<string>()
  const sub = (s: string): string =>
    s.replace(TAG, (whole, name: string) => {
      const v = args.get(name)
      if (v !== undefined && v !== null) return v
      if (!reported.has(name)) {
        reported.add(name)
        fail(issues, path, v === null ? `argument "${name}" has no value: give it in the rollout's analysis args` : `unresolved tag ${whole}: no argument "${name}" is declared`)
      }
      return whole
    })
  let nodes = 0
  const walk = (v: unknown, depth: number): unknown => {
    if (depth > 64) return v
    if (++nodes > MAX_LIST) throw new RangeError(`more than ${MAX_LIST} values to substitute`)
    if (typeof v === 'string') return sub(v)
    if (Array.isArray(v)) return boundedList(v, 'a list').map((x) => walk(x, depth + 1))
    if (isObj(v)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [sub(k), walk(x, depth + 1)]))
    return v
  }
  return walk(value, 0)
}, (m, _f, [value, , path, issues]) => (failIfPossible(issues, path, m), value))
