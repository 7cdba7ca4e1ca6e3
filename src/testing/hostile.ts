/**
 * Hostile values: everything JavaScript can pass to a function that promises never to throw. Objects
 * whose getters throw (and throw something that cannot be printed), null-prototype objects whose
 * `toString` throws, Proxies whose every trap throws, revoked Proxies, huge, tiny and odd numbers,
 * long strings, bigints, symbols, functions, sparse and giant arrays, cyclic objects; and `hostileWithin(valid)`, which
 * plants one of those at a random place inside an otherwise valid input, where a decoder meets it late.
 *
 * Every value is deterministic (the traps do the same thing each time), so a failing case replays.
 *
 * @module
 */
import fc from 'fast-check'
import { boundedList, guarded, rethrow } from '../model/guard.js'

/**
 * A value whose conversion to a string throws: `String(x)`, `` `${x}` `` and `x + ''` all throw, and it
 * has no prototype (so `x instanceof Error` is false and `x.message` is undefined).
 *
 * @example
 * ```ts
 * const x = unprintable()
 * // String(x) throws
 * ```
 * @category hostile values
 */
export const unprintable = guarded('unprintable', (): object => {
  const o = Object.create(null) as Record<string | symbol, unknown>
  const boom = (): never => {
    throw new TypeError('hostile: no string for you')
  }
  o['toString'] = boom
  o['valueOf'] = boom
  o[Symbol.toPrimitive] = boom
  return o
}, (m) => rethrow(m))

/**
 * A Proxy whose every trap throws `thrown` (by default an unprintable value).
 *
 * @example
 * ```ts
 * const p = throwingProxy()
 * // Object.keys(p), p.x, 'x' in p, Array.isArray(p) (no: that one is fine) ... throw
 * ```
 * @category hostile values
 */
export const throwingProxy = guarded('throwingProxy', (thrown: () => unknown = unprintable, target: object = {}): object => {
  const trap = (): never => {
    throw thrown()
  }
  return new Proxy(target, {
    get: trap,
    set: trap,
    has: trap,
    deleteProperty: trap,
    ownKeys: trap,
    getOwnPropertyDescriptor: trap,
    defineProperty: trap,
    getPrototypeOf: trap,
    setPrototypeOf: trap,
    isExtensible: trap,
    preventExtensions: trap,
    apply: trap,
    construct: trap,
  })
}, (m) => rethrow(m))

/**
 * A revoked Proxy: any operation on it, even `Array.isArray` and `instanceof`, throws a TypeError.
 *
 * @example
 * ```ts
 * const r = revokedProxy()
 * // Array.isArray(r) throws
 * ```
 * @category hostile values
 */
export const revokedProxy = guarded('revokedProxy', (target: object = {}): object => {
  const { proxy, revoke } = Proxy.revocable(target, {})
  revoke()
  return proxy
}, (m) => rethrow(m))

/** `o` with an enumerable `key` whose getter throws `thrown()` (the two getter builders below share it). */
const withThrowingGetter = <T extends object>(o: T, key: string, thrown: () => unknown): T =>
  Object.defineProperty(o, key, {
    enumerable: true,
    configurable: true,
    get: () => {
      throw thrown()
    },
  })

/**
 * An object (or array) with one enumerable property whose getter throws `thrown`.
 *
 * @example
 * ```ts
 * const o = throwingGetter('metrics')
 * // o.metrics throws; Object.keys(o) is ['metrics']
 * ```
 * @category hostile values
 */
export const throwingGetter = guarded('throwingGetter', (key: string, thrown: () => unknown = unprintable, base: object = {}): object => {
  const o: object = Array.isArray(base) ? [...boundedList(base as unknown[], 'base')] : { ...base }
  return withThrowingGetter(o, key, thrown)
}, (m) => rethrow(m))

/**
 * An ordinary object (with `Object.prototype`) whose one conversion hook throws `thrown`: `toString`,
 * `valueOf` or `Symbol.toPrimitive`. `String(x)`, `x + 1`, `` `${x}` `` or a comparison meet it; code that
 * only reads data does not.
 *
 * @example
 * ```ts
 * const x = throwingConversion('valueOf')
 * // x + 1 throws; Object.keys(x) is ['valueOf']
 * ```
 * @category hostile values
 */
export const throwingConversion = guarded('throwingConversion', (hook: 'toString' | 'valueOf' | typeof Symbol.toPrimitive, thrown: () => unknown = unprintable): object => {
  const o: Record<string | symbol, unknown> = {}
  o[hook] = (): never => {
    throw thrown()
  }
  return o
}, (m) => rethrow(m))

/**
 * A Proxy that behaves like `target` except that the one trap `trap` throws `thrown`: `Array.isArray` and
 * `typeof` still see the target, so code gets past its shape checks before it meets the throw (a list
 * whose `length` read throws, an object whose keys list but whose descriptors throw, an object whose
 * prototype cannot be read so `instanceof` throws).
 *
 * @example
 * ```ts
 * const p = oneTrapProxy('get', [1, 2]) as unknown[]
 * // Array.isArray(p) is true; p.length throws
 * ```
 * @category hostile values
 */
export const oneTrapProxy = guarded('oneTrapProxy', (trap: keyof ProxyHandler<object>, target: object = {}, thrown: () => unknown = unprintable): object =>
  new Proxy(target, {
    [trap]: (): never => {
      throw thrown()
    },
  }), (m) => rethrow(m))

/**
 * A null-prototype object that looks like data (`{ a: 1 }`) but whose property `key` is a getter that throws.
 *
 * @example
 * ```ts
 * const o = nullProtoWithGetter('a') as { a: unknown }
 * // o.a throws; Object.getPrototypeOf(o) is null
 * ```
 * @category hostile values
 */
export const nullProtoWithGetter = guarded('nullProtoWithGetter', (key: string, thrown: () => unknown = unprintable): object => {
  const o = Object.create(null) as Record<string, unknown>
  o['x'] = 1
  return withThrowingGetter(o, key, thrown)
}, (m) => rethrow(m))

/**
 * A hostile value, boxed: fast-check clones and prints the values it generates, and a revoked Proxy would
 * make fast-check itself throw; so an arbitrary gives a box whose `make()` builds a fresh value and whose
 * `label` (also its fast-check string) says what it is.
 *
 * @example
 * ```ts
 * declare const h: Hostile
 * const input = h.make()
 * ```
 * @category model
 */
export interface Hostile {
  readonly label: string
  readonly make: () => unknown
}

const box = (label: string, make: () => unknown): Hostile => {
  const b = { label, make }
  Object.defineProperty(b, fc.toStringMethod, { value: () => label, enumerable: false })
  return b
}

const THROWN: readonly (readonly [string, () => unknown])[] = [
  ['an unprintable object', unprintable],
  ['a revoked Proxy', () => revokedProxy()],
  ['a throwing Proxy', () => throwingProxy()],
  ['an Error', () => new Error('hostile error')],
  ['undefined', () => undefined],
  ['null', () => null],
  ['a symbol', () => Symbol('thrown')],
  ['an Error whose message getter throws', () => Object.defineProperty(new Error('x'), 'message', { get: unprintable })],
]

/** What a hostile trap or getter throws: unprintable objects, revoked Proxies, Errors, undefined, symbols. */
const thrownArb = fc.constantFrom(...THROWN)

const NUMBERS: readonly number[] = [
  Number.NaN, Infinity, -Infinity, -0, Number.MAX_VALUE, -Number.MAX_VALUE, Number.MIN_VALUE, 5e-324, 2 ** 53, 2 ** 53 + 2, -(2 ** 53),
  8.64e15, 8.64e15 + 1, 1e308, 1e-308, 0.1 + 0.2, 2 ** 31, -1,
]
const STRINGS: readonly string[] = ['x'.repeat(100_000), '\u0000', '\ud800', '__proto__', 'constructor', '', ' ', '1e400', '0x10', '-0', 'NaN', '(a+)+$']
const KEYS = ['a', 'name', 'length', '0', 'toString', 'then', 'v', 'kind', 'metrics', 'spec'] as const
const HOOKS: readonly (readonly [string, 'toString' | 'valueOf' | typeof Symbol.toPrimitive])[] = [
  ['toString', 'toString'],
  ['valueOf', 'valueOf'],
  ['Symbol.toPrimitive', Symbol.toPrimitive],
]
const TRAPS: readonly (keyof ProxyHandler<object>)[] = ['get', 'has', 'ownKeys', 'getOwnPropertyDescriptor', 'getPrototypeOf']

/**
 * One hostile leaf value (boxed, see `Hostile`): a thrower (getter, Proxy, revoked Proxy, unprintable), a
 * null-prototype object with a throwing getter, an object whose `toString` / `valueOf` /
 * `Symbol.toPrimitive` throws, a Proxy of which one trap alone throws (so shape checks pass first), an
 * odd number, a long or strange string, a bigint, a symbol, a function, a sparse or giant array, a
 * null-prototype object, a cyclic object.
 *
 * @example
 * ```ts
 * import fc from 'fast-check'
 * fc.assert(fc.property(hostileValue(), (h) => { describeValue(h.make()) }))
 * ```
 * @category arbitraries
 */
export const hostileValue = guarded('hostileValue', (): fc.Arbitrary<Hostile> =>
  fc.oneof(
    thrownArb.map(([label, t]) => box(label, t)),
    fc.tuple(fc.constantFrom(...KEYS), thrownArb).map(([k, [label, t]]) => box(`an object whose getter "${k}" throws ${label}`, () => throwingGetter(k, t))),
    thrownArb.map(([label, t]) => box(`a list whose element 0 throws ${label}`, () => throwingGetter('0', t, ['x']))),
    thrownArb.map(([label, t]) => box(`a Proxy of a list whose traps throw ${label}`, () => throwingProxy(t, []))),
    thrownArb.map(([label, t]) => box(`a Proxy whose traps throw ${label}`, () => throwingProxy(t))),
    fc.constant(box('a revoked Proxy of a list', () => revokedProxy([]))),
    fc.constant(box('a null-prototype object', () => Object.create(null) as unknown)),
    fc.tuple(fc.constantFrom(...KEYS), thrownArb).map(([k, [label, t]]) => box(`a null-prototype object whose getter "${k}" throws ${label}`, () => nullProtoWithGetter(k, t))),
    fc.tuple(fc.constantFrom(...HOOKS), thrownArb).map(([[hookLabel, hook], [label, t]]) => box(`an object whose ${hookLabel} throws ${label}`, () => throwingConversion(hook, t))),
    fc.tuple(fc.constantFrom(...TRAPS), fc.boolean(), thrownArb).map(([trap, list, [label, t]]) =>
      box(`a Proxy of ${list ? 'a list' : 'an object'} whose ${trap} trap alone throws ${label}`, () => oneTrapProxy(trap, list ? [1, 2] : { a: 1, kind: 'value' }, t)),
    ),
    fc.constant(box('a revoked Proxy of a function', () => revokedProxy(() => 1))),
    fc.constantFrom(...NUMBERS).map((n) => box(`the number ${Object.is(n, -0) ? '-0' : String(n)}`, () => n)),
    fc.constantFrom(...STRINGS).map((t) => box(`the string ${JSON.stringify(t.slice(0, 20))}${t.length > 20 ? `... (${t.length})` : ''}`, () => t)),
    fc.constantFrom(2n ** 64n, -1n, 0n).map((n) => box(`the bigint ${n}n`, () => n)),
    fc.constant(box('a symbol', () => Symbol('hostile'))),
    fc.constant(box('a function', () => () => 1)),
    // eslint-disable-next-line no-sparse-arrays
    fc.constant(box('a sparse list', () => [1, , 3] as unknown)),
    fc.constant(
      box('a cyclic object', () => {
        const o: Record<string, unknown> = { a: 1, kind: 'value', name: 'x' }
        o['self'] = o
        o['list'] = [o, 1]
        return o
      }),
    ),
    fc.constant(
      box('a list of length 2^32-1', () => {
        const a: unknown[] = []
        a.length = 2 ** 32 - 1
        return a
      }),
    ),
  ), (m) => rethrow(m))

const isPlain = (u: unknown): u is Record<string, unknown> | unknown[] =>
  typeof u === 'object' && u !== null && (Array.isArray(u) || Object.getPrototypeOf(u) === Object.prototype)

/** Every path to a plain object or array inside `value` (the root included), at most `max`. */
const containers = (value: unknown, max = 200): (string | number)[][] => {
  const out: (string | number)[][] = []
  const walk = (v: unknown, path: (string | number)[]): void => {
    if (out.length >= max || !isPlain(v)) return
    out.push(path)
    // a list of 2^32-1 holes is a leaf: forEach would visit every index
    if (Array.isArray(v) && v.length > 10_000) return
    if (Array.isArray(v)) v.forEach((x, i) => walk(x, [...path, i]))
    else for (const [k, x] of Object.entries(v)) walk(x, [...path, k])
  }
  walk(value, [])
  return out
}

const copyWith = (value: unknown, path: readonly (string | number)[], replace: (old: unknown) => unknown): unknown => {
  if (path.length === 0) return replace(value)
  const [head, ...rest] = path
  if (Array.isArray(value)) return value.map((x, i) => (i === head ? copyWith(x, rest, replace) : x))
  const o = value as Record<string, unknown>
  return { ...o, [head as string]: copyWith(o[head as string], rest, replace) }
}

/**
 * `valid` with one hostile thing planted somewhere inside it (boxed, see `Hostile`): a field replaced by a
 * hostile value, a field turned into a throwing getter, or a whole sub-object replaced by a throwing or
 * revoked Proxy. The rest stays valid, so the function under test gets deep before it meets the trap.
 *
 * @example
 * ```ts
 * import fc from 'fast-check'
 * fc.assert(fc.property(hostileWithin({ strategy: { canary: { stepWeight: 10 } } }), (h) => { decodeSpec(h.make()) }))
 * ```
 * @category arbitraries
 */
export const hostileWithin = guarded('hostileWithin', (valid: unknown): fc.Arbitrary<Hostile> => {
  const paths = containers(valid)
  if (paths.length === 0) return hostileValue()
  return fc.tuple(fc.constantFrom(...paths), fc.nat(), hostileValue(), thrownArb, fc.nat({ max: 3 })).map(([path, pick, leaf, [thrownLabel, thrown], how]) => {
    const at = path.length === 0 ? 'the root' : path.join('.')
    const keyOf = (old: unknown): string => {
      const keys = Array.isArray(old) ? old.map((_, i) => String(i)) : Object.keys(old as object)
      return keys.length > 0 ? keys[pick % keys.length]! : 'x'
    }
    const key = keyOf(path.reduce<unknown>((v, k) => (v as Record<string, unknown>)[k as string], valid))
    switch (how) {
      case 0:
        return box(`${at}.${key} is ${leaf.label}`, () =>
          copyWith(valid, path, (old) => (Array.isArray(old) ? old.map((x, i) => (String(i) === key ? leaf.make() : x)) : { ...(old as object), [key]: leaf.make() })),
        )
      case 1:
        return box(`${at}.${key} is a getter that throws ${thrownLabel}`, () => copyWith(valid, path, (old) => throwingGetter(key, thrown, old as object)))
      case 2:
        return box(`${at} is a Proxy whose traps throw ${thrownLabel}`, () => copyWith(valid, path, (old) => throwingProxy(thrown, Array.isArray(old) ? [] : {})))
      default:
        return box(`${at} is a revoked Proxy`, () => copyWith(valid, path, (old) => revokedProxy(Array.isArray(old) ? [] : {})))
    }
  })
}, (m) => rethrow(m))
