/**
 * The parser of the Argo (expr-lang) condition language: precedence climbing over the tokens of
 * `lexer.ts`, with expr-lang's operator precedences. It builds only the node kinds of `ast.ts`; any other
 * construct (variables other than `result`, unknown functions, map literals, slices, ranges, closures
 * outside a predicate, `let`, `if`, pipes) is refused with its position. Size (`maxNodes`) and nesting are
 * bounded. Never throws.
 *
 * @module
 */
import * as E from 'fp-ts/lib/Either.js'
import { conditionError } from '../conditionError.js'
import type { ConditionError } from '../conditionError.js'
import type { BinaryOp, ExprNode } from './ast.js'
import { FUNCTION_ARITY, PREDICATES } from './builtins.js'
import { lexExpr, MAX_NESTING } from './lexer.js'
import type { ExprToken } from './lexer.js'
import { compilePattern } from '../../model/regex.js'

/** Binary precedences (expr-lang's): higher binds tighter; `**` is right-associative. */
const BINARY: Readonly<Record<string, number>> = {
  or: 10, '||': 10,
  and: 15, '&&': 15,
  '==': 20, '!=': 20, '<': 20, '>': 20, '<=': 20, '>=': 20,
  in: 20, matches: 20, contains: 20, startsWith: 20, endsWith: 20,
  '+': 30, '-': 30,
  '*': 60, '/': 60, '%': 60,
  '**': 100, '^': 100,
  '??': 500,
}
const UNARY: Readonly<Record<string, number>> = { not: 50, '!': 50, '-': 90, '+': 90 }
const WORD_OPS = new Set(['in', 'matches', 'contains', 'startsWith', 'endsWith'])
const ORDER = new Set(['<', '>', '<=', '>='])
const CONSTANTS: Readonly<Record<string, number | boolean | null>> = { true: true, false: false, nil: null, NaN: NaN, Infinity: Infinity }
const KEYWORDS_REFUSED: Readonly<Record<string, string>> = {
  let: "'let' is not allowed (only one expression is allowed)",
  if: "'if' is not allowed (write cond ? a : b)",
  else: "'else' is not allowed (write cond ? a : b)",
  null: "unknown name 'null' (expr writes nil)",
}

/** Limits of the condition language (characters, syntax nodes). */
export const EXPR_LIMITS = { maxNodes: 200 } as const

interface P {
  readonly toks: readonly ExprToken[]
  i: number
  nodes: number
  depth: number
  /** inside a predicate body: `#` and `.field` are allowed */
  predicate: number
}

class ParseError {
  constructor(readonly error: ConditionError) {}
}
const fail = (pos: number | null, message: string): never => {
  throw new ParseError(conditionError(pos, message))
}

const peek = (p: P): ExprToken => p.toks[p.i] ?? p.toks[p.toks.length - 1] ?? { kind: 'eof', text: '', pos: 0 }
const next = (p: P): ExprToken => {
  const t = peek(p)
  if (t.kind !== 'eof') p.i++
  return t
}
const isOp = (t: ExprToken, text: string): boolean => t.kind === 'op' && t.text === text
const expect = (p: P, text: string, what: string): ExprToken => {
  const t = peek(p)
  if (!isOp(t, text)) fail(t.pos, `syntax error: expected '${text}' ${what}, got ${t.kind === 'eof' ? 'the end' : `'${t.text}'`}`)
  return next(p)
}
const count = (p: P): void => {
  p.nodes++
  if (p.nodes > EXPR_LIMITS.maxNodes) throw new ParseError(conditionError(null, `condition has more than ${EXPR_LIMITS.maxNodes} syntax nodes`))
}
const enter = (p: P, pos: number): void => {
  p.depth++
  if (p.depth > MAX_NESTING * 2) fail(pos, `expression nested deeper than ${MAX_NESTING * 2}`)
}

/** The binary operator at the current token (two tokens for `not in` / `not matches` ...), or null. */
const binaryAt = (p: P): { op: string; width: number; prec: number } | null => {
  const t = peek(p)
  if (t.kind === 'op' || t.kind === 'ident') {
    if (t.kind === 'ident' && t.text === 'not') {
      const n = p.toks[p.i + 1]
      if (n?.kind === 'ident' && WORD_OPS.has(n.text)) return { op: `not ${n.text}`, width: 2, prec: 20 }
      return null
    }
    const prec = BINARY[t.text]
    if (prec !== undefined && (t.kind === 'op' || /^[a-zA-Z]/.test(t.text))) return { op: t.text, width: 1, prec }
  }
  return null
}

const normaliseOp = (op: string): BinaryOp =>
  (op === 'or' ? '||' : op === 'and' ? '&&' : op === '^' ? '**' : op) as BinaryOp

const parseExpression = (p: P, minPrec: number): ExprNode => {
  enter(p, peek(p).pos)
  let left = parseUnary(p)
  for (;;) {
    const b = binaryAt(p)
    if (b === null || b.prec < minPrec) break
    const opTok = peek(p)
    p.i += b.width
    count(p)
    const rightAssoc = b.op === '**' || b.op === '^'
    const right = parseExpression(p, rightAssoc ? b.prec : b.prec + 1)
    const op = normaliseOp(b.op)
    if (ORDER.has(op) && left.k === 'binary' && ORDER.has(left.op) && left.pos >= 0 && !(left as { paren?: boolean }).paren) {
      // a chained comparison: 1 < result < 3 means 1 < result && result < 3
      left = { k: 'chain', pos: left.pos, ops: [left.op as '<', op as '<'], xs: [left.a, left.b, right] }
    } else if (ORDER.has(op) && left.k === 'chain' && !(left as { paren?: boolean }).paren) {
      left = { k: 'chain', pos: left.pos, ops: [...left.ops, op as '<'], xs: [...left.xs, right] }
    } else if (op === 'matches' || op === 'not matches') {
      if (right.k !== 'lit' || typeof right.v !== 'string') fail(opTok.pos, `'matches' needs a string literal pattern (a pattern computed at run time is not allowed)`)
      const source = (right as { v: string }).v
      const re = compilePattern(source)
      if (E.isLeft(re)) fail(right.pos, `pattern ${JSON.stringify(source)}: ${re.left}`)
      const compiled = (re as E.Right<{ test: (s: string) => boolean }>).right
      left = { k: 'binary', pos: opTok.pos, op, a: left, b: right, re: Object.freeze({ source, test: (s: string) => compiled.test(s) }) }
    } else {
      left = { k: 'binary', pos: opTok.pos, op, a: left, b: right }
    }
  }
  if (minPrec === 0 && isOp(peek(p), '?')) {
    const q = next(p)
    count(p)
    if (isOp(peek(p), ':')) fail(peek(p).pos, "the elvis operator '?:' is not allowed (write a ?? b or cond ? a : b)")
    const y = parseExpression(p, 0)
    expect(p, ':', "in 'cond ? a : b'")
    const n = parseExpression(p, 0)
    left = { k: 'cond', pos: q.pos, c: left, y, n }
  }
  p.depth--
  return left
}

const parseUnary = (p: P): ExprNode => {
  const t = peek(p)
  const prec = (t.kind === 'op' || (t.kind === 'ident' && t.text === 'not')) ? UNARY[t.text] : undefined
  if (prec !== undefined) {
    next(p)
    count(p)
    enter(p, t.pos)
    const x = parseExpression(p, prec)
    p.depth--
    const op = t.text === 'not' ? '!' : (t.text as '!' | '-' | '+')
    return { k: 'unary', pos: t.pos, op, x }
  }
  return parsePostfix(p, parsePrimary(p))
}

const parseArgs = (p: P, fnTok: ExprToken): ExprNode[] => {
  const args: ExprNode[] = []
  expect(p, '(', `after ${fnTok.text}`)
  if (isOp(peek(p), ')')) {
    next(p)
    return args
  }
  for (;;) {
    args.push(parseExpression(p, 0))
    const t = next(p)
    if (isOp(t, ')')) return args
    if (!isOp(t, ',')) fail(t.pos, `syntax error: expected ',' or ')' in the arguments of ${fnTok.text}, got ${t.kind === 'eof' ? 'the end' : `'${t.text}'`}`)
  }
}

const parsePredicateBody = (p: P): ExprNode => {
  p.predicate++
  let body: ExprNode
  if (isOp(peek(p), '{')) {
    next(p)
    body = parseExpression(p, 0)
    expect(p, '}', 'to close the predicate')
  } else body = parseExpression(p, 0)
  p.predicate--
  return body
}

const parseCall = (p: P, t: ExprToken): ExprNode => {
  const name = t.text
  if (PREDICATES.has(name)) {
    expect(p, '(', `after ${name}`)
    const arr = parseExpression(p, 0)
    const comma = next(p)
    if (!isOp(comma, ',')) fail(comma.pos, `${name}() takes a list and a predicate, as in ${name}(result, # > 1)`)
    const body = parsePredicateBody(p)
    const close = next(p)
    if (!isOp(close, ')')) fail(close.pos, `${name}() takes 2 arguments (a list and a predicate)`)
    return { k: 'predicate', pos: t.pos, fn: name, arr, body }
  }
  const arity = Object.prototype.hasOwnProperty.call(FUNCTION_ARITY, name) ? FUNCTION_ARITY[name] : undefined
  if (arity === undefined) return fail(t.pos, `function '${name}' is not allowed`)
  const args = parseArgs(p, t)
  const [min, max] = arity
  if (args.length < min || args.length > max) {
    const want = min === max ? `${min}` : max >= 64 ? `at least ${min}` : `${min} or ${max}`
    fail(t.pos, `${name}() takes ${want} argument${want === '1' ? '' : 's'}, got ${args.length}`)
  }
  return { k: 'call', pos: t.pos, fn: name, args }
}

const allowedNames = (): string => `result, true, false, nil, NaN, Infinity and the functions ${[...Object.keys(FUNCTION_ARITY), ...PREDICATES].join(', ')}`

const parsePrimary = (p: P): ExprNode => {
  const t = next(p)
  count(p)
  switch (t.kind) {
    case 'number':
      return { k: 'lit', pos: t.pos, v: typeof t.value === 'number' ? t.value : Number(t.text) }
    case 'string':
      return { k: 'lit', pos: t.pos, v: typeof t.value === 'string' ? t.value : '' }
    case 'ident': {
      const name = t.text
      if (isOp(peek(p), '(')) {
        if (name === 'result') fail(t.pos, "function 'result' is not allowed")
        return parseCall(p, t)
      }
      if (name === 'result') return { k: 'result', pos: t.pos }
      if (Object.prototype.hasOwnProperty.call(CONSTANTS, name)) return { k: 'lit', pos: t.pos, v: CONSTANTS[name] ?? null }
      const refused = KEYWORDS_REFUSED[name]
      if (refused !== undefined) fail(t.pos, refused)
      if (Object.prototype.hasOwnProperty.call(FUNCTION_ARITY, name) || PREDICATES.has(name)) fail(t.pos, `unknown name '${name}' (${name} is a function: call it)`)
      return fail(t.pos, `unknown name '${name}' (allowed: ${allowedNames()})`)
    }
    case 'op': {
      if (t.text === '(') {
        const inner = parseExpression(p, 0)
        expect(p, ')', 'to close the parenthesis')
        return { ...inner, paren: true } as unknown as ExprNode
      }
      if (t.text === '[') {
        const items: ExprNode[] = []
        if (isOp(peek(p), ']')) {
          next(p)
          return { k: 'array', pos: t.pos, items }
        }
        for (;;) {
          items.push(parseExpression(p, 0))
          const s = next(p)
          if (isOp(s, ']')) break
          if (!isOp(s, ',')) fail(s.pos, `syntax error: expected ',' or ']' in a list, got ${s.kind === 'eof' ? 'the end' : `'${s.text}'`}`)
          if (isOp(peek(p), ']')) {
            next(p)
            break
          }
        }
        return { k: 'array', pos: t.pos, items }
      }
      if (t.text === '#') {
        if (p.predicate === 0) fail(t.pos, "'#' is only allowed inside a predicate, as in all(result, # < 1) (expr has no comments)")
        const n = peek(p)
        if (n.kind === 'ident' && n.pos === t.pos + 1) fail(t.pos, `'#${n.text}' is not allowed (only '#', the current element)`)
        return { k: 'pointer', pos: t.pos }
      }
      if (t.text === '.' && p.predicate > 0) {
        const f = next(p)
        if (f.kind !== 'ident') fail(f.pos, "syntax error: expected a field name after '.'")
        return { k: 'member', pos: t.pos, obj: { k: 'pointer', pos: t.pos }, key: { k: 'lit', pos: f.pos, v: f.text }, optional: false }
      }
      if (t.text === '{') return fail(t.pos, 'map literals are not allowed (a {...} predicate only goes inside all / any / none / one / filter / map / count)')
      if (t.text === '.') return fail(t.pos, "'.field' without an object is only allowed inside a predicate")
      return fail(t.pos, `syntax error: unexpected '${t.text}'`)
    }
    case 'eof':
      return fail(t.pos, 'syntax error: unexpected end of the expression')
  }
}

const parsePostfix = (p: P, start: ExprNode): ExprNode => {
  let node = start
  for (;;) {
    const t = peek(p)
    if (isOp(t, '.') || isOp(t, '?.')) {
      next(p)
      count(p)
      const optional = t.text === '?.'
      if (optional && isOp(peek(p), '[')) {
        next(p)
        const key = parseExpression(p, 0)
        expect(p, ']', 'to close the index')
        node = { k: 'member', pos: t.pos, obj: node, key, optional }
        continue
      }
      const f = next(p)
      if (f.kind !== 'ident') fail(f.pos, `syntax error: expected a field name after '${t.text}'`)
      if (isOp(peek(p), '(')) fail(f.pos, `method calls are not allowed ('${f.text}(...)')`)
      node = { k: 'member', pos: t.pos, obj: node, key: { k: 'lit', pos: f.pos, v: f.text }, optional }
      continue
    }
    if (isOp(t, '[')) {
      next(p)
      count(p)
      if (isOp(peek(p), ':')) fail(peek(p).pos, 'slices are not allowed')
      const key = parseExpression(p, 0)
      if (isOp(peek(p), ':')) fail(peek(p).pos, 'slices are not allowed')
      if (isOp(peek(p), ',')) fail(t.pos, 'an index takes exactly one value, as in result[0]')
      expect(p, ']', 'to close the index')
      node = { k: 'member', pos: t.pos, obj: node, key, optional: false }
      continue
    }
    if (isOp(t, '..')) fail(t.pos, "ranges '..' are not allowed")
    if (isOp(t, '(')) fail(t.pos, 'only named functions can be called')
    return node
  }
}

/**
 * Parses Argo condition text into a checked tree, or says what is wrong and where. Never throws.
 *
 * @example
 * ```ts
 * import * as E from 'fp-ts/lib/Either.js'
 * E.isRight(parseExpr("all(result, # < 1000) && result[0] != 'x'")) // true
 * parseExpr('result = 1') // Left { position: 7, message: "assignment '=' is not allowed (compare with '==') (column 8)" }
 * ```
 * @category parsing
 */
export const parseExpr = (text: string): E.Either<ConditionError, ExprNode> => {
  const lexed = lexExpr(text)
  if (E.isLeft(lexed)) return lexed
  const p: P = { toks: lexed.right, i: 0, nodes: 0, depth: 0, predicate: 0 }
  try {
    const node = parseExpression(p, 0)
    const t = peek(p)
    if (t.kind !== 'eof') {
      if (isOp(t, ':')) fail(t.pos, "syntax error: ':' without '?'")
      if (isOp(t, '#')) fail(t.pos, "comments are not allowed ('#' only stands for the element inside a predicate)")
      fail(t.pos, `syntax error: unexpected '${t.text}' after a complete expression`)
    }
    return E.right(node)
  } catch (e) {
    if (e instanceof ParseError) return E.left(e.error)
    // defensive: a RangeError from a very deep input, or a bug
    return E.left(conditionError(null, `cannot parse condition: ${e instanceof Error ? e.message : 'unknown error'}`))
  }
}
