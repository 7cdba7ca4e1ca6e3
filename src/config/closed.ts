/**
 * io-ts building blocks for configs that must not drop anything silently: closed objects (unknown keys
 * are errors, with a "did you mean" hint), finite numbers, bounded integers and durations; and the fold of
 * io-ts errors into `SpecError { path, message }` lists.
 *
 * @module
 */
import * as t from 'io-ts'
import * as E from 'fp-ts/lib/Either.js'
import { describeValue, joinPath, type SpecError } from '../model/errors.js'
import { suggestKey } from './suggest.js'
import { parseDuration } from './duration.js'

/**
 * A closed object codec: `required` keys must be present, `optional` keys may be, and any other key is
 * an error naming the field and the closest known one.
 *
 * @example
 * ```ts
 * import * as t from 'io-ts'
 * const Range = closed('ThresholdRange', {}, { min: FiniteNumber, max: FiniteNumber })
 * Range.decode({ mni: 1 }) // Left: unknown field "mni" (did you mean "min"?)
 * ```
 * @category combinators
 */
export const closed = <R extends t.Props, O extends t.Props>(
  name: string,
  required: R,
  optional: O,
): t.Type<t.TypeOf<t.TypeC<R>> & Partial<t.TypeOf<t.TypeC<O>>>, unknown, unknown> => {
  const known = [...Object.keys(required), ...Object.keys(optional)]
  type A = t.TypeOf<t.TypeC<R>> & Partial<t.TypeOf<t.TypeC<O>>>
  const isObject = (u: unknown): u is Record<string, unknown> =>
    typeof u === 'object' && u !== null && !Array.isArray(u)
  return new t.Type<A, unknown, unknown>(
    name,
    (u): u is A => isObject(u),
    (u, c) => {
      if (!isObject(u)) return t.failure(u, c, `expected an object (${name}), got ${describeValue(u)}`)
      const errors: t.ValidationError[] = []
      const out: Record<string, unknown> = {}
      for (const key of Object.keys(u)) {
        if (!known.includes(key)) {
          const hint = suggestKey(key, known)
          errors.push({
            value: u[key],
            context: [...c, { key, type: t.unknown, actual: u[key] }],
            message: `unknown field "${key}"${hint ? ` (did you mean "${hint}"?)` : ''}; known fields: ${known.join(', ')}`,
          })
        }
      }
      const visit = (key: string, type: t.Mixed, mandatory: boolean): void => {
        const value = u[key]
        if (value === undefined) {
          if (mandatory) {
            errors.push({
              value,
              context: [...c, { key, type, actual: value }],
              message: `missing required field "${key}" (${type.name})`,
            })
          }
          return
        }
        const r = type.validate(value, [...c, { key, type, actual: value }])
        if (E.isLeft(r)) errors.push(...r.left)
        else out[key] = r.right
      }
      for (const [k, type] of Object.entries(required)) visit(k, type, true)
      for (const [k, type] of Object.entries(optional)) visit(k, type, false)
      return errors.length > 0 ? t.failures(errors) : t.success(out as A)
    },
    (a) => a,
  )
}

const refine = <A>(name: string, guard: (u: unknown) => u is A, expected: string): t.Type<A, unknown, unknown> =>
  new t.Type<A, unknown, unknown>(
    name,
    guard,
    (u, c) => (guard(u) ? t.success(u) : t.failure(u, c, `expected ${expected}, got ${describeValue(u)}`)),
    (a) => a,
  )

/**
 * A finite number (NaN and the infinities are refused).
 *
 * @example
 * ```ts
 * FiniteNumber.decode(1.5) // right(1.5)
 * ```
 * @category codecs
 */
export const FiniteNumber = refine('number', (u): u is number => typeof u === 'number' && Number.isFinite(u), 'a finite number')

/**
 * An integer within `[min, max]`.
 *
 * @example
 * ```ts
 * IntIn(1, 100).decode(0) // Left: expected an integer from 1 to 100, got 0
 * ```
 * @category codecs
 */
export const IntIn = (min: number, max: number): t.Type<number, unknown, unknown> =>
  refine(
    `integer ${min}..${max === Infinity ? '∞' : max}`,
    (u): u is number => typeof u === 'number' && Number.isInteger(u) && u >= min && u <= max,
    max === Infinity ? `an integer >= ${min}` : `an integer from ${min} to ${max}`,
  )

/**
 * A finite number within `[min, max]`.
 *
 * @example
 * ```ts
 * NumberIn(0, 1).decode(0.99) // right(0.99)
 * ```
 * @category codecs
 */
export const NumberIn = (min: number, max: number, openMin = false): t.Type<number, unknown, unknown> =>
  refine(
    `number ${min}..${max}`,
    (u): u is number =>
      typeof u === 'number' && Number.isFinite(u) && (openMin ? u > min : u >= min) && u <= max,
    `a number ${openMin ? 'above' : 'from'} ${min}${max === Infinity ? '' : ` ${openMin ? 'and at most' : 'to'} ${max}`}`,
  )

/**
 * A relative risk to rule out before promotion, or `"off"`: a number above 1 and at most 100.
 *
 * @example
 * ```ts
 * DetectValue.decode(2)     // right(2)
 * DetectValue.decode('off') // right('off')
 * ```
 * @category codecs
 */
export const DetectValue = refine(
  'number 1..100 | "off"',
  (u): u is number | 'off' => u === 'off' || (typeof u === 'number' && Number.isFinite(u) && u > 1 && u <= 100),
  'a relative risk above 1 and at most 100, or "off"',
)

/**
 * A non-empty string.
 *
 * @example
 * ```ts
 * NonEmptyString.decode('') // Left
 * ```
 * @category codecs
 */
export const NonEmptyString = refine('string', (u): u is string => typeof u === 'string' && u.length > 0, 'a non-empty string')

/**
 * A boolean.
 *
 * @example
 * ```ts
 * Bool.decode(true) // right(true)
 * ```
 * @category codecs
 */
export const Bool = refine('boolean', (u): u is boolean => typeof u === 'boolean', 'true or false')

/**
 * One of the given string literals.
 *
 * @example
 * ```ts
 * OneOf(['increase', 'decrease']).decode('up') // Left: expected one of "increase", "decrease", got "up"
 * ```
 * @category codecs
 */
export const OneOf = <L extends string>(values: readonly L[]): t.Type<L, unknown, unknown> =>
  refine(
    values.map((v) => JSON.stringify(v)).join(' | '),
    (u): u is L => typeof u === 'string' && (values as readonly string[]).includes(u),
    `one of ${values.map((v) => JSON.stringify(v)).join(', ')}`,
  )

/**
 * A duration (`"30s"`, `"5m"`, `"1h30m"`, or seconds as a number), decoded to milliseconds.
 *
 * @example
 * ```ts
 * Duration.decode('1m') // right(60_000)
 * ```
 * @category codecs
 */
export const Duration = new t.Type<number, unknown, unknown>(
  'duration',
  (u): u is number => typeof u === 'number',
  (u, c) => {
    const r = parseDuration(u)
    return E.isRight(r) ? t.success(r.right) : t.failure(u, c, r.left)
  },
  (a) => a,
)

/**
 * A list of `item`s.
 *
 * @example
 * ```ts
 * ListOf(FiniteNumber).decode([1, 2]) // right([1, 2])
 * ```
 * @category codecs
 */
export const ListOf = <A>(item: t.Type<A, unknown, unknown>): t.Type<A[], unknown, unknown> =>
  new t.Type<A[], unknown, unknown>(
    `list of ${item.name}`,
    (u): u is A[] => Array.isArray(u),
    (u, c) => {
      if (!Array.isArray(u)) return t.failure(u, c, `expected a list of ${item.name}, got ${describeValue(u)}`)
      const errors: t.ValidationError[] = []
      const out: A[] = []
      u.forEach((v, i) => {
        const r = item.validate(v, [...c, { key: String(i), type: item, actual: v }])
        if (E.isLeft(r)) errors.push(...r.left)
        else out.push(r.right)
      })
      return errors.length > 0 ? t.failures(errors) : t.success(out)
    },
    (a) => a,
  )

/**
 * Any JSON object, kept as is (for fields carried through untouched to adapters).
 *
 * @example
 * ```ts
 * AnyObject.decode({ address: 'http://prometheus:9090' }) // right(...)
 * ```
 * @category codecs
 */
export const AnyObject = refine(
  'object',
  (u): u is Record<string, unknown> => typeof u === 'object' && u !== null && !Array.isArray(u),
  'an object',
)

/**
 * Folds io-ts validation errors into `SpecError`s with dotted paths (`analysis.metrics[1].thresholdRange.min`).
 *
 * @example
 * ```ts
 * foldErrors(closed('X', { a: FiniteNumber }, {}).decode({}).left ?? []) // [{ path: 'a', message: 'missing required field "a" (number)' }]
 * ```
 * @category destructors
 */
export const foldErrors = (errors: t.Errors, prefix = ''): SpecError[] => {
  const seen = new Set<string>()
  const out: SpecError[] = []
  for (const e of errors) {
    let path = prefix
    e.context.forEach((entry, i) => {
      if (i === 0) return
      const parent = e.context[i - 1]?.type
      // members of unions and intersections are not fields: they add no path segment
      if (parent instanceof t.UnionType || parent instanceof t.IntersectionType) return
      const isIndex = (parent instanceof t.Type && parent.name.startsWith('list of ')) || parent instanceof t.ArrayType
      path = joinPath(path, isIndex ? Number(entry.key) : entry.key)
    })
    const last = e.context[e.context.length - 1]
    const expected = last?.type.name ?? 'a valid value'
    const message = e.message ?? `expected ${expected.length > 80 ? 'a valid value' : expected}, got ${describeValue(e.value)}`
    const key = `${path}\u0000${message}`
    if (!seen.has(key)) {
      seen.add(key)
      out.push({ path, message })
    }
  }
  return out
}
