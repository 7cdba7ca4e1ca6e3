/**
 * The probe answers `plan` and `simulate` use, kept in `rollout-kernel/testing` (src/testing/probe.ts) so that
 * the cooperative caller's world models share them.
 *
 * @module
 */
export { probeAnswer, type Answer } from '../testing/probe.js'
