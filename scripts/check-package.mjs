#!/usr/bin/env node
// Smoke test of the packed tarball, as a user installs it: `npm pack` into a temp dir, install the
// tarball into a fresh project (dependencies from the local npm cache or the registry), then in fresh
// Node processes `import()` and `require()` every public entry and check a known export, and run the
// `rollout-kernel` bin. Run after `npm run build`. Exit 0 when everything works, 1 otherwise.
//
// Usage: node scripts/check-package.mjs [--keep]   (--keep leaves the temp dir for inspection)
import { execFileSync, spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync, copyFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'

const root = resolve(import.meta.dirname ?? new URL('.', import.meta.url).pathname, '..')
const keep = process.argv.includes('--keep')
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm'
const npx = process.platform === 'win32' ? 'npx.cmd' : 'npx'

/** entry subpath -> an export that must exist, and whether it needs the optional peer fast-check */
const ENTRIES = [
  { entry: 'rollout-kernel', exports: ['decodeSpec', 'initialState', 'step', 'encodeState', 'decodeState'] },
  { entry: 'rollout-kernel/compat', exports: ['fromFlagger', 'fromArgoRollout'] },
  { entry: 'rollout-kernel/render', exports: ['renderTrafficSplit', 'splitReplicas'] },
  { entry: 'rollout-kernel/prometheus', exports: ['prometheusSource', 'decodeQueryResponse'] },
  { entry: 'rollout-kernel/driver', exports: ['drive'] },
  { entry: 'rollout-kernel/testing', exports: ['createSimulator'], peer: 'fast-check' },
]

let failures = 0
const ok = (msg) => console.log(`ok    ${msg}`)
const fail = (msg, detail = '') => {
  failures++
  console.log(`FAIL  ${msg}${detail ? `\n${detail.trim().split('\n').map((l) => `      ${l}`).join('\n')}` : ''}`)
}

const run = (cmd, args, cwd) => spawnSync(cmd, args, { cwd, encoding: 'utf8', env: { ...process.env, npm_config_update_notifier: 'false' } })

if (!existsSync(join(root, 'dist', 'index.js')) || !existsSync(join(root, 'dist', 'cli.js'))) {
  console.error('error: dist/ is missing: run `npm run build` first')
  process.exit(1)
}

const tmp = mkdtempSync(join(tmpdir(), 'rollout-kernel-pack-'))
try {
  // 1. pack
  const packed = JSON.parse(execFileSync(npm, ['pack', '--json', '--pack-destination', tmp], { cwd: root, encoding: 'utf8' }))
  const tarball = join(tmp, packed[0].filename)
  const files = packed[0].files.map((f) => f.path)
  ok(`packed ${packed[0].filename} (${files.length} files, ${Math.round(packed[0].size / 1024)} kB)`)
  for (const must of ['package.json', 'dist/index.js', 'dist/index.cjs', 'dist/index.d.ts', 'dist/index.d.cts', 'dist/cli.js']) {
    if (!files.includes(must)) fail(`tarball lacks ${must}`)
  }
  const stray = files.filter((f) => /^(src|test|bench|scripts|\.tmp)\//.test(f))
  if (stray.length > 0) fail(`tarball ships development files: ${stray.slice(0, 5).join(', ')}`)

  // 2. a fresh project that installs the tarball
  const proj = join(tmp, 'project')
  mkdirSync(proj)
  writeFileSync(join(proj, 'package.json'), JSON.stringify({ name: 'rollout-kernel-smoke', version: '0.0.0', private: true }, null, 2))
  const install = (what) => run(npm, ['install', '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error', ...what], proj)
  let r = install([tarball])
  if (r.status !== 0) {
    fail('npm install of the tarball', r.stderr + r.stdout)
    throw new Error('cannot continue without an installed package')
  }
  ok('installed the tarball into a fresh project')

  // 3. import() and require() every entry in fresh processes
  const check = (mode, entry, names) => {
    const load = mode === 'import' ? `const m = await import(${JSON.stringify(entry)})` : `const m = require(${JSON.stringify(entry)})`
    const body = `${load}; const missing = ${JSON.stringify(names)}.filter((n) => typeof m[n] !== 'function'); if (missing.length) { console.error('missing exports: ' + missing.join(', ')); process.exit(3) }`
    const args = mode === 'import' ? ['--input-type=module', '-e', body] : ['--input-type=commonjs', '-e', body]
    const p = run(process.execPath, args, proj)
    if (p.status === 0) ok(`${mode} ${entry}: ${names.join(', ')}`)
    else fail(`${mode} ${entry}`, p.stderr)
  }
  for (const { entry, exports, peer } of ENTRIES) {
    if (peer !== undefined) continue
    check('import', entry, exports)
    check('require', entry, exports)
  }
  // entries needing an optional peer, once it is installed
  const peers = [...new Set(ENTRIES.flatMap((e) => (e.peer ? [e.peer] : [])))]
  if (peers.length > 0) {
    r = install(peers)
    if (r.status !== 0) fail(`npm install ${peers.join(' ')}`, r.stderr)
    else
      for (const { entry, exports, peer } of ENTRIES) {
        if (peer === undefined) continue
        check('import', entry, exports)
        check('require', entry, exports)
      }
  }

  // 4. the bin
  const help = run(npx, ['--no-install', 'rollout-kernel', '--help'], proj)
  if (help.status === 0 && help.stdout.includes('usage: rollout-kernel')) ok('npx rollout-kernel --help')
  else fail('npx rollout-kernel --help', `exit ${help.status}\n${help.stderr}${help.stdout}`)
  copyFileSync(join(root, 'examples', 'canary.yaml'), join(proj, 'canary.yaml'))
  const validate = run(npx, ['--no-install', 'rollout-kernel', 'validate', 'canary.yaml'], proj)
  if (validate.status === 0 && validate.stdout.includes('canary.yaml: OK')) ok('npx rollout-kernel validate canary.yaml')
  else fail('npx rollout-kernel validate canary.yaml', `exit ${validate.status}\n${validate.stderr}${validate.stdout}`)
  const sim = run(npx, ['--no-install', 'rollout-kernel', 'simulate', 'canary.yaml', '--seed', '1'], proj)
  if (sim.status === 0 && /\npromoted v2 at /.test(sim.stdout)) ok('npx rollout-kernel simulate canary.yaml')
  else fail('npx rollout-kernel simulate canary.yaml', `exit ${sim.status}\n${sim.stderr}${sim.stdout.slice(-500)}`)
} catch (e) {
  if (failures === 0) fail('smoke test', e instanceof Error ? e.message : String(e))
} finally {
  if (keep) console.log(`kept ${tmp}`)
  else rmSync(tmp, { recursive: true, force: true })
}
console.log(failures === 0 ? 'package smoke test passed' : `package smoke test: ${failures} failure(s)`)
process.exit(failures === 0 ? 0 : 1)
