/**
 * "Did you mean" suggestions for misspelt keys.
 *
 * @module
 */

const distance = (a: string, b: string): number => {
  const prev = Array.from({ length: b.length + 1 }, (_, i) => i)
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0] ?? 0
    prev[0] = i
    for (let j = 1; j <= b.length; j++) {
      const up = prev[j] ?? 0
      const cost = a[i - 1]?.toLowerCase() === b[j - 1]?.toLowerCase() ? 0 : 1
      prev[j] = Math.min(up + 1, (prev[j - 1] ?? 0) + 1, diag + cost)
      diag = up
    }
  }
  return prev[b.length] ?? 0
}

/**
 * The closest known key to `word`, if it is close enough to be a plausible typo.
 *
 * @example
 * ```ts
 * suggestKey('stepWieght', ['stepWeight', 'maxWeight']) // 'stepWeight'
 * suggestKey('zzz', ['stepWeight'])                     // undefined
 * ```
 * @category utils
 */
export const suggestKey = (word: string, known: readonly string[]): string | undefined => {
  let best: string | undefined
  let bestD = Infinity
  for (const k of known) {
    const d = distance(word, k)
    if (d < bestD) {
      bestD = d
      best = k
    }
  }
  return best !== undefined && bestD <= Math.max(2, Math.floor(best.length / 3)) ? best : undefined
}
