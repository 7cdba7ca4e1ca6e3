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
import { documentKind, loadSpec, parseDocuments, templateFiles, TEMPLATES_OPTION, type LoadedSpec } from './load.js'
import { blindPromotionWarning } from './evidencePlan.js'
import { BASE_RATE_OPTION, TRAFFIC_OPTION, trafficOf } from './trafficOption.js'

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

/** Positionals that hold only upstream templates: used as templates for the other files. */
const templateOnly = (file: string, io: CliIo): number | null => {
  let text: string
  try {
    text = io.readFile(file)
  } catch {
    return null
  }
  const docs = parseDocuments(file, text)
  if (E.isLeft(docs) || docs.right.length === 0) return null
  return docs.right.every((d) => documentKind(d) === 'template') ? docs.right.length : null
}

const run = (args: ParsedArgs, io: CliIo): number => {
  if (args.positionals.length === 0) throw new UsageError('missing FILE (one or more specs to validate)', 'validate')
  const lenient = args.flags.has('lenient')
  const traffic = trafficOf(args, 'validate')
  let invalid = 0
  const onlyTemplates = new Map<string, number>()
  for (const file of args.positionals) {
    const n = templateOnly(file, io)
    if (n !== null) onlyTemplates.set(file, n)
  }
  const templates = [...templateFiles(args.values), ...onlyTemplates.keys()]
  for (const file of args.positionals) {
    const t = onlyTemplates.get(file)
    if (t !== undefined) {
      io.stdout(`${file}: OK (${plural(t, 'template')}, used for the other files)\n`)
      continue
    }
    const r = loadSpec(file, io, templates)
    if (E.isLeft(r)) {
      invalid++
      io.stderr(r.left.map((l) => `${l}\n`).join(''))
      continue
    }
    for (const w of r.right.warnings) io.stderr(`${file}: warning: ${w}\n`)
    if (r.right.findings.length > 0 && !lenient) {
      invalid++
      for (const f of r.right.findings) io.stderr(`${file}: ${f}\n`)
      io.stderr(`${file}: ${plural(r.right.findings.length, 'problem')} that upstream would silently accept (--lenient makes them warnings)\n`)
      continue
    }
    for (const f of r.right.findings) io.stderr(`${file}: warning: ${f}\n`)
    const blind = traffic === null ? null : blindPromotionWarning(r.right.spec, traffic.perSec, traffic.base)
    if (blind !== null) io.stderr(`${file}: warning: ${blind}\n`)
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
  usage: 'FILE... [--templates FILE]... [--lenient] [--traffic RATE [--base-rate RATE]]',
  options: [
    TEMPLATES_OPTION,
    { name: 'lenient', description: 'report unknown fields and never-failing metrics of upstream manifests as warnings, not errors' },
    TRAFFIC_OPTION,
    BASE_RATE_OPTION,
  ],
  details: [
    'Each FILE is YAML or JSON. A file may hold several documents: the rollout document (a native spec,',
    'a flagger.app Canary or an argoproj.io Rollout) and the MetricTemplates / AnalysisTemplates it uses.',
    'Problems are printed as `file: path: message`; a misspelt field gets a "did you mean" hint.',
    'Upstream manifests are checked strictly (as kubectl apply --validate=strict): a field the CRD does',
    'not define and a metric that can never fail are errors; --lenient makes them warnings.',
    'A FILE holding only templates is used as --templates for the other files.',
    '--traffic RATE (requests per second of the whole service, e.g. 20/s) warns when a canary whose only',
    'error checks are thresholds would promote a doubled error rate (--base-rate, default 1%) with more',
    'than 5% probability at that traffic (the model is in docs/cli.md); a warning does not fail the file.',
    '',
    'exit codes: 0 every file is valid, 1 some file is not, 2 usage error',
  ].join('\n'),
  run,
}
