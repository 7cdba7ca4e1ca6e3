import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { anchoredRegex, cookieRegex, escapeRegex } from '../../src/render/patterns.js'

const printable = fc.string({ unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)), maxLength: 12 })

describe('patterns', () => {
  it('escapeRegex makes any text match itself literally', () => {
    fc.assert(
      fc.property(printable, printable, (s, other) => {
        const re = new RegExp(`^${escapeRegex(s)}$`)
        expect(re.test(s)).toBe(true)
        expect(re.test(other)).toBe(other === s)
      }),
    )
  })

  it('anchoredRegex agrees with the string match for exact / prefix / suffix', () => {
    fc.assert(
      fc.property(printable, printable, (v, s) => {
        expect(new RegExp(anchoredRegex({ kind: 'exact', value: v })).test(s)).toBe(s === v)
        expect(new RegExp(anchoredRegex({ kind: 'prefix', value: v })).test(s)).toBe(s.startsWith(v))
        expect(new RegExp(anchoredRegex({ kind: 'suffix', value: v })).test(s)).toBe(s.endsWith(v))
      }),
    )
  })

  it('anchoredRegex makes a regex match the whole value', () => {
    const re = new RegExp(anchoredRegex({ kind: 'regex', value: 'a|b' }))
    expect(['a', 'b'].map((s) => re.test(s))).toEqual([true, true])
    expect(['ab', 'xa', 'b '].map((s) => re.test(s))).toEqual([false, false, false])
  })

  it('cookieRegex finds the cookie anywhere in the cookie header and checks its whole value', () => {
    const token = fc.stringMatching(/^[a-z][a-z0-9_-]{0,6}$/)
    const value = fc.stringMatching(/^[A-Za-z0-9.+*-]{0,8}$/)
    fc.assert(
      fc.property(token, value, fc.array(fc.tuple(token, value), { maxLength: 3 }), fc.nat(3), (name, v, others, at) => {
        const jar = others.filter(([n]) => n !== name).map(([n, x]) => `${n}=${x}`)
        jar.splice(Math.min(at, jar.length), 0, `${name}=${v}`)
        const header = jar.join('; ')
        expect(new RegExp(cookieRegex(name, { kind: 'exact', value: v })).test(header)).toBe(true)
        expect(new RegExp(cookieRegex(name, { kind: 'prefix', value: v.slice(0, 2) })).test(header)).toBe(true)
        expect(new RegExp(cookieRegex(name, { kind: 'suffix', value: v.slice(-2) })).test(header)).toBe(true)
        expect(new RegExp(cookieRegex(name, { kind: 'exact', value: `${v}!` })).test(header)).toBe(false)
        const without = jar.filter((c) => !c.startsWith(`${name}=`)).join('; ')
        expect(new RegExp(cookieRegex(name, { kind: 'prefix', value: '' })).test(without)).toBe(false)
      }),
    )
  })
})
