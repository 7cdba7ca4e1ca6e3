import { defineConfig } from 'tsup'

// One build for every public entry: ESM + CJS + .d.ts, tree-shaken, no code splitting
// surprises for CJS consumers. The CLI is ESM only and gets a shebang.
export default defineConfig([
  {
    entry: {
      index: 'src/index.ts',
    },
    format: ['esm', 'cjs'],
    dts: true,
    sourcemap: true,
    clean: true,
    treeshake: true,
    target: 'node20',
  },
  {
    entry: { cli: 'src/cli/main.ts' },
    format: ['esm'],
    dts: false,
    sourcemap: true,
    treeshake: true,
    target: 'node20',
    banner: { js: '#!/usr/bin/env node' },
  },
])
