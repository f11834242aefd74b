import type { Runner } from './adapters/runner.js'
import { UserError, errorMessage, oneLine } from './errors.js'

/**
 * How the steps of the build, merge and promote actions end. The job summary is a courtesy: a summary that
 * cannot be written is a warning, never the step's failure.
 */
export async function writeSummary(runner: Pick<Runner, 'writeSummary' | 'warning'>, markdown: string, what = 'the job summary'): Promise<void> {
  try {
    await runner.writeSummary(markdown)
  } catch (error) {
    runner.warning(`Could not write ${what}: ${errorMessage(error)}`)
  }
}

/**
 * The step fails with one line (an input value with a newline must not split the annotation). A user's
 * mistake needs no stack; a bug's stack goes to the debug log, for whoever re-runs the job with debug logging.
 */
export function failStep(runner: Pick<Runner, 'debug' | 'setFailed'>, error: unknown): void {
  if (!(error instanceof UserError) && error instanceof Error && error.stack) runner.debug(error.stack)
  runner.setFailed(oneLine(errorMessage(error), Number.POSITIVE_INFINITY))
}
