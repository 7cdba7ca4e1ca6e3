/** Test helper: a short, readable trace of a run for property counterexamples (src/testing/propertyAssertions.ts). */
export { shortTrace } from '../../src/testing/index.js'
