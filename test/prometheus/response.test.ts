import { describe, expect, it } from 'vitest'
import * as E from 'fp-ts/lib/Either.js'
import { decodeQueryResponse, parsePromNumber, resultToBuckets, resultToCount, resultToValue, type QueryResult } from '../../src/prometheus/index.js'

const ok = (resultType: string, result: unknown) => ({ status: 'success', data: { resultType, result } })
const vec = (...values: string[]) => ok('vector', values.map((v, i) => ({ metric: { pod: `p${i}` }, value: [1700000000.1, v] })))

const decodeRight = (body: unknown): QueryResult => {
  const r = decodeQueryResponse(body)
  if (E.isLeft(r)) throw new Error(r.left.message)
  return r.right
}

describe('parsePromNumber', () => {
  it('parses Prometheus value strings', () => {
    expect(parsePromNumber('1.5')).toBe(1.5)
    expect(parsePromNumber('-2e3')).toBe(-2000)
    expect(parsePromNumber('+Inf')).toBe(Infinity)
    expect(parsePromNumber('-Inf')).toBe(-Infinity)
    expect(parsePromNumber('NaN')).toBeNaN()
    expect(parsePromNumber('abc')).toBeUndefined()
    expect(parsePromNumber('')).toBeUndefined()
    expect(parsePromNumber(null)).toBeUndefined()
  })
})

describe('decodeQueryResponse', () => {
  it('decodes scalar, string, vector and matrix results', () => {
    expect(decodeRight(ok('scalar', [1, '0.25']))).toEqual({ resultType: 'scalar', value: 0.25 })
    expect(decodeRight(ok('string', [1, 'hello']))).toEqual({ resultType: 'string', value: 'hello' })
    expect(decodeRight(vec('1', '2'))).toEqual({
      resultType: 'vector',
      series: [
        { labels: { pod: 'p0' }, value: 1 },
        { labels: { pod: 'p1' }, value: 2 },
      ],
    })
    expect(decodeRight(ok('matrix', [{ metric: {}, values: [[1, '1'], [2, '3']] }]))).toEqual({
      resultType: 'matrix',
      series: [{ labels: {}, values: [1, 3] }],
    })
  })

  it('turns status error into a Left with errorType and message', () => {
    expect(decodeQueryResponse({ status: 'error', errorType: 'bad_data', error: '1:5: parse error' })).toEqual(
      E.left({ message: 'Prometheus error (bad_data): 1:5: parse error' }),
    )
  })

  it('rejects malformed bodies with a message instead of throwing', () => {
    for (const body of [null, 'x', 42, [], {}, { status: 'success' }, ok('weird', []), ok('vector', {}), ok('vector', [{ value: [1] }]), ok('scalar', [1, 'x']), ok('matrix', [{}])]) {
      const r = decodeQueryResponse(body)
      expect(E.isLeft(r)).toBe(true)
      if (E.isLeft(r)) expect(r.left.message).toMatch(/malformed|Prometheus/)
    }
  })
})

describe('resultToValue', () => {
  it('a scalar or a single series is a number', () => {
    expect(resultToValue(decodeRight(ok('scalar', [1, '99.5'])))).toEqual(E.right({ kind: 'value', value: 99.5 }))
    expect(resultToValue(decodeRight(vec('42')))).toEqual(E.right({ kind: 'value', value: 42 }))
    expect(resultToValue(decodeRight(ok('string', [1, '7'])))).toEqual(E.right({ kind: 'value', value: 7 }))
  })

  it('NaN and empty results are noData, never a value', () => {
    for (const body of [ok('scalar', [1, 'NaN']), vec(), vec('NaN'), vec('1', 'NaN'), ok('string', [1, 'NaN'])]) {
      const r = resultToValue(decodeRight(body))
      expect(E.isRight(r) && r.right.kind).toBe('noData')
    }
  })

  it('several series: a vector by default, an error with policy single', () => {
    expect(resultToValue(decodeRight(vec('1', '2')))).toEqual(E.right({ kind: 'value', value: [1, 2] }))
    const single = resultToValue(decodeRight(vec('1', '2')), 'single')
    expect(E.isLeft(single) && single.left.message).toContain('expected one series, got 2')
  })

  it('a matrix and a non-numeric string are errors', () => {
    expect(E.isLeft(resultToValue(decodeRight(ok('matrix', []))))).toBe(true)
    expect(E.isLeft(resultToValue(decodeRight(ok('string', [1, 'abc']))))).toBe(true)
  })

  it('infinities are values (a judge fails them), not noData', () => {
    expect(resultToValue(decodeRight(vec('+Inf')))).toEqual(E.right({ kind: 'value', value: Infinity }))
  })
})

describe('resultToCount', () => {
  it('sums series, empty is undefined, negatives and infinities are errors', () => {
    expect(resultToCount(decodeRight(vec('10', '5')))).toEqual(E.right(15))
    expect(resultToCount(decodeRight(vec()))).toEqual(E.right(undefined))
    expect(resultToCount(decodeRight(vec('NaN')))).toEqual(E.right(undefined))
    expect(E.isLeft(resultToCount(decodeRight(vec('-1'))))).toBe(true)
    expect(E.isLeft(resultToCount(decodeRight(vec('+Inf'))))).toBe(true)
  })
})

describe('resultToBuckets', () => {
  const buckets = (...pairs: [string | undefined, string][]) =>
    decodeRight(ok('vector', pairs.map(([le, v]) => ({ metric: le === undefined ? {} : { le }, value: [1, v] }))))

  it('parses le labels, sorts by bound and makes counts non-decreasing', () => {
    expect(resultToBuckets(buckets(['+Inf', '10'], ['0.5', '8.9'], ['0.1', '9']))).toEqual(
      E.right([
        { le: 0.1, count: 9 },
        { le: 0.5, count: 9 },
        { le: Infinity, count: 10 },
      ]),
    )
  })

  it('empty or NaN is no data; a series without le and a scalar are errors', () => {
    expect(resultToBuckets(buckets())).toEqual(E.right(undefined))
    expect(resultToBuckets(buckets(['0.1', 'NaN'], ['+Inf', '1']))).toEqual(E.right(undefined))
    const noLe = resultToBuckets(buckets([undefined, '1']))
    expect(E.isLeft(noLe) && noLe.left.message).toContain('no numeric le label')
    expect(E.isLeft(resultToBuckets({ resultType: 'scalar', value: 1 }))).toBe(true)
  })
})
