// Proves the fake ECR endpoint behaves like ECR where the action depends on it: the real
// @aws-sdk/client-ecr against its API, real docker/buildx against its registry, one truth for both.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals'
import {
  BatchDeleteImageCommand,
  BatchGetImageCommand,
  BatchGetRepositoryScanningConfigurationCommand,
  CreateRepositoryCommand,
  DescribeImageScanFindingsCommand,
  DescribeImagesCommand,
  DescribeRepositoriesCommand,
  ECRClient,
  ECRServiceException,
  GetAccountSettingCommand,
  GetAuthorizationTokenCommand,
  GetRegistryScanningConfigurationCommand,
  ImageAlreadyExistsException,
  ImageArchivedException,
  ImageDigestDoesNotMatchException,
  ImageNotFoundException,
  ImageStorageClassUpdateNotSupportedException,
  ImageTagAlreadyExistsException,
  InvalidParameterException,
  LayersNotFoundException,
  LimitExceededException,
  PutAccountSettingCommand,
  PutImageCommand,
  PutImageScanningConfigurationCommand,
  PutRegistryScanningConfigurationCommand,
  RepositoryAlreadyExistsException,
  RepositoryNotFoundException,
  ScanNotFoundException,
  StartImageScanCommand,
  UnsupportedImageTypeException,
  UpdateImageStorageClassCommand,
  paginateDescribeImages
} from '@aws-sdk/client-ecr'
import { createHash } from 'node:crypto'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { startEcrEndpoint, type EcrEndpoint, type PlannedFinding } from './support/ecr/ecr-endpoint.js'
import { dockerLogin, ENGINE_PUSHES, ensureRealParts, makeContext, runCommand, type CommandResult } from './support/docker/real-parts.js'

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
    expect(anonymous.headers.get('www-authenticate')).toBe(`Basic realm="https://${endpoint.registryHost}/",service="ecr.amazonaws.com"`)
    expect(((await anonymous.json()) as { errors: Array<{ code: string }> }).errors[0]?.code).toBe('UNAUTHORIZED')

    const wrong = await fetch(`${endpoint.apiUrl}/v2/`, { headers: { authorization: `Basic ${Buffer.from('AWS:nope').toString('base64')}` } })
    expect(wrong.status).toBe(401)
    expect((await fetch(`${endpoint.apiUrl}/v2/`, { headers: { authorization: basicAuth() } })).status).toBe(200)

    const unknown = await fetch(`${endpoint.apiUrl}/v2/never/created/tags/list`, { headers: { authorization: basicAuth() } })
    expect(unknown.status).toBe(404)
    expect(await unknown.json()).toEqual({
      errors: [{ code: 'NAME_UNKNOWN', message: `The repository with name 'never/created' does not exist in the registry with id '${ACCOUNT}'` }]
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

/**
 * These checks drive `docker push` / `buildx --push` straight at the endpoint, to prove the endpoint
 * answers docker as ECR does. The containerd image store's push PUTs child manifests under the tag
 * (moby/moby#49949, the very bug the action's own upload avoids), so they run on the classic engine.
 */
const withEnginePush = ENGINE_PUSHES ? describe : describe.skip

withEnginePush('docker and the ECR API agree on one registry', () => {
  let digestA = ''
  let digestB = ''
  let manifestA = ''
  let manifestB = ''

  test('docker login, then buildx --push to an IMMUTABLE repository', async () => {
    await client.send(new CreateRepositoryCommand({ repositoryName: 'team/api', imageTagMutability: 'IMMUTABLE' }))
    const token = await client.send(new GetAuthorizationTokenCommand({}))
    const password = Buffer.from(token.authorizationData?.[0]?.authorizationToken ?? '', 'base64')
      .toString()
      .replace(/^AWS:/, '')
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
    const put = await client.send(new PutImageCommand({ repositoryName: 'team/api', imageTag: 'release-1', imageManifest: manifestA, imageDigest: digestA }))
    expect(put.image?.imageId).toEqual({ imageDigest: digestA, imageTag: 'release-1' })
    expect(await endpoint.manifestDigest('team/api', 'release-1')).toBe(digestA)

    const taken = await caught(client.send(new PutImageCommand({ repositoryName: 'team/api', imageTag: 'v1', imageManifest: manifestB })))
    expect(taken).toBeInstanceOf(ImageTagAlreadyExistsException)
    expect(taken.message).toBe("The image tag 'v1' already exists in the 'team/api' repository and cannot be overwritten because the tag is immutable.")
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
    const deleted = await client.send(new BatchDeleteImageCommand({ repositoryName: 'team/api', imageIds: [{ imageTag: 'release-1' }, { imageTag: 'nope' }] }))
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

// ---------------------------------------------------------------------------------------------
// Scanning, archiving, several accounts and blob mounting, through the real SDK and raw /v2 calls
// (no Docker engine needed: images are pushed with the registry API itself).

const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json'
const OCI_INDEX = 'application/vnd.oci.image.index.v1+json'

function sha256(bytes: Buffer | string): string {
  return `sha256:${createHash('sha256').update(bytes).digest('hex')}`
}

async function pushBlob(origin: string, repository: string, bytes: Buffer): Promise<string> {
  const digest = sha256(bytes)
  const started = await fetch(`${origin}/v2/${repository}/blobs/uploads/`, { method: 'POST', headers: { authorization: basicAuth() } })
  expect(started.status).toBe(202)
  const location = new URL(started.headers.get('location') ?? '', origin)
  location.searchParams.set('digest', digest)
  const put = await fetch(location, {
    method: 'PUT',
    headers: { authorization: basicAuth(), 'content-type': 'application/octet-stream' },
    body: bytes
  })
  expect(put.status).toBe(201)
  return digest
}

async function putManifest(origin: string, repository: string, reference: string, manifest: string, mediaType: string): Promise<Response> {
  return fetch(`${origin}/v2/${repository}/manifests/${reference}`, {
    method: 'PUT',
    headers: { authorization: basicAuth(), 'content-type': mediaType },
    body: manifest
  })
}

interface PushedImage {
  digest: string
  manifest: string
  layer: string
}

/** Pushes a one-layer OCI image (or, with attestation, an in-toto attestation manifest); tag '' pushes it by digest, untagged. */
async function pushImage(repository: string, tag: string, content: string, origin = endpoint.apiUrl, attestation = false): Promise<PushedImage> {
  const config = Buffer.from(JSON.stringify({ architecture: 'amd64', os: 'linux', rootfs: { type: 'layers', diff_ids: [] }, content }))
  const layer = Buffer.from(`layer ${content}`)
  const configDigest = await pushBlob(origin, repository, config)
  const layerDigest = await pushBlob(origin, repository, layer)
  const manifest = JSON.stringify({
    schemaVersion: 2,
    mediaType: OCI_MANIFEST,
    config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: configDigest, size: config.length },
    layers: [
      {
        mediaType: attestation ? 'application/vnd.in-toto+json' : 'application/vnd.oci.image.layer.v1.tar+gzip',
        digest: layerDigest,
        size: layer.length
      }
    ]
  })
  const put = await putManifest(origin, repository, tag || sha256(manifest), manifest, OCI_MANIFEST)
  expect(put.status).toBe(201)
  return { digest: sha256(manifest), manifest, layer: layerDigest }
}

async function pushIndex(repository: string, tag: string, children: PushedImage[]): Promise<string> {
  const index = JSON.stringify({
    schemaVersion: 2,
    mediaType: OCI_INDEX,
    manifests: children.map((child, i) => ({
      mediaType: OCI_MANIFEST,
      digest: child.digest,
      size: Buffer.byteLength(child.manifest),
      platform: { architecture: i === 0 ? 'amd64' : 'arm64', os: 'linux' }
    }))
  })
  const put = await putManifest(endpoint.apiUrl, repository, tag, index, OCI_INDEX)
  expect(put.status).toBe(201)
  return sha256(index)
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms))

const FINDINGS: PlannedFinding[] = [
  { id: 'CVE-2024-0001', severity: 'CRITICAL', packageName: 'openssl', packageVersion: '3.0.1', fixedInVersion: '3.0.13' },
  { id: 'CVE-2024-0002', severity: 'HIGH', packageName: 'zlib', packageVersion: '1.2.11', fixedInVersion: '1.2.13' },
  { id: 'CVE-2024-0003', severity: 'HIGH', packageName: 'curl', packageVersion: '7.0' },
  { id: 'CVE-2024-0004', severity: 'MEDIUM', packageName: 'bash', packageVersion: '5.0' },
  { id: 'CVE-2024-0005', severity: 'LOW', packageName: 'tar', packageVersion: '1.30', uri: 'https://example.test/CVE-2024-0005' }
]

describe('DescribeImages listing as API_DescribeImages describes it', () => {
  test('tagStatus UNTAGGED, maxResults pages with a nextToken while more remain, imageManifestMediaType and imagePushedAt', async () => {
    endpoint.createRepository('list/app')
    const tagged = await pushImage('list/app', 'v1', `list tagged ${Date.now()}`)
    const untagged = [
      await pushImage('list/app', '', `list one ${Date.now()}`),
      await pushImage('list/app', '', `list two ${Date.now()}`),
      await pushImage('list/app', '', `list attestation ${Date.now()}`, endpoint.apiUrl, true)
    ]

    const first = await client.send(new DescribeImagesCommand({ repositoryName: 'list/app', filter: { tagStatus: 'UNTAGGED' }, maxResults: 2 }))
    expect(first.imageDetails).toHaveLength(2)
    expect(first.nextToken).toEqual(expect.any(String))
    const second = await client.send(
      new DescribeImagesCommand({ repositoryName: 'list/app', filter: { tagStatus: 'UNTAGGED' }, maxResults: 2, nextToken: first.nextToken })
    )
    expect(second.imageDetails).toHaveLength(1)
    expect(second.nextToken).toBeUndefined()
    const details = [...(first.imageDetails ?? []), ...(second.imageDetails ?? [])]
    expect(details.map((detail) => detail.imageDigest).sort()).toEqual(untagged.map((image) => image.digest).sort())
    for (const detail of details) {
      expect(detail.imageTags).toBeUndefined()
      expect(detail.imageManifestMediaType).toBe(OCI_MANIFEST)
      expect(detail.imagePushedAt).toBeInstanceOf(Date)
    }

    // The SDK's paginator reads every page; TAGGED and ANY (the default) as documented.
    const all: string[] = []
    for await (const page of paginateDescribeImages({ client, pageSize: 1 }, { repositoryName: 'list/app', filter: { tagStatus: 'UNTAGGED' } })) {
      all.push(...(page.imageDetails ?? []).map((detail) => detail.imageDigest ?? ''))
    }
    expect(all.sort()).toEqual(untagged.map((image) => image.digest).sort())
    const taggedOnly = await client.send(new DescribeImagesCommand({ repositoryName: 'list/app', filter: { tagStatus: 'TAGGED' } }))
    expect(taggedOnly.imageDetails?.map((detail) => detail.imageDigest)).toEqual([tagged.digest])
    const any = await client.send(new DescribeImagesCommand({ repositoryName: 'list/app' }))
    expect(any.imageDetails).toHaveLength(4)

    for (const input of [
      { repositoryName: 'list/app', maxResults: 0 },
      { repositoryName: 'list/app', maxResults: 1001 },
      { repositoryName: 'list/app', nextToken: 'not-a-token' },
      { repositoryName: 'list/app', imageIds: [{ imageTag: 'v1' }], maxResults: 10 }
    ]) {
      expect(await caught(client.send(new DescribeImagesCommand(input)))).toBeInstanceOf(InvalidParameterException)
    }
  })
})

describe('image scanning (basic and enhanced) as the ECR API reference describes it', () => {
  test('scan on push: IN_PROGRESS, then COMPLETE with basic findings, counts and pages; DescribeImages summarises', async () => {
    await client.send(new CreateRepositoryCommand({ repositoryName: 'scan/onpush', imageScanningConfiguration: { scanOnPush: true } }))
    endpoint.setScanPlan('scan/onpush', '*', { delayMs: 400, findings: FINDINGS })
    const image = await pushImage('scan/onpush', 'v1', `scan ${Date.now()}`)
    const running = await client.send(new DescribeImageScanFindingsCommand({ repositoryName: 'scan/onpush', imageId: { imageTag: 'v1' } }))
    expect(running.imageScanStatus?.status).toBe('IN_PROGRESS')
    expect(running.imageScanFindings).toBeUndefined()
    expect(running.imageId).toEqual({ imageDigest: image.digest, imageTag: 'v1' })
    await sleep(450)

    const first = await client.send(
      new DescribeImageScanFindingsCommand({ repositoryName: 'scan/onpush', imageId: { imageDigest: image.digest }, maxResults: 2 })
    )
    expect(first.imageScanStatus?.status).toBe('COMPLETE')
    expect(first.imageScanFindings?.findingSeverityCounts).toEqual({ CRITICAL: 1, HIGH: 2, MEDIUM: 1, LOW: 1 })
    expect(first.imageScanFindings?.imageScanCompletedAt).toBeInstanceOf(Date)
    expect(first.imageScanFindings?.vulnerabilitySourceUpdatedAt).toBeInstanceOf(Date)
    expect(first.imageScanFindings?.enhancedFindings).toBeUndefined()
    expect(first.imageScanFindings?.findings?.[0]).toEqual({
      name: 'CVE-2024-0001',
      uri: 'https://security-tracker.debian.org/tracker/CVE-2024-0001',
      severity: 'CRITICAL',
      attributes: [
        { key: 'package_version', value: '3.0.1' },
        { key: 'package_name', value: 'openssl' }
      ]
    })
    const names = [...(first.imageScanFindings?.findings ?? [])]
    let token = first.nextToken
    while (token) {
      const page = await client.send(
        new DescribeImageScanFindingsCommand({ repositoryName: 'scan/onpush', imageId: { imageDigest: image.digest }, maxResults: 2, nextToken: token })
      )
      names.push(...(page.imageScanFindings?.findings ?? []))
      token = page.nextToken
    }
    expect(names.map((f) => f.name)).toEqual(FINDINGS.map((f) => f.id))
    const all = await client.send(new DescribeImageScanFindingsCommand({ repositoryName: 'scan/onpush', imageId: { imageTag: 'v1' } }))
    expect(all.nextToken).toBeUndefined()
    expect(all.imageScanFindings?.findings).toHaveLength(5)

    const described = await client.send(new DescribeImagesCommand({ repositoryName: 'scan/onpush', imageIds: [{ imageTag: 'v1' }] }))
    expect(described.imageDetails?.[0]?.imageScanStatus?.status).toBe('COMPLETE')
    expect(described.imageDetails?.[0]?.imageScanFindingsSummary?.findingSeverityCounts).toEqual({ CRITICAL: 1, HIGH: 2, MEDIUM: 1, LOW: 1 })
    expect(described.imageDetails?.[0]?.imageStatus).toBe('ACTIVE')

    const bad = await caught(
      client.send(new DescribeImageScanFindingsCommand({ repositoryName: 'scan/onpush', imageId: { imageTag: 'v1' }, maxResults: 1001 }))
    )
    expect(bad).toBeInstanceOf(InvalidParameterException)
  })

  test('an index and an attestation manifest are not scanned; StartImageScan on an index is UnsupportedImageTypeException', async () => {
    const amd = await pushImage('scan/onpush', 'amd', `amd ${Date.now()}`)
    const attestation = await pushImage('scan/onpush', 'att', `att ${Date.now()}`, endpoint.apiUrl, true)
    const index = await pushIndex('scan/onpush', 'multi', [amd, attestation])
    for (const digest of [index, attestation.digest]) {
      const none = await caught(client.send(new DescribeImageScanFindingsCommand({ repositoryName: 'scan/onpush', imageId: { imageDigest: digest } })))
      expect(none).toBeInstanceOf(ScanNotFoundException)
    }
    const unsupported = await caught(client.send(new StartImageScanCommand({ repositoryName: 'scan/onpush', imageId: { imageTag: 'multi' } })))
    expect(unsupported).toBeInstanceOf(UnsupportedImageTypeException)
    expect(unsupported.message).toBe(`An artifact with media type '${OCI_INDEX}' cannot be scanned. For more information, see the Amazon ECR documentation.`)
  })

  test('without scan on push: ScanNotFoundException, then StartImageScan; FAILED, never-finishing, once per 24 hours', async () => {
    endpoint.createRepository('scan/manual')
    const ok = await pushImage('scan/manual', 'ok', `ok ${Date.now()}`)
    const failing = await pushImage('scan/manual', 'failing', `failing ${Date.now()}`)
    const stuck = await pushImage('scan/manual', 'stuck', `stuck ${Date.now()}`)
    const missing = await caught(client.send(new DescribeImageScanFindingsCommand({ repositoryName: 'scan/manual', imageId: { imageTag: 'ok' } })))
    expect(missing).toBeInstanceOf(ScanNotFoundException)
    expect(missing.message).toContain("in the repository with name 'scan/manual'")

    endpoint.setScanPlan('scan/manual', failing.digest, { delayMs: 10, status: 'FAILED', description: 'scanner crashed' })
    endpoint.setScanPlan('scan/manual', stuck.digest, { delayMs: Infinity })
    endpoint.setScanPlan('scan/manual', ok.digest, { delayMs: 10, findings: [] })
    const started = await client.send(new StartImageScanCommand({ repositoryName: 'scan/manual', imageId: { imageTag: 'ok' } }))
    expect(started).toMatchObject({
      registryId: ACCOUNT,
      repositoryName: 'scan/manual',
      imageId: { imageDigest: ok.digest, imageTag: 'ok' },
      imageScanStatus: { status: 'IN_PROGRESS' }
    })
    await client.send(new StartImageScanCommand({ repositoryName: 'scan/manual', imageId: { imageDigest: failing.digest } }))
    await client.send(new StartImageScanCommand({ repositoryName: 'scan/manual', imageId: { imageDigest: stuck.digest } }))
    await sleep(50)
    const okResult = await client.send(new DescribeImageScanFindingsCommand({ repositoryName: 'scan/manual', imageId: { imageTag: 'ok' } }))
    expect(okResult.imageScanStatus?.status).toBe('COMPLETE')
    expect(okResult.imageScanFindings?.findings).toEqual([])
    expect(okResult.imageScanFindings?.findingSeverityCounts).toEqual({})
    const failed = await client.send(new DescribeImageScanFindingsCommand({ repositoryName: 'scan/manual', imageId: { imageTag: 'failing' } }))
    expect(failed.imageScanStatus).toEqual({ status: 'FAILED', description: 'scanner crashed' })
    const pending = await client.send(new DescribeImageScanFindingsCommand({ repositoryName: 'scan/manual', imageId: { imageTag: 'stuck' } }))
    expect(pending.imageScanStatus?.status).toBe('IN_PROGRESS')

    const again = await caught(client.send(new StartImageScanCommand({ repositoryName: 'scan/manual', imageId: { imageTag: 'ok' } })))
    expect(again).toBeInstanceOf(LimitExceededException)
    endpoint.clearScans('scan/manual')
    await client.send(new StartImageScanCommand({ repositoryName: 'scan/manual', imageId: { imageTag: 'ok' } }))

    const noImage = await caught(client.send(new StartImageScanCommand({ repositoryName: 'scan/manual', imageId: { imageTag: 'nope' } })))
    expect(noImage).toBeInstanceOf(ImageNotFoundException)

    // PutImageScanningConfiguration turns scan on push on for later pushes.
    const put = await client.send(new PutImageScanningConfigurationCommand({ repositoryName: 'scan/manual', imageScanningConfiguration: { scanOnPush: true } }))
    expect(put).toMatchObject({ registryId: ACCOUNT, repositoryName: 'scan/manual', imageScanningConfiguration: { scanOnPush: true } })
    await pushImage('scan/manual', 'later', `later ${Date.now()}`)
    const later = await client.send(new DescribeImageScanFindingsCommand({ repositoryName: 'scan/manual', imageId: { imageTag: 'later' } }))
    expect(later.imageScanStatus?.status).toBe('IN_PROGRESS')
  })

  test('enhanced scanning: registry rules, PENDING then ACTIVE, enhancedFindings; StartImageScan refused', async () => {
    const basic = await client.send(new GetRegistryScanningConfigurationCommand({}))
    expect(basic).toMatchObject({ registryId: ACCOUNT, scanningConfiguration: { scanType: 'BASIC', rules: [] } })
    await client.send(
      new PutRegistryScanningConfigurationCommand({
        scanType: 'ENHANCED',
        rules: [{ scanFrequency: 'CONTINUOUS_SCAN', repositoryFilters: [{ filter: 'enh/*', filterType: 'WILDCARD' }] }]
      })
    )
    try {
      const config = await client.send(new GetRegistryScanningConfigurationCommand({}))
      expect(config.scanningConfiguration?.scanType).toBe('ENHANCED')
      endpoint.createRepository('enh/app')
      endpoint.setScanPlan('enh/app', '*', { delayMs: 200, findings: FINDINGS.slice(0, 3) })
      const image = await pushImage('enh/app', 'v1', `enh ${Date.now()}`)
      const pending = await client.send(new DescribeImageScanFindingsCommand({ repositoryName: 'enh/app', imageId: { imageTag: 'v1' } }))
      expect(pending.imageScanStatus?.status).toBe('PENDING')
      await sleep(250)
      const active = await client.send(new DescribeImageScanFindingsCommand({ repositoryName: 'enh/app', imageId: { imageTag: 'v1' }, maxResults: 2 }))
      expect(active.imageScanStatus).toEqual({ status: 'ACTIVE', description: 'Continuous scan is selected for image.' })
      expect(active.imageScanFindings?.findings).toBeUndefined()
      expect(active.imageScanFindings?.enhancedFindings).toHaveLength(2)
      expect(active.nextToken).toBeDefined()
      const finding = active.imageScanFindings?.enhancedFindings?.[0]
      expect(finding).toMatchObject({
        awsAccountId: ACCOUNT,
        severity: 'CRITICAL',
        status: 'ACTIVE',
        type: 'PACKAGE_VULNERABILITY',
        packageVulnerabilityDetails: {
          vulnerabilityId: 'CVE-2024-0001',
          vulnerablePackages: [{ name: 'openssl', version: '3.0.1', fixedInVersion: '3.0.13' }]
        }
      })
      expect(finding?.firstObservedAt).toBeInstanceOf(Date)
      expect(active.imageScanFindings?.findingSeverityCounts).toEqual({ CRITICAL: 1, HIGH: 2 })

      const refused = await caught(client.send(new StartImageScanCommand({ repositoryName: 'enh/app', imageId: { imageDigest: image.digest } })))
      expect(refused.name).toBe('ValidationException')

      // A repository no rule selects is not scanned.
      endpoint.createRepository('other/app')
      await pushImage('other/app', 'v1', `other ${Date.now()}`)
      expect(await caught(client.send(new DescribeImageScanFindingsCommand({ repositoryName: 'other/app', imageId: { imageTag: 'v1' } })))).toBeInstanceOf(
        ScanNotFoundException
      )
      const repoConfig = await client.send(new BatchGetRepositoryScanningConfigurationCommand({ repositoryNames: ['enh/app', 'other/app', 'ghost'] }))
      expect(repoConfig.scanningConfigurations?.map((c) => [c.repositoryName, c.scanFrequency])).toEqual([
        ['enh/app', 'CONTINUOUS_SCAN'],
        ['other/app', 'MANUAL']
      ])
      expect(repoConfig.failures?.[0]).toMatchObject({ repositoryName: 'ghost', failureCode: 'REPOSITORY_NOT_FOUND' })
    } finally {
      await client.send(new PutRegistryScanningConfigurationCommand({ scanType: 'BASIC', rules: [] }))
    }
    // Back on basic, the enhanced scans are no longer available (user guide: switching scan types).
    expect(await caught(client.send(new DescribeImageScanFindingsCommand({ repositoryName: 'enh/app', imageId: { imageTag: 'v1' } })))).toBeInstanceOf(
      ScanNotFoundException
    )
  })
})

describe('archived images (storage class ARCHIVE)', () => {
  test('archive: BatchGetImage ImageInaccessible, /v2 pulls 404, DescribeImages ARCHIVED, no scans; restore and re-push', async () => {
    await client.send(new CreateRepositoryCommand({ repositoryName: 'arch/app', imageScanningConfiguration: { scanOnPush: true } }))
    const image = await pushImage('arch/app', 'v1', `archive ${Date.now()}`)
    const archived = await client.send(
      new UpdateImageStorageClassCommand({ repositoryName: 'arch/app', imageId: { imageTag: 'v1' }, targetStorageClass: 'ARCHIVE' })
    )
    expect(archived).toMatchObject({
      registryId: ACCOUNT,
      repositoryName: 'arch/app',
      imageId: { imageDigest: image.digest, imageTag: 'v1' },
      imageStatus: 'ARCHIVED'
    })

    const got = await client.send(new BatchGetImageCommand({ repositoryName: 'arch/app', imageIds: [{ imageTag: 'v1' }] }))
    expect(got.images).toEqual([])
    expect(got.failures?.[0]).toMatchObject({ imageId: { imageTag: 'v1' }, failureCode: 'ImageInaccessible' })

    const pull = await fetch(`${endpoint.apiUrl}/v2/arch/app/manifests/v1`, { headers: { authorization: basicAuth(), accept: OCI_MANIFEST } })
    expect(pull.status).toBe(404)
    const blob = await fetch(`${endpoint.apiUrl}/v2/arch/app/blobs/${image.layer}`, { headers: { authorization: basicAuth() } })
    expect(blob.status).toBe(404)
    expect(await endpoint.tags('arch/app')).toContain('v1')

    const listed = await client.send(new DescribeImagesCommand({ repositoryName: 'arch/app' }))
    expect(listed.imageDetails ?? []).toEqual([])
    const archivedList = await client.send(new DescribeImagesCommand({ repositoryName: 'arch/app', filter: { imageStatus: 'ARCHIVED' } }))
    expect(archivedList.imageDetails?.[0]).toMatchObject({ imageDigest: image.digest, imageStatus: 'ARCHIVED' })
    expect(archivedList.imageDetails?.[0]?.lastArchivedAt).toBeInstanceOf(Date)
    expect(archivedList.imageDetails?.[0]?.imageScanStatus?.status).toBe('IMAGE_ARCHIVED')

    expect(await caught(client.send(new StartImageScanCommand({ repositoryName: 'arch/app', imageId: { imageTag: 'v1' } })))).toBeInstanceOf(
      ImageArchivedException
    )

    endpoint.setRestoreDelay(150)
    const restoring = await client.send(
      new UpdateImageStorageClassCommand({ repositoryName: 'arch/app', imageId: { imageDigest: image.digest }, targetStorageClass: 'STANDARD' })
    )
    expect(restoring.imageStatus).toBe('ACTIVATING')
    const stillFailing = await client.send(new BatchGetImageCommand({ repositoryName: 'arch/app', imageIds: [{ imageTag: 'v1' }] }))
    expect(stillFailing.failures?.[0]?.failureCode).toBe('ImageInaccessible')
    await sleep(200)
    const restored = await client.send(new BatchGetImageCommand({ repositoryName: 'arch/app', imageIds: [{ imageTag: 'v1' }] }))
    expect(restored.images?.[0]?.imageId?.imageDigest).toBe(image.digest)
    const detail = await client.send(new DescribeImagesCommand({ repositoryName: 'arch/app', imageIds: [{ imageTag: 'v1' }] }))
    expect(detail.imageDetails?.[0]?.imageStatus).toBe('ACTIVE')
    expect(detail.imageDetails?.[0]?.lastActivatedAt).toBeInstanceOf(Date)

    // A re-push of the archived image restores it at once.
    endpoint.archiveImage('arch/app', image.digest)
    expect((await fetch(`${endpoint.apiUrl}/v2/arch/app/manifests/${image.digest}`, { headers: { authorization: basicAuth() } })).status).toBe(404)
    expect((await putManifest(endpoint.apiUrl, 'arch/app', 'v1', image.manifest, OCI_MANIFEST)).status).toBe(201)
    expect((await client.send(new BatchGetImageCommand({ repositoryName: 'arch/app', imageIds: [{ imageTag: 'v1' }] }))).failures).toEqual([])

    const twice = await caught(
      client.send(new UpdateImageStorageClassCommand({ repositoryName: 'arch/app', imageId: { imageTag: 'v1' }, targetStorageClass: 'STANDARD' }))
    )
    expect(twice).toBeInstanceOf(ImageStorageClassUpdateNotSupportedException)
  })
})

describe('several accounts behind one API URL', () => {
  const OTHER = '210987654321'

  test('registryId selects the account; each registry has its own port, repositories and rules', async () => {
    const other = await endpoint.addAccount(OTHER)
    expect(other.registryHost).not.toBe(endpoint.registryHost)
    expect(endpoint.accountIds).toEqual([ACCOUNT, OTHER])
    endpoint.createRepository('promo/app', { accountId: OTHER, mutability: 'IMMUTABLE' })
    endpoint.createRepository('promo/app', { mutability: 'MUTABLE' })

    const token = await client.send(new GetAuthorizationTokenCommand({ registryIds: [ACCOUNT, OTHER] }))
    expect(token.authorizationData?.map((d) => d.proxyEndpoint)).toEqual([endpoint.apiUrl, `http://${other.registryHost}`])

    const described = await client.send(new DescribeRepositoriesCommand({ registryId: OTHER, repositoryNames: ['promo/app'] }))
    expect(described.repositories?.[0]).toMatchObject({
      registryId: OTHER,
      repositoryUri: `${other.registryHost}/promo/app`,
      repositoryArn: `arn:aws:ecr:us-east-1:${OTHER}:repository/promo/app`,
      imageTagMutability: 'IMMUTABLE'
    })
    const missing = await caught(client.send(new DescribeRepositoriesCommand({ registryId: OTHER, repositoryNames: ['team/api'] })))
    expect(missing).toBeInstanceOf(RepositoryNotFoundException)
    expect(missing.message).toBe(`The repository with name 'team/api' does not exist in the registry with id '${OTHER}'`)
    const unknown = await caught(client.send(new BatchGetImageCommand({ registryId: '999999999999', repositoryName: 'x1', imageIds: [{ imageTag: 'v' }] })))
    expect(unknown.message).toBe("The repository with name 'x1' does not exist in the registry with id '999999999999'")

    // The other account's registry: its own data plane, its own immutability.
    const image = await pushImage('promo/app', 'v1', `promo ${Date.now()}`, `http://${other.registryHost}`)
    expect(await endpoint.manifestDigest('promo/app', 'v1', OTHER)).toBe(image.digest)
    expect(await endpoint.manifestDigest('promo/app', 'v1')).toBeUndefined()
    const again = await caught(
      client.send(new PutImageCommand({ registryId: OTHER, repositoryName: 'promo/app', imageTag: 'v1', imageManifest: image.manifest }))
    )
    expect(again).toBeInstanceOf(ImageAlreadyExistsException)
    expect(again.message).toContain(`in registry with id '${OTHER}'`)
    const got = await client.send(new BatchGetImageCommand({ registryId: OTHER, repositoryName: 'promo/app', imageIds: [{ imageTag: 'v1' }] }))
    expect(got.images?.[0]).toMatchObject({ registryId: OTHER, imageId: { imageDigest: image.digest, imageTag: 'v1' } })
    // The default account's registry does not know the other account's repository names...
    const nameUnknown = await fetch(`http://${other.registryHost}/v2/team/api/tags/list`, { headers: { authorization: basicAuth() } })
    expect(nameUnknown.status).toBe(404)
    expect(await nameUnknown.text()).toContain(`registry with id '${OTHER}'`)
    // ...and the API port does not serve the other account's registry.
    expect((await fetch(`${endpoint.apiUrl}/v2/promo/app/manifests/v1`, { headers: { authorization: basicAuth() } })).status).toBe(404)

    // A caller whose access key belongs to the other account defaults to its registry.
    const env = other.env()
    const otherClient = new ECRClient({
      endpoint: env['AWS_ENDPOINT_URL_ECR'],
      region: endpoint.region,
      credentials: { accessKeyId: env['AWS_ACCESS_KEY_ID'] ?? '', secretAccessKey: env['AWS_SECRET_ACCESS_KEY'] ?? '' }
    })
    try {
      const own = await otherClient.send(new DescribeRepositoriesCommand({}))
      expect(own.repositories?.map((r) => [r.registryId, r.repositoryName])).toEqual([[OTHER, 'promo/app']])
      const ownToken = await otherClient.send(new GetAuthorizationTokenCommand({}))
      expect(ownToken.authorizationData?.[0]?.proxyEndpoint).toBe(`http://${other.registryHost}`)
    } finally {
      otherClient.destroy()
    }
  })
})

describe('cross-repository blob mount (user guide "Blob mounting in Amazon ECR")', () => {
  test('refused (202 upload session) unless BLOB_MOUNTING is ENABLED, same registry, same encryption', async () => {
    endpoint.createRepository('mount/src')
    endpoint.createRepository('mount/dst')
    await client.send(
      new CreateRepositoryCommand({
        repositoryName: 'mount/kms',
        encryptionConfiguration: { encryptionType: 'KMS', kmsKey: 'arn:aws:kms:us-east-1:123456789012:key/k' }
      })
    )
    const image = await pushImage('mount/src', 'v1', `mount ${Date.now()}`)
    const mount = (to: string, from: string): Promise<Response> =>
      fetch(`${endpoint.apiUrl}/v2/${to}/blobs/uploads/?mount=${image.layer}&from=${from}`, { method: 'POST', headers: { authorization: basicAuth() } })

    await client.send(new PutAccountSettingCommand({ name: 'BLOB_MOUNTING', value: 'DISABLED' }))
    expect(await client.send(new GetAccountSettingCommand({ name: 'BLOB_MOUNTING' }))).toMatchObject({ name: 'BLOB_MOUNTING', value: 'DISABLED' })
    const refused = await mount('mount/dst', 'mount/src')
    expect(refused.status).toBe(202)
    expect(refused.headers.get('location')).toMatch(/\/v2\/mount\/dst\/blobs\/uploads\//)
    expect(refused.headers.get('docker-upload-uuid')).toBeTruthy()

    await client.send(new PutAccountSettingCommand({ name: 'BLOB_MOUNTING', value: 'ENABLED' }))
    const mounted = await mount('mount/dst', 'mount/src')
    expect(mounted.status).toBe(201)
    expect(mounted.headers.get('docker-content-digest')).toBe(image.layer)
    expect((await mount('mount/kms', 'mount/src')).status).toBe(202)

    const invalid = await caught(client.send(new PutAccountSettingCommand({ name: 'BLOB_MOUNTING', value: 'MAYBE' })))
    expect(invalid).toBeInstanceOf(InvalidParameterException)
  })
})

describe('read-after-write lag and stalled requests (issue 15)', () => {
  const sha256 = (bytes: Buffer | string): string => `sha256:${createHash('sha256').update(bytes).digest('hex')}`

  /** A blob through the registry API: POST an upload session, PUT the bytes with their digest. */
  async function uploadBlob(repository: string, bytes: Buffer): Promise<string> {
    const digest = sha256(bytes)
    const start = await fetch(`${endpoint.apiUrl}/v2/${repository}/blobs/uploads/`, { method: 'POST', headers: { authorization: basicAuth() } })
    expect(start.status).toBe(202)
    const location = new URL(start.headers.get('location') ?? '', endpoint.apiUrl)
    location.searchParams.set('digest', digest)
    const put = await fetch(location, { method: 'PUT', headers: { authorization: basicAuth(), 'content-type': 'application/octet-stream' }, body: bytes })
    expect(put.status).toBe(201)
    return digest
  }

  async function putManifest(repository: string, reference: string, body: string, mediaType: string): Promise<Response> {
    return fetch(`${endpoint.apiUrl}/v2/${repository}/manifests/${reference}`, {
      method: 'PUT',
      headers: { authorization: basicAuth(), 'content-type': mediaType },
      body
    })
  }

  test('a manifest written within the lag is "not found" on every read plane, an index of it is refused on both; after the lag all is served', async () => {
    const repository = 'team/lag'
    endpoint.createRepository(repository, { mutability: 'IMMUTABLE' })
    endpoint.setReadAfterWriteLag(1500)
    try {
      const config = Buffer.from(JSON.stringify({ architecture: 'amd64', os: 'linux', rootfs: { type: 'layers', diff_ids: [] } }))
      const configDigest = await uploadBlob(repository, config)
      const image = JSON.stringify({
        schemaVersion: 2,
        mediaType: 'application/vnd.oci.image.manifest.v1+json',
        config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: configDigest, size: config.length },
        layers: []
      })
      const imageDigest = sha256(image)
      expect((await putManifest(repository, imageDigest, image, 'application/vnd.oci.image.manifest.v1+json')).status).toBe(201)
      const index = JSON.stringify({
        schemaVersion: 2,
        mediaType: 'application/vnd.oci.image.index.v1+json',
        manifests: [
          { mediaType: 'application/vnd.oci.image.manifest.v1+json', digest: imageDigest, size: image.length, platform: { architecture: 'amd64', os: 'linux' } }
        ]
      })

      const lookup = await client.send(new BatchGetImageCommand({ repositoryName: repository, imageIds: [{ imageDigest }] }))
      expect(lookup.images).toEqual([])
      expect(lookup.failures?.map((f) => f.failureCode)).toEqual(['ImageNotFound'])
      const head = await fetch(`${endpoint.apiUrl}/v2/${repository}/manifests/${imageDigest}`, { method: 'HEAD', headers: { authorization: basicAuth() } })
      expect(head.status).toBe(404)
      const listed = await client.send(new DescribeImagesCommand({ repositoryName: repository }))
      expect(listed.imageDetails).toEqual([])
      const refused = await putManifest(repository, sha256(index), index, 'application/vnd.oci.image.index.v1+json')
      expect(refused.status).toBe(400)
      expect(((await refused.json()) as { errors: { code: string }[] }).errors[0]?.code).toBe('MANIFEST_BLOB_UNKNOWN')
      const referenced = await caught(
        client.send(
          new PutImageCommand({
            repositoryName: repository,
            imageTag: 'v1',
            imageManifest: index,
            imageManifestMediaType: 'application/vnd.oci.image.index.v1+json'
          })
        )
      )
      expect(referenced.name).toBe('ReferencedImagesNotFoundException')

      await new Promise((resolve) => setTimeout(resolve, 1600))
      expect((await client.send(new BatchGetImageCommand({ repositoryName: repository, imageIds: [{ imageDigest }] }))).images?.[0]?.imageId?.imageDigest).toBe(
        imageDigest
      )
      expect((await putManifest(repository, sha256(index), index, 'application/vnd.oci.image.index.v1+json')).status).toBe(201)
      await client.send(new PutImageCommand({ repositoryName: repository, imageTag: 'v1', imageManifest: index }))
      // The tag just written is itself "not found" during the lag, then served.
      const young = await client.send(new BatchGetImageCommand({ repositoryName: repository, imageIds: [{ imageTag: 'v1' }] }))
      expect(young.failures?.map((f) => f.failureCode)).toEqual(['ImageNotFound'])
      await new Promise((resolve) => setTimeout(resolve, 1600))
      const served = await client.send(new BatchGetImageCommand({ repositoryName: repository, imageIds: [{ imageTag: 'v1' }] }))
      expect(served.images?.[0]?.imageId?.imageDigest).toBe(sha256(index))
    } finally {
      endpoint.setReadAfterWriteLag(0)
    }
  })

  test('stall and stallRegistry: the request is read and never answered; the client’s own timeout ends it, the log marks it', async () => {
    const mark = endpoint.requestLog.length
    endpoint.stall('DescribeRepositories', 1)
    const impatient = new ECRClient({
      endpoint: endpoint.apiUrl,
      region: endpoint.region,
      credentials: { accessKeyId: endpoint.env()['AWS_ACCESS_KEY_ID'] ?? '', secretAccessKey: endpoint.env()['AWS_SECRET_ACCESS_KEY'] ?? '' },
      requestHandler: { socketTimeout: 300 },
      maxAttempts: 1
    })
    try {
      const error = await caught(impatient.send(new DescribeRepositoriesCommand({})))
      expect(error.name).toBe('TimeoutError')
      // The next call is answered again.
      expect((await impatient.send(new DescribeRepositoriesCommand({}))).repositories?.length).toBeGreaterThan(0)
    } finally {
      impatient.destroy()
    }
    endpoint.stallRegistry(1, { method: 'GET', kind: 'tags' })
    const aborted = await caught(
      fetch(`${endpoint.apiUrl}/v2/team/api/tags/list`, { headers: { authorization: basicAuth() }, signal: AbortSignal.timeout(300) })
    )
    expect(aborted.name).toBe('TimeoutError')
    await new Promise((resolve) => setTimeout(resolve, 100))
    const stalled = endpoint.requestLog.slice(mark).filter((entry) => entry.stalled)
    expect(stalled.map((entry) => entry.operation ?? `${entry.method} ${entry.path}`)).toEqual(['DescribeRepositories', 'GET /v2/team/api/tags/list'])
  })
})
