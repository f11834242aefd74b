/**
 * ECR is eventually consistent for a moment after a write: a manifest or tag written a second ago can
 * answer "not found" (docker/github-builder#30), and an index PUT right after its children can be
 * refused for a missing child. A read that proves or references what this run (or the step before it)
 * just wrote therefore waits for it, within a bound. Only "not found" is waited for: an answer naming
 * another digest is a race with another writer, which the callers' rules decide at once.
 */

/** Pauses between reads: about 30 s in all, short at first because the lag is usually well under a second. */
export const LAG_DELAYS_MS: readonly number[] = [250, 500, 1000, 2000, 4000, 4000, 4000, 4000, 4000, 4000, 4000]

export interface LagWait {
  /** What is awaited, for the log line, e.g. "sha256:… in team/api". */
  readonly what: string
  readonly sleep?: ((ms: number) => Promise<void>) | undefined
  readonly log?: ((message: string) => void) | undefined
}

const realSleep = (ms: number): Promise<void> => new Promise<void>((resolve) => setTimeout(resolve, ms))

/**
 * Reads until `served` accepts the value or the pauses run out, and returns the last value read: the
 * caller turns a value still not served into its own one-line error.
 */
export async function readAfterWrite<T>(read: () => Promise<T>, served: (value: T) => boolean, wait: LagWait): Promise<T> {
  let value = await read()
  let waited = 0
  for (const delay of LAG_DELAYS_MS) {
    if (served(value)) break
    await (wait.sleep ?? realSleep)(delay)
    waited += delay
    value = await read()
  }
  if (waited > 0) {
    const outcome = served(value) ? 'served' : 'still did not serve'
    wait.log?.(`ECR ${outcome} ${wait.what} after waiting ${(waited / 1000).toFixed(2)} s for it (read-after-write lag).`)
  }
  return value
}

/** The total bound, for messages. */
export const LAG_BOUND_SECONDS = Math.round(LAG_DELAYS_MS.reduce((sum, ms) => sum + ms, 0) / 1000)

/** The wait of a step that logs through its runner (and whose tests inject `sleep`). */
export function lagWait(
  deps: { readonly runner: { info(message: string): void }; readonly sleep?: ((ms: number) => Promise<void>) | undefined },
  what: string
): LagWait {
  return { what, sleep: deps.sleep, log: (message) => deps.runner.info(message) }
}
