import { UserError } from './errors.js'

/**
 * How long a request to ECR, its registry or S3 may sit without progress. An idle limit, not a total
 * one: a large layer streams for minutes, but a connection that moves no byte for a minute (a
 * half-open socket, a proxy that stopped forwarding) will not move again, and without a limit it holds
 * the step until the job's timeout (6 hours by default).
 */
export interface NetworkLimits {
  /** No byte sent or received on an open connection for this long: the request is abandoned and retried. */
  readonly idleMs: number
  /** A TCP (and TLS) connection not established within this. */
  readonly connectMs: number
}

export const DEFAULT_IDLE_MS = 60_000
export const DEFAULT_CONNECT_MS = 10_000

/**
 * IEB_IDLE_TIMEOUT_MS is for the project's own tests (a stalled request then costs seconds, not a
 * minute); it is not an input and not documented for users.
 */
export function networkLimits(env: NodeJS.ProcessEnv): NetworkLimits {
  const value = env.IEB_IDLE_TIMEOUT_MS?.trim()
  if (!value) return { idleMs: DEFAULT_IDLE_MS, connectMs: DEFAULT_CONNECT_MS }
  if (!/^[0-9]+$/.test(value) || Number(value) < 100) {
    throw new UserError(`IEB_IDLE_TIMEOUT_MS '${value}' is not a number of milliseconds of 100 or more (a test-only setting): unset it.`)
  }
  const idleMs = Number(value)
  return { idleMs, connectMs: Math.min(DEFAULT_CONNECT_MS, idleMs) }
}

/**
 * The slowest upload an engine push (`docker push`, classic image store) is allowed. The engine's own
 * registry client has no response timeout and its CLI prints no progress without a terminal, so a
 * stalled push cannot be seen idle: it is bounded as a whole, by the image's size at this rate.
 */
export const SLOWEST_PUSH_BYTES_PER_SECOND = 256 * 1024

/** docker retries a failed layer upload 5 times, waiting 5, 10, 15 and 20 s between tries (moby distribution/xfer): its own retries are left their time. */
export const ENGINE_PUSH_RETRIES_MS = 50_000

/**
 * How long `docker push` may run: the idle limit, the engine's own retry waits, and the image at the
 * slowest rate (unknown size: 60 idle limits, an hour by default).
 */
export function enginePushLimitMs(imageBytes: number | undefined, limits: NetworkLimits): number {
  if (imageBytes === undefined) return limits.idleMs * 60
  return limits.idleMs + ENGINE_PUSH_RETRIES_MS + Math.ceil((imageBytes / SLOWEST_PUSH_BYTES_PER_SECOND) * 1000)
}

/** Exponential backoff with "equal jitter" (AWS Architecture Blog, "Exponential Backoff And Jitter"): retries of many runners do not line up. */
export function backoffMs(retry: number, random: () => number = Math.random, baseMs = 250, capMs = 4000): number {
  const ceiling = Math.min(capMs, baseMs * 2 ** Math.max(0, retry - 1))
  return Math.round(ceiling / 2 + (random() * ceiling) / 2)
}
