import { describe, expect, it } from 'vitest'
import { guarded, guardedAsync } from '../../src/model/guard.js'

class Mine extends Error {}

describe('guarded', () => {
  it('passes the arguments and the result through', () => {
    const add = guarded('add', (a: number, b: number) => a + b, () => -1)
    expect(add(1, 2)).toBe(3)
  })
  it('gives onThrow the message, the unguarded function, the arguments and the thrown value', () => {
    const boom = new Mine('boom')
    const seen: unknown[] = []
    const f = guarded('f', (_x: number): number => {
      throw boom
    }, (message, unguarded, args, thrown) => {
      seen.push(message, typeof unguarded, args, thrown)
      return 0
    })
    expect(f(7)).toBe(0)
    expect(seen).toEqual(['f: could not read its input: boom', 'function', [7], boom])
    expect(seen[3]).toBe(boom)
  })
  it('an onThrow that ignores the thrown value is unchanged', () => {
    const f = guarded('f', (): string => {
      throw 'nope'
    }, (m) => m)
    expect(f()).toBe('f: could not read its input: nope')
  })
})

describe('guardedAsync', () => {
  it('gives onThrow the rejection', async () => {
    const boom = new Mine('late')
    const f = guardedAsync('f', async (): Promise<unknown> => {
      throw boom
    }, (_m, _f, _a, thrown) => thrown)
    await expect(f()).resolves.toBe(boom)
  })
})
