/**
 * Small validation helpers shared by the renderers: Kubernetes name rules and error accumulation.
 * Every check returns a list of `SpecError`s (empty when fine) so that problems add up instead of
 * stopping at the first one.
 *
 * @module
 */
import * as E from 'fp-ts/lib/Either.js'
import { describeValue, specError, type SpecError } from '../model/errors.js'

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/
const DNS_1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/
const HTTP_TOKEN = /^[A-Za-z0-9!#$%&'*+\-.^_`|~]+$/

/**
 * True for a DNS-1123 label (namespaces): lower-case alphanumerics and '-', at most 63 characters.
 *
 * @example
 * ```ts
 * isDnsLabel('test') // true
 * isDnsLabel('Test') // false
 * ```
 * @category utils
 */
export const isDnsLabel = (s: string): boolean => s.length <= 63 && DNS_LABEL.test(s)

/**
 * True for a DNS-1123 subdomain (object names): dot-separated labels, at most 253 characters.
 *
 * @example
 * ```ts
 * isDnsSubdomain('podinfo.v2') // true
 * isDnsSubdomain('-bad') // false
 * ```
 * @category utils
 */
export const isDnsSubdomain = (s: string): boolean => s.length <= 253 && DNS_SUBDOMAIN.test(s)

/**
 * True for an HTTP token (header, query parameter and cookie names).
 *
 * @example
 * ```ts
 * isHttpToken('x-canary') // true
 * isHttpToken('x canary') // false
 * ```
 * @category utils
 */
export const isHttpToken = (s: string): boolean => s.length <= 256 && HTTP_TOKEN.test(s)

/**
 * Checks a Service name (a DNS-1035 label: starts with a letter, at most 63 characters).
 *
 * @example
 * ```ts
 * checkServiceName('names.canaryService', 'podinfo-canary') // []
 * checkServiceName('names.canaryService', '9lives')         // [{ path: 'names.canaryService', message: ... }]
 * ```
 * @category utils
 */
export const checkServiceName = (path: string, s: unknown): SpecError[] =>
  typeof s === 'string' && s.length <= 63 && DNS_1035_LABEL.test(s)
    ? []
    : [specError(path, `expected a Service name (lower-case letters, digits and '-', starting with a letter, at most 63 characters), got ${describeValue(s)}`)]

/**
 * Checks an object name (a DNS-1123 subdomain).
 *
 * @example
 * ```ts
 * checkObjectName('names.name', 'podinfo') // []
 * checkObjectName('names.name', '')        // [{ path: 'names.name', message: ... }]
 * ```
 * @category utils
 */
export const checkObjectName = (path: string, s: unknown): SpecError[] =>
  typeof s === 'string' && isDnsSubdomain(s)
    ? []
    : [specError(path, `expected a Kubernetes object name (lower-case DNS subdomain, at most 253 characters), got ${describeValue(s)}`)]

/**
 * Checks a namespace (a DNS-1123 label).
 *
 * @example
 * ```ts
 * checkNamespace('names.namespace', 'test') // []
 * ```
 * @category utils
 */
export const checkNamespace = (path: string, s: unknown): SpecError[] =>
  typeof s === 'string' && isDnsLabel(s)
    ? []
    : [specError(path, `expected a namespace (lower-case DNS label, at most 63 characters), got ${describeValue(s)}`)]

/**
 * Checks a share in percent: a finite number in 0..100, optionally an integer.
 *
 * @example
 * ```ts
 * checkPercent('traffic.weight', 20, true)  // []
 * checkPercent('traffic.weight', 120, true) // [{ path: 'traffic.weight', message: 'expected an integer in 0..100, got 120' }]
 * ```
 * @category utils
 */
export const checkPercent = (path: string, v: unknown, integer: boolean): SpecError[] =>
  typeof v === 'number' && Number.isFinite(v) && v >= 0 && v <= 100 && (!integer || Number.isInteger(v))
    ? []
    : [specError(path, `expected ${integer ? 'an integer' : 'a number'} in 0..100, got ${describeValue(v)}`)]

/**
 * Turns accumulated errors into a `Left`, or the value into a `Right` when there are none.
 *
 * @example
 * ```ts
 * orErrors([], () => 1)                              // right(1)
 * orErrors([{ path: 'a', message: 'bad' }], () => 1) // left([{ path: 'a', message: 'bad' }])
 * ```
 * @category utils
 */
export const orErrors = <A>(errors: readonly SpecError[], value: () => A): E.Either<SpecError[], A> =>
  errors.length > 0 ? E.left([...errors]) : E.right(value())

/**
 * True when `v` is a non-null, non-array object.
 *
 * @example
 * ```ts
 * isRecord({}) // true
 * isRecord([]) // false
 * ```
 * @category utils
 */
export const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v)
