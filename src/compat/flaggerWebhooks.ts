/**
 * Flagger webhooks to native gates. The type names are the same; an empty or missing type is `rollout`
 * (as in Flagger). `url`, `timeout` and `metadata` go into the gate; `retries`, `disableTLS` and
 * `muteAlert` are carried for the webhook adapter.
 *
 * @module
 */
import * as E from 'fp-ts/lib/Either.js'
import { joinPath } from '../model/errors.js'
import { fail, isObj, opt, pick, req, unknownKeys, type Issues } from './manifest.js'
import { nativeDuration, parseGoDuration } from './goDuration.js'

/**
 * Flagger's webhook types (all of them exist as native gate types).
 *
 * @example
 * ```ts
 * FLAGGER_WEBHOOK_TYPES.includes('confirm-promotion') // true
 * ```
 * @category compat
 */
export const FLAGGER_WEBHOOK_TYPES = [
  'confirm-rollout',
  'pre-rollout',
  'rollout',
  'confirm-traffic-increase',
  'confirm-promotion',
  'post-rollout',
  'rollback',
  'event',
] as const

/** The fields of the Flagger v1beta1 CanaryWebhook (the CRD's; a test keeps them equal). @internal */
export const KEYS = ['name', 'type', 'muteAlert', 'url', 'timeout', 'retries', 'disableTLS', 'metadata']

/**
 * A native gate input plus what the adapter needs besides it.
 *
 * @example
 * ```ts
 * const g: ImportedGate = { gate: { name: 'load-test', type: 'rollout', url: 'http://t/' }, extra: { retries: 3 } }
 * ```
 * @category compat
 */
export interface ImportedGate {
  readonly gate: Record<string, unknown>
  readonly extra: Record<string, unknown>
}

/**
 * Imports one webhook (`undefined` on errors, recorded in `issues`).
 *
 * @example
 * ```ts
 * const issues = { errors: [], warnings: [] }
 * importFlaggerWebhook({ name: 'load-test', url: 'http://loadtester/', timeout: '5s' }, 'spec.analysis.webhooks[0]', issues)
 * // { gate: { name: 'load-test', type: 'rollout', url: 'http://loadtester/', timeout: '5s' }, extra: {} }
 * ```
 * @category compat
 */
export const importFlaggerWebhook = (raw: unknown, path: string, issues: Issues): ImportedGate | undefined => {
  if (!isObj(raw)) {
    fail(issues, path, 'expected a webhook object')
    return undefined
  }
  const before = issues.errors.length
  unknownKeys(issues, raw, path, KEYS, 'Flagger v1beta1 CanaryWebhook')
  const name = req(issues, raw, path, 'name', 'string')
  const url = req(issues, raw, path, 'url', 'string')
  const type = opt(issues, raw, path, 'type', 'string') ?? ''
  const timeout = opt(issues, raw, path, 'timeout', 'string')
  const metadata = opt(issues, raw, path, 'metadata', 'object')
  opt(issues, raw, path, 'retries', 'number')
  opt(issues, raw, path, 'disableTLS', 'boolean')
  opt(issues, raw, path, 'muteAlert', 'boolean')
  const gateType = type === '' ? 'rollout' : type
  if (!(FLAGGER_WEBHOOK_TYPES as readonly string[]).includes(gateType)) {
    fail(issues, joinPath(path, 'type'), `unknown webhook type "${type}"; Flagger's types: ${FLAGGER_WEBHOOK_TYPES.join(', ')}`)
  }
  let timeoutNative: string | undefined
  if (timeout !== undefined) {
    const t = parseGoDuration(timeout)
    if (E.isLeft(t) || t.right < 0) fail(issues, joinPath(path, 'timeout'), E.isLeft(t) ? t.left : 'must not be negative')
    else timeoutNative = nativeDuration(t.right)
  }
  if (metadata !== undefined) {
    for (const [k, v] of Object.entries(metadata)) {
      if (typeof v !== 'string') fail(issues, joinPath(joinPath(path, 'metadata'), k), `expected a string (metadata is map[string]string), got ${JSON.stringify(v) ?? String(v)}`)
    }
  }
  if (issues.errors.length > before || name === undefined) return undefined
  return {
    gate: {
      name,
      type: gateType,
      ...(url !== undefined ? { url } : {}),
      ...(timeoutNative !== undefined ? { timeout: timeoutNative } : {}),
      ...(metadata !== undefined ? { metadata } : {}),
    },
    extra: pick(raw, ['retries', 'disableTLS', 'muteAlert']),
  }
}
