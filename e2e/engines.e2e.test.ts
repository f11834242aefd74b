// Issues #11 and #16: what only the containerd image store and BuildKit builders can do, end to end on
// every column but the classic docker driver: multi-platform indexes with attestations pushed by digest
// (the containerd store's own BuildKit reached through the engine API, a `remote` BuildKit builder, or the
// OCI-layout upload where the engine is reached over tcp; no manifest ever PUT under a tag), per-platform
// digests, and `cache: ecr`. On the classic docker driver the same inputs are refused before anything is
// built or written.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals'
import { readdir } from 'node:fs/promises'
import path from 'node:path'
import { BUILDS_INDEXES, COLUMN, ENGINE_PUSHES, runCommand } from './support/docker/real-parts.js'
import type { EcrEndpoint, RequestLogEntry } from './support/ecr/ecr-endpoint.js'
import { engineSocketOf, startTcpForwarder, type TcpForwarder } from './support/docker/tcp-forwarder.js'
import {
  buildRan,
  describeRepository,
  describeRequests,
  exists,
  isManifestPut,
  operations,
  randomSha,
  releaseTags,
  stackTraceIn,
  useScenarioKit,
  writes
} from './scenario-helpers.js'

const kit = useScenarioKit('engines')
const onContainerd = BUILDS_INDEXES ? describe : describe.skip
const onClassic = ENGINE_PUSHES ? describe : describe.skip
/** The docker driver on the containerd store: the action reaches the engine's BuildKit itself. */
const onEngineRoute = COLUMN.store === 'containerd' && COLUMN.builder === 'docker' ? describe : describe.skip

const PLATFORMS = 'linux/amd64,linux/arm64'

interface IndexEntry {
  mediaType: string
  digest: string
  platform?: { os: string; architecture: string }
  annotations?: Record<string, string>
}

async function indexOf(endpoint: EcrEndpoint, repository: string, reference: string): Promise<{ mediaType: string; manifests: IndexEntry[] }> {
  const manifest = await endpoint.manifest(repository, reference)
  if (!manifest) throw new Error(`no manifest ${repository}:${reference}`)
  return JSON.parse(manifest.text) as { mediaType: string; manifests: IndexEntry[] }
}

/** Every blob and child manifest an index needs, as the real registry behind the endpoint serves them. */
async function missingParts(endpoint: EcrEndpoint, repository: string, reference: string): Promise<string[]> {
  const missing: string[] = []
  const visit = async (ref: string): Promise<void> => {
    const manifest = await endpoint.manifest(repository, ref)
    if (!manifest) {
      missing.push(`manifest ${ref}`)
      return
    }
    const parsed = JSON.parse(manifest.text) as { manifests?: { digest: string }[]; config?: { digest: string }; layers?: { digest: string }[] }
    for (const child of parsed.manifests ?? []) await visit(child.digest)
    for (const blob of [parsed.config, ...(parsed.layers ?? [])]) {
      if (!blob) continue
      const response = await fetch(`${endpoint.upstreamUrl}/v2/${repository}/blobs/${blob.digest}`, { method: 'HEAD' })
      if (response.status !== 200) missing.push(`blob ${blob.digest}`)
    }
  }
  await visit(reference)
  return missing
}

/** Manifest PUTs whose reference is not a digest: a name written outside PutImage. */
function manifestPutsByTag(requests: RequestLogEntry[]): string[] {
  return requests
    .filter(isManifestPut)
    .map((entry) => entry.path ?? '')
    .filter((path) => !/\/manifests\/sha256:[0-9a-f]{64}$/.test(path))
}

onContainerd('multi-platform indexes pushed by digest', () => {
  test.each([
    ['provenance on (buildx default)', {}, true],
    ['provenance off', { provenance: 'false' }, false]
  ] as const)('%s: the tag serves the index digest, every part is there, no child is tagged', async (_name, extra, attested) => {
    const { endpoint } = kit
    const repository = kit.repository('multi')
    endpoint.createRepository(repository, { mutability: 'IMMUTABLE' })

    const { run, requests } = await kit.run({ inputs: { repository, context: 'app', platforms: PLATFORMS, ...extra }, workspace: await kit.workspace() })
    const sha = run.context.sha

    expect(run.errors).toEqual([])
    expect(run.main.exitCode).toBe(0)
    const digest = run.outputs['digest']
    expect(await endpoint.manifestDigest(repository, sha)).toBe(digest)
    expect((JSON.parse(run.outputs['metadata'] ?? '{}') as Record<string, unknown>)['containerimage.digest']).toBe(digest)

    const index = await indexOf(endpoint, repository, sha)
    // buildx's image exporter writes Docker media types unless attestations need OCI ones; the action asks
    // the containerd store's BuildKit for OCI ones, as that store's own exports have.
    expect(index.mediaType).toBe(
      COLUMN.builder === 'remote' && !attested ? 'application/vnd.docker.distribution.manifest.list.v2+json' : 'application/vnd.oci.image.index.v1+json'
    )
    const images = index.manifests.filter((entry) => entry.annotations?.['vnd.docker.reference.type'] !== 'attestation-manifest')
    const attestations = index.manifests.filter((entry) => entry.annotations?.['vnd.docker.reference.type'] === 'attestation-manifest')
    expect(images.map((entry) => `${entry.platform?.os}/${entry.platform?.architecture}`).sort()).toEqual(['linux/amd64', 'linux/arm64'])
    expect(attestations.length > 0).toBe(attested)
    expect(JSON.parse(run.outputs['platform-digests'] ?? '{}')).toEqual(
      Object.fromEntries(images.map((entry) => [`${entry.platform?.os}/${entry.platform?.architecture}`, entry.digest]))
    )
    expect(await missingParts(endpoint, repository, sha)).toEqual([])
    expect(await releaseTags(endpoint, repository)).toEqual([sha])
    expect(manifestPutsByTag(requests)).toEqual([])
    expect(operations(requests).filter((op) => op === 'PutImage')).toHaveLength(1)
    expect(operations(requests)).not.toContain('BatchDeleteImage')
  })

  test('re-runs: fail refuses before building, skip reuses the index, platform-digests included', async () => {
    const { endpoint } = kit
    const repository = kit.repository('multi-rerun')
    endpoint.createRepository(repository, { mutability: 'IMMUTABLE' })
    const workspace = await kit.workspace()
    const sha = randomSha()

    const first = await kit.run({ inputs: { repository, context: 'app', platforms: PLATFORMS }, workspace, sha })
    expect(first.run.errors).toEqual([])
    const refused = await kit.run({ inputs: { repository, context: 'app', platforms: PLATFORMS }, workspace, sha })
    const skipped = await kit.run({ inputs: { repository, context: 'app', platforms: PLATFORMS, 'if-tag-exists': 'skip' }, workspace, sha })

    expect(refused.run.main.exitCode).toBe(1)
    expect(buildRan(refused.run)).toBe(false)
    expect(describeRequests(writes(refused.requests))).toEqual([])
    expect(skipped.run.main.exitCode).toBe(0)
    expect(buildRan(skipped.run)).toBe(false)
    expect(skipped.run.outputs['digest']).toBe(first.run.outputs['digest'])
    expect(skipped.run.outputs['pushed']).toBe('false')
    expect(skipped.run.outputs['platform-digests']).toBe(first.run.outputs['platform-digests'])
    expect(describeRequests(writes(skipped.requests))).toEqual([])
  })

  test('two racing multi-platform runs of one commit: exactly one wins, the tag serves the winner’s index', async () => {
    const { endpoint } = kit
    const repository = kit.repository('multi-race')
    endpoint.createRepository(repository, { mutability: 'IMMUTABLE' })
    const sha = randomSha()
    const { runs, requests } = await kit.runTogether([
      { inputs: { repository, context: 'app', platforms: PLATFORMS }, workspace: await kit.workspace(), sha },
      { inputs: { repository, context: 'app', platforms: PLATFORMS }, workspace: await kit.workspace(), sha }
    ])
    const winners = runs.filter((run) => run.main.exitCode === 0)
    expect(winners).toHaveLength(1)
    const served = await endpoint.manifestDigest(repository, sha)
    expect(winners[0]?.outputs['digest']).toBe(served)
    const loser = runs.find((run) => run.main.exitCode !== 0)
    expect(loser?.errors).toEqual([expect.stringContaining(`first (digest ${served})`)])
    expect(await releaseTags(endpoint, repository)).toEqual([sha])
    expect(manifestPutsByTag(requests)).toEqual([])
  })
})

onContainerd('cache: ecr', () => {
  test('the first build exports; after `docker buildx prune -af` a build changing only the last layer imports it', async () => {
    const { endpoint } = kit
    const repository = kit.repository('cache')
    endpoint.createRepository(repository, { mutability: 'IMMUTABLE' })
    // The RUN step sits before the layer that changes, so only an imported cache can skip it.
    const dockerfile = [
      'FROM scratch',
      'COPY busybox /bin/busybox',
      // Random bytes: the RUN layer's digest shows whether the step ran again or came from the cache.
      'RUN ["/bin/busybox", "sh", "-c", "/bin/busybox head -c 32 /dev/urandom > /built.txt"]',
      'COPY content.txt /content.txt',
      ''
    ].join('\n')
    const inputs = { repository, context: 'app', cache: 'ecr', 'create-repository': 'true' }

    // README's base policy plus its cache: ecr and create-repository rows (the companion repository is created).
    const iam = ['cache: ecr', 'create-repository'] as const
    const first = await kit.run({ inputs, iam, workspace: await kit.workspace({ app: { dockerfile } }) })
    expect(first.run.errors).toEqual([])
    expect(await releaseTags(endpoint, `${repository}-buildcache`)).toEqual(['buildcache'])

    const pruned = await runCommand('docker', ['buildx', 'prune', '-af'], { timeoutMs: 60_000 })
    expect(pruned.code).toBe(0)
    const second = await kit.run({ inputs, iam, workspace: await kit.workspace({ app: { dockerfile } }) })

    expect(second.run.errors).toEqual([])
    expect(second.run.outputs['digest']).not.toBe(first.run.outputs['digest'])
    expect(await endpoint.manifestDigest(repository, second.run.context.sha)).toBe(second.run.outputs['digest'])
    expect(second.run.main.stdout).toContain(`importing cache manifest from ${endpoint.registryHost}/${repository}-buildcache:buildcache`)
    // The RUN layer is the first build's, byte for byte: the step did not run again.
    const runLayer = async (sha: string): Promise<string | undefined> => {
      const manifest = await endpoint.manifest(repository, sha)
      return (JSON.parse(manifest?.text ?? '{}') as { layers?: { digest: string }[] }).layers?.[1]?.digest
    }
    expect(await runLayer(second.run.context.sha)).toBe(await runLayer(first.run.context.sha))
    expect(await releaseTags(endpoint, repository)).toEqual([first.run.context.sha, second.run.context.sha].sort())
  })
})

// Issue 15: push: false writes nothing to AWS; cache: ecr then only imports what a push exported.
onContainerd('containerd image store: push: false with cache: ecr', () => {
  test('no cache repository is created and no cache exported; a cache a push left is imported', async () => {
    const { endpoint } = kit
    const repository = kit.repository('cache-build-only')
    endpoint.createRepository(repository, { mutability: 'IMMUTABLE' })
    const companion = `${repository}-buildcache`
    const buildOnly = { repository, context: 'app', cache: 'ecr', 'create-repository': 'true', push: 'false' }

    const before = await kit.run({ inputs: buildOnly, iam: ['cache: ecr', 'create-repository'], workspace: await kit.workspace() })
    expect(before.run.errors).toEqual([])
    expect(before.run.outputs['digest']).toBe('')
    expect(before.run.main.stdout).toContain(
      `cache: ecr: ${companion} does not exist, so there is no build cache to import; push: false exports none and creates nothing.`
    )
    expect(describeRequests(writes(before.requests))).toEqual([])
    expect(await describeRepository(endpoint, companion)).toBeUndefined()

    const pushed = await kit.run({
      inputs: { repository, context: 'app', cache: 'ecr', 'create-repository': 'true' },
      iam: ['cache: ecr', 'create-repository'],
      workspace: await kit.workspace()
    })
    expect(pushed.run.errors).toEqual([])
    expect(await endpoint.tags(companion)).toEqual(['buildcache'])
    const cacheDigest = await endpoint.manifestDigest(companion, 'buildcache')

    const after = await kit.run({ inputs: buildOnly, iam: ['cache: ecr', 'create-repository'], workspace: await kit.workspace() })
    expect(after.run.errors).toEqual([])
    expect(after.run.main.stdout).toContain(`importing cache manifest from ${endpoint.registryHost}/${companion}:buildcache`)
    expect(after.run.main.stdout).toContain('imported only; push: false exports no cache and writes nothing to AWS.')
    expect(describeRequests(writes(after.requests))).toEqual([])
    expect(await endpoint.manifestDigest(companion, 'buildcache')).toBe(cacheDigest)
    expect(await endpoint.tags(repository)).toEqual([pushed.run.context.sha])
  })
})

onContainerd('containerd image store: cache: ecr refusals come before create-repository', () => {
  test('a companion that keeps buildcache immutable: one line, no repository created, nothing built', async () => {
    const { endpoint } = kit
    const repository = kit.repository('cache-immutable-companion')
    endpoint.createRepository(`${repository}-buildcache`, { mutability: 'IMMUTABLE' })
    const { run, requests } = await kit.run({
      inputs: { repository, context: 'app', cache: 'ecr', 'create-repository': 'true' },
      iam: ['cache: ecr', 'create-repository'],
      workspace: await kit.workspace()
    })
    expect(run.main.exitCode).toBe(1)
    expect(run.errors).toEqual([expect.stringContaining(`The cache repository ${repository}-buildcache keeps the tag buildcache immutable`)])
    expect(buildRan(run)).toBe(false)
    expect(operations(requests)).not.toContain('CreateRepository')
    expect(describeRequests(writes(requests))).toEqual([])
    expect(await describeRepository(endpoint, repository)).toBeUndefined()
  })
})

onClassic('classic image store: what its docker driver cannot do is refused before building', () => {
  test.each([
    ['two platforms', { platforms: PLATFORMS }, "Input 'platforms' lists 2 platforms"],
    ['cache: ecr', { cache: 'ecr', 'create-repository': 'true' }, "Input 'cache' 'ecr'"]
  ])('%s: one line naming the input, nothing built or written', async (_name, extra, message) => {
    const { endpoint } = kit
    const repository = kit.repository('classic')
    endpoint.createRepository(repository, { mutability: 'IMMUTABLE' })
    const { run, requests } = await kit.run({
      inputs: { repository, context: 'app', ...extra },
      iam: ['cache: ecr', 'create-repository'],
      workspace: await kit.workspace()
    })
    expect(run.main.exitCode).toBe(1)
    expect(run.errors).toEqual([expect.stringContaining(message)])
    expect(run.errors[0]).toContain('containerd image store')
    expect(stackTraceIn(run)).toBeUndefined()
    expect(buildRan(run)).toBe(false)
    expect(describeRequests(writes(requests))).toEqual([])
  })

  // Issue 15: no side effect before an input error, the builder's refusals included.
  test.each([
    ['two platforms', { platforms: PLATFORMS }, "Input 'platforms' lists 2 platforms"],
    ['cache: ecr', { cache: 'ecr' }, "Input 'cache' 'ecr'"],
    ['untagged', { untagged: 'true' }, "Input 'untagged' 'true' needs a BuildKit builder"]
  ])('create-repository: true and %s: refused before the repository is created', async (_name, extra, message) => {
    const { endpoint } = kit
    const repository = kit.repository('classic-absent')
    const { run, requests } = await kit.run({
      inputs: { repository, context: 'app', 'create-repository': 'true', ...extra },
      iam: ['create-repository'],
      workspace: await kit.workspace()
    })
    expect(run.main.exitCode).toBe(1)
    expect(run.errors).toEqual([expect.stringContaining(message)])
    expect(buildRan(run)).toBe(false)
    expect(operations(requests)).not.toContain('CreateRepository')
    expect(describeRequests(writes(requests))).toEqual([])
    expect(await describeRepository(endpoint, repository)).toBeUndefined()
  })

  test("a single-platform push goes through the engine under a one-off staging tag that is removed again (with README's classic-store row)", async () => {
    const { endpoint } = kit
    const repository = kit.repository('classic-push')
    endpoint.createRepository(repository, { mutability: 'IMMUTABLE' })
    const { run, requests } = await kit.run({ inputs: { repository, context: 'app' }, iam: ['classic-store staging tag'], workspace: await kit.workspace() })
    expect(run.warnings).toEqual([])
    expect(run.errors).toEqual([])
    expect(await endpoint.manifestDigest(repository, run.context.sha)).toBe(run.outputs['digest'])
    expect((JSON.parse(run.outputs['metadata'] ?? '{}') as Record<string, unknown>)['containerimage.digest']).toBe(run.outputs['digest'])
    expect(JSON.parse(run.outputs['platform-digests'] ?? '{}')).toEqual({ 'linux/amd64': run.outputs['digest'] })
    expect(manifestPutsByTag(requests)).toEqual([expect.stringContaining('/manifests/immutable-ecr-build-staging-')])
    expect(operations(requests)).toContain('BatchDeleteImage')
    expect(await endpoint.tags(repository)).toEqual([run.context.sha])
  })
})

onEngineRoute("the docker driver on the containerd store: the engine's own BuildKit, or the OCI layout where it cannot be reached", () => {
  let forwarder: TcpForwarder | undefined
  beforeAll(async () => {
    forwarder = await startTcpForwarder(engineSocketOf())
  })
  afterAll(async () => {
    await forwarder?.close()
  })

  test.each([
    ["the engine's socket: its BuildKit pushes by digest", false, "Upload path: the engine's own BuildKit pushes by digest"],
    [
      'the same engine over tcp: the action uploads the OCI layout',
      true,
      "Upload path: buildx exports an OCI layout and the action uploads it by digest (the engine's BuildKit is not reachable as a builder: the engine endpoint tcp://127.0.0.1:"
    ]
  ])('%s; the same index, no manifest under a name, nothing left behind', async (_name, overTcp, logLine) => {
    const { endpoint } = kit
    const repository = kit.repository('route')
    endpoint.createRepository(repository, { mutability: 'IMMUTABLE' })
    const env: Record<string, string> = overTcp ? { DOCKER_HOST: forwarder?.dockerHost ?? '' } : {}
    const { run, requests } = await kit.run({ inputs: { repository, context: 'app', platforms: PLATFORMS }, workspace: await kit.workspace(), env })

    expect(run.errors).toEqual([])
    expect(run.main.stdout).toContain(logLine)
    expect(await endpoint.manifestDigest(repository, run.context.sha)).toBe(run.outputs['digest'])
    expect((await indexOf(endpoint, repository, run.context.sha)).mediaType).toBe('application/vnd.oci.image.index.v1+json')
    expect(await missingParts(endpoint, repository, run.context.sha)).toEqual([])
    expect(manifestPutsByTag(requests)).toEqual([])
    // The builder and its socket lived in the work folder: gone, and none of the action's builders in the
    // user's buildx state (buildx keeps its own records there on the layout path, as for any build by the
    // user's builder; through the route it is not even created).
    expect(await exists(run.state['workDir'] ?? '/nonexistent')).toBe(false)
    const instances = await readdir(path.join(run.userDockerConfig, 'buildx', 'instances')).catch(() => [])
    expect(instances.filter((name) => name.startsWith('immutable-ecr-build-'))).toEqual([])
    if (!overTcp) expect(await readdir(run.userDockerConfig)).not.toContain('buildx')
    const builders = await runCommand('docker', ['buildx', 'ls'], { timeoutMs: 30_000 })
    expect(builders.stdout).not.toContain('immutable-ecr-build-')
  })
})
