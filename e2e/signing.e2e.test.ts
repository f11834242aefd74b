// Issue 18: a real signing client end to end. Debian trixie's cosign 2.5 signs the action's digest
// as an OCI 1.1 referrer (no tag), the promote action carries the signature to another account, and
// cosign verifies it there with the same key, offline. The endpoint serves the referrers API as ECR
// does (e2e/support/ecr/ecr-referrers.ts); docker-registry 2.8 behind it has none.
import { beforeAll, describe, expect, test } from '@jest/globals'
import { execFileSync } from 'node:child_process'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { ensureCosign, prepareCosign, type Cosign } from './support/sigstore/cosign.js'
import { getReferrers } from './support/ecr/ecr-referrers.js'
import { isManifestPut, randomSha, useScenarioKit } from './scenario-helpers.js'

const kit = useScenarioKit('signing')
const PROMOTE_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'promote')
const PRODUCTION = '333333333333'
const SIGNATURE_TYPE = 'application/vnd.dev.cosign.artifact.sig.v1+json'
/** The multi-platform build needs the containerd image store, whichever engine this suite runs on. */
const CONTAINERD_HOST = execFileSync('bash', [path.join(PROMOTE_DIR, '..', 'scripts', 'engine-host.sh'), 'containerd'], { encoding: 'utf8' }).trim()

let cosign: Cosign

beforeAll(async () => {
  await ensureCosign()
  const production = await kit.endpoint.addAccount(PRODUCTION)
  const { password } = kit.endpoint
  cosign = await prepareCosign(kit.root, { [kit.endpoint.registryHost]: password, [production.registryHost]: password })
}, 120_000)

async function build(repository: string, inputs: Record<string, string> = {}, env?: Record<string, string>): Promise<string> {
  const { run } = await kit.run({
    inputs: { repository, context: 'app', ...inputs },
    workspace: await kit.workspace(),
    sha: randomSha(),
    ...(env ? { env } : {})
  })
  expect(run.errors).toEqual([])
  return run.outputs['digest'] as string
}

function expectOk(result: { code: number | null; stderr: string }): void {
  expect({ code: result.code, stderr: result.code === 0 ? '' : result.stderr }).toEqual({ code: 0, stderr: '' })
}

describe('cosign in referrers mode', () => {
  test('signs the digest output with no tag; promote carries the signature to another account, where cosign verifies it offline', async () => {
    const { endpoint } = kit
    const staging = kit.repository('staging')
    endpoint.createRepository(staging, { mutability: 'IMMUTABLE' })
    const digest = await build(staging)
    const tagsBefore = await endpoint.tags(staging)

    expectOk(await cosign.sign(`${endpoint.registryHost}/${staging}@${digest}`))
    // Referrers mode wrote no tag (cosign would have fallen back to sha256-<hex> without OCI-Subject).
    expect(await endpoint.tags(staging)).toEqual(tagsBefore)
    const signatures = await getReferrers(endpoint.registryHost, endpoint.password, staging, digest, SIGNATURE_TYPE)
    expect({ status: signatures.status, filtersApplied: signatures.filtersApplied, count: signatures.manifests.length }).toEqual({
      status: 200,
      filtersApplied: 'artifactType',
      count: 1
    })
    expect((await getReferrers(endpoint.registryHost, endpoint.password, staging, digest, 'application/spdx+json')).manifests).toEqual([])

    const production = endpoint.account(PRODUCTION)
    const target = kit.repository('production')
    endpoint.createRepository(target, { mutability: 'IMMUTABLE', accountId: PRODUCTION })
    const image = `${production.registryHost}/${target}@${digest}`
    // Before the promotion there is nothing to verify at the destination.
    expect((await cosign.verify(image)).code).not.toBe(0)

    const sha = randomSha()
    const promoted = await kit.run({
      actionDir: PROMOTE_DIR,
      iam: ['promote source', 'promote destination'],
      inputs: { 'source-repository': staging, 'source-registry-id': endpoint.accountId, digest, repository: target, 'registry-id': PRODUCTION, tags: sha },
      env: production.env(),
      sha
    })
    expect(promoted.run.errors).toEqual([])
    expect(promoted.run.outputs['image-name']).toBe(`${production.registryHost}/${target}`)
    expect(promoted.run.summary).toContain('#### Referrers (1)')
    // The signature was PUT (by digest) before the tag was written.
    const order = promoted.requests
      .filter((entry) => isManifestPut(entry) || entry.operation === 'PutImage')
      .map((entry) => (isManifestPut(entry) ? (entry.path ?? '') : 'tag'))
    expect(order[order.length - 1]).toBe('tag')
    expect(order).toContain(`/v2/${target}/manifests/${signatures.manifests[0]?.digest}`)
    expect(await endpoint.tags(target, PRODUCTION)).toEqual([sha])

    const verified = await cosign.verify(image)
    expectOk(verified)
    expect(verified.stdout).toContain(digest)
  })

  test('an index signed recursively keeps its children’s signatures when promoted; each platform image verifies at the destination', async () => {
    const { endpoint } = kit
    const staging = kit.repository('staging-index')
    endpoint.createRepository(staging, { mutability: 'IMMUTABLE' })
    const digest = await build(staging, { platforms: 'linux/amd64,linux/arm64' }, { DOCKER_HOST: CONTAINERD_HOST })
    const index = JSON.parse((await endpoint.manifest(staging, digest))?.text ?? '{}') as { manifests: { digest: string; platform?: { os: string } }[] }
    const platforms = index.manifests.filter((entry) => entry.platform?.os !== 'unknown').map((entry) => entry.digest)
    expect(platforms).toHaveLength(2)

    expectOk(await cosign.sign(`${endpoint.registryHost}/${staging}@${digest}`, { recursive: true }))
    const target = kit.repository('production-index')
    endpoint.createRepository(target, { mutability: 'IMMUTABLE', accountId: PRODUCTION })
    const production = endpoint.account(PRODUCTION)
    const sha = randomSha()
    const promoted = await kit.run({
      actionDir: PROMOTE_DIR,
      iam: ['promote source', 'promote destination'],
      inputs: { 'source-repository': staging, 'source-registry-id': endpoint.accountId, digest, repository: target, 'registry-id': PRODUCTION, tags: sha },
      env: production.env(),
      sha
    })
    expect(promoted.run.errors).toEqual([])
    for (const child of [digest, ...platforms]) {
      const there = await getReferrers(production.registryHost, endpoint.password, target, child, SIGNATURE_TYPE)
      expect({ child, count: there.manifests.length }).toEqual({ child, count: 1 })
      expectOk(await cosign.verify(`${production.registryHost}/${target}@${child}`))
    }
  })

  test('signs twice on an IMMUTABLE repository (two keys), which the tag mode cannot do', async () => {
    const { endpoint } = kit
    // A second signer (a release approver after CI, say); cosign skips a second signature by the same key.
    const approver = await prepareCosign(kit.root, { [endpoint.registryHost]: endpoint.password })
    const repository = kit.repository('twice')
    endpoint.createRepository(repository, { mutability: 'IMMUTABLE' })
    const digest = await build(repository)
    const image = `${endpoint.registryHost}/${repository}@${digest}`
    const tagsBefore = await endpoint.tags(repository)

    expectOk(await cosign.sign(image))
    expectOk(await approver.sign(image))
    expect((await getReferrers(endpoint.registryHost, endpoint.password, repository, digest)).manifests).toHaveLength(2)
    expect(await endpoint.tags(repository)).toEqual(tagsBefore)
    // cosign 2.5 reads one signature referrer (it warns "there were a total of 2 references"): the
    // latest listed, so the second signer's verifies and the first signer's is not found.
    expectOk(await approver.verify(image))
    expect((await cosign.verify(image)).stderr).toContain('there were a total of 2 references')

    // The legacy tag mode keeps every signature under one sha256-<hex>.sig tag: the second signer must
    // move that tag, which an IMMUTABLE repository refuses.
    const tagged = kit.repository('twice-tag-mode')
    endpoint.createRepository(tagged, { mutability: 'IMMUTABLE' })
    const other = await build(tagged)
    const legacy = `${endpoint.registryHost}/${tagged}@${other}`
    expectOk(await cosign.sign(legacy, { mode: 'tag' }))
    expect(await endpoint.tags(tagged)).toContain(`${other.replace(':', '-')}.sig`)
    const second = await approver.sign(legacy, { mode: 'tag' })
    expect(second.code).not.toBe(0)
    expect(second.stderr).toContain('TAG_INVALID')
  })
})
