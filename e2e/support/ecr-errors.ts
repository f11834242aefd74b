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
  unknownOperation: (target: string) =>
    new EcrApiError('UnknownOperationException', `The operation '${target}' is not recognized by the service.`),
  serialization: () => new EcrApiError('SerializationException', 'Start of structure or map found where not expected.'),
  throttling: () => new EcrApiError('ThrottlingException', 'Rate exceeded'),
  accessDenied: (account: string, region: string, operation: string, repository: string | undefined) =>
    new EcrApiError(
      'AccessDeniedException',
      `User: arn:aws:iam::${account}:user/ci is not authorized to perform: ecr:${operation} on resource: ` +
        `${repository ? `arn:aws:ecr:${region}:${account}:repository/${repository}` : '*'} ` +
        `because no identity-based policy allows the ecr:${operation} action`
    ),
  repositoryNotFound: (repository: string, registryId: string) =>
    new EcrApiError(
      'RepositoryNotFoundException',
      `The repository with name '${repository}' does not exist in the registry with id '${registryId}'`
    ),
  repositoryAlreadyExists: (repository: string, registryId: string) =>
    new EcrApiError(
      'RepositoryAlreadyExistsException',
      `The repository with name '${repository}' already exists in the registry with id '${registryId}'`
    ),
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
  layersNotFound: (detail: string) =>
    new EcrApiError('LayersNotFoundException', `The image manifest references layers that do not exist: ${detail}`),
  server: (detail: string) => new EcrApiError('ServerException', `Internal service error: ${detail}`, 500)
}

/** Registry (data plane) error bodies, in the distribution spec's {"errors":[...]} shape. */
export function registryErrorBody(code: string, message: string, detail?: unknown): string {
  return JSON.stringify({ errors: [detail === undefined ? { code, message } : { code, message, detail }] })
}

export const registryErrors = {
  unauthorized: () => registryErrorBody('UNAUTHORIZED', 'authentication required'),
  nameUnknown: (repository: string, registryId: string) =>
    registryErrorBody(
      'NAME_UNKNOWN',
      `The repository with name '${repository}' does not exist in the registry with id '${registryId}'`
    ),
  tagInvalid: (tag: string, repository: string) =>
    registryErrorBody(
      'TAG_INVALID',
      `The image tag '${tag}' already exists in the '${repository}' repository and cannot be overwritten because the repository is immutable.`
    ),
  unavailable: () => registryErrorBody('UNAVAILABLE', 'service unavailable'),
  badGateway: (detail: string) => registryErrorBody('UNKNOWN', `upstream registry unreachable: ${detail}`)
}
