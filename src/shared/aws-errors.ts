import { UserError, oneLine } from './errors.js'

export interface AwsCallContext {
  readonly operation: string
  readonly repository: string | undefined
  readonly region: string
  /** aws, aws-cn, aws-us-gov, …: the first field of every ARN in the region. */
  readonly partition: string
  readonly registryId: string | undefined
}

const CREDENTIAL_ERRORS = new Set([
  'UnrecognizedClientException',
  'InvalidSignatureException',
  'ExpiredTokenException',
  'InvalidClientTokenId',
  'SignatureDoesNotMatch'
])
const THROTTLING_ERRORS = new Set(['ThrottlingException', 'TooManyRequestsException', 'RequestLimitExceeded'])
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'EHOSTUNREACH', 'EPIPE'])

/** Turns an AWS SDK error into one line that says what to do about it. */
export function describeAwsError(error: unknown, context: AwsCallContext): UserError {
  const err = (error ?? {}) as {
    name?: string
    message?: string
    code?: string
    $metadata?: { attempts?: number; httpStatusCode?: number; requestId?: string }
  }
  const name = err.name ?? 'Error'
  const message = oneLine(err.message ?? '')
  const action = `ecr:${context.operation}`
  const where = context.repository ? ` on ${context.repository}` : ''

  if (name === 'AccessDeniedException' || name === 'AccessDenied') {
    const resource = context.repository
      ? `arn:${context.partition}:ecr:${context.region}:${context.registryId ?? '<account>'}:repository/${context.repository}`
      : '*'
    return new UserError(`AWS denied ${action}${where}: add "${action}" on ${resource} to the role's policy (README: IAM policy). AWS said: ${message}`)
  }
  if (err.$metadata?.httpStatusCode === 407) {
    // The proxy's own answer: ECR never saw the call, so AWS's error fields say nothing useful.
    return new UserError(
      `The proxy between the runner and ECR refused ${action} with HTTP 407 Proxy Authentication Required: check the user name and password in the runner's https_proxy / HTTPS_PROXY (http_proxy for an http:// endpoint).`
    )
  }
  if (name === 'RepositoryNotFoundException') {
    return new UserError(`${repositoryMissing(context)} AWS said: ${message}`)
  }
  if (THROTTLING_ERRORS.has(name)) {
    const attempts = err.$metadata?.attempts
    return new UserError(
      `ECR throttled ${action}${where}${attempts ? ` after ${attempts} attempts` : ''}: re-run the job, or run fewer builds against this registry at once.`
    )
  }
  if (CREDENTIAL_ERRORS.has(name)) {
    return new UserError(
      `AWS rejected the credentials for ${action} (${name}: ${message}): check the aws-actions/configure-aws-credentials step (role, region, session duration).`
    )
  }
  if (name === 'CredentialsProviderError') {
    return new UserError(
      'No AWS credentials found: add aws-actions/configure-aws-credentials before this step (OIDC role), or set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY.'
    )
  }
  if ((err.code && NETWORK_CODES.has(err.code)) || name === 'TimeoutError') {
    return new UserError(
      `Could not reach ECR in ${context.region} for ${action} (${err.code ?? name}): check the runner's network and proxy settings, the region, and AWS_ENDPOINT_URL_ECR if set.`
    )
  }
  // AWS support asks for the request id first when a call fails in a way nobody expected.
  const requestId = err.$metadata?.requestId ? ` (AWS request id ${err.$metadata.requestId})` : ''
  return new UserError(`${action}${where} failed: ${name}: ${message || 'no message'}${requestId}`)
}

export function repositoryMissing(context: Pick<AwsCallContext, 'repository' | 'region' | 'registryId'>): string {
  const account = context.registryId ? `account ${context.registryId}` : "the credentials' account"
  return `Repository ${context.repository} does not exist in ${account}, region ${context.region}: create it (immutable tags recommended), check the repository, registry-id and aws-region inputs, or set create-repository: true.`
}
