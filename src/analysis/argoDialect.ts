/**
 * Reading condition text: a small tokenizer shared by both dialects, and the translation of Argo's
 * (expr-lang) spellings into mathjs syntax. Translation works on tokens, never on raw substrings, and
 * keeps a map from every character of the translated text back to the author's text, so that errors found
 * later (by the mathjs parser or the sandbox checker) point at the character the author wrote.
 *
 * | Argo / expr          | mathjs                    |
 * |----------------------|---------------------------|
 * | `a && b`, `a \|\| b` | `a and b`, `a or b`       |
 * | `!a`                 | `not a`                   |
 * | `a ** b`             | `a ^ b`                   |
 * | `result[0]`          | 0-based: handled by the sandbox checker, not here |
 *
 * Characters that can only lead to something the sandbox refuses (assignment `=`, strings, property access
 * `.`, bitwise `&` `|` `~`, shifts, objects `{}`, statement separators `;`, comments `#`, anything outside
 * ASCII) are refused here already, with their position.
 *
 * @module
 */
import * as E from 'fp-ts/lib/Either.js'

/**
 * The condition dialects: `argo` (expr-lang spellings, 0-based `result[i]`) and `mathjs` (mathjs syntax
 * as is, 1-based `result[i]`).
 *
 * @example
 * ```ts
 * const d: ConditionDialect = 'argo'
 * ```
 * @category model
 */
export type ConditionDialect = 'argo' | 'mathjs'

/**
 * A problem found in condition text. `position` is the 0-based character offset in the text the author
 * wrote (null when the problem is not at one place, e.g. too many nodes); `message` says what is wrong
 * and, when there is a position, where (as a 1-based column).
 *
 * @example
 * ```ts
 * const e: ConditionError = { position: 10, message: "assignment '=' is not allowed (column 11)" }
 * ```
 * @category model
 */
export interface ConditionError {
  readonly position: number | null
  readonly message: string
}

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

/**
 * Formats an error message with its 1-based column.
 *
 * @example
 * ```ts
 * conditionError(3, "unexpected character '#'") // { position: 3, message: "unexpected character '#' (column 4)" }
 * ```
 * @category constructors
 */
export const conditionError = (position: number | null, message: string): ConditionError => ({
  position,
  message: position === null ? message : `${message} (column ${position + 1})`,
})

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
const OPS_ARGO = ['&&', '||', '**', '!']

/**
 * Splits condition text into tokens, refusing characters the sandbox would refuse anyway. Whitespace
 * (including newlines, as in a YAML block scalar) only separates tokens. Never throws.
 *
 * @example
 * ```ts
 * import * as E from 'fp-ts/lib/Either.js'
 * const r = tokenizeCondition('result[0] >= 0.95 && !isNaN(result[0])', 'argo')
 * E.isRight(r) && r.right.map((t) => t.text) // ['result', '[', '0', ']', '>=', '0.95', '&&', '!', 'isNaN', ...]
 * ```
 * @category parsing
 */
export const tokenizeCondition = (
  text: string,
  dialect: ConditionDialect,
): E.Either<ConditionError, readonly ConditionToken[]> => {
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
    const allowed = dialect === 'argo' ? [...OPS_ARGO, ...OPS_ALWAYS] : OPS_ALWAYS
    const op = [two, ch].find((o) => allowed.includes(o))
    if (op === undefined) {
      if (dialect === 'mathjs' && (two === '&&' || two === '||')) {
        return E.left(conditionError(i, `'${two}' is Argo syntax; the mathjs dialect writes '${two === '&&' ? 'and' : 'or'}'`))
      }
      if (dialect === 'mathjs' && ch === '!') {
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

const ARGO_SPELLING: Readonly<Record<string, string>> = { '&&': 'and', '||': 'or', '!': 'not', '**': '^' }

/**
 * Tokenizes condition text and writes it out in mathjs syntax (Argo spellings translated for `argo`),
 * one token per word, with the position map. Indexing of `result` is left as written: the sandbox checker
 * applies the dialect's index base. Never throws.
 *
 * @example
 * ```ts
 * import * as E from 'fp-ts/lib/Either.js'
 * const r = translateCondition('!isNaN(result[0]) && result[0] > 1', 'argo')
 * E.isRight(r) && r.right.text // 'not isNaN ( result [ 0 ] ) and result [ 0 ] > 1'
 * ```
 * @category parsing
 */
export const translateCondition = (
  text: string,
  dialect: ConditionDialect,
): E.Either<ConditionError, TranslatedCondition> => {
  const tokenized = tokenizeCondition(text, dialect)
  if (E.isLeft(tokenized)) return tokenized
  const tokens = tokenized.right
  let out = ''
  const positions: number[] = []
  tokens.forEach((t, k) => {
    const word = dialect === 'argo' && t.kind === 'op' ? (ARGO_SPELLING[t.text] ?? t.text) : t.text
    const piece = k === 0 ? word : ` ${word}`
    for (let c = 0; c < piece.length; c++) positions.push(t.pos)
    out += piece
  })
  return E.right({ text: out, positions, tokens })
}
