/**
 * The CLI's two kinds of user error: a bad command line (usage, exit 2) and a failure of the command
 * itself (unreadable file, invalid spec: exit 1). Both are printed as `error: ...` without a stack trace.
 *
 * @module
 */

/**
 * The command line is wrong: unknown command or option, missing argument. Exit code 2, usage printed.
 *
 * @example
 * ```ts
 * throw new UsageError('unknown option --sede (did you mean --seed?)', 'simulate')
 * ```
 * @category errors
 */
export class UsageError extends Error {
  /** The command whose usage to print, or undefined for the top-level usage. */
  readonly command: string | undefined
  constructor(message: string, command?: string) {
    super(message)
    this.name = 'UsageError'
    this.command = command
  }
}

/**
 * The command could not do its job for a reason the user can fix (exit code 1).
 *
 * @example
 * ```ts
 * throw new CliError('examples/missing.yaml: no such file')
 * ```
 * @category errors
 */
export class CliError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'CliError'
  }
}

/**
 * Exit codes of the CLI.
 *
 * @example
 * ```ts
 * process.exitCode = EXIT.usage
 * ```
 * @category constants
 */
export const EXIT = { ok: 0, failure: 1, usage: 2 } as const

/**
 * A short description of a file-system error (`ENOENT` -> `no such file`).
 *
 * @example
 * ```ts
 * describeFsError('spec.yaml', Object.assign(new Error('x'), { code: 'ENOENT' })) // 'spec.yaml: no such file'
 * ```
 * @category errors
 */
export const describeFsError = (path: string, e: unknown): string => {
  const code = typeof e === 'object' && e !== null && 'code' in e ? String((e as { code: unknown }).code) : ''
  const known: Record<string, string> = {
    ENOENT: 'no such file',
    EISDIR: 'is a directory, expected a file',
    EACCES: 'permission denied',
    ENOTDIR: 'a parent of this path is not a directory',
  }
  return `${path}: ${known[code] ?? (e instanceof Error ? e.message : String(e))}`
}
