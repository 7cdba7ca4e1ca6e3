/**
 * The `rollout-kernel` command line: `validate`, `plan` and `simulate`. The CLI is the imperative shell
 * around the pure core: it reads files, prints and returns exit codes; `main` never throws and never
 * prints a stack trace for a user error.
 *
 * @module
 */
import { realpathSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { parseArgs, type ParsedArgs } from './args.js'
import { commandHelp, programHelp, type CommandDef } from './command.js'
import { CliError, EXIT, UsageError } from './errors.js'
import { processIo, type CliIo } from './io.js'
import { suggestKey } from '../config/suggest.js'
import { simulateCommand } from './simulate.js'
import { validateCommand } from './validate.js'
import { planCommand } from './plan.js'
import { runCommand } from './run.js'
import { statusCommand } from './status.js'
import { VERSION } from './version.js'

/**
 * Every command, in the order `--help` lists them.
 *
 * @example
 * ```ts
 * COMMANDS.map((c) => c.name) // ['validate', 'plan', 'simulate', 'run', 'status']
 * ```
 * @category commands
 */
export const COMMANDS: readonly CommandDef[] = [validateCommand, planCommand, simulateCommand, runCommand, statusCommand]

const prefixed = (message: string): string =>
  message
    .split('\n')
    .map((l) => `error: ${l}\n`)
    .join('')

/** Turns what a command threw into its exit code and message. */
const failed = (e: unknown, command: CommandDef | undefined, io: CliIo): number => {
  if (e instanceof UsageError) {
    const cmd = COMMANDS.find((c) => c.name === e.command)
    io.stderr(`${prefixed(e.message)}\n${cmd !== undefined ? commandHelp(cmd) : programHelp(COMMANDS)}`)
    return EXIT.usage
  }
  if (e instanceof CliError) {
    io.stderr(prefixed(e.message))
    return EXIT.failure
  }
  const detail = e instanceof Error ? e.message : String(e)
  io.stderr(prefixed(`internal error${command !== undefined ? ` in ${command.name}` : ''}: ${detail} (please report it)`))
  if (process.env.ROLLOUT_KERNEL_DEBUG && e instanceof Error && e.stack) io.stderr(`${e.stack}\n`)
  return EXIT.failure
}

type Dispatch = { readonly code: number } | { readonly command: CommandDef; readonly args: ParsedArgs }

/** Parses the command line: help and usage errors end here; otherwise the command and its arguments. */
const dispatch = (argv: readonly string[], io: CliIo): Dispatch => {
  const [name, ...rest] = argv
  let command: CommandDef | undefined
  try {
    if (name === undefined) {
      io.stderr(programHelp(COMMANDS))
      return { code: EXIT.usage }
    }
    if (name === '--version' || name === '-V' || name === 'version') {
      io.stdout(`rollout-kernel ${VERSION}\n`)
      return { code: EXIT.ok }
    }
    if (name === '--help' || name === '-h' || name === 'help') {
      const topic = name === 'help' ? COMMANDS.find((c) => c.name === rest[0]) : undefined
      io.stdout(topic !== undefined ? commandHelp(topic) : programHelp(COMMANDS))
      return { code: EXIT.ok }
    }
    command = COMMANDS.find((c) => c.name === name)
    if (command === undefined) {
      const hint = suggestKey(name, COMMANDS.map((c) => c.name))
      const what = name.startsWith('-') ? `unknown option ${name}` : `unknown command "${name}"`
      throw new UsageError(`${what}${hint !== undefined ? ` (did you mean "${hint}"?)` : ''}`)
    }
    const args = parseArgs(rest, command.options, command.name)
    if (args.flags.has('help')) {
      io.stdout(commandHelp(command))
      return { code: EXIT.ok }
    }
    return { command, args }
  } catch (e) {
    return { code: failed(e, command, io) }
  }
}

/**
 * Runs the CLI on `argv` (the words after the program name) and returns the exit code: 0 success,
 * 1 failure (invalid spec, unreadable file...), 2 usage error. Output goes through `io`. Commands that
 * wait on the network (`run`) need `mainAsync`.
 *
 * @example
 * ```ts
 * const out: string[] = []
 * const io = { stdout: (s: string) => out.push(s), stderr: (s: string) => out.push(s), readFile: () => '', writeFile: () => {} }
 * main(['--help'], io) // 0
 * ```
 * @category commands
 */
export const main = (argv: readonly string[], io: CliIo = processIo()): number => {
  const d = dispatch(argv, io)
  if ('code' in d) return d.code
  try {
    return d.command.run(d.args, io)
  } catch (e) {
    return failed(e, d.command, io)
  }
}

/**
 * `main` for every command, the asynchronous ones (`run`) included; the program's entry point.
 *
 * @example
 * ```ts
 * const out: string[] = []
 * const io = { stdout: (s: string) => out.push(s), stderr: (s: string) => out.push(s), readFile: () => '', writeFile: () => {} }
 * await mainAsync(['--help'], io) // 0
 * ```
 * @category commands
 */
export const mainAsync = async (argv: readonly string[], io: CliIo = processIo()): Promise<number> => {
  const d = dispatch(argv, io)
  if ('code' in d) return d.code
  try {
    return d.command.runAsync !== undefined ? await d.command.runAsync(d.args, io) : d.command.run(d.args, io)
  } catch (e) {
    return failed(e, d.command, io)
  }
}

/** True when this module is the program being run (node dist/cli.js, tsx src/cli/main.ts, an npm bin link). */
const isEntryPoint = (): boolean => {
  const script = process.argv[1]
  if (script === undefined) return false
  try {
    return realpathSync(script) === realpathSync(fileURLToPath(import.meta.url))
  } catch {
    return false
  }
}

if (isEntryPoint()) {
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0)
  })
  void mainAsync(process.argv.slice(2)).then((code) => {
    process.exitCode = code
  })
}
