/**
 * Behaviour pin: the committed decisions of a fixed set of seeded random rollouts over every strategy
 * (test/decisions/decisions.jsonl) are replayed through decodeSpec / initialState / step and must come out
 * byte for byte the same. A failure after an intended behaviour change: re-record with
 * `npm run decisions:record` and say so in the commit; after a restructuring: the restructuring changed
 * behaviour (docs/architecture.md).
 */
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { decodeLine, encodeLine, readRuns, render } from './recording.js'

const recorded = readFileSync(fileURLToPath(new URL('./decisions.jsonl', import.meta.url)), 'utf8')

describe('decision recording', () => {
  const runs = readRuns(recorded)

  it('covers every strategy family', () => {
    const families = new Set(runs.map((r) => r.name.split('#')[0]))
    expect([...families].sort()).toEqual(
      ['abTest', 'blueGreen-iterations', 'blueGreen-preview', 'canary-linear', 'canary-mirror', 'canary-stepWeights', 'canary-steps', 'judges'].sort(),
    )
    expect(runs.every((r) => r.observations.length >= 2)).toBe(true)
  })

  it('replays to the recorded decisions byte for byte', () => {
    const replayed = render(runs).split('\n')
    const lines = recorded.split('\n')
    const first = lines.findIndex((line, i) => line !== replayed[i])
    // the first differing line, with its run, reads better than a 500 KiB diff
    const run = first < 0 ? undefined : lines.slice(0, first + 1).reverse().find((l) => l.startsWith('{"run":'))
    expect({ line: first + 1, run: run && (JSON.parse(run) as { run: string }).run, replayed: replayed[first] }).toEqual({
      line: 0,
      run: undefined,
      replayed: undefined,
    })
    expect(replayed.length).toBe(lines.length)
  })

  it('spells out the numbers JSON cannot hold', () => {
    const v = { a: Number.NaN, b: Infinity, c: -Infinity, d: -0, e: 1.5 }
    const back = decodeLine(encodeLine(v)) as typeof v
    expect(Number.isNaN(back.a)).toBe(true)
    expect([back.b, back.c, Object.is(back.d, -0), back.e]).toEqual([Infinity, -Infinity, true, 1.5])
  })
})
