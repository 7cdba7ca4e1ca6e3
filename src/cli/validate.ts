/**
 * Placeholder.
 *
 * @module
 */
import type { CommandDef } from './command.js'

/**
 * The `validate` command.
 *
 * @example
 * ```ts
 * validateCommand.name // 'validate'
 * ```
 * @category commands
 */
export const validateCommand: CommandDef = { name: 'validate', summary: 'todo', usage: 'FILE', options: [], details: '', run: () => 1 }
