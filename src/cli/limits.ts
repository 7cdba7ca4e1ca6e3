/**
 * Input limits of the CLI: how much it reads and how many keys it parses, so that a wrong file (a log, a
 * 100 MB dump, `/dev/zero`) is refused at once with a clear message instead of taking minutes and
 * gigabytes. Parsing is linear: the YAML parser's own duplicate-key check compares every key with every
 * other key of its map (40,000 keys took 29 s), so it is turned off and replaced by `checkDocument`, one
 * pass with a set per map.
 *
 * @module
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs'
import { isMap, isScalar, visit, type Document, type LineCounter } from 'yaml'

/**
 * Largest input file read (4 MiB: a spec, a scenario or a manifest with its templates is a few KB).
 *
 * @example
 * ```ts
 * MAX_INPUT_BYTES // 4194304
 * ```
 * @category io
 */
export const MAX_INPUT_BYTES = 4 * 1024 * 1024
/**
 * Most mapping keys in one file, all documents together.
 *
 * @example
 * ```ts
 * MAX_INPUT_KEYS // 100000
 * ```
 * @category io
 */
export const MAX_INPUT_KEYS = 100_000

const mib = (n: number): string => `${(n / 1024 / 1024).toFixed(0)} MiB`

/** An input over a limit; `describeFsError` prints its message. */
class InputTooLarge extends Error {
  readonly code = 'EFBIG'
}

/**
 * Reads a UTF-8 file, refusing it once it passes `max` bytes: a regular file by its size before reading,
 * anything else (a pipe, `/dev/zero`, a FIFO) while reading, so memory stays bounded either way.
 *
 * @example
 * ```ts
 * const text = readBounded('examples/canary.yaml')
 * // readBounded('/dev/zero') throws: '/dev/zero is larger than 4 MiB ...'
 * ```
 * @category io
 */
export const readBounded = (path: string, max: number = MAX_INPUT_BYTES): string => {
  const fd = openSync(path, 'r')
  try {
    const st = fstatSync(fd)
    const tooLarge = () => new InputTooLarge(`larger than ${mib(max)} (the CLI reads at most ${max} bytes of input; is this the right file?)`)
    if (st.isDirectory()) throw Object.assign(new Error('is a directory'), { code: 'EISDIR' })
    if (st.isFile() && st.size > max) throw tooLarge()
    const chunks: Buffer[] = []
    let total = 0
    const buf = Buffer.alloc(64 * 1024)
    for (;;) {
      const n = readSync(fd, buf, 0, buf.length, null)
      if (n === 0) break
      total += n
      if (total > max) throw tooLarge()
      chunks.push(Buffer.from(buf.subarray(0, n)))
    }
    return Buffer.concat(chunks).toString('utf8')
  } finally {
    closeSync(fd)
  }
}

/**
 * The problem with a text that is too long to parse, or null (for texts that did not come through
 * `readBounded`, e.g. an injected file system in tests).
 *
 * @example
 * ```ts
 * checkText('a.yaml', 'a: 1') // null
 * ```
 * @category io
 */
export const checkText = (file: string, text: string): string | null =>
  text.length > MAX_INPUT_BYTES ? `${file}: larger than ${mib(MAX_INPUT_BYTES)} (the CLI reads at most ${MAX_INPUT_BYTES} bytes of input; is this the right file?)` : null

/**
 * Counts the mapping keys of parsed documents and finds duplicate keys, in one linear pass (a set per
 * map). Returns `file:line:col: message` lines; at most one duplicate per document, and one error when the
 * files holds more than `maxKeys` keys in all.
 *
 * @example
 * ```ts
 * import { LineCounter, parseAllDocuments } from 'yaml'
 * const lc = new LineCounter()
 * const docs = parseAllDocuments('a: 1\na: 2\n', { uniqueKeys: false, lineCounter: lc })
 * checkDocuments('a.yaml', Array.isArray(docs) ? docs : [docs], lc) // ['a.yaml:2:1: duplicate key "a"']
 * ```
 * @category parsers
 */
export const checkDocuments = (file: string, docs: readonly Document.Parsed[], lineCounter: LineCounter, maxKeys: number = MAX_INPUT_KEYS): string[] => {
  const errors: string[] = []
  let keys = 0
  const at = (offset: number | undefined): string => {
    if (offset === undefined) return ''
    const p = lineCounter.linePos(offset)
    return `${p.line}:${p.col}:`
  }
  for (const doc of docs) {
    let duplicate: string | null = null
    let over = false
    visit(doc, {
      Map(_, map) {
        if (!isMap(map)) return undefined
        keys += map.items.length
        if (keys > maxKeys) {
          over = true
          return visit.BREAK
        }
        if (duplicate !== null) return undefined
        const seen = new Set<string>()
        for (const pair of map.items) {
          const k = pair.key
          if (!isScalar(k)) continue
          const name = typeof k.value === 'string' ? k.value : `${typeof k.value}:${String(k.value)}`
          if (seen.has(name)) {
            duplicate = `${file}:${at(k.range?.[0])} duplicate key ${JSON.stringify(String(k.value))}`
            break
          }
          seen.add(name)
        }
        return undefined
      },
    })
    if (over) {
      errors.push(`${file}: more than ${maxKeys} keys (a spec has a few hundred; is this the right file?)`)
      break
    }
    if (duplicate !== null) errors.push(duplicate)
  }
  return errors
}
