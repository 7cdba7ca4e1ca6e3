import { describe, expect, it } from 'vitest'
import { readFileSync } from 'node:fs'
import { REASON_CODES } from '../../src/model/reason.js'

const semantics = readFileSync(new URL('../../docs/semantics.md', import.meta.url), 'utf8')
/** The codes of the "Reason codes" table: rows that start with a code in backticks. */
const section = semantics.slice(semantics.indexOf('## Reason codes'))
const documented = [...section.matchAll(/^\| `(\w+)` \|/gm)].map((m) => m[1])

describe('docs/semantics.md documents every reason code', () => {
  it('has the "Reason codes" section', () => {
    expect(semantics).toContain('## Reason codes')
  })

  it('lists each code of REASON_CODES in its table', () => {
    expect(REASON_CODES.filter((c) => !documented.includes(c))).toEqual([])
  })

  it('lists no code that REASON_CODES does not have, in the same order', () => {
    expect(documented).toEqual([...REASON_CODES])
  })
})
