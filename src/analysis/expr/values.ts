/**
 * The values a condition computes with, and the one door through which a caller's `result` enters:
 * {@link importValue} copies it into plain data (numbers, strings, booleans, nil, arrays and null-prototype
 * maps) without calling a getter, a `toString` or a Proxy trap that could escape (every read is guarded),
 * within size and depth limits. After the copy, evaluation never touches a caller's object or a prototype.
 *
 * @module
 */

/**
 * A value inside the condition evaluator. Objects are `Map`s (never indexed through a prototype).
 *
 * @example
 * ```ts
 * const v: ExprValue = new Map<string, ExprValue>([['ok', true]])
 * ```
 * @category model
 */
export type ExprValue = null | boolean | number | string | readonly ExprValue[] | ReadonlyMap<string, ExprValue>

/** Limits on an imported result: values (array elements, map entries, scalars), nesting, total string length. */
export const VALUE_LIMITS = { maxValues: 100_000, maxDepth: 32, maxStringChars: 1_000_000 } as const

class ImportError {
  constructor(readonly message: string) {}
}

interface Budget {
  values: number
  chars: number
}

const take = (b: Budget, chars: number): void => {
  b.values++
  b.chars += chars
  if (b.values > VALUE_LIMITS.maxValues) throw new ImportError(`result has more than ${VALUE_LIMITS.maxValues.toLocaleString('en-US')} values`)
  if (b.chars > VALUE_LIMITS.maxStringChars) throw new ImportError(`result has more than ${VALUE_LIMITS.maxStringChars.toLocaleString('en-US')} characters of strings`)
}

const copy = (u: unknown, b: Budget, depth: number, path: string): ExprValue => {
  if (depth > VALUE_LIMITS.maxDepth) throw new ImportError(`result is nested deeper than ${VALUE_LIMITS.maxDepth} at ${path}`)
  switch (typeof u) {
    case 'number':
    case 'boolean':
      take(b, 0)
      return u
    case 'string':
      take(b, u.length)
      return u
    case 'undefined':
      take(b, 0)
      return null
    case 'object': {
      if (u === null) {
        take(b, 0)
        return null
      }
      take(b, 0)
      if (Array.isArray(u)) {
        const lengthDesc = Object.getOwnPropertyDescriptor(u, 'length')
        const n = lengthDesc !== undefined && 'value' in lengthDesc && typeof lengthDesc.value === 'number' ? lengthDesc.value : -1
        if (!Number.isSafeInteger(n) || n < 0) throw new ImportError(`result${path} is a list without a usable length`)
        if (n > VALUE_LIMITS.maxValues) throw new ImportError(`result has more than ${VALUE_LIMITS.maxValues.toLocaleString('en-US')} values`)
        const out: ExprValue[] = []
        for (let i = 0; i < n; i++) {
          const d = Object.getOwnPropertyDescriptor(u, i)
          if (d !== undefined && !('value' in d)) throw new ImportError(`result${path}[${i}] is an accessor, not data`)
          out.push(copy(d?.value, b, depth + 1, `${path}[${i}]`))
        }
        return Object.freeze(out)
      }
      const out = new Map<string, ExprValue>()
      for (const key of Object.keys(u)) {
        const d = Object.getOwnPropertyDescriptor(u, key)
        if (d === undefined) continue
        if (!('value' in d)) throw new ImportError(`result${path}.${key.slice(0, 40)} is an accessor, not data`)
        out.set(key, copy(d.value, b, depth + 1, `${path}.${key.slice(0, 40)}`))
      }
      return out
    }
    default:
      throw new ImportError(`result${path} is a ${typeof u}, not data`)
  }
}

/**
 * Copies a caller's result into evaluator values, or says why it cannot (a function, a symbol, a getter,
 * a throwing Proxy, too large or too deep). Never throws.
 *
 * @example
 * ```ts
 * importValue({ ok: true, items: [1, 2] }) // { ok: true, value: Map { 'ok' => true, 'items' => [1, 2] } }
 * importValue(() => 1).ok // false
 * ```
 * @category values
 */
export const importValue = (u: unknown): { readonly ok: true; readonly value: ExprValue } | { readonly ok: false; readonly message: string } => {
  if (typeof u === 'number') return { ok: true, value: u }
  try {
    return { ok: true, value: copy(u, { values: 0, chars: 0 }, 0, '') }
  } catch (e) {
    return { ok: false, message: e instanceof ImportError ? e.message : 'result could not be read (a Proxy or accessor refused)' }
  }
}

/**
 * Whether a value is a map (an object of a JSON result).
 *
 * @example
 * ```ts
 * isMap(new Map()) // true
 * ```
 * @category values
 */
export const isMap = (v: ExprValue): v is ReadonlyMap<string, ExprValue> => v instanceof Map

/**
 * A short description of a value for messages: `nil`, `0.93`, `'ok'`, `a list of 3`, `a map`.
 *
 * @example
 * ```ts
 * describeExprValue([1, 2]) // 'a list of 2'
 * ```
 * @category values
 */
export const describeExprValue = (v: ExprValue): string => {
  if (v === null) return 'nil'
  if (typeof v === 'number') return Number.isInteger(v) || !Number.isFinite(v) ? String(v) : String(Number(v.toPrecision(6)))
  if (typeof v === 'boolean') return String(v)
  if (typeof v === 'string') return `'${v.length > 40 ? `${v.slice(0, 40)}...` : v}'`
  if (Array.isArray(v)) return `a list of ${v.length}`
  return 'a map'
}

/**
 * The kind of a value, for type errors: `nil`, `number`, `string`, `bool`, `list`, `map`.
 *
 * @example
 * ```ts
 * kindOf('x') // 'string'
 * ```
 * @category values
 */
export const kindOf = (v: ExprValue): string =>
  v === null ? 'nil' : typeof v === 'number' ? 'number' : typeof v === 'string' ? 'string' : typeof v === 'boolean' ? 'bool' : Array.isArray(v) ? 'list' : 'map'

/**
 * Deep equality as expr's `==`: numbers by value (NaN is not equal to itself), strings, booleans and nil
 * by value, lists element-wise, maps key-wise; values of different kinds are never equal. `steps` bounds
 * the work.
 *
 * @example
 * ```ts
 * exprEqual([1, 'a'], [1, 'a'], { steps: 100 }) // true
 * ```
 * @category values
 */
export const exprEqual = (a: ExprValue, b: ExprValue, budget: { steps: number }): boolean => {
  budget.steps--
  if (a === b) return typeof a !== 'number' || !Number.isNaN(a)
  if (Array.isArray(a) && Array.isArray(b)) {
    if (a.length !== b.length) return false
    for (let i = 0; i < a.length; i++) if (!exprEqual(a[i] ?? null, b[i] ?? null, budget)) return false
    return true
  }
  if (isMap(a) && isMap(b)) {
    if (a.size !== b.size) return false
    for (const [k, v] of a) {
      if (!b.has(k) || !exprEqual(v, b.get(k) ?? null, budget)) return false
    }
    return true
  }
  return false
}
