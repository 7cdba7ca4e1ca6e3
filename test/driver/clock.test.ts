import { describe, expect, it } from 'vitest'
import { fakeClock, systemClock, withTimeout } from '../../src/driver/index.js'

describe('fakeClock', () => {
  it('sleep returns at once and moves virtual time', async () => {
    const clock = fakeClock(1000)
    await clock.sleep(60_000)
    expect(clock.now()).toBe(61_000)
  })

  it('concurrent sleepers wake in time order, time never goes backwards', async () => {
    const clock = fakeClock(0)
    const order: [string, number][] = []
    await Promise.all([
      clock.sleep(300).then(() => order.push(['c', clock.now()])),
      clock.sleep(100).then(() => order.push(['a', clock.now()])),
      clock.sleep(200).then(() => order.push(['b', clock.now()])),
    ])
    expect(order).toEqual([
      ['a', 100],
      ['b', 200],
      ['c', 300],
    ])
  })

  it('an aborted sleep resolves without moving time', async () => {
    const clock = fakeClock(0)
    const ac = new AbortController()
    const p = clock.sleep(10_000, ac.signal)
    ac.abort()
    await p
    expect(clock.now()).toBe(0)
    expect(clock.pending()).toBe(0)
    await clock.sleep(5, AbortSignal.abort())
    expect(clock.now()).toBe(0)
  })

  it('advance wakes due sleepers', async () => {
    const clock = fakeClock(0)
    let woke = false
    const p = clock.sleep(50).then(() => (woke = true))
    clock.advance(50)
    await p
    expect(woke).toBe(true)
    expect(clock.now()).toBe(50)
  })
})

describe('systemClock', () => {
  it('sleep resolves early when its signal aborts (no real wait)', async () => {
    const ac = new AbortController()
    const started = Date.now()
    const p = systemClock.sleep(60_000, ac.signal)
    ac.abort()
    await p
    expect(Date.now() - started).toBeLessThan(1000)
  })
})

describe('withTimeout', () => {
  it('returns the call result when it answers in time', async () => {
    expect(await withTimeout(fakeClock(0), 1000, undefined, 'x', async () => 42)).toBe(42)
  })

  it('rejects with a timeout message (on the virtual clock) and aborts the call', async () => {
    const clock = fakeClock(0)
    let callSignal: AbortSignal | undefined
    const hang = (s: AbortSignal) => {
      callSignal = s
      return new Promise<never>(() => undefined)
    }
    await expect(withTimeout(clock, 5000, undefined, 'metrics source', hang)).rejects.toThrow('metrics source timed out after 5000 ms')
    expect(clock.now()).toBe(5000)
    expect(callSignal?.aborted).toBe(true)
  })

  it('turns a synchronous throw into a rejection', async () => {
    await expect(
      withTimeout(fakeClock(0), 1000, undefined, 'x', () => {
        throw new Error('sync boom')
      }),
    ).rejects.toThrow('sync boom')
  })

  it('rejects as cancelled when the outer signal aborts', async () => {
    const ac = new AbortController()
    const p = withTimeout(fakeClock(0), 1000, ac.signal, 'gate g', () => new Promise<never>(() => undefined))
    ac.abort()
    await expect(p).rejects.toThrow('gate g cancelled')
  })
})
