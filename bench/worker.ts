/**
 * Worker thread entry: receives jobs, posts results. Started by `pool.ts` with tsx as the loader.
 *
 * @module
 */
import { parentPort } from 'node:worker_threads'
import type { Job } from './job.js'
import { runJob } from './job.js'

parentPort?.on('message', (msg: { type: 'job'; job: Job } | { type: 'stop' }) => {
  if (msg.type === 'stop') {
    process.exit(0)
  }
  const result = runJob(msg.job)
  parentPort?.postMessage(result, Object.values(result.outcomes).map((a) => a.buffer as ArrayBuffer))
})
