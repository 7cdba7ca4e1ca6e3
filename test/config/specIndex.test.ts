import { describe, expect, it } from 'vitest'
import * as E from 'fp-ts/lib/Either.js'
import { decodeSpec, initialState, step } from '../../src/index.js'
import { buildSpecIndex, specIndex } from '../../src/config/specIndex.js'

const decoded = () => {
  const r = decodeSpec({
    strategy: { canary: { steps: [{ setWeight: 10 }, { analysis: { metrics: ['errors'] } }, { setWeight: 50 }] } },
    analysis: { interval: '1m', metrics: [{ name: 'errors', thresholdRange: { max: 1 }, interval: '1m' }] },
  })
  if (E.isLeft(r)) throw new Error(JSON.stringify(r.left))
  return r.right
}

describe('the spec carries its indexes', () => {
  it('decodeSpec attaches an index that JSON and spreading do not see', () => {
    const spec = decoded()
    expect(JSON.parse(JSON.stringify(spec))).toEqual({ ...spec })
    expect(specIndex(spec)).toBe(specIndex(spec))
    expect(specIndex(spec)).toEqual(buildSpecIndex(spec))
    expect(specIndex(spec).weightSteps).toBe(2)
    expect(specIndex(spec).weightStepUpTo).toEqual([1, 1, 2])
    expect(specIndex(spec).metricNamed['errors']?.sample).toBe('value')
    expect(specIndex(spec).relevantAt[1]?.[0].map((m) => m.name)).toEqual(['errors'])
  })

  it('is frozen with the spec', () => {
    const index = specIndex(decoded())
    expect(Object.isFrozen(index)).toBe(true)
    expect(Object.isFrozen(index.relevant)).toBe(true)
  })

  it('a copied or hand-edited spec is indexed afresh, never stale', () => {
    const spec = decoded()
    const copy = { ...spec, analysis: { ...spec.analysis, metrics: [{ ...spec.analysis.metrics[0]!, name: 'renamed' }] } }
    expect(specIndex(copy)).not.toBe(specIndex(spec))
    expect(specIndex(copy).metricNamed['renamed']?.name).toBe('renamed')
    expect(specIndex(copy).metricNamed['errors']).toBeUndefined()
    // the engine reads the copy's own metrics: a sample of the renamed metric is used, not ignored as unknown
    let state = step(copy, initialState(copy, 0), { at: 0, revision: 'v1' }).state
    state = step(copy, state, { at: 1000, revision: 'v2', ready: { canary: true } }).state
    const d = step(copy, state, { at: 61_000, ready: { canary: true }, samples: [{ kind: 'value', metric: 'errors', window: { from: 1000, to: 61_000 }, value: 0 }] })
    expect(d.reasons.some((r) => r.code === 'sampleIgnored' && r.metric === 'errors')).toBe(true)
  })

  it('a key of Object.prototype is not a metric', () => {
    expect(specIndex(decoded()).metricNamed['toString']).toBeUndefined()
    expect(specIndex(decoded()).metricNamed['__proto__']).toBeUndefined()
  })
})
