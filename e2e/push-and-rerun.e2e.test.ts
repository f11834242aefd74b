// Issue #3: first push, re-runs (fail / skip), all-or-nothing extra tags, the PR head commit, and
// the repository policies (require-immutable-repository, create-repository). Every check is made
// against the registry or the endpoint's request log, not only against the action's outputs.
import { describe, expect, test } from '@jest/globals'
import {
  buildRan,
  describeRepository,
  describeRequests,
  imageConfig,
  runnableManifest,
  isManifestPut,
  operations,
  randomSha,
  registryRequests,
  stackTraceIn,
  useScenarioKit,
  writes,
  releaseTags
} from './scenario-helpers.js'
import { ENGINE_PUSHES } from './support/docker/real-parts.js'

const kit = useScenarioKit('push')
const ACCOUNT_ID = '123456789012'

describe('first push', () => {
  test('outputs match what the registry serves; the summary has the table and no account id', async () => {
    const { endpoint } = kit
    const repository = kit.repository('first')
    endpoint.createRepository(repository, { mutability: 'IMMUTABLE' })
    const workspace = await kit.workspace()
    const sha = randomSha()

    const { run, requests } = await kit.run({ inputs: { repository, context: 'app' }, workspace, sha })

    expect(run.errors).toEqual([])
    expect(run.main.exitCode).toBe(0)
    const served = await endpoint.manifestDigest(repository, sha)
    expect(served).toMatch(/^sha256:[0-9a-f]{64}$/)
    expect(run.outputs).toMatchObject({
      digest: served,
      image: `${endpoint.registryHost}/${repository}@${served}`,
      'image-uri': `${endpoint.registryHost}/${repository}:${sha}`,
      tag: sha,
      tags: sha,
      registry: endpoint.registryHost,
      repository,
      pushed: 'true'
    })
    expect(run.outputs['tag']).toMatch(/^[0-9a-f]{40}$/)
    // README's base policy has no ecr:BatchDeleteImage: the classic store's docker push leaves its staging tag
    // (same image), with one warning naming the permission and the aws CLI line; the other uploads have none.
    const all = await endpoint.tags(repository)
    if (ENGINE_PUSHES) {
      expect(all).toHaveLength(2)
      expect(all).toContain(sha)
      expect(all.find((tag) => tag !== sha)).toMatch(/^immutable-ecr-build-staging-[0-9a-f]{16}$/)
      expect(run.warnings).toEqual([expect.stringMatching(/^Could not remove the staging tag .*ecr:BatchDeleteImage.*aws ecr batch-delete-image/)])
    } else {
      expect(all).toEqual([sha])
      expect(run.warnings).toEqual([])
    }
    // Every manifest of the image by digest (one, or an index with its children), none under a name; the
    // classic store's engine push is the one exception, under its one-off staging tag.
    const { manifests } = await runnableManifest(endpoint, repository, sha)
    const byDigest = requests.filter(isManifestPut).map((entry) => /\/manifests\/sha256:[0-9a-f]{64}$/.test(entry.path ?? ''))
    expect(byDigest).toEqual(ENGINE_PUSHES ? [false] : Array<boolean>(manifests).fill(true))

    // The image is this commit's build: the labels the action sets, read from the stored config.
    const { config } = await imageConfig(endpoint, repository, sha)
    expect(config.config?.Labels).toMatchObject({
      'org.opencontainers.image.revision': sha,
      'org.opencontainers.image.source': 'https://github.com/acme/web'
    })

    expect(run.summary).toContain('| Repository | Tags | Digest | Result | Build seconds |')
    expect(run.summary).toContain(`| ${repository} | \`${sha}\` | \`${served}\` | pushed |`)
    expect(endpoint.accountId).toBe(ACCOUNT_ID)
    expect(run.summary).not.toContain(ACCOUNT_ID)
    // The registry host is what carries the account id on real ECR (<account>.dkr.ecr.<region>...).
    expect(run.summary).not.toContain(endpoint.registryHost)
  })
})

describe('re-runs of a commit that was already pushed', () => {
  test('if-tag-exists: fail with a changed context: one error, tag unchanged, nothing built or written', async () => {
    const { endpoint } = kit
    const repository = kit.repository('rerun-fail')
    endpoint.createRepository(repository, { mutability: 'IMMUTABLE' })
    const sha = randomSha()
    const first = await kit.run({ inputs: { repository, context: 'app' }, workspace: await kit.workspace(), sha })
    expect(first.run.main.exitCode).toBe(0)
    const digest = await endpoint.manifestDigest(repository, sha)
    expect(digest).toBe(first.run.outputs['digest'])

    const changed = await kit.workspace({
      app: { content: 'changed content\n', dockerfile: 'FROM scratch\nCOPY busybox /bin/busybox\nCOPY content.txt /changed.txt\nLABEL changed=yes\n' }
    })
    const { run, requests } = await kit.run({ inputs: { repository, context: 'app' }, workspace: changed, sha })

    expect(run.main.exitCode).not.toBe(0)
    expect(run.errors).toHaveLength(1)
    expect(run.errors[0]).toContain(`Tag already exists in ${repository}: ${sha} (${digest})`)
    expect(stackTraceIn(run)).toBeUndefined()
    expect(buildRan(run)).toBe(false)
    expect(await endpoint.manifestDigest(repository, sha)).toBe(digest)
    expect(describeRequests(requests.filter(isManifestPut))).toEqual([])
    expect(describeRequests(writes(requests))).toEqual([])
    expect(run.outputs['digest'] ?? '').toBe('')
    expect(run.summary).toContain('refused')
    expect(run.summary).not.toContain(ACCOUNT_ID)
  })

  test('if-tag-exists: skip: exit 0, pushed=false, the existing digest, no build, no write', async () => {
    const { endpoint } = kit
    const repository = kit.repository('rerun-skip')
    endpoint.createRepository(repository, { mutability: 'IMMUTABLE' })
    const sha = randomSha()
    const first = await kit.run({ inputs: { repository, context: 'app' }, workspace: await kit.workspace(), sha })
    expect(first.run.main.exitCode).toBe(0)
    const digest = await endpoint.manifestDigest(repository, sha)
    expect(digest).toMatch(/^sha256:/)

    const changed = await kit.workspace({ app: { content: 'something else entirely\n' } })
    const { run, requests } = await kit.run({ inputs: { repository, context: 'app', 'if-tag-exists': 'skip' }, workspace: changed, sha })

    expect(run.errors).toEqual([])
    expect(run.main.exitCode).toBe(0)
    expect(run.outputs).toMatchObject({
      pushed: 'false',
      digest,
      image: `${endpoint.registryHost}/${repository}@${digest}`,
      tag: sha,
      metadata: '',
      // Read from the stored config with README's base policy (ecr:GetDownloadUrlForLayer): issue 15.
      'platform-digests': first.run.outputs['platform-digests']
    })
    expect(Object.keys(JSON.parse(run.outputs['platform-digests'] ?? '{}') as object)).toEqual(['linux/amd64'])
    expect(buildRan(run)).toBe(false)
    expect(describeRequests(requests.filter(isManifestPut))).toEqual([])
    expect(describeRequests(writes(requests))).toEqual([])
    expect(await endpoint.manifestDigest(repository, sha)).toBe(digest)
    expect(await releaseTags(endpoint, repository)).toEqual([sha])
  })
})

// Issue 15: a skip reuse is checked as tag addition is. With sha-length: 7 the tag of another commit
// sharing the first 7 characters is "every tag already exists"; its config's revision label says whose it is.
describe('if-tag-exists: skip checks the revision label before reusing', () => {
  test('sha-length: 7 and another commit’s image under the tag: refused in one line, nothing built or written, no digest', async () => {
    const { endpoint } = kit
    const repository = kit.repository('skip-other-commit')
    endpoint.createRepository(repository, { mutability: 'IMMUTABLE' })
    const otherSha = randomSha()
    const sha = `${otherSha.slice(0, 7)}${randomSha().slice(7)}`
    const tag = otherSha.slice(0, 7)
    // One manifest (no provenance index), so the refusal names the image itself.
    const first = await kit.run({
      inputs: { repository, context: 'app', 'sha-length': '7', provenance: 'false' },
      workspace: await kit.workspace(),
      sha: otherSha
    })
    expect(first.run.errors).toEqual([])
    const digest = await endpoint.manifestDigest(repository, tag)
    expect((await imageConfig(endpoint, repository, tag)).config.config?.Labels?.['org.opencontainers.image.revision']).toBe(otherSha)

    const { run, requests } = await kit.run({
      inputs: { repository, context: 'app', 'sha-length': '7', 'if-tag-exists': 'skip' },
      workspace: await kit.workspace(),
      sha
    })

    expect(run.main.exitCode).toBe(1)
    expect(run.errors).toEqual([
      `Cannot reuse ${tag} in ${repository} (if-tag-exists: skip): ${tag} names ${digest} was built from ${otherSha} (label org.opencontainers.image.revision), not ${sha}. Nothing was written; build this commit under a new tag-prefix or a longer sha-length.`
    ])
    expect(stackTraceIn(run)).toBeUndefined()
    expect(run.outputs['digest'] ?? '').toBe('')
    expect(buildRan(run)).toBe(false)
    expect(describeRequests(writes(requests))).toEqual([])
    // The read that decides it: the config blob, through the registry API (ecr:GetDownloadUrlForLayer).
    expect(registryRequests(requests).filter((entry) => entry.method === 'GET' && (entry.path ?? '').includes('/blobs/'))).toHaveLength(1)
    expect(await releaseTags(endpoint, repository)).toEqual([tag])
  })
})

describe('extra-tags', () => {
  test('one extra tag already on another image: nothing is pushed, under fail and under skip', async () => {
    const { endpoint } = kit
    const repository = kit.repository('extra')
    endpoint.createRepository(repository, { mutability: 'IMMUTABLE' })
    const release = 'v1.4.2'
    const oldSha = randomSha()
    const old = await kit.run({ inputs: { repository, context: 'app', 'extra-tags': release }, workspace: await kit.workspace(), sha: oldSha })
    expect(old.run.main.exitCode).toBe(0)
    const releaseDigest = await endpoint.manifestDigest(repository, release)
    expect(releaseDigest).toBe(old.run.outputs['digest'])
    expect(await endpoint.manifestDigest(repository, oldSha)).toBe(releaseDigest)

    const sha = randomSha()
    for (const ifTagExists of ['fail', 'skip']) {
      const { run, requests } = await kit.run({
        inputs: { repository, context: 'app', 'extra-tags': `latest-build\n${release}`, 'if-tag-exists': ifTagExists },
        workspace: await kit.workspace(),
        sha
      })
      expect(run.main.exitCode).not.toBe(0)
      expect(run.errors).toHaveLength(1)
      expect(run.errors[0]).toContain(`${release} (${releaseDigest})`)
      expect(buildRan(run)).toBe(false)
      expect(describeRequests(writes(requests))).toEqual([])
      // All or nothing: neither the SHA tag nor the other new extra tag exists.
      expect(await endpoint.manifestDigest(repository, sha)).toBeUndefined()
      expect(await endpoint.manifestDigest(repository, 'latest-build')).toBeUndefined()
      expect(await endpoint.manifestDigest(repository, release)).toBe(releaseDigest)
    }
    expect(await releaseTags(endpoint, repository)).toEqual([oldSha, release].sort())
  })
})

describe('pull_request', () => {
  test('the tag is the PR head commit, not GITHUB_SHA (the merge commit)', async () => {
    const { endpoint } = kit
    const repository = kit.repository('pr')
    endpoint.createRepository(repository, { mutability: 'IMMUTABLE' })
    const headSha = randomSha()
    const mergeSha = randomSha()

    const { run } = await kit.run({ inputs: { repository, context: 'app' }, workspace: await kit.workspace(), eventName: 'pull_request', headSha, mergeSha })

    expect(run.context.sha).toBe(mergeSha)
    expect(run.main.exitCode).toBe(0)
    expect(run.outputs['tag']).toBe(headSha)
    const served = await endpoint.manifestDigest(repository, headSha)
    expect(served).toBe(run.outputs['digest'])
    expect(await endpoint.manifestDigest(repository, mergeSha)).toBeUndefined()
    expect(await releaseTags(endpoint, repository)).toEqual([headSha])
    const { config } = await imageConfig(endpoint, repository, headSha)
    expect(config.config?.Labels?.['org.opencontainers.image.revision']).toBe(headSha)
  })
})

describe('repository policies', () => {
  test('require-immutable-repository on a MUTABLE repository fails before building; registry untouched', async () => {
    const { endpoint } = kit
    const repository = kit.repository('mutable-required')
    endpoint.createRepository(repository, { mutability: 'MUTABLE' })
    const workspace = await kit.workspace()

    const { run, requests } = await kit.run({ inputs: { repository, context: 'app', 'require-immutable-repository': 'true' }, workspace })

    expect(run.main.exitCode).not.toBe(0)
    expect(run.errors).toHaveLength(1)
    expect(run.errors[0]).toContain(`Repository ${repository} is MUTABLE`)
    expect(run.errors[0]).toContain('require-immutable-repository')
    expect(stackTraceIn(run)).toBeUndefined()
    expect(buildRan(run)).toBe(false)
    expect(describeRequests(registryRequests(requests))).toEqual([])
    expect(describeRequests(writes(requests))).toEqual([])
    expect(await releaseTags(endpoint, repository)).toEqual([])

    // Control: the same input on an IMMUTABLE repository builds and pushes.
    const immutable = kit.repository('immutable-required')
    endpoint.createRepository(immutable, { mutability: 'IMMUTABLE' })
    const ok = await kit.run({ inputs: { repository: immutable, context: 'app', 'require-immutable-repository': 'true' }, workspace })
    expect(ok.run.main.exitCode).toBe(0)
    expect(await endpoint.manifestDigest(immutable, ok.run.context.sha)).toBe(ok.run.outputs['digest'])
  })

  test('create-repository: false and the repository is missing: the error names repository and region', async () => {
    const { endpoint } = kit
    const repository = kit.repository('missing')

    const { run, requests } = await kit.run({ inputs: { repository, context: 'app' }, workspace: await kit.workspace() })

    expect(run.main.exitCode).not.toBe(0)
    expect(run.errors).toHaveLength(1)
    expect(run.errors[0]).toContain(`Repository ${repository} does not exist`)
    expect(run.errors[0]).toContain(`region ${endpoint.region}`)
    expect(run.errors[0]).toContain('create-repository: true')
    expect(stackTraceIn(run)).toBeUndefined()
    expect(buildRan(run)).toBe(false)
    expect(operations(requests)).not.toContain('CreateRepository')
    expect(describeRequests(writes(requests))).toEqual([])
    expect(await describeRepository(endpoint, repository)).toBeUndefined()
  })

  test('create-repository: true creates the repository IMMUTABLE (with scan on push) and pushes', async () => {
    const { endpoint } = kit
    const repository = kit.repository('created')
    expect(await describeRepository(endpoint, repository)).toBeUndefined()

    const { run, requests } = await kit.run({
      inputs: { repository, context: 'app', 'create-repository': 'true' },
      iam: ['create-repository'],
      workspace: await kit.workspace()
    })

    expect(run.errors).toEqual([])
    expect(run.main.exitCode).toBe(0)
    expect(operations(requests).filter((op) => op === 'CreateRepository')).toHaveLength(1)
    const created = await describeRepository(endpoint, repository)
    expect(created).toMatchObject({ repositoryName: repository, imageTagMutability: 'IMMUTABLE', imageScanningConfiguration: { scanOnPush: true } })
    const served = await endpoint.manifestDigest(repository, run.context.sha)
    expect(served).toMatch(/^sha256:/)
    expect(run.outputs['digest']).toBe(served)
    expect(run.outputs['pushed']).toBe('true')
  })
})
