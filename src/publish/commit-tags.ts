import { TagTakenError, type Ecr, type ImageLookup, type ImageRef, type StoredImage } from '../adapters/ecr.js'
import type { Runner } from '../adapters/runner.js'
import { UserError, errorMessage } from '../shared/errors.js'
import { LAG_BOUND_SECONDS, lagWait, readAfterWrite } from '../shared/read-after-write.js'
import { decideOnExistingTags, digestsByTag, type ExistingTags, type IfTagExists } from '../shared/tag-policy.js'
import { manifestShape, proveOwnImage, type BuildMetadata } from './image-proof.js'
import { RefusedError, type OutcomeBase } from './outcome.js'
import { TagsWrittenError, failedAfterTags, writtenTagsNote, type WrittenTags } from './tags-written.js'

/**
 * The only code that writes a tag, for every action (google/go-containerregistry's commitManifest): one
 * last existence check of every tag in the same call that reads the image, the image proven to be the one
 * meant, PutImage of each tag with the exact manifest bytes the registry serves (so the digest cannot
 * change), SHA tag first, then one settle rule and a read-back that every tag serves that digest. Floating
 * tags move last, apart (moveFloatingTags). Nothing before this writes a tag; nothing after it reports a
 * digest the registry has not shown.
 */

/** The repository tags are written in, as openTarget opened it. */
export interface TagTarget {
  readonly ecr: Pick<Ecr, 'getImages' | 'putTag'>
  readonly registryHost: string
  readonly repository: string
  /** Some tag is mutable in this repository: the read-back waits first (settleMutableTags says why). */
  readonly anyMutable: boolean
  readonly runner: Pick<Runner, 'info' | 'warning'>
  /** Waits; injectable so tests of the settle and lag waits do not wait. Default: a real timer. */
  readonly sleep?: ((ms: number) => Promise<void>) | undefined
}

export type ImageToName =
  /**
   * An image this run just uploaded (by digest, or under the classic store's staging tag): the tags must
   * not exist unless if-tag-exists lets another run's identical image be reused.
   */
  | {
      readonly kind: 'uploaded'
      readonly ref: ImageRef
      /** Checks the registry's copy against what the uploader reported, before any tag is written. */
      readonly check?: (image: StoredImage) => void
      /** What the build reported: the registry's copy must be that image (its configs), or no tag is written. */
      readonly build: BuildMetadata
      /**
       * `platform-digests` of the image, read before the first tag, so that a read that fails (a missing
       * permission, a network fault) leaves no tag behind.
       */
      readonly platformsOf: (image: StoredImage) => Promise<Readonly<Record<string, string>>>
    }
  /** An image already in the repository (tags added to a build, a promotion): tags on it are kept, the others written. */
  | {
      readonly kind: 'stored'
      readonly digest: string
      /** This run just copied it: a "not found" is ECR's read-after-write lag, waited for. */
      readonly justWritten: boolean
    }

export interface CommitPolicy {
  /** Every tag that must end up on the image, in writing order (the SHA tag first). */
  readonly tags: readonly string[]
  readonly ifTagExists: IfTagExists
  /** For the summary of a refused run; the build and merge actions have one. */
  readonly base?: OutcomeBase | undefined
}

export type Committed =
  /** Every tag names the image; `added` are those this call wrote. */
  | {
      readonly kind: 'written'
      readonly image: StoredImage
      readonly added: readonly string[]
      readonly platformDigests: Readonly<Record<string, string>>
    }
  /** Another run wrote the same tags first, on an image skip may reuse (uploaded images only). */
  | { readonly kind: 'reused'; readonly digest: string; readonly note: string }

/** What the last check decides: which tags to write, or another run's image to reuse. */
export type CommitPlan =
  | { readonly kind: 'write'; readonly tags: readonly string[] }
  | { readonly kind: 'reuse'; readonly digest: string }
  | { readonly kind: 'refuse'; readonly tag: string; readonly other: string }

/**
 * The last check's decision. A new upload: no tag may exist (all-or-nothing, or reuse under skip). A stored
 * image: tags already on its digest are kept and the rest written; one on another digest refuses them all.
 */
export function planCommit(kind: ImageToName['kind'], tags: readonly string[], existing: ExistingTags, digest: string, ifTagExists: IfTagExists): CommitPlan {
  if (kind === 'uploaded') {
    const decision = decideOnExistingTags(tags, existing, ifTagExists, '')
    if (decision.kind === 'build') return { kind: 'write', tags }
    if (decision.kind === 'reuse') return { kind: 'reuse', digest: decision.digest }
    const tag = tags.find((candidate) => existing.get(candidate) !== undefined) as string
    return { kind: 'refuse', tag, other: existing.get(tag) as string }
  }
  for (const tag of tags) {
    const other = existing.get(tag)
    if (other !== undefined && other !== digest) return { kind: 'refuse', tag, other }
  }
  return { kind: 'write', tags: tags.filter((tag) => existing.get(tag) === undefined) }
}

export async function commitTags(target: TagTarget, image: ImageToName, policy: CommitPolicy): Promise<Committed> {
  const { repository } = target
  const { tags } = policy
  const ref: ImageRef = image.kind === 'uploaded' ? image.ref : { digest: image.digest }
  const name = 'tag' in ref ? `${repository}:${ref.tag}` : `${repository}@${ref.digest}`
  const imageIn = (found: ImageLookup): StoredImage | undefined => ('tag' in ref ? found.byTag.get(ref.tag) : found.byDigest.get(ref.digest))
  const mustAppear = image.kind === 'uploaded' || image.justWritten
  // The last existence check of the tags rides on the read that finds the image, however long ECR takes to show it.
  const lookup = await readAfterWrite(
    () => target.ecr.getImages(repository, [ref, ...tags.map((tag) => ({ tag }))]),
    (found) => !mustAppear || imageIn(found) !== undefined,
    lagWait(target, name)
  )
  // The settle wait measures from the last check's answer.
  const checkedAt = Date.now()
  const stored = imageIn(lookup)
  if (!stored) {
    throw new UserError(
      image.kind === 'uploaded'
        ? `The registry did not serve ${'tag' in ref ? ref.tag : ref.digest} within ${LAG_BOUND_SECONDS} s after it was uploaded; nothing was tagged: re-run the job.`
        : `${name} is not in the repository; nothing was tagged. Check the digest, or upload the image first.`
    )
  }
  let platformDigests: Readonly<Record<string, string>> = {}
  if (image.kind === 'uploaded') {
    image.check?.(stored)
    await proveImage(target, image.build, stored, name)
    platformDigests = await image.platformsOf(stored)
  }
  const plan = planCommit(image.kind, tags, digestsByTag(lookup.byTag), stored.digest, policy.ifTagExists)
  if (plan.kind === 'reuse') return reuse(target, plan.digest)
  if (plan.kind === 'refuse') throw refusal(target, image.kind, policy, plan.tag, plan.other, stored.digest)

  const added: string[] = []
  // What names the digest once a write fails: the tags already on it and those this call wrote.
  const naming = (): WrittenTags => ({
    registryHost: target.registryHost,
    repository,
    digest: stored.digest,
    tags: tags.filter((tag) => added.includes(tag) || !plan.tags.includes(tag))
  })
  for (const tag of plan.tags) {
    try {
      await target.ecr.putTag(repository, tag, stored)
      added.push(tag)
    } catch (error) {
      if (!(error instanceof TagTakenError)) {
        if (added.length === 0) throw error
        throw halfWritten(error, added, naming(), tags)
      }
      const taken = await takenTag(target, image.kind, policy, tag, stored.digest, added)
      if (taken === 'already-ours') continue
      if (taken.kind === 'reused') return taken
      throw added.length ? failedAfterTags(taken.error, naming()) : taken.error
    }
  }
  if (target.anyMutable) await settleMutableTags(target, checkedAt)
  await verifyTags(target, tags, stored.digest)
  return { kind: 'written', image: stored, added, platformDigests }
}

/** The image's configs (one, or each platform's of an index) against what the build reported. */
async function proveImage(target: TagTarget, build: BuildMetadata, image: StoredImage, name: string): Promise<void> {
  const shape = manifestShape(image.manifest)
  let configs: string[]
  if (shape.kind === 'image') {
    configs = [shape.configDigest]
  } else {
    const children = await readAfterWrite(
      () =>
        target.ecr.getImages(
          target.repository,
          shape.platformManifests.map((digest) => ({ digest }))
        ),
      (found) => [...found.byDigest.values()].every((child) => child !== undefined),
      lagWait(target, `the platform images of ${target.repository}@${image.digest}`)
    )
    configs = [...children.byDigest.values()].flatMap((child) => {
      if (!child) return []
      const childShape = manifestShape(child.manifest)
      return childShape.kind === 'image' ? [childShape.configDigest] : []
    })
  }
  const proof = proveOwnImage({ build, servedDigest: image.digest, servedConfigDigests: configs })
  if (!proof.ok) throw anotherWriter(name, `the registry ${proof.reason}`)
}

function reuse(target: TagTarget, digest: string): Extract<Committed, { kind: 'reused' }> {
  const note = `another run pushed the same tags first while this one was building; reusing ${digest}`
  target.runner.info(`${note[0]?.toUpperCase()}${note.slice(1)}.`)
  return { kind: 'reused', digest, note }
}

/** A tag the last check found on another image: nothing was written. */
function refusal(target: TagTarget, kind: ImageToName['kind'], policy: CommitPolicy, tag: string, other: string, digest: string): UserError {
  if (kind === 'uploaded') {
    return new RefusedError(
      `Another run pushed ${tag} first (digest ${other}) while this one was building; nothing was overwritten and this run pushed no tag.`,
      policy.base
    )
  }
  return otherDigest(target.repository, tag, other, digest, [])
}

/**
 * ECR refused a write: the tag exists (IMMUTABLE: another run wrote it since the last check). ECR said it
 * exists, so "not found" is lag, waited for. On a stored image a tag that names this digest is harmless;
 * a new upload refused on its first tag is reused under skip when another run's image holds every tag.
 */
async function takenTag(
  target: TagTarget,
  kind: ImageToName['kind'],
  policy: CommitPolicy,
  tag: string,
  digest: string,
  added: readonly string[]
): Promise<'already-ours' | Extract<Committed, { kind: 'reused' }> | { kind: 'refused'; error: UserError }> {
  const recheckAll = kind === 'uploaded' && added.length === 0 && policy.ifTagExists === 'skip'
  const lookup = await readAfterWrite(
    () =>
      target.ecr.getImages(
        target.repository,
        (recheckAll ? policy.tags : [tag]).map((each) => ({ tag: each }))
      ),
    (found) => found.byTag.get(tag) !== undefined,
    lagWait(target, `${target.repository}:${tag}`)
  ).catch((error: unknown) => {
    // Only to name the other run's digest in the refusal: one that cannot be read is "unknown".
    if (kind === 'uploaded' && !recheckAll) return undefined
    throw error
  })
  const now = lookup?.byTag.get(tag)?.digest
  if (kind === 'stored')
    return now === digest ? 'already-ours' : { kind: 'refused', error: otherDigest(target.repository, tag, now ?? 'unknown', digest, added) }
  if (recheckAll) {
    const plan = planCommit('uploaded', policy.tags, digestsByTag(lookup?.byTag ?? new Map()), digest, 'skip')
    if (plan.kind === 'reuse') return reuse(target, plan.digest)
    if (plan.kind === 'refuse') return { kind: 'refused', error: refusal(target, kind, policy, plan.tag, plan.other, digest) }
  }
  const first = `Another run pushed ${tag} first (digest ${now ?? 'unknown'}); it was not overwritten.`
  if (added.length === 0) return { kind: 'refused', error: new RefusedError(first, policy.base) }
  return { kind: 'refused', error: new UserError(`${first} This run had already written ${added.join(', ')}; those tags keep this run's image.`) }
}

/**
 * A write failed after others succeeded. Written tags are never taken back (that would change a tag), and
 * if-tag-exists: skip adds the missing ones to this image and to no other, so the message says how to finish.
 */
function halfWritten(error: unknown, added: readonly string[], named: WrittenTags, tags: readonly string[]): TagsWrittenError {
  const missing = tags.filter((tag) => !named.tags.includes(tag))
  return new TagsWrittenError(
    `${errorMessage(error).replace(/\.?$/, '.')} This run had already written ${added.join(', ')} (${named.digest}), which keep this image; ${missing.join(', ')} ${missing.length === 1 ? 'was' : 'were'} not written: re-run the job with if-tag-exists: skip, which adds ${missing.length === 1 ? 'it' : 'them'} to this image and to no other (README: Troubleshooting, "had already written"). ${writtenTagsNote(named)}`,
    named
  )
}

function otherDigest(repository: string, tag: string, other: string, digest: string, added: readonly string[]): UserError {
  const partial = added.length ? ` This run had already written ${added.join(', ')} onto ${digest}; those keep it.` : ' Nothing was written.'
  return new UserError(
    `${repository}:${tag} already names ${other}, not ${digest}; tags are never moved.${partial} Use another tag, or promote ${other} instead.`
  )
}

/** A tag that names something other than the image this run wrote (or was about to write) it onto. */
export function anotherWriter(ref: string, detail: string): UserError {
  return new UserError(
    `Another writer changed ${ref} during this run: ${detail}. No digest is reported; make the repository IMMUTABLE and serialize runs with the workflow 'concurrency:' key.`
  )
}

/**
 * ECR has no compare-and-swap, so on MUTABLE tags another run whose last check came just before our
 * write can still land its own write just after it. Such a write leaves the other run's check at most
 * about as long before its write as ours took (same code, same registry), so waiting that long, three
 * times over and at least MUTABLE_SETTLE_MIN_MS, before the final read lets the overwritten run see it
 * and fail instead of reporting a digest the tag no longer holds. IMMUTABLE tags need no wait.
 */
export const MUTABLE_SETTLE_MIN_MS = 250
const MUTABLE_SETTLE_MAX_MS = 3000

async function settleMutableTags(target: TagTarget, checkedAt: number): Promise<void> {
  const ownGap = Date.now() - checkedAt
  await sleepOf(target)(Math.min(MUTABLE_SETTLE_MAX_MS, Math.max(MUTABLE_SETTLE_MIN_MS, 3 * ownGap)))
}

/**
 * The final read: every tag, as the registry serves it now, names the image. A tag not found yet is lag
 * (waited for); a tag naming another digest is a race, refused at once.
 */
async function verifyTags(target: TagTarget, tags: readonly string[], digest: string): Promise<void> {
  const served = await readAfterWrite(
    () =>
      target.ecr.getImages(
        target.repository,
        tags.map((tag) => ({ tag }))
      ),
    (found) => tags.every((tag) => found.byTag.get(tag) !== undefined),
    lagWait(target, `the tags ${tags.join(', ')} of ${target.repository}`)
  )
  for (const tag of tags) {
    const now = served.byTag.get(tag)?.digest
    if (now !== digest) throw anotherWriter(`${target.repository}:${tag}`, `the registry serves ${now ?? 'nothing'} for it, not ${digest}`)
  }
}

/**
 * Floating tags (`latest`) move onto the image once every immutable tag is proven, then are read back. One
 * another run moved again since is a warning, not a failure: the newer run owns it now.
 */
export async function moveFloatingTags(target: TagTarget, digest: string, floating: readonly string[]): Promise<void> {
  if (floating.length === 0 || !digest) return
  const { repository } = target
  const image = (await target.ecr.getImages(repository, [{ digest }])).byDigest.get(digest)
  if (!image)
    throw new UserError(`${repository}@${digest} is no longer in the repository, so floating-tags ${floating.join(', ')} were not moved; re-run the job.`)
  for (const tag of floating) await target.ecr.putTag(repository, tag, image)
  // A tag not found right after it was written is ECR's read-after-write lag (waited for); another digest is another run.
  const served = await readAfterWrite(
    () =>
      target.ecr.getImages(
        repository,
        floating.map((tag) => ({ tag }))
      ),
    (found) => floating.every((tag) => found.byTag.get(tag) !== undefined),
    lagWait(target, `the floating tags ${floating.join(', ')} of ${repository}`)
  )
  for (const tag of floating) {
    const now = served.byTag.get(tag)?.digest
    if (now !== image.digest)
      target.runner.warning(
        `${repository}:${tag} names ${now ?? 'nothing'} right after this run moved it to ${image.digest}: another run moved it since. Serialize runs with the workflow 'concurrency:' key.`
      )
  }
  target.runner.info(`Floating tags on ${digest}: moved ${floating.join(', ')}.`)
}

function sleepOf(target: TagTarget): (ms: number) => Promise<void> {
  return target.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)))
}
