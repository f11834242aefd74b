import { describe, expect, it } from '@jest/globals'
import { lookUpTarget, openTarget, type TargetPolicy } from '../../src/publish/target.js'
import { UserError } from '../../src/shared/errors.js'
import type { TagMutability } from '../../src/shared/tag-policy.js'
import { FAKE_ACCOUNT, FAKE_REGISTRY_HOST, FakeEcr } from '../../__fixtures__/fake-ecr.js'
import { FakeRunner } from '../../__fixtures__/fake-runner.js'
import { configDigest, imageManifest } from '../../__fixtures__/images.js'

const REPO = 'team/api'
const policy = (overrides: Partial<TargetPolicy> = {}): TargetPolicy => ({
  repository: REPO,
  region: 'us-east-1',
  registryId: undefined,
  tags: ['abc', 'v1'],
  floatingTags: [],
  requireImmutableRepository: false,
  whenAbsent: { kind: 'refuse' },
  ...overrides
})

async function open(ecr: FakeEcr, overrides: Partial<TargetPolicy> = {}, digest?: string) {
  const runner = new FakeRunner()
  const target = await openTarget({ ecr, runner }, await lookUpTarget(ecr, REPO, policy(overrides).tags, digest), policy(overrides))
  return { target, runner }
}

describe('openTarget', () => {
  it('one round of look-ups: credentials, the repository, the tags and the digest in one BatchGetImage', async () => {
    const ecr = new FakeEcr()
    ecr.addRepository(REPO, 'IMMUTABLE')
    const image = imageManifest(configDigest('a'))
    ecr.store(REPO, image, 'abc')
    const { target } = await open(ecr, {}, image.digest)
    expect(ecr.calls.map((call) => call.op)).toEqual(['authorize', 'describeRepository', 'getImages'])
    expect(ecr.callsOf('getImages')).toEqual([[REPO, [{ digest: image.digest }, { tag: 'abc' }, { tag: 'v1' }]]])
    expect(target).toMatchObject({ registryHost: FAKE_REGISTRY_HOST, repository: REPO, anyMutable: false })
    expect([...target.existingTags]).toEqual([
      ['abc', image.digest],
      ['v1', undefined]
    ])
    expect(target.existing.byDigest.get(image.digest)).toEqual(image)
  })

  it('a missing repository is refused with what to do, by default', async () => {
    await expect(open(new FakeEcr())).rejects.toThrow(
      new UserError(
        `Repository ${REPO} does not exist in account ${FAKE_ACCOUNT}, region us-east-1: create it (immutable tags recommended), check the repository, registry-id and aws-region inputs, or set create-repository: true.`
      )
    )
  })

  it('create: the refusals before creating come first; then the repository is created IMMUTABLE', async () => {
    const ecr = new FakeEcr()
    const order: string[] = []
    ecr.before = (call) => void order.push(call.op)
    const { target } = await open(ecr, { whenAbsent: { kind: 'create', beforeCreate: async () => void order.push('beforeCreate') } })
    expect(order).toEqual(['authorize', 'describeRepository', 'getImages', 'beforeCreate', 'createRepository'])
    expect(target.info?.mutability).toBe('IMMUTABLE')
    expect([...target.existingTags.values()]).toEqual([undefined, undefined])
  })

  it('create with floating tags: refused before anything is created (they could be written once only)', async () => {
    const ecr = new FakeEcr()
    await expect(open(ecr, { floatingTags: ['latest'], whenAbsent: { kind: 'create' } })).rejects.toThrow(/create-repository would create team\/api IMMUTABLE/)
    expect(ecr.callsOf('createRepository')).toEqual([])
  })

  it('continue: a run that writes nothing goes on without a repository, and says so', async () => {
    const { target, runner } = await open(new FakeEcr(), { whenAbsent: { kind: 'continue', note: 'building only' } })
    expect(target.info).toBeUndefined()
    expect(runner.messages('info')).toEqual(['building only'])
  })

  it.each<[TagMutability, boolean, boolean]>([
    ['IMMUTABLE', false, false],
    ['MUTABLE', false, true],
    ['MUTABLE', true, true]
  ])('%s, require-immutable-repository %s: mutable tags %s', async (mutability, requireImmutable, anyMutable) => {
    const ecr = new FakeEcr()
    ecr.addRepository(REPO, mutability)
    const opened = open(ecr, { requireImmutableRepository: requireImmutable })
    if (requireImmutable && anyMutable) {
      await expect(opened).rejects.toThrow(/so ECR would let these tags be overwritten: abc, v1\. Set the repository's tag mutability to IMMUTABLE/)
      return
    }
    expect((await opened).target.anyMutable).toBe(anyMutable)
  })

  it('a floating tag ECR keeps immutable is refused, naming the exclusion filter to add', async () => {
    const ecr = new FakeEcr()
    ecr.addRepository(REPO, 'IMMUTABLE')
    await expect(open(ecr, { floatingTags: ['latest'] })).rejects.toThrow(/Input 'floating-tags': ECR keeps latest immutable in team\/api/)
  })
})
