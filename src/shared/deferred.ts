import { errorMessage } from './errors.js'

/** The value of a settled promise, or its failure thrown. */
export function unwrap<T>(result: PromiseSettledResult<T>): T {
  if (result.status === 'rejected') throw result.reason
  return result.value
}

/**
 * Starts work now and surfaces its failure only when (and if) its value is needed, so a look-up that
 * a refusal makes pointless cannot fail the run, and no rejection goes unhandled meanwhile.
 */
export function deferred<T>(promise: Promise<T>): { value: () => Promise<T> } {
  const settled = promise.then(
    (value) => ({ ok: true as const, value }),
    (error: unknown) => ({ ok: false as const, error })
  )
  return {
    value: async () => {
      const outcome = await settled
      if (!outcome.ok) throw outcome.error instanceof Error ? outcome.error : new Error(errorMessage(outcome.error))
      return outcome.value
    }
  }
}
