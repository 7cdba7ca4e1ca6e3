/**
 * Regular expressions built from string matches, for targets that cannot express a match kind
 * natively (Istio has no suffix match; Gateway API has only Exact and RegularExpression; NGINX has
 * only an exact value or a pattern) and for cookies, which every target matches through the `cookie`
 * request header. The expressions use only syntax shared by RE2 (Envoy), PCRE (NGINX) and JavaScript.
 *
 * @module
 */
import type { MatchOf } from './source.js'
import { guarded } from '../model/guard.js'

/** What a regex builder gives when it cannot read its input: a pattern that matches no value at all. */
const NEVER = '[^\\s\\S]'

/**
 * Escapes every regular-expression metacharacter so the text matches literally.
 *
 * @example
 * ```ts
 * escapeRegex('v1.2+beta') // 'v1\\.2\\+beta'
 * ```
 * @category utils
 */
export const escapeRegex = guarded('escapeRegex', (text: string): string => text.replace(/[\\^$.*+?()[\]{}|]/g, (c) => `\\${c}`), () => NEVER)

/**
 * An anchored regular expression that matches a whole value exactly when the string match does.
 * Anchors make it behave the same under full-match (Envoy) and search (NGINX) semantics; a `regex`
 * match is wrapped in a group and anchored too.
 *
 * @example
 * ```ts
 * anchoredRegex({ kind: 'prefix', value: 'beta-' }) // '^beta-.*$'
 * anchoredRegex({ kind: 'suffix', value: '.eu' })   // '^.*\\.eu$'
 * anchoredRegex({ kind: 'regex', value: 'a|b' })    // '^(?:a|b)$'
 * ```
 * @category utils
 */
export const anchoredRegex = guarded('anchoredRegex', (m: MatchOf): string => {
  switch (m.kind) {
    case 'exact':
      return `^${escapeRegex(m.value)}$`
    case 'prefix':
      return `^${escapeRegex(m.value)}.*$`
    case 'suffix':
      return `^.*${escapeRegex(m.value)}$`
    case 'regex':
      return `^(?:${m.value})$`
  }
}, () => NEVER)

/**
 * A regular expression for the `cookie` request header that holds when the cookie `name` is present
 * and its value satisfies the match (the technique Flagger uses for Istio cookie routes). The value
 * of a `regex` match must not span a `;`.
 *
 * @example
 * ```ts
 * cookieRegex('canary', { kind: 'exact', value: 'always' })
 * // '^(?:.*?;\\s*)?canary=always(?:;.*)?$'
 * ```
 * @category utils
 */
export const cookieRegex = guarded('cookieRegex', (name: string, m: MatchOf): string => {
  const value = (() => {
    switch (m.kind) {
      case 'exact':
        return escapeRegex(m.value)
      case 'prefix':
        return `${escapeRegex(m.value)}[^;]*`
      case 'suffix':
        return `[^;]*${escapeRegex(m.value)}`
      case 'regex':
        return `(?:${m.value})`
    }
  })()
  return `^(?:.*?;\\s*)?${escapeRegex(name)}=${value}(?:;.*)?$`
}, () => NEVER)
