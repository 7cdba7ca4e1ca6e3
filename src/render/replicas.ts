/**
 * Replica counts for canaries without a mesh: the rule lives in the core (src/engine/replicas.ts) so that
 * `step` can put replica counts into its actions; the render entry re-exports it.
 *
 * @module
 */
export { canaryReplicas, splitReplicas, type ReplicaSplit } from '../engine/replicas.js'
