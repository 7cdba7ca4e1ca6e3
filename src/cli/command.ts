/**
 * The shape of a CLI command and its generated help text.
 *
 * @module
 */
import type { OptionDef, ParsedArgs } from './args.js'
import type { CliIo } from './io.js'

/**
 * A CLI command: its name, usage line, options, help text and what it does (returns the exit code).
 *
 * @example
 * ```ts
 * const hello: CommandDef = {
 *   name: 'hello', summary: 'say hello', usage: 'hello', options: [], details: '',
 *   run: (_args, io) => { io.stdout('hello\n'); return 0 },
 * }
 * ```
 * @category model
 */
export interface CommandDef {
  readonly name: string
  /** One line for the command list. */
  readonly summary: string
  /** Arguments after the command name, e.g. `FILE [--seed N]`. */
  readonly usage: string
  readonly options: readonly OptionDef[]
  /** Paragraphs printed after the options in `--help`. */
  readonly details: string
  readonly run: (args: ParsedArgs, io: CliIo) => number
  /** Commands that wait on the network or the clock (`run`) do their work here; `mainAsync` calls it. */
  readonly runAsync?: (args: ParsedArgs, io: CliIo) => Promise<number>
}

/**
 * The program's name as users type it.
 *
 * @example
 * ```ts
 * `usage: ${PROGRAM} validate FILE...`
 * ```
 * @category constants
 */
export const PROGRAM = 'rollout-kernel'

/**
 * The `--help` text of one command.
 *
 * @example
 * ```ts
 * declare const cmd: CommandDef
 * commandHelp(cmd).startsWith('usage: rollout-kernel') // true
 * ```
 * @category formatters
 */
export const commandHelp = (cmd: CommandDef): string => {
  const opts = [...cmd.options, { name: 'help', description: 'show this help' }]
  const left = opts.map((o) => `  --${o.name}${'value' in o && o.value !== undefined ? ` ${o.value}` : ''}`)
  const width = Math.max(...left.map((l) => l.length)) + 2
  const lines = [
    `usage: ${PROGRAM} ${cmd.name} ${cmd.usage}`,
    '',
    cmd.summary,
    '',
    'options:',
    ...opts.map((o, i) => `${(left[i] ?? '').padEnd(width)}${o.description}`),
  ]
  if (cmd.details !== '') lines.push('', cmd.details.trimEnd())
  return lines.join('\n') + '\n'
}

/**
 * The top-level usage: the command list.
 *
 * @example
 * ```ts
 * declare const cmds: CommandDef[]
 * programHelp(cmds).includes('simulate') // true when simulate is in the list
 * ```
 * @category formatters
 */
export const programHelp = (commands: readonly CommandDef[]): string => {
  const width = Math.max(...commands.map((c) => c.name.length)) + 2
  return [
    `usage: ${PROGRAM} <command> [options]`,
    '',
    'The decision core of progressive delivery, on the command line.',
    '',
    'commands:',
    ...commands.map((c) => `  ${c.name.padEnd(width)}${c.summary}`),
    '',
    `Run \`${PROGRAM} <command> --help\` for a command's options.`,
    'Specs are YAML or JSON: native rollout-kernel specs, Flagger Canary or Argo Rollout manifests.',
    '',
  ].join('\n')
}
