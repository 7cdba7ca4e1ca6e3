/**
 * `prometheusSource`: a `MetricsSource` that answers the engine's metric needs from a Prometheus
 * server. Value needs run one instant query; counts needs run a total and a bad (or good) counter query
 * per arm, or histogram bucket queries (latency exceedance); points needs run one query per arm.
 * Every query is evaluated at the window's end with `{{ interval }}` set to the window's length, so
 * consecutive windows never overlap. Failures never throw: they become `noData` samples whose `detail`
 * says which query failed and why.
 *
 * @module
 */
import * as E from 'fp-ts/lib/Either.js'
import type { AdapterContext, MetricNeed, MetricsSource } from '../driver/adapters.js'
import type { MetricSpec } from '../config/spec.js'
import type { Sample } from '../model/observation.js'
import { checkClientOptions, instantQuery, type PromClientOptions } from './client.js'
import { thrownMessage } from '../model/thrown.js'
import { bucketExceedance } from '../analysis/bucketExceedance.js'
import { latencyTemplate, type ArmVariables, type MetricQuery } from './queries.js'
import { resultToBuckets, resultToCount, resultToValue, type PromError, type QueryResult } from './response.js'
import { promDuration, renderTemplate, type TemplateVariables } from './template.js'

/**
 * Options of `prometheusSource`.
 *
 * @example
 * ```ts
 * const o: PrometheusSourceOptions = {
 *   address: 'http://127.0.0.1:9090', timeoutMs: 5000,
 *   variables: { name: 'podinfo', namespace: 'test', target: 'podinfo' },
 *   queries: { 'request-success-rate': 'sum(rate(http_requests_total{code!~"5.."}[{{ interval }}])) / sum(rate(http_requests_total[{{ interval }}])) * 100' },
 * }
 * ```
 * @category model
 */
export interface PrometheusSourceOptions extends PromClientOptions {
  /** Query per metric name; a metric not listed here falls back to the need's `query` (the spec's metric query). */
  readonly queries?: Readonly<Record<string, MetricQuery>>
  /** Base template variables (`name`, `namespace`, `target`, ...; `interval` is set per window). */
  readonly variables?: TemplateVariables
  /** Default per-arm variables for per-arm queries. */
  readonly arms?: ArmVariables
}

type Arm = 'canary' | 'primary'

const isStringRecord = (u: unknown): u is Record<string, string> =>
  typeof u === 'object' && u !== null && !Array.isArray(u) && Object.values(u).every((v) => typeof v === 'string')

/** Template variables carried in a metric spec's provider settings (`templateVariables` or `variables`). */
const providerVariables = (metric: MetricSpec | undefined): Record<string, string> => {
  const p = metric?.provider
  if (p === undefined) return {}
  const tv = p['templateVariables'] ?? p['variables']
  return isStringRecord(tv) ? tv : {}
}

const merge = (...layers: readonly (TemplateVariables | undefined)[]): TemplateVariables =>
  layers.reduce<TemplateVariables>(
    (acc, l) => (l === undefined ? acc : { ...acc, ...l, variables: { ...acc.variables, ...l.variables } }),
    {},
  )

const noData = (need: MetricNeed, detail: string): Sample => ({ kind: 'noData', metric: need.metric, window: need.window, detail })

/** The most points per arm the engine accepts in a `points` sample. */
const MAX_POINTS = 100_000

/**
 * Creates a `MetricsSource` backed by a Prometheus server.
 *
 * @example
 * ```ts
 * const source = prometheusSource({
 *   address: 'http://127.0.0.1:9090',
 *   timeoutMs: 5000,
 *   variables: { target: 'podinfo', namespace: 'test' },
 *   queries: {
 *     errors: {
 *       kind: 'counts',
 *       total: counterIncrease('http_requests_total{app="{{ target }}",arm="{{ arm }}"}'),
 *       bad: counterIncrease('http_requests_total{app="{{ target }}",arm="{{ arm }}",code=~"5.."}') + ' or vector(0)',
 *     },
 *   },
 * })
 * ```
 * @category adapters
 */
export const prometheusSource = (options: PrometheusSourceOptions): MetricsSource => {
  // checked once, up front: a wrong option is one clear detail on every sample, not a failure per query
  const invalid = checkClientOptions(options)
  const answer = async (need: MetricNeed, ctx: AdapterContext): Promise<Sample> => {
    const spec = ctx.spec.analysis.metrics.find((m) => m.name === need.metric)
    const q: MetricQuery | undefined = options.queries?.[need.metric] ?? need.query ?? spec?.query
    if (q === undefined) return noData(need, `no Prometheus query configured for metric '${need.metric}'`)
    const query = typeof q === 'string' ? ({ kind: 'value', query: q } as const) : q
    const base = merge(options.variables, { variables: providerVariables(spec) }, { interval: promDuration(need.window.to - need.window.from) })
    const armVars = (arm: Arm): TemplateVariables => merge(base, { arm }, options.arms?.[arm], query.kind === 'value' ? undefined : query.arms?.[arm])

    const run = async (template: string, vars: TemplateVariables): Promise<E.Either<PromError, QueryResult>> => {
      const rendered = renderTemplate(template, vars)
      if (E.isLeft(rendered)) return E.left({ message: `cannot render query for '${need.metric}': ${rendered.left.message}` })
      return instantQuery(options, rendered.right, need.window.to, ctx.signal)
    }

    const count = async (template: string, vars: TemplateVariables): Promise<E.Either<PromError, number | undefined>> => {
      const r = await run(template, vars)
      return E.isLeft(r) ? r : resultToCount(r.right)
    }

    switch (query.kind) {
      case 'value': {
        if (need.sample !== 'value') return noData(need, `metric '${need.metric}' needs a ${need.sample} sample but its Prometheus query is a value query`)
        const r = await run(query.query, base)
        if (E.isLeft(r)) return noData(need, r.left.message)
        const v = resultToValue(r.right, query.series ?? 'vector')
        if (E.isLeft(v)) return noData(need, `query for '${need.metric}': ${v.left.message}`)
        if (v.right.kind === 'noData') return noData(need, `query for '${need.metric}': ${v.right.detail}`)
        // the engine takes finite, non-negative values only (a sample it refuses would void the whole observation)
        const value = v.right.value
        const wrong = (typeof value === 'number' ? [value] : value).find((x) => !(Number.isFinite(x) && x >= 0))
        if (wrong !== undefined) return noData(need, `query for '${need.metric}': value ${String(wrong)} is not a finite, non-negative number (e.g. a division by zero)`)
        return { kind: 'value', metric: need.metric, window: need.window, value }
      }
      case 'counts': {
        if (need.sample !== 'counts') return noData(need, `metric '${need.metric}' needs a ${need.sample} sample but its Prometheus query gives counts`)
        const other = query.bad ?? query.good
        if (other === undefined || (query.bad !== undefined && query.good !== undefined)) {
          return noData(need, `counts query for '${need.metric}' needs exactly one of 'bad' and 'good'`)
        }
        const arm = async (a: Arm): Promise<E.Either<string, { total: number; bad: number }>> => {
          const vars = armVars(a)
          const [total, second] = await Promise.all([count(query.total, vars), count(other, vars)])
          if (E.isLeft(total)) return E.left(total.left.message)
          if (E.isLeft(second)) return E.left(second.left.message)
          if (total.right === undefined) return E.left(`no data for the ${a} total of '${need.metric}' (empty result or NaN)`)
          const t = Math.round(total.right)
          if (!Number.isSafeInteger(t)) return E.left(`the ${a} total of '${need.metric}' is ${t}, above 2^53: not an exact count`)
          if (second.right === undefined && query.missingBadIsZero !== true) {
            return E.left(`no data for the ${a} ${query.bad !== undefined ? 'bad' : 'good'} count of '${need.metric}' (empty result or NaN; add "or vector(0)" if the counter may not exist yet)`)
          }
          const o = Math.round(second.right ?? 0)
          if (!Number.isSafeInteger(o)) return E.left(`the ${a} ${query.bad !== undefined ? 'bad' : 'good'} count of '${need.metric}' is ${o}, above 2^53: not an exact count`)
          const bad = query.bad !== undefined ? o : t - o
          return E.right({ total: t, bad: Math.min(t, Math.max(0, bad)) })
        }
        const [canary, primary] = await Promise.all([arm('canary'), arm('primary')])
        if (E.isLeft(canary)) return noData(need, canary.left)
        if (E.isLeft(primary)) return noData(need, primary.left)
        return { kind: 'counts', metric: need.metric, window: need.window, canary: canary.right, primary: primary.right }
      }
      case 'latency': {
        if (need.sample !== 'counts') return noData(need, `metric '${need.metric}' needs a ${need.sample} sample but its Prometheus query gives counts`)
        const boundary = typeof query.le === 'number' ? query.le : Number(query.le)
        const arm = async (a: Arm): Promise<E.Either<string, readonly { le: number; count: number }[]>> => {
          const r = await run(latencyTemplate(query), armVars(a))
          if (E.isLeft(r)) return E.left(r.left.message)
          const b = resultToBuckets(r.right)
          if (E.isLeft(b)) return E.left(`latency query for '${need.metric}' (${a}): ${b.left.message}`)
          return b.right === undefined ? E.left(`no data for the ${a} histogram of '${need.metric}' (empty result or NaN)`) : E.right(b.right)
        }
        const [canary, primary] = await Promise.all([arm('canary'), arm('primary')])
        if (E.isLeft(canary)) return noData(need, canary.left)
        if (E.isLeft(primary)) return noData(need, primary.left)
        const counts = bucketExceedance(canary.right, primary.right, boundary)
        if (E.isLeft(counts)) return noData(need, `latency query for '${need.metric}': ${counts.left.message}`)
        const big = [counts.right.canary.total, counts.right.primary.total].find((n) => !Number.isSafeInteger(n))
        if (big !== undefined) return noData(need, `latency query for '${need.metric}': a bucket count of ${big}, above 2^53: not an exact count`)
        return { kind: 'counts', metric: need.metric, window: need.window, canary: counts.right.canary, primary: counts.right.primary }
      }
      case 'points': {
        if (need.sample !== 'points') return noData(need, `metric '${need.metric}' needs a ${need.sample} sample but its Prometheus query gives points`)
        const arm = async (a: Arm): Promise<E.Either<string, number[]>> => {
          const r = await run(query.query, armVars(a))
          if (E.isLeft(r)) return E.left(r.left.message)
          const res = r.right
          switch (res.resultType) {
            case 'matrix':
              return E.right(res.series.flatMap((s) => [...s.values]))
            case 'vector':
              return E.right(res.series.map((s) => s.value))
            case 'scalar':
              return E.right([res.value])
            case 'string':
              return E.left(`points query for '${need.metric}' returned a string`)
          }
        }
        const [canary, primary] = await Promise.all([arm('canary'), arm('primary')])
        if (E.isLeft(canary)) return noData(need, canary.left)
        if (E.isLeft(primary)) return noData(need, primary.left)
        if (canary.right.length === 0 || primary.right.length === 0) {
          return noData(need, `no points for the ${canary.right.length === 0 ? 'canary' : 'primary'} of '${need.metric}'`)
        }
        // NaN points are the judge's business (nanStrategy); infinite points and oversized arms the engine refuses
        for (const [a, pts] of [['canary', canary.right], ['primary', primary.right]] as const) {
          if (pts.some((x) => x === Infinity || x === -Infinity)) return noData(need, `infinite point in the ${a} of '${need.metric}'`)
          if (pts.length > MAX_POINTS) return noData(need, `${pts.length} points in the ${a} of '${need.metric}', more than ${MAX_POINTS}: use a coarser step`)
        }
        return { kind: 'points', metric: need.metric, window: need.window, canary: canary.right, primary: primary.right }
      }
    }
  }

  return {
    gather: async (needs, ctx) =>
      Promise.all(
        needs.map((n) =>
          invalid !== null
            ? noData(n, `invalid Prometheus source options: ${invalid}`)
            : answer(n, ctx).catch((err: unknown) => noData(n, `Prometheus source failed for '${n.metric}': ${thrownMessage(err)}`)),
        ),
      ),
  }
}
