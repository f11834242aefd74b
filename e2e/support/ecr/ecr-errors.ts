// ECR's error codes and message texts, as the real service words them, so that the action's
// error handling is exercised against what it will meet in production.

/** An error the ECR JSON API answers with: HTTP status, x-amzn-ErrorType and {__type, message}. */
export class EcrApiError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status = 400
  ) {
    super(message)
    this.name = code
  }
}

export const ecrErrors = {
  missingAuthenticationToken: () => new EcrApiError('MissingAuthenticationTokenException', 'Missing Authentication Token', 403),
  unknownOperation: (target: string) => new EcrApiError('UnknownOperationException', `The operation '${target}' is not recognized by the service.`),
  serialization: () => new EcrApiError('SerializationException', 'Start of structure or map found where not expected.'),
  throttling: () => new EcrApiError('ThrottlingException', 'Rate exceeded'),
  accessDenied: (account: string, region: string, operation: string, repository: string | undefined) =>
    new EcrApiError(
      'AccessDeniedException',
      notAuthorized(account, `ecr:${operation}`, repository ? `arn:aws:ecr:${region}:${account}:repository/${repository}` : '*')
    ),
  /** AccessDeniedException for an action the endpoint's IAM policy does not allow on the resource. */
  notAuthorized: (account: string, action: string, resource: string) => new EcrApiError('AccessDeniedException', notAuthorized(account, action, resource)),
  repositoryNotFound: (repository: string, registryId: string) =>
    new EcrApiError('RepositoryNotFoundException', `The repository with name '${repository}' does not exist in the registry with id '${registryId}'`),
  repositoryAlreadyExists: (repository: string, registryId: string) =>
    new EcrApiError('RepositoryAlreadyExistsException', `The repository with name '${repository}' already exists in the registry with id '${registryId}'`),
  invalidParameter: (message: string) => new EcrApiError('InvalidParameterException', message),
  imageTagAlreadyExists: (tag: string, repository: string) =>
    new EcrApiError(
      'ImageTagAlreadyExistsException',
      `The image tag '${tag}' already exists in the '${repository}' repository and cannot be overwritten because the tag is immutable.`
    ),
  imageAlreadyExists: (digest: string, tag: string, repository: string, registryId: string) =>
    new EcrApiError(
      'ImageAlreadyExistsException',
      `Image with digest '${digest}' and tag '${tag}' already exists in the repository with name '${repository}' in registry with id '${registryId}'`
    ),
  imageDigestDoesNotMatch: (given: string, computed: string) =>
    new EcrApiError(
      'ImageDigestDoesNotMatchException',
      `The specified image digest '${given}' does not match the digest '${computed}' that Amazon ECR calculated for the image.`
    ),
  imageNotFound: (id: { imageDigest?: string; imageTag?: string }, repository: string, registryId: string) =>
    new EcrApiError(
      'ImageNotFoundException',
      `The image with imageId {imageDigest:'${id.imageDigest ?? 'null'}', imageTag:'${id.imageTag ?? 'null'}'} ` +
        `does not exist within the repository with name '${repository}' in the registry with id '${registryId}'`
    ),
  layersNotFound: (detail: string) => new EcrApiError('LayersNotFoundException', `The image manifest references layers that do not exist: ${detail}`),
  // API_DescribeImageScanFindings: ScanNotFoundException. The message wording is this fake's
  // (modelled on ImageNotFoundException's), not confirmed from AWS documentation.
  scanNotFound: (id: { imageDigest?: string; imageTag?: string }, repository: string, registryId: string) =>
    new EcrApiError(
      'ScanNotFoundException',
      `Image scan does not exist for the image with imageId {imageDigest:'${id.imageDigest ?? 'null'}', imageTag:'${id.imageTag ?? 'null'}'} ` +
        `in the repository with name '${repository}' in the registry with id '${registryId}'`
    ),
  // Wording seen from ECR for an image index (alexjurkiewicz/ecr-scan-image#43).
  unsupportedImageType: (mediaType: string) =>
    new EcrApiError(
      'UnsupportedImageTypeException',
      `An artifact with media type '${mediaType}' cannot be scanned. For more information, see the Amazon ECR documentation.`
    ),
  // API_StartImageScan: ImageArchivedException "The specified image is archived and cannot be scanned."
  imageArchived: () => new EcrApiError('ImageArchivedException', 'The specified image is archived and cannot be scanned.'),
  // API_StartImageScan: once per 24 hours per image; the exception reads like throttling
  // (aws/containers-roadmap#1226). Exact wording not confirmed from AWS documentation.
  scanLimitExceeded: () => new EcrApiError('LimitExceededException', 'The scan quota per image has been exceeded. Wait and try again.'),
  validation: (message: string) => new EcrApiError('ValidationException', message),
  // API_UpdateImageStorageClass: "The requested image storage class update is not supported."
  storageClassUpdateNotSupported: (detail: string) =>
    new EcrApiError('ImageStorageClassUpdateNotSupportedException', `The requested image storage class update is not supported: ${detail}`),
  server: (detail: string) => new EcrApiError('ServerException', `Internal service error: ${detail}`, 500)
}

/**
 * IAM's wording for an implicit deny ("no identity-based policy allows"), as AccessDeniedException
 * messages and ECR's registry DENIED errors carry it.
 */
export function notAuthorized(account: string, action: string, resource: string): string {
  return `User: arn:aws:iam::${account}:user/ci is not authorized to perform: ${action} on resource: ${resource} because no identity-based policy allows the ${action} action`
}

/** Registry (data plane) error bodies, in the distribution spec's {"errors":[...]} shape. */
export function registryErrorBody(code: string, message: string, detail?: unknown): string {
  return JSON.stringify({ errors: [detail === undefined ? { code, message } : { code, message, detail }] })
}

export const registryErrors = {
  unauthorized: () => registryErrorBody('UNAUTHORIZED', 'authentication required'),
  nameUnknown: (repository: string, registryId: string) =>
    registryErrorBody('NAME_UNKNOWN', `The repository with name '${repository}' does not exist in the registry with id '${registryId}'`),
  tagInvalid: (tag: string, repository: string) =>
    registryErrorBody(
      'TAG_INVALID',
      `The image tag '${tag}' already exists in the '${repository}' repository and cannot be overwritten because the repository is immutable.`
    ),
  unavailable: () => registryErrorBody('UNAVAILABLE', 'service unavailable'),
  // ECR answers a registry request IAM refuses with 403 and the distribution spec's DENIED code.
  denied: (message: string) => registryErrorBody('DENIED', message),
  // User guide "Archiving an image": "Requests to pull the archived image will fail with a 404
  // error." The code and message are the distribution spec's for an unknown manifest / blob.
  manifestArchived: (reference: string) => registryErrorBody('MANIFEST_UNKNOWN', `The image is archived: ${reference}`),
  blobArchived: (digest: string) => registryErrorBody('BLOB_UNKNOWN', `The blob belongs only to archived images: ${digest}`),
  badGateway: (detail: string) => registryErrorBody('UNKNOWN', `upstream registry unreachable: ${detail}`),
  // The distribution spec's codes: a manifest not (yet) visible, and an index whose child is not.
  manifestUnknown: (reference: string) => registryErrorBody('MANIFEST_UNKNOWN', `manifest unknown: ${reference}`),
  manifestBlobUnknown: (digest: string) => registryErrorBody('MANIFEST_BLOB_UNKNOWN', `blob unknown to registry: ${digest}`)
}
