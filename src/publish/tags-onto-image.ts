import { TagTakenError, type Ecr, type StoredImage } from '../adapters/ecr.js'
import { UserError, errorMessage } from '../shared/errors.js'
import { readAfterWrite, type LagWait } from '../shared/read-after-write.js'
import type { ExistingTags } from '../shared/tag-policy.js'
import { failedAfterTags, type WrittenTags } from './tags-written.js'
import { MUTABLE_SETTLE_MIN_MS, digestsByTag } from './tag-writer.js'

/**
 * Writes tags onto an image already stored in the repository (tags added to a build, a promotion):
 * the last existence check and the image's manifest in one call, PutImage of each missing tag with the
 * exact bytes the registry serves (so the digest cannot change), then a read-back of every tag.
 */

export type WritePlan =
  { readonly kind: 'write'; readonly missing: readonly string[] } | { readonly kind: 'refuse'; readonly tag: string; readonly other: string }

/** Tags already on the digest are kept; absent ones are written; one on another digest refuses them all. */
export function planTagWrites(tags: readonly string[], existing: ExistingTags, digest: string): WritePlan {
  for (const tag of tags) {
    const other = existing.get(tag)
    if (other !== undefined && other !== digest) return { kind: 'refuse', tag, other }
  }
  return { kind: 'write', missing: tags.filter((tag) => existing.get(tag) === undefined) }
}

export interface TagsOntoImage {
  readonly ecr: Pick<Ecr, 'getImages' | 'putTag'>
  /** For the outputs of a step that fails after some tags were written. */
  readonly registryHost: string
  readonly repository: string
  readonly digest: string
  /** Every tag that must end up on the digest, in writing order (the SHA tag first). */
  readonly tags: readonly string[]
  /** Some of the tags are mutable in this repository: wait before the read-back (tag-writer.ts says why). */
  readonly anyMutable: boolean
  /** This run just copied the image: a "not found" for it is ECR's read-after-write lag, waited for. */
  readonly justWritten?: boolean
  readonly sleep?: (ms: number) => Promise<void>
  /** Says how long ECR's read-after-write lag was waited for. */
  readonly log?: (message: string) => void
}

export interface TagsWritten {
  readonly image: StoredImage
  /** The tags this call wrote; the others were already on the digest. */
  readonly added: readonly string[]
}

export async function writeTagsOntoImage(request: TagsOntoImage): Promise<TagsWritten> {
  const { ecr, repository, digest, tags } = request
  const lag = (what: string): LagWait => ({ what, sleep: request.sleep, log: request.log })
  const lookup = await readAfterWrite(
    () => ecr.getImages(repository, [{ digest }, ...tags.map((tag) => ({ tag }))]),
    (found) => !request.justWritten || found.byDigest.get(digest) !== undefined,
    lag(`${repository}@${digest}`)
  )
  const image = lookup.byDigest.get(digest)
  if (!image) throw new UserError(`${repository}@${digest} is not in the repository; nothing was tagged. Check the digest, or upload the image first.`)
  const plan = planTagWrites(tags, digestsByTag(lookup.byTag), digest)
  if (plan.kind === 'refuse') throw otherDigest(repository, plan.tag, plan.other, digest, [])
  const added: string[] = []
  // What names the digest once a write fails: the tags already on it and those this call wrote.
  const naming = (): WrittenTags => ({
    registryHost: request.registryHost,
    repository,
    digest,
    tags: tags.filter((tag) => added.includes(tag) || !plan.missing.includes(tag))
  })
  for (const tag of plan.missing) {
    try {
      await ecr.putTag(repository, tag, image)
      added.push(tag)
    } catch (error) {
      if (!(error instanceof TagTakenError)) {
        if (added.length === 0) throw error
        throw failedAfterTags(
          `${errorMessage(error).replace(/\.?$/, '.')} This run had already written ${added.join(', ')} onto ${digest}; re-run to add the rest.`,
          naming()
        )
      }
      // An immutable tag written by someone else since the check: harmless only if it names this digest.
      // ECR said the tag exists, so "not found" is lag.
      const now = (
        await readAfterWrite(
          () => ecr.getImages(repository, [{ tag }]),
          (found) => found.byTag.get(tag) !== undefined,
          lag(`${repository}:${tag}`)
        )
      ).byTag.get(tag)?.digest
      if (now !== digest) {
        const refusal = otherDigest(repository, tag, now ?? 'unknown', digest, added)
        throw added.length ? failedAfterTags(refusal, naming()) : refusal
      }
    }
  }
  if (request.anyMutable) await (request.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms))))(MUTABLE_SETTLE_MIN_MS)
  // Not found yet is lag (waited for); another digest is a race (refused below).
  const served = await readAfterWrite(
    () =>
      ecr.getImages(
        repository,
        tags.map((tag) => ({ tag }))
      ),
    (found) => tags.every((tag) => found.byTag.get(tag) !== undefined),
    lag(`the tags ${tags.join(', ')} of ${repository}`)
  )
  for (const tag of tags) {
    const now = served.byTag.get(tag)?.digest
    if (now !== digest) {
      throw new UserError(
        `Another writer changed ${repository}:${tag} during this run: it names ${now ?? 'nothing'}, not ${digest}. No digest is reported; make the repository IMMUTABLE and serialize runs with the workflow 'concurrency:' key.`
      )
    }
  }
  return { image, added }
}

function otherDigest(repository: string, tag: string, other: string, digest: string, added: readonly string[]): UserError {
  const partial = added.length ? ` This run had already written ${added.join(', ')} onto ${digest}; those keep it.` : ' Nothing was written.'
  return new UserError(
    `${repository}:${tag} already names ${other}, not ${digest}; tags are never moved.${partial} Use another tag, or promote ${other} instead.`
  )
}
