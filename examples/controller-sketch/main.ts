/**
 * A Kubernetes-controller sketch (types only, no client library): a `Rollout` custom resource whose
 * status holds the engine's encoded state, and a `reconcile` function that does
 * decodeState -> gather -> step -> apply -> encodeState, returning the new status and when to requeue.
 * Any replica can pick the resource up and resume from its status: the state is plain, versioned JSON.
 *
 * It runs against an in-memory fake cluster (metrics, routing, workloads) for a few ticks:
 *   npx tsx examples/controller-sketch/main.ts
 */
import * as E from 'fp-ts/lib/Either.js'
import {
  decodeSpec,
  decodeState,
  encodeState,
  initialState,
  step,
  type Action,
  type Need,
  type Observation,
  type Sample,
} from '../../src/index.js'

// ---------------------------------------------------------------------------------------------------
// The custom resource (what `kubectl get rollout podinfo -o yaml` would show).

interface RolloutResource {
  readonly apiVersion: 'example.dev/v1alpha1'
  readonly kind: 'Rollout'
  readonly metadata: { readonly name: string; readonly namespace: string; readonly generation: number }
  readonly spec: {
    /** The revision to run (a pod-template hash or an image tag). */
    readonly revision: string
    /** The rollout in rollout-kernel's native format (docs/config.md). */
    readonly rollout: unknown
  }
  readonly status?: RolloutStatus
}

interface RolloutStatus {
  readonly observedGeneration: number
  /** `encodeState(state)`: the whole rollout state, versioned JSON. */
  readonly state: unknown
  /** What the last decision asked for, so the next reconcile gathers exactly that. */
  readonly needs: readonly Need[]
  /** Human-readable copies for `kubectl get`. */
  readonly phase: string
  readonly canaryWeight: number
  readonly message: string
  readonly conditions: readonly { readonly type: string; readonly status: 'True' | 'False'; readonly reason: string; readonly message: string }[]
}

// ---------------------------------------------------------------------------------------------------
// What the controller talks to, faked in memory.

interface Cluster {
  /** Metrics answering the engine's needs (Prometheus in real life). */
  measure(need: Extract<Need, { kind: 'metric' }>): Sample
  /** Canary/primary readiness (Deployment status in real life). */
  readiness(): { canary: boolean; primary: boolean }
  /** Routing and workloads (VirtualService / Deployments in real life). */
  apply(action: Action): void
}

const fakeCluster = (): Cluster & { weight: number; primary: string; history: string[] } => {
  const c = {
    weight: 0,
    primary: 'v1',
    history: [] as string[],
    measure: (need: Extract<Need, { kind: 'metric' }>): Sample => {
      const seconds = (need.window.to - need.window.from) / 1000
      const canary = Math.round(((c.weight / 100) * 200 + 1) * seconds)
      const primary = Math.round((((100 - c.weight) / 100) * 200 + 1) * seconds)
      return need.sample === 'counts'
        ? { kind: 'counts', metric: need.metric, window: need.window, canary: { total: canary, bad: Math.round(canary * 0.004) }, primary: { total: primary, bad: Math.round(primary * 0.004) } }
        : { kind: 'value', metric: need.metric, window: need.window, value: 99.6 }
    },
    readiness: () => ({ canary: true, primary: true }),
    apply: (action: Action) => {
      if (action.type === 'setWeight') c.weight = action.weight
      if (action.type === 'rollback') c.weight = 0
      if (action.type === 'promote') c.primary = action.revision
      if (action.type !== 'hold') c.history.push(action.type === 'setWeight' ? `weight ${action.weight}` : `${action.type}`)
    },
  }
  return c
}

// ---------------------------------------------------------------------------------------------------
// The reconcile function.

interface ReconcileResult {
  readonly status: RolloutStatus
  /** Requeue after this many milliseconds (`null`: wait for the next watch event). */
  readonly requeueAfterMs: number | null
}

const condition = (type: string, ok: boolean, reason: string, message: string) => ({ type, status: ok ? ('True' as const) : ('False' as const), reason, message })

/** One reconcile: never throws; a bad spec or a bad status becomes a condition on the status. */
const reconcile = (resource: RolloutResource, cluster: Cluster, now: number): ReconcileResult => {
  const spec = decodeSpec(resource.spec.rollout)
  if (E.isLeft(spec)) {
    const message = spec.left.map((e) => `${e.path}: ${e.message}`).join('; ')
    return {
      status: {
        observedGeneration: resource.metadata.generation,
        state: resource.status?.state ?? null,
        needs: [],
        phase: 'Invalid',
        canaryWeight: resource.status?.canaryWeight ?? 0,
        message,
        conditions: [condition('SpecValid', false, 'InvalidSpec', message)],
      },
      requeueAfterMs: null,
    }
  }
  // Resume from the status; an unreadable status (e.g. an older schema) starts over from the live primary.
  const saved = resource.status?.state
  const decoded = saved === undefined ? undefined : decodeState(saved)
  const state = decoded !== undefined && E.isRight(decoded) ? decoded.right : initialState(spec.right, now, { stable: 'v1' })

  // Gather what the last decision asked for; readiness too when the spec changed (a new revision starts).
  const changed = resource.status?.observedGeneration !== resource.metadata.generation
  const needs: readonly Need[] = [...(resource.status?.needs ?? []), ...(changed ? [{ kind: 'readiness' } as const] : [])]
  const obs: Observation = {
    at: Math.max(now, state.at),
    revision: resource.spec.revision,
    ...(needs.some((n) => n.kind === 'readiness') ? { ready: cluster.readiness() } : {}),
    samples: needs.flatMap((n) => (n.kind === 'metric' && n.window.to <= now ? [cluster.measure(n)] : [])),
  }

  const decision = step(spec.right, state, obs)
  cluster.apply(decision.action)

  const failed = decision.state.phase === 'failed'
  return {
    status: {
      observedGeneration: resource.metadata.generation,
      state: encodeState(decision.state),
      needs: decision.needs,
      phase: decision.state.phase,
      canaryWeight: decision.state.traffic.weight,
      message: decision.reasons.map((r) => r.message).join('; '),
      conditions: [
        condition('SpecValid', true, 'Decoded', 'spec decoded'),
        condition('Healthy', !failed, failed ? (decision.state.lastFailure?.code ?? 'Failed') : 'OK', decision.state.lastFailure?.message ?? ''),
      ],
    },
    requeueAfterMs: decision.wakeAt === null ? null : Math.max(0, decision.wakeAt - now),
  }
}

// ---------------------------------------------------------------------------------------------------
// A few ticks against the fake: the user bumps the revision, the controller walks the rollout.

const cluster = fakeCluster()
let resource: RolloutResource = {
  apiVersion: 'example.dev/v1alpha1',
  kind: 'Rollout',
  metadata: { name: 'podinfo', namespace: 'test', generation: 1 },
  spec: {
    revision: 'v1',
    rollout: {
      strategy: { canary: { stepWeight: 25, maxWeight: 50 } },
      analysis: { interval: '30s', threshold: 2, metrics: [{ name: 'request-success-rate', thresholdRange: { min: 99 } }, { name: 'errors', sequential: {} }] },
    },
  },
}

let now = Date.parse('2026-01-01T00:00:00Z')
const start = now
for (let tick = 0; tick < 20; tick++) {
  if (tick === 1) {
    // `kubectl apply` of a new image: a watch event
    resource = { ...resource, metadata: { ...resource.metadata, generation: 2 }, spec: { ...resource.spec, revision: 'v2' } }
  }
  // The status round-trips through JSON, as it would through the API server.
  const { status, requeueAfterMs } = reconcile(JSON.parse(JSON.stringify(resource)) as RolloutResource, cluster, now)
  resource = { ...resource, status }
  console.log(
    `t=${String((now - start) / 1000).padStart(4)}s  gen ${resource.metadata.generation}  ${status.phase.padEnd(16)} weight ${String(status.canaryWeight).padStart(3)}  primary ${cluster.primary}  requeue ${requeueAfterMs === null ? '-' : `${requeueAfterMs / 1000}s`}`,
  )
  if (requeueAfterMs === null && tick > 1) break
  now += requeueAfterMs ?? 1_000
}
console.log(`\nrouting history: ${cluster.history.join(', ')}`)
console.log(`status.state is ${JSON.stringify(resource.status?.state).length} bytes of JSON`)
if (resource.status?.phase !== 'succeeded' || cluster.primary !== 'v2') {
  console.error('controller-sketch: expected v2 to be promoted')
  process.exit(1)
}
