/**
 * Success / failure conditions in two sandboxes, one per dialect.
 *
 * `argo`: the expr-lang subset Argo users write (strings, JSON results, predicates, `??`, `matches` ...),
 * parsed by the project's own parser (`expr/parser.ts`: it builds only allow-listed nodes), evaluated by
 * `expr/evaluate.ts` over a plain-data copy of `result` with step, size and depth limits. See
 * docs/conditions.md for the grammar and every refused form.
 *
 * `mathjs`: numeric conditions in mathjs syntax, in a mathjs sandbox:
 *
 * A condition is checked and compiled once, at decode time (the decoded spec carries it compiled;
 * `checkCondition`, for callers that hold only the text, memoises by dialect and text), and then evaluated against each measurement's `result` (a number or a vector of numbers):
 *
 * 1. length limit ({@link CONDITION_LIMITS}), then the tokenizer of `mathjsTokens.ts` refuses characters
 *    that can only lead to refused constructs (Argo's `&&`, `||`, `!` with the mathjs spelling to use);
 * 2. the minimal mathjs instance parses the text (no `evaluate` is ever called on user text);
 * 3. the checker walks the tree and REBUILDS it from an allow-list: numeric and boolean constants, the
 *    symbols `result`, `true`, `false`, `NaN`, `Infinity`, `pi`, `e`, parentheses, arithmetic /
 *    comparison / logic operators, conditionals, `result[i]` (through a checked 1-based accessor) and calls of allow-listed functions. Everything else (assignments, function definitions,
 *    blocks, objects, ranges, matrices, strings, units, any other name such as `createUnit`, `import`,
 *    `evaluate`, `parse`, `simplify`) is refused with its position;
 * 4. the rebuilt tree is compiled once; `evaluateCondition` runs it with a fresh scope holding only a
 *    frozen copy of `result` and requires a boolean.
 *
 * @module
 */
import { describeValue } from '../model/errors.js'
import { thrownMessage } from '../model/thrown.js'
import * as E from 'fp-ts/lib/Either.js'
import type { MathNode } from 'mathjs'
import type { ConditionJudgeSpec } from '../model/metricSpec.js'
import { joinPath, specError } from '../model/errors.js'
import type { SpecError } from '../model/errors.js'
import { conditionError } from './conditionError.js'
import { translateCondition } from './mathjsTokens.js'
import type { ConditionDialect, ConditionError } from './conditionError.js'
import type { ConditionToken, TranslatedCondition } from './mathjsTokens.js'
import { getConditionMath } from './mathjsInstance.js'
import type { SampleValue } from '../model/observation.js'
import { printExpr } from './expr/ast.js'
import { evaluateExpr } from './expr/evaluate.js'
import { parseExpr } from './expr/parser.js'
import { describeExprValue, importValue } from './expr/values.js'

export type { ConditionDialect, ConditionError } from './conditionError.js'

import { CONDITION_LIMITS } from './conditionLimits.js'

export { CONDITION_LIMITS } from './conditionLimits.js'

/**
 * A checked and compiled condition. Build it with {@link checkCondition}; run it with
 * {@link evaluateCondition}. `expression` is the rebuilt tree printed in mathjs syntax (for messages).
 *
 * @example
 * ```ts
 * import * as E from 'fp-ts/lib/Either.js'
 * const c = checkCondition('result[0] >= 0.95', 'argo')
 * if (E.isRight(c)) console.log(c.right.text, c.right.dialect)
 * ```
 * @category model
 */
export interface CompiledCondition {
  readonly text: string
  readonly dialect: ConditionDialect
  readonly expression: string
  /** @internal the compiled evaluator; call {@link evaluateCondition} instead. */
  readonly run: (result: unknown) => E.Either<string, unknown>
}

/** The value a condition sees as `result`. */
type ResultValue = SampleValue

// ---------------------------------------------------------------------------------------------------------
// allow-lists
// ---------------------------------------------------------------------------------------------------------

/** Argo's helpers and the numeric functions allowed in conditions: name -> [min args, max args, target]. */
const FUNCTIONS: Readonly<Record<string, readonly [number, number, string]>> = {
  isNaN: [1, 1, 'rk$isNaN'],
  isInf: [1, 2, 'rk$isInf'],
  isNil: [1, 1, 'rk$isNil'],
  default: [2, 2, 'rk$default'],
  len: [1, 1, 'rk$len'],
  asInt: [1, 1, 'rk$asInt'],
  asFloat: [1, 1, 'rk$asFloat'],
  abs: [1, 1, 'abs'],
  min: [1, 64, 'min'],
  max: [1, 64, 'max'],
  sum: [1, 64, 'sum'],
  mean: [1, 64, 'mean'],
  sqrt: [1, 1, 'sqrt'],
  round: [1, 2, 'round'],
  floor: [1, 1, 'floor'],
  ceil: [1, 1, 'ceil'],
  log: [1, 2, 'log'],
  log10: [1, 1, 'log10'],
  exp: [1, 1, 'exp'],
  pow: [2, 2, 'pow'],
}

/** Functions whose direct `result[i]` argument may be nil instead of an error. */
const NIL_TOLERANT = new Set(['default', 'isNil'])

const CONSTANT_SYMBOLS: Readonly<Record<string, number>> = { pi: Math.PI, e: Math.E }

const OPERATORS = new Set([
  'add',
  'subtract',
  'multiply',
  'divide',
  'mod',
  'pow',
  'unaryMinus',
  'unaryPlus',
  'equal',
  'unequal',
  'smaller',
  'smallerEq',
  'larger',
  'largerEq',
  'and',
  'or',
  'not',
  'xor',
])

const COMPARISONS = new Set(['equal', 'unequal', 'smaller', 'smallerEq', 'larger', 'largerEq'])

/** Every name a condition may write, for the token pre-check. */
const NAMES = new Set([
  'result',
  'true',
  'false',
  'NaN',
  'Infinity',
  'and',
  'or',
  'not',
  'xor',
  ...Object.keys(CONSTANT_SYMBOLS),
  ...Object.keys(FUNCTIONS),
])

// ---------------------------------------------------------------------------------------------------------
// node construction (the mathjs constructor types are generic-heavy; this is the shape used here)
// ---------------------------------------------------------------------------------------------------------

interface Ctors {
  readonly ConstantNode: new (value: number | boolean) => MathNode
  readonly SymbolNode: new (name: string) => MathNode
  readonly ParenthesisNode: new (content: MathNode) => MathNode
  readonly ConditionalNode: new (test: MathNode, yes: MathNode, no: MathNode) => MathNode
  readonly FunctionNode: new (fn: MathNode, args: MathNode[]) => MathNode
  readonly OperatorNode: new (op: string, fn: string, args: MathNode[], implicit?: boolean, isPercentage?: boolean) => MathNode
  readonly RelationalNode: new (conditionals: string[], params: MathNode[]) => MathNode
}
const ctors = (): Ctors => getConditionMath() as unknown as Ctors

/** A parsed node, read structurally (fields as mathjs sets them). */
interface Parsed {
  readonly type: string
  readonly value?: unknown
  readonly name?: string
  readonly op?: string
  readonly fn?: unknown
  readonly args?: readonly unknown[]
  readonly implicit?: boolean
  readonly isPercentage?: boolean
  readonly content?: unknown
  readonly condition?: unknown
  readonly trueExpr?: unknown
  readonly falseExpr?: unknown
  readonly conditionals?: readonly unknown[]
  readonly params?: readonly unknown[]
  readonly object?: unknown
  readonly index?: unknown
  readonly dimensions?: readonly unknown[]
  readonly dotNotation?: boolean
  readonly optional?: boolean
  readonly optionalChaining?: boolean
}

const asParsed = (x: unknown): Parsed | null =>
  typeof x === 'object' && x !== null && typeof (x as { type?: unknown }).type === 'string' ? (x as Parsed) : null

const call = (name: string, args: MathNode[]): MathNode => new (ctors().FunctionNode)(new (ctors().SymbolNode)(name), args)

// ---------------------------------------------------------------------------------------------------------
// checking and rebuilding
// ---------------------------------------------------------------------------------------------------------

interface Ctx {
  readonly tr: TranslatedCondition
  nodes: number
}

/** Offset (in the author's text) of the first token satisfying `pred`, or null. */
const tokenPos = (tokens: readonly ConditionToken[], pred: (t: ConditionToken, i: number) => boolean): number | null =>
  tokens.find(pred)?.pos ?? null

const refuse = (ctx: Ctx, message: string, pred?: (t: ConditionToken, i: number) => boolean): E.Either<ConditionError, MathNode> =>
  E.left(conditionError(pred ? tokenPos(ctx.tr.tokens, pred) : null, message))

/** A `[` that does not directly follow the name `result` (a vector literal or an index on something else). */
const strayBracket =
  (ctx: Ctx) =>
  (t: ConditionToken, i: number): boolean => {
    const prev = ctx.tr.tokens[i - 1]
    return t.text === '[' && !(prev?.kind === 'ident' && prev.text === 'result')
  }

const REFUSED_NODES: Readonly<Record<string, readonly [string, string | null]>> = {
  AssignmentNode: ['assignment is not allowed', '='],
  FunctionAssignmentNode: ['function definitions are not allowed', '='],
  BlockNode: ['only one expression is allowed', null],
  ObjectNode: ['object literals are not allowed', null],
  RangeNode: ['ranges are not allowed', ':'],
  ArrayNode: ['vector literals are not allowed (only result is a vector)', '['],
  IndexNode: ['indexing is only allowed on result', '['],
}

const rebuildAll = (ctx: Ctx, xs: readonly unknown[] | undefined): E.Either<ConditionError, MathNode[]> => {
  const out: MathNode[] = []
  for (const x of xs ?? []) {
    const r = rebuild(ctx, x)
    if (E.isLeft(r)) return r
    out.push(r.right)
  }
  return E.right(out)
}

/** `result[i]` through the checked accessor (nil-tolerant directly inside default / isNil). */
const rebuildAccessor = (ctx: Ctx, n: Parsed, nilTolerant: boolean): E.Either<ConditionError, MathNode> => {
  const object = asParsed(n.object)
  const index = asParsed(n.index)
  if (object?.type !== 'SymbolNode' || object.name !== 'result') {
    return refuse(ctx, 'indexing is only allowed on result', strayBracket(ctx))
  }
  if (index === null || index.dotNotation === true || n.optionalChaining === true || index.dimensions?.length !== 1) {
    return refuse(ctx, 'result takes exactly one index, as in result[0]', (t) => t.text === '[')
  }
  const dim = rebuild(ctx, index.dimensions[0])
  if (E.isLeft(dim)) return dim
  return E.right(call(`rk$at1${nilTolerant ? 'n' : ''}`, [new (ctors().SymbolNode)('result'), dim.right]))
}

const rebuildFunction = (ctx: Ctx, n: Parsed): E.Either<ConditionError, MathNode> => {
  const fn = asParsed(n.fn)
  if (fn?.type !== 'SymbolNode' || typeof fn.name !== 'string') {
    return refuse(ctx, 'only named functions can be called', (t) => t.text === '(')
  }
  const name = fn.name
  const spec = Object.prototype.hasOwnProperty.call(FUNCTIONS, name) ? FUNCTIONS[name] : undefined
  const at = (t: ConditionToken): boolean => t.kind === 'ident' && t.text === name
  if (spec === undefined) return refuse(ctx, `function '${name}' is not allowed`, at)
  if (n.optional === true) return refuse(ctx, 'optional calls are not allowed', at)
  const [min, max, target] = spec
  const argc = n.args?.length ?? 0
  if (argc < min || argc > max) {
    const want = min === max ? `${min}` : max >= 64 ? `at least ${min}` : `${min} or ${max}`
    return refuse(ctx, `${name}() takes ${want} argument${want === '1' ? '' : 's'}, got ${argc}`, at)
  }
  const args: MathNode[] = []
  for (const a of n.args ?? []) {
    const p = asParsed(a)
    const r =
      NIL_TOLERANT.has(name) && args.length === 0 && p?.type === 'AccessorNode'
        ? (ctx.nodes++, rebuildAccessor(ctx, p, true))
        : rebuild(ctx, a)
    if (E.isLeft(r)) return r
    args.push(r.right)
  }
  return E.right(call(target, args))
}

const rebuild = (ctx: Ctx, x: unknown): E.Either<ConditionError, MathNode> => {
  ctx.nodes++
  if (ctx.nodes > CONDITION_LIMITS.maxNodes) {
    return E.left(conditionError(null, `condition has more than ${CONDITION_LIMITS.maxNodes} syntax nodes`))
  }
  const n = asParsed(x)
  if (n === null) return refuse(ctx, 'unexpected syntax')
  switch (n.type) {
    case 'ConstantNode': {
      if (typeof n.value === 'number' || typeof n.value === 'boolean') return E.right(new (ctors().ConstantNode)(n.value))
      const shown = n.value === null ? 'null' : n.value === undefined ? 'undefined' : typeof n.value
      return refuse(ctx, `constant ${shown} is not allowed (only numbers and true / false)`)
    }
    case 'SymbolNode': {
      const name = n.name ?? ''
      if (name === 'result') return E.right(new (ctors().SymbolNode)('result'))
      const c = Object.prototype.hasOwnProperty.call(CONSTANT_SYMBOLS, name) ? CONSTANT_SYMBOLS[name] : undefined
      if (c !== undefined) return E.right(new (ctors().ConstantNode)(c))
      const hint = Object.prototype.hasOwnProperty.call(FUNCTIONS, name) ? ` (${name} is a function: call it)` : ''
      return refuse(ctx, `unknown name '${name}'${hint}`, (t) => t.kind === 'ident' && t.text === name)
    }
    case 'ParenthesisNode': {
      const r = rebuild(ctx, n.content)
      return E.isLeft(r) ? r : E.right(new (ctors().ParenthesisNode)(r.right))
    }
    case 'ConditionalNode': {
      const r = rebuildAll(ctx, [n.condition, n.trueExpr, n.falseExpr])
      if (E.isLeft(r)) return r
      const [c, y, f] = r.right
      return c && y && f ? E.right(new (ctors().ConditionalNode)(call('rk$bool', [c]), y, f)) : refuse(ctx, 'malformed conditional')
    }
    case 'OperatorNode': {
      const fn = typeof n.fn === 'string' ? n.fn : ''
      const op = n.op ?? fn
      if (!OPERATORS.has(fn)) {
        return refuse(ctx, `operator '${op}' is not allowed`, (t) => t.text === op)
      }
      const r = rebuildAll(ctx, n.args)
      if (E.isLeft(r)) return r
      const [a, b] = r.right
      // and / or evaluate lazily, as Argo's && / || do: len(result) == 0 || result[0] > 1
      if (fn === 'and' && a && b) return E.right(new (ctors().ConditionalNode)(call('rk$bool', [a]), call('rk$bool', [b]), new (ctors().ConstantNode)(false)))
      if (fn === 'or' && a && b) return E.right(new (ctors().ConditionalNode)(call('rk$bool', [a]), new (ctors().ConstantNode)(true), call('rk$bool', [b])))
      return E.right(new (ctors().OperatorNode)(op, fn, r.right, n.implicit === true, n.isPercentage === true))
    }
    case 'RelationalNode': {
      const conds = (n.conditionals ?? []).map((c) => String(c))
      if (!conds.every((c) => COMPARISONS.has(c))) return refuse(ctx, 'comparison not allowed')
      const r = rebuildAll(ctx, n.params)
      return E.isLeft(r) ? r : E.right(new (ctors().RelationalNode)(conds, r.right))
    }
    case 'AccessorNode':
      return rebuildAccessor(ctx, n, false)
    case 'FunctionNode':
      return rebuildFunction(ctx, n)
    default: {
      const known = REFUSED_NODES[n.type]
      if (known === undefined) return refuse(ctx, `${n.type} is not allowed`)
      const [message, token] = known
      if (token === '[') return refuse(ctx, message, strayBracket(ctx))
      return refuse(ctx, message, token === null ? undefined : (t) => t.text === token)
    }
  }
}

// ---------------------------------------------------------------------------------------------------------
// check (memoised) and evaluate
// ---------------------------------------------------------------------------------------------------------

const CACHE_SIZE = 256
const cache = new Map<string, E.Either<ConditionError, CompiledCondition>>()

const remember = (key: string, value: E.Either<ConditionError, CompiledCondition>): E.Either<ConditionError, CompiledCondition> => {
  if (cache.size >= CACHE_SIZE) {
    const oldest = cache.keys().next()
    if (oldest.done !== true) cache.delete(oldest.value)
  }
  cache.set(key, value)
  return value
}

/** What was thrown, as text; never throws (a revoked Proxy makes `instanceof` throw). */
const errorText = (e: unknown): string => thrownMessage(e)

const compile = (text: string, dialect: ConditionDialect): E.Either<ConditionError, CompiledCondition> => {
  if (text.length > CONDITION_LIMITS.maxLength) {
    return E.left(conditionError(CONDITION_LIMITS.maxLength, `condition is longer than ${CONDITION_LIMITS.maxLength} characters (${text.length})`))
  }
  if (text.trim() === '') return E.left(conditionError(null, 'condition is empty'))
  if (dialect === 'argo') return compileArgo(text)
  const translated = translateCondition(text)
  if (E.isLeft(translated)) return translated
  const tr = translated.right
  // Names are checked on tokens first, so that refusals point at the exact character.
  const unknown = tr.tokens.find((t) => t.kind === 'ident' && !NAMES.has(t.text))
  if (unknown !== undefined) {
    return E.left(conditionError(unknown.pos, `unknown name '${unknown.text}' (allowed: result, true, false, NaN, Infinity, pi, e and the functions ${Object.keys(FUNCTIONS).join(', ')})`))
  }
  let parsed: unknown
  try {
    parsed = getConditionMath().parse(tr.text)
  } catch (e) {
    const char = (e as { char?: unknown }).char
    const at = typeof char === 'number' && char >= 1 ? (tr.positions[char - 1] ?? text.length) : null
    const message = errorText(e).replace(/\s*\(char \d+\)$/, '')
    return E.left(conditionError(at, `syntax error: ${message}`))
  }
  const ctx: Ctx = { tr, nodes: 0 }
  const rebuilt = rebuild(ctx, parsed)
  if (E.isLeft(rebuilt)) return rebuilt
  try {
    const compiled = rebuilt.right.compile()
    const expression = rebuilt.right.toString()
    const run = (result: unknown): E.Either<string, unknown> => {
      // the caller's value is read once, through the guarded copy (no getter, trap or toString runs)
      const imported = importValue(result)
      if (!imported.ok) return E.left(imported.message)
      const value = imported.value
      if (typeof value !== 'number' && !(Array.isArray(value) && value.every((x) => typeof x === 'number'))) {
        return E.left(`result must be a number or a vector of numbers in the mathjs dialect, got ${describeExprValue(value)}`)
      }
      try {
        return E.right(compiled.evaluate(new Map<string, unknown>([['result', value]])))
      } catch (e) {
        return E.left(errorText(e))
      }
    }
    return E.right(Object.freeze({ text, dialect, expression, run }))
  } catch (e) {
    return E.left(conditionError(null, `cannot compile: ${errorText(e)}`))
  }
}

/** The argo dialect: the expr-lang subset (own parser, allow-listed tree, step-limited evaluator). */
const compileArgo = (text: string): E.Either<ConditionError, CompiledCondition> => {
  const tree = parseExpr(text)
  if (E.isLeft(tree)) return tree
  const t = tree.right
  const run = (result: unknown): E.Either<string, unknown> => {
    const imported = importValue(result)
    if (!imported.ok) return E.left(imported.message)
    const out = evaluateExpr(t, imported.value)
    return E.isLeft(out) ? out : E.right(out.right)
  }
  return E.right(Object.freeze({ text, dialect: 'argo' as const, expression: printExpr(t), run }))
}

/**
 * Checks condition text and compiles it, or says what is wrong and where: {@link checkCondition} without
 * its memo, so that nothing outside the caller keeps the result. `decodeSpec` compiles a spec's conditions
 * with it and the spec carries them (config/specIndex.ts); the engine evaluates those. Never throws,
 * whatever the input.
 *
 * @example
 * ```ts
 * import * as E from 'fp-ts/lib/Either.js'
 * E.isRight(compileCondition('result[0] >= 0.95', 'argo')) // true
 * ```
 * @category conditions
 */
export const compileCondition = (text: string, dialect: ConditionDialect): E.Either<ConditionError, CompiledCondition> => {
  if (typeof text !== 'string') return E.left(conditionError(null, 'condition must be a string'))
  if (dialect !== 'argo' && dialect !== 'mathjs') return E.left(conditionError(null, `unknown dialect ${describeValue(dialect)} (argo or mathjs)`))
  try {
    return compile(text, dialect)
  } catch (e) {
    // defensive: nothing above is expected to throw
    return E.left(conditionError(null, `cannot check condition: ${errorText(e)}`))
  }
}

/**
 * Checks condition text and compiles it, or says what is wrong and where. Memoised by (dialect, text) in a
 * bounded cache (256 texts, the oldest dropped first): this is the entry point for callers that hold only
 * the text (a decoded spec carries its conditions compiled, and the engine never comes here for them).
 * The memo is keyed by text, so it cannot answer for a condition that changed. Never throws, whatever the
 * input. The decoder turns a `Left` into a `SpecError` at `analysis.metrics[i].successCondition` (or
 * `failureCondition`).
 *
 * @example
 * ```ts
 * import * as E from 'fp-ts/lib/Either.js'
 * E.isRight(checkCondition('result[0] >= 0.95 && !isNaN(result[0])', 'argo')) // true
 * checkCondition('createUnit("foo")', 'argo') // Left { position: 11, message: 'strings are not allowed (column 12)' }
 * checkCondition('result = 0', 'mathjs')      // Left { position: 7, message: "assignment '=' is not allowed ... (column 8)" }
 * ```
 * @category conditions
 */
export const checkCondition = (text: string, dialect: ConditionDialect): E.Either<ConditionError, CompiledCondition> => {
  // over-long text is refused before it can become a (large) cache key
  if (typeof text !== 'string' || (dialect !== 'argo' && dialect !== 'mathjs') || text.length > CONDITION_LIMITS.maxLength) return compileCondition(text, dialect)
  const key = `${dialect}\u0000${text}`
  const hit = cache.get(key)
  if (hit !== undefined) return hit
  return remember(key, compileCondition(text, dialect))
}

/**
 * How many texts the memo of {@link checkCondition} holds (for tests: evaluating a decoded spec must not
 * add to it).
 *
 * @example
 * ```ts
 * conditionMemoSize() // 0 in a fresh process
 * ```
 * @internal
 */
export const conditionMemoSize = (): number => cache.size

const describe = (v: unknown): string => {
  if (v === undefined || v === null) return 'nil'
  if (typeof v === 'number') return String(v)
  if (Array.isArray(v)) return `a vector of ${v.length}`
  if (typeof v === 'object') return 'an object'
  return typeof v
}

/**
 * Formats a result for messages: `0.93`, `[0.93, 12]` (long vectors are cut).
 *
 * @example
 * ```ts
 * formatResult([0.93, 12]) // '[0.93, 12]'
 * ```
 * @category conditions
 */
export const formatResult = (result: ResultValue): string => {
  try {
    return formatValue(result, 0)
  } catch {
    return 'an unreadable value'
  }
}

const formatValue = (v: unknown, depth: number): string => {
  const f = (n: number): string => (Number.isInteger(n) || !Number.isFinite(n) ? String(n) : String(Number(n.toPrecision(6))))
  if (typeof v === 'number') return f(v)
  if (typeof v === 'string') return JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}...` : v)
  if (typeof v === 'boolean') return String(v)
  if (v === null || v === undefined) return 'nil'
  if (Array.isArray(v)) {
    if (depth > 1) return `[...${v.length}]`
    const shown = v.slice(0, 5).map((x: unknown) => formatValue(x, depth + 1))
    return `[${shown.join(', ')}${v.length > 5 ? `, ... (${v.length})` : ''}]`
  }
  if (typeof v === 'object') {
    if (depth > 1) return '{...}'
    const keys = Object.keys(v)
    const shown = keys.slice(0, 3).map((k) => {
      const d = Object.getOwnPropertyDescriptor(v, k)
      return `${JSON.stringify(k.slice(0, 40))}: ${d !== undefined && 'value' in d ? formatValue(d.value, depth + 1) : '?'}`
    })
    return `{${shown.join(', ')}${keys.length > 3 ? ', ...' : ''}}`
  }
  return describe(v)
}

/**
 * Evaluates a compiled condition on `result` (a number or a vector of numbers) with a fresh scope that holds
 * only a frozen copy of `result`; the caller's array is never touched. `Right(true | false)`, or `Left`
 * with the reason when the evaluation throws, meets nil (e.g. `result[0]` of an empty vector) or does not
 * give a boolean. Vectors longer than 100,000 elements are refused. Never throws.
 *
 * @example
 * ```ts
 * import * as E from 'fp-ts/lib/Either.js'
 * const c = checkCondition('result[0] >= 0.95', 'argo')
 * if (E.isRight(c)) {
 *   evaluateCondition(c.right, [0.97]) // Right(true)
 *   evaluateCondition(c.right, [])     // Left('result[0] is nil: the vector has 0 elements')
 * }
 * ```
 * @category conditions
 */
export const evaluateCondition = (c: CompiledCondition, result: ResultValue): E.Either<string, boolean> => {
  try {
    // read once: a getter or Proxy trap could answer differently the second time
    const run: unknown = typeof c === 'object' && c !== null ? c.run : undefined
    if (typeof run !== 'function') return E.left('not a compiled condition')
    const out = (run as CompiledCondition['run'])(result)
    if (E.isLeft(out)) return out
    if (typeof out.right === 'boolean') return E.right(out.right)
    return E.left(`condition gave ${describeOut(out.right)}, not true or false`)
  } catch (e) {
    return E.left(errorText(e))
  }
}

const describeOut = (v: unknown): string => {
  if (v === null || v === undefined || typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean' || Array.isArray(v) || v instanceof Map) {
    return describeExprValue((v ?? null) as never)
  }
  return describe(v)
}

/**
 * A condition judge's conditions, compiled: what a decoded spec carries for each condition metric
 * (config/specIndex.ts) and the engine hands to the judge, so that no condition is compiled, or looked up
 * in a memo, while a rollout runs.
 *
 * @example
 * ```ts
 * import * as E from 'fp-ts/lib/Either.js'
 * const c = compileCondition('result[0] >= 0.95', 'argo')
 * const compiled: CompiledConditions = E.isRight(c) ? { successCondition: c.right } : {}
 * ```
 * @category model
 */
export interface CompiledConditions {
  readonly successCondition?: CompiledCondition
  readonly failureCondition?: CompiledCondition
}

/**
 * Decoder helper: checks a condition judge's `successCondition` and `failureCondition` and returns one
 * `SpecError` per refused condition, at `<metricPath>.successCondition` / `<metricPath>.failureCondition`, with
 * the column in the message. `compile` is {@link checkCondition} unless the caller keeps the compiled
 * conditions itself (`decodeSpec` passes a compiler whose results the decoded spec carries). Never throws.
 *
 * @example
 * ```ts
 * conditionSpecErrors({ kind: 'condition', dialect: 'argo', successCondition: 'result = 1' }, 'analysis.metrics[0]')
 * // [{ path: 'analysis.metrics[0].successCondition', message: "assignment '=' is not allowed (compare with '==') (column 8)" }]
 * ```
 * @category conditions
 */
export const conditionSpecErrors = (
  judge: ConditionJudgeSpec,
  metricPath: string,
  compile: (text: string, dialect: ConditionDialect) => E.Either<ConditionError, CompiledCondition> = checkCondition,
): SpecError[] => {
  const errors: SpecError[] = []
  for (const field of ['successCondition', 'failureCondition'] as const) {
    const text = judge[field]
    if (text === undefined) continue
    const c = compile(text, judge.dialect)
    if (E.isLeft(c)) errors.push(specError(joinPath(metricPath, field), c.left.message))
  }
  return errors
}
