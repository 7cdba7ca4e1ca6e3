/**
 * The `--traffic RATE` and `--base-rate RATE` options of `plan` and `validate` (docs/cli.md).
 *
 * @module
 */
import type { OptionDef, ParsedArgs } from './args.js'
import { UsageError } from './errors.js'
import { DEFAULT_BASE_RATE, parseRate, parseTraffic } from './evidencePlan.js'

/**
 * `--traffic RATE`: the service's request rate, both arms together.
 *
 * @example
 * ```ts
 * TRAFFIC_OPTION.name // 'traffic'
 * ```
 * @category options
 */
export const TRAFFIC_OPTION: OptionDef = { name: 'traffic', value: 'RATE', description: "the service's requests per second, both arms together (20/s, 1200/m)" }

/**
 * `--base-rate RATE`: the healthy bad-event rate the `--traffic` models assume.
 *
 * @example
 * ```ts
 * BASE_RATE_OPTION.name // 'base-rate'
 * ```
 * @category options
 */
export const BASE_RATE_OPTION: OptionDef = { name: 'base-rate', value: 'RATE', description: 'healthy error rate for the --traffic models (default 1%)' }

/**
 * The parsed options, or `null` without `--traffic`; a bad value is a usage error.
 *
 * @example
 * ```ts
 * declare const args: ParsedArgs
 * trafficOf(args, 'plan') // { perSec: 20, base: 0.01 }
 * ```
 * @category options
 */
export const trafficOf = (args: ParsedArgs, command: string): { readonly perSec: number; readonly base: number } | null => {
  const t = args.values.get('traffic')
  const b = args.values.get('base-rate')
  if (t === undefined) {
    if (b !== undefined) throw new UsageError('--base-rate needs --traffic', command)
    return null
  }
  const perSec = parseTraffic(t)
  if (perSec === null) throw new UsageError(`--traffic: expected a request rate such as 20/s or 1200/m, got "${t}"`, command)
  const base = b === undefined ? DEFAULT_BASE_RATE : parseRate(b)
  if (base === null) throw new UsageError(`--base-rate: expected a rate such as 1% or 0.01 (at most 50%), got "${b}"`, command)
  return { perSec, base }
}
