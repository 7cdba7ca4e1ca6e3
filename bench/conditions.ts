/**
 * Condition evaluation speed: checkCondition once, then evaluateCondition in a loop on the shapes the
 * engine sees (a scalar, a Prometheus vector, a web-provider JSON object). Prints evaluations per second.
 * Run: npx tsx bench/conditions.ts
 */
import * as E from 'fp-ts/lib/Either.js'
import { checkCondition, evaluateCondition } from '../src/analysis/condition.js'

const cases: readonly (readonly [string, 'argo' | 'mathjs', unknown])[] = [
  ['result[0] >= 0.95 && !isNaN(result[0])', 'argo', [0.97]],
  ['result < 500', 'argo', 123],
  ['result[1] >= 0.95', 'mathjs', [0.97]],
  ['result.ok && result.data.count > 0', 'argo', { ok: true, data: { count: 3 } }],
  ['all(result, # < 1000)', 'argo', [1, 2, 3, 4, 5]],
]
for (const [text, dialect, result] of cases) {
  const c = checkCondition(text, dialect)
  if (E.isLeft(c)) {
    console.log(`${dialect} ${text}: refused (${c.left.message})`)
    continue
  }
  const n = 200_000
  for (let i = 0; i < 10_000; i++) evaluateCondition(c.right, result as number)
  const t0 = performance.now()
  for (let i = 0; i < n; i++) evaluateCondition(c.right, result as number)
  const ms = performance.now() - t0
  console.log(`${dialect.padEnd(6)} ${text.padEnd(42)} ${Math.round((n / ms) * 1000).toLocaleString('en-US').padStart(12)} evals/s`)
}
