// The OCI 1.1 referrers API of the fake ECR. ECR supports OCI distribution 1.1 since June 2024
// (What's New 2024-06-27, "Amazon ECR supports Open Container Initiative Image and Distribution
// specification version 1.1"); docker-registry 2.8 behind the endpoint does not, so the endpoint keeps
// the subject index itself, from every manifest stored through it (registry PUT or PutImage), and:
//   - answers a manifest PUT that has a `subject` with `OCI-Subject: <subject digest>` (distribution
//     spec "Pushing Manifests with Subject"), so clients such as cosign do not fall back to the
//     `sha256-<hex>` tag schema;
//   - serves GET /v2/<name>/referrers/<digest>[?artifactType=...] as an image index of descriptors,
//     with `OCI-Filters-Applied: artifactType` when it filtered (distribution spec "Listing Referrers").
// IAM: ECR documents ListImageReferrers as needing ecr:BatchGetImage ("The IAM principal invoking this
// operation must have the ecr:BatchGetImage permission", API reference); the registry API's referrers
// listing reads the same manifests, so it is authorized with the same action.
// Test infrastructure only.
import type { UpstreamRegistry } from '../registry/upstream-registry.js'

export const OCI_INDEX = 'application/vnd.oci.image.index.v1+json'
/** IAM action that authorizes GET /v2/<name>/referrers/<digest>. */
export const REFERRERS_IAM_ACTION = 'ecr:BatchGetImage'

export interface ReferrerDescriptor {
  mediaType: string
  digest: string
  size: number
  artifactType?: string
  annotations?: Record<string, string>
}

interface ParsedReferrer {
  subject?: { digest?: unknown }
  artifactType?: unknown
  config?: { mediaType?: unknown }
  annotations?: unknown
}

/** The subject digest of a manifest, or undefined when it has none (or is not JSON). */
export function subjectOf(bytes: Buffer): string | undefined {
  try {
    const parsed = JSON.parse(bytes.toString('utf8')) as ParsedReferrer
    return typeof parsed.subject?.digest === 'string' ? parsed.subject.digest : undefined
  } catch {
    return undefined
  }
}

/**
 * The descriptor the referrers API lists for a manifest: artifactType is the manifest's, else its
 * config's media type (image spec "artifactType"), and the manifest's annotations.
 */
export function referrerDescriptor(digest: string, bytes: Buffer, mediaType: string): ReferrerDescriptor {
  const parsed = JSON.parse(bytes.toString('utf8')) as ParsedReferrer
  const artifactType =
    typeof parsed.artifactType === 'string' ? parsed.artifactType : typeof parsed.config?.mediaType === 'string' ? parsed.config.mediaType : undefined
  const annotations = typeof parsed.annotations === 'object' && parsed.annotations !== null ? (parsed.annotations as Record<string, string>) : undefined
  return { mediaType, digest, size: bytes.length, ...(artifactType ? { artifactType } : {}), ...(annotations ? { annotations } : {}) }
}

/** Which manifests of each repository refer to which subject. */
export class ReferrersIndex {
  private readonly bySubject = new Map<string, Map<string, ReferrerDescriptor>>()

  /** Records a stored manifest; returns its subject digest (for the OCI-Subject header) when it has one. */
  record(repository: string, digest: string, bytes: Buffer, mediaType: string): string | undefined {
    const subject = subjectOf(bytes)
    if (!subject) return undefined
    const key = `${repository}@${subject}`
    let referrers = this.bySubject.get(key)
    if (!referrers) this.bySubject.set(key, (referrers = new Map<string, ReferrerDescriptor>()))
    referrers.set(digest, referrerDescriptor(digest, bytes, mediaType))
    return subject
  }

  /** The referrers of a subject still in the repository, optionally of one artifact type. */
  async list(upstream: UpstreamRegistry, repository: string, subject: string, artifactType?: string): Promise<ReferrerDescriptor[]> {
    const all = [...(this.bySubject.get(`${repository}@${subject}`)?.values() ?? [])]
    const present: ReferrerDescriptor[] = []
    for (const descriptor of all) {
      if (artifactType !== undefined && descriptor.artifactType !== artifactType) continue
      if ((await upstream.headManifest(repository, descriptor.digest)) !== undefined) present.push(descriptor)
    }
    return present
  }
}

/** The body and headers of a referrers API answer. */
export function referrersAnswer(manifests: ReferrerDescriptor[], filtered: boolean): { body: string; headers: Record<string, string> } {
  return {
    body: JSON.stringify({ schemaVersion: 2, mediaType: OCI_INDEX, manifests }),
    headers: { 'content-type': OCI_INDEX, ...(filtered ? { 'oci-filters-applied': 'artifactType' } : {}) }
  }
}

/** A client's view: GET /v2/<name>/referrers/<digest> on a registry host of the endpoint, with its headers. */
export async function getReferrers(
  registryHost: string,
  password: string,
  repository: string,
  digest: string,
  artifactType?: string
): Promise<{ status: number; filtersApplied: string | null; manifests: ReferrerDescriptor[] }> {
  const url = new URL(`http://${registryHost}/v2/${repository}/referrers/${digest}`)
  if (artifactType !== undefined) url.searchParams.set('artifactType', artifactType)
  const response = await fetch(url, { headers: { authorization: `Basic ${Buffer.from(`AWS:${password}`).toString('base64')}` } })
  const body = (await response.json()) as { manifests?: ReferrerDescriptor[] }
  return { status: response.status, filtersApplied: response.headers.get('oci-filters-applied'), manifests: body.manifests ?? [] }
}
