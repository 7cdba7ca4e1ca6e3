/**
 * The syntax tree of a checked Argo condition. Only the node kinds below exist: the parser builds nothing
 * else, so every tree is inside the allow-list by construction. `pos` is the 0-based offset in the author's
 * text. Literal values are plain data ({@link ExprValue}).
 *
 * @module
 */
import type { ExprValue } from './values.js'

/** Binary operators, in expr-lang spelling (`and` / `or` are stored as `&&` / `||`). */
export type BinaryOp =
  | '||' | '&&' | '==' | '!=' | '<' | '>' | '<=' | '>=' | 'in' | 'not in'
  | 'matches' | 'not matches' | 'contains' | 'not contains' | 'startsWith' | 'not startsWith' | 'endsWith' | 'not endsWith'
  | '+' | '-' | '*' | '/' | '%' | '**' | '??'

/**
 * A node of a checked condition.
 *
 * @example
 * ```ts
 * const n: ExprNode = { k: 'binary', op: '>', pos: 7, a: { k: 'result', pos: 0 }, b: { k: 'lit', pos: 9, v: 1 } }
 * ```
 * @category model
 */
export type ExprNode =
  | { readonly k: 'lit'; readonly pos: number; readonly v: ExprValue }
  | { readonly k: 'array'; readonly pos: number; readonly items: readonly ExprNode[] }
  | { readonly k: 'result'; readonly pos: number }
  | { readonly k: 'pointer'; readonly pos: number }
  | { readonly k: 'member'; readonly pos: number; readonly obj: ExprNode; readonly key: ExprNode; readonly optional: boolean }
  | { readonly k: 'unary'; readonly pos: number; readonly op: '!' | '-' | '+'; readonly x: ExprNode }
  | { readonly k: 'binary'; readonly pos: number; readonly op: BinaryOp; readonly a: ExprNode; readonly b: ExprNode; readonly re?: RegExpLike }
  | { readonly k: 'chain'; readonly pos: number; readonly ops: readonly ('<' | '>' | '<=' | '>=')[]; readonly xs: readonly ExprNode[] }
  | { readonly k: 'cond'; readonly pos: number; readonly c: ExprNode; readonly y: ExprNode; readonly n: ExprNode }
  | { readonly k: 'call'; readonly pos: number; readonly fn: string; readonly args: readonly ExprNode[] }
  | { readonly k: 'predicate'; readonly pos: number; readonly fn: string; readonly arr: ExprNode; readonly body: ExprNode }

/**
 * A pre-compiled pattern for `matches` (RE2 syntax, compiled by `src/model/regex.ts`): `test` says whether
 * it matches somewhere in the string, in time linear in the string.
 *
 * @example
 * ```ts
 * const re: RegExpLike = { source: '^ok$', test: (s) => s === 'ok' }
 * ```
 * @category model
 */
export interface RegExpLike {
  readonly source: string
  readonly test: (s: string) => boolean
}

const quote = (s: string): string => `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\n/g, '\\n')}'`

const printValue = (v: ExprValue): string =>
  v === null ? 'nil' : typeof v === 'string' ? quote(v) : typeof v === 'number' || typeof v === 'boolean' ? String(v) : Array.isArray(v) ? `[${v.map(printValue).join(', ')}]` : '{...}'

/**
 * Prints a tree back as canonical expr-lang text, fully parenthesised where precedence matters (for
 * messages and for checking that printing and re-parsing agree).
 *
 * @example
 * ```ts
 * printExpr({ k: 'binary', op: '>', pos: 7, a: { k: 'result', pos: 0 }, b: { k: 'lit', pos: 9, v: 1 } }) // '(result > 1)'
 * ```
 * @category parsing
 */
export const printExpr = (n: ExprNode): string => {
  switch (n.k) {
    case 'lit':
      return printValue(n.v)
    case 'array':
      return `[${n.items.map(printExpr).join(', ')}]`
    case 'result':
      return 'result'
    case 'pointer':
      return '#'
    case 'member':
      return n.key.k === 'lit' && typeof n.key.v === 'string' && /^[A-Za-z_][A-Za-z0-9_]*$/.test(n.key.v)
        ? `${printExpr(n.obj)}${n.optional ? '?.' : '.'}${n.key.v}`
        : `${printExpr(n.obj)}${n.optional ? '?.' : ''}[${printExpr(n.key)}]`
    case 'unary':
      return `${n.op}(${printExpr(n.x)})`
    case 'binary':
      return `(${printExpr(n.a)} ${n.op} ${printExpr(n.b)})`
    case 'chain':
      return `(${n.xs.map((x, i) => (i === 0 ? printExpr(x) : `${n.ops[i - 1] ?? '<'} ${printExpr(x)}`)).join(' ')})`
    case 'cond':
      return `(${printExpr(n.c)} ? ${printExpr(n.y)} : ${printExpr(n.n)})`
    case 'call':
      return `${n.fn}(${n.args.map(printExpr).join(', ')})`
    case 'predicate':
      return `${n.fn}(${printExpr(n.arr)}, {${printExpr(n.body)}})`
  }
}
