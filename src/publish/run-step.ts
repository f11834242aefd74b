import { createRunner, type Runner } from '../adapters/runner.js'
import { UserError, errorMessage, oneLine } from '../shared/errors.js'
import { moveFloatingTags, type TagTarget } from './commit-tags.js'
import { RefusedError } from './outcome.js'
import { TagsWrittenError, failedAfterTags, writtenTagsOutputs, type WrittenTags } from './tags-written.js'

/**
 * How every step of the build, merge and promote actions starts and ends (docker/actions-toolkit's
 * `run(main, post)`): one entry shape, one place where anything thrown becomes the step's failure, one
 * report shape once an image is in the repository.
 */

/**
 * The entry of an action's bundle. Each step loads only its own code (the post step never loads the AWS
 * SDK); the main step saves `isPost`, so only the post step sees it.
 */
export function startStep(steps: { readonly main: () => Promise<{ run(): Promise<void> }>; readonly post?: () => Promise<{ post(): void }> }): void {
  const runner = createRunner()
  const step = steps.post && runner.getState(POST_STATE) === 'true' ? steps.post().then((module) => module.post()) : steps.main().then((module) => module.run())
  // Last resort (a chunk that fails to load): still one escaped annotation, so no text of the error can end
  // the command early or start a workflow command of its own. The step ends once its work is done (every
  // write, output and clean-up is awaited inside it): a look-up started in parallel that the outcome made
  // pointless, such as `docker info` on the skip path (about 120 ms), must not hold it open. process.exit
  // keeps the exit code core.setFailed set.
  void step.catch((error: unknown) => runner.setFailed(oneLine(errorMessage(error), Number.POSITIVE_INFINITY))).finally(() => process.exit())
}

/** The GITHUB_STATE name main sets so that the same bundle knows it runs as the post step. */
export const POST_STATE = 'isPost'

export interface StepEnd {
  /** Declared outputs a failure after tags were written still sets (digest, image, tags where declared). */
  readonly writtenOutputs?: readonly string[]
  /** The summary of a run refused before it wrote anything (a tag already exists). */
  readonly refusedSummary?: (error: RefusedError) => string | undefined
}

/**
 * Runs a main step: anything it throws fails the step with one line; a refusal still writes its summary;
 * a failure after tags were written still sets the outputs that name what those tags name.
 */
export async function runStep(runner: Runner, main: () => Promise<void>, end: StepEnd = {}): Promise<void> {
  try {
    await main()
  } catch (error) {
    const refused = error instanceof RefusedError ? end.refusedSummary?.(error) : undefined
    if (refused) await writeSummary(runner, refused)
    failStep(runner, error, end.writtenOutputs)
  }
}

/** What a step that stored an image reports, in this order, so that a later failure still names the image. */
export interface Published {
  readonly outputs: Readonly<Record<string, string>>
  /** What the immutable tags name; undefined when nothing was named (push: false, an untagged upload). */
  readonly named: WrittenTags | undefined
  /** Floating tags to move onto the named image, last. */
  readonly floating: { readonly target: TagTarget; readonly tags: readonly string[] } | undefined
  readonly imageLine: string
  readonly summary: string
}

/**
 * Outputs first; then the floating tags (if moving one fails, the step still says what its tags name);
 * then the log line and the job summary.
 */
export async function reportPublished(runner: Runner, published: Published): Promise<void> {
  for (const [name, value] of Object.entries(published.outputs)) runner.setOutput(name, value)
  const { floating, named } = published
  if (floating && named) {
    await moveFloatingTags(floating.target, named.digest, floating.tags).catch((error: unknown) => {
      throw named.tags.length ? failedAfterTags(error, named) : error
    })
  }
  runner.info(published.imageLine)
  await writeSummary(runner, published.summary)
}

/**
 * The job summary is a courtesy: a summary that cannot be written is a warning, never the step's failure.
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
