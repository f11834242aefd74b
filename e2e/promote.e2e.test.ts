// Issue #8: release tags on the image already built, floating tags, promotion by digest (the
// promote action, dist/promote), and archived images, each run the runner's way against the loopback
// ECR endpoint. Every check reads the registry or the endpoint's request log, not only the outputs.
import { describe, expect, test } from '@jest/globals'
import { execFileSync } from 'node:child_process'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import {
  buildRan,
  isManifestPut,
  operations,
  randomSha,
  releaseTags,
  runnableManifest,
  startApiGate,
  useScenarioKit,
  within,
  writes
} from './scenario-helpers.js'

const kit = useScenarioKit('promote')
const PROMOTE_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'promote')
const PRODUCTION = '222222222222'
/** The multi-platform build needs the containerd image store, whichever engine this suite runs on. */
const CONTAINERD_HOST = execFileSync('bash', [path.join(PROMOTE_DIR, '..', 'scripts', 'engine-host.sh'), 'containerd'], { encoding: 'utf8' }).trim()

/** The build action's first push of a commit; returns its digest. */
async function build(repository: string, sha: string, inputs: Record<string, string> = {}, content?: string, env?: Record<string, string>): Promise<string> {
  const workspace = await kit.workspace(content ? { app: { content } } : { app: {} })
  // README's base policy, plus its floating tags row when the build moves one.
  const iam = inputs['floating-tags'] ? (['floating tags'] as const) : []
  const { run } = await kit.run({ inputs: { repository, context: 'app', ...inputs }, iam, workspace, sha, ...(env ? { env } : {}) })
  expect(run.errors).toEqual([])
  return run.outputs['digest'] as string
}

/** Seconds and ECR API / registry requests of one run, for the cost table in the closing note. */
function cost(label: string, seconds: number, requests: { kind: string }[]): void {
  const api = requests.filter((entry) => entry.kind === 'api').length
  process.stdout.write(
    `COST ${label}: ${seconds.toFixed(2)} s, ${api} API calls, ${requests.length - api} registry requests; ${operations(requests as never).join(' ')}\n`
  )
}

describe('release tags on the image already built', () => {
  test('push builds SHA X; a tag push adds v1.2.3 (same digest, nothing built); the same tag push again is a no-op', async () => {
    const { endpoint } = kit
    const repository = kit.repository('release')
    endpoint.createRepository(repository, { mutability: 'IMMUTABLE' })
    const sha = randomSha()
    const digest = await build(repository, sha)

    const workspace = await kit.workspace()
    let started = Date.now()
    const second = await kit.run({
      inputs: { repository, context: 'app', 'extra-tags': 'v1.2.3', 'if-tag-exists': 'skip' },
      iam: ['tag addition'],
      workspace,
      sha,
      ref: 'refs/tags/v1.2.3'
    })
    cost('tag addition', (Date.now() - started) / 1000, second.requests)
    expect(second.run.errors).toEqual([])
    expect(buildRan(second.run)).toBe(false)
    expect(second.run.outputs).toMatchObject({ digest, pushed: 'false', 'tags-added': 'v1.2.3' })
    expect(await endpoint.manifestDigest(repository, 'v1.2.3')).toBe(digest)
    expect(await endpoint.manifestDigest(repository, sha)).toBe(digest)
    expect(second.requests.filter(isManifestPut)).toEqual([])
    expect(operations(writes(second.requests))).toEqual(['PutImage'])
    expect(second.run.summary).toContain('reused; tags added: v1.2.3')

    started = Date.now()
    const third = await kit.run({
      inputs: { repository, context: 'app', 'extra-tags': 'v1.2.3', 'if-tag-exists': 'skip' },
      iam: ['tag addition'],
      workspace,
      sha,
      ref: 'refs/tags/v1.2.3'
    })
    cost('no-op re-run', (Date.now() - started) / 1000, third.requests)
    expect(third.run.errors).toEqual([])
    expect(buildRan(third.run)).toBe(false)
    expect(third.run.outputs).toMatchObject({ digest, pushed: 'false', 'tags-added': '' })
    expect(writes(third.requests)).toEqual([])
    expect((await releaseTags(endpoint, repository)).sort()).toEqual([sha, 'v1.2.3'].sort())
  })

  test('the SHA tag names a build of another commit (same 7-character tag): refused naming the digest, nothing written', async () => {
    const { endpoint } = kit
    const repository = kit.repository('mismatch')
    endpoint.createRepository(repository, { mutability: 'IMMUTABLE' })
    const first = randomSha()
    const digest = await build(repository, first, { 'sha-length': '7' })
    const other = `${first.slice(0, 7)}${randomSha().slice(7)}`

    const { run, requests } = await kit.run({
      inputs: { repository, context: 'app', 'sha-length': '7', 'extra-tags': 'v2.0.0', 'if-tag-exists': 'skip' },
      iam: ['tag addition'],
      workspace: await kit.workspace(),
      sha: other
    })
    expect(run.main.exitCode).not.toBe(0)
    // Through an index (buildx's default provenance on BuildKit builders) the message names the platform image read.
    const runnable = await runnableManifest(endpoint, repository, digest)
    const platform = runnable.digest === digest ? '' : ` (platform ${runnable.digest})`
    expect(run.errors).toEqual([
      `Cannot add v2.0.0 to ${repository}: ${first.slice(0, 7)} names ${digest}${platform} was built from ${first} (label org.opencontainers.image.revision), not ${other}. Nothing was written; build this commit under a new tag-prefix, or fix the SHA tag by hand.`
    ])
    expect(buildRan(run)).toBe(false)
    expect(writes(requests)).toEqual([])
    expect(await releaseTags(endpoint, repository)).toEqual([first.slice(0, 7)])
  })
})

describe('floating tags', () => {
  test('IMMUTABLE_WITH_EXCLUSION latest: moved onto each build; fully IMMUTABLE: refused before building', async () => {
    const { endpoint } = kit
    const repository = kit.repository('floating')
    endpoint.createRepository(repository, { mutability: 'IMMUTABLE_WITH_EXCLUSION', exclusionFilters: ['latest'] })
    const shaOne = randomSha()
    const one = await build(repository, shaOne, { 'floating-tags': 'latest' }, 'one\n')
    expect(await endpoint.manifestDigest(repository, 'latest')).toBe(one)
    const workspace = await kit.workspace({ app: { content: 'two\n' } })
    const started = Date.now()
    const second = await kit.run({ inputs: { repository, context: 'app', 'floating-tags': 'latest' }, iam: ['floating tags'], workspace, sha: randomSha() })
    cost('build + push + floating latest', (Date.now() - started) / 1000, second.requests)
    const two = second.run.outputs['digest']
    expect(second.run.errors).toEqual([])
    expect(two).not.toBe(one)
    expect(await endpoint.manifestDigest(repository, 'latest')).toBe(two)
    // Latest was written after the SHA tag was proven (the SHA tag's PutImage first, latest's last).
    expect(second.requests.filter((entry) => entry.operation === 'PutImage')).toHaveLength(2)
    // A skip re-run of the first commit moves latest back onto it: floating tags never count for if-tag-exists.
    const rerun = await kit.run({
      inputs: { repository, context: 'app', 'floating-tags': 'latest', 'if-tag-exists': 'skip' },
      iam: ['floating tags'],
      workspace: await kit.workspace({ app: { content: 'one\n' } }),
      sha: shaOne
    })
    expect(rerun.run.errors).toEqual([])
    expect(buildRan(rerun.run)).toBe(false)
    expect(await endpoint.manifestDigest(repository, 'latest')).toBe(one)

    const strict = kit.repository('floating-strict')
    endpoint.createRepository(strict, { mutability: 'IMMUTABLE' })
    const { run, requests } = await kit.run({
      inputs: { repository: strict, context: 'app', 'floating-tags': 'latest' },
      iam: ['floating tags'],
      workspace: await kit.workspace(),
      sha: randomSha()
    })
    expect(run.errors).toHaveLength(1)
    expect(run.errors[0]).toMatch(
      new RegExp(`^Input 'floating-tags': ECR keeps latest immutable in ${strict} \\(IMMUTABLE\\).*filterType=WILDCARD,filter=latest`)
    )
    expect(buildRan(run)).toBe(false)
    expect(writes(requests)).toEqual([])
    expect(await releaseTags(endpoint, strict)).toEqual([])
  })
})

describe('promote by digest', () => {
  test('a two-platform index promoted to a repository of another account keeps its digest; a re-run is a no-op', async () => {
    const { endpoint } = kit
    const production = await endpoint.addAccount(PRODUCTION)
    const staging = kit.repository('staging')
    endpoint.createRepository(staging, { mutability: 'IMMUTABLE' })
    const sha = randomSha()
    const digest = await build(staging, sha, { platforms: 'linux/amd64,linux/arm64' }, undefined, { DOCKER_HOST: CONTAINERD_HOST })
    const index = await endpoint.manifest(staging, digest)
    expect((JSON.parse(index?.text ?? '{}') as { manifests: unknown[] }).manifests.length).toBeGreaterThanOrEqual(2)
    const target = kit.repository('production')
    endpoint.createRepository(target, { mutability: 'IMMUTABLE', accountId: PRODUCTION })

    const inputs = {
      'source-repository': staging,
      'source-registry-id': endpoint.accountId,
      digest,
      repository: target,
      'registry-id': PRODUCTION,
      tags: `${sha}, v1.2.3`
    }
    let started = Date.now()
    const first = await kit.run({ actionDir: PROMOTE_DIR, iam: ['promote source', 'promote destination'], inputs, env: production.env(), sha })
    cost('promote (index, cross-account)', (Date.now() - started) / 1000, first.requests)
    expect(first.run.errors).toEqual([])
    expect(first.run.outputs).toMatchObject({ digest, image: `${production.registryHost}/${target}@${digest}`, 'tags-added': `${sha},v1.2.3`, pushed: 'true' })
    expect(Object.keys(JSON.parse(first.run.outputs['platform-digests'] ?? '{}') as Record<string, string>).sort()).toEqual(['linux/amd64', 'linux/arm64'])
    expect(await endpoint.manifestDigest(target, sha, PRODUCTION)).toBe(digest)
    expect(await endpoint.manifestDigest(target, 'v1.2.3', PRODUCTION)).toBe(digest)
    // Tags last: every manifest PUT (by digest) comes before the first PutImage.
    const order = first.requests
      .filter((entry) => isManifestPut(entry) || entry.operation === 'PutImage')
      .map((entry) => (isManifestPut(entry) ? 'manifest' : 'tag'))
    expect(order.lastIndexOf('manifest')).toBeLessThan(order.indexOf('tag'))
    expect(first.requests.filter(isManifestPut).every((entry) => /\/manifests\/sha256:/.test(entry.path ?? ''))).toBe(true)

    started = Date.now()
    const again = await kit.run({ actionDir: PROMOTE_DIR, iam: ['promote source', 'promote destination'], inputs, env: production.env(), sha })
    cost('promote re-run (no-op)', (Date.now() - started) / 1000, again.requests)
    expect(again.run.errors).toEqual([])
    expect(again.run.outputs).toMatchObject({ digest, pushed: 'false', 'tags-added': '' })
    expect(writes(again.requests)).toEqual([])
  })

  test('racing promotions of two digests to one tag, both past their last check: the first PutImage wins, the other writes no tag', async () => {
    const { endpoint } = kit
    const staging = kit.repository('race-src')
    endpoint.createRepository(staging, { mutability: 'IMMUTABLE' })
    const one = await build(staging, randomSha(), {}, 'race one\n')
    const two = await build(staging, randomSha(), {}, 'race two\n')
    const target = kit.repository('race-dst')
    endpoint.createRepository(target, { mutability: 'IMMUTABLE' })
    // Each promotion talks to ECR through its own gate: both are held at their first PutImage, so
    // both have copied their image and passed the last existence check while the tag was absent.
    const gateA = await startApiGate(endpoint)
    const gateB = await startApiGate(endpoint)
    try {
      const putA = gateA.hold('PutImage', 1)
      const putB = gateB.hold('PutImage', 1)
      const promote = (digest: string, url: string) =>
        kit.run({
          actionDir: PROMOTE_DIR,
          iam: ['promote source', 'promote destination'],
          inputs: { 'source-repository': staging, digest, repository: target, tags: 'release' },
          env: { AWS_ENDPOINT_URL_ECR: url }
        })
      const runA = promote(one, gateA.url)
      const runB = promote(two, gateB.url)
      await within(putA.arrived, 30_000, "A's PutImage")
      await within(putB.arrived, 30_000, "B's PutImage")
      putA.release()
      const a = (await runA).run
      putB.release()
      const b = (await runB).run
      expect(a.errors).toEqual([])
      expect(a.outputs['digest']).toBe(one)
      expect(await endpoint.manifestDigest(target, 'release')).toBe(one)
      expect(b.errors).toEqual([
        `${target}:release already names ${one}, not ${two}; tags are never moved. Nothing was written. Use another tag, or promote ${one} instead.`
      ])
      expect(b.outputs['digest'] ?? '').toBe('')
      expect(await releaseTags(endpoint, target)).toEqual(['release'])
    } finally {
      await gateA.stop()
      await gateB.stop()
    }
  })

  test('an archived image: promotion and a skip re-run of the build both fail with the archive line', async () => {
    const { endpoint } = kit
    const staging = kit.repository('archived')
    endpoint.createRepository(staging, { mutability: 'IMMUTABLE' })
    const sha = randomSha()
    const digest = await build(staging, sha)
    endpoint.archiveImage(staging, digest)
    const target = kit.repository('archived-dst')
    endpoint.createRepository(target, { mutability: 'IMMUTABLE' })

    const promoted = await kit.run({
      actionDir: PROMOTE_DIR,
      iam: ['promote source', 'promote destination'],
      inputs: { 'source-repository': staging, digest, repository: target, tags: sha }
    })
    expect(promoted.run.errors).toEqual([
      `${staging}@${digest} is archived (ECR storage class ARCHIVE): restore it with \`aws ecr update-image-storage-class --repository-name ${staging} --image-id imageDigest=${digest} --target-storage-class STANDARD\` and wait until it is ACTIVE, then re-run.`
    ])
    expect(writes(promoted.requests)).toEqual([])

    const reused = await kit.run({
      inputs: { repository: staging, context: 'app', 'extra-tags': 'v1.2.3', 'if-tag-exists': 'skip' },
      iam: ['tag addition'],
      workspace: await kit.workspace(),
      sha
    })
    expect(reused.run.errors).toHaveLength(1)
    expect(reused.run.errors[0]).toMatch(
      new RegExp(`^${staging.replace(/\//g, '\\/')}:(${sha}|v1\\.2\\.3) is archived \\(ECR storage class ARCHIVE\\): restore it with`)
    )
    expect(writes(reused.requests)).toEqual([])
  })
})
