import { afterAll, beforeEach, describe, expect, it } from '@jest/globals'
import {
  BatchDeleteImageCommand,
  BatchGetImageCommand,
  CreateRepositoryCommand,
  DescribeImageScanFindingsCommand,
  DescribeImagesCommand,
  DescribeRepositoriesCommand,
  ECRClient,
  ECRServiceException,
  GetAuthorizationTokenCommand,
  GetRegistryScanningConfigurationCommand,
  ImageAlreadyExistsException,
  ImageTagAlreadyExistsException,
  type ImageTagMutability,
  PutImageCommand,
  RepositoryNotFoundException,
  StartImageScanCommand
} from '@aws-sdk/client-ecr'
import { mockClient } from 'aws-sdk-client-mock'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import type { Duplex } from 'node:stream'
import { ACCEPTED_MANIFEST_TYPES, archivedImageMessage, createEcr, TagTakenError, type Ecr, type StoredImage } from '../../src/adapters/ecr.js'
import { UserError } from '../../src/shared/errors.js'

const ACCOUNT = '123456789012'
const OTHER_ACCOUNT = '210987654321'
const HOST = `${ACCOUNT}.dkr.ecr.us-east-1.amazonaws.com`
const PASSWORD = 'eyJwYXlsb2FkIjoi:with-colon'
const TOKEN = Buffer.from(`AWS:${PASSWORD}`).toString('base64')
const D1 = `sha256:${'1'.repeat(64)}`
const D2 = `sha256:${'2'.repeat(64)}`
const MANIFEST = '{"schemaVersion":2,"config":{"digest":"sha256:c"}}'
const OCI = 'application/vnd.oci.image.manifest.v1+json'

const client = new ECRClient({ region: 'us-east-1', credentials: { accessKeyId: 'a', secretAccessKey: 'b' } })
const ecrMock = mockClient(client)
let masked: string[]

function ecr(registryId: string | undefined = undefined): Ecr {
  return createEcr({ region: 'us-east-1', registryId, mask: (secret) => masked.push(secret), client })
}

async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise
  } catch (error) {
    return error as Error
  }
  throw new Error('expected a rejection')
}

const serviceError = (name: string, message = 'message from AWS', attempts?: number) =>
  new ECRServiceException({ name, $fault: 'client', message, $metadata: attempts === undefined ? {} : { attempts } })

beforeEach(() => {
  ecrMock.reset()
  masked = []
})
afterAll(() => ecrMock.restore())

describe('authorize', () => {
  it('masks the token and the password before returning, and takes the host from proxyEndpoint', async () => {
    ecrMock.on(GetAuthorizationTokenCommand).callsFake(() => {
      expect(masked).toEqual([])
      return { authorizationData: [{ authorizationToken: TOKEN, proxyEndpoint: `https://${HOST}`, expiresAt: new Date() }] }
    })
    const credentials = await ecr().authorize()
    expect(masked).toEqual([TOKEN, PASSWORD])
    expect(credentials).toEqual({ registryHost: HOST, endpoint: `https://${HOST}`, username: 'AWS', password: PASSWORD })
    expect(ecrMock.commandCalls(GetAuthorizationTokenCommand)[0]?.args[0].input).toEqual({})
  })

  it.each([
    ['https://localhost:5000', 'localhost:5000'],
    ['https://123456789012.dkr.ecr.cn-north-1.amazonaws.com.cn', '123456789012.dkr.ecr.cn-north-1.amazonaws.com.cn'],
    ['https://vpce-1.dkr.ecr.us-east-1.vpce.amazonaws.com/', 'vpce-1.dkr.ecr.us-east-1.vpce.amazonaws.com']
  ])('registryHost of %s is %s (never a hard-coded domain)', async (proxyEndpoint, host) => {
    ecrMock.on(GetAuthorizationTokenCommand).resolves({ authorizationData: [{ authorizationToken: TOKEN, proxyEndpoint }] })
    expect((await ecr().authorize()).registryHost).toBe(host)
  })

  it('asks for the configured registry', async () => {
    ecrMock.on(GetAuthorizationTokenCommand).resolves({ authorizationData: [{ authorizationToken: TOKEN, proxyEndpoint: `https://${HOST}` }] })
    await ecr(OTHER_ACCOUNT).authorize()
    expect(ecrMock.commandCalls(GetAuthorizationTokenCommand)[0]?.args[0].input).toEqual({ registryIds: [OTHER_ACCOUNT] })
  })

  it.each([
    ['no authorizationData', {}],
    ['no token', { authorizationData: [{ proxyEndpoint: `https://${HOST}` }] }],
    ['no proxyEndpoint', { authorizationData: [{ authorizationToken: TOKEN }] }]
  ])('%s is an error, with nothing masked or returned', async (_name, response) => {
    ecrMock.on(GetAuthorizationTokenCommand).resolves(response)
    const error = await rejection(ecr().authorize())
    expect(error).toBeInstanceOf(UserError)
    expect(error.message).toBe('ECR GetAuthorizationToken returned no token or proxyEndpoint.')
    expect(masked).toEqual([])
  })
})

describe('describeRepository', () => {
  it('maps a found repository, exclusion filters included', async () => {
    ecrMock.on(DescribeRepositoriesCommand).resolves({
      repositories: [
        {
          repositoryName: 'team/api',
          repositoryUri: `${HOST}/team/api`,
          registryId: ACCOUNT,
          imageTagMutability: 'IMMUTABLE_WITH_EXCLUSION',
          imageTagMutabilityExclusionFilters: [
            { filterType: 'WILDCARD', filter: 'latest' },
            { filterType: 'WILDCARD', filter: 'dev-*' },
            { filterType: 'WILDCARD', filter: '' }
          ]
        }
      ]
    })
    expect(await ecr().describeRepository('team/api')).toEqual({
      name: 'team/api',
      uri: `${HOST}/team/api`,
      registryId: ACCOUNT,
      mutability: 'IMMUTABLE_WITH_EXCLUSION',
      exclusionFilters: ['latest', 'dev-*']
    })
    expect(ecrMock.commandCalls(DescribeRepositoriesCommand)[0]?.args[0].input).toEqual({ repositoryNames: ['team/api'], registryId: undefined })
  })

  it.each([
    ['IMMUTABLE', 'IMMUTABLE'],
    ['MUTABLE', 'MUTABLE'],
    ['MUTABLE_WITH_EXCLUSION', 'MUTABLE_WITH_EXCLUSION'],
    ['SOMETHING_NEW', 'MUTABLE'],
    [undefined, 'MUTABLE']
  ])('mutability %j is read as %s (unknown is assumed mutable)', async (imageTagMutability, mutability) => {
    ecrMock
      .on(DescribeRepositoriesCommand)
      .resolves({ repositories: [{ repositoryName: 'team/api', imageTagMutability: imageTagMutability as ImageTagMutability | undefined }] })
    expect(await ecr(OTHER_ACCOUNT).describeRepository('team/api')).toEqual({
      name: 'team/api',
      uri: '',
      registryId: '',
      mutability,
      exclusionFilters: []
    })
    expect(ecrMock.commandCalls(DescribeRepositoriesCommand)[0]?.args[0].input).toEqual({ repositoryNames: ['team/api'], registryId: OTHER_ACCOUNT })
  })

  it.each([
    ['the account named in AWS’s message', undefined, `The repository with name 'team/api' does not exist in the registry with id '${ACCOUNT}'`, ACCOUNT],
    ['the configured registry id over the message', OTHER_ACCOUNT, `... in the registry with id '${ACCOUNT}'`, OTHER_ACCOUNT],
    ['undefined when AWS names no account', undefined, 'The repository does not exist', undefined]
  ])('RepositoryNotFoundException is absent, with %s', async (_name, registryId, message, expected) => {
    ecrMock.on(DescribeRepositoriesCommand).rejects(new RepositoryNotFoundException({ message, $metadata: {} }))
    expect(await ecr(registryId).describeRepository('team/api')).toEqual({ absent: true, registryId: expected })
  })

  it('a repository with missing fields maps to empty values, filters without a pattern dropped', async () => {
    ecrMock.on(DescribeRepositoriesCommand).resolves({
      repositories: [{ imageTagMutability: 'IMMUTABLE_WITH_EXCLUSION', imageTagMutabilityExclusionFilters: [{ filterType: 'WILDCARD', filter: '' }] }]
    })
    expect(await ecr().describeRepository('team/api')).toEqual({
      name: '',
      uri: '',
      registryId: '',
      mutability: 'IMMUTABLE_WITH_EXCLUSION',
      exclusionFilters: []
    })
  })

  it('an empty answer is absent too', async () => {
    ecrMock.on(DescribeRepositoriesCommand).resolves({ repositories: [] })
    expect(await ecr(OTHER_ACCOUNT).describeRepository('team/api')).toEqual({ absent: true, registryId: OTHER_ACCOUNT })
  })

  it('other errors are described, naming ecr:DescribeRepositories', async () => {
    ecrMock.on(DescribeRepositoriesCommand).rejects(serviceError('AccessDeniedException', 'not authorized'))
    const error = await rejection(ecr(ACCOUNT).describeRepository('team/api'))
    expect(error).toBeInstanceOf(UserError)
    expect(error.message).toBe(
      'AWS denied ecr:DescribeRepositories on team/api: add "ecr:DescribeRepositories" on arn:aws:ecr:us-east-1:123456789012:repository/team/api to the role\'s policy (README: IAM policy). AWS said: not authorized'
    )
  })
})

describe('createRepository', () => {
  it('sends IMMUTABLE and scanOnPush, and maps the new repository', async () => {
    ecrMock.on(CreateRepositoryCommand).resolves({
      repository: { repositoryName: 'team/api', repositoryUri: `${HOST}/team/api`, registryId: ACCOUNT, imageTagMutability: 'IMMUTABLE' }
    })
    expect(await ecr().createRepository('team/api', 'IMMUTABLE')).toEqual({
      name: 'team/api',
      uri: `${HOST}/team/api`,
      registryId: ACCOUNT,
      mutability: 'IMMUTABLE',
      exclusionFilters: []
    })
    expect(ecrMock.commandCalls(CreateRepositoryCommand)[0]?.args[0].input).toEqual({
      repositoryName: 'team/api',
      registryId: undefined,
      imageTagMutability: 'IMMUTABLE',
      imageTagMutabilityExclusionFilters: undefined,
      imageScanningConfiguration: { scanOnPush: true }
    })
  })

  it('sends exclusion filters as WILDCARD filters, in the configured registry', async () => {
    ecrMock.on(CreateRepositoryCommand).resolves({ repository: { repositoryName: 'team/api', imageTagMutability: 'IMMUTABLE_WITH_EXCLUSION' } })
    await ecr(OTHER_ACCOUNT).createRepository('team/api', 'IMMUTABLE_WITH_EXCLUSION', ['buildcache', 'dev-*'])
    expect(ecrMock.commandCalls(CreateRepositoryCommand)[0]?.args[0].input).toEqual({
      repositoryName: 'team/api',
      registryId: OTHER_ACCOUNT,
      imageTagMutability: 'IMMUTABLE_WITH_EXCLUSION',
      imageTagMutabilityExclusionFilters: [
        { filterType: 'WILDCARD', filter: 'buildcache' },
        { filterType: 'WILDCARD', filter: 'dev-*' }
      ],
      imageScanningConfiguration: { scanOnPush: true }
    })
  })

  it('an answer without a repository is an error', async () => {
    ecrMock.on(CreateRepositoryCommand).resolves({})
    const error = await rejection(ecr().createRepository('team/api', 'IMMUTABLE'))
    expect(error.message).toBe('ECR CreateRepository returned no repository for team/api.')
  })
})

describe('getImages', () => {
  it('maps images by tag and by digest; what ECR did not find is undefined', async () => {
    ecrMock.on(BatchGetImageCommand).resolves({
      images: [
        { imageId: { imageTag: 'abc1234', imageDigest: D1 }, imageManifest: MANIFEST, imageManifestMediaType: OCI },
        { imageId: { imageDigest: D2 }, imageManifest: '{"manifests":[]}' },
        { imageId: { imageTag: 'not-asked', imageDigest: D1 }, imageManifest: MANIFEST, imageManifestMediaType: OCI }
      ],
      failures: [{ imageId: { imageTag: 'v1' }, failureCode: 'ImageNotFound', failureReason: 'Requested image not found' }]
    })
    const lookup = await ecr(ACCOUNT).getImages('team/api', [{ tag: 'abc1234' }, { tag: 'v1' }, { digest: D2 }, { digest: `sha256:${'9'.repeat(64)}` }])
    expect(lookup.byTag).toEqual(
      new Map<string, StoredImage | undefined>([
        ['abc1234', { digest: D1, manifest: MANIFEST, mediaType: OCI }],
        ['v1', undefined]
      ])
    )
    expect(lookup.byDigest).toEqual(
      new Map<string, StoredImage | undefined>([
        [D2, { digest: D2, manifest: '{"manifests":[]}', mediaType: '' }],
        [`sha256:${'9'.repeat(64)}`, undefined]
      ])
    )
    expect(ecrMock.commandCalls(BatchGetImageCommand)[0]?.args[0].input).toEqual({
      repositoryName: 'team/api',
      registryId: ACCOUNT,
      imageIds: [{ imageTag: 'abc1234' }, { imageTag: 'v1' }, { imageDigest: D2 }, { imageDigest: `sha256:${'9'.repeat(64)}` }],
      acceptedMediaTypes: ACCEPTED_MANIFEST_TYPES
    })
  })

  it('accepts OCI and Docker manifests and indexes', () => {
    expect([...ACCEPTED_MANIFEST_TYPES].sort()).toEqual([
      'application/vnd.docker.distribution.manifest.list.v2+json',
      'application/vnd.docker.distribution.manifest.v2+json',
      'application/vnd.oci.image.index.v1+json',
      'application/vnd.oci.image.manifest.v1+json'
    ])
  })

  it('an answer with neither images nor failures finds nothing', async () => {
    ecrMock.on(BatchGetImageCommand).resolves({})
    const lookup = await ecr().getImages('team/api', [{ tag: 'v1' }, { digest: D1 }])
    expect(lookup.byTag).toEqual(new Map([['v1', undefined]]))
    expect(lookup.byDigest).toEqual(new Map([[D1, undefined]]))
  })

  it('skips images without a digest or a manifest', async () => {
    ecrMock.on(BatchGetImageCommand).resolves({
      images: [{ imageId: { imageTag: 'a' }, imageManifest: MANIFEST }, { imageId: { imageTag: 'b', imageDigest: D1 } }]
    })
    const lookup = await ecr().getImages('team/api', [{ tag: 'a' }, { tag: 'b' }])
    expect(lookup.byTag).toEqual(
      new Map([
        ['a', undefined],
        ['b', undefined]
      ])
    )
  })

  it.each([
    [
      { imageId: { imageTag: 'v1' }, failureCode: 'InvalidImageTag', failureReason: 'bad tag' },
      'ECR could not look up team/api:v1: InvalidImageTag (bad tag).'
    ],
    [{ imageId: { imageDigest: D1 }, failureCode: 'KmsError' }, `ECR could not look up team/api:${D1}: KmsError (no reason given).`],
    [{ failureCode: 'UpstreamUnavailable', failureReason: 'upstream down' }, 'ECR could not look up team/api:?: UpstreamUnavailable (upstream down).']
  ] as const)('any other failure is an error: %j', async (failure, message) => {
    ecrMock.on(BatchGetImageCommand).resolves({ images: [], failures: [failure] })
    const error = await rejection(ecr().getImages('team/api', [{ tag: 'v1' }]))
    expect(error).toBeInstanceOf(UserError)
    expect(error.message).toBe(message)
  })
})

describe('listUntagged', () => {
  it('asks for UNTAGGED images 1000 a page and follows nextToken; each image with its media type and push time', async () => {
    ecrMock
      .on(DescribeImagesCommand)
      .resolvesOnce({
        imageDetails: [
          { imageDigest: D1, imageManifestMediaType: OCI, imagePushedAt: new Date(2000) },
          { imageManifestMediaType: OCI } // no digest: nothing to name it by
        ],
        nextToken: 'page-2'
      })
      .resolvesOnce({ imageDetails: [{ imageDigest: D2 }] })
    expect(await ecr(ACCOUNT).listUntagged('team/api')).toEqual([
      { digest: D1, mediaType: OCI, pushedAt: new Date(2000) },
      { digest: D2, mediaType: '', pushedAt: undefined }
    ])
    // The SDK's paginator sets nextToken on one input object, so only the last call's token can be seen.
    const calls = ecrMock.commandCalls(DescribeImagesCommand).map((call) => call.args[0].input)
    expect(calls).toHaveLength(2)
    expect(calls[1]).toEqual({ repositoryName: 'team/api', registryId: ACCOUNT, filter: { tagStatus: 'UNTAGGED' }, maxResults: 1000, nextToken: 'page-2' })
  })

  it('an empty repository lists nothing', async () => {
    ecrMock.on(DescribeImagesCommand).resolves({})
    expect(await ecr().listUntagged('team/api')).toEqual([])
  })
})

describe('putTag', () => {
  it('an index refused for children ECR does not show yet (ReferencedImagesNotFoundException) is written again after a wait; the log says so', async () => {
    ecrMock
      .on(PutImageCommand)
      .rejectsOnce(serviceError('ReferencedImagesNotFoundException', 'The manifest list is referencing an image that does not exist.'))
      .rejectsOnce(serviceError('ReferencedImagesNotFoundException', 'The manifest list is referencing an image that does not exist.'))
      .resolves({})
    const slept: number[] = []
    const logged: string[] = []
    const adapter = createEcr({
      region: 'us-east-1',
      registryId: undefined,
      mask: () => undefined,
      client,
      sleep: async (ms) => void slept.push(ms),
      log: (m) => logged.push(m)
    })
    await adapter.putTag('team/api', 'v1', { digest: D1, manifest: MANIFEST, mediaType: 'application/vnd.oci.image.index.v1+json' })
    expect(ecrMock.commandCalls(PutImageCommand)).toHaveLength(3)
    expect(slept).toEqual([250, 500])
    expect(logged).toEqual([`ECR served the images team/api@${D1} references after waiting 0.75 s for it (read-after-write lag).`])
  })

  it('still refused after the bound: one line saying what is missing and that nothing else was written', async () => {
    ecrMock.on(PutImageCommand).rejects(serviceError('ReferencedImagesNotFoundException', 'The manifest list is referencing an image that does not exist.'))
    const adapter = createEcr({ region: 'us-east-1', registryId: undefined, mask: () => undefined, client, sleep: async () => undefined })
    const error = await rejection(adapter.putTag('team/api', 'v1', { digest: D1, manifest: MANIFEST, mediaType: OCI }))
    expect(error).toBeInstanceOf(UserError)
    expect(error.message).toBe(
      `ECR refused v1 on team/api@${D1} for 32 s because images it references are missing (ReferencedImagesNotFoundException: The manifest list is referencing an image that does not exist.); nothing else was written: re-run the job.`
    )
  })

  const image: StoredImage = { digest: D1, manifest: MANIFEST, mediaType: OCI }

  it('writes the tag with PutImage, sending the manifest, its digest and media type', async () => {
    ecrMock.on(PutImageCommand).resolves({ image: { imageId: { imageTag: 'v1', imageDigest: D1 } } })
    await expect(ecr(ACCOUNT).putTag('team/api', 'v1', image)).resolves.toBeUndefined()
    expect(ecrMock.commandCalls(PutImageCommand)[0]?.args[0].input).toEqual({
      repositoryName: 'team/api',
      registryId: ACCOUNT,
      imageTag: 'v1',
      imageDigest: D1,
      imageManifest: MANIFEST,
      imageManifestMediaType: OCI
    })
  })

  it('leaves the media type out when it is unknown', async () => {
    ecrMock.on(PutImageCommand).resolves({})
    await ecr().putTag('team/api', 'v1', { ...image, mediaType: '' })
    expect(ecrMock.commandCalls(PutImageCommand)[0]?.args[0].input.imageManifestMediaType).toBeUndefined()
  })

  it('ImageAlreadyExistsException (same image, same tag) is success', async () => {
    ecrMock.on(PutImageCommand).rejects(new ImageAlreadyExistsException({ message: 'Image already exists', $metadata: {} }))
    await expect(ecr().putTag('team/api', 'v1', image)).resolves.toBeUndefined()
  })

  it('ImageTagAlreadyExistsException (tag taken, immutable) is a TagTakenError naming the tag', async () => {
    ecrMock.on(PutImageCommand).rejects(
      new ImageTagAlreadyExistsException({
        message: "The image tag 'v1' already exists in the 'team/api' repository and cannot be overwritten because the tag is immutable.",
        $metadata: {}
      })
    )
    const error = await rejection(ecr().putTag('team/api', 'v1', image))
    expect(error).toBeInstanceOf(TagTakenError)
    expect((error as TagTakenError).tag).toBe('v1')
    expect(error.message).toBe('The tag v1 already exists and ECR keeps it immutable.')
  })
})

describe('deleteTag', () => {
  it('removes one tag with BatchDeleteImage', async () => {
    ecrMock.on(BatchDeleteImageCommand).resolves({ imageIds: [{ imageTag: 'staging' }], failures: [] })
    await ecr(ACCOUNT).deleteTag('team/api', 'staging')
    expect(ecrMock.commandCalls(BatchDeleteImageCommand)[0]?.args[0].input).toEqual({
      repositoryName: 'team/api',
      registryId: ACCOUNT,
      imageIds: [{ imageTag: 'staging' }]
    })
  })

  it('a tag that is already gone is fine', async () => {
    ecrMock.on(BatchDeleteImageCommand).resolves({ failures: [{ imageId: { imageTag: 'staging' }, failureCode: 'ImageNotFound' }] })
    await expect(ecr().deleteTag('team/api', 'staging')).resolves.toBeUndefined()
  })

  it.each([
    [{ failureCode: 'ImageReferencedByManifestList', failureReason: 'in use' }, 'ImageReferencedByManifestList: in use'],
    [{ failureCode: 'KmsError' }, 'KmsError: no reason given']
  ] as const)('any other failure is an error: %j', async (failure, message) => {
    ecrMock.on(BatchDeleteImageCommand).resolves({ failures: [failure] })
    const error = await rejection(ecr().deleteTag('team/api', 'staging'))
    expect(error).toBeInstanceOf(UserError)
    expect(error.message).toBe(message)
  })
})

describe('every call maps AWS errors to one actionable line', () => {
  const image: StoredImage = { digest: D1, manifest: MANIFEST, mediaType: OCI }
  const operations = [
    ['GetAuthorizationToken', GetAuthorizationTokenCommand, (e: Ecr) => e.authorize(), undefined],
    ['DescribeRepositories', DescribeRepositoriesCommand, (e: Ecr) => e.describeRepository('team/api'), 'team/api'],
    ['CreateRepository', CreateRepositoryCommand, (e: Ecr) => e.createRepository('team/api', 'IMMUTABLE'), 'team/api'],
    ['BatchGetImage', BatchGetImageCommand, (e: Ecr) => e.getImages('team/api', [{ tag: 'v1' }]), 'team/api'],
    ['PutImage', PutImageCommand, (e: Ecr) => e.putTag('team/api', 'v1', image), 'team/api'],
    ['BatchDeleteImage', BatchDeleteImageCommand, (e: Ecr) => e.deleteTag('team/api', 'v1'), 'team/api'],
    ['DescribeImages', DescribeImagesCommand, (e: Ecr) => e.listUntagged('team/api'), 'team/api']
  ] as const

  const errors: [string, () => unknown, (op: string, on: string) => string][] = [
    [
      'AccessDeniedException',
      () => serviceError('AccessDeniedException', 'is not authorized to perform this'),
      (op, on) => `AWS denied ecr:${op}${on}: add "ecr:${op}" on `
    ],
    [
      'ThrottlingException',
      () => serviceError('ThrottlingException', 'Rate exceeded', 5),
      (op, on) => `ECR throttled ecr:${op}${on} after 5 attempts: re-run the job, or run fewer builds against this registry at once.`
    ],
    [
      'ExpiredTokenException',
      () => serviceError('ExpiredTokenException', 'The security token included in the request is expired'),
      (op) =>
        `AWS rejected the credentials for ecr:${op} (ExpiredTokenException: The security token included in the request is expired): check the aws-actions/configure-aws-credentials step`
    ],
    [
      'CredentialsProviderError',
      () => Object.assign(new Error('Could not load credentials from any providers'), { name: 'CredentialsProviderError' }),
      () => 'No AWS credentials found: add aws-actions/configure-aws-credentials before this step'
    ],
    [
      'ENOTFOUND',
      () => Object.assign(new Error('getaddrinfo ENOTFOUND api.ecr.us-east-1.amazonaws.com'), { code: 'ENOTFOUND' }),
      (op) => `Could not reach ECR in us-east-1 for ecr:${op} (ENOTFOUND)`
    ],
    ['an unknown error', () => serviceError('ServerException', 'internal failure'), (op, on) => `ecr:${op}${on} failed: ServerException: internal failure`]
  ]

  it.each(
    operations.flatMap(([op, command, call, repository]) =>
      errors.map(([name, make, expected]) => [op, name, command, call, repository, make, expected] as const)
    )
  )('ecr:%s — %s', async (op, _name, command, call, repository, make, expected) => {
    ecrMock.on(command as typeof PutImageCommand).rejects(make() as Error)
    const error = await rejection(call(ecr(ACCOUNT)))
    expect(error).toBeInstanceOf(UserError)
    expect(error.message.startsWith(expected(op, repository ? ` on ${repository}` : ''))).toBe(true)
    expect(error.message).not.toContain('\n')
  })

  it('AccessDenied names the repository ARN in the configured account', async () => {
    ecrMock.on(PutImageCommand).rejects(serviceError('AccessDeniedException', 'no'))
    const error = await rejection(ecr(OTHER_ACCOUNT).putTag('team/api', 'v1', image))
    expect(error.message).toContain(`"ecr:PutImage" on arn:aws:ecr:us-east-1:${OTHER_ACCOUNT}:repository/team/api`)
  })

  it.each([
    ['eu-west-1', 'aws'],
    ['us-gov-west-1', 'aws-us-gov'],
    ['cn-north-1', 'aws-cn'],
    ['cn-northwest-1', 'aws-cn'],
    ['us-iso-east-1', 'aws-iso'],
    ['us-isob-east-1', 'aws-iso-b'],
    ['eu-isoe-west-1', 'aws-iso-e'],
    ['us-isof-south-1', 'aws-iso-f'],
    ['eusc-de-east-1', 'aws-eusc']
  ])('AccessDenied in %s names an ARN of the %s partition', async (region, partition) => {
    ecrMock.on(BatchGetImageCommand).rejects(serviceError('AccessDeniedException', 'no'))
    const adapter = createEcr({ region, registryId: ACCOUNT, mask: () => undefined, client })
    const error = await rejection(adapter.getImages('team/api', [{ tag: 'v1' }]))
    expect(error.message).toContain(`"ecr:BatchGetImage" on arn:${partition}:ecr:${region}:${ACCOUNT}:repository/team/api `)
  })
})

describe('the default client', () => {
  it('is built for the region with retries and the action’s user agent', async () => {
    const classMock = mockClient(ECRClient)
    try {
      classMock.on(GetAuthorizationTokenCommand).resolves({ authorizationData: [{ authorizationToken: TOKEN, proxyEndpoint: `https://${HOST}` }] })
      const adapter = createEcr({ region: 'eu-central-1', registryId: undefined, mask: () => undefined })
      await adapter.authorize()
      const used = classMock.send.getCall(0).thisValue as ECRClient
      expect(used).not.toBe(client)
      expect(await used.config.region()).toBe('eu-central-1')
      expect(await used.config.maxAttempts()).toBe(5)
      expect(used.config.customUserAgent).toEqual([['immutable-ecr-build/1']])
    } finally {
      classMock.restore()
    }
  })

  it.each([
    ['9', 9],
    [' 1 ', 1],
    ['', 5]
  ])('honours AWS_MAX_ATTEMPTS %j set by the user (%d attempts)', async (value, attempts) => {
    const classMock = mockClient(ECRClient)
    try {
      classMock.on(GetAuthorizationTokenCommand).resolves({ authorizationData: [{ authorizationToken: TOKEN, proxyEndpoint: `https://${HOST}` }] })
      await createEcr({ region: 'eu-central-1', registryId: undefined, mask: () => undefined, env: { AWS_MAX_ATTEMPTS: value } }).authorize()
      const used = classMock.send.getCall(0).thisValue as ECRClient
      expect(await used.config.maxAttempts()).toBe(attempts)
    } finally {
      classMock.restore()
    }
  })

  it.each(['0', 'three', '2.5', '-1'])('refuses AWS_MAX_ATTEMPTS %j at once, as one line', (value) => {
    expect(() => createEcr({ region: 'eu-central-1', registryId: undefined, mask: () => undefined, env: { AWS_MAX_ATTEMPTS: value } })).toThrow(
      new UserError(`AWS_MAX_ATTEMPTS '${value}' is not a number of attempts: set it to a whole number of 1 or more, or unset it for 5.`)
    )
  })
})

describe('createEcr behind a proxy', () => {
  it('masks every proxy password at once, before any call', () => {
    const masked: string[] = []
    const logged: string[] = []
    createEcr({
      region: 'eu-west-1',
      registryId: undefined,
      mask: (secret) => masked.push(secret),
      log: (message) => logged.push(message),
      env: { https_proxy: 'http://ci:hunter2@proxy.corp:3128', http_proxy: 'http://ci:s3cond@proxy.corp:3128' }
    })
    expect(masked).toEqual(['hunter2', 's3cond'])
    expect(logged).toEqual([])
  })

  it('a malformed proxy variable fails at once, as one line', () => {
    expect(() => createEcr({ region: 'eu-west-1', registryId: undefined, mask: () => undefined, env: { HTTPS_PROXY: 'http://[bad' } })).toThrow(
      "HTTPS_PROXY is not a proxy URL such as http://proxy.example.com:3128: fix it in the runner's environment, or unset it."
    )
  })
})

/** Runs `body` with these variables in process.env (the SDK reads its endpoint settings there), then restores it. */
async function withProcessEnv<T>(vars: Record<string, string>, body: () => Promise<T>): Promise<T> {
  const saved = Object.fromEntries(Object.keys(vars).map((name) => [name, process.env[name]]))
  Object.assign(process.env, vars)
  try {
    return await body()
  } finally {
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[name]
      else process.env[name] = value
    }
  }
}

const SDK_ENV = { AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE', AWS_SECRET_ACCESS_KEY: 'secret', AWS_EC2_METADATA_DISABLED: 'true' }

async function listening(server: http.Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return (server.address() as AddressInfo).port
}

describe('the default client: the host is the SDK’s, the proxy is chosen for it', () => {
  it.each([
    ['us-east-1', {}, 'api.ecr.us-east-1.amazonaws.com:443'],
    ['us-east-1', { AWS_USE_FIPS_ENDPOINT: 'true' }, 'api.ecr-fips.us-east-1.amazonaws.com:443'],
    ['us-gov-west-1', { AWS_USE_FIPS_ENDPOINT: 'true' }, 'api.ecr-fips.us-gov-west-1.amazonaws.com:443'],
    ['us-east-1', { AWS_USE_DUALSTACK_ENDPOINT: 'true' }, 'ecr.us-east-1.api.aws:443'],
    ['us-iso-east-1', {}, 'api.ecr.us-iso-east-1.c2s.ic.gov:443'],
    ['eusc-de-east-1', {}, 'api.ecr.eusc-de-east-1.amazonaws.eu:443'],
    ['cn-north-1', {}, 'api.ecr.cn-north-1.amazonaws.com.cn:443']
  ])('%s with %j goes to %s through the proxy, and says so', async (region, sdkEnv, target) => {
    const seen: string[] = []
    const proxy = http.createServer()
    proxy.on('connect', (req: http.IncomingMessage, socket: Duplex) => {
      seen.push(req.url ?? '')
      socket.end('HTTP/1.1 403 Forbidden\r\n\r\n')
    })
    const port = await listening(proxy)
    const logged: string[] = []
    try {
      await withProcessEnv({ ...SDK_ENV, ...sdkEnv }, async () => {
        const adapter = createEcr({
          region,
          registryId: undefined,
          mask: () => undefined,
          log: (message) => logged.push(message),
          env: { https_proxy: `http://127.0.0.1:${port}`, AWS_MAX_ATTEMPTS: '1' }
        })
        await rejection(adapter.getImages('team/api', [{ tag: 'v1' }]))
      })
    } finally {
      proxy.close()
    }
    expect(seen).toEqual([target])
    expect(logged).toContain(`ECR API calls to ${target.replace(/:443$/, '')} go through the proxy http://127.0.0.1:${port} (https_proxy).`)
  })
})

describe('the default client: timeouts and retries', () => {
  /** A loopback ECR API that leaves the first `stalled` calls unanswered (read, then silence). */
  async function stallingApi(stalled: number): Promise<{ url: string; calls: () => number; close: () => void }> {
    let calls = 0
    const server = http.createServer((req, res) => {
      req.resume()
      req.on('end', () => {
        calls++
        if (calls <= stalled) return
        res.writeHead(200, { 'content-type': 'application/x-amz-json-1.1' }).end(JSON.stringify({ images: [], failures: [] }))
      })
    })
    const port = await listening(server)
    return {
      url: `http://127.0.0.1:${port}`,
      calls: () => calls,
      close: () => {
        server.closeAllConnections()
        server.close()
      }
    }
  }

  it('a call left unanswered is abandoned after the idle limit and retried by the SDK; the log says how many retries', async () => {
    const api = await stallingApi(1)
    const logged: string[] = []
    try {
      await withProcessEnv({ ...SDK_ENV, AWS_ENDPOINT_URL_ECR: api.url }, async () => {
        const adapter = createEcr({
          region: 'us-east-1',
          registryId: undefined,
          mask: () => undefined,
          log: (m) => logged.push(m),
          env: { IEB_IDLE_TIMEOUT_MS: '300' }
        })
        const lookup = await adapter.getImages('team/api', [{ tag: 'v1' }])
        expect(lookup.byTag.get('v1')).toBeUndefined()
      })
    } finally {
      api.close()
    }
    expect(api.calls()).toBe(2)
    expect(logged).toEqual(['ECR BatchGetImage succeeded after 1 retry (2 attempts).'])
  })

  it('calls never answered: one line naming the operation once the attempts are spent', async () => {
    const api = await stallingApi(100)
    const logged: string[] = []
    let error: Error | undefined
    try {
      await withProcessEnv({ ...SDK_ENV, AWS_ENDPOINT_URL_ECR: api.url }, async () => {
        const adapter = createEcr({
          region: 'us-east-1',
          registryId: undefined,
          mask: () => undefined,
          log: (m) => logged.push(m),
          env: { IEB_IDLE_TIMEOUT_MS: '200', AWS_MAX_ATTEMPTS: '2' }
        })
        error = await rejection(adapter.getImages('team/api', [{ tag: 'v1' }]))
      })
    } finally {
      api.close()
    }
    expect(api.calls()).toBe(2)
    expect(error).toBeInstanceOf(UserError)
    expect(error?.message).toMatch(/^Could not reach ECR in us-east-1 for ecr:BatchGetImage \(TimeoutError\)/)
    expect(logged).toEqual(['ECR BatchGetImage failed after 1 retry (2 attempts).'])
  })
})

describe('archived images (BatchGetImage failure ImageInaccessible)', () => {
  it.each([
    [
      { imageDigest: D1 },
      `team/api@${D1} is archived (ECR storage class ARCHIVE): restore it with \`aws ecr update-image-storage-class --repository-name team/api --image-id imageDigest=${D1} --target-storage-class STANDARD\` and wait until it is ACTIVE, then re-run.`
    ],
    [
      { imageTag: 'v1' },
      'team/api:v1 is archived (ECR storage class ARCHIVE): restore it with `aws ecr update-image-storage-class --repository-name team/api --image-id imageTag=v1 --target-storage-class STANDARD` and wait until it is ACTIVE, then re-run.'
    ]
  ])('%j fails with one line saying how to restore it', async (imageId, message) => {
    ecrMock.on(BatchGetImageCommand).resolves({ images: [], failures: [{ imageId, failureCode: 'ImageInaccessible', failureReason: 'archived' }] })
    const error = await rejection(ecr().getImages('team/api', ['imageDigest' in imageId ? { digest: D1 } : { tag: 'v1' }]))
    expect(error).toBeInstanceOf(UserError)
    expect(error.message).toBe(message)
    expect(error.message).toBe(archivedImageMessage('team/api', 'imageDigest' in imageId ? D1 : 'v1'))
  })
})

describe('startImageScan', () => {
  it.each<[string, Error | undefined, unknown]>([
    ['started', undefined, { outcome: 'started' }],
    ['LimitExceededException', serviceError('LimitExceededException', 'The scan quota per image has been exceeded.'), { outcome: 'limit-exceeded' }],
    [
      'UnsupportedImageTypeException',
      serviceError('UnsupportedImageTypeException', "An artifact with media type 'x' cannot be scanned."),
      { outcome: 'unsupported', message: "An artifact with media type 'x' cannot be scanned." }
    ]
  ])('%s', async (_name, error, expected) => {
    if (error) ecrMock.on(StartImageScanCommand).rejects(error)
    else ecrMock.on(StartImageScanCommand).resolves({ imageScanStatus: { status: 'IN_PROGRESS' } })
    expect(await ecr(OTHER_ACCOUNT).startImageScan('team/api', D1)).toEqual(expected)
    expect(ecrMock.commandCalls(StartImageScanCommand)[0]?.args[0].input).toEqual({
      repositoryName: 'team/api',
      registryId: OTHER_ACCOUNT,
      imageId: { imageDigest: D1 }
    })
  })

  it('an archived image is the archive line; other errors are one AWS line', async () => {
    ecrMock.on(StartImageScanCommand).rejects(serviceError('ImageArchivedException'))
    expect((await rejection(ecr().startImageScan('team/api', D1))).message).toBe(archivedImageMessage('team/api', D1))
    ecrMock.on(StartImageScanCommand).rejects(serviceError('AccessDeniedException', 'not allowed'))
    const denied = await rejection(ecr().startImageScan('team/api', D1))
    expect(denied).toBeInstanceOf(UserError)
    expect(denied.message).toContain('StartImageScan')
  })
})

describe('describeScanFindings', () => {
  it('follows nextToken and normalises basic findings; ECR counts kept', async () => {
    ecrMock
      .on(DescribeImageScanFindingsCommand)
      .resolvesOnce({
        imageScanStatus: { status: 'COMPLETE', description: 'done' },
        imageScanFindings: {
          imageScanCompletedAt: new Date(1000),
          findingSeverityCounts: { HIGH: 1, LOW: 1 },
          findings: [{ name: 'CVE-2', severity: 'LOW' }]
        },
        nextToken: 'page-2'
      })
      .resolvesOnce({ imageScanStatus: { status: 'COMPLETE' }, imageScanFindings: { findings: [{ name: 'CVE-1', severity: 'HIGH' }] } })
    const result = await ecr().describeScanFindings('team/api', D1)
    expect(result).toMatchObject({ found: true, status: 'COMPLETE', description: 'done', severityCounts: { HIGH: 1, LOW: 1 }, completedAt: new Date(1000) })
    expect(result.found && result.findings.map((f) => f.id)).toEqual(['CVE-1', 'CVE-2'])
    const calls = ecrMock.commandCalls(DescribeImageScanFindingsCommand).map((c) => c.args[0].input)
    expect(calls).toEqual([
      { repositoryName: 'team/api', registryId: undefined, imageId: { imageDigest: D1 }, maxResults: 1000 },
      { repositoryName: 'team/api', registryId: undefined, imageId: { imageDigest: D1 }, maxResults: 1000, nextToken: 'page-2' }
    ])
  })

  it('an in-progress scan has a status and no findings; ScanNotFoundException is found: false', async () => {
    ecrMock.on(DescribeImageScanFindingsCommand).resolves({ imageScanStatus: { status: 'IN_PROGRESS' } })
    expect(await ecr().describeScanFindings('team/api', D1)).toEqual({
      found: true,
      status: 'IN_PROGRESS',
      description: undefined,
      findings: [],
      severityCounts: {},
      completedAt: undefined
    })
    ecrMock.on(DescribeImageScanFindingsCommand).rejects(serviceError('ScanNotFoundException'))
    expect(await ecr().describeScanFindings('team/api', D1)).toEqual({ found: false })
    ecrMock.on(DescribeImageScanFindingsCommand).rejects(serviceError('ServerException'))
    expect(await rejection(ecr().describeScanFindings('team/api', D1))).toBeInstanceOf(UserError)
  })
})

describe('registryScanType', () => {
  it.each([
    [{ scanningConfiguration: { scanType: 'ENHANCED' as const, rules: [] } }, 'ENHANCED'],
    [{ scanningConfiguration: { scanType: 'BASIC' as const } }, 'BASIC'],
    [{}, 'BASIC']
  ])('%j → %s', async (response, expected) => {
    ecrMock.on(GetRegistryScanningConfigurationCommand).resolves(response)
    expect(await ecr().registryScanType()).toBe(expected)
  })
})
