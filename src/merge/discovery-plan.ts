import type { UntaggedImage } from '../adapters/ecr.js'
import { IMAGE_MANIFEST_TYPES, INDEX_TYPES, runnableEntries, samePlatform, type ParsedManifest } from '../shared/image-graph.js'
import type { Claim } from './merge-plan.js'

/**
 * The merge action's discovery decisions, pure: with `digests` empty, which untagged images in the
 * repository are this commit's per-platform builds, and which claims they become. The claims then go
 * through the same checks as given digests (planMerge), so nothing here has to be trusted alone.
 */

/** The newest untagged image manifests examined at most: a bound on the config reads of one merge. */
export const DISCOVERY_LIMIT = 100

const IMAGE_CONFIG_TYPES = new Set(['application/vnd.oci.image.config.v1+json', 'application/vnd.docker.container.image.v1+json'])
const IN_TOTO = 'application/vnd.in-toto+json'

export interface UntaggedCandidates {
  /** Single image manifests, newest first, at most the limit. */
  readonly manifests: readonly UntaggedImage[]
  /** Indexes, newest first: a leg with provenance uploads an index whose image child is listed untagged too. */
  readonly indexes: readonly UntaggedImage[]
}

/** Splits DescribeImages' untagged list (in no useful order) into image manifests and indexes, newest first. */
export function untaggedCandidates(images: readonly UntaggedImage[], limit = DISCOVERY_LIMIT): UntaggedCandidates {
  const newestFirst = [...images].sort((a, b) => {
    const byTime = (b.pushedAt?.getTime() ?? 0) - (a.pushedAt?.getTime() ?? 0)
    return byTime !== 0 ? byTime : a.digest < b.digest ? -1 : a.digest > b.digest ? 1 : 0
  })
  return {
    manifests: newestFirst.filter((image) => IMAGE_MANIFEST_TYPES.has(image.mediaType)).slice(0, limit),
    indexes: newestFirst.filter((image) => INDEX_TYPES.has(image.mediaType))
  }
}

/**
 * Only a runnable image's config can name a platform and a revision: an artifact (another config type,
 * e.g. a Helm chart) or an attestation manifest (only in-toto layers) is not worth a read.
 */
export function worthReading(manifest: ParsedManifest): boolean {
  if (manifest.kind !== 'image' || !manifest.config || !IMAGE_CONFIG_TYPES.has(manifest.config.mediaType)) return false
  return !(manifest.layers.length > 0 && manifest.layers.every((layer) => layer.mediaType === IN_TOTO))
}

/** One examined image manifest: what its config says. */
export interface Examined {
  readonly digest: string
  readonly platform: string | undefined
  readonly revision: string | undefined
  /** Label io.github.immutable-ecr-build.run-id: the workflow run whose build step uploaded it. */
  readonly runId: string | undefined
}

/** An image of this commit for a wanted platform that another workflow run (or no known run) uploaded. */
export interface OtherRunImage {
  readonly platform: string
  readonly digest: string
  readonly runId: string | undefined
}

export interface PlatformChoice {
  /** platform → the newest image of this commit (and of this run, when bound) for it */
  readonly chosen: ReadonlyMap<string, string>
  /** Older builds of a chosen platform for this commit, newest first: logged, never merged. */
  readonly ignored: readonly { readonly platform: string; readonly digest: string }[]
  /** Bound to a run: this commit's images from other runs, newest first: logged, never merged. */
  readonly otherRuns: readonly OtherRunImage[]
  /** Platforms with no image of this commit among those examined, in the order given. */
  readonly missing: readonly string[]
}

/**
 * `examined` newest first: the first image of this commit for a wanted platform wins it. With `runId`
 * (require-same-run, the default) only an image labelled with this workflow run's id can win: any attempt
 * of the run, since a re-run keeps GITHUB_RUN_ID; an image another run (or anyone) pushed is left out.
 */
export function choosePerPlatform(examined: readonly Examined[], platforms: readonly string[], sha: string, runId?: string): PlatformChoice {
  const chosen = new Map<string, string>()
  const ignored: { platform: string; digest: string }[] = []
  const otherRuns: OtherRunImage[] = []
  for (const image of examined) {
    if (image.revision !== sha || image.platform === undefined) continue
    // Keyed by the platform as the input names it: linux/arm64 wins an image whose config says arm64/v8.
    const found = image.platform
    const wanted = platforms.find((platform) => samePlatform(platform, found))
    if (wanted === undefined) continue
    if (runId !== undefined && image.runId !== runId) otherRuns.push({ platform: wanted, digest: image.digest, runId: image.runId })
    else if (chosen.has(wanted)) ignored.push({ platform: wanted, digest: image.digest })
    else chosen.set(wanted, image.digest)
  }
  return { chosen, ignored, otherRuns, missing: platforms.filter((platform) => !chosen.has(platform)) }
}

/** The log line for an image of this commit that another workflow run uploaded. */
export function otherRunLine(image: OtherRunImage, runId: string): string {
  const by = image.runId === undefined ? 'has no run-id label (not uploaded by this action in a workflow run)' : `was uploaded by workflow run ${image.runId}`
  return `not taken: ${image.platform} ${image.digest} of this commit ${by}, not this run ${runId} (require-same-run).`
}

/** Indexes pushed no earlier than the oldest chosen image: only those can wrap it (an index goes up after its children). */
export function possibleWrappers(indexes: readonly UntaggedImage[], chosen: readonly UntaggedImage[], limit = DISCOVERY_LIMIT): UntaggedImage[] {
  const times = chosen.map((image) => image.pushedAt?.getTime())
  const oldest = times.some((time) => time === undefined) ? undefined : Math.min(...(times as number[]))
  return indexes.filter((index) => oldest === undefined || (index.pushedAt?.getTime() ?? Number.POSITIVE_INFINITY) >= oldest).slice(0, limit)
}

/**
 * The claims for the chosen images, in the order of `platforms`. An image that an untagged
 * one-platform index wraps (image + provenance) is claimed as that index, the newest such: the leg's
 * `digest` output, so its attestation goes into the merged index as when the digests are given.
 */
export function discoveredClaims(
  chosen: ReadonlyMap<string, string>,
  platforms: readonly string[],
  indexes: readonly { readonly digest: string; readonly manifest: ParsedManifest }[]
): Claim[] {
  return platforms.flatMap((platform): Claim[] => {
    const digest = chosen.get(platform)
    if (digest === undefined) return []
    const wrapper = indexes.find(({ manifest }) => {
      const runnable = runnableEntries(manifest)
      return manifest.kind === 'index' && runnable.length === 1 && runnable[0]?.digest === digest
    })
    return [{ digest: wrapper?.digest ?? digest, platform }]
  })
}

/** The refusal when a wanted platform has no image of this commit (and run, when bound) among those examined. */
export function missingPlatformsMessage(args: {
  readonly missing: readonly string[]
  readonly platforms: readonly string[]
  readonly sha: string
  readonly repository: string
  readonly examined: number
  readonly limit: number
  /** Set when bound to the run (require-same-run). */
  readonly runId?: string | undefined
  readonly otherRuns?: readonly OtherRunImage[]
}): string {
  const { missing, platforms, sha, repository, examined, limit, runId } = args
  const others = (args.otherRuns ?? []).filter((image) => missing.includes(image.platform))
  const notTaken = others.length
    ? ` Not taken, from another workflow run (require-same-run: false would take them): ${others.map((image) => `${image.platform} ${image.digest} (run ${image.runId ?? 'unknown'})`).join(', ')}.`
    : ''
  return (
    `No untagged image of ${missing.join(', ')} built from commit ${sha}${runId !== undefined ? ` by this workflow run (${runId})` : ''} among the ${examined} newest untagged image manifests of ${repository} ` +
    `(platforms expects ${platforms.join(', ')}; at most ${limit} are examined): did a per-platform job fail? ` +
    `Or give the per-platform steps' digest outputs in 'digests' instead.${notTaken} Nothing was written.`
  )
}
