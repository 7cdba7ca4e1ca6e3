/**
 * The RE2 engine's one import (`re2js`), in a file of its own so that the build can require it on the first
 * pattern compiled rather than at import (tsup.config.ts, docs/packaging.md). Internal module.
 *
 * @module
 */
export { RE2JS } from 're2js'
