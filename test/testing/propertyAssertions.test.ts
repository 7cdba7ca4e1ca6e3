import { describe, expect, it } from 'vitest'
import { assertLive, assertNoViolations, decodeDrawn, shortTrace } from '../../src/testing/propertyAssertions.js'
import { metricWorld } from '../../src/testing/world.js'
import { revokedProxy, throwingGetter } from '../../src/testing/hostile.js'
import type { RolloutSpecInput } from '../../src/testing/specArbitraries.js'
import type { TraceEntry } from '../../src/testing/trace.js'

/** What `f` threw (fails the test when it returns). */
const thrown = (f: () => unknown): unknown => {
  try {
    f()
  } catch (e) {
    return e
  }
  throw new Error('expected a throw')
}

const input = { strategy: { canary: { stepWeight: 50, maxWeight: 50 } }, analysis: { interval: '1m', metrics: [{ name: 'sr', thresholdRange: { min: 99 } }] } } as unknown as RolloutSpecInput

describe('the property assertions let their own finding through unchanged', () => {
  it('assertNoViolations throws the violations text itself, with the spec and the trace', () => {
    const e = thrown(() => assertNoViolations(input, [], [{ index: -1 }], 'weight went down'))
    expect(e).toBeInstanceOf(Error)
    expect((e as Error).message.startsWith('weight went down\nspec: ')).toBe(true)
    expect((e as Error).message).not.toContain('could not read its input')
  })
  it('decodeDrawn says the generated spec does not decode, not that it could not read its input', () => {
    const e = thrown(() => decodeDrawn({ strategy: {} } as unknown as RolloutSpecInput))
    expect((e as Error).message.startsWith('generated spec does not decode: ')).toBe(true)
  })
  it('assertLive throws the liveness finding unchanged', () => {
    // a healthy world expected to roll back: the run promotes, so the expectation is violated
    const e = thrown(() => assertLive(input, (spec) => metricWorld(spec, 'healthy'), () => ({ end: 'failed' }), { maxCalls: 200 }))
    expect((e as Error).message).not.toContain('could not read its input')
    expect((e as Error).message).toContain('trace (last calls):')
  })
  it('nothing is thrown when there is no violation', () => {
    expect(assertNoViolations(input, [], [], '')).toBeUndefined()
  })
})

describe('a hostile input met while reading becomes a TypeError naming the function', () => {
  it('shortTrace over a trace whose entry throws', () => {
    const e = thrown(() => shortTrace([throwingGetter('decision') as TraceEntry]))
    expect(e).toBeInstanceOf(TypeError)
    expect((e as Error).message.startsWith('shortTrace: could not read its input: ')).toBe(true)
  })
  it('assertNoViolations over a revoked trace', () => {
    const e = thrown(() => assertNoViolations(input, revokedProxy() as TraceEntry[], [{ index: 0 }], 'x'))
    expect(e).toBeInstanceOf(TypeError)
    expect((e as Error).message.startsWith('assertNoViolations: could not read its input: ')).toBe(true)
  })
  it('a revoked Proxy thrown by the world function is reported, not rethrown raw', () => {
    const e = thrown(() =>
      assertLive(input, () => {
        throw revokedProxy()
      }, () => ({ end: 'ends' })),
    )
    expect(e).toBeInstanceOf(TypeError)
    expect((e as Error).message.startsWith('assertLive: could not read its input: ')).toBe(true)
  })
})
