// Proves the endpoint's OCI referrers API and managed-signing model behave as ECR documents them, with
// the real @aws-sdk/client-ecr and plain registry requests (no build needed): OCI-Subject on a manifest
// PUT with a subject, the referrers index with artifactType filtering, GetSigningConfiguration's
// SigningConfigurationNotFoundException, and DescribeImageSigningStatus going IN_PROGRESS → COMPLETE
// (with a signature referrer) or FAILED.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals'
import {
  DescribeImageSigningStatusCommand,
  ECRClient,
  GetSigningConfigurationCommand,
  ImageNotFoundException,
  PutSigningConfigurationCommand,
  SigningConfigurationNotFoundException
} from '@aws-sdk/client-ecr'
import { createHash } from 'node:crypto'
import { startEcrEndpoint, type EcrEndpoint } from './support/ecr/ecr-endpoint.js'
import { getReferrers } from './support/ecr/ecr-referrers.js'
import { NOTATION_SIGNATURE_TYPE } from './support/ecr/ecr-signing.js'
import { ensureRealParts } from './support/docker/real-parts.js'

const PROFILE = 'arn:aws:signer:us-east-1:123456789012:/signing-profiles/ci_signer'
const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json'

let endpoint: EcrEndpoint
let client: ECRClient

beforeAll(async () => {
  await ensureRealParts()
  endpoint = await startEcrEndpoint()
  client = new ECRClient({
    endpoint: endpoint.apiUrl,
    region: endpoint.region,
    credentials: { accessKeyId: endpoint.env()['AWS_ACCESS_KEY_ID'] ?? '', secretAccessKey: endpoint.env()['AWS_SECRET_ACCESS_KEY'] ?? '' }
  })
})

afterAll(async () => {
  client?.destroy()
  await endpoint?.stop()
})

const digestOf = (bytes: Buffer): string => `sha256:${createHash('sha256').update(bytes).digest('hex')}`
const auth = (): string => `Basic ${Buffer.from(`AWS:${endpoint.password}`).toString('base64')}`

async function putBlob(repository: string, bytes: Buffer): Promise<string> {
  const digest = digestOf(bytes)
  const start = await fetch(`${endpoint.apiUrl}/v2/${repository}/blobs/uploads/`, { method: 'POST', headers: { authorization: auth() } })
  const url = new URL(start.headers.get('location') ?? '', endpoint.apiUrl)
  url.searchParams.set('digest', digest)
  const put = await fetch(url, { method: 'PUT', headers: { authorization: auth(), 'content-type': 'application/octet-stream' }, body: bytes })
  expect(put.status).toBe(201)
  return digest
}

/** PUTs a manifest by digest; returns its digest and the response's OCI-Subject header. */
async function putManifest(repository: string, manifest: Record<string, unknown>): Promise<{ digest: string; ociSubject: string | null }> {
  const bytes = Buffer.from(JSON.stringify(manifest))
  const digest = digestOf(bytes)
  const response = await fetch(`${endpoint.apiUrl}/v2/${repository}/manifests/${digest}`, {
    method: 'PUT',
    headers: { authorization: auth(), 'content-type': OCI_MANIFEST },
    body: bytes
  })
  expect(response.status).toBe(201)
  return { digest, ociSubject: response.headers.get('oci-subject') }
}

async function image(repository: string, label: string): Promise<{ digest: string; size: number }> {
  const config = Buffer.from(JSON.stringify({ architecture: 'amd64', os: 'linux', rootfs: { type: 'layers', diff_ids: [] }, label }))
  const manifest = {
    schemaVersion: 2,
    mediaType: OCI_MANIFEST,
    config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: await putBlob(repository, config), size: config.length },
    layers: []
  }
  const { digest, ociSubject } = await putManifest(repository, manifest)
  expect(ociSubject).toBeNull()
  return { digest, size: Buffer.byteLength(JSON.stringify(manifest)) }
}

async function referrer(
  repository: string,
  subject: { digest: string; size: number },
  artifactType: string
): Promise<{ digest: string; ociSubject: string | null }> {
  const empty = Buffer.from('{}')
  const payload = Buffer.from(`${artifactType} ${Math.random()}`)
  return putManifest(repository, {
    schemaVersion: 2,
    mediaType: OCI_MANIFEST,
    artifactType,
    config: { mediaType: 'application/vnd.oci.empty.v1+json', digest: await putBlob(repository, empty), size: 2 },
    layers: [{ mediaType: 'application/octet-stream', digest: await putBlob(repository, payload), size: payload.length }],
    subject: { mediaType: OCI_MANIFEST, ...subject }
  })
}

describe('OCI 1.1 referrers API', () => {
  test('a PUT with a subject is answered with OCI-Subject; the referrers are listed, filtered by artifactType', async () => {
    endpoint.createRepository('team/referrers')
    const subject = await image('team/referrers', 'subject')
    const sig = await referrer('team/referrers', subject, 'application/vnd.dev.cosign.artifact.sig.v1+json')
    const sbom = await referrer('team/referrers', subject, 'application/spdx+json')
    expect([sig.ociSubject, sbom.ociSubject]).toEqual([subject.digest, subject.digest])

    const all = await getReferrers(endpoint.registryHost, endpoint.password, 'team/referrers', subject.digest)
    expect({ status: all.status, filtersApplied: all.filtersApplied, digests: all.manifests.map((m) => m.digest).sort() }).toEqual({
      status: 200,
      filtersApplied: null,
      digests: [sig.digest, sbom.digest].sort()
    })
    const sboms = await getReferrers(endpoint.registryHost, endpoint.password, 'team/referrers', subject.digest, 'application/spdx+json')
    expect(sboms.filtersApplied).toBe('artifactType')
    expect(sboms.manifests).toEqual([{ mediaType: OCI_MANIFEST, digest: sbom.digest, size: expect.any(Number), artifactType: 'application/spdx+json' }])
    // A subject with no referrers (or none at all) is an empty index, not a 404.
    expect((await getReferrers(endpoint.registryHost, endpoint.password, 'team/referrers', `sha256:${'0'.repeat(64)}`)).manifests).toEqual([])
  })
})

describe('managed signing', () => {
  test('GetSigningConfiguration without a configuration: SigningConfigurationNotFoundException; PutSigningConfiguration sets it', async () => {
    const error = await client.send(new GetSigningConfigurationCommand({})).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(SigningConfigurationNotFoundException)
    const rules = [{ signingProfileArn: PROFILE, repositoryFilters: [{ filter: 'signed/*', filterType: 'WILDCARD_MATCH' as const }] }]
    await client.send(new PutSigningConfigurationCommand({ signingConfiguration: { rules } }))
    expect((await client.send(new GetSigningConfigurationCommand({}))).signingConfiguration?.rules).toEqual(rules)
  })

  test('an image pushed by digest to a covered repository: IN_PROGRESS, then COMPLETE with a Notary signature referrer; an uncovered one has no status', async () => {
    endpoint.createRepository('signed/api')
    endpoint.createRepository('unsigned/api')
    endpoint.setSigningPlan('signed/api', { delayMs: 800 })
    const signed = await image('signed/api', 'signed')
    const unsigned = await image('unsigned/api', 'unsigned')
    const statusOf = async (repositoryName: string, imageDigest: string) =>
      (await client.send(new DescribeImageSigningStatusCommand({ repositoryName, imageId: { imageDigest } }))).signingStatuses
    expect(await statusOf('signed/api', signed.digest)).toEqual([{ signingProfileArn: PROFILE, status: 'IN_PROGRESS' }])
    expect(await statusOf('unsigned/api', unsigned.digest)).toEqual([])
    let statuses = await statusOf('signed/api', signed.digest)
    for (let i = 0; i < 50 && statuses?.[0]?.status === 'IN_PROGRESS'; i++) {
      await new Promise((resolve) => setTimeout(resolve, 100))
      statuses = await statusOf('signed/api', signed.digest)
    }
    expect(statuses).toEqual([{ signingProfileArn: PROFILE, status: 'COMPLETE' }])
    const signatures = await getReferrers(endpoint.registryHost, endpoint.password, 'signed/api', signed.digest, NOTATION_SIGNATURE_TYPE)
    expect(signatures.manifests).toHaveLength(1)
    // The signature itself is not signed.
    expect(await statusOf('signed/api', signatures.manifests[0]?.digest ?? '')).toEqual([])
  })

  test('a scripted FAILED carries failureCode and failureReason; an unknown image is ImageNotFoundException', async () => {
    endpoint.createRepository('signed/failing')
    endpoint.setSigningPlan('signed/failing', { delayMs: 0, outcome: 'FAILED', failureCode: 'AccessDeniedException', failureReason: 'no signer:SignPayload' })
    const failing = await image('signed/failing', 'failing')
    let statuses = (await client.send(new DescribeImageSigningStatusCommand({ repositoryName: 'signed/failing', imageId: { imageDigest: failing.digest } })))
      .signingStatuses
    for (let i = 0; i < 50 && statuses?.[0]?.status === 'IN_PROGRESS'; i++) {
      await new Promise((resolve) => setTimeout(resolve, 50))
      statuses = (await client.send(new DescribeImageSigningStatusCommand({ repositoryName: 'signed/failing', imageId: { imageDigest: failing.digest } })))
        .signingStatuses
    }
    expect(statuses).toEqual([{ signingProfileArn: PROFILE, status: 'FAILED', failureCode: 'AccessDeniedException', failureReason: 'no signer:SignPayload' }])
    const missing = await client
      .send(new DescribeImageSigningStatusCommand({ repositoryName: 'signed/failing', imageId: { imageDigest: `sha256:${'1'.repeat(64)}` } }))
      .catch((e: unknown) => e)
    expect(missing).toBeInstanceOf(ImageNotFoundException)
  })
})
