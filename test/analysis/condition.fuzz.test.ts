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
// what Argo's web provider hands a condition: strings, JSON objects, arrays of them
const jsonArb = fc.oneof(fc.jsonValue({ maxDepth: 3 }), fc.constantFrom<unknown>('ok', 'It worked!', { ok: true, data: { count: 3 } }, [{ status: 'up' }], { 'error-rate': 0.001 }))
// hostile values: throwing getters and Proxy traps, throwing toString, functions, symbols, cycles
const cyclic: Record<string, unknown> = { a: 1 }
cyclic['self'] = cyclic
// (built inside the property: fast-check itself must not touch them)
const HOSTILE: readonly (() => unknown)[] = [
  () => new Proxy({}, { ownKeys: () => { throw new Error('ownKeys') } }),
  () => new Proxy({ a: 1 }, { getOwnPropertyDescriptor: () => { throw new Error('gopd') } }),
  () => new Proxy([1, 2], { get: () => { throw new Error('get') } }),
  () => { const { proxy, revoke } = Proxy.revocable({}, {}); revoke(); return proxy },
  () => ({ get a() { throw new Error('getter') } }),
  () => ({ a: { toString: () => { throw new Error('toString') }, valueOf: () => { throw new Error('valueOf') } } }),
  () => Object.defineProperty([1, 2], 0, { get: () => { throw new Error('index getter') } }),
  () => () => 1,
  () => Symbol('s'),
  () => 10n,
  () => cyclic,
  () => ({ ok: true, __proto__: { ok: false } }),
]
const hostileArb = fc.nat({ max: HOSTILE.length - 1 }).map((i) => ({ hostile: i }))
const materialise = (r: unknown): unknown =>
  typeof r === 'object' && r !== null && 'hostile' in r && typeof (r as { hostile: unknown }).hostile === 'number' ? HOSTILE[(r as { hostile: number }).hostile]?.() : r

/** check and evaluate never throw; a Right evaluates to Right(boolean) or Left(string). */
const total = (text: string, d: ConditionDialect, result: unknown): E.Either<ConditionError, CompiledCondition> => {
  const c = checkCondition(text, d)
  expect(typeof c._tag).toBe('string')
  if (E.isLeft(c)) {
    expect(typeof c.left.message).toBe('string')
    expect(c.left.position === null || (Number.isInteger(c.left.position) && c.left.position >= 0 && c.left.position <= text.length)).toBe(true)
    return c
  }
  const out = evaluateCondition(c.right, result as number)
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
// refused in the mathjs dialect only (the argo dialect has arrays, member access, nil, in and ??)
const MATHJS_ONLY_DANGEROUS = new Set(['[1, 2]', 'result.constructor', 'result["constructor"]', ' in ', '??', '.', "'ok'", 'result.ok', "result['a-b']", 'nil', 'all(result, # > 1)', "result matches '^(a|b)+$'", "result startsWith 'x'", '[1, 2, 3]'])
// refused in the argo dialect only (mathjs spellings that expr-lang does not have)
const ARGO_ONLY_DANGEROUS = new Set(['pi', 'e', ' xor '])
const SAFE_LEAVES = ['result', 'result[0]', 'result[1]', 'result[-1]', '0', '1', '0.95', '1e3', 'true', 'false', 'NaN', 'Infinity', 'pi', 'e',
  "'ok'", 'result.ok', "result['a-b']", 'nil', 'all(result, # > 1)', "result matches '^(a|b)+$'", "result startsWith 'x'", '[1, 2, 3]']
const SAFE_OPS = ['+', '-', '*', '/', '%', '^', '**', '==', '!=', '<', '<=', '>', '>=', '&&', '||', 'and', 'or', ' xor ', ' in ', '??']
const DANGEROUS_OPS = ['=', ':', '&', '|', ' to ', '<<', ';', '\n=\n', '.']
const SAFE_FNS = ['isNaN', 'isInf', 'isNil', 'default', 'len', 'asInt', 'asFloat', 'abs', 'min', 'max', 'sum', 'mean', 'sqrt', 'round', 'floor', 'ceil', 'log', 'log10', 'exp', 'pow']
const DANGEROUS_FNS = ['createUnit', 'import', 'evaluate', 'parse', 'simplify', 'derivative', 'compile', 'config', 'reviver', 'resolve', 'f', 'result']

/** Whether an expression must be refused, per dialect. */
interface Expr {
  readonly text: string
  readonly dangerous: { readonly argo: boolean; readonly mathjs: boolean }
}
const tag = (text: string, always: boolean): Expr => ({
  text,
  dangerous: { argo: (always && !MATHJS_ONLY_DANGEROUS.has(text)) || ARGO_ONLY_DANGEROUS.has(text), mathjs: always || MATHJS_ONLY_DANGEROUS.has(text) },
})
const or = (...es: readonly Expr[]): Expr['dangerous'] => ({ argo: es.some((e) => e.dangerous.argo), mathjs: es.some((e) => e.dangerous.mathjs) })
const leaf = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...SAFE_LEAVES).map((text) => tag(text, false)) },
  { weight: 1, arbitrary: fc.constantFrom(...DANGEROUS_LEAVES).map((text) => tag(text, true)) },
)
const op = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...SAFE_OPS).map((text) => tag(text, false)) },
  { weight: 1, arbitrary: fc.constantFrom(...DANGEROUS_OPS).map((text) => tag(text, true)) },
)
const fnName = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...SAFE_FNS).map((text) => tag(text, false)) },
  { weight: 1, arbitrary: fc.constantFrom(...DANGEROUS_FNS).map((text) => tag(text, true)) },
)
const { expr } = fc.letrec<{ expr: Expr }>((tie) => ({
  expr: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    leaf,
    fc.tuple(fc.constantFrom('!', '-', 'not '), tie('expr')).map(([u, e]) => ({ text: `${u}${e.text}`, dangerous: e.dangerous })),
    fc.tuple(tie('expr'), op, tie('expr')).map(([a, o, b]) => {
      const d = or(a, o, b)
      // in the argo dialect a word after '.' is a property name (result.pi, result.undefined), not the name it spells elsewhere
      const property = o.text === '.' && /^[A-Za-z_]\w*$/.test(b.text)
      // after '.', a larger right side is parenthesised: otherwise its first word would become the property
      // (`result . e + result` is (result.e) + result, where `e` is no longer the constant the model judged)
      const right = o.text === '.' && !property ? `(${b.text})` : b.text
      return { text: `${a.text} ${o.text} ${right}`, dangerous: property ? { argo: a.dangerous.argo || o.dangerous.argo, mathjs: d.mathjs } : d }
    }),
    fc.tuple(fnName, fc.array(tie('expr'), { minLength: 1, maxLength: 3 })).map(([f, args]) => ({
      text: `${f.text}(${args.map((a) => a.text).join(', ')})`,
      dangerous: or(f, ...args),
    })),
    tie('expr').map((e) => ({ text: `(${e.text})`, dangerous: e.dangerous })),
    fc.tuple(tie('expr'), tie('expr'), tie('expr')).map(([c, y, n]) => ({
      text: `${c.text} ? ${y.text} : ${n.text}`,
      dangerous: or(c, y, n),
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
        if (e.dangerous[d]) expect(E.isLeft(c), `${e.text} (${d}) must be refused`).toBe(true)
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

  it('the argo dialect: JSON and hostile results never throw, never reach a prototype, always give a boolean or a reason', () => {
    let readable = 0
    fc.assert(
      fc.property(expr, fc.oneof(resultArb, jsonArb, hostileArb), (e, r) => {
        const result = materialise(r)
        const c = total(e.text, 'argo', result)
        if (E.isRight(c)) {
          const out = evaluateCondition(c.right, result as number)
          expect(typeof (E.isRight(out) ? out.right : out.left)).toMatch(/^(boolean|string)$/)
          if (E.isRight(out)) readable++
        }
      }),
      { numRuns: 3000 },
    )
    expect(readable).toBeGreaterThan(30)
    expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(protoBefore)
  })

  it('hostile results are refused with a typed reason, not an exception', () => {
    const c = checkCondition("result.a == 1 || len(result) > 0 || result matches 'x'", 'argo')
    if (E.isLeft(c)) throw new Error(c.left.message)
    for (const make of HOSTILE) {
      const out = evaluateCondition(c.right, make() as number)
      expect(E.isLeft(out) || typeof out.right === 'boolean').toBe(true)
    }
    // an own __proto__ key is data, the inherited one is never read
    const proto = checkCondition('result.ok == true', 'argo')
    expect(E.isRight(proto) && evaluateCondition(proto.right, { ok: true, __proto__: { ok: false } } as never)).toEqual(E.right(true))
    expect(E.isRight(proto) && evaluateCondition(proto.right, Object.create({ ok: true }) as never)).toEqual(E.right(false))
  })

  it('catastrophic patterns run in linear time (step-limited), never hang', () => {
    for (const [pattern, subject] of [['(a+)+$', `${'a'.repeat(20_000)}b`], ['(a|a)*c', 'a'.repeat(20_000)], ['(x+x+)+y', 'x'.repeat(5_000)], ['^(\\w+\\s?)*$', `${'word '.repeat(2000)}!`]] as const) {
      const c = checkCondition(`result matches ${JSON.stringify(pattern)}`, 'argo')
      if (E.isLeft(c)) throw new Error(c.left.message)
      const out = evaluateCondition(c.right, subject)
      // either a definite answer or the step limit, never a hang: the work is bounded by program size x length
      expect(E.isRight(out) ? out.right : out.left).toSatisfy((x: unknown) => x === false || (typeof x === 'string' && /steps/.test(x)))
    }
  })

  it('accepted mathjs expressions only ever reach the allow-listed names', () => {
    const allowed = new Set(['result', 'rk$at0', 'rk$at1', 'rk$at0n', 'rk$at1n', 'rk$bool', 'rk$isNaN', 'rk$isInf', 'rk$isNil', 'rk$default', 'rk$len', 'rk$asInt', 'rk$asFloat', 'abs', 'min', 'max', 'sum', 'mean', 'sqrt', 'round', 'floor', 'ceil', 'log', 'log10', 'exp', 'pow', 'and', 'or', 'not', 'xor', 'true', 'false', 'NaN', 'Infinity'])
    fc.assert(
      fc.property(expr, (e) => {
        const c = checkCondition(e.text, 'mathjs')
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
    const c = checkCondition('result[0] >= 0.95 && !isNaN(result[0]) && 3.2 > 3', 'argo')
    expect(E.isRight(c) && evaluateCondition(c.right, [0.97])).toEqual(E.right(true))
    expect(E.isRight(c) && evaluateCondition(c.right, [0.5])).toEqual(E.right(false))
  })
})
