import { describe, expect, it } from '@jest/globals'
import { ECRServiceException, RepositoryNotFoundException } from '@aws-sdk/client-ecr'
import { describeAwsError, repositoryMissing, type AwsCallContext } from '../../src/shared/aws-errors.js'
import { UserError } from '../../src/shared/errors.js'

const context = (overrides: Partial<AwsCallContext> = {}): AwsCallContext => ({
  operation: 'PutImage',
  repository: 'team/api',
  region: 'eu-west-1',
  partition: 'aws',
  registryId: '123456789012',
  ...overrides
})

const serviceError = (name: string, message: string, attempts?: number) =>
  new ECRServiceException({ name, $fault: 'client', message, $metadata: attempts === undefined ? {} : { attempts } })

const networkError = (code: string) => Object.assign(new Error(`connect ${code} 1.2.3.4:443`), { code })

describe('describeAwsError', () => {
  it.each([
    [
      'HTTP 407 from a proxy (the SDK sees an unknown error) names the proxy and its variables',
      new ECRServiceException({ name: 'Unknown', $fault: 'client', message: 'UnknownError', $metadata: { httpStatusCode: 407 } }),
      context({ operation: 'GetAuthorizationToken', repository: undefined }),
      "The proxy between the runner and ECR refused ecr:GetAuthorizationToken with HTTP 407 Proxy Authentication Required: check the user name and password in the runner's https_proxy / HTTPS_PROXY (http_proxy for an http:// endpoint)."
    ],
    [
      'AccessDeniedException names the IAM action and the repository ARN',
      serviceError('AccessDeniedException', 'User: arn:aws:sts::1:assumed-role/ci is not authorized\n to perform: ecr:PutImage'),
      context(),
      'AWS denied ecr:PutImage on team/api: add "ecr:PutImage" on arn:aws:ecr:eu-west-1:123456789012:repository/team/api to the role\'s policy (README: IAM policy). AWS said: User: arn:aws:sts::1:assumed-role/ci is not authorized to perform: ecr:PutImage'
    ],
    [
      "AccessDenied names the ARN in the region's partition (China)",
      serviceError('AccessDeniedException', 'no'),
      context({ region: 'cn-north-1', partition: 'aws-cn' }),
      'AWS denied ecr:PutImage on team/api: add "ecr:PutImage" on arn:aws-cn:ecr:cn-north-1:123456789012:repository/team/api to the role\'s policy (README: IAM policy). AWS said: no'
    ],
    [
      'AccessDenied without a repository (GetAuthorizationToken) asks for it on *',
      serviceError('AccessDenied', 'denied'),
      context({ operation: 'GetAuthorizationToken', repository: undefined }),
      'AWS denied ecr:GetAuthorizationToken: add "ecr:GetAuthorizationToken" on * to the role\'s policy (README: IAM policy). AWS said: denied'
    ],
    [
      'AccessDenied without a registry id uses a placeholder account',
      serviceError('AccessDeniedException', 'no'),
      context({ operation: 'BatchGetImage', registryId: undefined }),
      'AWS denied ecr:BatchGetImage on team/api: add "ecr:BatchGetImage" on arn:aws:ecr:eu-west-1:<account>:repository/team/api to the role\'s policy (README: IAM policy). AWS said: no'
    ],
    [
      'RepositoryNotFoundException names repository, account and region',
      new RepositoryNotFoundException({ message: "The repository with name 'team/api' does not exist", $metadata: {} }),
      context(),
      "Repository team/api does not exist in account 123456789012, region eu-west-1: create it (immutable tags recommended), check the repository, registry-id and aws-region inputs, or set create-repository: true. AWS said: The repository with name 'team/api' does not exist"
    ],
    [
      'ThrottlingException with $metadata.attempts',
      serviceError('ThrottlingException', 'Rate exceeded', 5),
      context({ operation: 'BatchGetImage' }),
      'ECR throttled ecr:BatchGetImage on team/api after 5 attempts: re-run the job, or run fewer builds against this registry at once.'
    ],
    [
      'TooManyRequestsException without attempts',
      serviceError('TooManyRequestsException', 'slow down'),
      context({ operation: 'GetAuthorizationToken', repository: undefined }),
      'ECR throttled ecr:GetAuthorizationToken: re-run the job, or run fewer builds against this registry at once.'
    ],
    [
      'RequestLimitExceeded',
      serviceError('RequestLimitExceeded', 'limit', 3),
      context(),
      'ECR throttled ecr:PutImage on team/api after 3 attempts: re-run the job, or run fewer builds against this registry at once.'
    ],
    ...['UnrecognizedClientException', 'InvalidSignatureException', 'ExpiredTokenException', 'InvalidClientTokenId', 'SignatureDoesNotMatch'].map(
      (name) =>
        [
          `${name} points at the credentials step`,
          serviceError(name, 'The security token included in the request is expired'),
          context(),
          `AWS rejected the credentials for ecr:PutImage (${name}: The security token included in the request is expired): check the aws-actions/configure-aws-credentials step (role, region, session duration).`
        ] as const
    ),
    [
      'CredentialsProviderError: no credentials at all',
      Object.assign(new Error('Could not load credentials from any providers'), { name: 'CredentialsProviderError' }),
      context({ operation: 'GetAuthorizationToken', repository: undefined }),
      'No AWS credentials found: add aws-actions/configure-aws-credentials before this step (OIDC role), or set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY.'
    ],
    ...['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'EHOSTUNREACH', 'EPIPE'].map(
      (code) =>
        [
          `network error ${code}`,
          networkError(code),
          context({ operation: 'DescribeRepositories' }),
          `Could not reach ECR in eu-west-1 for ecr:DescribeRepositories (${code}): check the runner's network and proxy settings, the region, and AWS_ENDPOINT_URL_ECR if set.`
        ] as const
    ),
    [
      'TimeoutError',
      Object.assign(new Error('socket hang up'), { name: 'TimeoutError' }),
      context({ operation: 'DescribeRepositories' }),
      "Could not reach ECR in eu-west-1 for ecr:DescribeRepositories (TimeoutError): check the runner's network and proxy settings, the region, and AWS_ENDPOINT_URL_ECR if set."
    ],
    [
      'an unknown service error keeps its name and message',
      serviceError('ServerException', 'internal\nerror'),
      context(),
      'ecr:PutImage on team/api failed: ServerException: internal error'
    ],
    [
      "an unknown service error keeps AWS's request id, which AWS support asks for",
      new ECRServiceException({
        name: 'ServerException',
        $fault: 'server',
        message: 'internal failure',
        $metadata: { requestId: 'c0ffee00-1234-4abc-9def-000000000001' }
      }),
      context(),
      'ecr:PutImage on team/api failed: ServerException: internal failure (AWS request id c0ffee00-1234-4abc-9def-000000000001)'
    ],
    [
      'an unknown error code that is not a network one',
      Object.assign(new Error('weird'), { code: 'EWHATEVER' }),
      context(),
      'ecr:PutImage on team/api failed: Error: weird'
    ],
    ['an Error without a message', new Error(''), context({ repository: undefined }), 'ecr:PutImage failed: Error: no message'],
    ['a thrown string', 'boom', context(), 'ecr:PutImage on team/api failed: Error: no message'],
    ['undefined', undefined, context(), 'ecr:PutImage on team/api failed: Error: no message'],
    ['null', null, context(), 'ecr:PutImage on team/api failed: Error: no message']
  ])('%s', (_name, error, ctx, message) => {
    const described = describeAwsError(error, ctx)
    expect(described).toBeInstanceOf(UserError)
    expect(described.message).toBe(message)
    expect(described.message).not.toContain('\n')
  })
})

describe('repositoryMissing', () => {
  it.each([
    [{ repository: 'team/api', region: 'us-east-1', registryId: '210987654321' }, 'account 210987654321'],
    [{ repository: 'team/api', region: 'us-east-1', registryId: undefined }, "the credentials' account"]
  ])('%j names %s', (ctx, account) => {
    expect(repositoryMissing(ctx)).toBe(
      `Repository team/api does not exist in ${account}, region us-east-1: create it (immutable tags recommended), check the repository, registry-id and aws-region inputs, or set create-repository: true.`
    )
  })
})
