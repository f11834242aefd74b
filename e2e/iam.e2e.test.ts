// Issue 15: the test endpoint holds every ECR API call and every registry request to an IAM policy, as
// ECR documents it, and the bundled action runs with README's own policy. Here: the endpoint's refusals
// (AccessDeniedException, HTTP 403 DENIED) and what the action does when the policy lacks an action
// (one line naming it, and never a tag before a read that can fail).
import { describe, expect, test } from '@jest/globals'
import { BatchGetImageCommand, DescribeRepositoriesCommand, ECRClient } from '@aws-sdk/client-ecr'
import { createHash } from 'node:crypto'
import { releaseTags, randomSha, useScenarioKit, withoutAction } from './scenario-helpers.js'
import { ENGINE_PUSHES } from './support/docker/real-parts.js'
import { repositoryArn } from './support/iam/iam-policy.js'
import { policyFromReadme, readmeIam } from './support/iam/readme-policy.js'

const kit = useScenarioKit('iam')

function client(): ECRClient {
  const env = kit.endpoint.env()
  return new ECRClient({
    endpoint: kit.endpoint.apiUrl,
    region: kit.endpoint.region,
    maxAttempts: 1,
    credentials: { accessKeyId: env['AWS_ACCESS_KEY_ID'] ?? '', secretAccessKey: env['AWS_SECRET_ACCESS_KEY'] ?? '' }
  })
}

function basicAuth(): string {
  return `Basic ${Buffer.from(`AWS:${kit.endpoint.password}`).toString('base64')}`
}

async function caught(promise: Promise<unknown>): Promise<Error & { $metadata?: { httpStatusCode?: number } }> {
  try {
    await promise
  } catch (error) {
    return error as Error
  }
  throw new Error('expected a rejection')
}

const denial = (action: string, resource: string): string =>
  `User: arn:aws:iam::${kit.endpoint.accountId}:user/ci is not authorized to perform: ${action} on resource: ${resource} because no identity-based policy allows the ${action} action`

describe('the endpoint enforces the policy on the ECR API', () => {
  test('no policy: everything allowed; a policy: AccessDeniedException in AWS JSON, per repository ARN', async () => {
    const { endpoint } = kit
    const allowed = kit.repository('allowed')
    const other = kit.repository('other')
    endpoint.createRepository(allowed)
    endpoint.createRepository(other)
    const ecr = client()
    try {
      expect((await ecr.send(new DescribeRepositoriesCommand({ repositoryNames: [other] }))).repositories).toHaveLength(1)
      endpoint.setPolicy(policyFromReadme({ region: endpoint.region, repository: { accountId: endpoint.accountId, name: allowed } }))
      expect((await ecr.send(new DescribeRepositoriesCommand({ repositoryNames: [allowed] }))).repositories).toHaveLength(1)
      const refused = await caught(ecr.send(new DescribeRepositoriesCommand({ repositoryNames: [other] })))
      expect(refused.name).toBe('AccessDeniedException')
      expect(refused.$metadata?.httpStatusCode).toBe(400)
      expect(refused.message).toBe(denial('ecr:DescribeRepositories', repositoryArn(endpoint.region, endpoint.accountId, other)))
      // An operation the base policy lacks, on its own repository.
      const scan = await caught(ecr.send(new BatchGetImageCommand({ repositoryName: allowed, registryId: '999999999999', imageIds: [{ imageTag: 'x' }] })))
      expect(scan.message).toBe(denial('ecr:BatchGetImage', repositoryArn(endpoint.region, '999999999999', allowed)))
    } finally {
      endpoint.setPolicy(undefined)
      ecr.destroy()
    }
  })
})

describe('the endpoint enforces the policy on the registry API', () => {
  test('each request kind needs its action: 403 with an OCI DENIED error naming it', async () => {
    const { endpoint } = kit
    const repository = kit.repository('registry')
    endpoint.createRepository(repository)
    const blob = Buffer.from('a blob')
    const digest = `sha256:${createHash('sha256').update(blob).digest('hex')}`
    const base = `${endpoint.apiUrl}/v2/${repository}`
    const arn = repositoryArn(endpoint.region, endpoint.accountId, repository)
    const readme = policyFromReadme({ region: endpoint.region, repository: { accountId: endpoint.accountId, name: repository } })
    const cases: Array<[string, string, string, RequestInit]> = [
      ['ecr:InitiateLayerUpload', 'POST', `${base}/blobs/uploads/`, {}],
      ['ecr:BatchCheckLayerAvailability', 'HEAD', `${base}/blobs/${digest}`, {}],
      ['ecr:GetDownloadUrlForLayer', 'GET', `${base}/blobs/${digest}`, {}],
      ['ecr:BatchGetImage', 'GET', `${base}/manifests/latest`, {}],
      ['ecr:PutImage', 'PUT', `${base}/manifests/latest`, { body: '{}', headers: { 'content-type': 'application/vnd.oci.image.manifest.v1+json' } }]
    ]
    try {
      for (const [action, method, url, init] of cases) {
        endpoint.setPolicy(withoutAction(action)(readme))
        const response = await fetch(url, { ...init, method, headers: { ...(init.headers as Record<string, string>), authorization: basicAuth() } })
        expect([action, response.status]).toEqual([action, 403])
        if (method !== 'HEAD') expect(await response.json()).toEqual({ errors: [{ code: 'DENIED', message: denial(action, arn) }] })
        // With the action back, the same request passes IAM (and meets the registry's own answer).
        endpoint.setPolicy(readme)
        const allowed = await fetch(url, { ...init, method, headers: { ...(init.headers as Record<string, string>), authorization: basicAuth() } })
        expect([action, allowed.status]).not.toEqual([action, 403])
        await allowed.arrayBuffer().catch(() => undefined)
      }
    } finally {
      endpoint.setPolicy(undefined)
    }
  })

  test('a cross-repository mount needs the upload action on the target and ecr:GetDownloadUrlForLayer on the source', async () => {
    const { endpoint } = kit
    endpoint.setAccountSetting('BLOB_MOUNTING', 'ENABLED')
    const source = kit.repository('mount-src')
    const target = kit.repository('mount-dst')
    endpoint.createRepository(source)
    endpoint.createRepository(target)
    const ref = (name: string) => ({ accountId: endpoint.accountId, name })
    // Both repositories in the base policy, as README's resource list would carry them.
    const onlyTarget = policyFromReadme({ region: endpoint.region, repository: ref(target) })
    const both = { ...onlyTarget, Statement: [...onlyTarget.Statement, ...policyFromReadme({ region: endpoint.region, repository: ref(source) }).Statement] }
    const url = `${endpoint.apiUrl}/v2/${target}/blobs/uploads/?mount=sha256:${'a'.repeat(64)}&from=${encodeURIComponent(source)}`
    try {
      endpoint.setPolicy(onlyTarget)
      const refused = await fetch(url, { method: 'POST', headers: { authorization: basicAuth() } })
      expect(refused.status).toBe(403)
      expect(await refused.json()).toEqual({
        errors: [{ code: 'DENIED', message: denial('ecr:GetDownloadUrlForLayer', repositoryArn(endpoint.region, endpoint.accountId, source)) }]
      })
      endpoint.setPolicy(both)
      const mounted = await fetch(url, { method: 'POST', headers: { authorization: basicAuth() } })
      // The blob is nowhere: the registry opens an ordinary upload session instead (202).
      expect(mounted.status).toBe(202)
    } finally {
      endpoint.setPolicy(undefined)
      endpoint.setAccountSetting('BLOB_MOUNTING', 'DISABLED')
    }
  })
})

describe("the action with README's policy less one action", () => {
  test('README parses: a base policy with the login on * and the repository actions, and a row per feature', () => {
    const iam = readmeIam()
    expect(iam.exampleRepositoryArn).toMatch(/^arn:aws:ecr:[a-z0-9-]+:[0-9]{12}:repository\/.+$/)
    expect(iam.rows.length).toBeGreaterThan(5)
  })

  test('without ecr:GetDownloadUrlForLayer: the push fails with one line naming it, and no tag is written (the reads come first)', async () => {
    const repository = kit.repository('no-read')
    kit.endpoint.createRepository(repository, { mutability: 'IMMUTABLE' })
    const sha = randomSha()
    const { run } = await kit.run({
      inputs: { repository, context: 'app' },
      iamEdit: withoutAction('ecr:GetDownloadUrlForLayer'),
      workspace: await kit.workspace(),
      sha
    })
    const classic = ENGINE_PUSHES
    if (classic) {
      // The classic store's single manifest: its platform is in the config, read before any tag.
      expect(run.main.exitCode).toBe(1)
      expect(run.errors).toEqual([expect.stringMatching(/the role needs ecr:GetDownloadUrlForLayer on /)])
      expect(await releaseTags(kit.endpoint, repository)).toEqual([])
      expect(run.outputs['digest'] ?? '').toBe('')
    } else {
      // The containerd store's index names its platforms itself: nothing to read, the push succeeds.
      expect(run.errors).toEqual([])
      expect(await releaseTags(kit.endpoint, repository)).toEqual([sha])
    }
  })
})
