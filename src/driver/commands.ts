/**
 * The operator command inbox of `drive`: commands come from an async iterable (a queue, a watch stream)
 * or a poll function, are queued in order, and wake the loop early when it is waiting.
 *
 * @module
 */
import type { Command } from '../model/observation.js'
import { errorText } from './timeout.js'
import { guarded } from '../model/guard.js'

/**
 * Where commands come from: an async iterable (each value is delivered as soon as it arrives) or a
 * function polled before every step and periodically while waiting.
 *
 * @example
 * ```ts
 * const fromFile: CommandSource = async () => undefined // e.g. read and delete a command file
 * ```
 * @category model
 */
export type CommandSource = AsyncIterable<Command> | (() => Command | undefined | Promise<Command | undefined>)

/**
 * A queue of commands with an early-wake hook.
 *
 * @example
 * ```ts
 * const inbox = commandInbox(undefined, () => undefined)
 * inbox.take() // undefined
 * ```
 * @category model
 */
export interface CommandInbox {
  /** Takes the oldest queued command (polling first when the source is a function). */
  take(): Promise<Command | undefined>
  /** Puts a taken command back at the front of the queue (its observation was refused as a whole). */
  putBack(command: Command): void
  /** Whether a command is queued. */
  hasQueued(): boolean
  /** Polls a function source once (no-op for iterables); returns whether a command is now queued. */
  poll(): Promise<boolean>
  /** Whether the source is a poll function. */
  readonly polled: boolean
  /** Called when a command arrives from an iterable; `drive` uses it to end a wait early. */
  onArrival(listener: () => void): void
  /** Stops reading the iterable. */
  close(): void
}

/**
 * Creates the inbox; `report` receives errors thrown by the source (they never stop the loop).
 *
 * @example
 * ```ts
 * async function* ops() { yield 'promote' as const }
 * const inbox = commandInbox(ops(), (e) => console.error(e))
 * ```
 * @category constructors
 */
export const commandInbox = guarded('commandInbox', (source: CommandSource | undefined, reportTo: (error: string) => void): CommandInbox => {
  // a reporter that is not a function, or throws, must not stop the inbox
  const report = (error: string): void => {
    try {
      if (typeof reportTo === 'function') reportTo(error)
    } catch {
      // nothing to tell: the reporter is the one failing
    }
  }
  const queue: Command[] = []
  let listener: () => void = () => undefined
  let closed = false
  const pollFn = typeof source === 'function' ? source : undefined
  let iterator: AsyncIterator<Command> | undefined

  if (source !== undefined && typeof source !== 'function') {
    try {
      iterator = source[Symbol.asyncIterator]()
    } catch (err) {
      report(`command source failed: ${errorText(err)}`)
    }
    const it = iterator
    if (it !== undefined) {
      void (async () => {
        try {
          while (!closed) {
            const r = await it.next()
            if (r.done === true || closed) break
            queue.push(r.value)
            listener()
          }
        } catch (err) {
          if (!closed) report(`command source failed: ${errorText(err)}`)
        }
      })()
    }
  }

  const poll = async (): Promise<boolean> => {
    if (pollFn !== undefined && !closed) {
      try {
        const c = await pollFn()
        if (c !== undefined) queue.push(c)
      } catch (err) {
        report(`command poll failed: ${errorText(err)}`)
      }
    }
    return queue.length > 0
  }

  return {
    take: async () => {
      if (queue.length === 0) await poll()
      return queue.shift()
    },
    putBack: (command) => {
      queue.unshift(command)
    },
    hasQueued: () => queue.length > 0,
    poll,
    polled: pollFn !== undefined,
    onArrival: (l) => {
      listener = l
    },
    close: () => {
      closed = true
      if (iterator?.return !== undefined) {
        try {
          void Promise.resolve(iterator.return()).catch(() => undefined)
        } catch {
          // the iterator's own cleanup failed: nothing left to do
        }
      }
    },
  }
}, (m, f, [, reportTo]) => { const inbox = f(undefined, () => undefined); try { if (typeof reportTo === 'function') reportTo(m) } catch { /* the reporter is what failed */ } return inbox })
