import { afterEach, describe, expect, it } from '@jest/globals'
import { addTagsToBuiltImage } from '../../src/build-image/add-tags.js'
import { checkRevision, planTagAddition, revisionOf, REVISION_LABEL, type AdditionPlan } from '../../src/publish/tag-addition.js'
import { actionOutputs, summaryMarkdown } from '../../src/publish/report.js'
import { publishImage } from '../../src/build-image/pipeline.js'
import { imageIndex, imageManifest, revisionConfig } from '../../__fixtures__/images.js'
import { createWorld, REPOSITORY, SHA, type World, type WorldOptions } from '../../__fixtures__/world.js'

const A = 'sha256:aaaa'
const B = 'sha256:bbbb'
const existing = (entries: Record<string, string | undefined>): Map<string, string | undefined> => new Map(Object.entries(entries))

describe('planTagAddition', () => {
  it.each<[string, Record<string, string | undefined>, 'fail' | 'skip', AdditionPlan]>([
    ['skip, SHA tag present, release tag absent: add it', { sha: A, 'v1.2.3': undefined }, 'skip', { kind: 'add', digest: A, missing: ['v1.2.3'] }],
    [
      'skip, two absent: add both in order',
      { sha: A, 'v1.2.3': undefined, stable: undefined },
      'skip',
      { kind: 'add', digest: A, missing: ['v1.2.3', 'stable'] }
    ],
    [
      'skip, one present on the same digest, one absent: add the absent one',
      { sha: A, 'v1.2.3': A, stable: undefined },
      'skip',
      { kind: 'add', digest: A, missing: ['stable'] }
    ],
    ['fail never adds: an existing SHA tag refuses', { sha: A, 'v1.2.3': undefined }, 'fail', { kind: 'none' }],
    ['skip, SHA tag absent: a build (or a refusal) as before', { sha: undefined, 'v1.2.3': A }, 'skip', { kind: 'none' }],
    ['skip, nothing present: build', { sha: undefined, 'v1.2.3': undefined }, 'skip', { kind: 'none' }],
    ['skip, a tag on another digest: refused by decideOnExistingTags', { sha: A, 'v1.2.3': B, stable: undefined }, 'skip', { kind: 'none' }],
    ['skip, every tag present on one digest: plain reuse', { sha: A, 'v1.2.3': A }, 'skip', { kind: 'none' }]
  ])('%s', (_name, tags, ifTagExists, expected) => {
    expect(planTagAddition(Object.keys(tags), 'sha', existing(tags), ifTagExists)).toEqual(expected)
  })
})

describe('checkRevision', () => {
  it.each<[string, { manifestDigest: string; revision: string | undefined }[], ReturnType<typeof checkRevision>]>([
    ['single image of this commit', [{ manifestDigest: A, revision: SHA }], { ok: true }],
    [
      'index: every platform of this commit',
      [
        { manifestDigest: 'sha256:p1', revision: SHA },
        { manifestDigest: 'sha256:p2', revision: SHA }
      ],
      { ok: true }
    ],
    [
      'label missing',
      [{ manifestDigest: A, revision: undefined }],
      { ok: false, reason: `${A} has no ${REVISION_LABEL} label, so it cannot be shown to be commit ${SHA}'s build` }
    ],
    ['another commit', [{ manifestDigest: A, revision: 'f00' }], { ok: false, reason: `${A} was built from f00 (label ${REVISION_LABEL}), not ${SHA}` }],
    [
      'index: one platform from another commit names both digests',
      [
        { manifestDigest: 'sha256:p1', revision: SHA },
        { manifestDigest: 'sha256:p2', revision: 'f00' }
      ],
      { ok: false, reason: `${A} (platform sha256:p2) was built from f00 (label ${REVISION_LABEL}), not ${SHA}` }
    ],
    ['no runnable image', [], { ok: false, reason: `${A} has no runnable image whose config could be read` }]
  ])('%s', (_name, configs, expected) => {
    expect(checkRevision(A, configs, SHA)).toEqual(expected)
  })

  it.each<[string, unknown, string | undefined]>([
    ['label present', { config: { Labels: { [REVISION_LABEL]: SHA } } }, SHA],
    ['no Labels', { config: {} }, undefined],
    ['Labels null (docker writes null)', { config: { Labels: null } }, undefined],
    ['label not a string', { config: { Labels: { [REVISION_LABEL]: 7 } } }, undefined]
  ])('revisionOf: %s', (_name, config, expected) => {
    expect(revisionOf(Buffer.from(JSON.stringify(config)))).toBe(expected)
  })
})

let world: World | undefined
afterEach(() => {
  world?.cleanup()
  world = undefined
})
const setup = (options: WorldOptions): World => (world = createWorld(options))

describe('publishImage: release tags on the image already built', () => {
  it('adds v1.2.3 onto the SHA tag’s image, same digest, nothing built, pushed=false, tags-added, summary', async () => {
    const w = setup({ inputs: { 'extra-tags': 'v1.2.3', 'if-tag-exists': 'skip' } })
    const built = imageManifest(revisionConfig(SHA))
    w.ecr.store(REPOSITORY, built, SHA)
    const outcome = await publishImage(w.runContext())
    expect(w.docker.buildArgs()).toBeUndefined()
    expect(w.ecr.tagsOf(REPOSITORY)).toEqual({ [SHA]: built.digest, 'v1.2.3': built.digest })
    expect(w.ecr.callsOf('putTag').map((args) => args[1])).toEqual(['v1.2.3'])
    // PutImage carries the bytes the registry served, so the digest cannot change.
    expect(w.ecr.callsOf('putTag')[0]?.[2]).toEqual(built)
    const outputs = actionOutputs(outcome)
    expect([outputs.digest, outputs.pushed, outputs['tags-added'], outputs['platform-digests']]).toEqual([
      built.digest,
      'false',
      'v1.2.3',
      JSON.stringify({ 'linux/amd64': built.digest })
    ])
    expect(summaryMarkdown(outcome)).toContain('| reused; tags added: v1.2.3 |')
  })

  it('an index: every platform’s config is read and must carry the commit', async () => {
    const w = setup({ inputs: { 'extra-tags': 'v1.2.3', 'if-tag-exists': 'skip' } })
    const amd = imageManifest(revisionConfig(SHA, 'linux/amd64'))
    const arm = imageManifest(revisionConfig('0000000000000000000000000000000000000000', 'linux/arm64'))
    const index = imageIndex([
      { image: amd, platform: 'linux/amd64' },
      { image: arm, platform: 'linux/arm64' }
    ])
    w.ecr.store(REPOSITORY, amd)
    w.ecr.store(REPOSITORY, arm)
    w.ecr.store(REPOSITORY, index, SHA)
    await expect(publishImage(w.runContext())).rejects.toThrow(
      `Cannot add v1.2.3 to team/api: ${SHA} names ${index.digest} (platform ${arm.digest}) was built from 0000000000000000000000000000000000000000 (label ${REVISION_LABEL}), not ${SHA}. Nothing was written;`
    )
    expect(w.registry.callsOf('readBlob')).toHaveLength(2)
    expect(w.ecr.callsOf('putTag')).toEqual([])
  })

  it('with fail the existing SHA tag still refuses, nothing written', async () => {
    const w = setup({ inputs: { 'extra-tags': 'v1.2.3' } })
    w.ecr.store(REPOSITORY, imageManifest(revisionConfig(SHA)), SHA)
    await expect(publishImage(w.runContext())).rejects.toThrow(/^Tag already exists in team\/api/)
    expect(w.ecr.callsOf('putTag')).toEqual([])
  })

  it('a release tag written onto another digest between the look-up and the write is refused naming both digests', async () => {
    const w = setup({ inputs: { 'extra-tags': 'v1.2.3', 'if-tag-exists': 'skip' } })
    const built = imageManifest(revisionConfig(SHA))
    const other = imageManifest(revisionConfig('1111111111111111111111111111111111111111'))
    w.ecr.store(REPOSITORY, built, SHA)
    w.ecr.before = (call) => {
      if (call.op === 'putTag' || (call.op === 'getImages' && (call.args[1] as unknown[]).length === 3)) w.ecr.store(REPOSITORY, other, 'v1.2.3')
    }
    await expect(publishImage(w.runContext())).rejects.toThrow(
      `team/api:v1.2.3 already names ${other.digest}, not ${built.digest}; tags are never moved. Nothing was written.`
    )
    expect(w.ecr.tagsOf(REPOSITORY)['v1.2.3']).toBe(other.digest)
  })

  it('the direct call reports tags-added only for tags it wrote', async () => {
    const w = setup({ inputs: { 'extra-tags': 'v1.2.3, stable', 'if-tag-exists': 'skip' } })
    const built = imageManifest(revisionConfig(SHA))
    w.ecr.store(REPOSITORY, built, SHA, 'stable')
    const ctx = w.runContext()
    const registry = await ctx.ecr.authorize()
    const target = {
      ecr: ctx.ecr,
      runner: ctx.runner,
      registry,
      registryHost: registry.registryHost,
      repository: REPOSITORY,
      info: undefined,
      existing: { byTag: new Map(), byDigest: new Map() },
      existingTags: new Map(),
      anyMutable: false
    }
    const outcome = await addTagsToBuiltImage(ctx, target, { registryHost: '', repository: REPOSITORY, shaTag: SHA, tags: ctx.tags.all }, built, {
      kind: 'add',
      digest: built.digest,
      missing: ['v1.2.3']
    })
    expect(outcome.tagsAdded).toEqual(['v1.2.3'])
  })
})
