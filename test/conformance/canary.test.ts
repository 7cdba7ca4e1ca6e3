import { describe, expect, it } from 'vitest'
import { fileURLToPath } from 'node:url'
import { dirname, join } from 'node:path'
import { loadScenarios, runScenario } from './runner.js'

const dir = join(dirname(fileURLToPath(import.meta.url)), 'canary')

describe('canary conformance scenarios', () => {
  const all = loadScenarios(dir)
  it('has scenarios', () => expect(all.length).toBeGreaterThan(10))
  it('refuses a misspelt key in a scenario file (it would make an expectation vacuous)', () => {
    const sc = { name: 'typo', spec: { strategy: { canary: { stepWeight: 50 } } }, ticks: [{ at: 0, revision: 'v2', expect: { phse: 'failed' } }] }
    expect(runScenario(sc as unknown as Parameters<typeof runScenario>[0]).errors).toEqual([expect.stringContaining('ticks[0].expect: unknown key "phse"')])
  })
  for (const { file, scenario } of all) {
    it(`${file}: ${scenario.name}`, () => {
      const { errors } = runScenario(scenario)
      expect(errors).toEqual([])
    })
  }
})
