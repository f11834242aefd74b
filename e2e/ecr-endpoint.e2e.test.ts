// Proves the fake ECR endpoint behaves like ECR where the action depends on it: the real
// @aws-sdk/client-ecr against its API, real docker/buildx against its registry, one truth for both.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals'
import {
  BatchDeleteImageCommand,
  BatchGetImageCommand,
  CreateRepositoryCommand,
  DescribeImagesCommand,
  DescribeRepositoriesCommand,
  ECRClient,
  ECRServiceException,
  GetAuthorizationTokenCommand,
  ImageAlreadyExistsException,
  ImageDigestDoesNotMatchException,
  ImageNotFoundException,
  ImageTagAlreadyExistsException,
  InvalidParameterException,
  LayersNotFoundException,
  PutAccountSettingCommand,
  PutImageCommand,
  RepositoryAlreadyExistsException,
  RepositoryNotFoundException
} from '@aws-sdk/client-ecr'
import { createHash } from 'node:crypto'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { startEcrEndpoint, type EcrEndpoint } from './support/ecr-endpoint.js'
import { dockerLogin, ensureRealParts, makeContext, runCommand, type CommandResult } from './support/real-parts.js'

const ACCOUNT = '123456789012'

let endpoint: EcrEndpoint
let client: ECRClient
let workDir: string
let dockerConfig: string
let logFile: string

beforeAll(async () => {
  await ensureRealParts()
  workDir = await mkdtemp(path.join(os.tmpdir(), 'ecr-endpoint-e2e-'))
  dockerConfig = path.join(workDir, 'docker-config')
  logFile = path.join(workDir, 'requests.jsonl')
  endpoint = await startEcrEndpoint({ logFile })
  client = new ECRClient({
    endpoint: endpoint.apiUrl,
    region: endpoint.region,
    credentials: { accessKeyId: endpoint.env()['AWS_ACCESS_KEY_ID'] ?? '', secretAccessKey: endpoint.env()['AWS_SECRET_ACCESS_KEY'] ?? '' }
  })
})

afterAll(async () => {
  client?.destroy()
  await endpoint?.stop()
  if (workDir) await rm(workDir, { recursive: true, force: true })
})

function basicAuth(): string {
  return `Basic ${Buffer.from(`AWS:${endpoint.password}`).toString('base64')}`
}

async function caught(promise: Promise<unknown>): Promise<Error & { $metadata?: { httpStatusCode?: number; attempts?: number } }> {
  try {
    await promise
  } catch (error) {
    return error as Error
  }
  throw new Error('expected a rejection')
}

async function buildPush(repository: string, tag: string, content: string, metadataFile?: string): Promise<CommandResult> {
  const context = await makeContext(path.join(workDir, `ctx-${createHash('sha1').update(content).digest('hex').slice(0, 8)}`), { content })
  const args = ['buildx', 'build', '--network=none', '-t', `${endpoint.registryHost}/${repository}:${tag}`, '--push']
  if (metadataFile) args.push('--metadata-file', metadataFile)
  return runCommand('docker', [...args, context], { env: { ...process.env, DOCKER_CONFIG: dockerConfig }, timeoutMs: 120_000 })
}

/** Cross-repository blob mount through the proxy, so a manifest can be PutImage'd elsewhere cheaply. */
async function mountBlobs(manifest: string, from: string, to: string): Promise<void> {
  const parsed = JSON.parse(manifest) as { config: { digest: string }; layers: Array<{ digest: string }> }
  for (const digest of [parsed.config.digest, ...parsed.layers.map((l) => l.digest)]) {
    const res = await fetch(`${endpoint.apiUrl}/v2/${to}/blobs/uploads/?mount=${digest}&from=${from}`, {
      method: 'POST',
      headers: { authorization: basicAuth() }
    })
    expect(res.status).toBe(201)
  }
}

describe('ECR API over AWS JSON 1.1 with the real SDK', () => {
  test('errors arrive as the SDK exception classes with AWS texts', async () => {
    const missing = await caught(client.send(new DescribeRepositoriesCommand({ repositoryNames: ['does/not-exist'] })))
    expect(missing).toBeInstanceOf(RepositoryNotFoundException)
    expect(missing.message).toBe(`The repository with name 'does/not-exist' does not exist in the registry with id '${ACCOUNT}'`)
    expect(missing.$metadata?.httpStatusCode).toBe(400)

    const bad = await caught(client.send(new CreateRepositoryCommand({ repositoryName: 'Bad_Name' })))
    expect(bad).toBeInstanceOf(InvalidParameterException)
    expect(bad.message).toContain("Invalid parameter at 'repositoryName'")

    await client.send(new CreateRepositoryCommand({ repositoryName: 'dup' }))
    const dup = await caught(client.send(new CreateRepositoryCommand({ repositoryName: 'dup' })))
    expect(dup).toBeInstanceOf(RepositoryAlreadyExistsException)
    expect(dup.message).toBe(`The repository with name 'dup' already exists in the registry with id '${ACCOUNT}'`)

    endpoint.deny('DescribeRepositories', 1)
    const denied = await caught(client.send(new DescribeRepositoriesCommand({ repositoryNames: ['dup'] })))
    expect(denied).toBeInstanceOf(ECRServiceException)
    expect(denied.name).toBe('AccessDeniedException')
    expect(denied.message).toBe(
      `User: arn:aws:iam::${ACCOUNT}:user/ci is not authorized to perform: ecr:DescribeRepositories on resource: ` +
        `arn:aws:ecr:us-east-1:${ACCOUNT}:repository/dup because no identity-based policy allows the ecr:DescribeRepositories action`
    )
    const described = await client.send(new DescribeRepositoriesCommand({ repositoryNames: ['dup'] }))
    expect(described.repositories?.[0]).toMatchObject({
      repositoryName: 'dup',
      registryId: ACCOUNT,
      repositoryUri: `${endpoint.registryHost}/dup`,
      repositoryArn: `arn:aws:ecr:us-east-1:${ACCOUNT}:repository/dup`,
      imageTagMutability: 'MUTABLE'
    })
    expect(described.repositories?.[0]?.createdAt).toBeInstanceOf(Date)
  })

  test('unsigned requests and unknown operations are refused like AWS', async () => {
    const unsigned = await fetch(endpoint.apiUrl, {
      method: 'POST',
      headers: { 'x-amz-target': 'AmazonEC2ContainerRegistry_V20150921.DescribeRepositories', 'content-type': 'application/x-amz-json-1.1' },
      body: '{}'
    })
    expect(unsigned.status).toBe(403)
    expect(unsigned.headers.get('x-amzn-errortype')).toBe('MissingAuthenticationTokenException')
    expect(await unsigned.json()).toEqual({ __type: 'MissingAuthenticationTokenException', message: 'Missing Authentication Token' })

    const unknown = await fetch(endpoint.apiUrl, {
      method: 'POST',
      headers: {
        'x-amz-target': 'AmazonEC2ContainerRegistry_V20150921.DeleteLifecyclePolicy',
        'content-type': 'application/x-amz-json-1.1',
        authorization: 'AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20250101/us-east-1/ecr/aws4_request'
      },
      body: '{}'
    })
    expect(unknown.status).toBe(400)
    expect(unknown.headers.get('x-amzn-errortype')).toBe('UnknownOperationException')
  })

  test('ThrottlingException is retried by the SDK', async () => {
    endpoint.resetLog()
    endpoint.throttle('DescribeRepositories', 2)
    const response = await client.send(new DescribeRepositoriesCommand({}))
    expect(response.$metadata.attempts).toBe(3)
    expect(endpoint.counts['DescribeRepositories']).toBe(3)
    expect(endpoint.requestLog.filter((e) => e.errorCode === 'ThrottlingException')).toHaveLength(2)
  })

  test('the SDK finds the endpoint through AWS_ENDPOINT_URL_ECR, and the token is docker-shaped', async () => {
    const saved = { ...process.env }
    Object.assign(process.env, endpoint.env())
    const envClient = new ECRClient({})
    try {
      const token = await envClient.send(new GetAuthorizationTokenCommand({}))
      const data = token.authorizationData?.[0]
      expect(data?.proxyEndpoint).toBe(endpoint.apiUrl)
      expect(Buffer.from(data?.authorizationToken ?? '', 'base64').toString()).toBe(`AWS:${endpoint.password}`)
      expect(endpoint.password.length).toBeGreaterThan(1000)
      const hours = ((data?.expiresAt?.getTime() ?? 0) - Date.now()) / 3_600_000
      expect(hours).toBeGreaterThan(11.9)
      expect(hours).toBeLessThanOrEqual(12)
    } finally {
      envClient.destroy()
      for (const key of Object.keys(endpoint.env())) {
        if (saved[key] === undefined) delete process.env[key]
        else process.env[key] = saved[key]
      }
    }
  })
})

describe('registry API behind ECR rules', () => {
  test('Basic auth with the token password, NAME_UNKNOWN for repositories never created', async () => {
    const anonymous = await fetch(`${endpoint.apiUrl}/v2/`)
    expect(anonymous.status).toBe(401)
    expect(anonymous.headers.get('www-authenticate')).toBe(
      `Basic realm="https://${endpoint.registryHost}/",service="ecr.amazonaws.com"`
    )
    expect(((await anonymous.json()) as { errors: Array<{ code: string }> }).errors[0]?.code).toBe('UNAUTHORIZED')

    const wrong = await fetch(`${endpoint.apiUrl}/v2/`, { headers: { authorization: `Basic ${Buffer.from('AWS:nope').toString('base64')}` } })
    expect(wrong.status).toBe(401)
    expect((await fetch(`${endpoint.apiUrl}/v2/`, { headers: { authorization: basicAuth() } })).status).toBe(200)

    const unknown = await fetch(`${endpoint.apiUrl}/v2/never/created/tags/list`, { headers: { authorization: basicAuth() } })
    expect(unknown.status).toBe(404)
    expect(await unknown.json()).toEqual({
      errors: [
        { code: 'NAME_UNKNOWN', message: `The repository with name 'never/created' does not exist in the registry with id '${ACCOUNT}'` }
      ]
    })
  })

  test('failRegistry answers 503 with a registry error body, then recovers', async () => {
    endpoint.failRegistry(1, { method: 'GET', path: /^\/v2\/$/ })
    const failed = await fetch(`${endpoint.apiUrl}/v2/`, { headers: { authorization: basicAuth() } })
    expect(failed.status).toBe(503)
    expect(((await failed.json()) as { errors: Array<{ code: string }> }).errors[0]?.code).toBe('UNAVAILABLE')
    expect((await fetch(`${endpoint.apiUrl}/v2/`, { headers: { authorization: basicAuth() } })).status).toBe(200)
  })
})

describe('docker and the ECR API agree on one registry', () => {
  let digestA = ''
  let digestB = ''
  let manifestA = ''
  let manifestB = ''

  test('docker login, then buildx --push to an IMMUTABLE repository', async () => {
    await client.send(new CreateRepositoryCommand({ repositoryName: 'team/api', imageTagMutability: 'IMMUTABLE' }))
    const token = await client.send(new GetAuthorizationTokenCommand({}))
    const password = Buffer.from(token.authorizationData?.[0]?.authorizationToken ?? '', 'base64').toString().replace(/^AWS:/, '')
    const login = await dockerLogin(dockerConfig, endpoint.registryHost, password)
    expect(login.stderr + login.stdout).toContain('Login Succeeded')

    const metadataFile = path.join(workDir, 'metadata-a.json')
    const pushed = await buildPush('team/api', 'v1', `image A ${Date.now()}`, metadataFile)
    expect(pushed.code).toBe(0)
    const metadata = JSON.parse(await readFile(metadataFile, 'utf8')) as Record<string, string>
    digestA = metadata['containerimage.digest'] ?? ''
    expect(digestA).toMatch(/^sha256:[0-9a-f]{64}$/)
    expect(await endpoint.manifestDigest('team/api', 'v1')).toBe(digestA)

    const got = await client.send(new BatchGetImageCommand({ repositoryName: 'team/api', imageIds: [{ imageTag: 'v1' }] }))
    expect(got.failures).toEqual([])
    const image = got.images?.[0]
    expect(image?.imageId).toEqual({ imageDigest: digestA, imageTag: 'v1' })
    manifestA = image?.imageManifest ?? ''
    expect(`sha256:${createHash('sha256').update(manifestA).digest('hex')}`).toBe(digestA)
    expect(image?.imageManifestMediaType).toBe('application/vnd.docker.distribution.manifest.v2+json')
  })

  test('a second push of the tag with other content is refused with TAG_INVALID, the tag keeps its digest', async () => {
    const refused = await buildPush('team/api', 'v1', `image B ${Date.now()}`)
    expect(refused.code).not.toBe(0)
    expect(refused.stderr).toContain(
      "tag invalid: The image tag 'v1' already exists in the 'team/api' repository and cannot be overwritten because the repository is immutable."
    )
    expect(await endpoint.manifestDigest('team/api', 'v1')).toBe(digestA)

    // A new tag on an immutable repository is fine.
    const other = await buildPush('team/api', 'v2', `image B ${Date.now()}`)
    expect(other.code).toBe(0)
    const stored = await endpoint.manifest('team/api', 'v2')
    digestB = stored?.digest ?? ''
    manifestB = stored?.text ?? ''
    expect(digestB).not.toBe(digestA)
  })

  test('PutImage retags, and refuses like ECR on an immutable repository', async () => {
    const put = await client.send(
      new PutImageCommand({ repositoryName: 'team/api', imageTag: 'release-1', imageManifest: manifestA, imageDigest: digestA })
    )
    expect(put.image?.imageId).toEqual({ imageDigest: digestA, imageTag: 'release-1' })
    expect(await endpoint.manifestDigest('team/api', 'release-1')).toBe(digestA)

    const taken = await caught(client.send(new PutImageCommand({ repositoryName: 'team/api', imageTag: 'v1', imageManifest: manifestB })))
    expect(taken).toBeInstanceOf(ImageTagAlreadyExistsException)
    expect(taken.message).toBe(
      "The image tag 'v1' already exists in the 'team/api' repository and cannot be overwritten because the tag is immutable."
    )
    const same = await caught(client.send(new PutImageCommand({ repositoryName: 'team/api', imageTag: 'v1', imageManifest: manifestA })))
    expect(same).toBeInstanceOf(ImageAlreadyExistsException)
    expect(same.message).toBe(
      `Image with digest '${digestA}' and tag 'v1' already exists in the repository with name 'team/api' in registry with id '${ACCOUNT}'`
    )
    const mismatch = await caught(
      client.send(new PutImageCommand({ repositoryName: 'team/api', imageTag: 'x', imageManifest: manifestA, imageDigest: digestB }))
    )
    expect(mismatch).toBeInstanceOf(ImageDigestDoesNotMatchException)
    expect(await endpoint.manifestDigest('team/api', 'v1')).toBe(digestA)
  })

  test('MUTABLE moves tags; a manifest whose blobs are missing is LayersNotFoundException', async () => {
    // ECR mounts blobs across repositories only once the registry enables it (user guide "Blob mounting in Amazon ECR").
    await client.send(new PutAccountSettingCommand({ name: 'BLOB_MOUNTING', value: 'ENABLED' }))
    endpoint.createRepository('team/mutable', { mutability: 'MUTABLE' })
    const missing = await caught(client.send(new PutImageCommand({ repositoryName: 'team/mutable', imageTag: 'latest', imageManifest: manifestA })))
    expect(missing).toBeInstanceOf(LayersNotFoundException)

    await mountBlobs(manifestA, 'team/api', 'team/mutable')
    await mountBlobs(manifestB, 'team/api', 'team/mutable')
    await client.send(new PutImageCommand({ repositoryName: 'team/mutable', imageTag: 'latest', imageManifest: manifestA }))
    await client.send(new PutImageCommand({ repositoryName: 'team/mutable', imageTag: 'latest', imageManifest: manifestB }))
    expect(await endpoint.manifestDigest('team/mutable', 'latest')).toBe(digestB)
  })

  test('IMMUTABLE_WITH_EXCLUSION: WILDCARD-excluded tags move, the others are immutable', async () => {
    endpoint.createRepository('team/excl', { mutability: 'IMMUTABLE_WITH_EXCLUSION', exclusionFilters: ['latest', 'dev-*'] })
    await mountBlobs(manifestA, 'team/api', 'team/excl')
    await mountBlobs(manifestB, 'team/api', 'team/excl')
    const put = (tag: string, imageManifest: string): Promise<unknown> =>
      client.send(new PutImageCommand({ repositoryName: 'team/excl', imageTag: tag, imageManifest }))
    await put('latest', manifestA)
    await put('latest', manifestB)
    await put('dev-feature-1', manifestA)
    await put('dev-feature-1', manifestB)
    await put('v1', manifestA)
    expect(await caught(put('v1', manifestB))).toBeInstanceOf(ImageTagAlreadyExistsException)
    expect(await endpoint.manifestDigest('team/excl', 'dev-feature-1')).toBe(digestB)

    // The data plane applies the same rule to a manifest PUT by tag.
    const viaRegistry = await fetch(`${endpoint.apiUrl}/v2/team/excl/manifests/v1`, {
      method: 'PUT',
      headers: { authorization: basicAuth(), 'content-type': 'application/vnd.docker.distribution.manifest.v2+json' },
      body: manifestB
    })
    expect(viaRegistry.status).toBe(400)
    expect(((await viaRegistry.json()) as { errors: Array<{ code: string }> }).errors[0]?.code).toBe('TAG_INVALID')
  })

  test('two racing pushes of one immutable tag: exactly one wins, on both planes', async () => {
    const putManifest = (tag: string, body: string): Promise<Response> =>
      fetch(`${endpoint.apiUrl}/v2/team/api/manifests/${tag}`, {
        method: 'PUT',
        headers: { authorization: basicAuth(), 'content-type': 'application/vnd.docker.distribution.manifest.v2+json' },
        body
      })
    const registryRace = await Promise.all([putManifest('race', manifestA), putManifest('race', manifestB)])
    expect(registryRace.map((r) => r.status).sort()).toEqual([201, 400])
    const loser = registryRace.find((r) => r.status === 400)
    expect(await loser?.text()).toContain("The image tag 'race' already exists in the 'team/api' repository")

    const apiRace = await Promise.allSettled([
      client.send(new PutImageCommand({ repositoryName: 'team/api', imageTag: 'race-api', imageManifest: manifestA })),
      client.send(new PutImageCommand({ repositoryName: 'team/api', imageTag: 'race-api', imageManifest: manifestB }))
    ])
    expect(apiRace.filter((r) => r.status === 'fulfilled')).toHaveLength(1)
    const rejected = apiRace.find((r): r is PromiseRejectedResult => r.status === 'rejected')
    expect(rejected?.reason).toBeInstanceOf(ImageTagAlreadyExistsException)
  })

  test('BatchGetImage reports failures like ECR', async () => {
    const got = await client.send(
      new BatchGetImageCommand({
        repositoryName: 'team/api',
        imageIds: [{ imageTag: 'nope' }, { imageDigest: digestB }, { imageTag: 'v1', imageDigest: digestB }]
      })
    )
    expect(got.images?.map((i) => i.imageId)).toEqual([{ imageDigest: digestB }])
    expect(got.failures).toEqual([
      { imageId: { imageTag: 'nope' }, failureCode: 'ImageNotFound', failureReason: 'Requested image not found' },
      {
        imageId: { imageTag: 'v1', imageDigest: digestB },
        failureCode: 'ImageTagDoesNotMatchDigest',
        failureReason: 'Invalid image digest and tag combination'
      }
    ])
    const noRepo = await caught(client.send(new BatchGetImageCommand({ repositoryName: 'ghost', imageIds: [{ imageTag: 'v1' }] })))
    expect(noRepo).toBeInstanceOf(RepositoryNotFoundException)
  })

  test('BatchDeleteImage by tag removes only that tag; DescribeImages sees it', async () => {
    const deleted = await client.send(
      new BatchDeleteImageCommand({ repositoryName: 'team/api', imageIds: [{ imageTag: 'release-1' }, { imageTag: 'nope' }] })
    )
    expect(deleted.imageIds).toEqual([{ imageDigest: digestA, imageTag: 'release-1' }])
    expect(deleted.failures?.[0]).toMatchObject({ failureCode: 'ImageNotFound' })
    const tags = await endpoint.tags('team/api')
    expect(tags).not.toContain('release-1')
    expect(tags).toContain('v1')
    expect(await endpoint.manifestDigest('team/api', 'v1')).toBe(digestA)

    const described = await client.send(new DescribeImagesCommand({ repositoryName: 'team/api', imageIds: [{ imageTag: 'v1' }] }))
    expect(described.imageDetails?.[0]).toMatchObject({ imageDigest: digestA, registryId: ACCOUNT })
    expect(described.imageDetails?.[0]?.imageTags).toContain('v1')
    expect(described.imageDetails?.[0]?.imageTags).not.toContain('release-1')
    expect(described.imageDetails?.[0]?.imagePushedAt).toBeInstanceOf(Date)
    expect(await caught(client.send(new DescribeImagesCommand({ repositoryName: 'team/api', imageIds: [{ imageTag: 'nope' }] })))).toBeInstanceOf(
      ImageNotFoundException
    )
  })

  test('docker push to a repository never created fails with NAME_UNKNOWN', async () => {
    const pushed = await buildPush('ghost/app', 'v1', `image A ${Date.now()}`)
    expect(pushed.code).not.toBe(0)
    expect(pushed.stderr).toContain(`The repository with name 'ghost/app' does not exist in the registry with id '${ACCOUNT}'`)
  })

  test('a 503 on the manifest PUT fails the push without retry', async () => {
    endpoint.failRegistry(1, { method: 'PUT', kind: 'manifests' })
    const pushed = await buildPush('team/api', 'v503', `image C ${Date.now()}`)
    expect(pushed.code).not.toBe(0)
    expect(pushed.stderr).toContain('received unexpected HTTP status: 503 Service Unavailable')
    expect(await endpoint.manifestDigest('team/api', 'v503')).toBeUndefined()
  })

  test('every request is in requestLog and in the JSON-lines log file', async () => {
    expect(endpoint.requestLog.some((e) => e.kind === 'api' && e.operation === 'PutImage')).toBe(true)
    expect(endpoint.requestLog.some((e) => e.kind === 'registry' && e.method === 'PUT' && e.status === 400)).toBe(true)
    const lines = (await readFile(logFile, 'utf8')).trim().split('\n')
    const entries = lines.map((line) => JSON.parse(line) as { kind: string })
    expect(entries.length).toBeGreaterThan(endpoint.requestLog.length)
    expect(new Set(entries.map((e) => e.kind))).toEqual(new Set(['api', 'registry']))
  })
})
