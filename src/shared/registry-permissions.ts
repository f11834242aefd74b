/**
 * The IAM action ECR authorizes each kind of registry request with (AWS: "Amazon ECR identity-based
 * policy examples"; the registry API is authorized as the ECR API operation that does the same).
 * The registry adapter names the action a refused request needs; the README test holds every kind
 * against README's IAM section.
 */
export const REGISTRY_REQUEST_ACTIONS = {
  /** GET or HEAD of a manifest. */
  'manifest-read': ['ecr:BatchGetImage'],
  /** GET of the OCI referrers API (promote copies signatures): ECR names no action of its own; ListImageReferrers is BatchGetImage. */
  'referrers-read': ['ecr:BatchGetImage'],
  /** PUT of a manifest (by digest here; a tag is written with the PutImage API call). */
  'manifest-write': ['ecr:PutImage'],
  /** HEAD of a blob: is it already there. */
  'blob-check': ['ecr:BatchCheckLayerAvailability'],
  /** GET of a blob (configs, and layers when copying). */
  'blob-read': ['ecr:GetDownloadUrlForLayer'],
  /** POST that opens an upload session. */
  'upload-start': ['ecr:InitiateLayerUpload'],
  /** PATCH with the bytes. */
  'upload-part': ['ecr:UploadLayerPart'],
  /** PUT that closes the session with the digest. */
  'upload-complete': ['ecr:CompleteLayerUpload'],
  /** POST ?mount=&from=: an upload on the target that reads the blob from the source ("Blob mounting in Amazon ECR"). */
  'blob-mount': ['ecr:InitiateLayerUpload', 'ecr:GetDownloadUrlForLayer']
} as const satisfies Record<string, readonly string[]>

export type RegistryRequestKind = keyof typeof REGISTRY_REQUEST_ACTIONS

/** "ecr:InitiateLayerUpload on <target> and ecr:GetDownloadUrlForLayer on <source>", or the one action on the repository. */
export function neededPermission(kind: RegistryRequestKind, repository: string, source?: string): string {
  if (kind === 'blob-mount' && source !== undefined) return `ecr:InitiateLayerUpload on ${repository} and ecr:GetDownloadUrlForLayer on ${source}`
  return `${REGISTRY_REQUEST_ACTIONS[kind].join(' and ')} on ${repository}`
}
