/**
 * Placeholder replaced below.
 *
 * @module
 */
import type { RolloutSpec } from '../config/spec.js'
import type { SimResult } from './simulation.js'

/**
 * A chart of a simulation.
 *
 * @example
 * ```ts
 * declare const spec: RolloutSpec
 * declare const result: SimResult
 * chartSvg(spec, result, 'title')
 * ```
 * @category svg
 */
export const chartSvg = (_spec: RolloutSpec, _result: SimResult, title: string): string => `<svg xmlns="http://www.w3.org/2000/svg"><title>${title}</title></svg>\n`
