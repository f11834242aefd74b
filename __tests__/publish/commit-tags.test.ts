import { describe, expect, it } from '@jest/globals'
import { commitTags, moveFloatingTags, planCommit, type CommitPlan, type TagTarget } from '../../src/publish/commit-tags.js'
import { RefusedError } from '../../src/publish/outcome.js'
import { TagsWrittenError } from '../../src/publish/tags-written.js'
import { UserError } from '../../src/shared/errors.js'
import type { TagMutability } from '../../src/shared/tag-policy.js'
import { FAKE_REGISTRY_HOST, FakeEcr } from '../../__fixtures__/fake-ecr.js'
import { FakeRunner } from '../../__fixtures__/fake-runner.js'
import { configDigest, imageManifest } from '../../__fixtures__/images.js'

const D = `sha256:${'d'.repeat(64)}`
const E = `sha256:${'e'.repeat(64)}`
const REPO = 'team/api'
const warningsOf = (runner: FakeRunner): string[] => runner.events.flatMap((event) => (event.kind === 'warning' ? [event.value] : []))
const existingOf = (entries: Record<string, string | undefined>): Map<string, string | undefined> => new Map(Object.entries(entries))

describe('planCommit: what the last check decides', () => {
  it.each<[string, 'uploaded' | 'stored', Record<string, string | undefined>, 'fail' | 'skip', CommitPlan]>([
    ['upload, no tag exists: write all, in order', 'uploaded', { a: undefined, b: undefined }, 'fail', { kind: 'write', tags: ['a', 'b'] }],
    ['upload, a tag exists (fail): refuse, naming it', 'uploaded', { a: undefined, b: E }, 'fail', { kind: 'refuse', tag: 'b', other: E }],
    ['upload, every tag on one image (skip): reuse it', 'uploaded', { a: E, b: E }, 'skip', { kind: 'reuse', digest: E }],
    ['upload, half the tags exist (skip): refuse', 'uploaded', { a: E, b: undefined }, 'skip', { kind: 'refuse', tag: 'a', other: E }],
    ['stored, all absent: write all, in order', 'stored', { a: undefined, b: undefined }, 'skip', { kind: 'write', tags: ['a', 'b'] }],
    ['stored, one already on the digest: write the other', 'stored', { a: D, b: undefined }, 'skip', { kind: 'write', tags: ['b'] }],
    ['stored, all on the digest: nothing to write', 'stored', { a: D, b: D }, 'skip', { kind: 'write', tags: [] }],
    ['stored, one on another digest: refuse, naming it', 'stored', { a: D, b: E }, 'skip', { kind: 'refuse', tag: 'b', other: E }]
  ])('%s', (_name, kind, existing, ifTagExists, expected) => {
    expect(planCommit(kind, Object.keys(existing), existingOf(existing), D, ifTagExists)).toEqual(expected)
  })
})

function setup(mutability: TagMutability = 'IMMUTABLE'): { ecr: FakeEcr; runner: FakeRunner; target: TagTarget; slept: number[] } {
  const ecr = new FakeEcr()
  ecr.addRepository(REPO, mutability)
  const runner = new FakeRunner()
  const slept: number[] = []
  const target: TagTarget = {
    ecr,
    registryHost: FAKE_REGISTRY_HOST,
    repository: REPO,
    anyMutable: mutability === 'MUTABLE',
    runner,
    sleep: async (ms) => void slept.push(ms)
  }
  return { ecr, runner, target, slept }
}

const base = { registryHost: FAKE_REGISTRY_HOST, repository: REPO, shaTag: 'abc', tags: ['abc', 'v1'] }

function uploaded(image: ReturnType<typeof imageManifest>) {
  return {
    kind: 'uploaded' as const,
    ref: { digest: image.digest },
    build: { imageDigest: image.digest, configDigest: undefined },
    platformsOf: () => Promise.resolve({ 'linux/amd64': image.digest })
  }
}

describe('commitTags on an upload', () => {
  it('writes every tag, SHA tag first, with the served bytes, and reads them back', async () => {
    const { ecr, target } = setup()
    const image = imageManifest(configDigest('mine'))
    ecr.store(REPO, image)
    const committed = await commitTags(target, uploaded(image), { tags: ['abc', 'v1'], ifTagExists: 'fail', base })
    expect(committed).toEqual({ kind: 'written', image, added: ['abc', 'v1'], platformDigests: { 'linux/amd64': image.digest } })
    expect(ecr.callsOf('putTag').map((args) => [args[1], args[2]])).toEqual([
      ['abc', image],
      ['v1', image]
    ])
    expect(ecr.tagsOf(REPO)).toEqual({ abc: image.digest, v1: image.digest })
  })

  it('an image that is not this build (its config differs) is refused before any tag', async () => {
    const { ecr, target } = setup()
    const image = imageManifest(configDigest('mine'))
    ecr.store(REPO, image)
    const other = { ...uploaded(image), build: { imageDigest: undefined, configDigest: configDigest('other') } }
    await expect(commitTags(target, other, { tags: ['abc'], ifTagExists: 'fail', base })).rejects.toThrow(/Another writer changed team\/api@sha256:/)
    expect(ecr.callsOf('putTag')).toEqual([])
  })

  it('a tag written by another run since the build (fail) is refused with the summary base; nothing written', async () => {
    const { ecr, target } = setup()
    const mine = imageManifest(configDigest('mine'))
    const theirs = imageManifest(configDigest('theirs'))
    ecr.store(REPO, mine)
    ecr.store(REPO, theirs, 'v1')
    const refusal = commitTags(target, uploaded(mine), { tags: ['abc', 'v1'], ifTagExists: 'fail', base })
    await expect(refusal).rejects.toBeInstanceOf(RefusedError)
    await expect(refusal).rejects.toThrow(`Another run pushed v1 first (digest ${theirs.digest}) while this one was building`)
    expect(ecr.callsOf('putTag')).toEqual([])
  })

  it('ECR refusing the SHA tag under skip, when another run holds every tag: that image is reused', async () => {
    const { ecr, target } = setup()
    const mine = imageManifest(configDigest('mine'))
    const theirs = imageManifest(configDigest('theirs'))
    ecr.store(REPO, mine)
    ecr.store(REPO, theirs)
    // The other run writes both tags between our last check and our first write.
    ecr.before = (call) => {
      if (call.op === 'putTag' && ecr.tagsOf(REPO)['abc'] === undefined) ecr.store(REPO, theirs, 'abc', 'v1')
    }
    const committed = await commitTags(target, uploaded(mine), { tags: ['abc', 'v1'], ifTagExists: 'skip', base })
    expect(committed).toMatchObject({ kind: 'reused', digest: theirs.digest })
  })

  it('a write that fails after the SHA tag keeps the written tag and says what it names', async () => {
    const { ecr, target } = setup()
    const image = imageManifest(configDigest('mine'))
    ecr.store(REPO, image)
    ecr.before = (call, count) => {
      if (call.op === 'putTag' && count === 2) throw new Error('network reset')
    }
    const failure = commitTags(target, uploaded(image), { tags: ['abc', 'v1'], ifTagExists: 'fail', base })
    await expect(failure).rejects.toBeInstanceOf(TagsWrittenError)
    await expect(failure).rejects.toThrow(
      `network reset. This run had already written abc (${image.digest}), which keep this image; v1 was not written: re-run the job with if-tag-exists: skip`
    )
    expect(ecr.tagsOf(REPO)).toEqual({ abc: image.digest })
  })

  it('MUTABLE: waits before the read-back, and a write landing meanwhile fails the run without a digest', async () => {
    const { ecr, target: plain } = setup('MUTABLE')
    const mine = imageManifest(configDigest('mine'))
    const theirs = imageManifest(configDigest('theirs'))
    ecr.store(REPO, mine)
    ecr.store(REPO, theirs)
    const slept: number[] = []
    const target: TagTarget = {
      ...plain,
      sleep: async (ms) => {
        slept.push(ms)
        ecr.store(REPO, theirs, 'v1')
      }
    }
    await expect(commitTags(target, uploaded(mine), { tags: ['abc', 'v1'], ifTagExists: 'fail', base })).rejects.toThrow(
      new UserError(
        `Another writer changed team/api:v1 during this run: the registry serves ${theirs.digest} for it, not ${mine.digest}. No digest is reported; make the repository IMMUTABLE and serialize runs with the workflow 'concurrency:' key.`
      )
    )
    expect(slept[0]).toBeGreaterThanOrEqual(250)
  })
})

describe('commitTags on a stored image', () => {
  it('keeps tags already on the digest and writes the others', async () => {
    const { ecr, target } = setup()
    const image = imageManifest(configDigest('mine'))
    ecr.store(REPO, image, 'abc')
    const committed = await commitTags(target, { kind: 'stored', digest: image.digest, justWritten: false }, { tags: ['abc', 'v1'], ifTagExists: 'skip' })
    expect(committed).toMatchObject({ kind: 'written', added: ['v1'] })
    expect(ecr.callsOf('putTag').map((args) => args[1])).toEqual(['v1'])
  })

  it('a tag another run wrote onto the same digest meanwhile is harmless', async () => {
    const { ecr, target } = setup()
    const image = imageManifest(configDigest('mine'))
    ecr.store(REPO, image)
    ecr.before = (call) => {
      if (call.op === 'putTag' && ecr.tagsOf(REPO)['abc'] === undefined) ecr.store(REPO, image, 'abc')
    }
    const committed = await commitTags(target, { kind: 'stored', digest: image.digest, justWritten: false }, { tags: ['abc', 'v1'], ifTagExists: 'skip' })
    // ECR answers a PutImage of the very image a tag names with ImageAlreadyExists, which the adapter takes as written.
    expect(committed).toMatchObject({ kind: 'written', added: ['abc', 'v1'] })
    expect(ecr.tagsOf(REPO)).toEqual({ abc: image.digest, v1: image.digest })
  })

  it('a tag on another digest is refused before anything is written', async () => {
    const { ecr, target } = setup()
    const image = imageManifest(configDigest('mine'))
    const other = imageManifest(configDigest('other'))
    ecr.store(REPO, image)
    ecr.store(REPO, other, 'v1')
    await expect(
      commitTags(target, { kind: 'stored', digest: image.digest, justWritten: false }, { tags: ['abc', 'v1'], ifTagExists: 'skip' })
    ).rejects.toThrow(
      new UserError(
        `team/api:v1 already names ${other.digest}, not ${image.digest}; tags are never moved. Nothing was written. Use another tag, or promote ${other.digest} instead.`
      )
    )
    expect(ecr.callsOf('putTag')).toEqual([])
  })

  it('an image just copied and not served yet is waited for (read-after-write lag)', async () => {
    const { ecr, target, slept } = setup()
    const image = imageManifest(configDigest('mine'))
    ecr.store(REPO, image)
    ecr.laggingReads = 2
    await commitTags(target, { kind: 'stored', digest: image.digest, justWritten: true }, { tags: ['abc'], ifTagExists: 'skip' })
    expect(slept).toEqual([250, 500])
    expect(ecr.tagsOf(REPO)).toEqual({ abc: image.digest })
  })

  it('a digest the repository does not hold is refused, nothing tagged', async () => {
    const { ecr, target } = setup()
    await expect(commitTags(target, { kind: 'stored', digest: D, justWritten: false }, { tags: ['abc'], ifTagExists: 'skip' })).rejects.toThrow(
      `team/api@${D} is not in the repository; nothing was tagged.`
    )
    expect(ecr.callsOf('putTag')).toEqual([])
  })
})

describe('moveFloatingTags', () => {
  it('PutImage with the served bytes, read back; a tag moved again since is a warning', async () => {
    const { ecr, runner, target } = setup('MUTABLE')
    const mine = imageManifest(configDigest('mine'))
    const newer = imageManifest(configDigest('newer'))
    ecr.store(REPO, mine)
    ecr.store(REPO, newer)
    ecr.before = (call, count) => {
      if (call.op === 'getImages' && count === 2) ecr.store(REPO, newer, 'staging')
    }
    await moveFloatingTags(target, mine.digest, ['latest', 'staging'])
    expect(ecr.callsOf('putTag').map((args) => args[2])).toEqual([mine, mine])
    expect(warningsOf(runner)).toEqual([
      `team/api:staging names ${newer.digest} right after this run moved it to ${mine.digest}: another run moved it since. Serialize runs with the workflow 'concurrency:' key.`
    ])
  })

  it('a floating tag not found right after it was moved is waited for, not warned about', async () => {
    const { ecr, runner, target, slept } = setup('MUTABLE')
    const mine = imageManifest(configDigest('mine'))
    ecr.store(REPO, mine)
    ecr.before = (call, count) => {
      if (call.op === 'getImages' && count === 2) ecr.laggingReads = 2
    }
    await moveFloatingTags(target, mine.digest, ['latest'])
    expect(slept).toEqual([250, 500])
    expect(warningsOf(runner)).toEqual([])
    expect(ecr.tagsOf(REPO)).toEqual({ latest: mine.digest })
  })

  it('nothing to move: no call', async () => {
    const { ecr, target } = setup()
    await moveFloatingTags(target, D, [])
    expect(ecr.calls).toEqual([])
  })
})
