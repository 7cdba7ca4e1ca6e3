#!/usr/bin/env node
// The second half of `npm run build`, after tsup has built the CommonJS core (tsup.config.ts):
//   - dist/<entry>.js: each entry's ES module, a re-export of dist/<entry>.cjs (Node's "ES module wrapper"
//     for dual packages: `import` and `require` load the same module instance; Node reads the names from
//     the CommonJS entry's exports, which the packaging smoke test compares one by one);
//   - dist/<entry>.d.ts: the ES module's declarations, a re-export of dist/<entry>.d.cts;
//   - dist/*.d.cts: the bundler keeps fp-ts' `Either` as an import from fp-ts, which the package does not
//     install (fp-ts is bundled): each `import * as E from 'fp-ts/lib/Either.js'` becomes a local
//     declaration of the same three types (`Left`, `Right`, `Either`, the shape fp-ts declares, so values
//     stay assignable to and from fp-ts' own). Any other import from fp-ts or io-ts fails the build;
//   - dist/cli.cjs: the `rollout-kernel` bin, given its `#!/usr/bin/env node` line and the executable bit;
//   - the lazy modules stay lazy: no entry's static require graph reaches the mathjs subset, the condition
//     language (dist/conditions.cjs), the Kayenta judge (dist/kayenta*.cjs), the spec input codecs
//     (dist/spec-input.cjs), or a chunk whose source map names their sources, or re2js (they are required on first
//     use, tsup.config.ts); a stub that stopped applying (a renamed file) fails the build.
// The entries come from package.json `exports`, the one list of entries.
import { chmodSync, existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'

const root = resolve(import.meta.dirname ?? new URL('.', import.meta.url).pathname, '..')
const dist = join(root, 'dist')
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'))

let problems = 0
for (const key of Object.keys(pkg.exports)) {
  if (key === './package.json') continue
  const name = key === '.' ? 'index' : key.slice(2)
  for (const built of [`${name}.cjs`, `${name}.d.cts`]) {
    if (!existsSync(join(dist, built))) {
      console.error(`error: dist/${built} is missing (is src/${name === 'index' ? '' : `${name}/`}index.ts an entry of tsup.config.ts?)`)
      problems++
    }
  }
  writeFileSync(join(dist, `${name}.js`), `export * from './${name}.cjs'\n`)
  writeFileSync(join(dist, `${name}.d.ts`), `export * from './${name}.cjs'\n`)
}

const eitherImport = /^import \* as (\w+) from 'fp-ts\/lib\/Either\.js';$/gm
const eitherTypes = (ns) =>
  `declare namespace ${ns} {\n` +
  `  interface Left<L> {\n    readonly _tag: 'Left';\n    readonly left: L;\n  }\n` +
  `  interface Right<R> {\n    readonly _tag: 'Right';\n    readonly right: R;\n  }\n` +
  `  type Either<L, R> = Left<L> | Right<R>;\n}`
for (const file of readdirSync(dist).filter((f) => f.endsWith('.d.cts'))) {
  const path = join(dist, file)
  const text = readFileSync(path, 'utf8').replace(eitherImport, (_, ns) => eitherTypes(ns))
  const stray = /^(import|export)\b[^;]*from '(fp-ts|io-ts|mathjs)[^']*'/m.exec(text)
  if (stray !== null) {
    console.error(`error: dist/${file} still imports a bundled package: ${stray[0]}`)
    problems++
  }
  writeFileSync(path, text)
}

const bin = join(dist, 'cli.cjs')
if (existsSync(bin)) {
  const text = readFileSync(bin, 'utf8')
  if (!text.startsWith('#!')) writeFileSync(bin, `#!/usr/bin/env node\n${text}`)
  chmodSync(bin, 0o755)
} else {
  console.error('error: dist/cli.cjs is missing')
  problems++
}
// the static require graph of each entry: require('./x.cjs') calls at module level (the lazy ones are
// __require("...") inside functions, which this does not follow)
const staticRequires = (file, seen = new Set()) => {
  if (seen.has(file) || !existsSync(join(dist, file))) return seen
  seen.add(file)
  for (const m of readFileSync(join(dist, file), 'utf8').matchAll(/\brequire\('([^']+)'\)/g)) {
    if (m[1].startsWith('./')) staticRequires(m[1].slice(2), seen)
    else seen.add(m[1])
  }
  return seen
}
// the sources loaded on first use (tsup.config.ts LAZY_ENTRIES): a file reached at import whose source map
// names one of them holds that code eagerly
const LAZY_SOURCES = ['src/analysis/condition.ts', 'src/analysis/kayenta.ts', 'src/analysis/kayentaScore.ts', 'src/config/input.ts']
const holdsLazySource = (file, allowed) => {
  const map = join(dist, `${file}.map`)
  if (!existsSync(map)) return false
  const sources = JSON.parse(readFileSync(map, 'utf8')).sources ?? []
  return sources.some((s) => LAZY_SOURCES.some((l) => !allowed.includes(l) && s.replaceAll('\\', '/').endsWith(`../${l}`)))
}
// the stats entry exports the Kayenta judge's statistics: it loads them at import
const KAYENTA = ['src/analysis/kayenta.ts', 'src/analysis/kayentaScore.ts']
for (const key of Object.keys(pkg.exports)) {
  if (key === './package.json') continue
  const name = key === '.' ? 'index' : key.slice(2)
  const allowed = name === 'stats' ? KAYENTA : []
  const reached = staticRequires(`${name}.cjs`)
  const eager = [...reached].filter(
    (f) =>
      f === 'mathjs-subset.cjs' ||
      f === 'conditions.cjs' ||
      (allowed.length === 0 && (f === 'kayenta.cjs' || f === 'kayenta-score.cjs')) ||
      f === 'spec-input.cjs' ||
      f === 're2js' ||
      (f.endsWith('.cjs') && (readFileSync(join(dist, f), 'utf8').includes('parseDependencies') || holdsLazySource(f, allowed))),
  )
  if (eager.length > 0) {
    console.error(`error: dist/${name}.cjs loads ${eager.join(', ')} at import (the mathjs subset, the condition language, the Kayenta judge, the spec input codecs and re2js load on first use: tsup.config.ts LAZY)`)
    problems++
  }
}

process.exit(problems === 0 ? 0 : 1)
