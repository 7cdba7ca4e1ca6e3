/**
 * Query templating with Flagger's MetricTemplate variables: `{{ name }}`, `{{ namespace }}`,
 * `{{ target }}`, `{{ service }}`, `{{ ingress }}`, `{{ route }}`, `{{ interval }}`,
 * `{{ variables.KEY }}`, plus `{{ arm }}` for per-arm (canary / primary) queries. Whitespace inside the
 * braces is optional. Nothing else of Go's text/template is supported: any other expression is an
 * error, and so is a variable that is not set (Flagger renders with `missingkey=error`).
 *
 * @module
 */
import * as E from 'fp-ts/lib/Either.js'
import { guarded } from '../model/guard.js'

/**
 * The values a query template may refer to. Every field is optional here; referring to an unset one
 * is an error that names it.
 *
 * @example
 * ```ts
 * const vars: TemplateVariables = { name: 'podinfo', namespace: 'test', target: 'podinfo', interval: '1m', variables: { direction: 'inbound' } }
 * ```
 * @category model
 */
export interface TemplateVariables {
  readonly name?: string
  readonly namespace?: string
  readonly target?: string
  readonly service?: string
  readonly ingress?: string
  readonly route?: string
  readonly interval?: string
  /** The arm a per-arm query is rendered for: `canary` or `primary` by default. */
  readonly arm?: string
  /** Free-form variables, `{{ variables.KEY }}` (Flagger `templateVariables`). */
  readonly variables?: Readonly<Record<string, string>>
}

/**
 * Why a template could not be rendered: the message names the variable or the unsupported expression;
 * `offset` is the index of the offending `{{` in the template.
 *
 * @example
 * ```ts
 * const e: TemplateError = { message: "template variable 'ingress' is not set", variable: 'ingress', offset: 12 }
 * ```
 * @category model
 */
export interface TemplateError {
  readonly message: string
  readonly variable?: string
  readonly offset: number
}

/**
 * The top-level variable names a template may use.
 *
 * @example
 * ```ts
 * templateVariableNames.includes('target') // true
 * ```
 * @category constants
 */
export const templateVariableNames = ['name', 'namespace', 'target', 'service', 'ingress', 'route', 'interval', 'arm'] as const

type TopName = (typeof templateVariableNames)[number]

const isTopName = (s: string): s is TopName => (templateVariableNames as readonly string[]).includes(s)

const IDENT = /^[A-Za-z_][A-Za-z0-9_]*$/

const lookup = (expr: string, vars: TemplateVariables, offset: number): E.Either<TemplateError, string> => {
  if (expr.startsWith('variables.')) {
    const key = expr.slice('variables.'.length)
    if (!IDENT.test(key)) {
      return E.left({ message: `unsupported template expression '{{ ${expr} }}': expected variables.KEY with KEY made of letters, digits and _`, offset })
    }
    const value = vars.variables !== undefined && Object.prototype.hasOwnProperty.call(vars.variables, key) ? vars.variables[key] : undefined
    return value === undefined
      ? E.left({ message: `template variable 'variables.${key}' is not set`, variable: `variables.${key}`, offset })
      : E.right(value)
  }
  if (isTopName(expr)) {
    const value = vars[expr]
    return value === undefined ? E.left({ message: `template variable '${expr}' is not set`, variable: expr, offset }) : E.right(value)
  }
  if (IDENT.test(expr)) {
    return E.left({
      message: `unknown template variable '${expr}' (known: ${templateVariableNames.join(', ')}, variables.KEY)`,
      variable: expr,
      offset,
    })
  }
  return E.left({ message: `unsupported template expression '{{${expr}}}': only {{ name }}-style variables are supported`, offset })
}

/**
 * Renders a query template. Returns `Left` with the first problem found.
 *
 * @example
 * ```ts
 * renderTemplate('sum(rate(http_requests_total{namespace="{{ namespace }}",pod=~"{{target}}-.*"}[{{ interval }}]))',
 *   { namespace: 'test', target: 'podinfo', interval: '1m' })
 * // Right('sum(rate(http_requests_total{namespace="test",pod=~"podinfo-.*"}[1m]))')
 * renderTemplate('{{ ingress }}', {}) // Left({ message: "template variable 'ingress' is not set", ... })
 * ```
 * @category templating
 */
export const renderTemplate = guarded('renderTemplate', (template: string, vars: TemplateVariables): E.Either<TemplateError, string> => {
  if (typeof template !== 'string') return E.left({ message: `expected a template string, got ${typeof template}`, offset: 0 })
  let out = ''
  let i = 0
  for (;;) {
    const open = template.indexOf('{{', i)
    if (open < 0) return E.right(out + template.slice(i))
    const close = template.indexOf('}}', open + 2)
    if (close < 0) return E.left({ message: `unclosed '{{' at offset ${open}`, offset: open })
    const expr = template.slice(open + 2, close).trim()
    const value = lookup(expr, vars, open)
    if (E.isLeft(value)) return value
    out += template.slice(i, open) + value.right
    i = close + 2
  }
}, (m) => E.left({ message: m, offset: 0 }))

/**
 * Formats a window length as a Prometheus range duration for `{{ interval }}`: whole minutes as `5m`,
 * whole seconds as `30s`, anything else in milliseconds (`1500ms`).
 *
 * @example
 * ```ts
 * promDuration(60_000) // '1m'
 * promDuration(90_000) // '90s'
 * promDuration(1_500)  // '1500ms'
 * ```
 * @category templating
 */
export const promDuration = guarded('promDuration', (ms: number): string => {
  const n = Math.max(1, Math.round(ms))
  if (n % 60_000 === 0) return `${n / 60_000}m`
  if (n % 1000 === 0) return `${n / 1000}s`
  return `${n}ms`
}, (m) => m)
