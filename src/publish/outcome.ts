import { UserError } from '../shared/errors.js'

/**
 * How a run of the build or merge action ends, one shape per result, and the refusal that still writes a
 * summary. The promote action reports its own shape (promote/promotion.ts).
 */

/** What is known of a run once the registry has been asked: enough to report a refusal. */
export interface OutcomeBase {
  readonly registryHost: string
  readonly repository: string
  readonly shaTag: string
  readonly tags: readonly string[]
}

/** What a build adds to an outcome; a reuse that built nothing has '' and undefined. */
interface BuildFacts {
  /** buildx's metadata JSON. */
  readonly metadata: string
  readonly buildSeconds: number | undefined
}

/** An image that is in the repository: what every deploy step needs. */
interface StoredFacts {
  /** The digest every tag points to (untagged: the uploaded image's). */
  readonly digest: string
  /** Runnable image per platform (`linux/amd64` → digest), attestations left out. */
  readonly platformDigests: Readonly<Record<string, string>>
}

/**
 * How a run ended, one shape per result: only a stored image has a digest, only a build has metadata.
 * - pushed: this run wrote the tags; uploaded: by digest, untagged (untagged: true), for the merge action;
 * - reused: every tag already named one image, or this run added the missing ones to it (tagsAdded);
 * - built: push: false; refused: a tag already exists, nothing written.
 */
export type Outcome =
  | (OutcomeBase & StoredFacts & BuildFacts & { readonly result: 'pushed' | 'uploaded' })
  | (OutcomeBase &
      StoredFacts &
      BuildFacts & {
        readonly result: 'reused'
        /** Why a built image was not the one named (another run won the race). */
        readonly note?: string | undefined
        /** Tags this run wrote onto the image that was already stored; none when absent. */
        readonly tagsAdded?: readonly string[]
      })
  | (OutcomeBase & BuildFacts & { readonly result: 'built'; readonly note: string })
  | (OutcomeBase & { readonly result: 'refused'; readonly note: string })

export type Result = Outcome['result']

/** An outcome with an image in the repository (everything but built and refused). */
export type StoredOutcome = Extract<Outcome, { readonly digest: string }>

/** The image's digest, or '' when nothing is in the repository (push: false, refused). */
export function storedDigest(outcome: Outcome): string {
  return 'digest' in outcome ? outcome.digest : ''
}

/** The run refused to touch a tag; main still writes the summary before failing the step. */
export class RefusedError extends UserError {
  constructor(
    message: string,
    readonly outcome: OutcomeBase | undefined
  ) {
    super(message)
  }
}
