/**
 * The Argo Rollouts importer: a parsed `Rollout` (argoproj.io/v1alpha1) and its AnalysisTemplates /
 * ClusterAnalysisTemplates to a native input, decoded by the shared `decodeSpec`. Canary steps of every
 * type, background analysis with `startingStep`, inline analysis steps, args substitution, measurement
 * limits and conditions (dialect `argo`), dryRun and providers. Deliberate differences are documented in
 * docs/compat.md.
 *
 * @module
 */
import * as E from 'fp-ts/lib/Either.js'
import { joinPath, type SpecError } from '../model/errors.js'
import type { RolloutSpec } from '../config/spec.js'
import { DEFAULTS } from '../config/defaults.js'
import { fail, isObj, newIssues, omit, opt, pick, req, warn, type Issues, type Obj } from './manifest.js'
import { resolveAnalysis, type ResolvedMetric } from './argoAnalysis.js'
import { readArgs } from './argoArgs.js'
import { importArgoMetric } from './argoMetrics.js'
import { analysisStepInput, convertArgoSteps } from './argoSteps.js'
import { parseGoDuration, nativeDuration } from './goDuration.js'
import { decodeNative, type PathMap } from './pathMap.js'
import type { ImportResult, NativeInput } from './types.js'
import { thrownMessage } from '../model/thrown.js'
import { readPlainData } from '../config/plainData.js'

/**
 * What an Argo import carries for the adapters: the fields rollout-kernel does not model, untouched.
 *
 * @example
 * ```ts
 * declare const c: ArgoCarried
 * c.canary.trafficRouting // { istio: { virtualService: { name: 'vsvc', routes: ['primary'] } } }
 * ```
 * @category compat
 */
export interface ArgoCarried {
  readonly name: string | undefined
  readonly namespace: string | undefined
  readonly strategy: 'canary' | 'blueGreen'
  /** `spec` minus the strategy: replicas, selector, template, workloadRef, revisionHistoryLimit, paused... */
  readonly workload: Readonly<Record<string, unknown>>
  /** The canary strategy minus steps and analysis: services, trafficRouting, maxSurge, scale-down delays... */
  readonly canary: Readonly<Record<string, unknown>>
  /** The blue/green strategy minus what the kernel consumes: activeService, previewService, metadata, antiAffinity, scale-down delays... */
  readonly blueGreen: Readonly<Record<string, unknown>>
  /** Mirror-route matches the native model cannot hold (method, path), by route name. */
  readonly routes: Readonly<Record<string, unknown>>
  /** Plugin steps that were skipped, by Argo step index. */
  readonly skippedSteps: readonly { readonly index: number; readonly step: unknown }[]
  /**
   * Experiment steps by native experiment name (`experiment-<Argo step index>`): the Argo templates as written
   * (selector, metadata, service...) for the adapter that creates the ReplicaSets, and the step's
   * AnalysisRun-only settings.
   */
  readonly experiments: Readonly<Record<string, { readonly index: number; readonly templates: unknown; readonly run?: Readonly<Record<string, unknown>> }>>
  /** Native metric name -> where it came from (template metric path, analysis). */
  readonly metrics: Readonly<Record<string, { readonly source: string; readonly analysis: string }>>
  /** AnalysisRun-only settings (measurementRetention, analysisRunMetadata) by analysis. */
  readonly analysisRuns: Readonly<Record<string, unknown>>
}

/**
 * Imports an Argo `Rollout` with the full result (spec, native input, warnings, carried fields).
 * `analysisTemplates` holds AnalysisTemplate and ClusterAnalysisTemplate objects. Never throws.
 *
 * @example
 * ```ts
 * import * as E from 'fp-ts/lib/Either.js'
 * const r = importArgoRollout({
 *   apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', metadata: { name: 'demo' },
 *   spec: { strategy: { canary: { steps: [{ setWeight: 20 }, { pause: { duration: '1m' } }] } } },
 * })
 * if (E.isRight(r)) r.right.input // { strategy: { canary: { steps: [{ setWeight: 20 }, { pause: { duration: '60s' } }] } }, ... }
 * ```
 * @category compat
 */
export const importArgoRollout = (rollout: unknown, analysisTemplates: readonly unknown[] = []): E.Either<SpecError[], ImportResult<ArgoCarried>> => {
  try {
    // read once into plain, bounded data: getters, Proxies and giant lists stop here, with a path
    const input = readPlainData(rollout)
    if (E.isLeft(input)) return input
    const templates = readPlainData(analysisTemplates)
    if (E.isLeft(templates)) return E.left(templates.left.map((e) => ({ ...e, path: e.path === '' ? 'analysisTemplates' : `analysisTemplates${e.path.startsWith('[') ? '' : '.'}${e.path}` })))
    return importUnsafe(input.right, Array.isArray(templates.right) ? templates.right : [])
  } catch (e) {
    return E.left([{ path: '', message: `could not import the Rollout: ${thrownMessage(e)}` }])
  }
}

/**
 * Imports an Argo `Rollout` into a `RolloutSpec` (the architecture's entry point; `importArgoRollout` gives
 * the native input, warnings and carried fields as well).
 *
 * @example
 * ```ts
 * declare const rollout: unknown, templates: unknown[]
 * const spec = fromArgoRollout(rollout, templates) // Either<SpecError[], RolloutSpec>
 * ```
 * @category compat
 */
export const fromArgoRollout = (rollout: unknown, analysisTemplates: readonly unknown[] = []): E.Either<SpecError[], RolloutSpec> =>
  E.map((r: ImportResult<ArgoCarried>) => r.spec)(importArgoRollout(rollout, analysisTemplates))

interface Analysis {
  readonly label: string
  readonly path: string
  readonly background: boolean
  /** An analysis of an experiment step: the Argo step index and the analysis entry. */
  readonly experiment?: { readonly step: number; readonly ref: Obj }
  readonly stepIndex: number | null
  readonly metrics: readonly ResolvedMetric[]
}

const importUnsafe = (rollout: unknown, templates: readonly unknown[]): E.Either<SpecError[], ImportResult<ArgoCarried>> => {
  const issues = newIssues()
  if (!isObj(rollout)) return E.left([{ path: '', message: 'expected a Rollout object (parsed YAML/JSON)' }])
  if (rollout.apiVersion !== 'argoproj.io/v1alpha1') fail(issues, 'apiVersion', `expected argoproj.io/v1alpha1, got ${JSON.stringify(rollout.apiVersion) ?? 'nothing'}`)
  if (rollout.kind !== 'Rollout') fail(issues, 'kind', `expected Rollout, got ${JSON.stringify(rollout.kind) ?? 'nothing'}`)
  const metadata = opt(issues, rollout, '', 'metadata', 'object') ?? {}
  const name = opt(issues, metadata, 'metadata', 'name', 'string')
  const namespace = opt(issues, metadata, 'metadata', 'namespace', 'string')
  const spec = req(issues, rollout, '', 'spec', 'object')
  if (spec === undefined) return E.left(issues.errors)
  const strategyObj = req(issues, spec, 'spec', 'strategy', 'object')
  if (strategyObj === undefined) return E.left(issues.errors)
  const deadline = opt(issues, spec, 'spec', 'progressDeadlineSeconds', 'integer')
  if (deadline !== undefined && deadline <= 0) fail(issues, 'spec.progressDeadlineSeconds', `expected a positive number of seconds, got ${deadline}`)
  if (spec.paused === true) warn(issues, 'spec.paused', 'the Rollout is paused: carried in carried.workload; send a pause command to the engine to reproduce it')
  if (spec.template === undefined && spec.workloadRef === undefined) warn(issues, 'spec', 'neither template nor workloadRef: Argo marks such a Rollout InvalidSpec')

  const kinds = ['canary', 'blueGreen'].filter((k) => strategyObj[k] !== undefined && strategyObj[k] !== null)
  if (kinds.length !== 1) {
    fail(issues, 'spec.strategy', `expected exactly one of canary, blueGreen; got ${kinds.length === 0 ? 'none' : kinds.join(' and ')}`)
    return E.left(issues.errors)
  }
  const isBlueGreen = kinds[0] === 'blueGreen'
  const cp = isBlueGreen ? 'spec.strategy.blueGreen' : 'spec.strategy.canary'
  const body = req(issues, strategyObj, 'spec.strategy', isBlueGreen ? 'blueGreen' : 'canary', 'object') ?? {}
  const stepsRaw = isBlueGreen ? [] : (opt(issues, body, cp, 'steps', 'array') ?? [])
  const background = isBlueGreen ? undefined : opt(issues, body, cp, 'analysis', 'object')
  const trafficRouting = isBlueGreen ? undefined : opt(issues, body, cp, 'trafficRouting', 'object')
  const maxTrafficWeight = trafficRouting !== undefined ? (opt(issues, trafficRouting, joinPath(cp, 'trafficRouting'), 'maxTrafficWeight', 'integer') ?? 100) : 100
  if (maxTrafficWeight <= 0) fail(issues, joinPath(cp, 'trafficRouting.maxTrafficWeight'), `must be > 0, got ${maxTrafficWeight}`)
  if (!isBlueGreen && stepsRaw.length === 0) warn(issues, joinPath(cp, 'steps'), 'no steps: Argo promotes fully as soon as the canary is ready')
  if (isBlueGreen) req(issues, body, cp, 'activeService', 'string')

  // analyses
  const ctx = { templates, rollout, namespace, issues }
  const analyses: Analysis[] = []
  const analysisRuns: Record<string, unknown> = {}
  const addAnalysis = (raw: Obj, path: string, label: string, isBackground: boolean, stepIndex: number | null): void => {
    analyses.push({ label, path, background: isBackground, stepIndex, metrics: resolveAnalysis(raw, path, ctx) })
    const run = pick(raw, ['measurementRetention', 'analysisRunMetadata'])
    if (Object.keys(run).length > 0) analysisRuns[label] = run
  }
  if (background !== undefined) addAnalysis(background, joinPath(cp, 'analysis'), 'background', true, null)
  stepsRaw.forEach((s, i) => {
    if (isObj(s) && isObj(s.analysis)) addAnalysis(s.analysis, joinPath(joinPath(joinPath(cp, 'steps'), i), 'analysis'), `steps[${i}]`, false, i)
    if (isObj(s) && isObj(s.experiment) && Array.isArray(s.experiment.analyses)) {
      const ex = s.experiment
      ;(ex.analyses as unknown[]).forEach((a, j) => {
        const ap = joinPath(joinPath(joinPath(joinPath(joinPath(cp, 'steps'), i), 'experiment'), 'analyses'), j)
        if (!isObj(a) || typeof a.name !== 'string' || a.name === '' || typeof a.templateName !== 'string') {
          fail(issues, ap, 'expected an experiment analysis { name, templateName, clusterScope?, args?, requiredForCompletion? }')
          return
        }
        // the experiment's dryRun rules apply to its analyses, as Argo copies them into the Experiment
        const ref = { templates: [{ templateName: a.templateName, ...(a.clusterScope === true ? { clusterScope: true } : {}) }], args: a.args, ...(ex.dryRun !== undefined ? { dryRun: ex.dryRun } : {}) }
        const before = { errors: issues.errors.length, warnings: issues.warnings.length }
        const resolved = resolveAnalysis(ref, ap, ctx)
        // the reference was built here: report at the experiment analysis's own fields
        const own = (path: string): string => path.replace(`${ap}.templates[0]`, ap)
        issues.errors.splice(before.errors, Infinity, ...issues.errors.slice(before.errors).map((e) => ({ ...e, path: own(e.path) })))
        issues.warnings.splice(before.warnings, Infinity, ...issues.warnings.slice(before.warnings).map((w) => ({ ...w, path: own(w.path) })))
        analyses.push({ label: `steps[${i}].${a.name}`, path: ap, background: false, stepIndex: null, experiment: { step: i, ref: a }, metrics: resolved })
      })
    }
  })
  const pre = isBlueGreen ? opt(issues, body, cp, 'prePromotionAnalysis', 'object') : undefined
  const post = isBlueGreen ? opt(issues, body, cp, 'postPromotionAnalysis', 'object') : undefined
  if (pre !== undefined) addAnalysis(pre, joinPath(cp, 'prePromotionAnalysis'), 'prePromotionAnalysis', false, null)
  if (post !== undefined) addAnalysis(post, joinPath(cp, 'postPromotionAnalysis'), 'postPromotionAnalysis', false, null)

  // unique native names: a name used by more than one analysis gets the analysis label
  const uses = new Map<string, number>()
  for (const a of analyses) for (const m of a.metrics) uses.set(m.name, (uses.get(m.name) ?? 0) + 1)
  const paths: PathMap = new Map([
    ['strategy', cp],
    ['analysis.startingStep', joinPath(cp, 'analysis.startingStep')],
    ['progressDeadline', 'spec.progressDeadlineSeconds'],
  ])
  const metrics: Record<string, unknown>[] = []
  const provenance: Record<string, { source: string; analysis: string }> = {}
  const stepMetrics = new Map<number, string[]>()
  const labelMetrics = new Map<string, string[]>()
  const experimentAnalyses = new Map<number, Record<string, unknown>[]>()
  for (const a of analyses) {
    for (const m of a.metrics) {
      const nativeName = (uses.get(m.name) ?? 0) > 1 ? `${m.name}@${a.label}` : m.name
      const out = importArgoMetric(m.metric, m.path, { name: nativeName, background: a.background, dryRun: m.dryRun }, issues)
      if (out === undefined) continue
      paths.set(joinPath('analysis.metrics', metrics.length), m.path)
      metrics.push(out)
      provenance[nativeName] = { source: m.path, analysis: a.path }
      if (a.stepIndex !== null) stepMetrics.set(a.stepIndex, [...(stepMetrics.get(a.stepIndex) ?? []), nativeName])
      labelMetrics.set(a.label, [...(labelMetrics.get(a.label) ?? []), nativeName])
    }
    if (a.experiment !== undefined) {
      const names = labelMetrics.get(a.label) ?? []
      if (names.length > 0) experimentAnalyses.set(a.experiment.step, [...(experimentAnalyses.get(a.experiment.step) ?? []), experimentAnalysisInput(a.experiment.ref, names, a.path, rollout, issues)])
    }
  }

  // steps
  const routes: Record<string, unknown> = {}
  const skipped: { index: number; step: unknown }[] = []
  const experiments: Record<string, { index: number; templates: unknown; run?: Record<string, unknown> }> = {}
  const counts = new Map(metrics.map((m) => [String(m.name), typeof m.count === 'number' ? m.count : null]))
  const { steps, indexMap } = convertArgoSteps(stepsRaw, joinPath(cp, 'steps'), {
    issues, paths, stepMetrics, counts, maxTrafficWeight, routes, skipped,
    experimentAnalyses, experiments, trafficRouting: trafficRouting !== undefined,
  })
  let startingStep = 0
  if (background !== undefined) {
    const s = opt(issues, background, joinPath(cp, 'analysis'), 'startingStep', 'integer')
    if (s !== undefined) {
      if (s < 0 || s > stepsRaw.length) fail(issues, joinPath(cp, 'analysis.startingStep'), `startingStep ${s} is outside 0..${stepsRaw.length}`)
      else startingStep = indexMap[s] ?? 0
    }
  }
  if (issues.errors.length > 0) return E.left(issues.errors)

  // the tick: the shortest metric interval (Argo measures each metric on its own interval)
  const intervals = metrics.map((m) => m.interval).filter((v): v is string => typeof v === 'string').map((v) => parseGoDuration(v))
  const ms = intervals.flatMap((e) => (E.isRight(e) ? [e.right] : []))
  const tick = ms.length > 0 ? Math.max(1000, Math.min(...ms)) : DEFAULTS.analysisIntervalMs
  if (new Set(ms).size > 1) {
    warn(issues, joinPath(cp, 'analysis'), `metrics have different intervals; the engine measures every ${nativeDuration(tick)} (the shortest), so metrics with a longer interval are measured more often than in Argo and reach their count sooner`)
  }
  const errorLimit = Math.max(DEFAULTS.limits.consecutiveErrorLimit, ...metrics.map((m) => (typeof m.consecutiveErrorLimit === 'number' ? m.consecutiveErrorLimit : 0)))

  const input: NativeInput = {
    apiVersion: 'rollout-kernel/v1',
    kind: 'Rollout',
    metadata: { ...(name !== undefined ? { name } : {}), ...(namespace !== undefined ? { namespace } : {}), importedFrom: 'argoproj.io/v1alpha1 Rollout' },
    strategy: isBlueGreen ? { blueGreen: blueGreenInput(body, cp, labelMetrics, counts, issues, paths) } : { canary: { steps } },
    analysis: {
      interval: nativeDuration(tick),
      // Argo has no cumulative failed-check counter: the metric limits decide alone
      threshold: 1_000_000,
      // an empty result is an Error measurement in Argo: the run errors after consecutiveErrorLimit + 1 in a row
      noDataLimit: errorLimit + 1,
      ...(startingStep > 0 ? { startingStep } : {}),
      metrics,
    },
    ...(deadline !== undefined ? { progressDeadline: `${deadline}s` } : {}),
  }
  const carried: ArgoCarried = {
    name,
    namespace,
    strategy: isBlueGreen ? 'blueGreen' : 'canary',
    workload: omit(spec, ['strategy']),
    canary: isBlueGreen ? {} : omit(body, ['steps', 'analysis']),
    blueGreen: isBlueGreen ? omit(body, ['prePromotionAnalysis', 'postPromotionAnalysis', 'autoPromotionEnabled', 'autoPromotionSeconds', 'previewReplicaCount']) : {},
    routes,
    skippedSteps: skipped,
    experiments,
    metrics: provenance,
    analysisRuns,
  }
  return E.map((s: RolloutSpec): ImportResult<ArgoCarried> => ({ spec: s, input, warnings: issues.warnings, carried }))(decodeNative(input, paths))
}

/**
 * The native analysis of an Argo experiment analysis: its name, the native names of its template's
 * metrics, `requiredForCompletion`, and its args as strings (`valueFrom` as `readArgs` reads it) for the
 * metric needs. The args were already substituted into the queries; a value such as
 * `{{templates.baseline.podTemplateHash}}` is known at run time only and left for the metrics adapter.
 */
const experimentAnalysisInput = (ref: Obj, metrics: readonly string[], path: string, rollout: Obj, issues: Issues): Record<string, unknown> => {
  const values = new Map<string, string | null>()
  readArgs(ref.args, joinPath(path, 'args'), rollout, values, newIssues())
  const args = Object.fromEntries([...values].flatMap(([k, v]) => (v === null ? [] : [[k, v]])))
  if (Object.values(args).some((v) => v.includes('{{templates.'))) {
    warn(issues, joinPath(path, 'args'), 'the {{templates.<name>.podTemplateHash}} values are known at run time only: left in the queries for the metrics adapter (each metric need names the experiment, the analysis and its args)')
  }
  return {
    name: ref.name,
    metrics: [...metrics],
    ...(ref.requiredForCompletion === true ? { requiredForCompletion: true } : {}),
    ...(Object.keys(args).length > 0 ? { args } : {}),
  }
}

const seconds = (issues: Issues, o: Obj, path: string, key: string): string | undefined => {
  const v = opt(issues, o, path, key, 'integer')
  if (v === undefined) return undefined
  if (v < 0) {
    fail(issues, joinPath(path, key), `must be >= 0, got ${v}`)
    return undefined
  }
  return `${v}s`
}

/** Argo's blue/green settings to the native `strategy.blueGreen` (Argo form). */
const blueGreenInput = (
  bg: Obj,
  path: string,
  metricsOf: ReadonlyMap<string, readonly string[]>,
  counts: ReadonlyMap<string, number | null>,
  issues: Issues,
  paths: PathMap,
): Record<string, unknown> => {
  const out: Record<string, unknown> = {}
  for (const key of ['prePromotionAnalysis', 'postPromotionAnalysis'] as const) {
    if (bg[key] === undefined) continue
    out[key] = analysisStepInput(metricsOf.get(key) ?? [], counts)
  }
  const auto = opt(issues, bg, path, 'autoPromotionEnabled', 'boolean')
  const autoSeconds = seconds(issues, bg, path, 'autoPromotionSeconds')
  if (auto !== undefined) out.autoPromotionEnabled = auto
  if (autoSeconds !== undefined) {
    if (auto === false) warn(issues, joinPath(path, 'autoPromotionSeconds'), 'autoPromotionSeconds has no effect with autoPromotionEnabled: false; ignored')
    else if (autoSeconds !== '0s') out.autoPromotionDelay = autoSeconds
  }
  const scaleDown = seconds(issues, bg, path, 'scaleDownDelaySeconds')
  if (scaleDown !== undefined) out.scaleDownDelay = scaleDown
  const abortScaleDown = seconds(issues, bg, path, 'abortScaleDownDelaySeconds')
  if (abortScaleDown !== undefined) out.abortScaleDownDelay = abortScaleDown
  const preview = opt(issues, bg, path, 'previewReplicaCount', 'integer')
  if (preview !== undefined) out.previewReplicas = preview
  for (const [native, upstream] of [
    ['autoPromotionDelay', 'autoPromotionSeconds'],
    ['scaleDownDelay', 'scaleDownDelaySeconds'],
    ['abortScaleDownDelay', 'abortScaleDownDelaySeconds'],
    ['previewReplicas', 'previewReplicaCount'],
    ['prePromotionAnalysis', 'prePromotionAnalysis'],
    ['postPromotionAnalysis', 'postPromotionAnalysis'],
  ] as const) {
    paths.set(joinPath('strategy.blueGreen', native), joinPath(path, upstream))
  }
  return out
}
