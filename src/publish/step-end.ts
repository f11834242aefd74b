import type { Runner } from '../adapters/runner.js'
import { UserError, errorMessage, oneLine } from '../shared/errors.js'
import { TagsWrittenError, writtenTagsOutputs } from './tags-written.js'

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
 * A failure after tags were written still sets digest, image and tags to what those tags name.
 */
export function failStep(
  runner: Pick<Runner, 'debug' | 'setFailed' | 'setOutput'>,
  error: unknown,
  declared: readonly string[] = ['digest', 'image', 'tags']
): void {
  if (!(error instanceof UserError) && error instanceof Error && error.stack) runner.debug(error.stack)
  if (error instanceof TagsWrittenError) {
    for (const [name, value] of Object.entries(writtenTagsOutputs(error.written))) if (declared.includes(name)) runner.setOutput(name, value)
  }
  runner.setFailed(oneLine(errorMessage(error), Number.POSITIVE_INFINITY))
}
