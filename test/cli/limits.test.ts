/**
 * Issue 15 item 11: the CLI's input limits (size, keys) with clear messages, linear parsing, /dev/zero bounded.
 */
import { describe, expect, it } from 'vitest'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { LineCounter, parseAllDocuments } from 'yaml'
import { checkDocuments, MAX_INPUT_BYTES, readBounded } from '../../src/cli/limits.js'
import { processIo } from '../../src/cli/io.js'
import { parseDocuments } from '../../src/cli/load.js'
import { describeFsError } from '../../src/cli/errors.js'

describe('CLI input limits (issue 15 item 11)', () => {
  it('/dev/zero is refused after at most the limit, with a clear message', () => {
    const e = (() => {
      try {
        processIo().readFile('/dev/zero')
        return undefined
      } catch (err) {
        return err
      }
    })()
    expect(describeFsError('/dev/zero', e)).toBe(`/dev/zero: larger than 4 MiB (the CLI reads at most ${MAX_INPUT_BYTES} bytes of input; is this the right file?)`)
  })

  it('a big regular file is refused by its size, before reading', () => {
    const dir = mkdtempSync(join(tmpdir(), 'rk-limits-'))
    try {
      const f = join(dir, 'big.yaml')
      writeFileSync(f, Buffer.alloc(MAX_INPUT_BYTES + 1, 0x20))
      expect(() => readBounded(f)).toThrow(/larger than 4 MiB/)
      writeFileSync(f, 'a: 1\n')
      expect(readBounded(f)).toBe('a: 1\n')
      expect(() => readBounded(dir)).toThrow()
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })

  it('an over-long text from an injected file system is refused too', () => {
    const r = parseDocuments('big.yaml', ' '.repeat(MAX_INPUT_BYTES + 1))
    expect(r._tag === 'Left' && r.left[0]).toContain('big.yaml: larger than 4 MiB')
  })

  it('duplicate keys are still an error, with their line (found in one pass)', () => {
    expect(parseDocuments('a.yaml', 'a: 1\nb:\n  c: 1\n  c: 2\n')).toEqual({ _tag: 'Left', left: ['a.yaml:4:3: duplicate key "c"'] })
    expect(parseDocuments('a.yaml', 'a: 1\n---\na: 2\n')._tag).toBe('Right')
  })

  it('too many keys is an error', () => {
    const lc = new LineCounter()
    const text = Array.from({ length: 50 }, (_, i) => `k${i}: 1`).join('\n')
    const docs = parseAllDocuments(text, { uniqueKeys: false, lineCounter: lc })
    expect(checkDocuments('a.yaml', Array.isArray(docs) ? docs : [docs], lc, 20)).toEqual(['a.yaml: more than 20 keys (a spec has a few hundred; is this the right file?)'])
  })

  it('many distinct keys parse (the quadratic duplicate check is off)', () => {
    // 20,000 keys: a few seconds with the parser's own check; linear here (no time is asserted)
    const text = `x:\n${Array.from({ length: 20_000 }, (_, i) => `  k${i}: ${i}`).join('\n')}\n`
    const r = parseDocuments('a.yaml', text)
    expect(r._tag === 'Right' && Object.keys((r.right[0] as { x: object }).x).length).toBe(20_000)
  })
})
