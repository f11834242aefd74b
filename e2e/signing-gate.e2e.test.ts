// Issue 18: the signing gate (require-signature: managed). The endpoint models ECR managed signing
// (e2e/support/ecr/ecr-signing.ts): a registry signing configuration, DescribeImageSigningStatus going
// IN_PROGRESS → COMPLETE after a delay with a Notary signature referrer stored, or FAILED as scripted.
// Each run is the bundled action against the real @aws-sdk/client-ecr; every check reads the registry
// or the endpoint's request log.
import { describe, expect, test } from '@jest/globals'
import { execFileSync } from 'node:child_process'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { getReferrers } from './support/ecr/ecr-referrers.js'
import { NOTATION_SIGNATURE_TYPE } from './support/ecr/ecr-signing.js'
import { buildRan, randomSha, useScenarioKit, visibleLog } from './scenario-helpers.js'

const kit = useScenarioKit('signgate')
const PROMOTE_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'promote')
const PROFILE = 'arn:aws:signer:us-east-1:123456789012:/signing-profiles/ci_signer'
const PRODUCTION = '444444444444'
const MERGE_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'merge')
/** Per-platform legs need the containerd image store, whichever engine this suite runs on. */
const CONTAINERD_HOST = execFileSync('bash', [path.join(MERGE_DIR, '..', 'scripts', 'engine-host.sh'), 'containerd'], { encoding: 'utf8' }).trim()

/** Signing configuration with one rule for the repositories of this file. */
function configureSigning(accountId?: string): void {
  kit.endpoint.setSigningConfiguration([{ signingProfileArn: PROFILE, repositoryFilters: [{ filter: 'signgate/*', filterType: 'WILDCARD_MATCH' }] }], accountId)
}

function nonStagingTags(tags: string[]): string[] {
  return tags.filter((tag) => !tag.startsWith('immutable-ecr-build-staging-'))
}

describe('require-signature: managed', () => {
  test('holds the tag until ECR reports the image signed; the signature is a referrer of the digest', async () => {
    const { endpoint } = kit
    configureSigning()
    const repository = kit.repository('held')
    endpoint.createRepository(repository, { mutability: 'IMMUTABLE' })
    endpoint.setSigningPlan(repository, { delayMs: 2500 })
    const sha = randomSha()
    const { run, requests } = await kit.run({
      inputs: { repository, context: 'app', 'require-signature': 'managed', provenance: 'false' },
      iam: ['signing gate'],
      workspace: await kit.workspace(),
      sha
    })
    expect(run.errors).toEqual([])
    const digest = run.outputs['digest'] as string
    expect(await endpoint.manifestDigest(repository, sha)).toBe(digest)
    // What actions/attest-build-provenance is given: subject-name (image-name) and subject-digest (digest).
    expect(run.outputs['image-name']).toBe(`${endpoint.registryHost}/${repository}`)
    expect(`${run.outputs['image-name']}@${digest}`).toBe(run.outputs['image'])
    const calls = requests.filter((entry) => entry.kind === 'api').map((entry) => entry.operation)
    // Configuration first (before the build), statuses until COMPLETE, then the tag.
    expect(calls.indexOf('GetSigningConfiguration')).toBeLessThan(calls.indexOf('DescribeImageSigningStatus'))
    expect(calls.filter((operation) => operation === 'DescribeImageSigningStatus').length).toBeGreaterThanOrEqual(2)
    expect(calls.lastIndexOf('DescribeImageSigningStatus')).toBeLessThan(calls.indexOf('PutImage'))
    expect(visibleLog(run)).toMatch(/Signing gate: waiting for /)
    expect(visibleLog(run)).toContain(`Signing gate: ${digest} signed (${PROFILE}).`)
    const signatures = await getReferrers(endpoint.registryHost, endpoint.password, repository, digest, NOTATION_SIGNATURE_TYPE)
    expect(signatures.manifests).toHaveLength(1)
  })

  test('a FAILED signing is refused with ECR’s reason in one line; no tag is written', async () => {
    const { endpoint } = kit
    configureSigning()
    const repository = kit.repository('failed')
    endpoint.createRepository(repository, { mutability: 'IMMUTABLE' })
    endpoint.setSigningPlan(repository, {
      outcome: 'FAILED',
      failureCode: 'AccessDeniedException',
      failureReason: 'User is not authorized to perform: signer:SignPayload'
    })
    const { run, requests } = await kit.run({
      inputs: { repository, context: 'app', 'require-signature': 'managed', provenance: 'false' },
      iam: ['signing gate'],
      workspace: await kit.workspace(),
      sha: randomSha()
    })
    expect(run.main.exitCode).not.toBe(0)
    expect(run.errors).toHaveLength(1)
    expect(run.errors[0]).toMatch(
      new RegExp(
        `^ECR managed signing FAILED for sha256:[0-9a-f]{64} \\(profile ${PROFILE.replace(/[/.]/g, '\\$&')}\\): AccessDeniedException: User is not authorized to perform: signer:SignPayload\\. No tag was written; `
      )
    )
    expect(requests.filter((entry) => entry.operation === 'PutImage')).toEqual([])
    expect(nonStagingTags(await endpoint.tags(repository))).toEqual([])
  })

  test('times out cleanly after signature-timeout: one line, no tag', async () => {
    const { endpoint } = kit
    configureSigning()
    const repository = kit.repository('slow')
    endpoint.createRepository(repository, { mutability: 'IMMUTABLE' })
    endpoint.setSigningPlan(repository, { delayMs: 120_000 })
    const { run } = await kit.run({
      inputs: { repository, context: 'app', 'require-signature': 'managed', 'signature-timeout': '2', provenance: 'false' },
      iam: ['signing gate'],
      workspace: await kit.workspace(),
      sha: randomSha()
    })
    expect(run.main.exitCode).not.toBe(0)
    expect(run.errors).toHaveLength(1)
    expect(run.errors[0]).toMatch(/^ECR managed signing did not complete for sha256:[0-9a-f]{64} within 2 s \(still IN_PROGRESS\)\. No tag was written; /)
    expect(nonStagingTags(await endpoint.tags(repository))).toEqual([])
  })

  test('no signing rule covers the repository: refused before the build', async () => {
    const { endpoint } = kit
    configureSigning()
    const repository = `unsigned/${kit.repository('uncovered').split('/')[1]}`
    endpoint.createRepository(repository, { mutability: 'IMMUTABLE' })
    const { run, requests } = await kit.run({
      inputs: { repository, context: 'app', 'require-signature': 'managed', provenance: 'false' },
      iam: ['signing gate'],
      workspace: await kit.workspace(),
      sha: randomSha()
    })
    expect(run.errors).toEqual([
      `require-signature: managed, but no rule of the registry's signing configuration covers ${repository} (its repository filters: signgate/*): add a rule or a filter that matches it, or set require-signature: off. (aws ecr put-signing-configuration; README: Signing gate)`
    ])
    expect(buildRan(run)).toBe(false)
    expect(requests.filter((entry) => entry.kind === 'registry' && entry.method === 'PUT')).toEqual([])
  })

  test('promote: the tags at the destination wait for the destination’s own signing of the copied image', async () => {
    const { endpoint } = kit
    const production = await endpoint.addAccount(PRODUCTION)
    const staging = kit.repository('staging')
    endpoint.createRepository(staging, { mutability: 'IMMUTABLE' })
    configureSigning()
    const built = await kit.run({
      inputs: { repository: staging, context: 'app', 'require-signature': 'managed', provenance: 'false' },
      iam: ['signing gate'],
      workspace: await kit.workspace(),
      sha: randomSha()
    })
    expect(built.run.errors).toEqual([])
    const digest = built.run.outputs['digest'] as string
    configureSigning(PRODUCTION)
    const target = kit.repository('production')
    endpoint.createRepository(target, { mutability: 'IMMUTABLE', accountId: PRODUCTION })
    endpoint.setSigningPlan(target, { delayMs: 1500 }, PRODUCTION)
    const sha = randomSha()
    const promoted = await kit.run({
      actionDir: PROMOTE_DIR,
      iam: ['promote source', 'promote destination', 'signing gate'],
      inputs: { 'source-repository': staging, 'source-registry-id': endpoint.accountId, digest, repository: target, tags: sha, 'require-signature': 'managed' },
      env: production.env(),
      sha
    })
    expect(promoted.run.errors).toEqual([])
    const calls = promoted.requests.filter((entry) => entry.kind === 'api').map((entry) => entry.operation)
    expect(calls.lastIndexOf('DescribeImageSigningStatus')).toBeLessThan(calls.indexOf('PutImage'))
    expect(await endpoint.manifestDigest(target, sha, PRODUCTION)).toBe(digest)
    // Two signatures at the destination: staging's, which travelled with the image as a referrer, and
    // the production registry's own.
    expect(promoted.run.summary).toContain('#### Referrers (1)')
    expect((await getReferrers(production.registryHost, endpoint.password, target, digest, NOTATION_SIGNATURE_TYPE)).manifests).toHaveLength(2)
  })

  test('merge: the index’s tags wait until ECR reports the index and each platform image signed', async () => {
    const { endpoint } = kit
    configureSigning()
    const repository = kit.repository('merged')
    endpoint.createRepository(repository, { mutability: 'IMMUTABLE' })
    const workspace = await kit.workspace()
    const sha = randomSha()
    const legs: string[] = []
    for (const platform of ['linux/amd64', 'linux/arm64']) {
      const leg = await kit.run({
        inputs: { repository, context: 'app', untagged: 'true', platforms: platform, provenance: 'false' },
        workspace,
        sha,
        env: { DOCKER_HOST: CONTAINERD_HOST }
      })
      expect(leg.run.errors).toEqual([])
      legs.push(leg.run.outputs['digest'] as string)
    }
    endpoint.setSigningPlan(repository, { delayMs: 1500 })
    const merged = await kit.run({
      actionDir: MERGE_DIR,
      iam: ['merge', 'signing gate'],
      inputs: { repository, digests: legs.join('\n'), 'require-signature': 'managed' },
      workspace,
      sha
    })
    expect(merged.run.errors).toEqual([])
    const index = merged.run.outputs['digest'] as string
    expect(await endpoint.manifestDigest(repository, sha)).toBe(index)
    const put = merged.requests.findIndex((entry) => entry.operation === 'PutImage')
    const asked = merged.requests.slice(0, put).filter((entry) => entry.operation === 'DescribeImageSigningStatus').length
    // The index (IN_PROGRESS for 1.5 s, so asked more than once) and both platform images, before the tag.
    expect(asked).toBeGreaterThan(3)
    for (const digest of [index, ...legs]) expect(visibleLog(merged.run)).toContain(`${digest} signed (${PROFILE})`)
  })
})
