import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { defineConfig } from 'tsup'
import type { Plugin } from 'esbuild'

const require = createRequire(import.meta.url)

// One core, one copy (docs/packaging.md has the measurements behind each choice):
// - every public entry and the CLI are built once, as CommonJS with code splitting, so the engine, the
//   judges and the mathjs subset live in shared chunks that every entry requires;
// - `scripts/esm-wrappers.mjs` (run after tsup by `npm run build`) writes each entry's ES module as a
//   re-export of that CommonJS entry (Node's "ES module wrapper" for dual packages), so `import` and
//   `require`, and the main entry and every subpath, share one module instance: one engine, one set of
//   caches, and `instanceof` / identity checks hold across entries and module systems;
// - the entries come from package.json `exports` (the one list: "." -> src/index.ts, "./x" ->
//   src/x/index.ts), so adding an entry is one `exports` item.
const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { exports: Record<string, unknown> }
const entry: Record<string, string> = {}
for (const key of Object.keys(pkg.exports)) {
  if (key === './package.json') continue
  const name = key === '.' ? 'index' : key.slice(2)
  entry[name] = name === 'index' ? 'src/index.ts' : `src/${name}/index.ts`
}

// mathjs, fp-ts and io-ts are bundled (tree-shaken), not dependencies: the condition sandbox needs a few
// mathjs factories (a full `import 'mathjs'` costs ~1 s cold and 9 MB installed), and the core uses a
// handful of fp-ts / io-ts functions (their ES module builds are bundled: fp-ts' lib/ holds ~200 small
// CommonJS files). Results stay plain `{ _tag }` Either values; the declarations inline fp-ts' `Either`
// type, and the main entry exports the Either helpers a caller needs (isLeft, isRight, ...).
//
// io-ts' ES module build declares each codec class as an ES5 class expression, `/** @class */ (function
// (_super) { ... })(Type)`, and each built-in codec as `new XType()`: a bundler must assume both have side
// effects, so every class of io-ts was bundled and run at import, used or not. They have none (each defines
// a class, or builds an instance of one), so the plugin marks them `/* @__PURE__ */` and the unused ones
// are dropped (docs/packaging.md, "Cold import").
const IO_TS_PURE: readonly (readonly [RegExp, string])[] = [
  [/\/\*\* @class \*\/ \(function \(/g, '/* @__PURE__ */ (function ('],
  [/^(export var \w+ = )(new \w+Type\(\);)$/gm, '$1/* @__PURE__ */ $2'],
  [/^(export var (?:Int|Integer) = )(brand|refinement)\(/gm, '$1/* @__PURE__ */ $2('],
]
const esModuleBuilds: Plugin = {
  name: 'fp-ts-io-ts-es6',
  setup(build) {
    build.onResolve({ filter: /^fp-ts\/lib\// }, (a) => ({ path: require.resolve(a.path.replace('/lib/', '/es6/')) }))
    build.onResolve({ filter: /^io-ts$/ }, () => ({ path: require.resolve('io-ts/es6/index.js') }))
    build.onLoad({ filter: /[\\/]io-ts[\\/]es6[\\/]index\.js$/ }, (a) => {
      let text = readFileSync(a.path, 'utf8')
      for (const [from, to] of IO_TS_PURE) {
        const next = text.replace(from, to)
        // a pattern that stopped matching (a new io-ts release) fails the build instead of silently bundling all
        if (next === text) throw new Error(`tsup.config.ts IO_TS_PURE: ${from} no longer matches io-ts/es6/index.js`)
        text = next
      }
      return { contents: text, loader: 'js' }
    })
  },
}

// `import.meta.url` in CommonJS: the file's own URL (the CLI compares it with process.argv[1]).
const importMetaUrl: Plugin = {
  name: 'import-meta-url-cjs',
  setup(build) {
    build.onLoad({ filter: /[\\/]src[\\/].*\.ts$/ }, (a) => {
      const text = readFileSync(a.path, 'utf8')
      if (!text.includes('import.meta.url')) return undefined
      return { contents: text.replaceAll('import.meta.url', `require('node:url').pathToFileURL(__filename).href`), loader: 'ts' }
    })
  },
}

// Loaded on first use, not at import (docs/packaging.md, "Cold import"): the mathjs subset (about 0.47 MB,
// most of the bundled code: the condition sandbox of mathjs-dialect conditions and the erf behind the
// Mann-Whitney judge's normal tails) is its own file, dist/mathjs-subset.cjs (src/analysis/mathjsSubset.ts),
// and re2js (header / cookie / query regexes, `matches`, Argo dryRun names; imported by src/model/re2.ts) is
// required when the first pattern is compiled. The source imports both statically (tests and tsx run the source as it is); in the build, the
// importers (analysis/condition.ts, analysis/normalDistribution.ts, model/regex.ts) get a stub that requires the real module on
// the first call, from Node's module cache: one instance for every entry, for `import` and `require` alike.
//
// Two parts of the core are loaded on first use the same way, each from a file of its own:
// - the condition language, dist/conditions.cjs (analysis/condition.ts with the expr-lang parser and
//   evaluator, about a fifth of the core's code): a spec's first condition at decode, a condition judge's
//   first measurement, the stats entry's checkCondition. Its one constant, CONDITION_LIMITS, lives in
//   conditionLimits.ts and loads at import;
// - the Kayenta judge, dist/kayenta.cjs and dist/kayenta-score.cjs (Mann-Whitney classification and the
//   canary score, with the rank tests and outlier fences behind them): a mannWhitney metric's first sample,
//   the first scored tick. The stats entry imports the real modules (it exports their statistics).
// A stub forwards each exported function, read from the source (an arrow, or a `guarded(...)` wrapper of one,
// src/model/guard.ts): an exported `const` that is not a function
// fails the build (a stub can forward calls, not values).
const exportedFunctions = (file: string): string[] => {
  const text = readFileSync(file, 'utf8')
  const names = [...text.matchAll(/^export (?:const (\w+) = (?:\(|<|guarded\(|guardedAsync\()|function (\w+))/gm)].map((m) => m[1] ?? m[2] ?? '')
  const all = [...text.matchAll(/^export (?:const|let|var|function|class) (\w+)/gm)].map((m) => m[1] ?? '')
  const other = all.filter((n) => !names.includes(n))
  if (other.length > 0) throw new Error(`tsup.config.ts: ${file} is loaded on first use, so it can export functions only; move ${other.join(', ')} to a module of its own`)
  return names
}
const forwardingStub = (file: string, out: string, extra: readonly string[] = []): string =>
  [
    ...extra,
    `let m; const load = () => (m ??= require('./${out}.cjs'))`,
    ...exportedFunctions(file).map((f) => `export const ${f} = (...a) => load().${f}(...a)`),
  ].join('\n')
// - the spec input codecs, dist/spec-input.cjs (config/input.ts and the blue/green and A/B codecs it composes,
//   io-ts codecs built when their modules load): on the first `decodeSpec`.
const LAZY_ENTRIES = {
  conditions: 'src/analysis/condition.ts',
  kayenta: 'src/analysis/kayenta.ts',
  'kayenta-score': 'src/analysis/kayentaScore.ts',
  'spec-input': 'src/config/specInputDecoder.ts',
} as const
const LAZY: Readonly<Record<string, { readonly importer: RegExp; readonly stub: string }>> = {
  condition: {
    importer: /[\\/]src[\\/](?!analysis[\\/]condition\.ts$)/,
    stub: forwardingStub(LAZY_ENTRIES.conditions, 'conditions', [`export { CONDITION_LIMITS } from './src/analysis/conditionLimits.ts'`]),
  },
  kayenta: {
    importer: /[\\/]analysis[\\/]judge\.ts$/,
    stub: forwardingStub(LAZY_ENTRIES.kayenta, 'kayenta'),
  },
  kayentaScore: {
    importer: /[\\/]engine[\\/]scoreTick\.ts$/,
    stub: forwardingStub(LAZY_ENTRIES['kayenta-score'], 'kayenta-score'),
  },
  specInputDecoder: {
    importer: /[\\/]config[\\/]decodeSpec\.ts$/,
    stub: forwardingStub(LAZY_ENTRIES['spec-input'], 'spec-input'),
  },
  mathjsInstance: {
    importer: /[\\/]analysis[\\/]condition\.ts$/,
    stub: `let m; export const getConditionMath = () => (m ??= require('./mathjs-subset.cjs')).getConditionMath()`,
  },
  mathjsErf: {
    importer: /[\\/]analysis[\\/]normalDistribution\.ts$/,
    stub: `let m; export const mathjsErf = (x) => (m ??= require('./mathjs-subset.cjs')).mathjsErf(x)`,
  },
  re2: {
    importer: /[\\/]model[\\/]regex\.ts$/,
    stub: `let m; const load = () => (m ??= require('re2js')).RE2JS; export const RE2JS = { compile: (p, f) => load().compile(p, f) }`,
  },
}
const lazyModules: Plugin = {
  name: 'lazy-modules',
  setup(build) {
    build.onResolve({ filter: /^(\.\/(mathjsInstance|mathjsErf|re2)|(\.\/|\.\.\/analysis\/)(condition|kayenta|kayentaScore|specInputDecoder))\.js$/ }, (a) => {
      const name = a.path.replace(/^.*\//, '').replace(/\.js$/, '')
      const lazy = LAZY[name]
      return lazy !== undefined && a.namespace !== 'lazy' && lazy.importer.test(a.importer) ? { path: name, namespace: 'lazy' } : undefined
    })
    build.onResolve({ filter: /^\.\/(mathjs-subset|conditions|kayenta|kayenta-score|spec-input)\.cjs$/ }, (a) => ({ path: a.path, external: true }))
    build.onLoad({ filter: /.*/, namespace: 'lazy' }, (a) => ({ loader: 'js', resolveDir: process.cwd(), contents: LAZY[a.path]?.stub ?? '' }))
  },
}

export default defineConfig({
  entry: { ...entry, cli: 'src/cli/main.ts', 'mathjs-subset': 'src/analysis/mathjsSubset.ts', ...LAZY_ENTRIES },
  format: ['cjs'],
  dts: { entry },
  sourcemap: true,
  clean: true,
  splitting: true,
  treeshake: true,
  target: 'node20',
  noExternal: ['mathjs', 'fp-ts', 'io-ts'],
  // real dependencies (package.json): yaml for the CLI, re2js (RE2 route matching, external by default); fast-check, the optional peer of /testing
  external: ['fast-check', 'yaml', 're2js'],
  esbuildPlugins: [lazyModules, esModuleBuilds, importMetaUrl],
  // whitespace and syntax minified, names kept (stack traces and profiles still say `judgeSequential`):
  // the main entry's cold import reads and compiles ~1.2 MB less text (docs/packaging.md)
  esbuildOptions(options) {
    options.minifyWhitespace = true
    options.minifySyntax = true
    options.minifyIdentifiers = false
  },
})
