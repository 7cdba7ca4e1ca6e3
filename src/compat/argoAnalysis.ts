/**
 * Argo analysis references (`RolloutAnalysis`: templates, args, dryRun) resolved against the given
 * AnalysisTemplates / ClusterAnalysisTemplates: each template's metrics with the args substituted and the
 * dryRun rules applied. Names are not yet made unique (see `argo.ts`).
 *
 * @module
 */
import { joinPath } from '../model/errors.js'
import { fail, isObj, opt, warn, type Issues, type Obj } from './manifest.js'
import { readArgs, substituteArgs, type ArgValues } from './argoArgs.js'
import * as E from 'fp-ts/lib/Either.js'
import { compilePattern, patternFinder } from '../model/regex.js'
import { suggestKey } from '../config/suggest.js'

/**
 * One metric of a resolved analysis.
 *
 * @example
 * ```ts
 * const m: ResolvedMetric = { name: 'pass', metric: { name: 'pass' }, path: 'AnalysisTemplate/pass.spec.metrics[0]', dryRun: false }
 * ```
 * @category compat
 */
export interface ResolvedMetric {
  /** The metric's name in the template. */
  readonly name: string
  /** The metric with `{{args.*}}` substituted. */
  readonly metric: Obj
  /** Where it comes from: `<Kind>/<name>.spec.metrics[i]`. */
  readonly path: string
  readonly dryRun: boolean
}

/**
 * Finds an AnalysisTemplate (or, with `clusterScope`, a ClusterAnalysisTemplate) by name; a namespaced
 * template without `metadata.namespace` matches any namespace.
 *
 * @example
 * ```ts
 * findAnalysisTemplate([{ kind: 'AnalysisTemplate', metadata: { name: 'pass' }, spec: { metrics: [] } }], 'pass', false, 'default')
 * ```
 * @category compat
 */
export const findAnalysisTemplate = (templates: readonly unknown[], name: string, clusterScope: boolean, namespace: string | undefined): Obj | undefined =>
  templates.find((t): t is Obj => {
    if (!isObj(t) || !isObj(t.metadata) || t.metadata.name !== name) return false
    if (clusterScope) return t.kind === 'ClusterAnalysisTemplate'
    if (t.kind !== 'AnalysisTemplate') return false
    const ns = t.metadata.namespace
    return typeof ns !== 'string' || namespace === undefined || ns === namespace
  })

/**
 * The `dryRun` rules of a template or rollout: each `metricName` is a Go regular expression matched anywhere in
 * the metric's name (Argo's `regexp.MatchString`), compiled by the project's RE2 engine with the limits of the
 * routes (linear time, at most 1,024 characters), so no pattern can stall an import.
 */
const dryRunRules = (list: unknown, path: string, issues: Issues): ((name: string) => boolean)[] => {
  if (list === undefined || list === null) return []
  if (!Array.isArray(list)) {
    fail(issues, path, 'expected a list of { metricName }')
    return []
  }
  return list.flatMap((d, i) => {
    const p = joinPath(joinPath(path, i), 'metricName')
    if (!isObj(d) || typeof d.metricName !== 'string') {
      fail(issues, p, 'expected a metric name (regular expression)')
      return []
    }
    const pattern = d.metricName
    const re = compilePattern(pattern)
    if (E.isLeft(re)) {
      fail(issues, p, `invalid regular expression (RE2 syntax): ${re.left}`)
      return []
    }
    return [patternFinder(re.right)]
  })
}

const MAX_TEMPLATE_DEPTH = 10

/** A template reached from a reference, with the path of its spec. */
interface Expanded {
  readonly spec: Obj
  readonly tp: string
}

const templateNames = (templates: readonly unknown[], cluster: boolean): string[] =>
  templates.flatMap((t) =>
    isObj(t) && isObj(t.metadata) && typeof t.metadata.name === 'string' && (t.kind === 'ClusterAnalysisTemplate') === cluster ? [t.metadata.name] : [],
  )

/**
 * A template and, depth first, the templates it references in `spec.templates` (Argo flattens them into
 * one run). A missing template (with the closest name and a hint to pass it with --templates), a cycle or
 * nesting deeper than 10 are errors.
 */
const expandTemplate = (
  name: string,
  cluster: boolean,
  at: string,
  ctx: { readonly templates: readonly unknown[]; readonly namespace: string | undefined; readonly issues: Issues },
  chain: readonly string[],
): Expanded[] => {
  const kind = cluster ? 'ClusterAnalysisTemplate' : 'AnalysisTemplate'
  const id = `${kind}/${name}`
  if (chain.includes(id)) {
    fail(ctx.issues, at, `template cycle: ${[...chain, id].join(' -> ')}`)
    return []
  }
  if (chain.length >= MAX_TEMPLATE_DEPTH) {
    fail(ctx.issues, at, `templates nested deeper than ${MAX_TEMPLATE_DEPTH}`)
    return []
  }
  const t = findAnalysisTemplate(ctx.templates, name, cluster, ctx.namespace)
  if (t === undefined) {
    const close = suggestKey(name, templateNames(ctx.templates, cluster))
    fail(
      ctx.issues,
      at,
      `${kind} "${name}" not found among the ${ctx.templates.length} template(s) given${close !== undefined ? ` (did you mean "${close}"?)` : ''}; pass the file that defines it with --templates`,
    )
    return []
  }
  const tp = `${id}.spec`
  const spec = isObj(t.spec) ? t.spec : {}
  const out: Expanded[] = [{ spec, tp }]
  const nested = spec.templates
  if (nested !== undefined && nested !== null) {
    if (!Array.isArray(nested)) {
      fail(ctx.issues, joinPath(tp, 'templates'), 'expected a list of { templateName, clusterScope? }')
      return out
    }
    nested.forEach((n, k) => {
      const np = joinPath(joinPath(tp, 'templates'), k)
      if (!isObj(n) || typeof n.templateName !== 'string') {
        fail(ctx.issues, joinPath(np, 'templateName'), 'expected a template name')
        return
      }
      out.push(...expandTemplate(n.templateName, n.clusterScope === true, joinPath(np, 'templateName'), ctx, [...chain, id]))
    })
  }
  return out
}

/**
 * Resolves one `RolloutAnalysis` at `path` of the Rollout: every template's metrics, args substituted
 * (rollout args override template defaults), dryRun rules of the rollout and the template applied.
 * Missing templates, duplicate metric names within the run and unresolved args are errors.
 *
 * @example
 * ```ts
 * const issues = { errors: [], warnings: [] }
 * resolveAnalysis({ templates: [{ templateName: 'pass' }] }, 'spec.strategy.canary.analysis', {
 *   rollout: {}, namespace: undefined, issues,
 *   templates: [{ kind: 'AnalysisTemplate', metadata: { name: 'pass' }, spec: { metrics: [{ name: 'pass', provider: { job: {} } }] } }],
 * }).map((m) => m.name) // ['pass']
 * ```
 * @category compat
 */
export const resolveAnalysis = (
  ref: Obj,
  path: string,
  ctx: { readonly templates: readonly unknown[]; readonly rollout: Obj; readonly namespace: string | undefined; readonly issues: Issues },
): ResolvedMetric[] => {
  const { issues } = ctx
  const refs = opt(issues, ref, path, 'templates', 'array') ?? []
  if (refs.length === 0) fail(issues, joinPath(path, 'templates'), 'an analysis needs at least one template')
  const rolloutDryRun = dryRunRules(ref.dryRun, joinPath(path, 'dryRun'), issues)
  for (const k of ['measurementRetention', 'analysisRunMetadata']) {
    if (ref[k] !== undefined) warn(issues, joinPath(path, k), `${k} concerns the AnalysisRun object, which rollout-kernel does not create; carried`)
  }
  const out: ResolvedMetric[] = []
  const seen = new Set<string>()
  refs.forEach((r, j) => {
    const rp = joinPath(joinPath(path, 'templates'), j)
    if (!isObj(r) || typeof r.templateName !== 'string') {
      fail(issues, joinPath(rp, 'templateName'), 'expected a template name')
      return
    }
    const expanded = expandTemplate(r.templateName, r.clusterScope === true, joinPath(rp, 'templateName'), ctx, [])
    if (expanded.length === 0) return
    const args: ArgValues = new Map()
    // nested templates first, so that the referencing template's own defaults win; the rollout's args last
    for (const e of [...expanded].reverse()) readArgs(e.spec.args, joinPath(e.tp, 'args'), ctx.rollout, args, issues)
    readArgs(ref.args, joinPath(path, 'args'), ctx.rollout, args, issues)
    for (const e of expanded) {
      const { spec, tp } = e
      const dry = [...rolloutDryRun, ...dryRunRules(spec.dryRun, joinPath(tp, 'dryRun'), issues)]
      const metrics = Array.isArray(spec.metrics) ? spec.metrics : []
      if (metrics.length === 0 && !Array.isArray(spec.templates)) fail(issues, joinPath(tp, 'metrics'), 'the template has no metrics')
      metrics.forEach((m, i) => {
        const mp = joinPath(joinPath(tp, 'metrics'), i)
        if (!isObj(m) || typeof m.name !== 'string') {
          fail(issues, joinPath(mp, 'name'), 'expected a metric with a name')
          return
        }
        if (seen.has(m.name)) {
          fail(issues, joinPath(mp, 'name'), `duplicate metric name "${m.name}" in one analysis run (Argo rejects it)`)
          return
        }
        seen.add(m.name)
        const metric = substituteArgs(m, args, mp, issues) as Obj
        out.push({ name: m.name, metric, path: mp, dryRun: dry.some((matches) => matches(m.name as string)) })
      })
    }
  })
  return out
}
