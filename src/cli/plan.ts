/**
 * Placeholder.
 *
 * @module
 */
import type { CommandDef } from './command.js'

/**
 * The `plan` command.
 *
 * @example
 * ```ts
 * planCommand.name // 'plan'
 * ```
 * @category commands
 */
export const planCommand: CommandDef = { name: 'plan', summary: 'todo', usage: 'FILE', options: [], details: '', run: () => 1 }
