import { afterEach, describe, expect, it } from '@jest/globals'
import { readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parse } from 'yaml'
import type { StoredImage } from '../../src/adapters/ecr.js'
import { UserError } from '../../src/shared/errors.js'
import { MERGE_INPUTS, MERGE_ONLY_DEFAULTS, MERGE_OUTPUTS, run } from '../../src/merge/main.js'
import { readmeTable } from '../../__fixtures__/readme.js'
import { FAKE_REGISTRY_HOST } from '../../__fixtures__/fake-ecr.js'
import { imageIndex, MEDIA_TYPES, sha256 } from '../../__fixtures__/images.js'
import { createWorld, REPOSITORY, RUN_ID, SHA, type World } from '../../__fixtures__/world.js'

const OTHER_SHA = '0123456789abcdef0123456789abcdef01234567'
let world: World | undefined
afterEach(() => {
  world?.cleanup()
  world = undefined
})

/**
 * A per-platform image as an `untagged: true` step leaves it: config (with the revision label and, unless
 * `runId` is null, the run-id label of the workflow run that uploaded it) and manifest, no tag.
 */
function platformImage(w: World, platform: string, sha = SHA, salt = '', runId: string | null = RUN_ID): StoredImage {
  const [os, architecture] = platform.split('/')
  const config = JSON.stringify({
    architecture,
    os,
    config: {
      Labels: { 'org.opencontainers.image.revision': sha, salt, ...(runId === null ? {} : { 'io.github.immutable-ecr-build.run-id': runId }) }
    },
    rootfs: { type: 'layers', diff_ids: [] }
  })
  const configDigest = sha256(config)
  let blobs = w.registry.blobs.get(REPOSITORY)
  if (!blobs) w.registry.blobs.set(REPOSITORY, (blobs = new Map<string, Buffer>()))
  blobs.set(configDigest, Buffer.from(config))
  const manifest = JSON.stringify({
    schemaVersion: 2,
    mediaType: MEDIA_TYPES.ociManifest,
    config: { mediaType: MEDIA_TYPES.ociConfig, digest: configDigest, size: config.length },
    layers: []
  })
  const image = { digest: sha256(manifest), manifest, mediaType: MEDIA_TYPES.ociManifest }
  w.ecr.store(REPOSITORY, image)
  return image
}

/** BuildKit's provenance for an image: an attestation manifest, in-toto layers, unknown/unknown config, no label. */
function attestationImage(w: World, subject: string): StoredImage {
  const config = JSON.stringify({ architecture: 'unknown', os: 'unknown', config: {}, rootfs: { type: 'layers', diff_ids: [] } })
  const configDigest = sha256(config)
  w.registry.blobs.get(REPOSITORY)?.set(configDigest, Buffer.from(config))
  const manifest = JSON.stringify({
    schemaVersion: 2,
    mediaType: MEDIA_TYPES.ociManifest,
    config: { mediaType: MEDIA_TYPES.ociConfig, digest: configDigest, size: config.length },
    layers: [{ mediaType: 'application/vnd.in-toto+json', digest: sha256(subject), size: 100 }]
  })
  const image = { digest: sha256(manifest), manifest, mediaType: MEDIA_TYPES.ociManifest }
  w.ecr.store(REPOSITORY, image)
  return image
}

const written = (w: World): string[] => [
  ...w.registry.callsOf('putManifest').map((call) => call.digest),
  ...w.ecr.callsOf('putTag').map((args) => String(args[1]))
]

describe('merge action', () => {
  it('writes one index of the platforms by digest, then the SHA tag on it; children stay untagged', async () => {
    world = createWorld()
    const w = world
    const amd = platformImage(w, 'linux/amd64')
    const arm = platformImage(w, 'linux/arm64')
    w.runner.inputs.digests = `${arm.digest}\n${amd.digest}`
    w.runner.inputs.platforms = 'linux/amd64,linux/arm64'
    await run(w.adapters())
    expect(w.runner.failures).toEqual([])
    const digest = w.runner.outputs.get('digest') as string
    expect(w.ecr.tagsOf(REPOSITORY)).toEqual({ [SHA]: digest })
    const index = w.ecr.repository(REPOSITORY).images.get(digest) as StoredImage
    expect((JSON.parse(index.manifest) as { manifests: { digest: string }[] }).manifests.map((entry) => entry.digest)).toEqual([amd.digest, arm.digest])
    expect(w.runner.outputs.get('platform-digests')).toBe(JSON.stringify({ 'linux/amd64': amd.digest, 'linux/arm64': arm.digest }))
    expect(w.runner.outputs.get('image')).toBe(`${FAKE_REGISTRY_HOST}/${REPOSITORY}@${digest}`)
    expect(w.runner.outputs.get('pushed')).toBe('true')
    expect([...w.runner.outputs.keys()].sort()).toEqual([...MERGE_OUTPUTS].sort())
  })

  it.each([
    ['IMMUTABLE_WITH_EXCLUSION excluding latest: moved last, after the SHA tag is proven', 'IMMUTABLE_WITH_EXCLUSION', ['latest'], undefined],
    ['fully IMMUTABLE: refused before the index is written', 'IMMUTABLE', [], 'floating tag']
  ] as const)('floating-tags on %s', async (_name, mutability, filters, refusal) => {
    world = createWorld({ mutability, exclusionFilters: [...filters] })
    const w = world
    const amd = platformImage(w, 'linux/amd64')
    w.runner.inputs.digests = amd.digest
    w.runner.inputs['floating-tags'] = 'latest'
    await run(w.adapters())
    if (refusal) {
      expect(w.runner.failures).toEqual([expect.stringContaining('latest')])
      expect(written(w)).toEqual([])
      return
    }
    expect(w.runner.failures).toEqual([])
    const digest = w.runner.outputs.get('digest') as string
    expect(w.ecr.tagsOf(REPOSITORY)).toEqual({ [SHA]: digest, latest: digest })
    expect(w.ecr.callsOf('putTag').map((args) => String(args[1]))).toEqual([SHA, 'latest'])
  })

  it('a floating tag that cannot be moved after the SHA tag: every output is set, the one line says what the tag names', async () => {
    world = createWorld({ mutability: 'IMMUTABLE_WITH_EXCLUSION', exclusionFilters: ['latest'] })
    const w = world
    const amd = platformImage(w, 'linux/amd64')
    w.runner.inputs.digests = amd.digest
    w.runner.inputs['floating-tags'] = 'latest'
    w.ecr.before = (call) => {
      if (call.op === 'putTag' && call.args[1] === 'latest') throw new UserError('AWS denied ecr:PutImage on team/api.')
    }
    await run(w.adapters())
    const digest = w.ecr.tagsOf(REPOSITORY)[SHA] as string
    expect(digest).toMatch(/^sha256:/)
    expect(w.runner.outputs.get('digest')).toBe(digest)
    expect(w.runner.outputs.get('image')).toBe(`${FAKE_REGISTRY_HOST}/${REPOSITORY}@${digest}`)
    expect(w.runner.outputs.get('tags')).toBe(SHA)
    expect(w.runner.failures).toEqual([`AWS denied ecr:PutImage on team/api. The tag ${SHA} names ${digest}: the step's digest and image outputs name it.`])
  })

  it('a one-platform index (image + provenance) is unwrapped; its attestation goes into the merged index', async () => {
    world = createWorld()
    const w = world
    const amd = platformImage(w, 'linux/amd64')
    const provenance = platformImage(w, 'linux/amd64', SHA, 'provenance')
    const wrapped = imageIndex([
      { image: amd, platform: 'linux/amd64' },
      { image: provenance, attests: amd.digest }
    ])
    w.ecr.store(REPOSITORY, wrapped)
    const arm = platformImage(w, 'linux/arm64')
    w.runner.inputs.digests = `${wrapped.digest},${arm.digest}`
    await run(w.adapters())
    expect(w.runner.failures).toEqual([])
    const index = w.ecr.repository(REPOSITORY).images.get(w.runner.outputs.get('digest') as string) as StoredImage
    expect((JSON.parse(index.manifest) as { manifests: { digest: string }[] }).manifests.map((entry) => entry.digest)).toEqual([
      amd.digest,
      arm.digest,
      provenance.digest
    ])
  })

  it.each([
    [
      'a platform missing',
      (w: World) => ({ digests: platformImage(w, 'linux/amd64').digest, platforms: 'linux/amd64,linux/arm64' }),
      'No digest for linux/arm64'
    ],
    [
      'a platform twice',
      (w: World) => ({ digests: `${platformImage(w, 'linux/amd64').digest}\n${platformImage(w, 'linux/amd64', SHA, 'again').digest}` }),
      'linux/amd64 is given twice'
    ],
    [
      'a digest not in the repository',
      (w: World) => ({ digests: `${platformImage(w, 'linux/amd64').digest}\nsha256:${'c'.repeat(64)}` }),
      `sha256:${'c'.repeat(64)} is not in team/api`
    ],
    [
      'a child of another commit',
      (w: World) => ({ digests: `${platformImage(w, 'linux/amd64').digest}\n${platformImage(w, 'linux/arm64', OTHER_SHA).digest}` }),
      `built from commit ${OTHER_SHA}`
    ],
    [
      'a platform claimed wrongly',
      (w: World) => ({ digests: JSON.stringify({ 'linux/arm64': platformImage(w, 'linux/amd64').digest }) }),
      'is claimed as linux/arm64'
    ]
  ])('refuses %s with nothing written', async (_name, inputs, message) => {
    world = createWorld()
    const w = world
    Object.assign(w.runner.inputs, inputs(w))
    await run(w.adapters())
    expect(w.runner.failures).toHaveLength(1)
    expect(w.runner.failures[0]).toContain(message)
    expect(written(w)).toEqual([])
    expect(w.ecr.tagsOf(REPOSITORY)).toEqual({})
  })

  it('an unexpected error: its stack goes to the debug log, the step fails with one line', async () => {
    world = createWorld()
    const w = world
    w.runner.inputs.digests = platformImage(w, 'linux/amd64').digest
    w.ecr.before = (call) => {
      if (call.op === 'describeRepository') throw new TypeError('Cannot read properties of undefined')
    }
    await run(w.adapters())
    expect(w.runner.failures).toEqual(['Cannot read properties of undefined'])
    expect(w.runner.messages('debug')[0]).toMatch(/^TypeError: Cannot read properties of undefined\n {4}at /)
    expect(w.runner.messages('info').some((line) => line.includes('    at '))).toBe(false)
  })

  it('refuses before reading any digest when the SHA tag already exists (if-tag-exists: fail)', async () => {
    world = createWorld()
    const w = world
    const amd = platformImage(w, 'linux/amd64')
    w.ecr.store(REPOSITORY, amd, SHA)
    w.runner.inputs.digests = amd.digest
    await run(w.adapters())
    expect(w.runner.failures[0]).toContain(SHA)
    expect(written(w)).toEqual([])
  })

  it.each([
    ['the same digests: the same index bytes, so the loser finds its own index there and reports it', false],
    ['different digests (a re-run platform job): the loser is refused and the tag keeps the winner', true]
  ])('racing merges, %s', async (_name, different) => {
    world = createWorld()
    const w = world
    const amd = platformImage(w, 'linux/amd64')
    const arm = platformImage(w, 'linux/arm64')
    const armAgain = platformImage(w, 'linux/arm64', SHA, 'rebuilt')
    w.runner.inputs.digests = `${amd.digest}\n${arm.digest}`
    const winner = different
      ? imageIndex([
          { image: amd, platform: 'linux/amd64' },
          { image: armAgain, platform: 'linux/arm64' }
        ])
      : undefined
    // The other merge lands its tag between this run's last check and its PutImage.
    w.ecr.before = async (call, count) => {
      if (call.op !== 'putTag' || count !== 1) return
      const ours = call.args[2] as StoredImage
      w.ecr.store(REPOSITORY, winner ?? ours, SHA)
    }
    await run(w.adapters())
    const tagged = w.ecr.tagsOf(REPOSITORY)[SHA]
    if (different) {
      expect(w.runner.failures[0]).toContain(`Another run pushed ${SHA} first (digest ${winner?.digest})`)
      expect(tagged).toBe(winner?.digest)
    } else {
      expect(w.runner.failures).toEqual([])
      expect(w.runner.outputs.get('digest')).toBe(tagged)
    }
  })

  it('if-tag-exists: skip on a finished commit outputs the existing index and writes nothing', async () => {
    world = createWorld()
    const w = world
    const amd = platformImage(w, 'linux/amd64')
    const index = imageIndex([{ image: amd, platform: 'linux/amd64' }])
    w.ecr.store(REPOSITORY, index, SHA)
    Object.assign(w.runner.inputs, { digests: amd.digest, 'if-tag-exists': 'skip' })
    await run(w.adapters())
    expect(w.runner.failures).toEqual([])
    expect([w.runner.outputs.get('digest'), w.runner.outputs.get('pushed'), w.runner.outputs.get('platform-digests')]).toEqual([
      index.digest,
      'false',
      JSON.stringify({ 'linux/amd64': amd.digest })
    ])
    expect(written(w)).toEqual([])
  })

  it('if-tag-exists: skip refuses an index whose platform was built from another commit (a short sha-length), nothing written', async () => {
    world = createWorld()
    const w = world
    const amd = platformImage(w, 'linux/amd64', OTHER_SHA)
    const index = imageIndex([{ image: amd, platform: 'linux/amd64' }])
    w.ecr.store(REPOSITORY, index, SHA.slice(0, 7))
    Object.assign(w.runner.inputs, { digests: platformImage(w, 'linux/amd64').digest, 'if-tag-exists': 'skip', 'sha-length': '7' })
    await run(w.adapters())
    expect(w.runner.failures).toEqual([
      `Cannot reuse ${SHA.slice(0, 7)} in ${REPOSITORY} (if-tag-exists: skip): ${SHA.slice(0, 7)} names ${index.digest} (platform ${amd.digest}) was built from ${OTHER_SHA} (label org.opencontainers.image.revision), not ${SHA}. Nothing was written; build this commit under a new tag-prefix or a longer sha-length.`
    ])
    expect(w.runner.outputs.get('digest')).toBeUndefined()
    expect(written(w)).toEqual([])
  })

  it('reads only the inputs merge/action.yml declares: a build input left in the environment changes nothing', async () => {
    world = createWorld()
    const w = world
    Object.assign(w.runner.inputs, { digests: platformImage(w, 'linux/amd64').digest, 'sha-length': '7', context: '/does/not/exist', untagged: 'maybe' })
    await run(w.adapters())
    expect(w.runner.failures).toEqual([])
    expect(w.ecr.tagsOf(REPOSITORY)).toEqual({ [SHA.slice(0, 7)]: w.runner.outputs.get('digest') })
  })

  it('a failing scan gate writes the index but no tag', async () => {
    world = createWorld()
    const w = world
    const amd = platformImage(w, 'linux/amd64')
    w.runner.inputs.digests = amd.digest
    w.runner.inputs['fail-on-severity'] = 'high'
    w.ecr.scanResults.set(amd.digest, {
      found: true,
      status: 'COMPLETE',
      description: undefined,
      findings: [{ severity: 'HIGH', id: 'CVE-2026-3', packageName: 'x', packageVersion: '1', fixedIn: undefined, uri: undefined }],
      severityCounts: {},
      completedAt: undefined
    })
    await run(w.adapters())
    expect(w.runner.failures[0]).toContain('1 HIGH; worst: CVE-2026-3. No tag was written')
    expect(w.ecr.tagsOf(REPOSITORY)).toEqual({})
    expect(w.ecr.callsOf('describeScanFindings').map((args) => args[1])).toEqual([amd.digest])
  })
})

describe('merge action: signing gate', () => {
  it('require-signature: managed asks for the index and each platform image before the tags', async () => {
    world = createWorld()
    const w = world
    const amd = platformImage(w, 'linux/amd64')
    Object.assign(w.runner.inputs, { digests: amd.digest, 'require-signature': 'managed' })
    const profile = 'arn:aws:signer:us-east-1:123456789012:/signing-profiles/ci'
    w.ecr.signingConfiguration = [{ signingProfileArn: profile, repositoryFilters: ['team/*'] }]
    const complete = { signingProfileArn: profile, status: 'COMPLETE', failureCode: undefined, failureReason: undefined }
    w.ecr.signingResults.set('*', [[complete]])
    await run(w.adapters())
    expect(w.runner.failures).toEqual([])
    const index = w.runner.outputs.get('digest') as string
    const order = w.ecr.calls
      .filter((call) => call.op === 'signingStatuses' || call.op === 'putTag')
      .map((call) => (call.op === 'putTag' ? 'tag' : call.args[1]))
    expect(order.indexOf('tag')).toBeGreaterThan(order.lastIndexOf(index))
    expect(order.lastIndexOf(amd.digest)).toBeLessThan(order.indexOf('tag'))
  })

  it('no signing rule covers the repository: refused before the index is written', async () => {
    world = createWorld()
    const w = world
    const amd = platformImage(w, 'linux/amd64')
    Object.assign(w.runner.inputs, { digests: amd.digest, 'require-signature': 'managed' })
    await run(w.adapters())
    expect(w.runner.failures[0]).toContain('the registry has no signing configuration')
    expect(w.registry.callsOf('putManifest')).toEqual([])
  })
})

describe('merge action with digests empty: found in the repository', () => {
  it('finds the newest image of each platform built from this commit; an older one is logged as ignored, another commit is not picked', async () => {
    world = createWorld()
    const w = world
    const older = platformImage(w, 'linux/arm64', SHA, 'older')
    const amd = platformImage(w, 'linux/amd64')
    platformImage(w, 'linux/amd64', OTHER_SHA)
    const arm = platformImage(w, 'linux/arm64')
    platformImage(w, 'linux/arm64', OTHER_SHA)
    w.runner.inputs.platforms = 'linux/amd64,linux/arm64'
    await run(w.adapters())
    expect(w.runner.failures).toEqual([])
    expect(w.runner.outputs.get('platform-digests')).toBe(JSON.stringify({ 'linux/amd64': amd.digest, 'linux/arm64': arm.digest }))
    expect(w.ecr.tagsOf(REPOSITORY)).toEqual({ [SHA]: w.runner.outputs.get('digest') })
    expect(w.runner.events).toContainEqual({ kind: 'info', value: `ignored older build of linux/arm64 for this commit: ${older.digest}` })
    expect(w.ecr.callsOf('listUntagged')).toEqual([[REPOSITORY]])
  })

  it('a leg with provenance is claimed as its one-platform index, so its attestation goes into the merged index', async () => {
    world = createWorld()
    const w = world
    const amd = platformImage(w, 'linux/amd64')
    const provenance = attestationImage(w, amd.digest)
    const wrapped = imageIndex([
      { image: amd, platform: 'linux/amd64' },
      { image: provenance, attests: amd.digest }
    ])
    w.ecr.store(REPOSITORY, wrapped)
    const arm = platformImage(w, 'linux/arm64')
    w.runner.inputs.platforms = 'linux/amd64,linux/arm64'
    await run(w.adapters())
    expect(w.runner.failures).toEqual([])
    const index = w.ecr.repository(REPOSITORY).images.get(w.runner.outputs.get('digest') as string) as StoredImage
    expect((JSON.parse(index.manifest) as { manifests: { digest: string }[] }).manifests.map((entry) => entry.digest)).toEqual([
      amd.digest,
      arm.digest,
      provenance.digest
    ])
    // The attestation's config is not read: only the two platform images' configs, twice (found, then verified).
    expect(w.registry.callsOf('readBlob')).toHaveLength(4)
  })

  it('a platform not found is refused with nothing written, naming it, the images examined and the digests input', async () => {
    world = createWorld()
    const w = world
    platformImage(w, 'linux/amd64')
    platformImage(w, 'linux/arm64', OTHER_SHA)
    w.runner.inputs.platforms = 'linux/amd64,linux/arm64'
    await run(w.adapters())
    expect(w.runner.failures).toEqual([
      `No untagged image of linux/arm64 built from commit ${SHA} by this workflow run (${RUN_ID}) among the 2 newest untagged image manifests of ${REPOSITORY} (platforms expects linux/amd64, linux/arm64; at most 100 are examined): did a per-platform job fail? Or give the per-platform steps' digest outputs in 'digests' instead. Nothing was written.`
    ])
    expect(written(w)).toEqual([])
  })

  it('an image of this commit that another workflow run uploaded is not taken, even when newest: one line says so', async () => {
    world = createWorld()
    const w = world
    const amd = platformImage(w, 'linux/amd64')
    const arm = platformImage(w, 'linux/arm64')
    const intruder = platformImage(w, 'linux/arm64', SHA, 'pushed later by someone else', '99')
    const unlabelled = platformImage(w, 'linux/amd64', SHA, 'pushed by hand', null)
    w.runner.inputs.platforms = 'linux/amd64,linux/arm64'
    await run(w.adapters())
    expect(w.runner.failures).toEqual([])
    expect(w.runner.outputs.get('platform-digests')).toBe(JSON.stringify({ 'linux/amd64': amd.digest, 'linux/arm64': arm.digest }))
    expect(w.runner.messages('info')).toEqual(
      expect.arrayContaining([
        `not taken: linux/arm64 ${intruder.digest} of this commit was uploaded by workflow run 99, not this run ${RUN_ID} (require-same-run).`,
        `not taken: linux/amd64 ${unlabelled.digest} of this commit has no run-id label (not uploaded by this action in a workflow run), not this run ${RUN_ID} (require-same-run).`
      ])
    )
  })

  it('a platform only another run uploaded is refused with nothing written; require-same-run: false takes it', async () => {
    world = createWorld()
    const w = world
    platformImage(w, 'linux/amd64')
    const other = platformImage(w, 'linux/arm64', SHA, '', '99')
    w.runner.inputs.platforms = 'linux/amd64,linux/arm64'
    await run(w.adapters())
    expect(w.runner.failures).toHaveLength(1)
    expect(w.runner.failures[0]).toContain(`No untagged image of linux/arm64 built from commit ${SHA} by this workflow run (${RUN_ID})`)
    expect(w.runner.failures[0]).toContain(
      `Not taken, from another workflow run (require-same-run: false would take them): linux/arm64 ${other.digest} (run 99).`
    )
    expect(written(w)).toEqual([])

    w.runner.failures.length = 0
    w.runner.inputs['require-same-run'] = 'false'
    await run(w.adapters())
    expect(w.runner.failures).toEqual([])
    expect(JSON.parse(w.runner.outputs.get('platform-digests') as string)).toMatchObject({ 'linux/arm64': other.digest })
  })

  it.each([
    [
      'discovery outside a workflow run (no GITHUB_RUN_ID)',
      { platforms: 'linux/amd64' },
      { GITHUB_RUN_ID: '' },
      "Input 'require-same-run' 'true' takes only legs of this workflow run, and GITHUB_RUN_ID is not set"
    ],
    ['a value that is not a boolean', { platforms: 'linux/amd64', 'require-same-run': 'maybe' }, {}, "Input 'require-same-run' 'maybe' is not a boolean"]
  ])('%s: one line, before any call', async (_name, inputs, env, message) => {
    world = createWorld({ env })
    const w = world
    Object.assign(w.runner.inputs, inputs)
    await run(w.adapters())
    expect(w.runner.failures).toEqual([expect.stringContaining(message)])
    expect(w.ecr.calls).toEqual([])
  })

  it('given digests are not bound to the run: the user named them (any run, even outside GitHub Actions)', async () => {
    world = createWorld({ env: { GITHUB_RUN_ID: '' } })
    const w = world
    w.runner.inputs.digests = platformImage(w, 'linux/amd64', SHA, '', '99').digest
    await run(w.adapters())
    expect(w.runner.failures).toEqual([])
    expect(w.ecr.tagsOf(REPOSITORY)).toEqual({ [SHA]: w.runner.outputs.get('digest') })
  })

  it('digests and platforms both empty: one line naming both, before any call', async () => {
    world = createWorld()
    const w = world
    await run(w.adapters())
    expect(w.runner.failures).toEqual([
      "Input 'digests' is empty and 'platforms' is not set: give the per-platform steps' digest outputs, or the platforms to find in the repository, e.g. linux/amd64,linux/arm64."
    ])
    expect(w.ecr.calls).toEqual([])
  })
})

describe('merge/action.yml', () => {
  const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..')
  const action = parse(readFileSync(join(root, 'merge', 'action.yml'), 'utf8')) as {
    inputs: Record<string, { default?: string; required?: boolean }>
    outputs: Record<string, unknown>
    runs: { using: string; main: string }
  }
  const main = parse(readFileSync(join(root, 'action.yml'), 'utf8')) as { inputs: Record<string, { default?: string }> }
  it('declares exactly the inputs run reads, with the main action’s defaults for the shared ones', () => {
    expect(Object.keys(action.inputs).sort()).toEqual([...MERGE_INPUTS].sort())
    for (const name of MERGE_INPUTS) {
      const expected = name in MERGE_ONLY_DEFAULTS ? MERGE_ONLY_DEFAULTS[name as keyof typeof MERGE_ONLY_DEFAULTS] : main.inputs[name]?.default
      expect([name, action.inputs[name]?.default]).toEqual([name, expected])
    }
    expect(
      Object.entries(action.inputs)
        .filter(([, input]) => input.required)
        .map(([name]) => name)
        .sort()
    ).toEqual(['repository'])
  })
  it('declares exactly the outputs run sets, and runs dist/merge/index.js on node24', () => {
    expect(Object.keys(action.outputs).sort()).toEqual([...MERGE_OUTPUTS].sort())
    expect(action.runs).toEqual({ using: 'node24', main: '../dist/merge/index.js' })
  })
  it("merge/README.md's tables list exactly merge/action.yml's inputs and outputs, defaults as declared", () => {
    // A missing file throws and a missing table is an empty list: either fails, never skips.
    const readme = readFileSync(join(root, 'merge', 'README.md'), 'utf8')
    const inputs = readmeTable(readme, 'Inputs')
    const outputs = readmeTable(readme, 'Outputs')
    expect([...(inputs?.rows.keys() ?? [])].sort()).toEqual(Object.keys(action.inputs).sort())
    expect([...(outputs?.rows.keys() ?? [])].sort()).toEqual(Object.keys(action.outputs).sort())
    const column = inputs?.columns.indexOf('default') ?? -1
    expect(column).toBeGreaterThan(0)
    for (const [name, input] of Object.entries(action.inputs)) {
      const cell = inputs?.rows.get(name)?.[column] ?? ''
      if (input.required) expect([name, cell]).toEqual([name, 'required'])
      else if (input.default) expect([name, cell]).toEqual([name, `\`${input.default}\``])
    }
  })
})
