/**
 * `rollout-kernel simulate FILE --scenario NAME|FILE [--seed N] [--rate R] [--json] [--svg out.svg]`:
 * the engine against the seeded traffic simulator, printed as a timeline.
 *
 * @module
 */
import * as E from 'fp-ts/lib/Either.js'
import { formatDuration } from '../config/duration.js'
import { suggestKey } from '../config/suggest.js'
import { intOption, positiveOption, type ParsedArgs } from './args.js'
import type { CommandDef } from './command.js'
import { CliError, describeFsError, UsageError } from './errors.js'
import { programSize } from './format.js'
import type { CliIo } from './io.js'
import { loadSpec, templateFiles, TEMPLATES_OPTION, type LoadedSpec } from './load.js'
import { BUILTIN_SCENARIOS, builtinScenario, loadScenario, withLoadTester, type Scenario } from './scenario.js'
import { runSimulation } from './simulation.js'
import { chartSvg } from './svg.js'
import { jsonLines, outcomeLine, timelineTable } from './timeline.js'

const NAME = 'simulate'

/**
 * Loads a spec or throws `CliError` with every problem (`file: path: message` lines).
 *
 * @example
 * ```ts
 * import { processIo } from './io.js'
 * const loaded = requireSpec('examples/canary.yaml', processIo())
 * ```
 * @category commands
 */
export const requireSpec = (file: string, io: CliIo, templates: readonly string[] = []): LoadedSpec => {
  const r = loadSpec(file, io, templates)
  if (E.isLeft(r)) throw new CliError(r.left.join('\n'))
  for (const w of r.right.warnings) io.stderr(`warning: ${file}: ${w}\n`)
  return r.right
}

const resolveScenario = (name: string, io: CliIo, rate: number, intervalMs: number): Scenario => {
  const builtin = builtinScenario(name, rate, intervalMs)
  if (builtin !== undefined) return builtin
  if (!/[./\\]/.test(name)) {
    const hint = suggestKey(name, BUILTIN_SCENARIOS)
    throw new UsageError(`unknown scenario "${name}"${hint !== undefined ? ` (did you mean "${hint}"?)` : ''}; expected ${BUILTIN_SCENARIOS.join(', ')} or a scenario file`, NAME)
  }
  const r = loadScenario(name, io, rate)
  if (E.isLeft(r)) throw new CliError(r.left.join('\n'))
  return r.right
}

const describeSpec = (l: LoadedSpec): string => {
  const s = l.spec
  const metrics = s.analysis.metrics.length
  const what = l.source === 'native' ? '' : ` (imported from ${l.source === 'flagger' ? 'a Flagger Canary' : 'an Argo Rollout'})`
  return `${l.file}${what}: ${s.strategy.kind} rollout of v2 over v1, ${programSize(s)}, ${metrics} metric${metrics === 1 ? '' : 's'}, analysis every ${formatDuration(s.analysis.intervalMs)}`
}

const run = (args: ParsedArgs, io: CliIo): number => {
  const [file, ...extra] = args.positionals
  if (file === undefined) throw new UsageError('missing FILE (the rollout spec to simulate)', NAME)
  if (extra.length > 0) throw new UsageError(`unexpected argument "${extra[0] ?? ''}" (simulate takes one FILE)`, NAME)
  const seed = intOption(args, 'seed', 1, NAME)
  const rate = positiveOption(args, 'rate', 100, NAME)
  const loaded = requireSpec(file, io, templateFiles(args.values))
  const expect = args.values.get('expect')
  if (expect !== undefined && expect !== 'promoted' && expect !== 'rolledBack') {
    throw new UsageError(`option --expect: expected promoted or rolledBack, got "${expect}"`, NAME)
  }
  const scenarioName = args.values.get('scenario') ?? 'healthy'
  const resolved = resolveScenario(scenarioName, io, rate, loaded.spec.analysis.intervalMs)
  const scenario = builtinScenario(scenarioName, rate, loaded.spec.analysis.intervalMs) !== undefined ? withLoadTester(resolved, loaded.spec.strategy.kind) : resolved
  const result = runSimulation(loaded.spec, scenario, { seed })
  const svgPath = args.values.get('svg')
  if (svgPath !== undefined) {
    try {
      io.writeFile(svgPath, chartSvg(loaded.spec, result, `${loaded.name ?? file}: ${scenario.name}, seed ${seed}`))
    } catch (e) {
      throw new CliError(`cannot write the chart: ${describeFsError(svgPath, e)}`)
    }
  }
  const verdict = (): number => {
    if (expect === undefined || result.outcome === expect) return 0
    io.stderr(`expected ${expect}, but the rollout ${result.outcome === 'unfinished' ? 'did not finish' : `was ${result.outcome === 'promoted' ? 'promoted' : 'rolled back'}`}\n`)
    return 1
  }
  if (args.flags.has('json')) {
    io.stdout(jsonLines(result))
    return verdict()
  }
  io.stdout(`${describeSpec(loaded)}\n`)
  io.stdout(`scenario ${scenario.name}: ${scenario.description}; seed ${seed}\n`)
  const unknown = loaded.spec.analysis.metrics.filter((m) => result.simulatedMetrics.includes(m.name) === false).map((m) => m.name)
  if (unknown.length > 0) io.stdout(`note: the simulator has no model for ${unknown.join(', ')}: they get stand-in values that pass their judge (it models ${result.simulatedMetrics.join(', ')}; map others in a scenario file)\n`)
  io.stdout('\n')
  io.stdout(timelineTable(loaded.spec, result))
  io.stdout(`\n${outcomeLine(loaded.spec, result)}\n`)
  if (svgPath !== undefined) io.stdout(`chart written to ${svgPath}\n`)
  return verdict()
}

/**
 * The `simulate` command.
 *
 * @example
 * ```ts
 * import { processIo } from './io.js'
 * import { parseArgs } from './args.js'
 * simulateCommand.run(parseArgs(['examples/canary.yaml', '--seed', '1'], simulateCommand.options, 'simulate'), processIo())
 * ```
 * @category commands
 */
export const simulateCommand: CommandDef = {
  name: NAME,
  summary: 'run the engine against simulated traffic and print the timeline',
  usage: 'FILE [--scenario healthy|regression|no-data|flaky|FILE] [--seed N] [--rate R] [--json] [--svg out.svg] [--expect promoted|rolledBack] [--templates FILE]...',
  options: [
    { name: 'scenario', value: 'NAME|FILE', description: 'healthy (default), regression, no-data, flaky, or a scenario file' },
    { name: 'seed', value: 'N', description: 'simulator seed (default 1): same seed, same run' },
    { name: 'rate', value: 'R', description: 'requests per second, split by weight (default 100)' },
    { name: 'json', description: 'print the decisions as JSON lines instead of the table' },
    { name: 'svg', value: 'FILE', description: 'also write a chart of weight and metric values (SVG)' },
    { name: 'expect', value: 'promoted|rolledBack', description: 'exit 1 unless the rollout ends this way (for CI)' },
    TEMPLATES_OPTION,
  ],
  details: [
    'Rolls out v2 over v1 from 00:00. The simulator answers metric queries once their window has',
    'ended; gates are approved at the next call (rollback gates: carry on); an indefinite pause is ended by a simulated operator',
    '`promote` one interval later. Metric names the simulator knows: request-success-rate, error-rate,',
    'errors (bad events), request-duration, latency (p99 in ms); others get stand-in values that pass',
    'their judge, whatever the scenario, unless a scenario file maps them',
    '(`metrics: { name: { source: errors | latency } }`).',
    '',
    'scenarios:',
    '  healthy      canary and primary alike: 0.2% bad events, p99 about 400 ms',
    '  regression   from the third analysis interval, the canary\'s bad-event rate x5 and latency x1.5',
    '  no-data      the metrics source returns no data from the first to the fourth interval',
    '  flaky        about one window in four crosses its bounds (a noisy metric); counts unchanged',
    '  FILE         YAML/JSON: traffic { rate, split }, badRate, canaryBadRate, latency { medianMs, sigma },',
    '               regression { at, badRateMultiplier, latencyMultiplier }, noData [{ from, to, metrics }],',
    '               flaky, metrics, heterogeneity, diurnal (see docs/cli.md)',
    '',
    'A/B tests and blue/green canaries get load-tester traffic in the built-in scenarios (each arm the',
    'full rate), as Flagger\'s loadtester gives them. Values follow the metric\'s unit: a latency metric on a',
    '_seconds series (or with bounds below 10) gets seconds, a rate with bounds at most 1 gets a ratio.',
    '',
    'exit codes: 0 the simulation ran (with --expect: and ended as expected), 1 bad spec or scenario or',
    '(with --expect) another outcome, 2 usage error',
  ].join('\n'),
  run,
}
