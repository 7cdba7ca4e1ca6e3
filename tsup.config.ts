import { existsSync } from 'node:fs'
import { defineConfig } from 'tsup'

// Every public entry: ESM + CJS + .d.ts. mathjs is bundled and tree-shaken so that the main entry loads
// only the few mathjs factories the condition sandbox uses (a full `import 'mathjs'` costs ~1 s cold).
const entries = ['index', 'compat/index', 'render/index', 'prometheus/index', 'driver/index', 'testing/index']
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
    noExternal: ['mathjs'],
    external: ['fast-check'],
  },
  {
    entry: { cli: 'src/cli/main.ts' },
    format: ['esm'],
    dts: false,
    sourcemap: true,
    treeshake: true,
    target: 'node20',
    noExternal: ['mathjs'],
    banner: { js: '#!/usr/bin/env node' },
  },
])
