/**
 * The waiting shared by the gates that hold the tags until ECR has finished something about the
 * uploaded images (the scan gate, the signing gate): look at every image still unsettled, sleep, look
 * again, and once past the deadline look one last time, when each look must settle or throw.
 */

/** Seconds before the next look: quick at first (basic scans and signatures of small images take seconds), then every 10 s. */
export function pollDelaySeconds(attempt: number, secondsLeft: number): number {
  return Math.max(0, Math.min(attempt + 1, 10, secondsLeft))
}

export interface PollOptions {
  readonly timeoutSeconds: number
  readonly sleep?: ((ms: number) => Promise<void>) | undefined
  readonly clock?: (() => number) | undefined
}

/**
 * Calls `look(item, timedOut)` for each item until every look has returned true (settled). Once
 * timedOut is true, a look must settle or throw soon (the passes then follow without a pause): they
 * decide what a timeout means for the item.
 * `waiting` hears the items still unsettled and the seconds elapsed before each sleep.
 */
export async function pollEach<T>(
  items: readonly T[],
  options: PollOptions,
  look: (item: T, timedOut: boolean) => Promise<boolean>,
  waiting: (items: readonly T[], elapsedSeconds: number) => void
): Promise<void> {
  const clock = options.clock ?? Date.now
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)))
  const startedAt = clock()
  const deadline = startedAt + options.timeoutSeconds * 1000
  let unsettled = [...items]
  for (let attempt = 0; ; attempt++) {
    const timedOut = clock() >= deadline
    const next: T[] = []
    for (const item of unsettled) if (!(await look(item, timedOut))) next.push(item)
    unsettled = next
    if (unsettled.length === 0) return
    waiting(unsettled, Math.round((clock() - startedAt) / 1000))
    // One more look after the deadline decides what the timeout means.
    await sleep(pollDelaySeconds(attempt, Math.max(Math.ceil((deadline - clock()) / 1000), 0)) * 1000)
  }
}
