// Issue #9, part 1: a two-platform matrix (two runs of the bundled action with untagged: true, one
// platform each, on the containerd-store engine) merged by the bundled merge action into one index
// whose digest the SHA tag serves; each refusal with nothing written; racing merges. Every check
// reads the registry or the endpoint's request log.
import { describe, expect, test } from '@jest/globals'
import { randomInt } from 'node:crypto'
import path from 'node:path'
import { REPO_ROOT } from './support/runner/runner.js'
import { describeRequests, imageConfig, operations, randomSha, releaseTags, useScenarioKit, writes, type ScenarioRun } from './scenario-helpers.js'
import { BUILDS_INDEXES } from './support/docker/real-parts.js'

const kit = useScenarioKit('merge')
const MERGE_DIR = path.join(REPO_ROOT, 'merge')
const PLATFORMS = ['linux/amd64', 'linux/arm64']
// Multi-platform builds need the containerd image store or a BuildKit builder: every column but the classic docker driver.
const onContainerd = BUILDS_INDEXES ? describe : describe.skip

const RUN_ID_LABEL = 'io.github.immutable-ecr-build.run-id'

interface Leg {
  readonly digest: string
  readonly platform: string
  readonly platformDigest: string
}

/** A GITHUB_RUN_ID of its own: the legs and the merge of one workflow run share it (discovery takes only its own run's legs). */
function newRunId(): string {
  return String(randomInt(1_000_000_000, 9_999_999_999))
}

async function buildLeg(
  repository: string,
  workspace: string,
  sha: string,
  platform: string,
  extra: Record<string, string> = {},
  attempt: { runId?: string; runAttempt?: number } = {}
): Promise<Leg> {
  const leg = await kit.run({ inputs: { repository, context: 'app', untagged: 'true', platforms: platform, ...extra }, workspace, sha, ...attempt })
  timing(`untagged leg ${platform}`, leg)
  const { run } = leg
  expect(run.errors).toEqual([])
  expect(run.main.exitCode).toBe(0)
  // No tag names an untagged leg, so there is no <registry>/<repository>:<tag> to give (issue 15).
  expect(run.outputs['image-uri']).toBe('')
  const platformDigests = JSON.parse(run.outputs['platform-digests'] ?? '{}') as Record<string, string>
  return { digest: run.outputs['digest'] ?? '', platform: run.outputs['platform'] ?? '', platformDigest: platformDigests[platform] ?? '' }
}

function merge(
  repository: string,
  workspace: string,
  sha: string,
  inputs: Record<string, string>,
  run: { runId?: string; runAttempt?: number } = {}
): Promise<ScenarioRun> {
  // README's base policy with its merge row, and the discovery row when digests is empty.
  const iam = (inputs['digests'] ?? '').trim() === '' ? (['merge', 'merge discovery'] as const) : (['merge'] as const)
  return kit.run({ actionDir: MERGE_DIR, inputs: { repository, ...inputs }, iam, workspace, sha, ...run })
}

/** Both legs of one workflow run (`runId`, a new one by default). */
async function matrix(
  name: string,
  sha = randomSha(),
  runId = newRunId()
): Promise<{ repository: string; workspace: string; sha: string; runId: string; legs: Leg[] }> {
  const repository = kit.repository(name)
  kit.endpoint.createRepository(repository, { mutability: 'IMMUTABLE' })
  const workspace = await kit.workspace()
  const legs: Leg[] = []
  for (const platform of PLATFORMS) legs.push(await buildLeg(repository, workspace, sha, platform, {}, { runId }))
  return { repository, workspace, sha, runId, legs }
}

/** Seconds and ECR API / registry requests of one merge, as the promote suite prints them. */
function cost(label: string, run: ScenarioRun): void {
  const api = run.requests.filter((entry) => entry.kind === 'api').length
  process.stdout.write(
    `COST ${label}: ${(run.run.main.durationMs / 1000).toFixed(2)} s, ${api} API calls, ${run.requests.length - api} registry requests; ${operations(run.requests).join(' ')}\n`
  )
}

/** The merged index's platform images, in its order. */
async function indexImages(repository: string, digest: string): Promise<string[]> {
  const index = await kit.endpoint.manifest(repository, digest)
  const body = JSON.parse(index?.text ?? '{}') as { manifests: { digest: string; platform?: { os: string } }[] }
  return body.manifests.filter((entry) => entry.platform?.os !== 'unknown').map((entry) => entry.digest)
}

function timing(label: string, run: ScenarioRun): void {
  const ops = operations(run.requests)
  const counts: Record<string, number> = {}
  for (const op of ops) counts[op] = (counts[op] ?? 0) + 1
  const registry = run.requests.filter((entry) => entry.kind === 'registry').map((entry) => `${entry.method} ${(entry.path ?? '').split('/').slice(-2, -1)[0]}`)
  console.log(`[measure] ${label}: main ${run.run.main.durationMs} ms; API ${JSON.stringify(counts)}; registry ${JSON.stringify(registry)}`)
}

onContainerd('two-platform matrix merged into one index', () => {
  test('each leg uploads untagged; the merge writes one index by digest and the SHA tag serves it', async () => {
    const { endpoint } = kit
    const { repository, workspace, sha, legs } = await matrix('matrix')
    expect(legs.map((leg) => leg.platform)).toEqual(PLATFORMS)
    expect(await releaseTags(endpoint, repository)).toEqual([])

    const merged = await merge(repository, workspace, sha, { digests: legs.map((leg) => leg.digest).join('\n'), platforms: PLATFORMS.join(',') })
    timing('merge of 2 platforms', merged)
    cost('merge of 2 platforms given as digests', merged)
    expect(merged.run.errors).toEqual([])
    expect(merged.run.main.exitCode).toBe(0)
    const digest = merged.run.outputs['digest']
    expect(await endpoint.manifestDigest(repository, sha)).toBe(digest)
    expect(await releaseTags(endpoint, repository)).toEqual([sha])
    const index = await endpoint.manifest(repository, digest ?? '')
    const body = JSON.parse(index?.text ?? '{}') as {
      manifests: { digest: string; platform?: { os: string; architecture: string }; annotations?: Record<string, string> }[]
    }
    const images = body.manifests.filter((entry) => entry.platform?.os !== 'unknown')
    expect(images.map((entry) => `${entry.platform?.os}/${entry.platform?.architecture}`)).toEqual(PLATFORMS)
    expect(images.map((entry) => entry.digest)).toEqual(legs.map((leg) => leg.platformDigest))
    expect(JSON.parse(merged.run.outputs['platform-digests'] ?? '{}')).toEqual(Object.fromEntries(legs.map((leg) => [leg.platform, leg.platformDigest])))
    // Only the index PUT and one PutImage (the SHA tag) were written by the merge.
    expect(describeRequests(writes(merged.requests))).toEqual([expect.stringMatching(/^registry PUT .*\/manifests\/sha256:/), 'api PutImage 200'])
  })

  test('a re-run of a finished commit stops each leg before building', async () => {
    const { repository, workspace, sha, legs } = await matrix('rerun')
    const merged = await merge(repository, workspace, sha, { digests: legs.map((leg) => leg.digest).join(',') })
    expect(merged.run.main.exitCode).toBe(0)
    const { run, requests } = await kit.run({ inputs: { repository, context: 'app', untagged: 'true', platforms: 'linux/amd64' }, workspace, sha })
    expect(run.main.exitCode).not.toBe(0)
    expect(run.errors.join('\n')).toContain(sha)
    expect(writes(requests)).toEqual([])
  })
})

onContainerd('refusals write nothing', () => {
  test.each([
    ['a platform missing', async (legs: Leg[]) => ({ digests: legs[0]?.digest ?? '', platforms: PLATFORMS.join(',') }), 'No digest for linux/arm64'],
    [
      'a digest not in the repository',
      async (legs: Leg[]) => ({ digests: `${legs[0]?.digest}\nsha256:${'c'.repeat(64)}` }),
      `sha256:${'c'.repeat(64)} is not in`
    ],
    [
      'the same platform twice',
      async (legs: Leg[], repository: string, sha: string) => {
        const again = await buildLeg(repository, await kit.workspace(), sha, 'linux/amd64')
        return { digests: [legs[0]?.digest, again.digest, legs[1]?.digest].join('\n') }
      },
      'linux/amd64 is given twice'
    ],
    [
      'a child built from another commit',
      async (legs: Leg[], repository: string) => {
        const other = await buildLeg(repository, await kit.workspace(), randomSha(), 'linux/arm64')
        return { digests: `${legs[0]?.digest}\n${other.digest}` }
      },
      'was built from commit'
    ]
  ])('%s', async (_name, inputsFor, message) => {
    const { repository, workspace, sha, legs } = await matrix('refuse')
    const inputs = await inputsFor(legs, repository, sha)
    const merged = await merge(repository, workspace, sha, inputs)
    expect(merged.run.main.exitCode).not.toBe(0)
    expect(merged.run.errors.join('\n')).toContain(message)
    expect(merged.run.errors.join('\n')).toContain('Nothing was written.')
    expect(describeRequests(writes(merged.requests))).toEqual([])
    expect(await releaseTags(kit.endpoint, repository)).toEqual([])
  })
})

onContainerd('racing merges', () => {
  test('two merges of the same commit at once: the tag names one index, and no run reports another digest', async () => {
    const { endpoint } = kit
    const { repository, workspace, sha, legs } = await matrix('race')
    const again = await buildLeg(repository, await kit.workspace(), sha, 'linux/arm64')
    const { runs } = await kit.runTogether([
      { actionDir: MERGE_DIR, inputs: { repository, digests: `${legs[0]?.digest}\n${legs[1]?.digest}` }, iam: ['merge'], workspace, sha },
      { actionDir: MERGE_DIR, inputs: { repository, digests: `${legs[0]?.digest}\n${again.digest}` }, iam: ['merge'], workspace, sha }
    ])
    const served = await endpoint.manifestDigest(repository, sha)
    expect(await releaseTags(endpoint, repository)).toEqual([sha])
    const winners = runs.filter((run) => run.main.exitCode === 0)
    expect(winners).toHaveLength(1)
    expect(winners[0]?.outputs['digest']).toBe(served)
    const loser = runs.find((run) => run.main.exitCode !== 0)
    expect(loser?.errors.join('\n')).toMatch(/Another run pushed|already exists/)
  })
})

// Issue #9, part 2: with digests empty, the merge finds this commit's per-platform images in the
// repository itself (DescribeImages UNTAGGED, newest first, revision label), then writes and tags as above.
onContainerd('merge with digests empty: the images found in the repository', () => {
  test('two untagged legs: the same index as with their digests, its digest served for the tag, children untagged', async () => {
    const { endpoint } = kit
    const { repository, workspace, sha, runId, legs } = await matrix('discover')
    const found = await merge(repository, workspace, sha, { digests: '', platforms: PLATFORMS.join(',') }, { runId })
    cost('merge of 2 platforms found in the repository', found)
    expect(found.run.errors).toEqual([])
    expect(found.run.main.exitCode).toBe(0)
    const digest = found.run.outputs['digest'] ?? ''
    expect(await endpoint.manifestDigest(repository, sha)).toBe(digest)
    expect(await releaseTags(endpoint, repository)).toEqual([sha])
    expect(await indexImages(repository, digest)).toEqual(legs.map((leg) => leg.platformDigest))
    expect(JSON.parse(found.run.outputs['platform-digests'] ?? '{}')).toEqual(Object.fromEntries(legs.map((leg) => [leg.platform, leg.platformDigest])))
    expect(describeRequests(writes(found.requests))).toEqual([expect.stringMatching(/^registry PUT .*\/manifests\/sha256:/), 'api PutImage 200'])
    expect(operations(found.requests).filter((op) => op === 'DescribeImages')).toHaveLength(1)
  })

  test('legs with provenance (each an untagged one-platform index, its children untagged too): claimed as the legs indexes, attestations kept', async () => {
    const repository = kit.repository('discover-provenance')
    kit.endpoint.createRepository(repository, { mutability: 'IMMUTABLE' })
    const workspace = await kit.workspace()
    const sha = randomSha()
    const runId = newRunId()
    const legs: Leg[] = []
    for (const platform of PLATFORMS) legs.push(await buildLeg(repository, workspace, sha, platform, { provenance: 'mode=min' }, { runId }))
    // The scenario itself: each leg's digest output is an index over its image and the attestation.
    for (const leg of legs) expect(leg.digest).not.toBe(leg.platformDigest)
    const found = await merge(repository, workspace, sha, { platforms: PLATFORMS.join(',') }, { runId })
    cost('merge of 2 provenance legs found in the repository', found)
    expect(found.run.errors).toEqual([])
    const index = await kit.endpoint.manifest(repository, found.run.outputs['digest'] ?? '')
    const body = JSON.parse(index?.text ?? '{}') as { manifests: { digest: string; platform?: { os: string }; annotations?: Record<string, string> }[] }
    expect(body.manifests.filter((entry) => entry.platform?.os !== 'unknown').map((entry) => entry.digest)).toEqual(legs.map((leg) => leg.platformDigest))
    const attested = body.manifests.filter((entry) => entry.annotations?.['vnd.docker.reference.type'] === 'attestation-manifest')
    expect(attested.map((entry) => entry.annotations?.['vnd.docker.reference.digest'])).toEqual(legs.map((leg) => leg.platformDigest))
    expect(found.run.main.stdout).toContain(legs.map((leg) => `${leg.platform} ${leg.digest}`).join(', '))
  })

  test('the newest build of this commit wins per platform; an older one is logged as ignored; another commit is never picked', async () => {
    const { repository, workspace, sha, runId, legs } = await matrix('discover-newest')
    // A re-run of the arm64 job: a new attempt of the same workflow run, so the same run id.
    const again = await buildLeg(repository, await kit.workspace(), sha, 'linux/arm64', {}, { runId, runAttempt: 2 })
    const other = await buildLeg(repository, await kit.workspace(), randomSha(), 'linux/arm64', {}, { runId })
    expect(new Set([legs[1]?.platformDigest, again.platformDigest, other.platformDigest]).size).toBe(3)
    const found = await merge(repository, workspace, sha, { platforms: PLATFORMS.join(',') }, { runId, runAttempt: 2 })
    cost('merge found among 4 untagged images', found)
    expect(found.run.errors).toEqual([])
    expect(JSON.parse(found.run.outputs['platform-digests'] ?? '{}')).toEqual({ 'linux/amd64': legs[0]?.platformDigest, 'linux/arm64': again.platformDigest })
    expect(found.run.main.stdout).toContain(`ignored older build of linux/arm64 for this commit: ${legs[1]?.platformDigest}`)
    expect(found.run.main.stdout).not.toContain(other.platformDigest)
  })

  test.each([
    ['a platform with no leg at all', async () => undefined],
    ['a platform whose only leg is of another commit', async (repository: string) => buildLeg(repository, await kit.workspace(), randomSha(), 'linux/arm64')]
  ])('%s is refused with nothing written', async (_name, extra) => {
    const repository = kit.repository('discover-missing')
    kit.endpoint.createRepository(repository, { mutability: 'IMMUTABLE' })
    const workspace = await kit.workspace()
    const sha = randomSha()
    const runId = newRunId()
    await buildLeg(repository, workspace, sha, 'linux/amd64', {}, { runId })
    await extra(repository)
    const found = await merge(repository, workspace, sha, { platforms: PLATFORMS.join(',') }, { runId })
    cost('merge refused, a platform not found', found)
    expect(found.run.main.exitCode).not.toBe(0)
    const error = found.run.errors.join('\n')
    expect(error).toContain(`No untagged image of linux/arm64 built from commit ${sha} by this workflow run (${runId})`)
    expect(error).toContain("give the per-platform steps' digest outputs in 'digests' instead. Nothing was written.")
    expect(describeRequests(writes(found.requests))).toEqual([])
    expect(await releaseTags(kit.endpoint, repository)).toEqual([])
  })
})

// Issue 15: discovery takes only the legs of the merge's own workflow run (the run-id label each leg
// writes), any attempt of it; an image of the commit that another run (or anyone else) pushed is left out.
onContainerd('merge with digests empty: bound to the workflow run', () => {
  test('each leg carries its run id; a newer image of the commit from another run is not taken, and one line says so', async () => {
    const { endpoint } = kit
    const { repository, workspace, sha, runId, legs } = await matrix('bound')
    for (const leg of legs) expect((await imageConfig(endpoint, repository, leg.platformDigest)).config.config?.Labels?.[RUN_ID_LABEL]).toBe(runId)
    const otherRun = newRunId()
    const intruder = await buildLeg(repository, await kit.workspace(), sha, 'linux/arm64', {}, { runId: otherRun })
    const found = await merge(repository, workspace, sha, { platforms: PLATFORMS.join(',') }, { runId, runAttempt: 3 })
    expect(found.run.errors).toEqual([])
    expect(JSON.parse(found.run.outputs['platform-digests'] ?? '{}')).toEqual(Object.fromEntries(legs.map((leg) => [leg.platform, leg.platformDigest])))
    expect(found.run.main.stdout).toContain(
      `not taken: linux/arm64 ${intruder.platformDigest} of this commit was uploaded by workflow run ${otherRun}, not this run ${runId} (require-same-run).`
    )
    expect(await endpoint.tags(repository)).toEqual([sha])
  })

  test('a platform only another run uploaded: refused in one line, nothing written; require-same-run: false takes it', async () => {
    const { endpoint } = kit
    const repository = kit.repository('bound-other')
    endpoint.createRepository(repository, { mutability: 'IMMUTABLE' })
    const workspace = await kit.workspace()
    const sha = randomSha()
    const runId = newRunId()
    const otherRun = newRunId()
    const amd = await buildLeg(repository, workspace, sha, 'linux/amd64', {}, { runId })
    const arm = await buildLeg(repository, await kit.workspace(), sha, 'linux/arm64', {}, { runId: otherRun })

    const refused = await merge(repository, workspace, sha, { platforms: PLATFORMS.join(',') }, { runId })
    expect(refused.run.main.exitCode).not.toBe(0)
    expect(refused.run.errors).toHaveLength(1)
    expect(refused.run.errors[0]).toContain(`No untagged image of linux/arm64 built from commit ${sha} by this workflow run (${runId})`)
    expect(refused.run.errors[0]).toContain(
      `Not taken, from another workflow run (require-same-run: false would take them): linux/arm64 ${arm.platformDigest} (run ${otherRun}).`
    )
    expect(refused.run.errors[0]).toContain('Nothing was written.')
    expect(describeRequests(writes(refused.requests))).toEqual([])
    expect(await endpoint.tags(repository)).toEqual([])

    const unbound = await merge(repository, workspace, sha, { platforms: PLATFORMS.join(','), 'require-same-run': 'false' }, { runId })
    expect(unbound.run.errors).toEqual([])
    expect(JSON.parse(unbound.run.outputs['platform-digests'] ?? '{}')).toEqual({ 'linux/amd64': amd.platformDigest, 'linux/arm64': arm.platformDigest })
    expect(await endpoint.manifestDigest(repository, sha)).toBe(unbound.run.outputs['digest'])
  })
})
