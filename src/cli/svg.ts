/**
 * The `simulate --svg` chart, as a hand-written SVG string: the canary weight over time on top, one panel
 * per metric below (the canary's values, the primary's where the sample has one, the bound as a dashed
 * line), and the decision points marked on every panel (failed checks, no data, promotion, rollback).
 *
 * @module
 */
import type { MetricSpec, RolloutSpec } from '../config/spec.js'
import type { Sample } from '../engine/observation.js'
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

const unitOf = (m: MetricSpec): string =>
  m.sample === 'counts' ? 'bad events %' : m.sample === 'points' ? 'mean of points' : m.judge.kind === 'threshold' ? 'value' : 'value'

const bounds = (m: MetricSpec): number[] => (m.judge.kind === 'threshold' ? [m.judge.min, m.judge.max].filter((x): x is number => x !== undefined) : [])

const W = 960
const LEFT = 70
const RIGHT = 20
const PANEL = 130
const GAP = 46
const TOP = 70

/**
 * Renders the chart of a simulation.
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
  const tEnd = Math.max(60_000, ...ticks.map((t) => t.at))
  const metrics = spec.analysis.metrics
  const panels = 1 + metrics.length
  const H = TOP + panels * (PANEL + GAP) + 20
  const plotW = W - LEFT - RIGHT
  const x = (t: number): number => LEFT + (plotW * t) / tEnd
  const out: string[] = []
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="11">`)
  out.push(`<title>${escapeXml(title)}</title>`)
  out.push(`<rect width="${W}" height="${H}" fill="#ffffff"/>`)
  out.push(`<text x="${LEFT}" y="22" font-size="14" font-weight="bold">${escapeXml(title)}</text>`)
  const last = ticks[ticks.length - 1]
  const outcome = result.outcome === 'promoted' ? 'promoted' : result.outcome === 'rolledBack' ? 'rolled back' : 'unfinished'
  out.push(`<text x="${LEFT}" y="40" fill="#555">${escapeXml(`${outcome} at ${clock(last?.at ?? 0)}`)}</text>`)

  // decision markers shared by every panel
  const markers: { t: number; color: string; label: string }[] = []
  for (const t of ticks) {
    const a = t.decision.action.type
    const types = new Set(t.decision.events.map((e) => e.type))
    if (a === 'rollback') markers.push({ t: t.at, color: '#d62728', label: 'rollback' })
    else if (a === 'promote') markers.push({ t: t.at, color: '#2ca02c', label: 'promote' })
    else if (types.has('checkFailed')) markers.push({ t: t.at, color: '#ff7f0e', label: 'check failed' })
    else if (types.has('noData')) markers.push({ t: t.at, color: '#999999', label: 'no data' })
  }

  const panel = (index: number, label: string, lo: number, hi: number, series: { pts: Pt[]; color: string; name: string; step?: boolean }[], lines: number[]): void => {
    const y0 = TOP + index * (PANEL + GAP)
    const span = hi - lo || 1
    const y = (v: number): number => y0 + PANEL - (PANEL * (v - lo)) / span
    out.push(`<g>`)
    out.push(`<text x="${LEFT}" y="${y0 - 6}" font-weight="bold">${escapeXml(label)}</text>`)
    out.push(`<rect x="${LEFT}" y="${y0}" width="${plotW}" height="${PANEL}" fill="none" stroke="#ccc"/>`)
    for (const v of [lo, (lo + hi) / 2, hi]) {
      out.push(`<text x="${LEFT - 6}" y="${y(v) + 4}" text-anchor="end" fill="#555">${escapeXml(short(v))}</text>`)
    }
    const stepT = Math.max(60_000, Math.ceil(tEnd / 10 / 60_000) * 60_000)
    for (let t = 0; t <= tEnd; t += stepT) {
      out.push(`<line x1="${x(t)}" y1="${y0}" x2="${x(t)}" y2="${y0 + PANEL}" stroke="#eee"/>`)
      out.push(`<text x="${x(t)}" y="${y0 + PANEL + 14}" text-anchor="middle" fill="#555">${clock(t)}</text>`)
    }
    for (const m of markers) {
      out.push(`<line x1="${x(m.t)}" y1="${y0}" x2="${x(m.t)}" y2="${y0 + PANEL}" stroke="${m.color}" stroke-width="1.5" stroke-dasharray="4 2"><title>${escapeXml(`${m.label} at ${clock(m.t)}`)}</title></line>`)
    }
    for (const b of lines) {
      out.push(`<line x1="${LEFT}" y1="${y(b)}" x2="${LEFT + plotW}" y2="${y(b)}" stroke="#d62728" stroke-dasharray="6 3"><title>bound ${escapeXml(short(b))}</title></line>`)
    }
    let legendX = LEFT + plotW
    for (const s of [...series].reverse()) {
      if (s.pts.length === 0) continue
      const d = s.pts
        .map((p, i) => {
          const prev = s.pts[i - 1]
          const move = `${i === 0 ? 'M' : 'L'}${x(p.t).toFixed(1)},${y(p.v).toFixed(1)}`
          return s.step === true && prev !== undefined ? `L${x(p.t).toFixed(1)},${y(prev.v).toFixed(1)} ${move}` : move
        })
        .join(' ')
      out.push(`<path d="${d}" fill="none" stroke="${s.color}" stroke-width="2"/>`)
      for (const p of s.step === true ? [] : s.pts) {
        out.push(`<circle cx="${x(p.t).toFixed(1)}" cy="${y(p.v).toFixed(1)}" r="2.5" fill="${s.color}"><title>${escapeXml(`${s.name} ${short(p.v)} at ${clock(p.t)}`)}</title></circle>`)
      }
      legendX -= 8 + s.name.length * 6.5
      out.push(`<text x="${legendX}" y="${y0 - 6}" fill="${s.color}">${escapeXml(s.name)}</text>`)
    }
    out.push(`</g>`)
  }

  // weight: a step line from each decision's routing
  const weight: Pt[] = ticks.map((t) => ({ t: t.at, v: t.decision.state.traffic.weight }))
  if (last !== undefined) weight.push({ t: tEnd, v: last.decision.state.traffic.weight })
  panel(0, 'canary weight %', 0, 100, [{ pts: weight, color: '#1f77b4', name: 'weight', step: true }], [])

  metrics.forEach((m, i) => {
    const canary: Pt[] = []
    const primary: Pt[] = []
    for (const t of ticks) {
      for (const s of t.observation.samples ?? []) {
        if (s.metric !== m.name) continue
        const v = sampleValues(s)
        if (v.canary !== undefined) canary.push({ t: s.window.to, v: v.canary })
        if (v.primary !== undefined) primary.push({ t: s.window.to, v: v.primary })
      }
    }
    const lines = bounds(m)
    const all = [...canary, ...primary].map((p) => p.v).concat(lines)
    let lo = all.length > 0 ? Math.min(...all) : 0
    let hi = all.length > 0 ? Math.max(...all) : 1
    const pad = (hi - lo) * 0.1 || Math.abs(hi) * 0.1 || 1
    lo -= pad
    hi += pad
    if (m.sample === 'counts' && lo < 0) lo = 0
    panel(1 + i, `${m.name} (${unitOf(m)}${m.judge.kind === 'sequential' ? ', sequential test' : ''})`, lo, hi, [
      { pts: canary, color: '#ff7f0e', name: 'canary' },
      { pts: primary, color: '#1f77b4', name: 'primary' },
    ], lines)
  })
  out.push('</svg>')
  return out.join('\n') + '\n'
}
