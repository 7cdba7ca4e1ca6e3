/**
 * A small, strict command-line parser: `--name value`, `--name=value`, boolean `--flag`, `-h` for
 * `--help`, `--` to end options. Unknown options are usage errors with a "did you mean" hint.
 *
 * @module
 */
import { suggestKey } from '../config/suggest.js'
import { UsageError } from './errors.js'

/**
 * One option a command accepts: a boolean flag, or an option that takes a value.
 *
 * @example
 * ```ts
 * const seed: OptionDef = { name: 'seed', value: 'N', description: 'simulator seed (default 1)' }
 * ```
 * @category model
 */
export interface OptionDef {
  readonly name: string
  /** Placeholder of the value (e.g. `N`, `FILE`); absent for a boolean flag. */
  readonly value?: string
  readonly description: string
  /** The option may be given several times; the values are joined with commas. */
  readonly repeatable?: boolean
}

/**
 * The parsed command line of one command.
 *
 * @example
 * ```ts
 * const a = parseArgs(['spec.yaml', '--seed', '3'], [{ name: 'seed', value: 'N', description: '' }], 'simulate')
 * a.positionals // ['spec.yaml']
 * a.values.get('seed') // '3'
 * ```
 * @category model
 */
export interface ParsedArgs {
  readonly positionals: readonly string[]
  readonly flags: ReadonlySet<string>
  readonly values: ReadonlyMap<string, string>
}

/** `--help` is accepted by every command. */
const HELP: OptionDef = { name: 'help', description: 'show this help' }

/**
 * Parses `argv` (the words after the command name) against the command's options. Throws `UsageError`
 * on an unknown option, a missing value or a repeated option.
 *
 * @example
 * ```ts
 * parseArgs(['--json', 'a.yaml'], [{ name: 'json', description: 'JSON lines' }], 'simulate').flags.has('json') // true
 * ```
 * @category parsers
 */
export const parseArgs = (argv: readonly string[], defs: readonly OptionDef[], command: string): ParsedArgs => {
  const all = [...defs, HELP]
  const positionals: string[] = []
  const flags = new Set<string>()
  const values = new Map<string, string>()
  for (let i = 0; i < argv.length; i++) {
    const word = argv[i] ?? ''
    if (word === '--') {
      positionals.push(...argv.slice(i + 1))
      break
    }
    if (word === '-h') {
      flags.add('help')
      continue
    }
    if (!word.startsWith('-') || word === '-') {
      positionals.push(word)
      continue
    }
    const eq = word.indexOf('=')
    const name = (eq >= 0 ? word.slice(0, eq) : word).replace(/^--?/, '')
    const def = all.find((d) => d.name === name)
    if (def === undefined) {
      const hint = suggestKey(name, all.map((d) => d.name))
      throw new UsageError(`unknown option ${word.slice(0, eq >= 0 ? eq : undefined)}${hint !== undefined ? ` (did you mean --${hint}?)` : ''}`, command)
    }
    if (def.value === undefined) {
      if (eq >= 0) throw new UsageError(`option --${name} takes no value`, command)
      flags.add(name)
      continue
    }
    let value: string | undefined
    if (eq >= 0) value = word.slice(eq + 1)
    else {
      value = argv[i + 1]
      i++
    }
    if (value === undefined || (eq < 0 && value.startsWith('--'))) throw new UsageError(`option --${name} needs a value (${def.value})`, command)
    const before = values.get(name)
    if (before !== undefined && def.repeatable !== true) throw new UsageError(`option --${name} given twice`, command)
    values.set(name, before !== undefined ? `${before},${value}` : value)
  }
  return { positionals, flags, values }
}

/**
 * Reads an integer option, or `fallback` when absent. Throws `UsageError` when it is not an integer.
 *
 * @example
 * ```ts
 * const a = parseArgs(['--seed', '7'], [{ name: 'seed', value: 'N', description: '' }], 'simulate')
 * intOption(a, 'seed', 1, 'simulate') // 7
 * ```
 * @category parsers
 */
export const intOption = (args: ParsedArgs, name: string, fallback: number, command: string): number => {
  const raw = args.values.get(name)
  if (raw === undefined) return fallback
  if (!/^-?\d+$/.test(raw.trim())) throw new UsageError(`option --${name}: expected an integer, got "${raw}"`, command)
  return Number(raw)
}

/**
 * Reads a positive number option, or `fallback` when absent. Throws `UsageError` otherwise.
 *
 * @example
 * ```ts
 * const a = parseArgs(['--rate', '50'], [{ name: 'rate', value: 'R', description: '' }], 'simulate')
 * positiveOption(a, 'rate', 100, 'simulate') // 50
 * ```
 * @category parsers
 */
export const positiveOption = (args: ParsedArgs, name: string, fallback: number, command: string): number => {
  const raw = args.values.get(name)
  if (raw === undefined) return fallback
  const n = Number(raw)
  if (raw.trim() === '' || !Number.isFinite(n) || n <= 0) throw new UsageError(`option --${name}: expected a positive number, got "${raw}"`, command)
  return n
}
