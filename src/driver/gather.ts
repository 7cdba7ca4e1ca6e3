/**
 * Answering the engine's needs through the adapters, turning every adapter failure into an observation:
 * a metrics source that throws or times out gives `noData` samples (with the error in `detail`), so does
 * a sample the engine could not use (NaN, negative, the wrong kind...); samples nobody asked for are
 * dropped; a gate that fails is a `deny`, a readiness probe that fails leaves readiness unknown.
 *
 * @module
 */
import type { Need } from '../engine/decision.js'
import { GATE_ANSWERS, type GateAnswer, type Sample } from '../model/observation.js'
import { sampleProblem } from '../index.js'
import type { AdapterContext, Adapters, GateNeed, MetricNeed, Readiness } from './adapters.js'
import type { DriveEvent } from './events.js'
import { errorText, withTimeout } from './timeout.js'
import { boundedList, guardedAsync } from '../model/guard.js'

/**
 * What was gathered for one step.
 *
 * @example
 * ```ts
 * const g: Gathered = { samples: [], gates: { approve: 'deny' } }
 * ```
 * @category model
 */
export interface Gathered {
  readonly samples: readonly Sample[]
  readonly gates: Readonly<Record<string, GateAnswer>>
  readonly ready?: Readiness
}

const ANSWERS: readonly string[] = GATE_ANSWERS

/** Whether `s` (anything an adapter returned) is a sample for the need's metric and window. */
const answers = (s: unknown, n: MetricNeed): boolean => {
  if (typeof s !== 'object' || s === null) return false
  const { metric, window } = s as { metric?: unknown; window?: unknown }
  if (metric !== n.metric || typeof window !== 'object' || window === null) return false
  const w = window as { from?: unknown; to?: unknown }
  return w.from === n.window.from && w.to === n.window.to
}

/**
 * Gathers samples, gate answers and readiness for `needs`, each adapter call bounded by `timeoutMs`.
 * Never rejects.
 *
 * @example
 * ```ts
 * declare const adapters: Adapters, ctx: AdapterContext
 * const g = await gatherNeeds(adapters, [{ kind: 'readiness' }], ctx, 30_000, console.log)
 * ```
 * @category gathering
 */
export const gatherNeeds = guardedAsync('gatherNeeds', async (
  adapters: Adapters,
  needs: readonly Need[],
  ctx: AdapterContext,
  timeoutMs: number,
  report: (e: DriveEvent) => void,
): Promise<Gathered> => {
  const metricNeeds = boundedList(needs, 'needs').filter((n): n is MetricNeed => n.kind === 'metric')
  const gateNeeds = needs.filter((n): n is GateNeed => n.kind === 'gate')
  const wantsReadiness = needs.some((n) => n.kind === 'readiness')
  const { clock } = adapters

  const samples = async (): Promise<readonly Sample[]> => {
    if (metricNeeds.length === 0) return []
    let got: readonly Sample[]
    try {
      got = await withTimeout(clock, timeoutMs, ctx.signal, 'metrics source', (signal) => adapters.metrics.gather(metricNeeds, { ...ctx, signal }))
      if (!Array.isArray(got)) throw new Error('metrics source did not return a list of samples')
    } catch (err) {
      const error = errorText(err)
      report({ type: 'metricsFailed', error, metrics: metricNeeds.map((n) => n.metric) })
      return metricNeeds.map((n) => ({ kind: 'noData', metric: n.metric, window: n.window, detail: `metrics source failed: ${error}` }))
    }
    // One sample per need: the first that answers it. A sample the engine cannot use (the engine's own
    // per-sample check, `sampleProblem`) would be ignored, and the same query asked again at every call; it
    // becomes noData instead, counted towards noDataLimit. Samples for metrics or windows that were not
    // asked for are dropped.
    const out: Sample[] = []
    const problems: string[] = []
    for (const n of metricNeeds) {
      const s = got.find((x) => answers(x, n))
      if (s === undefined) {
        out.push({ kind: 'noData', metric: n.metric, window: n.window, detail: 'the metrics source returned no sample for this window' })
        continue
      }
      const what = sampleProblem(ctx.spec, ctx.state, s, Math.max(ctx.state.at, n.window.to))
      if (what === null) {
        out.push(s)
        continue
      }
      problems.push(`${n.metric}: ${what}`)
      out.push({ kind: 'noData', metric: n.metric, window: n.window, detail: `unusable sample from the metrics source: ${what}` })
    }
    const unasked = got.filter((x) => !metricNeeds.some((n) => answers(x, n))).length
    if (unasked > 0) problems.push(`${unasked} sample${unasked === 1 ? '' : 's'} for metrics or windows that were not asked for (dropped)`)
    if (problems.length > 0) report({ type: 'metricsFailed', error: problems.join('; '), metrics: metricNeeds.map((n) => n.metric) })
    return out
  }

  const gates = async (): Promise<Record<string, GateAnswer>> => {
    const answers = await Promise.all(
      gateNeeds.map(async (n): Promise<[string, GateAnswer]> => {
        const gates = adapters.gates
        if (gates === undefined) {
          report({ type: 'gateFailed', gate: n.gate, error: 'no Gates adapter configured: answering deny' })
          return [n.gate, 'deny']
        }
        const spec = ctx.spec.gates.find((g) => g.name === n.gate)
        const limit = spec?.timeoutMs ?? timeoutMs
        try {
          const a = await withTimeout(clock, limit, ctx.signal, `gate ${n.gate}`, (signal) => gates.run(n, spec, { ...ctx, signal }))
          if (!ANSWERS.includes(a)) throw new Error(`gate answered ${JSON.stringify(a)}, expected approve, deny or rollback`)
          return [n.gate, a]
        } catch (err) {
          report({ type: 'gateFailed', gate: n.gate, error: errorText(err) })
          return [n.gate, 'deny']
        }
      }),
    )
    return Object.fromEntries(answers)
  }

  const ready = async (): Promise<Readiness | undefined> => {
    if (!wantsReadiness) return undefined
    try {
      const r = await withTimeout(clock, timeoutMs, ctx.signal, 'readiness probe', (signal) => adapters.workloads.readiness({ ...ctx, signal }))
      const out: { canary?: boolean; primary?: boolean; experiment?: boolean } = {}
      if (typeof r?.canary === 'boolean') out.canary = r.canary
      if (typeof r?.primary === 'boolean') out.primary = r.primary
      if (typeof r?.experiment === 'boolean') out.experiment = r.experiment
      return out
    } catch (err) {
      report({ type: 'readinessFailed', error: errorText(err) })
      return undefined
    }
  }

  const [s, g, r] = await Promise.all([samples(), gates(), ready()])
  return { samples: s, gates: g, ...(r !== undefined ? { ready: r } : {}) }
}, () => ({ samples: [], gates: {} }))
