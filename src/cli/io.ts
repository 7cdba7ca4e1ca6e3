/**
 * The CLI's window on the world: output streams and the file system, injected so that tests run the CLI
 * in-process with captured output and in-memory files.
 *
 * @module
 */
import { writeFileSync } from 'node:fs'
import { readBounded } from './limits.js'

/**
 * What a CLI command may do besides computing: print, read and write files.
 *
 * @example
 * ```ts
 * const out: string[] = []
 * const io: CliIo = { stdout: (s) => out.push(s), stderr: (s) => out.push(s), readFile: () => '', writeFile: () => {} }
 * ```
 * @category model
 */
export interface CliIo {
  /** Writes text to standard output (the text carries its own newlines). */
  readonly stdout: (text: string) => void
  /** Writes text to standard error. */
  readonly stderr: (text: string) => void
  /** Reads a UTF-8 file; throws (with a Node error code) when it cannot. */
  readonly readFile: (path: string) => string
  /** Writes a UTF-8 file; throws when it cannot. */
  readonly writeFile: (path: string, text: string) => void
}

/**
 * The real process: `process.stdout`, `process.stderr` and `node:fs` (files read through `readBounded`).
 *
 * @example
 * ```ts
 * processIo().stdout('hello\n')
 * ```
 * @category constructors
 */
export const processIo = (): CliIo => ({
  stdout: (text) => void process.stdout.write(text),
  stderr: (text) => void process.stderr.write(text),
  // at most MAX_INPUT_BYTES (4 MiB), /dev/zero and pipes included
  readFile: (path) => readBounded(path),
  writeFile: (path, text) => writeFileSync(path, text, 'utf8'),
})
