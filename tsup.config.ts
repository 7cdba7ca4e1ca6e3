import { existsSync } from 'node:fs'
import { createRequire } from 'node:module'

const require = createRequire(import.meta.url)
import { defineConfig } from 'tsup'
import type { Plugin } from 'esbuild'

// Every public entry: ESM + CJS + .d.ts. mathjs is bundled and tree-shaken so that the main entry loads
// only the few mathjs factories the condition sandbox uses (a full `import 'mathjs'` costs ~1 s cold).
// fp-ts and io-ts ship CommonJS under lib/: loading those from ESM costs ~100 ms of CJS parsing. Bundle
// their ES module builds instead (tree-shaken); results stay plain `{ _tag }` Either values.
const esModuleBuilds: Plugin = {
  name: 'fp-ts-io-ts-es6',
  setup(build) {
    build.onResolve({ filter: /^fp-ts\/lib\// }, (a) => ({ path: require.resolve(a.path.replace('/lib/', '/es6/')) }))
    build.onResolve({ filter: /^io-ts$/ }, () => ({ path: require.resolve('io-ts/es6/index.js') }))
  },
}

const entries = ['index', 'compat/index', 'render/index', 'prometheus/index', 'driver/index', 'testing/index', 'notify/index']
const entry = Object.fromEntries(
  entries
    .filter((e) => existsSync(`src/${e}.ts`))
    .map((e) => [e === 'index' ? 'index' : e.replace('/index', ''), `src/${e}.ts`]),
)

export default defineConfig([
  {
    entry,
    format: ['esm', 'cjs'],
    dts: true,
    sourcemap: true,
    clean: true,
    treeshake: true,
    splitting: false,
    target: 'node20',
    noExternal: ['mathjs', 'fp-ts', 'io-ts'],
    external: ['fast-check'],
    esbuildPlugins: [esModuleBuilds],
  },
  {
    entry: { cli: 'src/cli/main.ts' },
    format: ['esm'],
    dts: false,
    sourcemap: true,
    treeshake: true,
    target: 'node20',
    noExternal: ['mathjs', 'fp-ts', 'io-ts'],
    esbuildPlugins: [esModuleBuilds],
    banner: { js: '#!/usr/bin/env node' },
  },
])
