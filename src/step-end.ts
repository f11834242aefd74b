import type { Runner } from './adapters/runner.js'
import { errorMessage } from './errors.js'

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
