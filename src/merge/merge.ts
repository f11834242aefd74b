import type { StoredImage } from '../adapters/ecr.js'
import type { Registry } from '../adapters/registry.js'
import { commitTags } from '../publish/commit-tags.js'
import { RefusedError, type OutcomeBase, type StoredOutcome } from '../publish/outcome.js'
import { passScanGate } from '../publish/scan-gate.js'
import { assertSigningConfigured, passSigningGate, signableImages } from '../publish/signing-gate.js'
import { revisionCheckedConfigs, storedPlatformDigests } from '../publish/stored-image.js'
import { reuseRefusal } from '../publish/tag-addition.js'
import { lookUpTarget, openTarget } from '../publish/target.js'
import { UserError } from '../shared/errors.js'
import { isAttestation, parseManifest, runnableEntries, type Descriptor } from '../shared/image-graph.js'
import { lagWait, readAfterWrite } from '../shared/read-after-write.js'
import { decideOnExistingTags } from '../shared/tag-policy.js'
import { discoverClaims } from './discovery.js'
import { readImageFacts } from './image-facts.js'
import { mergedIndex, planMerge, type Claim, type MergeEntry, type Resolved } from './merge-plan.js'
import type { MergeContext } from './merge-context.js'

/**
 * The merge action: the per-platform images a matrix uploaded untagged become one OCI index, written
 * by digest, then named with the same protocol as a push (existence check first, scan gate, last
 * check, proof, PutImage of each tag, read-back). Every claim is checked before anything is written.
 */
export async function mergeImages(ctx: MergeContext): Promise<StoredOutcome> {
  const { inputs, tags, ecr } = ctx
  const target = await openTarget(ctx, await lookUpTarget(ecr, inputs.repository, tags.all), {
    repository: inputs.repository,
    region: inputs.awsRegion,
    registryId: inputs.registryId,
    tags: tags.all,
    floatingTags: inputs.floatingTags,
    requireImmutableRepository: inputs.requireImmutableRepository,
    whenAbsent: { kind: 'refuse' }
  })
  const base: OutcomeBase = { registryHost: target.registryHost, repository: inputs.repository, shaTag: tags.shaTag, tags: tags.all }
  await assertSigningConfigured(ctx, inputs.repository, inputs.signingGate, inputs.registryId !== undefined)

  const decision = decideOnExistingTags(tags.all, target.existingTags, inputs.ifTagExists, inputs.repository)
  if (decision.kind === 'refuse') throw new RefusedError(decision.reason, base)
  const store = await ctx.openRegistry(target.registry)
  if (decision.kind === 'reuse') {
    const image = target.existing.byTag.get(tags.shaTag) as StoredImage
    // As in the build action: the tags alone do not show the index is this commit's (a short sha-length).
    const { configs, check } = await revisionCheckedConfigs(ecr, store, inputs.repository, image, ctx.sha)
    if (!check.ok) throw new UserError(reuseRefusal(inputs.repository, tags.all, tags.shaTag, check.reason))
    ctx.runner.info(`Every tag already names ${decision.digest}; nothing to merge (if-tag-exists: skip).`)
    return { ...base, result: 'reused', digest: decision.digest, platformDigests: storedPlatformDigests(image, configs), metadata: '', buildSeconds: undefined }
  }

  // Discovered claims take the same path as given ones: verified, planned and written alike.
  const found = inputs.claims === 'discover' ? await discoverClaims(ctx, store) : { kind: 'found' as const, claims: inputs.claims }
  if (found.kind === 'refuse') throw new RefusedError(found.reason, base)
  const { claims } = found
  const plan = planMerge(await resolveClaims(ctx, store, claims), inputs.platforms, ctx.sha, inputs.repository)
  if (plan.kind === 'refuse') throw new RefusedError(plan.reason, base)
  const index = mergedIndex(plan.entries)
  await store.putManifest(inputs.repository, index)
  ctx.runner.info(
    `Wrote the index ${index.digest} of ${plan.entries.map((entry) => `${entry.platform} ${entry.image.digest}`).join(', ')} by digest, untagged.`
  )

  await passScanGate(ctx, inputs.repository, plan.entries.map(scannable), inputs.scanGate)
  await passSigningGate(ctx, inputs.repository, signableImages(index.digest, index.bytes.toString('utf8'), index.mediaType), inputs.signingGate)
  const platforms = Object.fromEntries(plan.entries.map((entry) => [entry.platform, entry.image.digest]))
  const committed = await commitTags(
    target,
    {
      kind: 'uploaded',
      ref: { digest: index.digest },
      build: { imageDigest: index.digest, configDigest: undefined },
      platformsOf: () => Promise.resolve(platforms)
    },
    { tags: tags.all, ifTagExists: inputs.ifTagExists, base }
  )
  if (committed.kind === 'reused')
    return { ...base, result: 'reused', digest: committed.digest, platformDigests: platforms, metadata: '', buildSeconds: undefined, note: committed.note }
  return { ...base, result: 'pushed', digest: index.digest, platformDigests: platforms, metadata: '', buildSeconds: undefined }
}

function scannable(entry: MergeEntry): { label: string; digest: string } {
  return { label: `${entry.platform} ${entry.image.digest}`, digest: entry.image.digest }
}

/**
 * Reads what the registry holds for every claim: the manifest (two BatchGetImage calls at most: the
 * claims, then the platform image of any claimed one-platform index) and each image's config blob.
 */
async function resolveClaims(ctx: MergeContext, store: Registry, claims: readonly Claim[]): Promise<Resolved[]> {
  const repository = ctx.inputs.repository
  const digests = [...new Set(claims.map((claim) => claim.digest))]
  // The legs finished a moment ago: a claim not found yet is ECR's read-after-write lag, waited for
  // (within the bound); one still missing after it is refused by the plan as before.
  const top = (
    await readAfterWrite(
      () =>
        ctx.ecr.getImages(
          repository,
          digests.map((digest) => ({ digest }))
        ),
      (found) => [...found.byDigest.values()].every((image) => image !== undefined),
      lagWait(ctx, `the claimed images in ${repository}`)
    )
  ).byDigest
  const picked = claims.map((claim): { claim: Claim; image?: Descriptor; attestations: Descriptor[]; platforms?: number } => {
    const stored = top.get(claim.digest)
    if (!stored) return { claim, attestations: [] }
    const manifest = parseManifest(stored.manifest, stored.mediaType)
    if (manifest.kind === 'image') {
      return {
        claim,
        image: { mediaType: manifest.mediaType || stored.mediaType, digest: stored.digest, size: Buffer.byteLength(stored.manifest) },
        attestations: []
      }
    }
    const runnable = runnableEntries(manifest)
    const [only] = runnable
    if (runnable.length !== 1 || !only) return { claim, attestations: [], platforms: runnable.length }
    const attestations = manifest.manifests.filter((entry) => isAttestation(entry) && entry.annotations?.['vnd.docker.reference.digest'] === only.digest)
    return { claim, image: { mediaType: only.mediaType, digest: only.digest, size: only.size }, attestations }
  })
  const children = picked.filter((item) => item.image && item.image.digest !== item.claim.digest).map((item) => (item.image as Descriptor).digest)
  const childLookup = children.length
    ? (
        await readAfterWrite(
          () =>
            ctx.ecr.getImages(
              repository,
              [...new Set(children)].map((digest) => ({ digest }))
            ),
          (found) => [...found.byDigest.values()].every((image) => image !== undefined),
          lagWait(ctx, `the platform images of the claims in ${repository}`)
        )
      ).byDigest
    : new Map<string, StoredImage | undefined>()
  return Promise.all(
    picked.map(async (item): Promise<Resolved> => {
      if (item.platforms !== undefined) return { kind: 'not-one-platform', claim: item.claim, platforms: item.platforms }
      if (!item.image) return { kind: 'missing', claim: item.claim }
      const stored = item.image.digest === item.claim.digest ? top.get(item.claim.digest) : childLookup.get(item.image.digest)
      if (!stored) return { kind: 'missing', claim: item.claim }
      const manifest = parseManifest(stored.manifest, stored.mediaType)
      if (manifest.kind !== 'image' || !manifest.config) return { kind: 'not-one-platform', claim: item.claim, platforms: 0 }
      const facts = await readImageFacts(store, repository, manifest.config.digest)
      return { kind: 'image', claim: item.claim, image: item.image, ...facts, attestations: item.attestations }
    })
  )
}
