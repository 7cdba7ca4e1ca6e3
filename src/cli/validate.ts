/**
 * `rollout-kernel validate FILE...`: decodes each spec and prints every problem with its file and path
 * (with the decoder's "did you mean" hint for misspelt fields), or one OK line per valid file.
 *
 * @module
 */
import * as E from 'fp-ts/lib/Either.js'
import type { ParsedArgs } from './args.js'
import type { CommandDef } from './command.js'
import { UsageError } from './errors.js'
import { programSize } from './format.js'
import type { CliIo } from './io.js'
import { loadSpec, templateFiles, TEMPLATES_OPTION, type LoadedSpec } from './load.js'

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`

/**
 * The OK line of a valid spec.
 *
 * @example
 * ```ts
 * declare const l: LoadedSpec
 * okLine(l) // 'examples/canary.yaml: OK (native canary spec: 5 weight steps, 3 metrics, 1 gate)'
 * ```
 * @category formatters
 */
export const okLine = (l: LoadedSpec): string => {
  const s = l.spec
  const from = l.source === 'native' ? 'native' : l.source === 'flagger' ? 'Flagger Canary ->' : 'Argo Rollout ->'
  return `${l.file}: OK (${from} ${s.strategy.kind} spec: ${programSize(s)}, ${plural(s.analysis.metrics.length, 'metric')}, ${plural(s.gates.length, 'gate')})`
}

const run = (args: ParsedArgs, io: CliIo): number => {
  if (args.positionals.length === 0) throw new UsageError('missing FILE (one or more specs to validate)', 'validate')
  let invalid = 0
  const templates = templateFiles(args.values)
  for (const file of args.positionals) {
    const r = loadSpec(file, io, templates)
    if (E.isLeft(r)) {
      invalid++
      io.stderr(r.left.map((l) => `${l}\n`).join(''))
      continue
    }
    for (const w of r.right.warnings) io.stderr(`${file}: warning: ${w}\n`)
    io.stdout(`${okLine(r.right)}\n`)
  }
  if (args.positionals.length > 1) {
    const n = args.positionals.length
    io.stdout(`${plural(n, 'file')}: ${n - invalid} valid, ${invalid} invalid\n`)
  }
  return invalid > 0 ? 1 : 0
}

/**
 * The `validate` command.
 *
 * @example
 * ```ts
 * import { processIo } from './io.js'
 * import { parseArgs } from './args.js'
 * validateCommand.run(parseArgs(['examples/canary.yaml'], validateCommand.options, 'validate'), processIo()) // 0
 * ```
 * @category commands
 */
export const validateCommand: CommandDef = {
  name: 'validate',
  summary: 'check specs (native, Flagger Canary, Argo Rollout) and print every problem with its path',
  usage: 'FILE... [--templates FILE]',
  options: [TEMPLATES_OPTION],
  details: [
    'Each FILE is YAML or JSON. A file may hold several documents: the rollout document (a native spec,',
    'a flagger.app Canary or an argoproj.io Rollout) and the MetricTemplates / AnalysisTemplates it uses.',
    'Problems are printed as `file: path: message`; a misspelt field gets a "did you mean" hint.',
    '',
    'exit codes: 0 every file is valid, 1 some file is not, 2 usage error',
  ].join('\n'),
  run,
}
