/** Test helper: a short, readable trace of a run for property counterexamples. */
import type { TraceEntry } from '../../src/testing/index.js'

export const shortTrace = (trace: readonly TraceEntry[], last = 8): string =>
  trace
    .slice(-last)
    .map((e) => {
      const d = e.decision
      const o = e.observation
      const sent = [
        o.samples?.length ? `${o.samples.length} samples` : '',
        o.gates ? `gates ${Object.entries(o.gates).map(([k, v]) => `${k}=${v}`).join(',')}` : '',
        o.command ?? '',
        o.ready ? `ready c=${o.ready.canary} p=${o.ready.primary}` : '',
      ].filter((x) => x !== '').join('; ')
      if (d === null) return `  at ${o.at}: threw`
      return `  at ${o.at} [${sent}] ${e.before.phase} -> ${d.state.phase} ${d.action.type}${d.action.type === 'setWeight' ? ` ${d.action.weight}` : ''} wakeAt ${d.wakeAt} needs ${d.needs.map((n) => (n.kind === 'metric' ? `${n.metric}[${n.window.from},${n.window.to}]` : n.kind === 'gate' ? `gate ${n.gate}` : 'ready')).join(',')} | ${d.reasons.map((r) => r.code).join(',')}`
    })
    .join('\n')
