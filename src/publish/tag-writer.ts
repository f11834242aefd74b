import { TagTakenError, type ImageLookup, type ImageRef, type StoredImage } from '../adapters/ecr.js'
import { UserError, errorMessage } from '../shared/errors.js'
import { manifestShape, proveOwnImage, type BuildMetadata } from './image-proof.js'
import { LAG_BOUND_SECONDS, readAfterWrite } from '../shared/read-after-write.js'
import { RefusedError, type OutcomeBase, type RunContext } from '../build/run-context.js'
import { decideOnExistingTags, type ExistingTags } from '../shared/tag-policy.js'
import { TagsWrittenError, failedAfterTags, writtenTagsNote } from './tags-written.js'

/**
 * The protocol that names an image already in the repository: one last existence check of every tag
 * (in the same call that fetches the uploaded image), proof that the image is this build, PutImage of
 * each tag (SHA tag first), then a read-back that every tag serves that digest. Nothing before this
 * writes a tag; nothing after it reports a digest the registry has not shown.
 */

export type TagContext = Pick<RunContext, 'inputs' | 'tags' | 'ecr' | 'runner' | 'sleep'>

export type Naming =
  /** This run wrote every tag onto its image; platformDigests were read before the first tag. */
  | { readonly kind: 'written'; readonly image: StoredImage; readonly platformDigests: Readonly<Record<string, string>> }
  /** Another run wrote the same tags first, on an image skip may reuse. */
  | { readonly kind: 'reused'; readonly digest: string; readonly note: string }

export interface UploadedImage {
  /** How to find it: by digest, or by the staging tag the engine pushed it under. */
  readonly ref: ImageRef
  /** Checks the registry's copy against what the uploader reported, before any tag is written. */
  readonly check?: (image: StoredImage) => void
  /**
   * `platform-digests` of the image (a single manifest's platform is in its config): read here, before the
   * first tag, so that a read that fails (a missing permission, a network fault) leaves no tag behind.
   */
  readonly platformsOf: (image: StoredImage) => Promise<Readonly<Record<string, string>>>
}

export async function nameUploadedImage(
  ctx: TagContext,
  base: OutcomeBase,
  build: BuildMetadata,
  uploaded: UploadedImage,
  anyMutable: boolean
): Promise<Naming> {
  const label = 'tag' in uploaded.ref ? uploaded.ref.tag : uploaded.ref.digest
  const { ref } = uploaded
  const imageIn = (found: ImageLookup): StoredImage | undefined => ('tag' in ref ? found.byTag.get(ref.tag) : found.byDigest.get(ref.digest))
  // The last existence check of the tags rides on the read that finds the upload, however long ECR takes to show it.
  const lookup = await readAfterWrite(
    () => ctx.ecr.getImages(ctx.inputs.repository, [ref, ...ctx.tags.all.map((tag) => ({ tag }))]),
    (found) => imageIn(found) !== undefined,
    lagWait(ctx, `${ctx.inputs.repository}:${label}`)
  )
  // The settle wait measures from the re-check's answer.
  const recheckedAt = Date.now()
  const image = imageIn(lookup)
  if (!image)
    throw new UserError(`The registry did not serve ${label} within ${LAG_BOUND_SECONDS} s after it was uploaded; nothing was tagged: re-run the job.`)
  uploaded.check?.(image)
  await proveImage(ctx, build, image, label)
  const platformDigests = await uploaded.platformsOf(image)
  const raced = raceOutcome(ctx, base, digestsByTag(lookup.byTag))
  if (raced) return raced
  const reused = await writeTags(ctx, base, image)
  if (reused) return reused
  await verifyAllTags(ctx, image.digest, anyMutable ? recheckedAt : undefined)
  return { kind: 'written', image, platformDigests }
}

/** How tag-writing waits for ECR's read-after-write lag (read-after-write.ts). */
export function lagWait(ctx: Pick<RunContext, 'runner' | 'sleep'>, what: string): { what: string; sleep: RunContext['sleep']; log: (message: string) => void } {
  return { what, sleep: ctx.sleep, log: (message) => ctx.runner.info(message) }
}

export function digestsByTag(byTag: ReadonlyMap<string, StoredImage | undefined>): ExistingTags {
  return new Map([...byTag].map(([tag, image]) => [tag, image?.digest]))
}

export function anotherWriter(ref: string, detail: string): UserError {
  return new UserError(
    `Another writer changed ${ref} during this run: ${detail}. No digest is reported; make the repository IMMUTABLE and serialize runs with the workflow 'concurrency:' key.`
  )
}

async function proveImage(ctx: TagContext, build: BuildMetadata, image: StoredImage, ref: string): Promise<void> {
  const shape = manifestShape(image.manifest)
  let configs: string[]
  if (shape.kind === 'image') {
    configs = [shape.configDigest]
  } else {
    const children = await readAfterWrite(
      () =>
        ctx.ecr.getImages(
          ctx.inputs.repository,
          shape.platformManifests.map((digest) => ({ digest }))
        ),
      (found) => [...found.byDigest.values()].every((child) => child !== undefined),
      lagWait(ctx, `the platform images of ${ctx.inputs.repository}@${image.digest}`)
    )
    configs = [...children.byDigest.values()].flatMap((child) => {
      if (!child) return []
      const childShape = manifestShape(child.manifest)
      return childShape.kind === 'image' ? [childShape.configDigest] : []
    })
  }
  const proof = proveOwnImage({ build, servedDigest: image.digest, servedConfigDigests: configs })
  if (!proof.ok) throw anotherWriter(ref, `the registry ${proof.reason}`)
}

/**
 * Reads every tag again after ECR refused one of our writes, to see whether skip can reuse the winner.
 * ECR said the tag exists, so a "not found" for it is lag (a run right after another): waited for.
 */
async function recheckTags(ctx: TagContext, base: OutcomeBase, taken: string): Promise<Naming | undefined> {
  const lookup = await readAfterWrite(
    () =>
      ctx.ecr.getImages(
        ctx.inputs.repository,
        ctx.tags.all.map((tag) => ({ tag }))
      ),
    (found) => found.byTag.get(taken) !== undefined,
    lagWait(ctx, `${ctx.inputs.repository}:${taken}`)
  )
  return raceOutcome(ctx, base, digestsByTag(lookup.byTag))
}

function raceOutcome(ctx: TagContext, base: OutcomeBase, existing: ExistingTags): Naming | undefined {
  const decision = decideOnExistingTags(ctx.tags.all, existing, ctx.inputs.ifTagExists, ctx.inputs.repository)
  if (decision.kind === 'build') return undefined
  if (decision.kind === 'reuse') {
    const note = `another run pushed the same tags first while this one was building; reusing ${decision.digest}`
    ctx.runner.info(`${note[0]?.toUpperCase()}${note.slice(1)}.`)
    return { kind: 'reused', digest: decision.digest, note }
  }
  const first = ctx.tags.all.find((tag) => existing.get(tag) !== undefined) as string
  throw new RefusedError(
    `Another run pushed ${first} first (digest ${existing.get(first)}) while this one was building; nothing was overwritten and this run pushed no tag.`,
    base
  )
}

/**
 * Writes the tags SHA tag first. ECR refusing one (IMMUTABLE: another run wrote it first) ends the
 * run; under skip the other run's image is reused when it already holds every tag.
 */
async function writeTags(ctx: TagContext, base: OutcomeBase, image: StoredImage): Promise<Naming | undefined> {
  const written: string[] = []
  for (const tag of ctx.tags.all) {
    try {
      await ctx.ecr.putTag(ctx.inputs.repository, tag, image)
      written.push(tag)
    } catch (error) {
      if (!(error instanceof TagTakenError)) {
        if (written.length === 0) throw error
        throw halfTagged(ctx, base, image.digest, written, error)
      }
      if (written.length === 0 && ctx.inputs.ifTagExists === 'skip') {
        const raced = await recheckTags(ctx, base, tag)
        if (raced) return raced
      }
      throw await pushedFirst(ctx, base, tag, image.digest, written)
    }
  }
  return undefined
}

/**
 * A write failed after others succeeded. Written tags are never taken back (that would change a tag),
 * and a re-run refuses a half-present tag set, so the message says how to finish by hand.
 */
function halfTagged(ctx: TagContext, base: OutcomeBase, digest: string, written: readonly string[], error: unknown): TagsWrittenError {
  const missing = ctx.tags.all.filter((tag) => !written.includes(tag))
  const tags = { registryHost: base.registryHost, repository: base.repository, digest, tags: written }
  return new TagsWrittenError(
    `${errorMessage(error).replace(/\.?$/, '.')} This run had already written ${written.join(', ')} (${digest}), which keep this image; ${missing.join(', ')} ${missing.length === 1 ? 'was' : 'were'} not written: re-run the job with if-tag-exists: skip, which adds ${missing.length === 1 ? 'it' : 'them'} to this image and to no other (README: Troubleshooting, "had already written"). ${writtenTagsNote(tags)}`,
    tags
  )
}

async function pushedFirst(
  ctx: TagContext,
  base: OutcomeBase,
  tag: string,
  ownDigest: string,
  written: readonly string[] = []
): Promise<RefusedError | TagsWrittenError> {
  const lookup = await ctx.ecr.getImages(ctx.inputs.repository, [{ tag }]).catch(() => undefined)
  const digest = lookup?.byTag.get(tag)?.digest ?? 'unknown'
  const refusal = `Another run pushed ${tag} first (digest ${digest}); it was not overwritten.`
  if (written.length === 0) return new RefusedError(refusal, base)
  return failedAfterTags(`${refusal} This run had already written ${written.join(', ')}; those tags keep this run's image.`, {
    registryHost: base.registryHost,
    repository: base.repository,
    digest: ownDigest,
    tags: written
  })
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

async function settleMutableTags(ctx: TagContext, recheckedAt: number): Promise<void> {
  const ownGap = Date.now() - recheckedAt
  const wait = Math.min(MUTABLE_SETTLE_MAX_MS, Math.max(MUTABLE_SETTLE_MIN_MS, 3 * ownGap))
  await (ctx.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms))))(wait)
}

/**
 * The final read: every tag, as the registry serves it now, names this run's image. A tag not found yet
 * is lag (waited for); a tag naming another digest is a race, refused at once.
 */
async function verifyAllTags(ctx: TagContext, digest: string, mutableRecheckedAt?: number): Promise<void> {
  if (mutableRecheckedAt !== undefined) await settleMutableTags(ctx, mutableRecheckedAt)
  const lookup = await readAfterWrite(
    () =>
      ctx.ecr.getImages(
        ctx.inputs.repository,
        ctx.tags.all.map((tag) => ({ tag }))
      ),
    (found) => ctx.tags.all.every((tag) => found.byTag.get(tag) !== undefined),
    lagWait(ctx, `the tags ${ctx.tags.all.join(', ')} of ${ctx.inputs.repository}`)
  )
  for (const tag of ctx.tags.all) {
    const served = lookup.byTag.get(tag)
    if (served?.digest !== digest) throw anotherWriter(tag, `the registry serves ${served?.digest ?? 'nothing'} for it, not ${digest}`)
  }
}
