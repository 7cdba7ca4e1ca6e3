/**
 * The minimal mathjs instance behind condition metrics. It is built from the `*Dependencies` factories the
 * condition language needs (the parser, arithmetic, comparison and logic operators, a few numeric functions),
 * never from the full default instance: there is no `evaluate`, `createUnit`, `simplify`, unit or matrix
 * constructor to reach from an expression, and a tree-shaking bundler keeps the rest of mathjs out.
 *
 * The instance is module-private state that is never mutated after this module runs: user text only
 * reaches it through `parse`, and the checker in `condition.ts` allows only a fixed set of nodes.
 * Internal module: not part of the public entry.
 *
 * @module
 */
import { describeValue } from '../model/errors.js'
import {
  absDependencies,
  addDependencies,
  andDependencies,
  ceilDependencies,
  create,
  type FactoryFunctionMap,
  type MathJsInstance,
  divideDependencies,
  equalDependencies,
  expDependencies,
  floorDependencies,
  largerDependencies,
  largerEqDependencies,
  log10Dependencies,
  logDependencies,
  maxDependencies,
  meanDependencies,
  minDependencies,
  modDependencies,
  multiplyDependencies,
  notDependencies,
  orDependencies,
  parseDependencies,
  powDependencies,
  roundDependencies,
  smallerDependencies,
  smallerEqDependencies,
  sqrtDependencies,
  subtractDependencies,
  sumDependencies,
  unaryMinusDependencies,
  unaryPlusDependencies,
  unequalDependencies,
  xorDependencies,
} from 'mathjs'

/**
 * The condition sandbox's mathjs instance. `predictable: true` keeps results real (`sqrt(-1)` is NaN, not a
 * complex number). Only `condition.ts` (and tests that check it stays untouched) should use it.
 *
 * @example
 * ```ts
 * const node = build().parse('1 + 1')
 * node.type // 'OperatorNode'
 * ```
 * @category internal
 */
const build = (): MathJsInstance => create(
  {
    parseDependencies,
    addDependencies,
    subtractDependencies,
    multiplyDependencies,
    divideDependencies,
    modDependencies,
    powDependencies,
    unaryMinusDependencies,
    unaryPlusDependencies,
    equalDependencies,
    unequalDependencies,
    smallerDependencies,
    smallerEqDependencies,
    largerDependencies,
    largerEqDependencies,
    andDependencies,
    orDependencies,
    notDependencies,
    xorDependencies,
    absDependencies,
    minDependencies,
    maxDependencies,
    sumDependencies,
    meanDependencies,
    sqrtDependencies,
    roundDependencies,
    floorDependencies,
    ceilDependencies,
    logDependencies,
    log10Dependencies,
    expDependencies,
  } as FactoryFunctionMap,
  { predictable: true },
)

/** Throws the sandbox's evaluation error (caught and typed by `evaluateCondition`). */
const fail = (message: string): never => {
  throw new Error(message)
}

const isNil = (x: unknown): boolean => x === undefined || x === null

const num = (fn: string, x: unknown): number =>
  typeof x === 'number' ? x : fail(`${fn}() expects a number, got ${isNil(x) ? 'nil' : Array.isArray(x) ? 'a vector' : typeof x}`)

const at =
  (base: 0 | 1, nilWhenMissing: boolean) =>
  (vector: unknown, index: unknown): number | undefined => {
    if (!Array.isArray(vector)) return fail(`result is ${isNil(vector) ? 'nil' : 'a number'}, not a vector: it cannot be indexed`)
    if (typeof index !== 'number' || !Number.isInteger(index)) return fail(`index must be an integer, got ${describeValue(index)}`)
    // Argo (expr) counts from 0 and from the end with negative indices; mathjs counts from 1.
    const i = base === 0 ? (index < 0 ? vector.length + index : index) : index - 1
    const v: unknown = i >= 0 && i < vector.length ? vector[i] : undefined
    if (typeof v === 'number') return v
    return nilWhenMissing
      ? undefined
      : fail(`result[${index}] is nil: the vector has ${vector.length} element${vector.length === 1 ? '' : 's'}`)
  }

const truth = (x: unknown): boolean => {
  if (typeof x === 'boolean') return x
  if (typeof x === 'number') return x !== 0 && !Number.isNaN(x)
  return fail(`a logical operator expects a boolean, got ${isNil(x) ? 'nil' : Array.isArray(x) ? 'a vector' : typeof x}`)
}

/**
 * The helper functions the condition language adds to mathjs, under names user text can never spell
 * (identifiers in conditions cannot contain `$`). `condition.ts` rewrites the user's names to these.
 * `undefined` stands for Argo's nil: `result[i]` out of range is an evaluation error, except directly inside
 * `default(...)` / `isNil(...)` where the `...n` accessors return nil. `rk$bool` makes `and` / `or` lazy
 * (rewritten to conditionals), so `len(result) == 0 || result[0] > 1` works on an empty vector as in Argo.
 *
 * @example
 * ```ts
 * conditionHelpers['rk$default'](undefined, 0) // 0
 * conditionHelpers['rk$at1']([1, 2], 1) // 1
 * conditionHelpers['rk$at1n']([], 1) // undefined
 * ```
 * @category internal
 */
export const conditionHelpers = {
  rk$at1: at(1, false),
  rk$at1n: at(1, true),
  rk$bool: truth,
  rk$isNaN: (x: unknown): boolean => Number.isNaN(num('isNaN', x)),
  rk$isInf: (x: unknown, sign?: unknown): boolean => {
    const v = num('isInf', x)
    const s = sign === undefined ? 0 : num('isInf', sign)
    return s > 0 ? v === Infinity : s < 0 ? v === -Infinity : v === Infinity || v === -Infinity
  },
  rk$isNil: (x: unknown): boolean => isNil(x),
  rk$default: (x: unknown, d: unknown): unknown => (isNil(x) || (typeof x === 'number' && Number.isNaN(x)) ? d : x),
  rk$len: (x: unknown): number => (Array.isArray(x) ? x.length : fail(`len() expects a vector, got ${isNil(x) ? 'nil' : typeof x}`)),
  rk$asInt: (x: unknown): number => {
    const v = num('asInt', x)
    return Number.isFinite(v) ? Math.trunc(v) : fail(`asInt() of ${describeValue(v)}`)
  },
  rk$asFloat: (x: unknown): number => num('asFloat', x),
} as const

let instance: MathJsInstance | null = null

/**
 * The condition sandbox's mathjs instance, built on first use (so that importing the library stays cheap
 * for callers without condition metrics) and never mutated afterwards.
 *
 * @example
 * ```ts
 * getConditionMath().parse('1 + 1').type // 'OperatorNode'
 * ```
 * @category internal
 */
export const getConditionMath = (): MathJsInstance => {
  if (instance === null) {
    const m = build()
    m.import(conditionHelpers, { override: false })
    instance = m
  }
  return instance
}
