/**
 * Flagger's A/B `match` list (Istio HTTPMatchRequest shape: `headers`, `queryParams`, `sourceLabels`) to the
 * native request matches. Cookie matching stays what Flagger writes: a regex on the `cookie` header.
 * `sourceLabels` cannot be expressed by every router: reported and left out.
 *
 * @module
 */
import { joinPath } from '../model/errors.js'
import { fail, isObj, warn, type Issues } from './manifest.js'

const matchMap = (v: unknown, path: string, issues: Issues): Record<string, unknown> | undefined => {
  if (v === undefined || v === null) return undefined
  if (!isObj(v)) {
    fail(issues, path, 'expected a map of names to { exact | prefix | suffix | regex }')
    return undefined
  }
  return { ...v }
}

/**
 * Converts the match list; errors and warnings go to `issues` with upstream paths.
 *
 * @example
 * ```ts
 * const issues = { errors: [], warnings: [] }
 * flaggerMatches([{ headers: { 'x-canary': { exact: 'insider' } } }], 'spec.analysis.match', issues)
 * // [{ headers: { 'x-canary': { exact: 'insider' } } }]
 * ```
 * @category compat
 */
export const flaggerMatches = (list: readonly unknown[], path: string, issues: Issues): Record<string, unknown>[] =>
  list.map((m, i) => {
    const p = joinPath(path, i)
    if (!isObj(m)) {
      fail(issues, p, 'expected a match object { headers?, queryParams?, sourceLabels? }')
      return {}
    }
    for (const k of Object.keys(m)) {
      if (k === 'sourceLabels') warn(issues, joinPath(p, k), 'sourceLabels (Istio only) cannot be expressed in the native match: left out; the original list is in carried.analysis.match')
      else if (k !== 'headers' && k !== 'queryParams') warn(issues, joinPath(p, k), `"${k}" is not a field of Flagger's match in the v1beta1 CRD; ignored`)
    }
    const headers = matchMap(m.headers, joinPath(p, 'headers'), issues)
    const queryParams = matchMap(m.queryParams, joinPath(p, 'queryParams'), issues)
    return { ...(headers !== undefined ? { headers } : {}), ...(queryParams !== undefined ? { queryParams } : {}) }
  })
