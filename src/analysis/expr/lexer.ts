/**
 * The lexer of the Argo (expr-lang) condition language. It splits text into tokens with their 0-based
 * offsets and refuses, with the position, every character that can only lead to a construct the sandbox
 * refuses (assignment, bitwise operators, pipes, comments, statement separators, non-ASCII outside strings).
 *
 * @module
 */
import * as E from 'fp-ts/lib/Either.js'
import { conditionError } from '../conditionError.js'
import type { ConditionError } from '../conditionError.js'

/**
 * One token. `value` is the decoded string of a string literal and the number of a number literal.
 *
 * @example
 * ```ts
 * const t: ExprToken = { kind: 'ident', text: 'result', pos: 0 }
 * ```
 * @category parsing
 */
export interface ExprToken {
  readonly kind: 'number' | 'string' | 'ident' | 'op' | 'eof'
  readonly text: string
  readonly pos: number
  readonly value?: number | string
}

/** Deepest bracket nesting accepted (keeps the recursive-descent parser far from the stack limit). */
export const MAX_NESTING = 32

const NUMBER = /(?:0[xX][0-9a-fA-F_]+|(?:\d[\d_]*(?:\.\d[\d_]*)?|\.\d[\d_]*)(?:[eE][+-]?\d+)?)/y
const IDENT = /[A-Za-z_][A-Za-z0-9_]*/y

const OPS = ['==', '!=', '<=', '>=', '&&', '||', '**', '??', '?.', '..', '<', '>', '+', '-', '*', '/', '%', '^', '!', '(', ')', '[', ']', '{', '}', ',', '.', '?', ':', '#']

const REFUSED_TWO: Readonly<Record<string, string>> = {
  '<<': 'shift operators are not allowed',
  '>>': 'shift operators are not allowed',
  '//': 'comments are not allowed',
  '/*': 'comments are not allowed',
}
const REFUSED_ONE: Readonly<Record<string, string>> = {
  '=': "assignment '=' is not allowed (compare with '==')",
  '&': "bitwise '&' is not allowed (use '&&' or 'and')",
  '|': "pipes and bitwise '|' are not allowed (use '||' or 'or')",
  '~': "bitwise '~' is not allowed",
  ';': 'only one expression is allowed',
  $: "'$' is not allowed (the only variable is result)",
  '@': "unexpected character '@'",
}

const ESCAPES: Readonly<Record<string, string>> = { n: '\n', t: '\t', r: '\r', '\\': '\\', "'": "'", '"': '"', '0': '\0', b: '\b', f: '\f', v: '\v', a: '\x07' }

const readString = (text: string, start: number): E.Either<ConditionError, { value: string; end: number }> => {
  const quote = text.charAt(start)
  let out = ''
  let i = start + 1
  while (i < text.length) {
    const ch = text.charAt(i)
    if (ch === quote) return E.right({ value: out, end: i + 1 })
    if (quote !== '`' && ch === '\\') {
      const next = text.charAt(i + 1)
      const simple = ESCAPES[next]
      if (simple !== undefined) {
        out += simple
        i += 2
        continue
      }
      const hex = next === 'x' ? /^[0-9a-fA-F]{2}/.exec(text.slice(i + 2, i + 4)) : next === 'u' ? /^[0-9a-fA-F]{4}/.exec(text.slice(i + 2, i + 6)) : null
      if (hex !== null) {
        out += String.fromCharCode(parseInt(hex[0], 16))
        i += 2 + hex[0].length
        continue
      }
      return E.left(conditionError(i, `unknown escape '\\${next}' in a string`))
    }
    if (quote !== '`' && (ch === '\n' || ch === '\r')) return E.left(conditionError(start, 'a string literal does not end on its line'))
    out += ch
    i++
  }
  return E.left(conditionError(start, 'a string literal is not closed'))
}

/**
 * Splits condition text into tokens (ending with an `eof` token), refusing what the sandbox refuses anyway.
 * Whitespace, including newlines, only separates tokens. Never throws.
 *
 * @example
 * ```ts
 * import * as E from 'fp-ts/lib/Either.js'
 * const r = lexExpr("result.status == 'ok'")
 * E.isRight(r) && r.right.map((t) => t.text) // ['result', '.', 'status', '==', "'ok'", '']
 * ```
 * @category parsing
 */
export const lexExpr = (text: string): E.Either<ConditionError, readonly ExprToken[]> => {
  const tokens: ExprToken[] = []
  const stack: string[] = []
  let i = 0
  while (i < text.length) {
    const ch = text.charAt(i)
    if (ch === ' ' || ch === '\t' || ch === '\n' || ch === '\r') {
      i++
      continue
    }
    if (ch === "'" || ch === '"' || ch === '`') {
      const s = readString(text, i)
      if (E.isLeft(s)) return s
      tokens.push({ kind: 'string', text: text.slice(i, s.right.end), pos: i, value: s.right.value })
      i = s.right.end
      continue
    }
    if (/[0-9]/.test(ch) || (ch === '.' && /[0-9]/.test(text.charAt(i + 1)) && tokens[tokens.length - 1]?.kind !== 'ident' && tokens[tokens.length - 1]?.text !== ']' && tokens[tokens.length - 1]?.text !== ')')) {
      NUMBER.lastIndex = i
      const m = NUMBER.exec(text)
      if (m !== null) {
        const raw = m[0].replace(/_/g, '')
        const value = /^0[xX]/.test(raw) ? parseInt(raw.slice(2), 16) : Number(raw)
        if (Number.isNaN(value)) return E.left(conditionError(i, `malformed number '${m[0]}'`))
        tokens.push({ kind: 'number', text: m[0], pos: i, value })
        i += m[0].length
        continue
      }
    }
    IDENT.lastIndex = i
    const id = IDENT.exec(text)
    if (id !== null) {
      tokens.push({ kind: 'ident', text: id[0], pos: i })
      i += id[0].length
      continue
    }
    const two = text.slice(i, i + 2)
    const refusedTwo = REFUSED_TWO[two]
    if (refusedTwo !== undefined) return E.left(conditionError(i, refusedTwo))
    const op = OPS.find((o) => text.startsWith(o, i))
    if (op === undefined) {
      const refused = REFUSED_ONE[ch]
      const shown = /^[\x21-\x7e]$/.test(ch) ? `'${ch}'` : `U+${(ch.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}`
      return E.left(conditionError(i, refused ?? `unexpected character ${shown}`))
    }
    if (op === '(' || op === '[' || op === '{') {
      stack.push(op)
      if (stack.length > MAX_NESTING) return E.left(conditionError(i, `brackets nested deeper than ${MAX_NESTING}`))
    } else if (op === ')' || op === ']' || op === '}') {
      const open = stack.pop()
      if (open !== (op === ')' ? '(' : op === ']' ? '[' : '{')) return E.left(conditionError(i, `unbalanced '${op}'`))
    }
    tokens.push({ kind: 'op', text: op, pos: i })
    i += op.length
  }
  if (stack.length > 0) {
    // all(result, # < 1) unquoted in YAML arrives as "all(result," (' #' starts a YAML comment)
    const yamlHint = /,\s*$/.test(text) ? " (in plain YAML ' #' starts a comment: quote the condition)" : ''
    return E.left(conditionError(text.length, `missing closing bracket for '${stack[stack.length - 1] ?? '('}'${yamlHint}`))
  }
  tokens.push({ kind: 'eof', text: '', pos: text.length })
  return E.right(tokens)
}
