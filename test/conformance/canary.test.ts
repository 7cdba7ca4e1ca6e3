import { describe, expect, it } from 'vitest'
import { fileURLToPath } from 'node:url'
import { dirname, join } from 'node:path'
import { loadScenarios, runScenario } from './runner.js'

const dir = join(dirname(fileURLToPath(import.meta.url)), 'canary')

describe('canary conformance scenarios', () => {
  const all = loadScenarios(dir)
  it('has scenarios', () => expect(all.length).toBeGreaterThan(10))
  for (const { file, scenario } of all) {
    it(`${file}: ${scenario.name}`, () => {
      const { errors } = runScenario(scenario)
      expect(errors).toEqual([])
    })
  }
})
