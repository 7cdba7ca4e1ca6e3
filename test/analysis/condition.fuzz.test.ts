import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import * as E from 'fp-ts/lib/Either.js'
import { checkCondition, evaluateCondition } from '../../src/analysis/condition.js'
import type { CompiledCondition, ConditionDialect, ConditionError } from '../../src/analysis/condition.js'
import { getConditionMath } from '../../src/analysis/mathjsInstance.js'
const conditionMath = getConditionMath()

// Snapshot of the shared instance before any fuzzing: every own property and its value.
const snapshot = (): Map<string, unknown> => new Map(Object.keys(conditionMath).map((k) => [k, (conditionMath as unknown as Record<string, unknown>)[k]]))
const before = snapshot()
const protoBefore = Object.getOwnPropertyNames(Object.prototype).sort()

const dialect = fc.constantFrom<ConditionDialect>('argo', 'mathjs')
const resultArb = fc.oneof(
  fc.double(),
  fc.array(fc.double(), { maxLength: 5 }),
  fc.constantFrom(0, 1, NaN, Infinity, -Infinity),
  fc.constant([] as number[]),
)

/** check and evaluate never throw; a Right evaluates to Right(boolean) or Left(string). */
const total = (text: string, d: ConditionDialect, result: number | number[]): E.Either<ConditionError, CompiledCondition> => {
  const c = checkCondition(text, d)
  expect(typeof c._tag).toBe('string')
  if (E.isLeft(c)) {
    expect(typeof c.left.message).toBe('string')
    expect(c.left.position === null || (Number.isInteger(c.left.position) && c.left.position >= 0 && c.left.position <= text.length)).toBe(true)
    return c
  }
  const out = evaluateCondition(c.right, result)
  if (E.isRight(out)) expect(typeof out.right).toBe('boolean')
  else expect(typeof out.left).toBe('string')
  return c
}

// Pieces that must always be refused, wherever they appear in an expression.
const DANGEROUS_LEAVES = [
  'createUnit("foo")',
  "createUnit('foo')",
  'createUnit(1)',
  'import(1)',
  'evaluate("1")',
  "evaluate('1')",
  'parse("1")',
  'simplify("x")',
  'compile("1")',
  'config(1)',
  'typed(1)',
  'chain(1)',
  'help(1)',
  'f(x) = 1',
  'result = 0',
  'pi = 3',
  'sqrt = 1',
  '{a: 1}',
  '1:3',
  'result[1:2]',
  '[1, 2]',
  'result.constructor',
  'result["constructor"]',
  'constructor',
  '__proto__',
  'toString',
  'x',
  '5 cm',
  'a; b',
  'Unit',
  'null',
  'undefined',
  'end',
]
const SAFE_LEAVES = ['result', 'result[0]', 'result[1]', 'result[-1]', '0', '1', '0.95', '1e3', 'true', 'false', 'NaN', 'Infinity', 'pi', 'e']
const SAFE_OPS = ['+', '-', '*', '/', '%', '^', '**', '==', '!=', '<', '<=', '>', '>=', '&&', '||', 'and', 'or', 'xor']
const DANGEROUS_OPS = ['=', ':', '&', '|', ' to ', ' in ', '<<', '??', '.', ';', '\n=\n']
const SAFE_FNS = ['isNaN', 'isInf', 'isNil', 'default', 'len', 'asInt', 'asFloat', 'abs', 'min', 'max', 'sum', 'mean', 'sqrt', 'round', 'floor', 'ceil', 'log', 'log10', 'exp', 'pow']
const DANGEROUS_FNS = ['createUnit', 'import', 'evaluate', 'parse', 'simplify', 'derivative', 'compile', 'config', 'reviver', 'resolve', 'f', 'result']

interface Expr {
  readonly text: string
  readonly dangerous: boolean
}
const leaf = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...SAFE_LEAVES).map((text) => ({ text, dangerous: false })) },
  { weight: 1, arbitrary: fc.constantFrom(...DANGEROUS_LEAVES).map((text) => ({ text, dangerous: true })) },
)
const op = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...SAFE_OPS).map((text) => ({ text, dangerous: false })) },
  { weight: 1, arbitrary: fc.constantFrom(...DANGEROUS_OPS).map((text) => ({ text, dangerous: true })) },
)
const fnName = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...SAFE_FNS).map((text) => ({ text, dangerous: false })) },
  { weight: 1, arbitrary: fc.constantFrom(...DANGEROUS_FNS).map((text) => ({ text, dangerous: true })) },
)
const { expr } = fc.letrec<{ expr: Expr }>((tie) => ({
  expr: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    leaf,
    fc.tuple(fc.constantFrom('!', '-', 'not '), tie('expr')).map(([u, e]) => ({ text: `${u}${e.text}`, dangerous: e.dangerous })),
    fc.tuple(tie('expr'), op, tie('expr')).map(([a, o, b]) => ({ text: `${a.text} ${o.text} ${b.text}`, dangerous: a.dangerous || o.dangerous || b.dangerous })),
    fc.tuple(fnName, fc.array(tie('expr'), { minLength: 1, maxLength: 3 })).map(([f, args]) => ({
      text: `${f.text}(${args.map((a) => a.text).join(', ')})`,
      dangerous: f.dangerous || args.some((a) => a.dangerous),
    })),
    tie('expr').map((e) => ({ text: `(${e.text})`, dangerous: e.dangerous })),
    fc.tuple(tie('expr'), tie('expr'), tie('expr')).map(([c, y, n]) => ({
      text: `${c.text} ? ${y.text} : ${n.text}`,
      dangerous: c.dangerous || y.dangerous || n.dangerous,
    })),
  ),
}))

describe('condition sandbox fuzzing', () => {
  it('random strings never throw out of check / evaluate', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 80 }), fc.string({ unit: 'grapheme', maxLength: 40 }), fc.string({ unit: fc.constantFrom(...'result[0]()&|!=<>.,;:{}"\'#?+-*/%^ 123e\n'.split('')), maxLength: 60 })), dialect, resultArb, (text, d, result) => {
        total(text, d, result)
      }),
      { numRuns: 3000 },
    )
  })

  it('huge inputs are refused quickly and never throw', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1001, max: 200_000 }), fc.constantFrom('1+', '(', 'result[0] && ', 'a'), dialect, (n, unit, d) => {
        const text = unit.repeat(Math.ceil(n / unit.length)).slice(0, n)
        const c = checkCondition(text, d)
        expect(E.isLeft(c) && c.left.message).toMatch(/longer than 1000/)
      }),
      { numRuns: 50 },
    )
    // within the length limit, deep nesting and long chains are refused (not a stack overflow)
    for (const text of [`${'('.repeat(499)}1${')'.repeat(499)}`, `${'-'.repeat(999)}1`, `${'!'.repeat(999)}true`, `${'1^'.repeat(499)}1`]) {
      for (const d of ['argo', 'mathjs'] as const) expect(E.isLeft(checkCondition(text, d))).toBe(true)
    }
  })

  it('random expressions: dangerous constructs are always refused, the rest never throws', () => {
    let accepted = 0
    let evaluatedToBoolean = 0
    fc.assert(
      fc.property(expr, dialect, resultArb, (e, d, result) => {
        const c = total(e.text, d, result)
        if (e.dangerous) expect(E.isLeft(c)).toBe(true)
        if (E.isRight(c)) {
          accepted++
          if (E.isRight(evaluateCondition(c.right, result))) evaluatedToBoolean++
        }
      }),
      { numRuns: 3000 },
    )
    // the generator is not vacuous: many safe expressions pass the checker and some evaluate to a boolean
    expect(accepted).toBeGreaterThan(300)
    expect(evaluatedToBoolean).toBeGreaterThan(30)
  })

  it('accepted expressions only ever reach the allow-listed names', () => {
    const allowed = new Set(['result', 'rk$at0', 'rk$at1', 'rk$at0n', 'rk$at1n', 'rk$bool', 'rk$isNaN', 'rk$isInf', 'rk$isNil', 'rk$default', 'rk$len', 'rk$asInt', 'rk$asFloat', 'abs', 'min', 'max', 'sum', 'mean', 'sqrt', 'round', 'floor', 'ceil', 'log', 'log10', 'exp', 'pow', 'and', 'or', 'not', 'xor', 'true', 'false', 'NaN', 'Infinity'])
    fc.assert(
      fc.property(expr, dialect, (e, d) => {
        const c = checkCondition(e.text, d)
        if (E.isRight(c)) {
          for (const name of c.right.expression.match(/[A-Za-z_$][A-Za-z0-9_$]*/g) ?? []) {
            if (!/^\d/.test(name)) expect(allowed.has(name), `${name} in ${c.right.expression}`).toBe(true)
          }
        }
      }),
      { numRuns: 1000 },
    )
  })

  it('never mutates the caller\u2019s result array (and does not freeze it)', () => {
    fc.assert(
      fc.property(expr, dialect, fc.array(fc.double(), { maxLength: 5 }), (e, d, result) => {
        const copy = [...result]
        const c = checkCondition(e.text, d)
        if (E.isRight(c)) evaluateCondition(c.right, result)
        expect(result).toEqual(copy)
        expect(Object.isFrozen(result)).toBe(false)
      }),
      { numRuns: 1000 },
    )
  })

  it('the shared instance is unchanged after all attempts: no unit foo, no new or replaced functions', () => {
    for (const text of ['createUnit("foo")', 'createUnit(\'foo\', \'1 m\')', 'import({x: 1})', 'config({number: "BigNumber"})', 'evaluate("createUnit(\\"foo\\")")', 'f(x) = x', 'result = 0', 'pi = 3']) {
      for (const d of ['argo', 'mathjs'] as const) expect(E.isLeft(checkCondition(text, d))).toBe(true)
    }
    const after = snapshot()
    expect([...after.keys()].sort()).toEqual([...before.keys()].sort())
    for (const [k, v] of before) expect(Object.is(after.get(k), v), k).toBe(true)
    const m = conditionMath as unknown as Record<string, unknown>
    expect(m['createUnit']).toBeUndefined()
    expect(m['evaluate']).toBeUndefined()
    // the instance has a Unit class (operators accept units) but no unit 'foo' was ever created
    const Unit = m['Unit'] as { isValuelessUnit: (name: string) => boolean } | undefined
    if (Unit !== undefined) {
      expect(Unit.isValuelessUnit('foo')).toBe(false)
      expect(Unit.isValuelessUnit('cm')).toBe(true)
    }
    expect(m['foo']).toBeUndefined()
    expect((conditionMath.config as unknown as () => { number: string })().number).toBe('number')
    expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(protoBefore)
    // and a fresh evaluation still behaves the same
    const c = checkCondition('result[0] >= 0.95 && !isNaN(result[0]) && pi > 3', 'argo')
    expect(E.isRight(c) && evaluateCondition(c.right, [0.97])).toEqual(E.right(true))
    expect(E.isRight(c) && evaluateCondition(c.right, [0.5])).toEqual(E.right(false))
  })
})
