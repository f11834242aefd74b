import type { StoredImage } from '../adapters/ecr.js'
import type { Registry } from '../adapters/registry.js'
import { parseManifest } from '../shared/image-graph.js'
import type { MergeContext } from './merge-context.js'
import {
  choosePerPlatform,
  discoveredClaims,
  DISCOVERY_LIMIT,
  missingPlatformsMessage,
  otherRunLine,
  possibleWrappers,
  untaggedCandidates,
  worthReading,
  type Examined
} from './discovery-plan.js'
import { readImageFacts } from './image-facts.js'
import type { Claim } from './merge-plan.js'
import { lagWait, readAfterWrite } from '../shared/read-after-write.js'

export type Discovery = { readonly kind: 'found'; readonly claims: readonly Claim[] } | { readonly kind: 'refuse'; readonly reason: string }

/** Manifests read per BatchGetImage: a matrix's legs are usually among the newest few, so most merges need one. */
const BATCH = 10

/**
 * `digests` empty: this commit's per-platform images, found among the repository's untagged image
 * manifests (DescribeImages), newest first, until every platform of inputs.platforms has one. With
 * `boundRunId` (require-same-run) only images labelled with that workflow run count.
 */
export async function discoverClaims(
  ctx: Pick<MergeContext, 'inputs' | 'sha' | 'ecr' | 'runner' | 'sleep' | 'boundRunId'>,
  store: Registry
): Promise<Discovery> {
  // A leg that finished a moment ago may not be listed yet (ECR's read-after-write lag): the search is
  // repeated within the bound before a missing platform is refused.
  return readAfterWrite(
    () => discoverOnce(ctx, store),
    (found) => found.kind === 'found',
    lagWait(ctx, `this commit's images of ${ctx.inputs.platforms.join(', ')} in ${ctx.inputs.repository}`)
  )
}

async function discoverOnce(ctx: Pick<MergeContext, 'inputs' | 'sha' | 'ecr' | 'runner' | 'boundRunId'>, store: Registry): Promise<Discovery> {
  const { inputs, sha, ecr, runner, boundRunId } = ctx
  const repository = inputs.repository
  const platforms = inputs.platforms
  const untagged = await ecr.listUntagged(repository)
  const { manifests, indexes } = untaggedCandidates(untagged)
  const examined: Examined[] = []
  let choice = choosePerPlatform(examined, platforms, sha, boundRunId)
  for (let start = 0; start < manifests.length && choice.missing.length > 0; start += BATCH) {
    const batch = manifests.slice(start, start + BATCH)
    const lookup = (
      await ecr.getImages(
        repository,
        batch.map((image) => ({ digest: image.digest }))
      )
    ).byDigest
    const read = await Promise.all(
      batch.map(async (image): Promise<Examined> => {
        const stored = lookup.get(image.digest)
        // Gone since the listing (a lifecycle rule), or no image to judge: neither platform nor revision.
        const manifest = stored ? parseManifest(stored.manifest, stored.mediaType) : undefined
        if (!manifest?.config || !worthReading(manifest)) return { digest: image.digest, platform: undefined, revision: undefined, runId: undefined }
        return { digest: image.digest, ...(await readImageFacts(store, repository, manifest.config.digest)) }
      })
    )
    examined.push(...read)
    choice = choosePerPlatform(examined, platforms, sha, boundRunId)
  }
  for (const { platform, digest } of choice.ignored) runner.info(`ignored older build of ${platform} for this commit: ${digest}`)
  if (boundRunId !== undefined) for (const image of choice.otherRuns) runner.info(otherRunLine(image, boundRunId))
  if (choice.missing.length > 0) {
    return {
      kind: 'refuse',
      reason: missingPlatformsMessage({
        missing: choice.missing,
        platforms,
        sha,
        repository,
        examined: examined.length,
        limit: DISCOVERY_LIMIT,
        runId: boundRunId,
        otherRuns: choice.otherRuns
      })
    }
  }

  const chosen = manifests.filter((image) => [...choice.chosen.values()].includes(image.digest))
  const wrappers = possibleWrappers(indexes, chosen)
  const wrapperLookup = wrappers.length
    ? (
        await ecr.getImages(
          repository,
          wrappers.map((index) => ({ digest: index.digest }))
        )
      ).byDigest
    : new Map<string, StoredImage | undefined>()
  const parsed = wrappers.flatMap((index) => {
    const stored = wrapperLookup.get(index.digest)
    return stored ? [{ digest: index.digest, manifest: parseManifest(stored.manifest, stored.mediaType) }] : []
  })
  const claims = discoveredClaims(choice.chosen, platforms, parsed)
  runner.info(
    `Found this commit's images in ${repository} (examined ${examined.length} untagged image manifests): ${claims.map((claim) => `${claim.platform} ${claim.digest}`).join(', ')}.`
  )
  return { kind: 'found', claims }
}
