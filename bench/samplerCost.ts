/**
 * What the testing samplers' guard costs per call. Each sampler the simulator draws from (src/testing/
 * distributions.ts: `poisson` for request counts, `binomial` for bad and slow requests) is wrapped in
 * `guarded`, a try/catch per call. The unguarded bodies are not exported, so the samplers cannot be timed
 * without it; what is timed, side by side in the same repeats, is the guard itself (a `guarded` wrapper around
 * `rng.next()` against the bare call: the cost of one guard layer per call) and each sampler's draw as
 * exported, the scale that cost is read against.
 *
 * @module
 */
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { guarded, rethrow } from '../src/model/guard.js'
import * as sourceTesting from '../src/testing/index.js'
import type { Prng } from '../src/testing/prng.js'
import { sideBySide } from './sideBySide.js'
import { median } from './stats.js'

/**
 * The figures: nanoseconds per bare `rng.next()` and per guarded one (medians), what the guard adds (median of
 * the paired differences), each sampler's nanoseconds per draw, and which build the samplers came from.
 *
 * @example
 * ```ts
 * declare const c: SamplerCosts
 * `guard +${c.nsGuard.toFixed(1)} ns per call`
 * ```
 */
export interface SamplerCosts {
  readonly nsBare: number
  readonly nsGuarded: number
  readonly nsGuard: number
  readonly draws: readonly { readonly name: string; readonly ns: number }[]
  readonly source: string
}

type Samplers = Pick<typeof sourceTesting, 'poisson' | 'binomial' | 'createPrng'>

const distTesting = fileURLToPath(new URL('../dist/testing.js', import.meta.url))

/** The draws the simulator makes per 1-second slot at the benchmark's rates (1% bad requests). */
const DRAWS: readonly { readonly name: string; readonly draw: (s: Samplers, rng: Prng) => number }[] = [
  { name: 'poisson, mean 10 (requests at 10 req/s)', draw: (s, rng) => s.poisson(rng, 10) },
  { name: 'poisson, mean 100 (requests at 100 req/s)', draw: (s, rng) => s.poisson(rng, 100) },
  { name: 'binomial, 100 x 1% (bad requests at 100 req/s)', draw: (s, rng) => s.binomial(rng, 100, 0.01) },
  { name: 'binomial, 10,000 x 5% (the Beta-splitting path, several guarded calls)', draw: (s, rng) => s.binomial(rng, 10_000, 0.05) },
]

const CALLS = 1_000
let sink = 0

const loop = (f: () => number) => (): number => {
  for (let i = 0; i < CALLS; i++) sink += f()
  return CALLS
}

/**
 * Measures the guard and the draws (`repeats` side-by-side repeats of at least `minMs` per body).
 *
 * @example
 * ```ts
 * const c = await samplerCosts(3, 50)
 * ```
 */
export const samplerCosts = async (repeats: number, minMs: number): Promise<SamplerCosts> => {
  const built = existsSync(distTesting)
  const s: Samplers = built ? ((await import(distTesting)) as Samplers) : sourceTesting
  const rngBare = s.createPrng(1)
  const rngGuarded = s.createPrng(1)
  const next = (rng: Prng): number => rng.next()
  const guardedNext = guarded('next', next, (m) => rethrow(m))
  // as in a real run, the guard's wrapper has called many functions before (one wrapper code for every
  // guarded export): its call site is megamorphic, not the single-target site a lone wrapper would be
  const others = [(x: number) => x + 1, (x: number) => x * 2, (x: number) => x - 3, (x: number) => x / 4, (x: number) => -x, (x: number) => x % 7]
  for (const f of others) {
    const g = guarded('other', f, (m) => rethrow(m))
    for (let i = 0; i < 10_000; i++) sink += g(i)
  }
  // two loops of their own (not `loop`, whose call site every body shares): the bare call can be inlined
  const bodies = [
    (): number => {
      for (let i = 0; i < CALLS; i++) sink += next(rngBare)
      return CALLS
    },
    (): number => {
      for (let i = 0; i < CALLS; i++) sink += guardedNext(rngGuarded)
      return CALLS
    },
  ]
  const rng = s.createPrng(2)
  for (const d of DRAWS) bodies.push(loop(() => d.draw(s, rng)))
  // warm every body first, so none is charged for compilation
  for (const b of bodies) b()
  const ns = sideBySide(repeats, minMs, bodies)
  if (sink === 0.5) process.stderr.write('')
  const bare = ns[0]!
  const withGuard = ns[1]!
  return {
    nsBare: median(bare),
    nsGuarded: median(withGuard),
    nsGuard: median(withGuard.map((w, r) => w - (bare[r] ?? Number.NaN))),
    draws: DRAWS.map((d, i) => ({ name: d.name, ns: median(ns[i + 2]!) })),
    source: built ? 'dist/testing.js (the built package); the guard from src/model/guard.ts' : 'src/ (tsx)',
  }
}
