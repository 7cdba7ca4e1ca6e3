/**
 * Runs the CLI in-process with captured output and in-memory files (falling back to the real file
 * system for paths not given), so tests never spawn processes.
 */
import { readFileSync } from 'node:fs'
import { main } from '../../src/cli/main.js'
import type { CliIo } from '../../src/cli/io.js'

export interface CliRun {
  code: number
  stdout: string
  stderr: string
  written: Map<string, string>
}

export const runCli = (argv: readonly string[], files: Record<string, string> = {}): CliRun => {
  let stdout = ''
  let stderr = ''
  const written = new Map<string, string>()
  const io: CliIo = {
    stdout: (s) => void (stdout += s),
    stderr: (s) => void (stderr += s),
    readFile: (p) => {
      const mem = files[p]
      return mem !== undefined ? mem : readFileSync(p, 'utf8')
    },
    writeFile: (p, text) => {
      if (p.startsWith('/nonexistent/')) throw Object.assign(new Error(`ENOENT: ${p}`), { code: 'ENOENT' })
      written.set(p, text)
    },
  }
  const code = main(argv, io)
  return { code, stdout, stderr, written }
}

/** True when the text looks like a stack trace. */
export const hasStackTrace = (text: string): boolean => /\n\s+at .+[:(]\d+/.test(text)
