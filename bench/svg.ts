/**
 * Hand-written SVG charts (no chart library): a scatter/line chart and a grouped bar chart.
 *
 * @module
 */

const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
const fmt = (x: number): string =>
  (Math.abs(x) >= 100 ? x.toFixed(0) : Math.abs(x) >= 10 ? x.toFixed(1) : x.toFixed(2)).replace(/\.0+$/, '').replace(/(\.\d*?)0+$/, '$1') || '0'

/** Average glyph width of 12px sans-serif, to wrap legend labels instead of cutting them. */
const CHAR = 6.8

/** Splits a label into lines of at most `max` characters, at spaces where possible (a longer word gets a line of its own). */
const wrap = (label: string, max: number): string[] => {
  const lines: string[] = []
  let cur = ''
  for (const word of label.split(' ')) {
    if (cur === '') cur = word
    else if (cur.length + 1 + word.length <= max) cur += ` ${word}`
    else {
      lines.push(cur)
      cur = word
    }
  }
  if (cur !== '') lines.push(cur)
  return lines
}

/** Legend at the right margin: a swatch and the wrapped label per series, stacked. */
const legend = (names: readonly string[], x0: number, y0: number, width: number): string[] => {
  const out: string[] = []
  let y = y0
  const max = Math.max(8, Math.floor((width - 20) / CHAR))
  names.forEach((name, i) => {
    const c = PALETTE[i % PALETTE.length] ?? '#000'
    const lines = wrap(name, max)
    out.push(`<rect x="${x0}" y="${y}" width="12" height="12" fill="${c}"/>`)
    lines.forEach((l, k) => out.push(`<text x="${x0 + 17}" y="${y + 10 + k * 14}">${esc(l)}</text>`))
    y += 14 * lines.length + 8
  })
  return out
}

/** Ticks that reach the top of the data: the given ones, then at most two round values up to `top`. */
const reachTop = (ticks: readonly number[], top: number): number[] => {
  const out = [...ticks]
  const last = out[out.length - 1] ?? 0
  if (last >= top * 0.8 || !(top > 0)) return out
  const mag = 10 ** Math.floor(Math.log10(top))
  const step = [0.1, 0.2, 0.25, 0.5, 1, 2, 2.5, 5, 10].map((k) => k * mag).find((st) => (top - last) / st <= 2.2) ?? 10 * mag
  for (let v = (Math.floor(last / step) + 1) * step; v <= top; v += step) out.push(Number(v.toPrecision(12)))
  return out
}

/**
 * Colours per series, colour-blind friendly (Okabe-Ito).
 *
 * @example
 * ```ts
 * PALETTE[0] // '#0072B2'
 * ```
 */
export const PALETTE = ['#0072B2', '#E69F00', '#009E73', '#D55E00', '#CC79A7', '#56B4E9', '#F0E442', '#000000']

/**
 * A series of points joined by a line, each labelled.
 *
 * @example
 * ```ts
 * const s: Series = { name: 'Flagger', points: [{ x: 1, y: 2, label: '99' }] }
 * ```
 */
export interface Series {
  readonly name: string
  readonly points: readonly { readonly x: number; readonly y: number; readonly label?: string }[]
}

/**
 * A line/scatter chart. `yScale: 'sqrt'` spreads small values (false-rollback rates near 0).
 *
 * @example
 * ```ts
 * lineChart({ title: 't', xLabel: 'x', yLabel: 'y', series: [] })
 * ```
 */
export const lineChart = (o: {
  readonly title: string
  readonly xLabel: string
  readonly yLabel: string
  readonly series: readonly Series[]
  readonly yScale?: 'linear' | 'sqrt'
  readonly yTicks?: readonly number[]
  readonly hLine?: { readonly y: number; readonly label: string }
}): string => {
  const W = 760
  const H = 460
  const m = { l: 70, r: 200, t: 40, b: 55 }
  const pts = o.series.flatMap((s) => s.points).filter((p) => Number.isFinite(p.x) && Number.isFinite(p.y))
  const xMax = Math.max(1, ...pts.map((p) => p.x)) * 1.05
  const yMaxRaw = Math.max(o.hLine?.y ?? 0, ...pts.map((p) => p.y), 1e-9) * 1.05
  const f = o.yScale === 'sqrt' ? Math.sqrt : (y: number) => y
  const X = (x: number): number => m.l + (x / xMax) * (W - m.l - m.r)
  const Y = (y: number): number => H - m.b - (f(Math.max(0, y)) / f(yMaxRaw)) * (H - m.t - m.b)
  const out: string[] = []
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="12">`)
  out.push(`<rect width="${W}" height="${H}" fill="white"/>`)
  out.push(`<text x="${m.l}" y="22" font-size="15" font-weight="bold">${esc(o.title)}</text>`)
  // axes and ticks
  out.push(`<line x1="${m.l}" y1="${H - m.b}" x2="${W - m.r}" y2="${H - m.b}" stroke="#333"/>`)
  out.push(`<line x1="${m.l}" y1="${m.t}" x2="${m.l}" y2="${H - m.b}" stroke="#333"/>`)
  const xStep = xMax > 40 ? 10 : xMax > 15 ? 5 : xMax > 6 ? 2 : 1
  for (let x = 0; x <= xMax; x += xStep) {
    out.push(`<line x1="${X(x)}" y1="${H - m.b}" x2="${X(x)}" y2="${H - m.b + 5}" stroke="#333"/><text x="${X(x)}" y="${H - m.b + 18}" text-anchor="middle">${fmt(x)}</text>`)
  }
  const yTicks = reachTop(o.yTicks ?? [0, 0.25, 0.5, 0.75, 1].map((k) => k * yMaxRaw), yMaxRaw)
  for (const y of yTicks.filter((t) => t <= yMaxRaw)) {
    out.push(`<line x1="${m.l - 5}" y1="${Y(y)}" x2="${W - m.r}" y2="${Y(y)}" stroke="#eee"/><text x="${m.l - 8}" y="${Y(y) + 4}" text-anchor="end">${fmt(y)}</text>`)
  }
  out.push(`<text x="${(m.l + W - m.r) / 2}" y="${H - 12}" text-anchor="middle">${esc(o.xLabel)}</text>`)
  out.push(`<text x="16" y="${(m.t + H - m.b) / 2}" text-anchor="middle" transform="rotate(-90 16 ${(m.t + H - m.b) / 2})">${esc(o.yLabel)}</text>`)
  if (o.hLine) {
    out.push(`<line x1="${m.l}" y1="${Y(o.hLine.y)}" x2="${W - m.r}" y2="${Y(o.hLine.y)}" stroke="#999" stroke-dasharray="5,4"/>`)
    out.push(`<text x="${W - m.r - 4}" y="${Y(o.hLine.y) - 5}" text-anchor="end" fill="#666">${esc(o.hLine.label)}</text>`)
  }
  o.series.forEach((s, i) => {
    const c = PALETTE[i % PALETTE.length] ?? '#000'
    const ps = s.points.filter((p) => Number.isFinite(p.x) && Number.isFinite(p.y))
    if (ps.length > 1) out.push(`<polyline fill="none" stroke="${c}" stroke-width="1.5" points="${ps.map((p) => `${X(p.x).toFixed(1)},${Y(p.y).toFixed(1)}`).join(' ')}"/>`)
    for (const p of ps) {
      out.push(`<circle cx="${X(p.x).toFixed(1)}" cy="${Y(p.y).toFixed(1)}" r="4" fill="${c}"/>`)
      if (p.label) out.push(`<text x="${(X(p.x) + 6).toFixed(1)}" y="${(Y(p.y) - 6).toFixed(1)}" font-size="10" fill="${c}">${esc(p.label)}</text>`)
    }
  })
  out.push(...legend(o.series.map((s) => s.name), W - m.r + 15, m.t, m.r - 15))
  out.push('</svg>')
  return out.join('\n')
}

/**
 * A grouped bar chart: one group per category, one bar per series; values above `cap` are drawn at the cap
 * and marked with ">".
 *
 * @example
 * ```ts
 * barChart({ title: 't', yLabel: 'min', categories: ['a'], series: [{ name: 's', values: [1] }], cap: 60 })
 * ```
 */
export const barChart = (o: {
  readonly title: string
  readonly yLabel: string
  readonly categories: readonly string[]
  readonly series: readonly { readonly name: string; readonly values: readonly number[] }[]
  readonly cap: number
}): string => {
  const W = 760
  const H = 420
  const m = { l: 60, r: 230, t: 40, b: 60 }
  const groupW = (W - m.l - m.r) / Math.max(1, o.categories.length)
  const barW = (groupW * 0.8) / Math.max(1, o.series.length)
  const Y = (v: number): number => H - m.b - (Math.min(v, o.cap) / o.cap) * (H - m.t - m.b)
  const out: string[] = []
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="12">`)
  out.push(`<rect width="${W}" height="${H}" fill="white"/>`)
  out.push(`<text x="12" y="22" font-size="15" font-weight="bold">${esc(o.title)}</text>`)
  out.push(`<line x1="${m.l}" y1="${H - m.b}" x2="${W - m.r}" y2="${H - m.b}" stroke="#333"/>`)
  for (let k = 0; k <= 4; k++) {
    const v = (k / 4) * o.cap
    out.push(`<line x1="${m.l - 5}" y1="${Y(v)}" x2="${W - m.r}" y2="${Y(v)}" stroke="#eee"/><text x="${m.l - 8}" y="${Y(v) + 4}" text-anchor="end">${fmt(v)}</text>`)
  }
  out.push(`<text x="16" y="${(m.t + H - m.b) / 2}" text-anchor="middle" transform="rotate(-90 16 ${(m.t + H - m.b) / 2})">${esc(o.yLabel)}</text>`)
  o.categories.forEach((cat, g) => {
    const x0 = m.l + g * groupW + groupW * 0.1
    o.series.forEach((s, i) => {
      const v = s.values[g] ?? Number.NaN
      const c = PALETTE[i % PALETTE.length] ?? '#000'
      if (!Number.isFinite(v) && v !== Infinity) return
      const y = Y(v === Infinity ? o.cap : v)
      out.push(`<rect x="${(x0 + i * barW).toFixed(1)}" y="${y.toFixed(1)}" width="${(barW - 2).toFixed(1)}" height="${(H - m.b - y).toFixed(1)}" fill="${c}"/>`)
      if (v >= o.cap) out.push(`<text x="${(x0 + i * barW + barW / 2).toFixed(1)}" y="${(y - 3).toFixed(1)}" text-anchor="middle" font-size="10">&gt;</text>`)
    })
    out.push(`<text x="${(x0 + groupW * 0.4).toFixed(1)}" y="${H - m.b + 18}" text-anchor="middle">${esc(cat)}</text>`)
  })
  out.push(...legend(o.series.map((s) => s.name), W - m.r + 15, m.t, m.r - 15))
  out.push('</svg>')
  return out.join('\n')
}
