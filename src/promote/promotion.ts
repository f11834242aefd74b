import { createHash } from 'node:crypto'
import type { Ecr, RegistryCredentials, StoredImage } from '../adapters/ecr.js'
import type { Registry } from '../adapters/registry.js'
import type { Runner } from '../adapters/runner.js'
import { commitTags, planCommit } from '../publish/commit-tags.js'
import { transferImage, type ImageSource, type TransferReport } from '../publish/image-transfer.js'
import { assertSigningConfigured, passSigningGate, signableImages } from '../publish/signing-gate.js'
import { runnableConfigs, storedPlatformDigests } from '../publish/stored-image.js'
import { lookUpTarget, openTarget } from '../publish/target.js'
import { unwrap } from '../shared/deferred.js'
import { UserError, errorMessage } from '../shared/errors.js'
import { parseManifest, platformDigests, type Descriptor } from '../shared/image-graph.js'
import { LAG_BOUND_SECONDS, lagWait, readAfterWrite } from '../shared/read-after-write.js'
import type { ExistingTags } from '../shared/tag-policy.js'
import type { PromoteInputs } from './promote-inputs.js'
import { findReferrers, referrerKind, referrerSubjects, type ReferrerCopy } from './referrers.js'

/**
 * Promotion copies an image that was built and tested (by digest) into another repository, account or
 * region: blobs, then child manifests, then the top manifest by digest, and only then the tags, with
 * the same rules as a push. Nothing is rebuilt, so the digest is the one that was tested.
 */

export interface PromoteContext {
  readonly inputs: PromoteInputs
  /** ECR of the source registry (source-registry-id, source-region). */
  readonly sourceEcr: Ecr
  /** ECR of the destination (registry-id, aws-region). */
  readonly ecr: Ecr
  readonly runner: Runner
  readonly openRegistry: (credentials: RegistryCredentials) => Promise<Registry>
  readonly sleep?: (ms: number) => Promise<void>
}

export interface PromoteOutcome {
  readonly registryHost: string
  readonly repository: string
  readonly digest: string
  readonly tags: readonly string[]
  readonly tagsAdded: readonly string[]
  readonly platformDigests: Readonly<Record<string, string>>
  /** This run copied the image (some manifest or tag was missing at the destination). */
  readonly pushed: boolean
  readonly transfer: TransferReport | undefined
  /** The OCI referrers of the image and of its child manifests, each copied or already at the destination. */
  readonly referrers: readonly ReferrerCopy[]
}

export type PromotionDecision =
  | { readonly kind: 'refuse'; readonly reason: string }
  /** missing: tags to write; copy: whether the image itself is absent from the destination. */
  | { readonly kind: 'promote'; readonly missing: readonly string[]; readonly copy: boolean }

/**
 * A tag on another digest is refused in either mode (tags never move); with fail any existing tag
 * refuses; with skip tags already on the digest are kept and the rest written.
 */
export function decidePromotion(
  tags: readonly string[],
  existing: ExistingTags,
  digest: string,
  imagePresent: boolean,
  ifTagExists: 'fail' | 'skip',
  repository: string
): PromotionDecision {
  const plan = planCommit('stored', tags, existing, digest, ifTagExists)
  if (plan.kind !== 'write') {
    return {
      kind: 'refuse',
      reason: `${repository}:${plan.kind === 'refuse' ? `${plan.tag} already names ${plan.other}` : `a tag names ${plan.digest}`}, not ${digest}; tags are never moved. Nothing was copied or tagged; promote under another tag.`
    }
  }
  const present = tags.filter((tag) => existing.get(tag) !== undefined)
  if (present.length && ifTagExists === 'fail') {
    return {
      kind: 'refuse',
      reason: `${present.length === 1 ? 'Tag already exists' : 'Tags already exist'} in ${repository}: ${present.map((tag) => `${tag} (${digest})`).join(', ')}. Nothing was copied or tagged; set if-tag-exists: skip to accept tags already on this digest.`
    }
  }
  return { kind: 'promote', missing: plan.tags, copy: !imagePresent }
}

export async function promoteImage(ctx: PromoteContext): Promise<PromoteOutcome> {
  const { inputs, sourceEcr, ecr } = ctx
  const sameRegistry = (inputs.sourceRegistryId ?? '') === (inputs.registryId ?? '') && inputs.sourceRegion === inputs.awsRegion
  const [[sourceCredentials, sourceLookup], lookup] = await Promise.all([
    Promise.allSettled([
      sameRegistry ? Promise.resolve(undefined) : sourceEcr.authorize(),
      // Archived images fail here with the adapter's one line (how to restore them), unchanged. The build
      // step just before may have written it a moment ago: "not found" is waited for (read-after-write lag).
      readAfterWrite(
        () => sourceEcr.getImages(inputs.sourceRepository, [{ digest: inputs.digest }]),
        (found) => found.byDigest.get(inputs.digest) !== undefined,
        lagWait(ctx, `${inputs.sourceRepository}@${inputs.digest}`)
      )
    ]),
    lookUpTarget(ecr, inputs.repository, inputs.tags, inputs.digest)
  ])
  const destination = unwrap(lookup.registry)
  const source = unwrap(sourceCredentials) ?? destination
  const image = unwrap(sourceLookup).byDigest.get(inputs.digest)
  if (!image) {
    throw new UserError(
      `${inputs.sourceRepository}@${inputs.digest} is not in the source repository (waited ${LAG_BOUND_SECONDS} s for it): check the digest input (the digest output of the build) and source-repository, source-registry-id, source-region.`
    )
  }

  const target = await openTarget(ctx, lookup, {
    repository: inputs.repository,
    region: inputs.awsRegion,
    registryId: inputs.registryId,
    tags: inputs.tags,
    floatingTags: inputs.floatingTags,
    requireImmutableRepository: false,
    whenAbsent: inputs.createRepository ? { kind: 'create' } : { kind: 'refuse' }
  })
  const imagePresent = target.existing.byDigest.get(inputs.digest) !== undefined
  const decision = decidePromotion(inputs.tags, target.existingTags, inputs.digest, imagePresent, inputs.ifTagExists, inputs.repository)
  if (decision.kind === 'refuse') throw new UserError(decision.reason)
  await assertSigningConfigured(ctx, inputs.repository, inputs.signingGate, inputs.registryId !== undefined)

  let transfer: TransferReport | undefined
  const store = await ctx.openRegistry(destination)
  const sourceRegistry = sameRegistry ? store : await ctx.openRegistry(source)
  // Read from the source, before the copy and the first tag: a read that fails leaves no tag behind.
  const platforms = await sourcePlatforms(ctx, sourceRegistry, image)
  const sameHost = source.registryHost === destination.registryHost
  if (decision.copy) {
    const started = Date.now()
    transfer = await ctx.runner.group(`copy ${inputs.sourceRepository}@${inputs.digest} to ${inputs.repository}`, () =>
      transferImage(store, inputs.repository, sourceOf(ctx, imageDescriptor(image), image, sourceRegistry, sameHost))
    )
    ctx.runner.info(
      `Copied ${inputs.digest} untagged in ${((Date.now() - started) / 1000).toFixed(1)} s: ${transfer.blobsSent} blobs sent (${transfer.bytesSent} bytes), ${transfer.blobsReused} already there or mounted, ${transfer.manifests} manifests by digest.`
    )
  } else {
    ctx.runner.info(`${inputs.repository} already holds ${inputs.digest}; nothing to copy.`)
  }
  // Signatures and attestations before any tag: a tag never names an image whose referrers are still missing.
  const referrers = await copyReferrers(ctx, image, store, sourceRegistry, sameHost)
  await passSigningGate(ctx, inputs.repository, signableImages(image.digest, image.manifest, image.mediaType), inputs.signingGate)
  const committed = await commitTags(
    target,
    { kind: 'stored', digest: inputs.digest, justWritten: decision.copy },
    { tags: inputs.tags, ifTagExists: inputs.ifTagExists }
  )
  const added = committed.kind === 'written' ? committed.added : []
  return {
    registryHost: destination.registryHost,
    repository: inputs.repository,
    digest: inputs.digest,
    tags: inputs.tags,
    tagsAdded: added,
    platformDigests: platforms,
    pushed: decision.copy || added.length > 0,
    transfer,
    referrers
  }
}

function imageDescriptor(image: StoredImage): Descriptor {
  return { digest: image.digest, mediaType: image.mediaType, size: Buffer.byteLength(image.manifest) }
}

/**
 * Copies the referrers of the image and of each child manifest (found through the source registry's
 * referrers API) by digest, each after its subject; one that cannot be copied fails the promotion
 * before any tag is written.
 */
async function copyReferrers(ctx: PromoteContext, image: StoredImage, store: Registry, sourceRegistry: Registry, sameHost: boolean): Promise<ReferrerCopy[]> {
  const { inputs } = ctx
  const found = await findReferrers(
    (digest) => sourceRegistry.listReferrers(inputs.sourceRepository, digest),
    referrerSubjects(image.digest, image.manifest, image.mediaType),
    `The source registry (${inputs.sourceRepository})`
  )
  if (found.length === 0) return []
  const present = (
    await ctx.ecr.getImages(
      inputs.repository,
      found.map((referrer) => ({ digest: referrer.digest }))
    )
  ).byDigest
  const copies: ReferrerCopy[] = []
  for (const referrer of found) {
    if (present.get(referrer.digest) !== undefined) {
      copies.push({ ...referrer, copied: false })
      continue
    }
    try {
      await transferImage(store, inputs.repository, sourceOf(ctx, referrer, undefined, sourceRegistry, sameHost))
    } catch (error) {
      throw new UserError(
        `The referrer ${referrer.digest} (${referrerKind(referrer)}) of ${referrer.subject} could not be copied to ${inputs.repository}: ${errorMessage(error).replace(/\.?$/, '.')} No tag was written; re-run the promotion.`
      )
    }
    copies.push({ ...referrer, copied: true })
  }
  ctx.runner.info(
    `Referrers: ${copies.filter((copy) => copy.copied).length} copied, ${copies.filter((copy) => !copy.copied).length} already in ${inputs.repository} (${copies.map((copy) => `${referrerKind(copy)} ${copy.digest}`).join(', ')}).`
  )
  return copies
}

/** Reads a source manifest and what it references: manifests through BatchGetImage (checked against their digests), blobs through the registry API. */
function sourceOf(ctx: PromoteContext, top: Descriptor, stored: StoredImage | undefined, registry: Registry, sameHost: boolean): ImageSource {
  const { inputs } = ctx
  const manifests = new Map<string, Buffer>(stored ? [[stored.digest, Buffer.from(stored.manifest)]] : [])
  return {
    top,
    async read(digest) {
      let bytes = manifests.get(digest)
      if (!bytes) {
        const child = (await ctx.sourceEcr.getImages(inputs.sourceRepository, [{ digest }])).byDigest.get(digest)
        if (!child)
          throw new UserError(`${inputs.sourceRepository}@${top.digest} lists ${digest}, which the source repository does not serve; nothing was tagged.`)
        bytes = Buffer.from(child.manifest)
      }
      const actual = `sha256:${createHash('sha256').update(bytes).digest('hex')}`
      // A manifest re-serialised anywhere on the way would change the digest the promotion promises.
      if (actual !== digest)
        throw new UserError(
          `The source registry served ${inputs.sourceRepository}@${digest} as bytes whose digest is ${actual}; nothing was tagged. Re-run; if it persists, the source image cannot be copied byte for byte.`
        )
      return bytes
    },
    open: (digest) => registry.openBlob(inputs.sourceRepository, digest),
    ...(sameHost ? { mountFrom: inputs.sourceRepository } : {})
  }
}

/** `platform-digests` of the source image (the copy has the same bytes): an index lists them; a single image's config names its own. */
async function sourcePlatforms(ctx: PromoteContext, sourceRegistry: Registry, image: StoredImage): Promise<Record<string, string>> {
  const manifest = parseManifest(image.manifest, image.mediaType)
  if (manifest.kind === 'index') return platformDigests({ digest: image.digest, manifest }, undefined)
  return storedPlatformDigests(image, await runnableConfigs(ctx.sourceEcr, sourceRegistry, ctx.inputs.sourceRepository, image))
}
