/**
 * Patterns for `matches`: a small regular-expression engine that runs in time linear in the subject
 * (a Pike VM over a compiled NFA, at most `program size x subject length` steps), so no pattern can make a
 * condition hang (no catastrophic backtracking). Syntax, the RE2 subset Go's `regexp` and expr-lang accept:
 * literals, `.`, `^`, `$`, classes `[a-z0-9_]` / `[^...]`, `\d \w \s \D \W \S`, escapes, groups `(...)`,
 * `(?:...)`, `(?P<name>...)`, alternation `|`, quantifiers `* + ? {n} {n,} {n,m}` (a lazy `?` suffix
 * changes nothing for a yes / no match) and a leading `(?i)`. Refused with a message: back-references,
 * look-around, `\b`, `\p{..}`, other flags, patterns over 512 characters or compiling to more than 5,000
 * instructions. Matching is unanchored (a match anywhere), as Go's `MatchString`.
 *
 * @module
 */
import * as E from 'fp-ts/lib/Either.js'
import type { RegExpLike } from './ast.js'

/** Limits on patterns. */
export const PATTERN_LIMITS = { maxLength: 512, maxProgram: 5000, maxRepeat: 1000 } as const

type Range = readonly [number, number]
type Re =
  | { readonly t: 'set'; readonly ranges: readonly Range[]; readonly neg: boolean }
  | { readonly t: 'cat'; readonly xs: readonly Re[] }
  | { readonly t: 'alt'; readonly xs: readonly Re[] }
  | { readonly t: 'rep'; readonly x: Re; readonly min: number; readonly max: number }
  | { readonly t: 'bol' }
  | { readonly t: 'eol' }

class PatternError {
  constructor(readonly message: string) {}
}
const bad = (message: string): never => {
  throw new PatternError(message)
}

const DIGIT: readonly Range[] = [[48, 57]]
const WORD: readonly Range[] = [[48, 57], [65, 90], [95, 95], [97, 122]]
const SPACE: readonly Range[] = [[9, 10], [12, 13], [32, 32]]
const ANY_BUT_NEWLINE: Re = { t: 'set', ranges: [[10, 10]], neg: true }

const code = (s: string): number => s.charCodeAt(0)

interface Cursor {
  readonly s: string
  i: number
  depth: number
}

const ESCAPED_CHAR: Readonly<Record<string, number>> = { n: 10, t: 9, r: 13, f: 12, v: 11, a: 7 }

/** An escape after `\`: a class (\d ...) or one character. */
const readEscape = (c: Cursor): { ranges: readonly Range[]; neg: boolean } => {
  const ch = c.s.charAt(c.i++)
  if (ch === '') bad('a pattern cannot end with \\')
  if (ch === 'd' || ch === 'D') return { ranges: DIGIT, neg: ch === 'D' }
  if (ch === 'w' || ch === 'W') return { ranges: WORD, neg: ch === 'W' }
  if (ch === 's' || ch === 'S') return { ranges: SPACE, neg: ch === 'S' }
  if (/[1-9]/.test(ch)) bad('back-references are not allowed')
  if (ch === 'b' || ch === 'B') bad(`\\${ch} (word boundary) is not supported`)
  if (ch === 'p' || ch === 'P') bad(`\\${ch}{...} (Unicode classes) is not supported`)
  if (ch === 'x') {
    const hex = /^[0-9a-fA-F]{2}/.exec(c.s.slice(c.i, c.i + 2))
    if (hex === null) bad('\\x needs two hex digits')
    c.i += 2
    const n = parseInt((hex as RegExpExecArray)[0], 16)
    return { ranges: [[n, n]], neg: false }
  }
  const special = ESCAPED_CHAR[ch]
  if (special !== undefined) return { ranges: [[special, special]], neg: false }
  if (/[A-Za-z0-9]/.test(ch)) bad(`unknown escape \\${ch}`)
  return { ranges: [[code(ch), code(ch)]], neg: false }
}

const readClass = (c: Cursor): Re => {
  const neg = c.s.charAt(c.i) === '^'
  if (neg) c.i++
  const ranges: Range[] = []
  let first = true
  for (;;) {
    const ch = c.s.charAt(c.i)
    if (ch === '') bad("missing ']' to close a character class")
    if (ch === ']' && !first) {
      c.i++
      break
    }
    first = false
    if (ch === '[' && c.s.charAt(c.i + 1) === ':') bad('POSIX classes [:name:] are not supported')
    let lo: number
    c.i++
    if (ch === '\\') {
      const e = readEscape(c)
      if (e.neg || e.ranges.length !== 1 || (e.ranges[0] as Range)[0] !== (e.ranges[0] as Range)[1]) {
        if (e.neg) bad('a negated escape inside [...] is not supported')
        ranges.push(...e.ranges)
        continue
      }
      lo = (e.ranges[0] as Range)[0]
    } else lo = code(ch)
    if (c.s.charAt(c.i) === '-' && c.s.charAt(c.i + 1) !== ']' && c.s.charAt(c.i + 1) !== '') {
      c.i++
      let hiCh = c.s.charAt(c.i++)
      let hi = code(hiCh)
      if (hiCh === '\\') {
        const e = readEscape(c)
        if (e.neg || e.ranges.length !== 1) bad('a class cannot end a range')
        hi = (e.ranges[0] as Range)[0]
        hiCh = String.fromCharCode(hi)
      }
      if (hi < lo) bad(`invalid range ${String.fromCharCode(lo)}-${hiCh}`)
      ranges.push([lo, hi])
    } else ranges.push([lo, lo])
  }
  return { t: 'set', ranges, neg }
}

const parseAlt = (c: Cursor): Re => {
  c.depth++
  if (c.depth > 32) bad('groups nested deeper than 32')
  const xs: Re[] = [parseCat(c)]
  while (c.s.charAt(c.i) === '|') {
    c.i++
    xs.push(parseCat(c))
  }
  c.depth--
  return xs.length === 1 ? (xs[0] as Re) : { t: 'alt', xs }
}

const parseCat = (c: Cursor): Re => {
  const xs: Re[] = []
  for (;;) {
    const ch = c.s.charAt(c.i)
    if (ch === '' || ch === '|' || ch === ')') break
    let atom: Re
    c.i++
    if (ch === '(') {
      if (c.s.startsWith('?:', c.i)) c.i += 2
      else if (c.s.startsWith('?P<', c.i) || c.s.startsWith('?<', c.i)) {
        if (c.s.startsWith('?<=', c.i) || c.s.startsWith('?<!', c.i)) bad('look-behind is not allowed')
        const close = c.s.indexOf('>', c.i)
        if (close < 0) bad('unterminated group name')
        c.i = close + 1
      } else if (c.s.startsWith('?=', c.i) || c.s.startsWith('?!', c.i)) bad('look-ahead is not allowed')
      else if (c.s.charAt(c.i) === '?') bad('group flags are not supported (only a leading (?i))')
      atom = parseAlt(c)
      if (c.s.charAt(c.i) !== ')') bad("missing ')'")
      c.i++
    } else if (ch === '[') atom = readClass(c)
    else if (ch === '.') atom = ANY_BUT_NEWLINE
    else if (ch === '^') atom = { t: 'bol' }
    else if (ch === '$') atom = { t: 'eol' }
    else if (ch === '\\') atom = { t: 'set', ...readEscape(c) }
    else if (ch === '*' || ch === '+' || ch === '?') return bad(`'${ch}' has nothing to repeat`)
    else if (ch === '{' && /^\d/.test(c.s.charAt(c.i))) return bad("'{' has nothing to repeat")
    else atom = { t: 'set', ranges: [[code(ch), code(ch)]], neg: false }
    // quantifiers
    for (;;) {
      const q = c.s.charAt(c.i)
      let min: number
      let max: number
      if (q === '*' || q === '+' || q === '?') {
        c.i++
        ;[min, max] = q === '*' ? [0, -1] : q === '+' ? [1, -1] : [0, 1]
      } else if (q === '{') {
        const m = /^\{(\d+)(,(\d*))?\}/.exec(c.s.slice(c.i, c.i + 16))
        if (m === null) break
        c.i += m[0].length
        min = Number(m[1])
        max = m[2] === undefined ? min : m[3] === '' || m[3] === undefined ? -1 : Number(m[3])
        if (min > PATTERN_LIMITS.maxRepeat || max > PATTERN_LIMITS.maxRepeat) bad(`repetition over ${PATTERN_LIMITS.maxRepeat}`)
        if (max !== -1 && max < min) bad(`invalid repetition {${min},${max}}`)
      } else break
      if (c.s.charAt(c.i) === '?') c.i++
      if (c.s.charAt(c.i) === '+') bad('possessive quantifiers are not supported')
      if (atom.t === 'bol' || atom.t === 'eol') bad('an anchor cannot be repeated')
      atom = { t: 'rep', x: atom, min, max }
    }
    xs.push(atom)
  }
  return xs.length === 1 ? (xs[0] as Re) : { t: 'cat', xs }
}

type Inst =
  | { op: 'set'; ranges: readonly Range[]; neg: boolean }
  | { op: 'split'; a: number; b: number }
  | { op: 'jmp'; a: number }
  | { op: 'bol' }
  | { op: 'eol' }
  | { op: 'match' }

const emit = (prog: Inst[], i: Inst): number => {
  if (prog.length >= PATTERN_LIMITS.maxProgram) bad(`the pattern compiles to more than ${PATTERN_LIMITS.maxProgram} instructions`)
  prog.push(i)
  return prog.length - 1
}

const gen = (prog: Inst[], r: Re): void => {
  switch (r.t) {
    case 'set':
      emit(prog, { op: 'set', ranges: r.ranges, neg: r.neg })
      return
    case 'bol':
    case 'eol':
      emit(prog, { op: r.t })
      return
    case 'cat':
      for (const x of r.xs) gen(prog, x)
      return
    case 'alt': {
      const jumps: number[] = []
      r.xs.forEach((x, k) => {
        if (k < r.xs.length - 1) {
          const split = emit(prog, { op: 'split', a: 0, b: 0 })
          ;(prog[split] as { a: number }).a = prog.length
          gen(prog, x)
          jumps.push(emit(prog, { op: 'jmp', a: 0 }))
          ;(prog[split] as { b: number }).b = prog.length
        } else gen(prog, x)
      })
      for (const j of jumps) (prog[j] as { a: number }).a = prog.length
      return
    }
    case 'rep': {
      for (let k = 0; k < r.min; k++) gen(prog, r.x)
      if (r.max === -1) {
        const split = emit(prog, { op: 'split', a: 0, b: 0 })
        ;(prog[split] as { a: number }).a = prog.length
        gen(prog, r.x)
        emit(prog, { op: 'jmp', a: split })
        ;(prog[split] as { b: number }).b = prog.length
      } else {
        const splits: number[] = []
        for (let k = r.min; k < r.max; k++) {
          const split = emit(prog, { op: 'split', a: 0, b: 0 })
          ;(prog[split] as { a: number }).a = prog.length
          splits.push(split)
          gen(prog, r.x)
        }
        for (const s of splits) (prog[s] as { b: number }).b = prog.length
      }
    }
  }
}

const inSet = (ranges: readonly Range[], ch: number, fold: boolean): boolean => {
  for (const [lo, hi] of ranges) if (ch >= lo && ch <= hi) return true
  if (fold) {
    const other = ch >= 65 && ch <= 90 ? ch + 32 : ch >= 97 && ch <= 122 ? ch - 32 : -1
    if (other >= 0) for (const [lo, hi] of ranges) if (other >= lo && other <= hi) return true
  }
  return false
}

const run = (prog: readonly Inst[], fold: boolean, s: string, budget: { steps: number }): boolean | null => {
  const n = prog.length
  let clist: number[] = []
  let nlist: number[] = []
  const mark = new Int32Array(n).fill(-1)
  let gen_ = 0
  const add = (list: number[], pc: number, pos: number): boolean => {
    // iterative epsilon closure; returns true if match is reachable
    const stack = [pc]
    let matched = false
    while (stack.length > 0) {
      const x = stack.pop() as number
      if (mark[x] === gen_) continue
      mark[x] = gen_
      budget.steps--
      const ins = prog[x] as Inst
      switch (ins.op) {
        case 'jmp':
          stack.push(ins.a)
          break
        case 'split':
          stack.push(ins.b, ins.a)
          break
        case 'bol':
          if (pos === 0) stack.push(x + 1)
          break
        case 'eol':
          if (pos === s.length) stack.push(x + 1)
          break
        case 'match':
          matched = true
          break
        case 'set':
          list.push(x)
      }
    }
    return matched
  }
  for (let pos = 0; pos <= s.length; pos++) {
    if (budget.steps <= 0) return null
    // unanchored: a new thread starts at every position (same generation as the carried-over threads)
    if (add(clist, 0, pos)) return true
    if (pos === s.length) break
    const ch = s.charCodeAt(pos)
    gen_++
    nlist = []
    for (const pc of clist) {
      const ins = prog[pc] as Inst
      budget.steps--
      if (ins.op === 'set' && inSet(ins.ranges, ch, fold) !== ins.neg) {
        if (add(nlist, pc + 1, pos + 1)) return true
      }
    }
    clist = nlist
  }
  return false
}

/**
 * Compiles a pattern for `matches`, or says why it is refused. The matcher returns `true` / `false`, or
 * `null` when the step budget ran out. Never throws.
 *
 * @example
 * ```ts
 * import * as E from 'fp-ts/lib/Either.js'
 * const re = compilePattern('^(ok|OK)$')
 * E.isRight(re) && re.right.test('OK', { steps: 10_000 }) // true
 * compilePattern('(a)\\1') // Left('back-references are not allowed')
 * ```
 * @category parsing
 */
export const compilePattern = (pattern: string): E.Either<string, RegExpLike> => {
  if (pattern.length > PATTERN_LIMITS.maxLength) return E.left(`longer than ${PATTERN_LIMITS.maxLength} characters`)
  try {
    let fold = false
    let body = pattern
    if (body.startsWith('(?i)')) {
      fold = true
      body = body.slice(4)
    }
    const c: Cursor = { s: body, i: 0, depth: 0 }
    const re = parseAlt(c)
    if (c.i < body.length) bad(`unbalanced ')' at offset ${c.i + (fold ? 4 : 0)}`)
    const prog: Inst[] = []
    gen(prog, re)
    emit(prog, { op: 'match' })
    const frozen = Object.freeze(prog)
    return E.right(Object.freeze({ source: pattern, test: (s: string, budget: { steps: number }) => run(frozen, fold, s, budget) }))
  } catch (e) {
    return E.left(e instanceof PatternError ? e.message : 'cannot compile the pattern')
  }
}
