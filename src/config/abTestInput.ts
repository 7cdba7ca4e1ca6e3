/**
 * io-ts codecs for the A/B testing strategy input (`strategy.abTest`), closed like the rest of the native
 * config. Cross-field rules (exactly one string matcher, valid regular expressions, a non-empty match) are
 * checked by `normalizeAbTest`.
 *
 * @module
 */
import * as t from 'io-ts'
import * as E from 'fp-ts/lib/Either.js'
import { closed, IntIn, ListOf } from './closed.js'
import { describeValue } from '../model/errors.js'

/**
 * How to compare a header, cookie or query parameter value: one of `exact`, `prefix`, `suffix`, `regex`.
 *
 * @example
 * ```ts
 * ValueMatchInput.decode({ prefix: 'beta-' })
 * ```
 * @category codecs
 */
export const ValueMatchInput = closed('ValueMatch', {}, { exact: t.string, prefix: t.string, suffix: t.string, regex: t.string })

/**
 * A map from names (header, cookie or query parameter names) to `item`s; errors carry the name in the path.
 *
 * @example
 * ```ts
 * MapOf(ValueMatchInput).decode({ 'x-canary': { exact: 'insider' } })
 * ```
 * @category combinators
 */
export const MapOf = <A>(item: t.Type<A, unknown, unknown>): t.Type<Record<string, A>, unknown, unknown> =>
  new t.Type<Record<string, A>, unknown, unknown>(
    `map of ${item.name}`,
    (u): u is Record<string, A> => typeof u === 'object' && u !== null && !Array.isArray(u),
    (u, c) => {
      if (typeof u !== 'object' || u === null || Array.isArray(u)) return t.failure(u, c, `expected a map of names to ${item.name}, got ${describeValue(u)}`)
      const out: Record<string, A> = {}
      const errors: t.ValidationError[] = []
      for (const [k, v] of Object.entries(u)) {
        // `out.__proto__ = ...` would set the prototype and silently drop the condition
        if (k === '__proto__') {
          errors.push({ value: v, context: [...c, { key: k, type: item, actual: v }], message: 'the name "__proto__" is not allowed' })
          continue
        }
        const r = item.validate(v, [...c, { key: k, type: item, actual: v }])
        if (E.isLeft(r)) errors.push(...r.left)
        else out[k] = r.right
      }
      return errors.length > 0 ? t.failures(errors) : t.success(out)
    },
    (a) => a,
  )

/**
 * One request match (Flagger's A/B `match` entry, the Istio HTTPMatchRequest subset that can be expressed by
 * every router): all conditions must hold.
 *
 * @example
 * ```ts
 * RequestMatchInput.decode({ headers: { 'x-canary': { exact: 'insider' } }, cookies: { canary: { exact: 'always' } } })
 * ```
 * @category codecs
 */
export const RequestMatchInput = closed(
  'RequestMatch',
  {},
  { headers: MapOf(ValueMatchInput), cookies: MapOf(ValueMatchInput), queryParams: MapOf(ValueMatchInput) },
)

/**
 * The A/B testing strategy input: `iterations` analysed intervals with the requests that match any entry of
 * `match` routed to the canary.
 *
 * @example
 * ```ts
 * AbTestInput.decode({ iterations: 10, match: [{ headers: { 'x-canary': { exact: 'insider' } } }] })
 * ```
 * @category codecs
 */
export const AbTestInput = closed('AbTest', { iterations: IntIn(1, 1_000_000), match: ListOf(RequestMatchInput) }, {})

/**
 * A decoded A/B testing input.
 *
 * @example
 * ```ts
 * declare const ab: AbTestInputType
 * ab.match.length
 * ```
 * @category model
 */
export type AbTestInputType = t.TypeOf<typeof AbTestInput>
