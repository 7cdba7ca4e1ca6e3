import { describe, expect, it } from 'vitest'
import * as E from 'fp-ts/lib/Either.js'
import { CONDITION_LIMITS, checkCondition, conditionSpecErrors, evaluateCondition, formatResult } from '../../src/analysis/condition.js'
import type { ConditionDialect } from '../../src/analysis/condition.js'
import { translateCondition } from '../../src/analysis/mathjsTokens.js'

const compiled = (text: string, dialect: ConditionDialect = 'argo') => {
  const c = checkCondition(text, dialect)
  if (E.isLeft(c)) throw new Error(`unexpected refusal of ${text}: ${c.left.message}`)
  return c.right
}
const run = (text: string, result: number | readonly number[], dialect: ConditionDialect = 'argo') =>
  evaluateCondition(compiled(text, dialect), result)
const refused = (text: string, dialect: ConditionDialect = 'argo') => {
  const c = checkCondition(text, dialect)
  if (E.isRight(c)) throw new Error(`${text} was accepted as ${c.right.expression}`)
  return c.left
}

describe('Argo spellings (dialect argo)', () => {
  it.each([
    ['result[0] >= 0.95 && result[1] < 10', [0.96, 5], true],
    ['result[0] >= 0.95 && result[1] < 10', [0.96, 12], false],
    ['result[0] >= 0.95 && result[1] < 10', [0.9, 5], false],
    ['result[0] >= 0.95 || result[1] < 10', [0.9, 5], true],
    ['!isNaN(result[0])', [NaN], false],
    ['!isNaN(result[0])', [1], true],
    ['!(result[0] > 1)', [2], false],
    ['default(result[0], 0) > 1', [], false],
    ['default(result[0], 0) > 1', [NaN], false],
    ['default(result[0], 5) > 1', [NaN], true],
    ['default(result[0], 0) > 1', [3], true],
    ['isInf(result)', Infinity, true],
    ['isInf(result)', -Infinity, true],
    ['isInf(result, 1)', -Infinity, false],
    ['isInf(result[0])', [1], false],
    ['isNil(result[3])', [1], true],
    ['isNil(result[0])', [1], false],
    ['len(result) == 2', [1, 2], true],
    ['len(result) == 0 || result[0] >= 0.9', [], true],
    ['len(result) > 0 && result[0] >= 0.9', [], false],
    ['result[-1] == 3', [1, 2, 3], true],
    ['result == 1', 1, true],
    ['result != 1', 1, false],
    ['result ** 2 == 9', 3, true],
    ['asInt(result) == 2', 2.7, true],
    ['asFloat(result) == 2.5', 2.5, true],
    ['max(result) < 3 && mean(result) >= 2', [1, 2, 3], false],
    ['sum(result) == 6 and min(result) == 1', [1, 2, 3], true],
    ['result > 1 ? true : false', 2, true],
    ['1 < result < 3', 2, true],
    ['abs(result - 1) < 0.01', 1.005, true],
    ['sqrt(result) > 0 || true', -1, true],
    ['NaN != NaN', 0, true],
    ['result < Infinity', 1e308, true],
  ] as const)('%s on %j is %s', (text, result, expected) => {
    expect(run(text, result)).toEqual(E.right(expected))
  })

  it('the mathjs dialect refuses Argo spellings with the mathjs one to use, at their position', () => {
    expect(translateCondition('a && b')).toEqual(E.left({ position: 2, message: "'&&' is Argo syntax; the mathjs dialect writes 'and' (column 3)" }))
    expect(translateCondition('a || b')).toEqual(E.left({ position: 2, message: "'||' is Argo syntax; the mathjs dialect writes 'or' (column 3)" }))
    expect(E.isLeft(translateCondition('!a'))).toBe(true)
  })

  it('maps rewritten positions back to the author\u2019s characters', () => {
    const t = translateCondition('x  and  y')
    if (E.isLeft(t)) throw new Error('refused')
    const i = t.right.text.indexOf('and')
    expect(t.right.positions[i]).toBe(3)
  })
})

describe('dialect mathjs', () => {
  it('indexes result from 1 and takes mathjs spellings as they are', () => {
    expect(run('result[1] == 10 and result[2] == 20', [10, 20], 'mathjs')).toEqual(E.right(true))
    expect(run('not (result[1] > 10) or false', [10], 'mathjs')).toEqual(E.right(true))
    expect(run('result > 1 xor true', 2, 'mathjs')).toEqual(E.right(false))
  })
  it('same text, different base: result[1] is the second element in argo, the first in mathjs', () => {
    expect(run('result[1] == 20', [10, 20], 'argo')).toEqual(E.right(true))
    expect(run('result[1] == 20', [10, 20], 'mathjs')).toEqual(E.right(false))
  })
  it('refuses Argo-only spellings with a hint', () => {
    expect(refused('a && b', 'mathjs').message).toMatch(/'and'/)
    expect(refused('!a', 'mathjs').position).toBe(0)
    expect(refused('3!', 'mathjs').position).toBe(1)
  })
})

describe('measurement errors (Left from evaluateCondition)', () => {
  it.each([
    ['result[0] >= 0.95', [], /result\[0\] is nil: the vector has 0 elements/],
    ['result[0] >= 0.95', 0.97, /not a vector/],
    ['result >= 0.95', [0.97], /'>=' compares two numbers or two strings, got a list of 1 and 0.95/],
    ['result', 1, /gave 1, not true or false/],
    ['result + 1', 1, /not true or false/],
    ['isNaN(result)', [1], /isNaN\(\) expects a number, got a vector/],
    ['len(result) > 0', 3, /len\(\) expects a list, a map or a string, got 3/],
    ['mean(result) > 0', [], /./],
    ['default(result[0], result[0]) > 0', [], /nil/],
    ['result[0.5] > 0', [1], /index must be an integer/],
  ] as const)('%s on %j', (text, result, message) => {
    const out = run(text, result)
    expect(E.isLeft(out)).toBe(true)
    if (E.isLeft(out)) expect(out.left).toMatch(message)
  })

  it('the mathjs dialect refuses a result that is not a number or a vector of numbers', () => {
    const c = compiled('result > 0', 'mathjs')
    expect(E.isLeft(evaluateCondition(c, 'x'))).toBe(true)
    expect(E.isLeft(evaluateCondition(c, [1, 'x']))).toBe(true)
    expect(E.isLeft(evaluateCondition(c, null))).toBe(true)
  })
  it('the argo dialect compares strings and refuses order across kinds', () => {
    const c = compiled('result > 0')
    expect(evaluateCondition(c, 'x')).toEqual(E.left("'>' compares two numbers or two strings, got 'x' and 0"))
    expect(evaluateCondition(c, null)).toEqual(E.left("'>' compares two numbers or two strings, got nil and 0"))
  })
})

describe('refusals at check time, with positions', () => {
  it.each([
    ['result = 0', 'mathjs', 7, /assignment/],
    ['f(x) = 1', 'mathjs', 5, /assignment/],
    ['createUnit("foo")', 'argo', 0, /function 'createUnit' is not allowed/],
    ["createUnit('foo')", 'mathjs', 11, /strings/],
    ['createUnit(1)', 'mathjs', 0, /unknown name 'createUnit'/],
    ['import(1)', 'argo', 0, /function 'import' is not allowed/],
    ['evaluate(1)', 'argo', 0, /function 'evaluate' is not allowed/],
    ['parse(1)', 'mathjs', 0, /unknown name 'parse'/],
    ['simplify(result)', 'argo', 0, /function 'simplify' is not allowed/],
    ['result > 1 && foo', 'argo', 14, /unknown name 'foo'/],
    ['{a: 1}', 'mathjs', 0, /object literals/],
    ['result[1:2] > 0', 'mathjs', 8, /ranges/],
    ['[1, 2] == result', 'mathjs', 0, /vector literals/],
    ['result[0][1] > 0', 'mathjs', 9, /indexing is only allowed on result/],
    ['result[0, 1] > 0', 'argo', 6, /exactly one value/],
    ['result.length > 0', 'mathjs', 6, /property access/],
    ['result.f(1)', 'argo', 7, /method calls are not allowed/],
    ['result[1:2]', 'argo', 8, /slices are not allowed/],
    ['1..3', 'argo', 1, /ranges/],
    ['{a: 1}', 'argo', 0, /map literals are not allowed/],
    ['let x = 1; x', 'argo', 6, /assignment/],
    ['if result > 1 { true } else { false }', 'argo', 0, /'if' is not allowed/],
    ['result ?: 1', 'argo', 8, /elvis/],
    ['# > 1', 'argo', 0, /only allowed inside a predicate/],
    ['all(result, #index > 1)', 'argo', 12, /'#index' is not allowed/],
    ['all(result)', 'argo', 10, /a list and a predicate/],
    ["result matches 'a' + 'b'", 'argo', 7, /needs a string literal pattern/],
    ["result matches '(a)\\\\1'", 'argo', 15, /invalid escape sequence: `\\1`/],
    ["result matches '(?=a)'", 'argo', 15, /unsupported Perl syntax: `\(\?=`/],
    ["'abc", 'argo', 0, /not closed/],
    ['result // comment', 'argo', 7, /comments/],
    ['$env', 'argo', 0, /'\$' is not allowed/],
    ['result > 1; result < 2', 'argo', 10, /only one expression/],
    ['result > 1 # comment', 'argo', 11, /comments/],
    ['result & 1', 'argo', 7, /bitwise/],
    ['result | 1', 'argo', 7, /bitwise/],
    ['result << 1', 'argo', 7, /shift/],
    ["result'", 'mathjs', 6, /strings and transpose/],
    ['result > 1 cm', 'argo', 11, /unexpected 'cm' after a complete expression/],
    ['result > 1 cm', 'mathjs', 11, /unknown name 'cm'/],
    ['2 to inch', 'argo', 2, /unexpected 'to'/],
    ['null == result', 'argo', 0, /unknown name 'null'/],
    ['result(1)', 'argo', 0, /function 'result' is not allowed/],
    ['sqrt > 1', 'argo', 0, /sqrt is a function/],
    ['isNaN(result, 1)', 'argo', 0, /takes 1 argument, got 2/],
    ['default(result)', 'argo', 0, /takes 2 arguments, got 1/],
    ['result >= ', 'argo', 10, /syntax error/],
    ['(result > 1', 'argo', 11, /missing closing bracket/],
    ['result > 1)', 'argo', 10, /unbalanced/],
    ['résult > 1', 'argo', 1, /unexpected character U\+00E9/],
  ] as const)('%s (%s) is refused at %d', (text, dialect, position, message) => {
    const e = refused(text, dialect)
    expect(e.position).toBe(position)
    expect(e.message).toMatch(message)
    expect(e.message).toMatch(new RegExp(`column ${position + 1}\\)$`))
  })

  it('refuses empty, non-string, unknown-dialect and over-long input', () => {
    expect(refused('   ').position).toBeNull()
    expect(E.isLeft(checkCondition(42 as unknown as string, 'argo'))).toBe(true)
    expect(E.isLeft(checkCondition('result > 1', 'expr' as unknown as ConditionDialect))).toBe(true)
    const long = `result > ${'1'.padEnd(CONDITION_LIMITS.maxLength, '0')}`
    expect(refused(long).message).toMatch(/longer than 1000/)
  })

  it('refuses more than maxNodes syntax nodes, and nesting deeper than 32', () => {
    const many = Array.from({ length: 150 }, () => '1').join('+') + ' > 0'
    expect(many.length).toBeLessThanOrEqual(CONDITION_LIMITS.maxLength)
    const e = refused(many)
    expect(e.message).toMatch(/more than 200 syntax nodes/)
    expect(e.position).toBeNull()
    expect(refused(`${'('.repeat(40)}1${')'.repeat(40)} > 0`).message).toMatch(/nested deeper than 32/)
  })

  it('accepts multi-line text (YAML block scalars)', () => {
    expect(run('result[0] >= 0.95\n  && result[1] < 10\n', [1, 1])).toEqual(E.right(true))
  })
})

describe('compile once', () => {
  it('memoises by (dialect, text): the same object comes back', () => {
    const a = checkCondition('result > 41', 'argo')
    const b = checkCondition('result > 41', 'argo')
    const c = checkCondition('result > 41', 'mathjs')
    expect(E.isRight(a) && E.isRight(b) && a.right === b.right).toBe(true)
    expect(E.isRight(a) && E.isRight(c) && a.right !== c.right).toBe(true)
  })
  it('compiled conditions are frozen and carry their normalised expression', () => {
    const c = compiled('result[0] >= 0.95 && !isNaN(result[0])')
    expect(Object.isFrozen(c)).toBe(true)
    expect(c.expression).toBe('((result[0] >= 0.95) && !(isNaN(result[0])))')
    expect(compiled('result[0] >= 0.95', 'mathjs').expression).toContain('rk$at1(result, 0)')
  })
})

describe('formatResult', () => {
  it('prints scalars and vectors briefly', () => {
    expect(formatResult(0.93)).toBe('0.93')
    expect(formatResult([0.93, 12])).toBe('[0.93, 12]')
    expect(formatResult([1 / 3])).toBe('[0.333333]')
    expect(formatResult([1, 2, 3, 4, 5, 6, 7])).toBe('[1, 2, 3, 4, 5, ... (7)]')
    expect(formatResult([])).toBe('[]')
  })
})

describe('every allow-listed function is callable in the sandbox', () => {
  it.each([
    'abs(-2) == 2',
    'min(result) == 1 && min(3, 2) == 2',
    'max(result) == 3 && max(3, 4) == 4',
    'sum(result) == 6',
    'mean(result) == 2',
    'sqrt(9) == 3 && isNaN(sqrt(-1))',
    'round(2.6) == 3 && round(2.345, 2) == 2.35',
    'floor(2.6) == 2 && ceil(2.1) == 3',
    'log(exp(1)) == 1 && log(8, 2) == 3 && log10(1000) == 3',
    'exp(0) == 1 && pow(2, 10) == 1024',
    'len(result) == 3 && asInt(-2.5) == -2 && asFloat(2) == 2',
    'isNil(result[9]) && !isNil(result[0]) && default(result[9], 7) == 7',
    'isInf(1 / 0) && !isInf(1)',
  ])('%s', (text) => {
    expect(run(text, [1, 2, 3])).toEqual(E.right(true))
  })
})

describe('conditionSpecErrors (decoder helper)', () => {
  it('reports refused conditions at their field path with the column', () => {
    expect(
      conditionSpecErrors({ kind: 'condition', dialect: 'argo', successCondition: 'result = 1', failureCondition: 'result[0] < 0.5' }, 'analysis.metrics[2]'),
    ).toEqual([{ path: 'analysis.metrics[2].successCondition', message: "assignment '=' is not allowed (compare with '==') (column 8)" }])
    expect(conditionSpecErrors({ kind: 'condition', dialect: 'mathjs', failureCondition: 'a && b' }, 'm')[0]?.path).toBe('m.failureCondition')
    expect(conditionSpecErrors({ kind: 'condition', dialect: 'argo' }, 'm')).toEqual([])
  })
})

describe("matches: RE2 syntax, the routes' engine, linear time (issue 15 item 3)", () => {
  const run = (text: string, result: unknown) => {
    const c = checkCondition(text, 'argo')
    if (E.isLeft(c)) return c.left.message
    return evaluateCondition(c.right, result as never)
  }
  it('matches anywhere in the string, as Go regexp.MatchString', () => {
    expect(run("result matches 'ok'", 'status: ok.')).toEqual(E.right(true))
    expect(run("result matches '^ok$'", 'status: ok.')).toEqual(E.right(false))
    expect(run("result not matches '^5\\\\d\\\\d$'", '200')).toEqual(E.right(true))
  })
  it('accepts the RE2 syntax Argo (Go) accepts: word boundaries, Unicode classes, inline flags, \\Q...\\E', () => {
    expect(run("result matches '\\\\bbeta\\\\b'", 'a beta user')).toEqual(E.right(true))
    expect(run("result matches '^\\\\p{L}+$'", 'été')).toEqual(E.right(true))
    expect(run("result matches '^(?i:OK)$'", 'ok')).toEqual(E.right(true))
    expect(run("result matches '\\\\Qa.b\\\\E'", 'axb')).toEqual(E.right(false))
  })
  it('refuses what Go refuses (back-references, look-around, nested repetition), with the position of the pattern', () => {
    for (const p of ['(a)\\\\1', '(?<=a)b', 'a**']) expect(run(`result matches '${p}'`, 'x')).toMatch(/^pattern .* \(column 16\)$/)
  })
  it('a catastrophic pattern on a long subject answers (a backtracking engine would take ~2^100000 steps)', () => {
    expect(run("result matches '(a+)+$'", `${'a'.repeat(100_000)}b`)).toEqual(E.right(false))
    expect(run("result matches '^(a|aa)+$'", 'a'.repeat(100_000))).toEqual(E.right(true))
    expect(run("result matches '(x+x+)+y'", 'x'.repeat(100_000))).toEqual(E.right(false))
  })
})
