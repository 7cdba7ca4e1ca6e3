/**
 * What a condition reads, for tools that must invent a `result` that passes or fails it (the CLI's
 * simulator stand-ins): the string and number literals it compares with and the member paths it reads
 * from `result` (`result.data.count` -> `['data', 'count']`). Candidate results built from these cover the
 * usual forms (`result == 'ok'`, `result.ok`, `result.data.count > 0`, `all(result, # < 1000)`).
 *
 * @module
 */
import * as E from 'fp-ts/lib/Either.js'
import type { ExprNode } from './ast.js'
import { parseExpr } from './parser.js'
import type { ExprValue } from './values.js'

/**
 * Literals and `result` paths of a condition.
 *
 * @example
 * ```ts
 * const h: ConditionHints = { strings: ['ok'], numbers: [0], paths: [['data', 'count']], predicate: false }
 * ```
 * @category conditions
 */
export interface ConditionHints {
  readonly strings: readonly string[]
  readonly numbers: readonly number[]
  readonly paths: readonly (readonly (string | number)[])[]
  /** the condition runs a predicate over `result` itself (all(result, ...)) */
  readonly predicate: boolean
}

const pathOf = (n: ExprNode): (string | number)[] | null => {
  if (n.k === 'result') return []
  if (n.k === 'member' && n.key.k === 'lit' && (typeof n.key.v === 'string' || typeof n.key.v === 'number')) {
    const base = pathOf(n.obj)
    return base === null ? null : [...base, n.key.v]
  }
  return null
}

/**
 * Collects the hints of an argo-dialect condition (empty hints when it does not parse). Never throws.
 *
 * @example
 * ```ts
 * conditionHints("result.status == 'ok'").paths // [['status']]
 * ```
 * @category conditions
 */
export const conditionHints = (text: string): ConditionHints => {
  const t = parseExpr(text)
  const strings = new Set<string>()
  const numbers = new Set<number>()
  const paths: (string | number)[][] = []
  let predicate = false
  const lit = (v: ExprValue): void => {
    if (typeof v === 'string') strings.add(v)
    else if (typeof v === 'number' && Number.isFinite(v)) numbers.add(v)
    else if (Array.isArray(v)) (v as readonly ExprValue[]).forEach(lit)
  }
  const walk = (n: ExprNode): void => {
    const p = pathOf(n)
    if (p !== null && p.length > 0) {
      paths.push(p)
      if (n.k === 'member') walk(n.obj)
      return
    }
    switch (n.k) {
      case 'lit':
        lit(n.v)
        return
      case 'array':
        n.items.forEach(walk)
        return
      case 'member':
        walk(n.obj)
        walk(n.key)
        return
      case 'unary':
        walk(n.x)
        return
      case 'binary':
        walk(n.a)
        walk(n.b)
        return
      case 'chain':
        n.xs.forEach(walk)
        return
      case 'cond':
        walk(n.c)
        walk(n.y)
        walk(n.n)
        return
      case 'call':
        n.args.forEach(walk)
        return
      case 'predicate':
        if (n.arr.k === 'result') predicate = true
        walk(n.arr)
        walk(n.body)
        return
      default:
        return
    }
  }
  if (E.isRight(t)) walk(t.right)
  return { strings: [...strings], numbers: [...numbers], paths, predicate }
}
