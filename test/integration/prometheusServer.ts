/**
 * Starting a throwaway Prometheus server for the integration test: a temp config (1 s scrape interval)
 * and temp data dir, listening on a free loopback port. Cleaned up by `stop()`.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { accessSync, constants, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { delimiter, join } from 'node:path'

/** Finds the prometheus binary: $PROMETHEUS_BIN when set (and only there), else /usr/bin/prometheus, then $PATH. */
export const findPrometheus = (): string | undefined => {
  const explicit = process.env['PROMETHEUS_BIN']
  const candidates =
    explicit !== undefined && explicit !== ''
      ? [explicit]
      : ['/usr/bin/prometheus', ...(process.env['PATH'] ?? '').split(delimiter).map((d) => join(d, 'prometheus'))]
  for (const c of candidates) {
    if (c === undefined || c === '') continue
    try {
      accessSync(c, constants.X_OK)
      return c
    } catch {
      // not there
    }
  }
  return undefined
}

/** A free TCP port on 127.0.0.1. */
export const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const s = createServer()
    s.once('error', reject)
    s.listen(0, '127.0.0.1', () => {
      const addr = s.address()
      const port = typeof addr === 'object' && addr !== null ? addr.port : 0
      s.close(() => resolve(port))
    })
  })

export interface PrometheusServer {
  readonly address: string
  /** What prometheus wrote to stderr (for diagnostics). */
  log(): string
  stop(): Promise<void>
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

/** Starts prometheus scraping `targets` (job name -> host:port) every second; resolves when it is ready. */
export const startPrometheus = async (bin: string, targets: Readonly<Record<string, string>>): Promise<PrometheusServer> => {
  const dir = mkdtempSync(join(tmpdir(), 'rollout-kernel-prom-'))
  const port = await freePort()
  const jobs = Object.entries(targets)
    .map(([job, target]) => `  - job_name: ${job}\n    scrape_interval: 1s\n    static_configs:\n      - targets: ['${target}']\n`)
    .join('')
  writeFileSync(join(dir, 'prometheus.yml'), `global:\n  scrape_interval: 1s\n  evaluation_interval: 1s\nscrape_configs:\n${jobs}`)
  let stderr = ''
  const child: ChildProcess = spawn(
    bin,
    [
      `--config.file=${join(dir, 'prometheus.yml')}`,
      `--storage.tsdb.path=${join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--storage.tsdb.retention.time=1h',
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  )
  child.stderr?.on('data', (b: Buffer) => {
    stderr = (stderr + b.toString()).slice(-20_000)
  })
  let exited = false
  const exitPromise = new Promise<void>((resolve) => child.once('exit', () => ((exited = true), resolve())))

  const stop = async (): Promise<void> => {
    if (!exited) {
      child.kill('SIGTERM')
      await Promise.race([exitPromise, sleep(5000)])
      if (!exited) {
        child.kill('SIGKILL')
        await Promise.race([exitPromise, sleep(2000)])
      }
    }
    rmSync(dir, { recursive: true, force: true })
  }

  const address = `http://127.0.0.1:${port}`
  const deadline = Date.now() + 30_000
  for (;;) {
    if (exited) {
      await stop()
      throw new Error(`prometheus exited during start-up:\n${stderr}`)
    }
    try {
      const res = await fetch(`${address}/-/ready`, { signal: AbortSignal.timeout(1000) })
      if (res.ok) break
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await stop()
      throw new Error(`prometheus did not become ready within 30 s:\n${stderr}`)
    }
    await sleep(200)
  }
  return { address, log: () => stderr, stop }
}

/** Waits until every job has been scraped successfully at least `scrapes` times. */
export const waitForScrapes = async (address: string, jobs: readonly string[], scrapes = 3, timeoutMs = 30_000): Promise<void> => {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    try {
      const q = `count_over_time(up{job=~"${jobs.join('|')}"}[1m]) >= ${scrapes} and on(job) up == 1`
      const res = await fetch(`${address}/api/v1/query?query=${encodeURIComponent(q)}`, { signal: AbortSignal.timeout(2000) })
      const body = (await res.json()) as { data?: { result?: unknown[] } }
      if ((body.data?.result?.length ?? 0) >= jobs.length) return
    } catch {
      // retry
    }
    if (Date.now() > deadline) throw new Error(`prometheus did not scrape ${jobs.join(', ')} ${scrapes} times within ${timeoutMs} ms`)
    await sleep(250)
  }
}
