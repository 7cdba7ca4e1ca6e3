/**
 * `rollout-kernel/driver`: the reference imperative shell. `drive` runs needs -> gather -> step -> apply
 * -> persist -> wait against adapters you provide (metrics, router, workloads, gates, clock, persistence).
 *
 * @packageDocumentation
 */
export {
  isRoutingAction,
  type AdapterContext,
  type Adapters,
  type CanaryScaleTarget,
  type Clock,
  type GateNeed,
  type Gates,
  type MetricNeed,
  type MetricsSource,
  type Persistence,
  type Readiness,
  type RoutingAction,
  type TrafficRouter,
  type Workloads,
} from './adapters.js'
export { fakeClock, systemClock, type FakeClock } from './clock.js'
export { commandInbox, type CommandInbox, type CommandSource } from './commands.js'
export type { DriveEvent } from './events.js'
export { describeEffect, effectsOf, reassertTraffic, runEffect, type Effect } from './effects.js'
export { gatherNeeds, type Gathered } from './gather.js'
export { errorText, withTimeout } from './timeout.js'
export { memoryPersistence, memoryWorkloads, type MemoryPersistence, type MemoryWorkloads } from './memory.js'
export { drive, type DriveOptions, type DriveSummary, type StopReason } from './drive.js'
export {
  exposition,
  PHASES,
  rolloutMetrics,
  serveMetrics,
  statusCode,
  type MetricGauges,
  type MetricsServer,
  type MetricsSnapshot,
  type RolloutMetrics,
} from './metrics.js'
