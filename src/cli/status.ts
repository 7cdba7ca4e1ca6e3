/**
 * `rollout-kernel status STATE_FILE SPEC [--json]`: renders a saved state (a `run --state` file, or a
 * bare encoded state as a controller keeps it in a custom resource's status) with the same view `run`
 * draws on a terminal.
 *
 * @module
 */
import * as E from 'fp-ts/lib/Either.js'
import type { ParsedArgs } from './args.js'
import type { CommandDef } from './command.js'
import { CliError, describeFsError, UsageError } from './errors.js'
import type { CliIo } from './io.js'
import { templateFiles, TEMPLATES_OPTION } from './load.js'
import { requireSpec } from './simulate.js'
import { parseStateFile } from './stateFile.js'
import { decisionJson, statusView } from './statusView.js'

const NAME = 'status'

const run = (args: ParsedArgs, io: CliIo): number => {
  const [stateFile, specFile, ...extra] = args.positionals
  if (stateFile === undefined || specFile === undefined) throw new UsageError('expected STATE_FILE and SPEC', NAME)
  if (extra.length > 0) throw new UsageError(`unexpected argument "${extra[0] ?? ''}"`, NAME)
  const loaded = requireSpec(specFile, io, templateFiles(args.values))
  let text: string
  try {
    text = io.readFile(stateFile)
  } catch (e) {
    throw new CliError(describeFsError(stateFile, e))
  }
  const parsed = parseStateFile(stateFile, text)
  if (E.isLeft(parsed)) throw new CliError(parsed.left.join('\n'))
  const { state, last, verdicts } = parsed.right
  if (args.flags.has('json')) {
    io.stdout(
      last !== null
        ? `${decisionJson(state, last, state.startedAt ?? state.at)}\n`
        : `${JSON.stringify({ at: state.at, phase: state.phase, weight: state.traffic.weight, failedChecks: state.failedChecks, lastFailure: state.lastFailure })}\n`,
    )
    return 0
  }
  const now = args.values.has('now') ? Date.parse(args.values.get('now') ?? '') : last?.at ?? state.at
  if (Number.isNaN(now)) throw new UsageError(`option --now: expected an ISO time, got "${args.values.get('now') ?? ''}"`, NAME)
  const name = args.values.get('name') ?? loaded.name
  io.stdout(statusView({ spec: loaded.spec, state, last, now, verdicts, ...(name !== undefined ? { name } : {}) }))
  return 0
}

/**
 * The `status` command.
 *
 * @example
 * ```ts
 * statusCommand.name // 'status'
 * ```
 * @category commands
 */
export const statusCommand: CommandDef = {
  name: NAME,
  summary: 'render a saved rollout state (a run --state file or a custom resource status)',
  usage: 'STATE_FILE SPEC [--json] [--now TIME] [--name NAME] [--templates FILE]',
  options: [
    { name: 'json', description: 'print the last decision as one JSON line' },
    { name: 'now', value: 'TIME', description: 'draw the countdown to the next wake-up from this ISO time (default: the last decision\'s time)' },
    { name: 'name', value: 'NAME', description: 'name shown in the header (default: the manifest\'s metadata.name)' },
    TEMPLATES_OPTION,
  ],
  details: [
    'STATE_FILE holds what `run --state` writes ({ kind: rollout-kernel/run-state, state, last }) or a bare',
    'encodeState(...) value. Without the last decision, verdicts come from the state (pending verdicts,',
    'sequential statistics) and the next wake-up is unknown.',
    '',
    'exit codes: 0 shown, 1 unreadable state or spec, 2 usage error',
  ].join('\n'),
  run,
}
