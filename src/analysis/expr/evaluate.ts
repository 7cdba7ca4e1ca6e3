/**
 * The evaluator of checked Argo conditions. It walks the tree of `parser.ts` over values imported by
 * `values.ts`, charging one step per node and per element a predicate, an `in` or an equality visits;
 * past {@link EVAL_LIMITS}`.maxSteps` the evaluation stops with an error. Type errors, nil where a value is
 * needed and an index out of range are errors with a message. Never throws.
 *
 * Nil tolerance: inside `default(x, d)`, `isNil(x)` and on the left of `x ?? d`, an index out of range or
 * a field of nil gives nil instead of an error (so `default(result[0], 0)` works on an empty vector).
 *
 * @module
 */
import * as E from 'fp-ts/lib/Either.js'
import type { ExprNode } from './ast.js'
import { callBuiltin, EvalFailure, NIL_TOLERANT } from './builtins.js'
import type { ExprValue } from './values.js'
import { describeExprValue, exprEqual, isMap, kindOf } from './values.js'

/** Work limit per evaluation. */
export const EVAL_LIMITS = { maxSteps: 1_000_000 } as const

interface Ctx {
  readonly result: ExprValue
  readonly budget: { steps: number }
  /** the current element inside predicates, innermost last */
  readonly pointers: ExprValue[]
}

const fail = (message: string): never => {
  throw new EvalFailure(message)
}
const tick = (ctx: Ctx, n = 1): void => {
  ctx.budget.steps -= n
  if (ctx.budget.steps < 0) fail(`the condition took more than ${EVAL_LIMITS.maxSteps.toLocaleString('en-US')} steps`)
}

const bool = (what: string, v: ExprValue): boolean => (typeof v === 'boolean' ? v : fail(`${what} expects a boolean, got ${describeExprValue(v)}`))
const list = (what: string, v: ExprValue): readonly ExprValue[] => (Array.isArray(v) ? (v as readonly ExprValue[]) : fail(`${what} expects a list, got ${describeExprValue(v)}`))

const nameOf = (n: ExprNode): string => {
  if (n.k === 'result') return 'result'
  if (n.k === 'pointer') return '#'
  if (n.k === 'member') {
    const base = nameOf(n.obj)
    return n.key.k === 'lit' && typeof n.key.v === 'string' ? `${base}.${n.key.v}` : n.key.k === 'lit' ? `${base}[${describeExprValue(n.key.v)}]` : `${base}[...]`
  }
  return 'the value'
}

const member = (ctx: Ctx, n: Extract<ExprNode, { k: 'member' }>, tolerant: boolean): ExprValue => {
  const obj = evalNode(ctx, n.obj, tolerant)
  const key = evalNode(ctx, n.key, false)
  if (obj === null) {
    if (n.optional || tolerant) return null
    return fail(`${nameOf(n.obj)} is nil: cannot read ${typeof key === 'string' ? `'${key}'` : `[${describeExprValue(key)}]`} of it (use ?. or ??)`)
  }
  if (Array.isArray(obj)) {
    const xs = obj as readonly ExprValue[]
    if (typeof key !== 'number' || !Number.isInteger(key)) return fail(`index must be an integer, got ${describeExprValue(key)}`)
    // expr counts from 0, and from the end with negative indices
    const i = key < 0 ? xs.length + key : key
    if (i >= 0 && i < xs.length) return xs[i] ?? null
    if (n.optional || tolerant) return null
    return fail(`${nameOf(n.obj)}[${key}] is nil: the vector has ${xs.length} element${xs.length === 1 ? '' : 's'}`)
  }
  if (isMap(obj)) {
    if (typeof key !== 'string') return fail(`a map is indexed by a string, got ${describeExprValue(key)}`)
    return obj.has(key) ? (obj.get(key) ?? null) : null
  }
  if (typeof obj === 'string' && typeof key === 'number' && Number.isInteger(key)) {
    const chars = [...obj]
    const i = key < 0 ? chars.length + key : key
    return i >= 0 && i < chars.length ? (chars[i] ?? null) : n.optional || tolerant ? null : fail(`index ${key} out of range for a string of ${chars.length}`)
  }
  return fail(`${nameOf(n.obj)} is ${obj === null ? 'nil' : kindOf(obj) === 'number' ? 'a number' : `a ${kindOf(obj)}`}, not a vector or a map: it cannot be indexed`)
}

const order = (op: string, a: ExprValue, b: ExprValue): boolean => {
  if (!((typeof a === 'number' && typeof b === 'number') || (typeof a === 'string' && typeof b === 'string'))) {
    fail(`'${op}' compares two numbers or two strings, got ${describeExprValue(a)} and ${describeExprValue(b)}`)
  }
  const x = a as number
  const y = b as number
  return op === '<' ? x < y : op === '>' ? x > y : op === '<=' ? x <= y : x >= y
}

const arith = (op: string, a: ExprValue, b: ExprValue): ExprValue => {
  if (op === '+' && typeof a === 'string' && typeof b === 'string') return a + b
  if (typeof a !== 'number' || typeof b !== 'number') return fail(`'${op}' expects two numbers${op === '+' ? ' or two strings' : ''}, got ${describeExprValue(a)} and ${describeExprValue(b)}`)
  switch (op) {
    case '+':
      return a + b
    case '-':
      return a - b
    case '*':
      return a * b
    case '/':
      return a / b
    case '%':
      return a % b
    default:
      return a ** b
  }
}

const stringOp = (ctx: Ctx, op: string, a: ExprValue, b: ExprValue, n: Extract<ExprNode, { k: 'binary' }>): boolean => {
  const base = op.replace(/^not /, '')
  if (typeof a !== 'string' || typeof b !== 'string') return fail(`'${base}' expects two strings, got ${describeExprValue(a)} and ${describeExprValue(b)}`)
  tick(ctx, Math.ceil((a.length + b.length) / 64))
  let r: boolean
  if (base === 'contains') r = a.includes(b)
  else if (base === 'startsWith') r = a.startsWith(b)
  else if (base === 'endsWith') r = a.endsWith(b)
  else {
    // linear in the subject (RE2), charged above with the other string operators
    r = n.re === undefined ? fail('matches: no compiled pattern') : n.re.test(a)
  }
  return op.startsWith('not ') ? !r : r
}

const membership = (ctx: Ctx, a: ExprValue, b: ExprValue): boolean => {
  if (Array.isArray(b)) {
    for (const x of b as readonly ExprValue[]) {
      tick(ctx)
      if (exprEqual(a, x, ctx.budget)) return true
    }
    return false
  }
  if (b !== null && isMap(b)) {
    if (typeof a !== 'string') return fail(`'in' on a map expects a string key, got ${describeExprValue(a)}`)
    return b.has(a)
  }
  return fail(`'in' expects a list or a map on its right, got ${describeExprValue(b)}`)
}

const binary = (ctx: Ctx, n: Extract<ExprNode, { k: 'binary' }>): ExprValue => {
  const op = n.op
  if (op === '&&') return bool("'&&'", evalNode(ctx, n.a, false)) ? bool("'&&'", evalNode(ctx, n.b, false)) : false
  if (op === '||') return bool("'||'", evalNode(ctx, n.a, false)) ? true : bool("'||'", evalNode(ctx, n.b, false))
  if (op === '??') {
    const a = evalNode(ctx, n.a, true)
    return a === null ? evalNode(ctx, n.b, false) : a
  }
  const a = evalNode(ctx, n.a, false)
  const b = evalNode(ctx, n.b, false)
  switch (op) {
    case '==':
      return exprEqual(a, b, ctx.budget)
    case '!=':
      return !exprEqual(a, b, ctx.budget)
    case '<':
    case '>':
    case '<=':
    case '>=':
      return order(op, a, b)
    case 'in':
      return membership(ctx, a, b)
    case 'not in':
      return !membership(ctx, a, b)
    case '+':
    case '-':
    case '*':
    case '/':
    case '%':
    case '**':
      return arith(op, a, b)
    default:
      return stringOp(ctx, op, a, b, n)
  }
}

const predicate = (ctx: Ctx, n: Extract<ExprNode, { k: 'predicate' }>): ExprValue => {
  const xs = list(`${n.fn}()`, evalNode(ctx, n.arr, false))
  const what = `the predicate of ${n.fn}()`
  const each = (x: ExprValue): ExprValue => {
    tick(ctx)
    ctx.pointers.push(x)
    try {
      return evalNode(ctx, n.body, false)
    } finally {
      ctx.pointers.pop()
    }
  }
  switch (n.fn) {
    case 'all':
      for (const x of xs) if (!bool(what, each(x))) return false
      return true
    case 'any':
      for (const x of xs) if (bool(what, each(x))) return true
      return false
    case 'none':
      for (const x of xs) if (bool(what, each(x))) return false
      return true
    case 'one': {
      let k = 0
      for (const x of xs) if (bool(what, each(x)) && ++k > 1) return false
      return k === 1
    }
    case 'count': {
      let k = 0
      for (const x of xs) if (bool(what, each(x))) k++
      return k
    }
    case 'filter':
      return Object.freeze(xs.filter((x) => bool(what, each(x))))
    default:
      return Object.freeze(xs.map(each))
  }
}

const evalNode = (ctx: Ctx, n: ExprNode, tolerant: boolean): ExprValue => {
  tick(ctx)
  switch (n.k) {
    case 'lit':
      return n.v
    case 'array':
      return Object.freeze(n.items.map((x) => evalNode(ctx, x, false)))
    case 'result':
      return ctx.result
    case 'pointer':
      return ctx.pointers[ctx.pointers.length - 1] ?? null
    case 'member':
      return member(ctx, n, tolerant)
    case 'unary': {
      const x = evalNode(ctx, n.x, false)
      if (n.op === '!') return !bool("'!' / 'not'", x)
      if (typeof x !== 'number') return fail(`unary '${n.op}' expects a number, got ${describeExprValue(x)}`)
      return n.op === '-' ? -x : x
    }
    case 'binary':
      return binary(ctx, n)
    case 'chain': {
      let left = evalNode(ctx, n.xs[0] as ExprNode, false)
      for (let i = 1; i < n.xs.length; i++) {
        const right = evalNode(ctx, n.xs[i] as ExprNode, false)
        if (!order(n.ops[i - 1] ?? '<', left, right)) return false
        left = right
      }
      return true
    }
    case 'cond':
      return bool("'? :'", evalNode(ctx, n.c, false)) ? evalNode(ctx, n.y, false) : evalNode(ctx, n.n, false)
    case 'call': {
      const args = n.args.map((a, i) => evalNode(ctx, a, i === 0 && NIL_TOLERANT.has(n.fn)))
      return callBuiltin(n.fn, args)
    }
    case 'predicate':
      return predicate(ctx, n)
  }
}

/**
 * Evaluates a checked tree on an imported `result`. `Right(value)` or `Left(message)`. Never throws.
 *
 * @example
 * ```ts
 * import * as E from 'fp-ts/lib/Either.js'
 * import { parseExpr } from './parser.js'
 * const t = parseExpr('all(result, # < 1000)')
 * E.isRight(t) && evaluateExpr(t.right, [12, 999]) // Right(true)
 * ```
 * @category evaluation
 */
export const evaluateExpr = (tree: ExprNode, result: ExprValue): E.Either<string, ExprValue> => {
  const ctx: Ctx = { result, budget: { steps: EVAL_LIMITS.maxSteps }, pointers: [] }
  try {
    return E.right(evalNode(ctx, tree, false))
  } catch (e) {
    if (e instanceof EvalFailure) return E.left(e.message)
    return E.left(`the condition could not be evaluated (${e instanceof RangeError ? 'too deep' : 'internal error'})`)
  }
}
