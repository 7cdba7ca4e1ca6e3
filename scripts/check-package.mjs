#!/usr/bin/env node
// Smoke test of the packed tarball, as a user installs it. Run after `npm run build`; exit 0 when every
// check passes, 1 otherwise. The entries come from package.json `exports` (the one list of entries).
//
//  1. `npm pack`: every entry's .js/.cjs/.d.ts/.d.cts and the bin are packed, no development files;
//  2. one copy of each module: every source module (src/... and node_modules/..., read from the build's
//     source maps) is in exactly one packed file, so no entry carries its own engine or mathjs;
//  3. each dependency either bundled or external: a bundled package is not in `dependencies`, and every
//     package the built code requires is a dependency (or the optional peer);
//  4. a fresh project installs the tarball; in fresh Node processes, `import()` and `require()` every
//     entry, find its known exports, and find the same names both ways;
//  5. one module instance: in one process, the main entry and every subpath, imported and required,
//     give the very same object for every name they share (`import` and `require` included);
//  6. the README's embedding example, type-checked and run on an isolated install
//     (`npm install --install-strategy=linked`: only the package's own dependencies are reachable);
//  7. the `rollout-kernel` bin: --help, validate, simulate.
//
// Usage: node scripts/check-package.mjs [--keep]   (--keep leaves the temp dir for inspection)
import { execFileSync, spawnSync } from 'node:child_process'
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'

const root = resolve(import.meta.dirname ?? new URL('.', import.meta.url).pathname, '..')
const keep = process.argv.includes('--keep')
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm'
const npx = process.platform === 'win32' ? 'npx.cmd' : 'npx'
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'))

/** entry subpath -> exports that must be functions; `peer`: needs the optional peer installed first */
const KNOWN = {
  '.': { names: ['decodeSpec', 'initialState', 'step', 'encodeState', 'decodeState', 'isLeft', 'isRight'] },
  './compat': { names: ['fromFlagger', 'fromArgoRollout'] },
  './render': { names: ['renderTrafficSplit', 'splitReplicas'] },
  './prometheus': { names: ['prometheusSource', 'decodeQueryResponse'] },
  './driver': { names: ['drive'] },
  './testing': { names: ['createSimulator'], peer: 'fast-check' },
  './stats': { names: ['judgeSample', 'mannWhitney', 'checkCondition'] },
  './notify': { names: ['noticeOf', 'slackMessage', 'teamsMessage', 'discordMessage', 'webhookPayload'] },
}
const ENTRIES = Object.keys(pkg.exports)
  .filter((k) => k !== './package.json')
  .map((k) => ({
    key: k,
    file: k === '.' ? 'index' : k.slice(2),
    entry: k === '.' ? pkg.name : `${pkg.name}/${k.slice(2)}`,
    names: KNOWN[k]?.names ?? [],
    peer: KNOWN[k]?.peer,
  }))

let failures = 0
const ok = (msg) => console.log(`ok    ${msg}`)
const fail = (msg, detail = '') => {
  failures++
  console.log(`FAIL  ${msg}${detail ? `\n${detail.trim().split('\n').map((l) => `      ${l}`).join('\n')}` : ''}`)
}
const run = (cmd, args, cwd) => spawnSync(cmd, args, { cwd, encoding: 'utf8', env: { ...process.env, npm_config_update_notifier: 'false' } })
const node = (mode, body, cwd) => run(process.execPath, [mode === 'import' ? '--input-type=module' : '--input-type=commonjs', '-e', body], cwd)

if (!existsSync(join(root, 'dist', 'index.js')) || !existsSync(join(root, 'dist', 'cli.cjs'))) {
  console.error('error: dist/ is missing: run `npm run build` first')
  process.exit(1)
}

const tmp = mkdtempSync(join(tmpdir(), 'rollout-kernel-pack-'))
try {
  // 1. pack
  const packed = JSON.parse(execFileSync(npm, ['pack', '--json', '--pack-destination', tmp], { cwd: root, encoding: 'utf8' }))
  const tarball = join(tmp, packed[0].filename)
  const files = packed[0].files.map((f) => f.path)
  ok(`packed ${packed[0].filename} (${files.length} files, ${Math.round(packed[0].size / 1024)} kB, ${Math.round(packed[0].unpackedSize / 1024)} kB unpacked)`)
  const bin = typeof pkg.bin === 'string' ? pkg.bin : Object.values(pkg.bin ?? {})[0]
  const must = ['package.json', bin.replace(/^\.\//, ''), ...ENTRIES.flatMap((e) => ['js', 'cjs', 'd.ts', 'd.cts'].map((x) => `dist/${e.file}.${x}`))]
  const lacking = must.filter((f) => !files.includes(f))
  if (lacking.length > 0) fail(`tarball lacks ${lacking.join(', ')}`)
  const stray = files.filter((f) => /^(src|test|bench|scripts|\.tmp)\//.test(f) || f.endsWith('.map'))
  if (stray.length > 0) fail(`tarball ships development files: ${stray.slice(0, 5).join(', ')}`)

  // 2. one copy of each module, 3. bundled xor dependency (read from the repository's dist: what was packed)
  // the source modules of each packed file, from the build's source maps (dist/*.map, not packed)
  const code = files.filter((f) => /\.(c|m)?js$/.test(f)).map((f) => ({ f, text: readFileSync(join(root, f), 'utf8') }))
  const where = new Map()
  for (const { f, text } of code) {
    if (text.length < 200) continue // an ES module wrapper: `export * from './x.cjs'`
    const map = join(root, `${f}.map`)
    if (!existsSync(map)) {
      fail(`${f}.map is missing: cannot check ${f} for duplicated modules`)
      continue
    }
    for (const source of JSON.parse(readFileSync(map, 'utf8')).sources ?? []) {
      const m = source.replace(/\\/g, '/').replace(/^(\.\.\/)+/, '')
      if (!/^(src|node_modules)\//.test(m)) continue
      const files = where.get(m) ?? new Set()
      files.add(f)
      where.set(m, files)
    }
  }
  const twice = [...where].filter(([, fs]) => fs.size > 1)
  if (where.size === 0) fail('no source modules in the source maps of the built code: cannot check for duplicated modules')
  else if (twice.length > 0) fail(`${twice.length} modules are in more than one file`, twice.slice(0, 8).map(([m, fs]) => `${m}: ${[...fs].join(', ')}`).join('\n'))
  else ok(`one copy of each of ${where.size} modules across ${code.length} files`)
  const nameOf = (spec) => (spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0])
  const bundled = new Set([...where.keys()].filter((m) => m.startsWith('node_modules/')).map((m) => nameOf(m.slice('node_modules/'.length))))
  const required = new Set(
    code
      .flatMap(({ text }) => [...text.matchAll(/\brequire\((['"])([^'"./][^'"]*)\1\)|^(?:import|export)\b[^;\n]*?\bfrom\s*(['"])([^'"./][^'"]*)\3/gm)])
      .map((m) => nameOf(m[2] ?? m[4]))
      .filter((n) => !n.startsWith('node:')),
  )
  const builtins = new Set((await import('node:module')).builtinModules)
  const deps = new Set(Object.keys(pkg.dependencies ?? {}))
  const peers = new Set(Object.keys(pkg.peerDependencies ?? {}))
  const bundledDeps = [...bundled].filter((n) => deps.has(n))
  if (bundledDeps.length > 0) fail(`bundled and also installed as dependencies: ${bundledDeps.join(', ')}`)
  const undeclared = [...required].filter((n) => !builtins.has(n) && !deps.has(n) && !peers.has(n))
  if (undeclared.length > 0) fail(`required by the built code but not a dependency: ${undeclared.join(', ')}`)
  if (bundledDeps.length === 0 && undeclared.length === 0)
    ok(`bundled: ${[...bundled].sort().join(', ') || 'none'}; external: ${[...required].filter((n) => !builtins.has(n)).sort().join(', ') || 'none'}`)

  // 4. a fresh project that installs the tarball
  const proj = join(tmp, 'project')
  mkdirSync(proj)
  writeFileSync(join(proj, 'package.json'), JSON.stringify({ name: 'rollout-kernel-smoke', version: '0.0.0', private: true }, null, 2))
  const install = (dir, what, extra = []) => run(npm, ['install', '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error', ...extra, ...what], dir)
  let r = install(proj, [tarball])
  if (r.status !== 0) {
    fail('npm install of the tarball', r.stderr + r.stdout)
    throw new Error('cannot continue without an installed package')
  }
  ok('installed the tarball into a fresh project')

  const check = (mode, { entry, names }) => {
    const load = mode === 'import' ? `const m = await import(${JSON.stringify(entry)})` : `const m = require(${JSON.stringify(entry)})`
    const body = `${load}; const missing = ${JSON.stringify(names)}.filter((n) => typeof m[n] !== 'function'); if (missing.length) { console.error('missing exports: ' + missing.join(', ')); process.exit(3) }; console.log(JSON.stringify(Object.keys(m).filter((k) => k !== 'default' && k !== 'module.exports').sort()))`
    const p = node(mode, body, proj)
    if (p.status === 0) ok(`${mode} ${entry}: ${names.join(', ') || '(loads)'}`)
    else fail(`${mode} ${entry}`, p.stderr)
    return p.status === 0 ? JSON.parse(p.stdout) : null
  }
  const checkBoth = (e) => {
    const a = check('import', e)
    const b = check('require', e)
    if (a !== null && b !== null && JSON.stringify(a) !== JSON.stringify(b))
      fail(`${e.entry}: import and require export different names`, `import only: ${a.filter((n) => !b.includes(n)).join(', ')}\nrequire only: ${b.filter((n) => !a.includes(n)).join(', ')}`)
  }
  for (const e of ENTRIES) if (e.peer === undefined) checkBoth(e)
  const needPeers = [...new Set(ENTRIES.flatMap((e) => (e.peer ? [e.peer] : [])))]
  if (needPeers.length > 0) {
    r = install(proj, needPeers)
    if (r.status !== 0) fail(`npm install ${needPeers.join(' ')}`, r.stderr)
    else for (const e of ENTRIES) if (e.peer !== undefined) checkBoth(e)
  }

  // 5. one module instance across entries and module systems
  const identity = `
    const { createRequire } = await import('node:module')
    const require = createRequire(process.cwd() + '/')
    const entries = ${JSON.stringify(ENTRIES.map((e) => e.entry))}
    const loaded = []
    for (const e of entries) { loaded.push([e + ' (import)', await import(e)]); loaded.push([e + ' (require)', require(e)]) }
    const first = new Map(), shared = new Set(), differ = []
    for (const [where, m] of loaded) for (const [k, v] of Object.entries(m)) {
      if (k === 'default' || k === 'module.exports' || (typeof v !== 'object' && typeof v !== 'function') || v === null) continue
      if (!first.has(k)) { first.set(k, [where, v]); continue }
      shared.add(k)
      if (first.get(k)[1] !== v) differ.push(k + ': ' + first.get(k)[0] + ' vs ' + where)
    }
    if (differ.length) { console.error(differ.join('\\n')); process.exit(3) }
    console.log(shared.size)`
  const p = node('import', identity, proj)
  if (p.status === 0) ok(`one module instance: ${p.stdout.trim()} names shared by entries and by import/require are identical`)
  else fail('one module instance across entries (import and require)', p.stderr)

  // 6. the README example on an isolated install
  const readme = readFileSync(join(root, 'README.md'), 'utf8')
  const example = /## Embedding it[\s\S]*?```ts\n([\s\S]*?)```/.exec(readme)?.[1]
  if (example === undefined) fail('README.md: no ```ts block under "## Embedding it"')
  else {
    const iso = join(tmp, 'isolated')
    mkdirSync(iso)
    writeFileSync(join(iso, 'package.json'), JSON.stringify({ name: 'rollout-kernel-isolated', version: '0.0.0', private: true, type: 'module' }, null, 2))
    writeFileSync(
      join(iso, 'tsconfig.json'),
      JSON.stringify({ compilerOptions: { target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', strict: true, types: [], outDir: 'out', skipLibCheck: false } }),
    )
    writeFileSync(join(iso, 'example.ts'), `${example}\nconsole.log(reconcile({ at: Date.now(), revision: 'v2' }).action.type)\n`)
    r = install(iso, [tarball], ['--install-strategy=linked'])
    if (r.status !== 0) fail('npm install --install-strategy=linked of the tarball', r.stderr + r.stdout)
    else {
      const tsc = run(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', iso], iso)
      if (tsc.status !== 0) fail('README example: tsc on an isolated install', tsc.stdout + tsc.stderr)
      else {
        const ran = run(process.execPath, [join(iso, 'out', 'example.js')], iso)
        if (ran.status === 0) ok(`README example type-checks and runs on an isolated install (first action: ${ran.stdout.trim()})`)
        else fail('README example: run on an isolated install', ran.stderr)
      }
    }
  }

  // 7. the bin
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
