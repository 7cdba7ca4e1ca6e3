/**
 * The functions a condition may call: Argo's helpers (`isNaN`, `isInf`, `isNil`, `default`, `asInt`,
 * `asFloat`), the expr-lang builtins Argo users write (`len`, `abs`, `ceil`, `floor`, `round`, `min`,
 * `max`, `sum`, `mean`, `median`, `first`, `last`, `upper`, `lower`, `trim`, `int`, `float`, `string`,
 * `keys`, `values`), four numeric extensions kept from earlier versions (`sqrt`, `log`, `log10`, `exp`,
 * `pow`), and the predicates (`all`, `any`, `none`, `one`, `filter`, `map`, `count`), which the evaluator
 * runs itself. Every function checks its argument kinds and fails with a message, never throws out.
 *
 * @module
 */
import type { ExprValue } from './values.js'
import { describeExprValue, isMap, kindOf } from './values.js'

/**
 * A failed evaluation (caught by the evaluator and returned as a `Left`).
 *
 * @example
 * ```ts
 * new EvalFailure('len() expects a list, a map or a string, got 1').message
 * ```
 * @category evaluation
 */
export class EvalFailure {
  constructor(readonly message: string) {}
}
const fail = (message: string): never => {
  throw new EvalFailure(message)
}

/** The predicates: their second argument is evaluated once per element with `#` bound to it. */
export const PREDICATES: ReadonlySet<string> = new Set(['all', 'any', 'none', 'one', 'filter', 'map', 'count'])

const num = (fn: string, x: ExprValue): number => (typeof x === 'number' ? x : fail(`${fn}() expects a number, got ${kindOf(x) === 'list' ? 'a vector' : describeExprValue(x)}`))
const str = (fn: string, x: ExprValue): string => (typeof x === 'string' ? x : fail(`${fn}() expects a string, got ${describeExprValue(x)}`))
const numbers = (fn: string, args: readonly ExprValue[]): number[] => {
  const xs = args.length === 1 && Array.isArray(args[0]) ? (args[0] as readonly ExprValue[]) : args
  return xs.map((x) => num(fn, x))
}
const nonEmpty = (fn: string, xs: number[]): number[] => (xs.length > 0 ? xs : fail(`${fn}() of an empty list`))
const isNil = (x: ExprValue): boolean => x === null

const parseNumber = (fn: string, s: string, integer: boolean): number => {
  const t = s.trim()
  const ok = integer ? /^[+-]?\d+$/.test(t) : /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$|^[+-]?(?:Inf|Infinity|NaN)$/i.test(t)
  if (!ok) fail(`${fn}() cannot convert ${describeExprValue(s)} to a number`)
  return /nan/i.test(t) ? NaN : /inf/i.test(t) ? (t.startsWith('-') ? -Infinity : Infinity) : Number(t)
}

type Fn = (args: readonly ExprValue[]) => ExprValue

/** name -> [min args, max args, implementation]. */
const FUNCTIONS: Readonly<Record<string, readonly [number, number, Fn]>> = {
  isNaN: [1, 1, ([x]) => Number.isNaN(num('isNaN', x ?? null))],
  isInf: [1, 2, ([x, sign]) => {
    const v = num('isInf', x ?? null)
    const s = sign === undefined ? 0 : num('isInf', sign)
    return s > 0 ? v === Infinity : s < 0 ? v === -Infinity : v === Infinity || v === -Infinity
  }],
  isNil: [1, 1, ([x]) => isNil(x ?? null)],
  default: [2, 2, ([x, d]) => (x === null || x === undefined || (typeof x === 'number' && Number.isNaN(x)) ? (d ?? null) : x)],
  asInt: [1, 1, ([x]) => {
    const v = typeof x === 'string' ? parseNumber('asInt', x, true) : num('asInt', x ?? null)
    return Number.isFinite(v) ? Math.trunc(v) : fail(`asInt() of ${describeExprValue(v)}`)
  }],
  asFloat: [1, 1, ([x]) => (typeof x === 'string' ? parseNumber('asFloat', x, false) : num('asFloat', x ?? null))],
  len: [1, 1, ([x]) => {
    if (typeof x === 'string') return [...x].length
    if (Array.isArray(x)) return x.length
    if (x !== undefined && x !== null && isMap(x)) return x.size
    return fail(`len() expects a list, a map or a string, got ${describeExprValue(x ?? null)}`)
  }],
  abs: [1, 1, ([x]) => Math.abs(num('abs', x ?? null))],
  ceil: [1, 1, ([x]) => Math.ceil(num('ceil', x ?? null))],
  floor: [1, 1, ([x]) => Math.floor(num('floor', x ?? null))],
  round: [1, 2, ([x, d]) => {
    const v = num('round', x ?? null)
    const digits = d === undefined ? 0 : num('round', d)
    if (!Number.isInteger(digits) || digits < 0 || digits > 15) fail('round() takes 0 to 15 digits')
    const f = 10 ** digits
    return Math.round((v + Math.sign(v) * Number.EPSILON) * f) / f
  }],
  min: [1, 64, (args) => Math.min(...nonEmpty('min', numbers('min', args)))],
  max: [1, 64, (args) => Math.max(...nonEmpty('max', numbers('max', args)))],
  sum: [1, 64, (args) => numbers('sum', args).reduce((a, b) => a + b, 0)],
  mean: [1, 64, (args) => {
    const xs = nonEmpty('mean', numbers('mean', args))
    return xs.reduce((a, b) => a + b, 0) / xs.length
  }],
  median: [1, 64, (args) => {
    const xs = nonEmpty('median', numbers('median', args)).sort((a, b) => a - b)
    const m = Math.floor(xs.length / 2)
    return xs.length % 2 === 1 ? (xs[m] as number) : ((xs[m - 1] as number) + (xs[m] as number)) / 2
  }],
  sqrt: [1, 1, ([x]) => Math.sqrt(num('sqrt', x ?? null))],
  log: [1, 2, ([x, b]) => (b === undefined ? Math.log(num('log', x ?? null)) : Math.log(num('log', x ?? null)) / Math.log(num('log', b)))],
  log10: [1, 1, ([x]) => Math.log10(num('log10', x ?? null))],
  exp: [1, 1, ([x]) => Math.exp(num('exp', x ?? null))],
  pow: [2, 2, ([x, y]) => num('pow', x ?? null) ** num('pow', y ?? null)],
  first: [1, 1, ([x]) => (Array.isArray(x) ? ((x as readonly ExprValue[])[0] ?? null) : fail(`first() expects a list, got ${describeExprValue(x ?? null)}`))],
  last: [1, 1, ([x]) => (Array.isArray(x) ? ((x as readonly ExprValue[])[x.length - 1] ?? null) : fail(`last() expects a list, got ${describeExprValue(x ?? null)}`))],
  upper: [1, 1, ([x]) => str('upper', x ?? null).toUpperCase()],
  lower: [1, 1, ([x]) => str('lower', x ?? null).toLowerCase()],
  trim: [1, 1, ([x]) => str('trim', x ?? null).trim()],
  int: [1, 1, ([x]) => {
    const v = typeof x === 'string' ? parseNumber('int', x, true) : num('int', x ?? null)
    return Number.isFinite(v) ? Math.trunc(v) : fail(`int() of ${describeExprValue(v)}`)
  }],
  float: [1, 1, ([x]) => (typeof x === 'string' ? parseNumber('float', x, false) : num('float', x ?? null))],
  string: [1, 1, ([x]) => {
    const v = x ?? null
    return typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : v === null ? 'nil' : fail(`string() of ${describeExprValue(v)}`)
  }],
  keys: [1, 1, ([x]) => (x !== undefined && x !== null && isMap(x) ? Object.freeze([...x.keys()].sort()) : fail(`keys() expects a map, got ${describeExprValue(x ?? null)}`))],
  values: [1, 1, ([x]) => (x !== undefined && x !== null && isMap(x) ? Object.freeze([...x.keys()].sort().map((k) => x.get(k) ?? null)) : fail(`values() expects a map, got ${describeExprValue(x ?? null)}`))],
}

/**
 * Arity of every callable (non-predicate) function: name -> [min, max].
 *
 * @example
 * ```ts
 * FUNCTION_ARITY['default'] // [2, 2]
 * ```
 * @category evaluation
 */
export const FUNCTION_ARITY: Readonly<Record<string, readonly [number, number]>> = Object.freeze(
  Object.fromEntries(Object.entries(FUNCTIONS).map(([k, [min, max]]) => [k, [min, max] as const])),
)

/** Functions whose first argument may be nil where nil would otherwise be an error (`default`, `isNil`). */
export const NIL_TOLERANT: ReadonlySet<string> = new Set(['default', 'isNil'])

/**
 * Calls an allow-listed function (the parser has checked the name and the arity).
 *
 * @example
 * ```ts
 * callBuiltin('len', [[1, 2]]) // 2
 * ```
 * @category evaluation
 */
export const callBuiltin = (name: string, args: readonly ExprValue[]): ExprValue => {
  const f = Object.prototype.hasOwnProperty.call(FUNCTIONS, name) ? FUNCTIONS[name] : undefined
  return f === undefined ? fail(`function '${name}' is not allowed`) : f[2](args)
}
