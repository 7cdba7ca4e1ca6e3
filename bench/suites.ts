/**
 * The method line-ups: the headline (one setting per method, every scenario) and the trade-off sweep
 * (each method over its knob, 1% -> 2% at 10 req/s per arm and its H0).
 *
 * @module
 */
import { DEFAULT_TOLERANCE } from '../src/analysis/sequential.js'
import type { Outcome } from './methods.js'
import { argo, flagger, kayenta, sequential } from './methods.js'
import type { Scenario } from './scenarios.js'
import type { Stream } from './stream.js'

/**
 * A named method with its knob value (for charts).
 *
 * @example
 * ```ts
 * const m: Method = { id: 'x', family: 'flagger', label: 'Flagger', knob: 99, run: () => ({ type: 'none', atMs: 0, canaryRequests: 0 }) }
 * ```
 */
export interface Method {
  readonly id: string
  readonly family: 'flagger' | 'argo' | 'kayenta' | 'sequential'
  readonly label: string
  readonly knob: number
  readonly run: (s: Stream, scenario: Scenario) => Outcome
}

/**
 * Alpha of the headline sequential judge.
 *
 * @example
 * ```ts
 * 1 / SEQUENTIAL_ALPHA // rollback when the e-value reaches 100
 * ```
 */
export const SEQUENTIAL_ALPHA = 0.01

/**
 * The headline line-up.
 *
 * @example
 * ```ts
 * HEADLINE.map((m) => m.id)
 * ```
 */
export const HEADLINE: readonly Method[] = [
  {
    id: 'flagger-tight',
    family: 'flagger',
    label: 'Flagger min 99% / max 450 ms',
    knob: 99,
    run: (s, sc) => flagger(s, sc.signal, sc.signal === 'errors' ? 99 : 450),
  },
  {
    id: 'flagger-loose',
    family: 'flagger',
    label: 'Flagger min 98% / max 500 ms',
    knob: 98,
    run: (s, sc) => flagger(s, sc.signal, sc.signal === 'errors' ? 98 : 500),
  },
  {
    id: 'argo',
    family: 'argo',
    label: 'Argo >= 98.5% / <= 500 ms, 5m window, failureLimit 2',
    knob: 0.985,
    run: (s, sc) => argo(s, sc.signal, sc.signal === 'errors' ? 0.985 : 500),
  },
  { id: 'kayenta', family: 'kayenta', label: 'Kayenta-style Mann-Whitney 0.98', knob: 0.98, run: (s, sc) => kayenta(s, sc.signal, 0.98) },
  {
    id: 'sequential',
    family: 'sequential',
    label: `sequential (alpha ${SEQUENTIAL_ALPHA}, tolerance ${DEFAULT_TOLERANCE}, early pass)`,
    knob: DEFAULT_TOLERANCE,
    run: (s) => sequential(s, { kind: 'sequential', alpha: SEQUENTIAL_ALPHA, tolerance: DEFAULT_TOLERANCE, earlyPass: true, minBadEvents: 0 }),
  },
]

const flaggerKnobs = [97, 97.5, 98, 98.5, 99, 99.5]
const kayentaKnobs = [0.9, 0.95, 0.98, 0.99, 0.995]
const seqTolerances = [1.0, 1.1, 1.2, 1.3]
const seqAlphas = [0.01, 0.05]

/**
 * The trade-off line-up (errors only).
 *
 * @example
 * ```ts
 * TRADEOFF.length
 * ```
 */
export const TRADEOFF: readonly Method[] = [
  ...flaggerKnobs.map(
    (k): Method => ({ id: `flagger-${k}`, family: 'flagger', label: `Flagger min ${k}`, knob: k, run: (s) => flagger(s, 'errors', k) }),
  ),
  ...kayentaKnobs.map(
    (k): Method => ({ id: `kayenta-${k}`, family: 'kayenta', label: `Kayenta ${k}`, knob: k, run: (s) => kayenta(s, 'errors', k) }),
  ),
  ...seqAlphas.flatMap((alpha) =>
    seqTolerances.map(
      (t): Method => ({
        id: `sequential-${t}-${alpha}`,
        family: 'sequential',
        label: `sequential tol ${t} alpha ${alpha}`,
        knob: t,
        run: (s) => sequential(s, { kind: 'sequential', alpha, tolerance: t, earlyPass: false, minBadEvents: 0 }),
      }),
    ),
  ),
]

/**
 * A line-up by name.
 *
 * @example
 * ```ts
 * suite('headline') === HEADLINE
 * ```
 */
export const suite = (name: 'headline' | 'tradeoff'): readonly Method[] => (name === 'headline' ? HEADLINE : TRADEOFF)
