/**
 * Test setup: in CI, fast-check runs from a fixed seed so that a landing is reproducible (a new
 * counterexample found by a random seed locally is a bug to fix, not a coin toss at landing time).
 * Locally every run explores new inputs; set FC_SEED to replay one.
 */
import fc from 'fast-check'

const seed = process.env.FC_SEED !== undefined ? Number(process.env.FC_SEED) : process.env.CI ? 20261126 : undefined
if (seed !== undefined && Number.isFinite(seed)) fc.configureGlobal({ seed })
