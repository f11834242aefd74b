import { UserError, errorMessage } from '../shared/errors.js'

/**
 * A step that fails after it wrote tags must still say what those tags name: a tag is never taken back,
 * so a deploy step (or a person) reading the outputs gets the image the registry now serves under them.
 */

export interface WrittenTags {
  readonly registryHost: string
  readonly repository: string
  /** The image every tag in `tags` names. */
  readonly digest: string
  /** The tags that name it now (written by this run, or already there); SHA tag first. */
  readonly tags: readonly string[]
}

/** The failure of a step whose tags were written; failStep sets the digest, image and tags outputs from it. */
export class TagsWrittenError extends UserError {
  constructor(
    message: string,
    readonly written: WrittenTags
  ) {
    super(message)
  }
}

/** "The tags a, b name sha256:…: the step's digest and image outputs name it." */
export function writtenTagsNote(written: WrittenTags): string {
  const [first] = written.tags
  const which = written.tags.length === 1 ? `The tag ${first ?? ''} names` : `The tags ${written.tags.join(', ')} name`
  return `${which} ${written.digest}: the step's digest and image outputs name it.`
}

/** The error of a step that failed after writing tags, with the one-line note of what they name. */
export function failedAfterTags(error: unknown, written: WrittenTags): TagsWrittenError {
  if (error instanceof TagsWrittenError) return error
  return new TagsWrittenError(`${errorMessage(error).replace(/\.?$/, '.')} ${writtenTagsNote(written)}`, written)
}

/** The outputs a failed step still sets: what the written tags name. */
export function writtenTagsOutputs(written: WrittenTags): { digest: string; image: string; tags: string } {
  return { digest: written.digest, image: `${written.registryHost}/${written.repository}@${written.digest}`, tags: written.tags.join(',') }
}
