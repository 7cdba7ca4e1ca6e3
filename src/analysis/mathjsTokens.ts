/**
 * Condition text for the mathjs dialect: a small tokenizer and the token-by-token rewrite that the mathjs
 * parser reads, with a map from every character of the rewritten text back to the author's text, so that
 * errors found later (by the mathjs parser or the sandbox checker) point at the character the author wrote.
 * (The argo dialect has its own lexer and parser in `expr/`.)
 *
 * Characters that can only lead to something the sandbox refuses (assignment `=`, strings, property access
 * `.`, bitwise `&` `|` `~`, shifts, objects `{}`, statement separators `;`, comments `#`, anything outside
 * ASCII) are refused here already, with their position; Argo's `&&`, `||` and `!` are refused with the
 * mathjs spelling to use instead.
 *
 * @module
 */
import * as E from 'fp-ts/lib/Either.js'
import { conditionError } from './conditionError.js'
import type { ConditionError } from './conditionError.js'

/**
 * One token of condition text, with its 0-based offset in the author's text.
 *
 * @example
 * ```ts
 * const t: ConditionToken = { kind: 'ident', text: 'result', pos: 0 }
 * ```
 * @category model
 */
export interface ConditionToken {
  readonly kind: 'number' | 'ident' | 'op'
  readonly text: string
  readonly pos: number
}

/**
 * Condition text translated to mathjs syntax. `positions[i]` is the offset in the original text of
 * character `i` of `text`; `tokens` are the original tokens.
 *
 * @example
 * ```ts
 * const t: TranslatedCondition = { text: 'not a ', positions: [0, 0, 0, 0, 1, 1], tokens: [] }
 * ```
 * @category model
 */
export interface TranslatedCondition {
  readonly text: string
  readonly positions: readonly number[]
  readonly tokens: readonly ConditionToken[]
}

/** Deepest bracket nesting accepted (keeps the recursive-descent parser far from the stack limit). */
const MAX_NESTING = 32

const NUMBER = /^(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?/
const IDENT = /^[A-Za-z_][A-Za-z0-9_]*/

const REFUSED: Readonly<Record<string, string>> = {
  '=': "assignment '=' is not allowed (compare with '==')",
  '&': "bitwise '&' is not allowed (use '&&' or 'and')",
  '|': "bitwise '|' is not allowed (use '||' or 'or')",
  '~': "bitwise '~' is not allowed",
  '<<': 'shift operators are not allowed',
  '>>': 'shift operators are not allowed',
  '??': "'??' is not allowed (use default(x, d))",
  "'": 'strings and transpose are not allowed',
  '"': 'strings are not allowed',
  '`': 'strings are not allowed',
  '.': "property access '.' is not allowed",
  ';': 'only one expression is allowed',
  '{': 'object literals are not allowed',
  '}': 'object literals are not allowed',
  '#': 'comments are not allowed',
}

const OPS_ALWAYS = ['==', '!=', '<=', '>=', '+', '-', '*', '/', '%', '^', '(', ')', '[', ']', ',', '<', '>', '?', ':']

/**
 * Splits condition text into tokens, refusing characters the sandbox would refuse anyway. Whitespace
 * (including newlines, as in a YAML block scalar) only separates tokens. Never throws.
 *
 * @example
 * ```ts
 * import * as E from 'fp-ts/lib/Either.js'
 * const r = tokenizeCondition('result[1] >= 0.95 and not isNaN(result[1])')
 * E.isRight(r) && r.right.map((t) => t.text) // ['result', '[', '1', ']', '>=', '0.95', 'and', 'not', 'isNaN', ...]
 * ```
 * @category parsing
 */
export const tokenizeCondition = (text: string): E.Either<ConditionError, readonly ConditionToken[]> => {
  const tokens: ConditionToken[] = []
  const stack: string[] = []
  let i = 0
  while (i < text.length) {
    const ch = text.charAt(i)
    if (ch === ' ' || ch === '\t' || ch === '\n' || ch === '\r') {
      i++
      continue
    }
    const rest = text.slice(i, i + 32)
    const num = NUMBER.exec(rest)
    if (num !== null && /[\d.]/.test(ch)) {
      // a long digit run can exceed the 32-char window: take the whole run
      const whole = NUMBER.exec(text.slice(i)) ?? num
      tokens.push({ kind: 'number', text: whole[0], pos: i })
      i += whole[0].length
      continue
    }
    const id = IDENT.exec(text.slice(i, i + 64))
    if (id !== null) {
      const whole = IDENT.exec(text.slice(i)) ?? id
      tokens.push({ kind: 'ident', text: whole[0], pos: i })
      i += whole[0].length
      continue
    }
    const two = text.slice(i, i + 2)
    if (two === '<<' || two === '>>' || two === '??') return E.left(conditionError(i, REFUSED[two] ?? 'not allowed'))
    const op = [two, ch].find((o) => OPS_ALWAYS.includes(o))
    if (op === undefined) {
      if (two === '&&' || two === '||') {
        return E.left(conditionError(i, `'${two}' is Argo syntax; the mathjs dialect writes '${two === '&&' ? 'and' : 'or'}'`))
      }
      if (ch === '!') {
        return E.left(conditionError(i, "'!' (factorial) is not allowed; the mathjs dialect negates with 'not'"))
      }
      const refused = REFUSED[ch]
      const shown = /^[\x21-\x7e]$/.test(ch) ? `'${ch}'` : `U+${(ch.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}`
      return E.left(conditionError(i, refused ?? `unexpected character ${shown}`))
    }
    if (op === '(' || op === '[') {
      stack.push(op)
      if (stack.length > MAX_NESTING) return E.left(conditionError(i, `brackets nested deeper than ${MAX_NESTING}`))
    } else if (op === ')' || op === ']') {
      const open = stack.pop()
      if (open !== (op === ')' ? '(' : '[')) return E.left(conditionError(i, `unbalanced '${op}'`))
    }
    tokens.push({ kind: 'op', text: op, pos: i })
    i += op.length
  }
  if (stack.length > 0) return E.left(conditionError(text.length, `missing closing bracket for '${stack[stack.length - 1] ?? '('}'`))
  return E.right(tokens)
}

/**
 * Tokenizes mathjs-dialect condition text and writes it out one token per word, with the position map.
 * Indexing of `result` is left as written: the sandbox checker applies the 1-based accessor. Never throws.
 *
 * @example
 * ```ts
 * import * as E from 'fp-ts/lib/Either.js'
 * const r = translateCondition('not isNaN(result[1]) and result[1] > 1')
 * E.isRight(r) && r.right.text // 'not isNaN ( result [ 1 ] ) and result [ 1 ] > 1'
 * ```
 * @category parsing
 */
export const translateCondition = (text: string): E.Either<ConditionError, TranslatedCondition> => {
  const tokenized = tokenizeCondition(text)
  if (E.isLeft(tokenized)) return tokenized
  const tokens = tokenized.right
  let out = ''
  const positions: number[] = []
  tokens.forEach((t, k) => {
    const piece = k === 0 ? t.text : ` ${t.text}`
    for (let c = 0; c < piece.length; c++) positions.push(t.pos)
    out += piece
  })
  return E.right({ text: out, positions, tokens })
}
