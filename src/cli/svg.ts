/**
 * The `simulate --svg` chart, as a hand-written SVG string: the canary weight over time on top, one panel
 * per metric below (the canary's values, the primary's where the sample has one, the bound as a dashed
 * line), and the decision points marked on every panel (failed checks, no data, promotion, rollback).
 *
 * @module
 */
import type { MetricSpec, RolloutSpec } from '../config/spec.js'
import type { Sample } from '../model/observation.js'
import { clock, short } from './format.js'
import type { SimResult } from './simulation.js'

/**
 * Escapes text for SVG/XML content and attribute values.
 *
 * @example
 * ```ts
 * escapeXml('a < b & "c"') // 'a &lt; b &amp; &quot;c&quot;'
 * ```
 * @category svg
 */
export const escapeXml = (s: string): string =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;')

/** A plotted point: time (ms since start) and value. */
interface Pt {
  readonly t: number
  readonly v: number
}

/**
 * The numbers a sample contributes to its metric's panel: the canary's value and, for comparative
 * samples, the primary's (counts as bad-event %, points as their mean).
 *
 * @example
 * ```ts
 * sampleValues({ kind: 'counts', metric: 'errors', window: { from: 0, to: 1 }, canary: { total: 100, bad: 2 }, primary: { total: 100, bad: 1 } })
 * // { canary: 2, primary: 1 }
 * ```
 * @category svg
 */
export const sampleValues = (s: Sample): { canary?: number; primary?: number } => {
  const mean = (xs: readonly number[]): number | undefined => (xs.length === 0 ? undefined : xs.reduce((a, b) => a + b, 0) / xs.length)
  const pct = (c: { total: number; bad: number }): number | undefined => (c.total > 0 ? (100 * c.bad) / c.total : undefined)
  const only = <T>(k: string, v: T | undefined): Record<string, T> => (v === undefined || (typeof v === 'number' && !Number.isFinite(v)) ? {} : { [k]: v })
  switch (s.kind) {
    case 'value':
      return only('canary', typeof s.value === 'number' ? s.value : Array.isArray(s.value) && typeof s.value[0] === 'number' ? s.value[0] : undefined)
    case 'counts':
      return { ...only('canary', pct(s.canary)), ...only('primary', pct(s.primary)) }
    case 'points':
      return { ...only('canary', mean(s.canary)), ...only('primary', mean(s.primary)) }
    case 'noData':
      return {}
  }
}

/**
 * The unit a metric's values are drawn in: counts as the bad-event share in %, points as their mean, and
 * values by the metric's name (a success or error rate in %, a duration or latency in ms), else none.
 *
 * @example
 * ```ts
 * declare const m: MetricSpec
 * unitOf(m) // '%' for request-success-rate
 * ```
 * @category svg
 */
export const unitOf = (m: MetricSpec): string => {
  if (m.sample === 'counts') return 'bad events, %'
  if (m.sample === 'points') return 'mean of the points'
  if (/duration|latency|p9\d|response.?time/i.test(m.name)) return 'ms'
  if (/success|error|rate|ratio|percent/i.test(m.name)) return '%'
  return 'value'
}

const bounds = (m: MetricSpec): { v: number; label: string }[] =>
  m.judge.kind === 'threshold'
    ? [
        ...(m.judge.min !== undefined ? [{ v: m.judge.min, label: `min ${short(m.judge.min)}` }] : []),
        ...(m.judge.max !== undefined ? [{ v: m.judge.max, label: `max ${short(m.judge.max)}` }] : []),
      ]
    : []

/**
 * Round tick values covering [lo, hi]: 1, 2 or 5 times a power of ten apart, about `count` of them.
 *
 * @example
 * ```ts
 * niceTicks(98.35, 100.1, 4) // [98.5, 99, 99.5, 100]
 * ```
 * @category svg
 */
export const niceTicks = (lo: number, hi: number, count = 4): number[] => {
  if (!(Number.isFinite(lo) && Number.isFinite(hi)) || hi <= lo) return [lo]
  const raw = (hi - lo) / Math.max(1, count)
  const mag = 10 ** Math.floor(Math.log10(raw))
  const step = [1, 2, 5, 10].map((k) => k * mag).find((s) => s >= raw) ?? 10 * mag
  const out: number[] = []
  for (let v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9; v += step) out.push(Number(v.toPrecision(12)))
  return out
}

const W = 960
const LEFT = 84
const RIGHT = 24
const PANEL = 130
const GAP = 50
const CHAR = 6.3 // average glyph width of 11px sans-serif, for laying out legends without clipping

/** Marker kinds, in legend order, with their colours. */
const MARKERS = [
  { kind: 'rollback', color: '#d62728', label: 'rollback' },
  { kind: 'promote', color: '#2ca02c', label: 'promotion' },
  { kind: 'checkFailed', color: '#ff7f0e', label: 'failed check' },
  { kind: 'noData', color: '#8c8c8c', label: 'no data' },
] as const

/**
 * Renders the chart of a simulation: a legend (series, threshold, decision markers, no-data gaps), the
 * canary weight, then one panel per metric with its unit, labelled thresholds and gaps where the source
 * had no data. The x axis spans the run, from 00:00 to the last decision.
 *
 * @example
 * ```ts
 * declare const spec: RolloutSpec
 * declare const result: SimResult
 * const svg = chartSvg(spec, result, 'podinfo: healthy, seed 1')
 * svg.startsWith('<svg') // true
 * ```
 * @category svg
 */
export const chartSvg = (spec: RolloutSpec, result: SimResult, title: string): string => {
  const ticks = result.ticks
  const last = ticks[ticks.length - 1]
  // the x axis spans the run: from the start to the last decision
  const tEnd = Math.max(1000, last?.at ?? 0)
  const stepT = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 21_600, 43_200, 86_400].map((s) => s * 1000).find((s) => tEnd / s <= 10) ?? 86_400_000
  const metrics = spec.analysis.metrics
  const plotW = W - LEFT - RIGHT
  const x = (t: number): number => LEFT + (plotW * Math.min(Math.max(t, 0), tEnd)) / tEnd
  const out: string[] = []

  // legend entries, laid out left to right and wrapped so no label is cut
  type Entry = { readonly draw: (x0: number, y0: number) => string; readonly label: string }
  const swatchLine = (color: string, dash?: string) => (x0: number, y0: number) =>
    `<line x1="${x0}" y1="${y0 - 4}" x2="${x0 + 18}" y2="${y0 - 4}" stroke="${color}" stroke-width="2"${dash !== undefined ? ` stroke-dasharray="${dash}"` : ''}/>`
  const entries: Entry[] = [
    { draw: swatchLine('#1f77b4'), label: 'canary weight, primary' },
    { draw: swatchLine('#ff7f0e'), label: 'canary' },
    { draw: swatchLine('#d62728', '6 3'), label: 'threshold' },
    ...MARKERS.map((m) => ({ draw: swatchLine(m.color, '4 2'), label: `${m.label} (decision)` })),
    { draw: (x0: number, y0: number) => `<rect x="${x0}" y="${y0 - 10}" width="18" height="10" fill="#8c8c8c" fill-opacity="0.18"/>`, label: 'no data from the source' },
  ]
  const legend: string[] = []
  let lx = LEFT
  let ly = 62
  for (const e of entries) {
    const w = 24 + e.label.length * CHAR + 18
    if (lx + w > W - RIGHT) {
      lx = LEFT
      ly += 16
    }
    legend.push(e.draw(lx, ly), `<text x="${lx + 24}" y="${ly}" fill="#333">${escapeXml(e.label)}</text>`)
    lx += w
  }
  const TOP = ly + 36
  const panels = 1 + metrics.length
  const H = TOP + panels * (PANEL + GAP) + 10

  out.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="11">`)
  out.push(`<title>${escapeXml(title)}</title>`)
  out.push(`<rect width="${W}" height="${H}" fill="#ffffff"/>`)
  out.push(`<text x="${LEFT}" y="22" font-size="15" font-weight="bold">${escapeXml(title)}</text>`)
  const outcome = result.outcome === 'promoted' ? 'promoted' : result.outcome === 'rolledBack' ? 'rolled back' : 'unfinished'
  out.push(`<text x="${LEFT}" y="40" fill="#555">${escapeXml(`${outcome} at ${clock(last?.at ?? 0)}; ${ticks.length} decisions; time axis: mm:ss since the start of the rollout`)}</text>`)
  out.push(...legend)

  // decision markers shared by every panel
  const markers: { t: number; color: string; label: string }[] = []
  for (const t of ticks) {
    const a = t.decision.action.type
    const types = new Set(t.decision.events.map((e) => e.type))
    const kind = a === 'rollback' ? 'rollback' : a === 'promote' ? 'promote' : types.has('checkFailed') ? 'checkFailed' : types.has('noData') ? 'noData' : undefined
    const m = MARKERS.find((k) => k.kind === kind)
    if (m !== undefined) markers.push({ t: t.at, color: m.color, label: m.label })
  }

  interface Series {
    readonly pts: readonly (Pt | null)[]
    readonly color: string
    readonly name: string
    readonly step?: boolean
  }
  const panel = (index: number, label: string, note: string | undefined, unit: string, lo: number, hi: number, series: readonly Series[], lines: readonly { v: number; label: string }[], gaps: readonly { from: number; to: number }[]): void => {
    const y0 = TOP + index * (PANEL + GAP)
    const span = hi - lo || 1
    const y = (v: number): number => y0 + PANEL - (PANEL * (v - lo)) / span
    out.push(`<g>`)
    out.push(`<text x="${LEFT}" y="${y0 - 8}" font-weight="bold">${escapeXml(label)}${note !== undefined ? `<tspan font-weight="normal" font-style="italic" fill="#8a5a00"> ${escapeXml(note)}</tspan>` : ''}</text>`)
    for (const g of gaps) {
      out.push(`<rect x="${x(g.from).toFixed(1)}" y="${y0}" width="${Math.max(1, x(g.to) - x(g.from)).toFixed(1)}" height="${PANEL}" fill="#8c8c8c" fill-opacity="0.18"><title>${escapeXml(`no data ${clock(g.from)}-${clock(g.to)}`)}</title></rect>`)
    }
    out.push(`<rect x="${LEFT}" y="${y0}" width="${plotW}" height="${PANEL}" fill="none" stroke="#ccc"/>`)
    for (const v of niceTicks(lo, hi, 4)) {
      out.push(`<line x1="${LEFT - 4}" y1="${y(v).toFixed(1)}" x2="${LEFT + plotW}" y2="${y(v).toFixed(1)}" stroke="#f0f0f0"/>`)
      out.push(`<text x="${LEFT - 6}" y="${(y(v) + 4).toFixed(1)}" text-anchor="end" fill="#555">${escapeXml(short(v))}</text>`)
    }
    const cy = y0 + PANEL / 2
    out.push(`<text x="14" y="${cy}" text-anchor="middle" fill="#555" transform="rotate(-90 14 ${cy})">${escapeXml(unit)}</text>`)
    for (let t = 0; t <= tEnd; t += stepT) {
      out.push(`<line x1="${x(t)}" y1="${y0}" x2="${x(t)}" y2="${y0 + PANEL}" stroke="#eee"/>`)
      out.push(`<text x="${x(t)}" y="${y0 + PANEL + 14}" text-anchor="${t === 0 ? 'start' : t + stepT > tEnd && x(t) > W - RIGHT - 20 ? 'end' : 'middle'}" fill="#555">${clock(t)}</text>`)
    }
    for (const m of markers) {
      out.push(`<line x1="${x(m.t)}" y1="${y0}" x2="${x(m.t)}" y2="${y0 + PANEL}" stroke="${m.color}" stroke-width="1.5" stroke-dasharray="4 2"><title>${escapeXml(`${m.label} at ${clock(m.t)}`)}</title></line>`)
    }
    for (const b of lines) {
      out.push(`<line x1="${LEFT}" y1="${y(b.v).toFixed(1)}" x2="${LEFT + plotW}" y2="${y(b.v).toFixed(1)}" stroke="#d62728" stroke-dasharray="6 3"><title>threshold ${escapeXml(b.label)}</title></line>`)
      out.push(`<text x="${LEFT + 4}" y="${(y(b.v) - 4).toFixed(1)}" fill="#d62728">${escapeXml(`threshold: ${b.label}`)}</text>`)
    }
    for (const s of series) {
      // a null point ends a segment: the source had no data there
      const segments: Pt[][] = [[]]
      for (const p of s.pts) {
        if (p === null) {
          if ((segments[segments.length - 1] ?? []).length > 0) segments.push([])
        } else (segments[segments.length - 1] as Pt[]).push(p)
      }
      for (const seg of segments) {
        if (seg.length === 0) continue
        const d = seg
          .map((p, i) => {
            const prev = seg[i - 1]
            const move = `${i === 0 ? 'M' : 'L'}${x(p.t).toFixed(1)},${y(p.v).toFixed(1)}`
            return s.step === true && prev !== undefined ? `L${x(p.t).toFixed(1)},${y(prev.v).toFixed(1)} ${move}` : move
          })
          .join(' ')
        out.push(`<path d="${d}" fill="none" stroke="${s.color}" stroke-width="2"/>`)
        for (const p of s.step === true ? [] : seg) {
          out.push(`<circle cx="${x(p.t).toFixed(1)}" cy="${y(p.v).toFixed(1)}" r="2.5" fill="${s.color}"><title>${escapeXml(`${s.name} ${short(p.v)}${unit === '%' || unit === 'ms' ? ` ${unit}` : ''} at ${clock(p.t)}`)}</title></circle>`)
        }
      }
    }
    out.push(`</g>`)
  }

  // weight: a step line from each decision's routing
  const weight: Pt[] = ticks.map((t) => ({ t: t.at, v: t.decision.state.traffic.weight }))
  if (last !== undefined) weight.push({ t: tEnd, v: last.decision.state.traffic.weight })
  panel(0, 'canary weight', undefined, '% of traffic', 0, 100, [{ pts: weight, color: '#1f77b4', name: 'weight', step: true }], [], [])

  metrics.forEach((m, i) => {
    const canary: (Pt | null)[] = []
    const primary: (Pt | null)[] = []
    const gaps: { from: number; to: number }[] = []
    for (const t of ticks) {
      for (const s of t.observation.samples ?? []) {
        if (s.metric !== m.name) continue
        if (s.kind === 'noData') {
          gaps.push({ from: s.window.from, to: s.window.to })
          canary.push(null)
          primary.push(null)
          continue
        }
        const v = sampleValues(s)
        if (v.canary !== undefined) canary.push({ t: s.window.to, v: v.canary })
        if (v.primary !== undefined) primary.push({ t: s.window.to, v: v.primary })
      }
    }
    const lines = bounds(m)
    const all = [...canary, ...primary].flatMap((p) => (p === null ? [] : [p.v])).concat(lines.map((b) => b.v))
    let lo = all.length > 0 ? Math.min(...all) : 0
    let hi = all.length > 0 ? Math.max(...all) : 1
    const pad = (hi - lo) * 0.12 || Math.abs(hi) * 0.1 || 1
    lo -= pad
    hi += pad
    if ((m.sample === 'counts' || unitOf(m) === '%' || unitOf(m) === 'ms') && lo < 0) lo = 0
    if (unitOf(m) === '%' && hi > 100 && Math.max(...all) <= 100) hi = 100
    const standIn = !result.simulatedMetrics.includes(m.name)
    panel(
      1 + i,
      `${m.name}${m.judge.kind === 'sequential' ? ' (sequential test)' : ''}`,
      standIn ? 'stand-in values: the simulator has no model for this metric' : undefined,
      unitOf(m),
      lo,
      hi,
      [
        { pts: canary, color: '#ff7f0e', name: 'canary' },
        { pts: primary, color: '#1f77b4', name: 'primary' },
      ],
      lines,
      gaps,
    )
  })
  out.push('</svg>')
  return out.join('\n') + '\n'
}
