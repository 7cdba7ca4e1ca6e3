/**
 * A tiny worker pool over node:worker_threads (workers load TypeScript through tsx), with a progress bar on
 * stderr. Falls back to running inline when workers cannot start.
 *
 * @module
 */
import { availableParallelism } from 'node:os'
import { createRequire } from 'node:module'
import { pathToFileURL } from 'node:url'
import { Worker } from 'node:worker_threads'
import type { Job, JobResult } from './job.js'
import { runJob } from './job.js'

/**
 * Draws a progress bar on stderr (only when stderr is a terminal, else one line per 10%).
 *
 * @example
 * ```ts
 * const p = progress('decision quality', 100); p(50); p(100)
 * ```
 */
export const progress = (label: string, total: number): ((done: number) => void) => {
  let lastDecile = -1
  const start = Date.now()
  return (done: number) => {
    const frac = total === 0 ? 1 : done / total
    const secs = ((Date.now() - start) / 1000).toFixed(0)
    if (process.stderr.isTTY) {
      const width = 30
      const filled = Math.round(frac * width)
      process.stderr.write(`\r${label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${(100 * frac).toFixed(0)}% ${secs}s`)
      if (done >= total) process.stderr.write('\n')
    } else {
      const decile = Math.floor(frac * 10)
      if (decile !== lastDecile) {
        lastDecile = decile
        process.stderr.write(`${label}: ${decile * 10}% (${secs}s)\n`)
      }
    }
  }
}

/**
 * Runs jobs on `threads` workers (default: all cores), calling `onResult` as results arrive.
 *
 * @example
 * ```ts
 * await runPool(jobs, (r) => collect(r), (n) => bar(n))
 * ```
 */
export const runPool = async (
  jobs: readonly Job[],
  onResult: (r: JobResult) => void,
  onProgress: (runsDone: number) => void,
  threads = availableParallelism(),
): Promise<{ threads: number; inline: boolean }> => {
  let runsDone = 0
  let failures = 0
  const queue = [...jobs]
  const n = Math.max(1, Math.min(threads, queue.length))
  const deliver = (r: JobResult): void => {
    onResult(r)
    runsDone += r.runs
    onProgress(runsDone)
  }
  const start = (): Promise<void> =>
    new Promise((resolve) => {
      const w = spawnTsWorker(new URL('./worker.ts', import.meta.url))
      let current: Job | undefined
      const next = (): void => {
        current = queue.shift()
        if (!current) {
          w.postMessage({ type: 'stop' })
          return
        }
        w.postMessage({ type: 'job', job: current })
      }
      w.on('message', (r: JobResult) => {
        current = undefined
        deliver(r)
        next()
      })
      w.on('error', (e) => {
        failures++
        process.stderr.write(`worker failed (${String(e)}); its jobs run inline\n`)
        if (current) queue.unshift(current)
        current = undefined
        void w.terminate()
      })
      w.on('exit', () => resolve())
      next()
    })
  await Promise.all(Array.from({ length: n }, start))
  // whatever a failed worker left behind runs here
  for (const job of queue.splice(0)) deliver(runJob(job))
  return { threads: n, inline: failures > 0 }
}

/**
 * Starts a worker thread running a TypeScript module: a small ESM bootstrap registers tsx's loader in the
 * worker, then imports the module (Node 20 does not apply `--import tsx` from `execArgv` to a worker's entry).
 *
 * @example
 * ```ts
 * const w = spawnTsWorker(new URL('./worker.ts', import.meta.url))
 * ```
 */
export const spawnTsWorker = (url: URL): Worker => {
  const require = createRequire(import.meta.url)
  const api = pathToFileURL(require.resolve('tsx/esm/api').replace(/\.cjs$/, '.mjs')).href
  const code = `import(${JSON.stringify(api)}).then((m) => { m.register(); return import(${JSON.stringify(url.href)}) })`
  return new Worker(code, { eval: true })
}
