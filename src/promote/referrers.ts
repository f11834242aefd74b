import type { ReferrerList } from '../adapters/registry.js'
import { UserError } from '../shared/errors.js'
import { parseManifest } from '../shared/image-graph.js'

/**
 * OCI 1.1 referrers (signatures, SBOMs, attestations: manifests whose `subject` names another
 * manifest) travel with a promotion. A copy by digest of the image alone would leave them behind in
 * the source repository, and a deploy that verifies signatures at the destination would find none.
 */

export interface Referrer {
  readonly digest: string
  readonly mediaType: string
  readonly size: number
  /** The referrer's artifactType (or its config's media type), as the referrers API lists it. */
  readonly artifactType: string | undefined
  /** The manifest it refers to: the image, one of its child manifests, or another referrer. */
  readonly subject: string
}

export interface ReferrerCopy extends Referrer {
  /** false: the destination already held it (a re-run, or a referrer added since the last promotion). */
  readonly copied: boolean
}

const DIGEST = /^sha256:[a-f0-9]{64}$/

/** The descriptors of a referrers API answer (an image index), checked enough to copy them by digest. */
export function parseReferrers(body: Buffer | string, subject: string): Referrer[] {
  let parsed: { manifests?: unknown }
  try {
    parsed = JSON.parse(typeof body === 'string' ? body : body.toString('utf8')) as { manifests?: unknown }
  } catch {
    throw new UserError(`The registry answered the referrers of ${subject} with something that is not JSON; nothing was tagged. Re-run the job.`)
  }
  if (!Array.isArray(parsed.manifests)) return []
  return parsed.manifests.map((entry: unknown) => {
    const descriptor = (entry ?? {}) as { digest?: unknown; mediaType?: unknown; size?: unknown; artifactType?: unknown }
    if (typeof descriptor.digest !== 'string' || !DIGEST.test(descriptor.digest) || typeof descriptor.mediaType !== 'string') {
      throw new UserError(`The registry listed a referrer of ${subject} without a sha256 digest or media type; nothing was tagged.`)
    }
    return {
      digest: descriptor.digest,
      mediaType: descriptor.mediaType,
      size: typeof descriptor.size === 'number' ? descriptor.size : 0,
      artifactType: typeof descriptor.artifactType === 'string' ? descriptor.artifactType : undefined,
      subject
    }
  })
}

/** The manifests whose referrers travel: the top manifest and, for an index, each of its child manifests. */
export function referrerSubjects(digest: string, manifest: string, mediaType: string): string[] {
  const parsed = parseManifest(manifest, mediaType)
  return [digest, ...parsed.manifests.map((child) => child.digest)]
}

/**
 * Every referrer of the subjects, and the referrers of those (a signature on an SBOM), breadth first:
 * a referrer always comes after its subject, the order a copy must follow.
 */
export async function findReferrers(list: (digest: string) => Promise<ReferrerList>, subjects: readonly string[], where: string): Promise<Referrer[]> {
  const found: Referrer[] = []
  const seen = new Set<string>(subjects)
  let level = [...subjects]
  while (level.length) {
    const next: string[] = []
    for (const subject of level) {
      const answer = await list(subject)
      if (answer.kind === 'unsupported') {
        throw new UserError(
          `${where} does not serve the OCI referrers API (GET /v2/<name>/referrers/<digest> answered 404), so the signatures and attestations of ${subject} cannot be found and would be left behind; nothing was tagged.`
        )
      }
      for (const referrer of parseReferrers(answer.body, subject)) {
        if (seen.has(referrer.digest)) continue
        seen.add(referrer.digest)
        found.push(referrer)
        next.push(referrer.digest)
      }
    }
    level = next
  }
  return found
}

/** How the summary names a referrer: its artifact type, or its media type when it has none. */
export function referrerKind(referrer: Referrer): string {
  return referrer.artifactType ?? referrer.mediaType
}
