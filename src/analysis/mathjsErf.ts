/**
 * mathjs's `erf` (Cody's rational approximations), from a minimal mathjs instance built on first use.
 * Its own module so that the build can load it, with the condition sandbox's mathjs subset, only when a
 * Mann-Whitney judge first needs a normal tail (tsup.config.ts, docs/packaging.md). Internal module.
 *
 * @module
 */
import { create, erfDependencies, type FactoryFunctionMap } from 'mathjs'

let erfFn: ((x: number) => number) | null = null

/**
 * The error function erf(x), as mathjs computes it.
 *
 * @example
 * ```ts
 * mathjsErf(0) // 0
 * ```
 * @category internal
 */
export const mathjsErf = (x: number): number => {
  if (erfFn === null) {
    const m = create({ erfDependencies } as FactoryFunctionMap)
    erfFn = (v: number) => m.erf(v) as number
  }
  return erfFn(x)
}
