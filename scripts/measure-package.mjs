#!/usr/bin/env node
// Measures the package as a user gets it: `npm pack` (or a given tarball), install it into a fresh temp
// project, then report the tarball size, the unpacked size, the installed footprint (the package and every
// dependency npm installs with it, apparent bytes and disk usage), and the main entry's cold import: fresh
// `node` processes doing only `import('rollout-kernel')` (or `require`), beside processes doing nothing
// (`node -e 0`), interleaved so machine load hits every row alike. Medians of --runs runs (default 31),
// wall time and the process's own CPU time (user + system, from process.resourceUsage at exit).
// Run after `npm run build`. Figures for docs/packaging.md; nothing is asserted here.
//
// With --baseline OTHER.tgz, that tarball is installed into a second project and its import rows are measured
// in the same interleaved loop (before / after in one run, so the ratio is not a comparison of two loads).
//
// Usage: node scripts/measure-package.mjs [--runs N] [--tarball FILE.tgz] [--baseline OTHER.tgz] [--json] [--keep]
import { execFileSync, spawnSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync, lstatSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'

const root = resolve(import.meta.dirname ?? new URL('.', import.meta.url).pathname, '..')
const arg = (name, fallback) => {
  const i = process.argv.indexOf(name)
  return i >= 0 && process.argv[i + 1] !== undefined ? process.argv[i + 1] : fallback
}
const runs = Number(arg('--runs', '31'))
const given = arg('--tarball', undefined)
const baseline = arg('--baseline', undefined)
const asJson = process.argv.includes('--json')
const keep = process.argv.includes('--keep')
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm'

/** apparent size and disk usage (1 KiB blocks) of a tree, symlinks not followed */
const sizeOf = (dir) => {
  let bytes = 0
  let blocks = 0
  const walk = (p) => {
    const s = lstatSync(p)
    bytes += s.isDirectory() ? 0 : s.size
    blocks += s.blocks ?? 0
    if (s.isDirectory()) for (const e of readdirSync(p)) walk(join(p, e))
  }
  walk(dir)
  return { bytes, diskBytes: blocks * 512 }
}
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b)
  return s.length === 0 ? NaN : s.length % 2 === 1 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2
}

const tmp = mkdtempSync(join(tmpdir(), 'rollout-kernel-measure-'))
try {
  let tarball = given === undefined ? undefined : resolve(given)
  if (tarball === undefined) {
    const packed = JSON.parse(execFileSync(npm, ['pack', '--json', '--pack-destination', tmp], { cwd: root, encoding: 'utf8' }))
    tarball = join(tmp, packed[0].filename)
  }
  const proj = join(tmp, 'project')
  mkdirSync(proj)
  writeFileSync(join(proj, 'package.json'), JSON.stringify({ name: 'measure', version: '0.0.0', private: true }))
  execFileSync(npm, ['install', '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error', tarball], { cwd: proj, stdio: 'ignore' })
  const modules = join(proj, 'node_modules')
  const installed = sizeOf(modules)
  const pkgDir = join(modules, 'rollout-kernel')
  const own = sizeOf(pkgDir)
  const deps = readdirSync(modules)
    .filter((d) => !d.startsWith('.') && d !== 'rollout-kernel')
    .flatMap((d) => (d.startsWith('@') ? readdirSync(join(modules, d)).map((e) => `${d}/${e}`) : [d]))
    .map((d) => ({ name: d, bytes: sizeOf(join(modules, d)).bytes }))
    .sort((a, b) => b.bytes - a.bytes)

  // a child prints its own CPU time at exit; wall time is measured around the spawn
  const cpuAtExit = `process.on('exit', () => { const r = process.resourceUsage(); process.stderr.write('cpu ' + (r.userCPUTime + r.systemCPUTime) / 1000) });`
  const cases = [
    { name: 'node -e 0 (no import)', args: ['--input-type=module', '-e', cpuAtExit], cwd: proj },
    { name: "import('rollout-kernel')", args: ['--input-type=module', '-e', `${cpuAtExit} await import('rollout-kernel')`], cwd: proj },
    { name: "require('rollout-kernel')", args: ['--input-type=commonjs', '-e', `${cpuAtExit} require('rollout-kernel')`], cwd: proj },
  ]
  if (baseline !== undefined) {
    const base = join(tmp, 'baseline')
    mkdirSync(base)
    writeFileSync(join(base, 'package.json'), JSON.stringify({ name: 'measure-baseline', version: '0.0.0', private: true }))
    execFileSync(npm, ['install', '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error', resolve(baseline)], { cwd: base, stdio: 'ignore' })
    cases.push(
      { name: "baseline import()", args: cases[1].args, cwd: base },
      { name: "baseline require()", args: cases[2].args, cwd: base },
    )
  }
  const wall = cases.map(() => [])
  const cpu = cases.map(() => [])
  for (let i = 0; i < runs + 2; i++) {
    cases.forEach((c, k) => {
      const t0 = process.hrtime.bigint()
      const r = spawnSync(process.execPath, c.args, { cwd: c.cwd, encoding: 'utf8' })
      const ms = Number(process.hrtime.bigint() - t0) / 1e6
      if (r.status !== 0) throw new Error(`${c.name} failed: ${r.stderr}`)
      if (i < 2) return // warm-up: the file system cache
      wall[k].push(ms)
      cpu[k].push(Number(/cpu ([\d.]+)/.exec(r.stderr)?.[1] ?? NaN))
    })
  }
  const result = {
    tarballBytes: statSync(tarball).size,
    unpackedBytes: own.bytes,
    installedBytes: installed.bytes,
    installedDiskBytes: installed.diskBytes,
    dependencies: deps,
    runs,
    coldImport: cases.map((c, k) => ({ case: c.name, wallMedianMs: median(wall[k]), cpuMedianMs: median(cpu[k]) })),
  }
  if (asJson) console.log(JSON.stringify(result, null, 2))
  else {
    const kb = (b) => `${(b / 1024).toFixed(0)} KiB`
    const mb = (b) => `${(b / 1024 / 1024).toFixed(2)} MiB`
    console.log(`tarball     ${kb(result.tarballBytes)}`)
    console.log(`unpacked    ${mb(result.unpackedBytes)}`)
    console.log(`installed   ${mb(result.installedBytes)} (${mb(result.installedDiskBytes)} on disk), ${deps.length} dependencies${deps.length ? `: ${deps.map((d) => `${d.name} ${kb(d.bytes)}`).join(', ')}` : ''}`)
    for (const c of result.coldImport) console.log(`${c.case.padEnd(28)} wall median ${c.wallMedianMs.toFixed(0)} ms, cpu median ${c.cpuMedianMs.toFixed(0)} ms (${runs} runs)`)
  }
} finally {
  if (keep) console.error(`kept ${tmp}`)
  else rmSync(tmp, { recursive: true, force: true })
}
