// Issue 15: ECR's read-after-write lag. The endpoint answers "not found" for every manifest and tag
// written in the last 3 s (BatchGetImage, DescribeImages, registry GET/HEAD) and refuses an index
// whose children are that new, as ECR can. Every path that reads what it (or the step before it)
// just wrote must wait for it and succeed with the digest the registry serves.
import { beforeAll, describe, expect, test } from '@jest/globals'
import { execFileSync } from 'node:child_process'
import { randomInt } from 'node:crypto'
import path from 'node:path'
import { REPO_ROOT } from './support/runner/runner.js'
import { randomSha, useScenarioKit, visibleLog, type ScenarioRun } from './scenario-helpers.js'

const kit = useScenarioKit('lag')
const LAG_MS = 3000
const MERGE_DIR = path.join(REPO_ROOT, 'merge')
const PROMOTE_DIR = path.join(REPO_ROOT, 'promote')
/** Untagged legs need the containerd image store, whichever engine this suite runs on (as promote.e2e does). */
const CONTAINERD_HOST = execFileSync('bash', [path.join(REPO_ROOT, 'scripts', 'engine-host.sh'), 'containerd'], { encoding: 'utf8' }).trim()
const WAITED = /\(read-after-write lag\)\.$/m

beforeAll(() => kit.endpoint.setReadAfterWriteLag(LAG_MS))

function succeeded(scenario: ScenarioRun): void {
  expect(scenario.run.errors).toEqual([])
  expect(scenario.run.main.exitCode).toBe(0)
}

function seconds(scenario: ScenarioRun): string {
  return (scenario.run.main.durationMs / 1000).toFixed(1)
}

// Every build here is one manifest per image (provenance: false). A BuildKit push by digest (BuildKit
// builders, and the containerd store through the engine route) PUTs an attestation index right after its
// children; under this lag the registry refuses that index and BuildKit does not retry it, and a rebuild
// does not help (each build's provenance is a new child). That limit is BuildKit's and is documented in
// TROUBLESHOOTING.md; the action's own index writes (merge, promote, the OCI-layout upload) wait and retry.
const ONE_MANIFEST = { provenance: 'false' }

describe(`with ${LAG_MS / 1000} s of read-after-write lag`, () => {
  test('a push succeeds with the digest the SHA tag serves; a skip re-run right after it reuses that digest', async () => {
    const { endpoint } = kit
    const repository = kit.repository('push')
    endpoint.createRepository(repository, { mutability: 'IMMUTABLE' })
    const workspace = await kit.workspace()
    const sha = randomSha()

    const push = await kit.run({ inputs: { repository, context: 'app', ...ONE_MANIFEST }, workspace, sha })
    succeeded(push)
    const digest = push.run.outputs['digest']
    expect(digest).toMatch(/^sha256:[0-9a-f]{64}$/)
    expect(await endpoint.manifestDigest(repository, sha)).toBe(digest)
    // It did meet the lag (the read of its own upload), and waited instead of failing.
    expect(visibleLog(push.run)).toMatch(WAITED)

    const rerun = await kit.run({ inputs: { repository, context: 'app', 'if-tag-exists': 'skip', ...ONE_MANIFEST }, workspace, sha })
    succeeded(rerun)
    expect(rerun.run.outputs['digest']).toBe(digest)
    expect(await endpoint.manifestDigest(repository, sha)).toBe(digest)
    process.stdout.write(`LAG push ${seconds(push)} s, skip re-run ${seconds(rerun)} s\n`)
  })

  test.each([
    ['given as digests', true],
    ['found by discovery', false]
  ])('a merge right after its legs (%s) writes the index of both and the SHA tag serves it', async (_name, giveDigests) => {
    const { endpoint } = kit
    const repository = kit.repository('merge')
    endpoint.createRepository(repository, { mutability: 'IMMUTABLE' })
    const workspace = await kit.workspace()
    const sha = randomSha()
    const platforms = ['linux/amd64', 'linux/arm64']
    // One workflow run: discovery takes only the legs of the merge's own run (require-same-run).
    const runId = String(randomInt(1_000_000_000, 9_999_999_999))
    const legs: string[] = []
    const images: string[] = []
    for (const platform of platforms) {
      const leg = await kit.run({
        inputs: { repository, context: 'app', untagged: 'true', platforms: platform, ...ONE_MANIFEST },
        workspace,
        sha,
        runId,
        env: { DOCKER_HOST: CONTAINERD_HOST }
      })
      succeeded(leg)
      legs.push(leg.run.outputs['digest'] as string)
      images.push((JSON.parse(leg.run.outputs['platform-digests'] ?? '{}') as Record<string, string>)[platform] as string)
    }

    const merged = await kit.run({
      actionDir: MERGE_DIR,
      iam: giveDigests ? ['merge'] : ['merge', 'merge discovery'],
      inputs: { repository, platforms: platforms.join(','), ...(giveDigests ? { digests: legs.join('\n') } : {}) },
      workspace,
      sha,
      runId
    })
    succeeded(merged)
    const digest = merged.run.outputs['digest']
    expect(await endpoint.manifestDigest(repository, sha)).toBe(digest)
    const index = JSON.parse((await endpoint.manifest(repository, digest as string))?.text ?? '{}') as { manifests: { digest: string }[] }
    // The index names exactly the legs' platform images.
    expect(index.manifests.map((entry) => entry.digest)).toEqual(expect.arrayContaining(images))
    expect(JSON.parse(merged.run.outputs['platform-digests'] ?? '{}')).toEqual({ 'linux/amd64': images[0], 'linux/arm64': images[1] })
    expect(visibleLog(merged.run)).toMatch(WAITED)
    process.stdout.write(`LAG merge (${giveDigests ? 'digests' : 'discovery'}) ${seconds(merged)} s\n`)
  })

  test('a promotion right after the build copies it and tags it with the built digest', async () => {
    const { endpoint } = kit
    const staging = kit.repository('staging')
    endpoint.createRepository(staging, { mutability: 'IMMUTABLE' })
    const target = kit.repository('production')
    endpoint.createRepository(target, { mutability: 'IMMUTABLE' })
    const sha = randomSha()
    const build = await kit.run({ inputs: { repository: staging, context: 'app', ...ONE_MANIFEST }, workspace: await kit.workspace(), sha })
    succeeded(build)
    const digest = build.run.outputs['digest'] as string

    const promoted = await kit.run({
      actionDir: PROMOTE_DIR,
      iam: ['promote source', 'promote destination'],
      inputs: { 'source-repository': staging, digest, repository: target, tags: `${sha}, v1` },
      sha
    })
    succeeded(promoted)
    expect(promoted.run.outputs).toMatchObject({ digest, pushed: 'true' })
    expect(await endpoint.manifestDigest(target, sha)).toBe(digest)
    expect(await endpoint.manifestDigest(target, 'v1')).toBe(digest)
    expect(visibleLog(promoted.run)).toMatch(WAITED)
    process.stdout.write(`LAG promote ${seconds(promoted)} s\n`)
  })
})
