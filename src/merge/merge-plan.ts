import { createHash } from 'node:crypto'
import { UserError } from '../shared/errors.js'
import { samePlatform, type Descriptor } from '../shared/image-graph.js'

/**
 * The merge action's decisions, pure: which digests the user handed over and for which platform,
 * whether each is this commit's build of that platform, and the one index that names them all.
 */

/** One digest handed to the merge, with the platform it claims when it came from a platform-digests object. */
export interface Claim {
  readonly digest: string
  readonly platform: string | undefined
}

const DIGEST = /^sha256:[0-9a-f]{64}$/
const PLATFORM = /^[a-z0-9]+\/[a-z0-9_]+(?:\/[a-z0-9]+)?$/

/**
 * `digests`: digests separated by newlines or commas (the per-platform steps' `digest` outputs), and/or
 * JSON objects `{"linux/arm64":"sha256:…"}` (their `platform-digests` outputs), in any mix. The same
 * claim twice (both outputs of one step) counts once.
 */
export function parseDigestsInput(value: string): Claim[] {
  const claims: Claim[] = []
  const rest = value.replace(/\{[^{}]*\}/g, (json) => {
    let parsed: unknown
    try {
      parsed = JSON.parse(json)
    } catch {
      throw new UserError(
        `Input 'digests' has '${json}', which is not a JSON object: pass platform-digests outputs as they are, e.g. {"linux/amd64":"sha256:…"}.`
      )
    }
    for (const [platform, digest] of Object.entries(parsed as Record<string, unknown>)) {
      if (!PLATFORM.test(platform) || typeof digest !== 'string' || !DIGEST.test(digest)) {
        throw new UserError(`Input 'digests' has '${platform}: ${String(digest)}', which is not a platform such as linux/arm64 with a sha256:<64 hex> digest.`)
      }
      claims.push({ digest, platform })
    }
    return ' '
  })
  for (const item of rest.split(/[\s,]+/).filter((entry) => entry !== '')) {
    if (!DIGEST.test(item))
      throw new UserError(`Input 'digests' has '${item}', which is not a digest: use sha256:<64 hex> digests or platform-digests JSON objects, one per line.`)
    claims.push({ digest: item, platform: undefined })
  }
  if (claims.length === 0) throw new UserError("Input 'digests' is required: give the digest output of every per-platform step (untagged: true), one per line.")
  const seen = new Set<string>()
  return claims.filter((claim) => {
    const key = `${claim.digest} ${claim.platform ?? ''}`
    if (seen.has(key)) return false
    seen.add(key)
    return true
  })
}

/** What the registry shows for one claim; the orchestrator reads it, planMerge judges it. */
export type Resolved =
  | { readonly kind: 'missing'; readonly claim: Claim }
  /** An index with other than one runnable platform, or a manifest that is neither image nor index. */
  | { readonly kind: 'not-one-platform'; readonly claim: Claim; readonly platforms: number }
  | {
      readonly kind: 'image'
      readonly claim: Claim
      /** The platform image manifest itself (the claimed digest, or the one platform of the claimed index). */
      readonly image: Descriptor
      /** From the image's config (os/architecture/variant). */
      readonly platform: string | undefined
      /** Config label org.opencontainers.image.revision. */
      readonly revision: string | undefined
      /** The claimed index's attestation manifests for this image, kept in the merged index. */
      readonly attestations: readonly Descriptor[]
    }

export interface MergeEntry {
  readonly platform: string
  readonly image: Descriptor
  readonly attestations: readonly Descriptor[]
}

export type MergePlan = { readonly kind: 'merge'; readonly entries: readonly MergeEntry[] } | { readonly kind: 'refuse'; readonly reason: string }

/**
 * Every claim must be in the repository, one platform, built from `sha`, for the platform it claims;
 * each platform once; exactly the expected platforms when they are given. The first problem refuses
 * the whole merge before anything is written.
 */
export function planMerge(resolved: readonly Resolved[], expected: readonly string[], sha: string, repository: string): MergePlan {
  const refuse = (reason: string): MergePlan => ({ kind: 'refuse', reason: `${reason} Nothing was written.` })
  const entries: MergeEntry[] = []
  for (const item of resolved) {
    const { claim } = item
    if (item.kind === 'missing')
      return refuse(`${claim.digest} is not in ${repository}: pass the digest output of a per-platform step (untagged: true) that pushed to this repository.`)
    if (item.kind === 'not-one-platform') {
      return refuse(
        `${claim.digest} is ${item.platforms === 0 ? 'not a runnable image' : `an index of ${item.platforms} platforms`}: pass one digest per platform, from steps with untagged: true.`
      )
    }
    if (item.revision !== sha) {
      return refuse(
        `${claim.digest} was built from commit ${item.revision ?? '(no org.opencontainers.image.revision label)'}, not ${sha}: every platform must come from this commit's per-platform steps.`
      )
    }
    const platform = item.platform
    if (!platform) return refuse(`${claim.digest} has no platform in its config: it cannot take a place in a multi-platform index.`)
    // Compared as containerd compares platforms: linux/arm64 is linux/arm64/v8.
    if (claim.platform !== undefined && !samePlatform(claim.platform, platform)) {
      return refuse(`${claim.digest} is claimed as ${claim.platform} but its config says ${platform}.`)
    }
    const twice = entries.find((entry) => samePlatform(entry.platform, platform))
    if (twice && twice.image.digest !== item.image.digest) {
      return refuse(`${platform} is given twice (${twice.image.digest} and ${item.image.digest}): pass one digest per platform.`)
    }
    if (!twice) entries.push({ platform, image: item.image, attestations: item.attestations })
  }
  if (expected.length > 0) {
    const missing = expected.filter((platform) => !entries.some((entry) => samePlatform(entry.platform, platform)))
    if (missing.length)
      return refuse(`No digest for ${missing.join(', ')} (platforms expects ${expected.join(', ')}): did a per-platform job fail or not pass its digest?`)
    const extra = entries.filter((entry) => !expected.some((platform) => samePlatform(platform, entry.platform))).map((entry) => entry.platform)
    if (extra.length) return refuse(`${extra.join(', ')} is not in platforms (${expected.join(', ')}): add it to platforms or leave its digest out.`)
  }
  return { kind: 'merge', entries: [...entries].sort((a, b) => (a.platform < b.platform ? -1 : a.platform > b.platform ? 1 : 0)) }
}

export interface IndexManifest {
  readonly digest: string
  readonly mediaType: string
  readonly bytes: Buffer
}

export const OCI_INDEX = 'application/vnd.oci.image.index.v1+json'

/**
 * The merged OCI index. Its bytes depend only on the entries (sorted by platform, attestations after
 * the images in the same order, fixed key order, no timestamps), so two merges of the same digests
 * write the same index and race only on its tags.
 */
export function mergedIndex(entries: readonly MergeEntry[]): IndexManifest {
  const descriptor = (d: Descriptor, platform: Record<string, string> | undefined): Record<string, unknown> => ({
    mediaType: d.mediaType,
    digest: d.digest,
    size: d.size,
    ...(d.annotations ? { annotations: d.annotations } : {}),
    ...(platform ? { platform } : {})
  })
  const platformOf = (name: string): Record<string, string> => {
    const [os = '', architecture = '', variant] = name.split('/')
    return { architecture, os, ...(variant ? { variant } : {}) }
  }
  const manifest = {
    schemaVersion: 2,
    mediaType: OCI_INDEX,
    manifests: [
      ...entries.map((entry) => descriptor(entry.image, platformOf(entry.platform))),
      ...entries.flatMap((entry) =>
        entry.attestations.map((attestation) =>
          descriptor(attestation, attestation.platform ? { architecture: attestation.platform.architecture, os: attestation.platform.os } : undefined)
        )
      )
    ]
  }
  const bytes = Buffer.from(JSON.stringify(manifest))
  return { digest: `sha256:${createHash('sha256').update(bytes).digest('hex')}`, mediaType: OCI_INDEX, bytes }
}
