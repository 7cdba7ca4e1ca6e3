/**
 * The charts in a real browser: headless Chromium renders the `simulate --svg` charts (a rollback, an
 * outage with no-data gaps, an Argo manifest with stand-in metrics) and the benchmark charts, writes
 * PNGs to .tmp/charts/ (to look at), and measures every text element's box with the rendered box of each text: no label
 * may stick out of its chart (clipped). Skipped without the Debian `chromium` package (a failure in CI).
 */
import { spawn, spawnSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { barChart, lineChart } from '../../bench/svg.js'
import { main } from '../../src/cli/main.js'
import type { CliIo } from '../../src/cli/io.js'

const ROOT = resolve(__dirname, '../..')
const OUT = join(ROOT, '.tmp/charts')
const chromium = ['chromium', 'chromium-browser'].find((c) => spawnSync(c, ['--version']).status === 0)
const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--hide-scrollbars']

const profiles: string[] = []
const browser = (args: readonly string[]): Promise<{ code: number | null; stdout: string }> =>
  new Promise((done) => {
    const profile = mkdtempSync(join(tmpdir(), 'rk-chromium-'))
    profiles.push(profile)
    const child = spawn(chromium ?? 'chromium', [...FLAGS, `--user-data-dir=${profile}`, ...args], { stdio: ['ignore', 'pipe', 'ignore'] })
    let stdout = ''
    child.stdout.on('data', (b: Buffer) => void (stdout += b.toString()))
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000)
    child.on('close', (code) => {
      clearTimeout(timer)
      done({ code, stdout })
    })
  })

/** `simulate --svg` in process; returns the SVG text. */
const simulateSvg = (file: string, scenario: string): string => {
  let svg = ''
  const io: CliIo = { stdout: () => undefined, stderr: () => undefined, readFile: (p) => readFileSync(p, 'utf8'), writeFile: (_p, t) => void (svg = t) }
  expect(main(['simulate', file, '--scenario', scenario, '--svg', 'chart.svg'], io)).toBe(0)
  return svg
}

const size = (svg: string): { w: number; h: number } => {
  const m = /viewBox="0 0 (\d+(?:\.\d+)?) (\d+(?:\.\d+)?)"/.exec(svg)
  return { w: Number(m?.[1] ?? 0), h: Number(m?.[2] ?? 0) }
}

const LONG = 'Argo >= 98.5% / <= 500 ms, 5m window, failureLimit 2'

const charts = (): Record<string, string> => ({
  'simulate-regression': simulateSvg('examples/canary.yaml', 'regression'),
  'simulate-no-data': simulateSvg('examples/canary.yaml', 'no-data'),
  'simulate-argo-stand-in': simulateSvg('examples/upstream/argo-rollout-analysis-step.yaml', 'regression'),
  'bench-bars': barChart({ title: 'Median detection delay at 10 req/s per arm (minutes; > = beyond 60)', yLabel: 'minutes', categories: ['err-2', 'lat-10'], series: [{ name: 'Flagger min 99% / max 450 ms', values: [6, 61] }, { name: LONG, values: [4, 12] }, { name: 'sequential (alpha 0.01, tolerance 1.12, early pass)', values: [2, 9] }], cap: 60 }),
  'bench-tradeoff': lineChart({ title: 'False rollbacks vs detection delay', xLabel: 'median detection delay (minutes)', yLabel: 'false rollbacks under H0 (%)', series: [{ name: LONG, points: [{ x: 5, y: 99.5, label: '99.5' }, { x: 6, y: 0.5 }] }], yScale: 'sqrt', yTicks: [0, 1, 2, 5, 10, 20, 50], hLine: { y: 1, label: 'alpha = 1%' } }),
})

/** A page that measures every <text> of every chart and prints the boxes that leave their chart. */
const measurePage = (svgs: Record<string, string>): string =>
  `<!doctype html><html><body style="margin:0">${Object.entries(svgs)
    .map(([name, svg]) => `<div data-chart="${name}">${svg}</div>`)
    .join('')}<pre id="report"></pre><script>
const out = []
for (const div of document.querySelectorAll('div[data-chart]')) {
  const svg = div.querySelector('svg')
  const vb = svg.viewBox.baseVal
  let texts = 0
  const box = svg.getBoundingClientRect()
  for (const t of svg.querySelectorAll('text')) {
    texts++
    // the rendered box, transforms (rotated axis labels) included, in chart coordinates
    const r = t.getBoundingClientRect()
    const b = { x: r.left - box.left, y: r.top - box.top, width: r.width, height: r.height }
    if (b.x < -0.5 || b.y < -0.5 || b.x + b.width > vb.width + 0.5 || b.y + b.height > vb.height + 0.5) {
      out.push(div.dataset.chart + ': "' + t.textContent + '" at ' + [b.x, b.y, b.width, b.height].map((v) => v.toFixed(1)).join(',') + ' outside ' + vb.width + 'x' + vb.height)
    }
  }
  out.push('checked ' + div.dataset.chart + ' ' + texts)
}
document.getElementById('report').textContent = 'REPORT-START\\n' + out.join('\\n') + '\\nREPORT-END'
</script></body></html>`

const describeIf = chromium !== undefined || process.env['CI'] === 'true' ? describe : describe.skip

describeIf('charts in headless Chromium', () => {
  afterAll(() => {
    for (const p of profiles) rmSync(p, { recursive: true, force: true })
  })

  it('no text leaves its chart; every chart renders to a PNG', async () => {
    if (chromium === undefined) throw new Error('chromium not found: apt-get install -y chromium')
    mkdirSync(OUT, { recursive: true })
    const svgs = charts()
    const page = join(OUT, 'measure.html')
    writeFileSync(page, measurePage(svgs))
    const measured = await browser(['--dump-dom', `file://${page}`])
    const report = /REPORT-START\n([\s\S]*?)\nREPORT-END/.exec(measured.stdout)?.[1] ?? `no report (exit ${String(measured.code)})`
    const lines = report.split('\n')
    for (const name of Object.keys(svgs)) expect(lines, report).toContainEqual(expect.stringMatching(new RegExp(`^checked ${name} [1-9]\\d*$`)))
    expect(lines.filter((l) => !l.startsWith('checked ')), report).toEqual([])

    await Promise.all(
      Object.entries(svgs).map(async ([name, svg]) => {
        const file = join(OUT, `${name}.svg`)
        writeFileSync(file, svg)
        const { w, h } = size(svg)
        const png = join(OUT, `${name}.png`)
        await browser([`--window-size=${Math.ceil(w)},${Math.ceil(h)}`, `--screenshot=${png}`, `file://${file}`])
        // a blank page is a few kilobytes; a chart with lines and labels is many more
        expect(statSync(png).size, name).toBeGreaterThan(12_000)
      }),
    )
  }, 180_000)

  it('the simulate charts carry a legend for the markers, units, labelled thresholds and stand-in marks', () => {
    const svgs = charts()
    const reg = svgs['simulate-regression'] ?? ''
    for (const label of ['rollback (decision)', 'promotion (decision)', 'failed check (decision)', 'no data (decision)', 'no data from the source', 'threshold: min 99', 'threshold: max 500', '% of traffic', 'bad events, %', '>ms<', 'podinfo: regression, seed 1']) {
      expect(reg).toContain(label)
    }
    // the x axis ends at the last decision (the rollback the subtitle names), not at a rounded-up minute
    const end = /rolled back at (\d\d):(\d\d)/.exec(reg)
    expect(end, 'the subtitle names the rollback time').not.toBeNull()
    const [mm, ss] = [Number(end?.[1]), Number(end?.[2])]
    const next = `${String(mm + 1).padStart(2, '0')}:${String(ss).padStart(2, '0')}`
    expect(reg).toContain(`>${end?.[1]}:${end?.[2]}</text>`)
    expect(reg).not.toContain(`>${next}</text>`)
    expect(svgs['simulate-no-data']).toMatch(/<rect x="[\d.]+" y="[\d.]+" width="[\d.]+" height="130" fill="#8c8c8c" fill-opacity="0.18"><title>no data /)
    expect(svgs['simulate-argo-stand-in']).toContain('stand-in values: the simulator has no model for this metric')
  })
})
