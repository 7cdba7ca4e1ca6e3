/**
 * Everything the library takes from mathjs, in one module: the condition sandbox's instance and `erf`. The
 * build makes this file its own chunk (dist/mathjs-subset.cjs), required on first use instead of at import
 * (tsup.config.ts, docs/packaging.md). Internal module.
 *
 * @module
 */
export { getConditionMath } from './mathjsInstance.js'
export { mathjsErf } from './mathjsErf.js'
