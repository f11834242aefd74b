import { describe, expect, it } from '@jest/globals'
import { archivedImageMessage } from '../../src/adapters/ecr.js'
import { UserError } from '../../src/shared/errors.js'
import { parsePromoteInputs, PROMOTE_INPUT_DEFAULTS } from '../../src/promote/promote-inputs.js'
import { run } from '../../src/promote/main.js'
import { decidePromotion, type PromotionDecision } from '../../src/promote/promotion.js'
import { FakeEcr } from '../../__fixtures__/fake-ecr.js'
import { FakeRegistry } from '../../__fixtures__/fake-registry.js'
import { FakeRunner } from '../../__fixtures__/fake-runner.js'
import { configDigest, imageIndex, imageManifest } from '../../__fixtures__/images.js'

const D = `sha256:${'d'.repeat(64)}`
const E = `sha256:${'e'.repeat(64)}`
const tags = (entries: Record<string, string | undefined>): Map<string, string | undefined> => new Map(Object.entries(entries))

describe('decidePromotion', () => {
  it.each<[string, Record<string, string | undefined>, boolean, 'fail' | 'skip', PromotionDecision]>([
    ['new tags, image absent: copy and tag', { v1: undefined }, false, 'skip', { kind: 'promote', missing: ['v1'], copy: true }],
    ['image already there untagged (an interrupted run): tag only', { v1: undefined }, true, 'skip', { kind: 'promote', missing: ['v1'], copy: false }],
    ['skip, every tag on the digest: a no-op', { v1: D }, true, 'skip', { kind: 'promote', missing: [], copy: false }],
    [
      'fail, a tag on the digest: refuse',
      { v1: D },
      true,
      'fail',
      {
        kind: 'refuse',
        reason: `Tag already exists in team/api: v1 (${D}). Nothing was copied or tagged; set if-tag-exists: skip to accept tags already on this digest.`
      }
    ],
    [
      'a tag on another digest: refuse in skip',
      { v1: E },
      true,
      'skip',
      { kind: 'refuse', reason: `team/api:v1 already names ${E}, not ${D}; tags are never moved. Nothing was copied or tagged; promote under another tag.` }
    ],
    [
      'a tag on another digest: refuse in fail',
      { v1: undefined, v2: E },
      false,
      'fail',
      { kind: 'refuse', reason: `team/api:v2 already names ${E}, not ${D}; tags are never moved. Nothing was copied or tagged; promote under another tag.` }
    ]
  ])('%s', (_name, existing, imagePresent, ifTagExists, expected) => {
    expect(decidePromotion(Object.keys(existing), tags(existing), D, imagePresent, ifTagExists, 'team/api')).toEqual(expected)
  })
})

describe('parsePromoteInputs', () => {
  const base = { 'source-repository': 'team/api-staging', digest: D, repository: 'team/api', tags: 'abc1234, v1.2.3', 'aws-region': 'eu-west-1' }
  const parse = (inputs: Record<string, string>): ReturnType<typeof parsePromoteInputs> => parsePromoteInputs((name) => inputs[name] ?? '', {})

  it('defaults: source in the destination’s region and account, skip, no repository creation', () => {
    expect(parse(base)).toEqual({
      sourceRepository: 'team/api-staging',
      sourceRegistryId: undefined,
      sourceRegion: 'eu-west-1',
      digest: D,
      repository: 'team/api',
      registryId: undefined,
      awsRegion: 'eu-west-1',
      tags: ['abc1234', 'v1.2.3'],
      floatingTags: [],
      ifTagExists: PROMOTE_INPUT_DEFAULTS['if-tag-exists'],
      createRepository: false,
      signingGate: { requirement: 'off', timeoutSeconds: 600 }
    })
  })

  it.each<[string, Record<string, string>, string]>([
    [
      'digest not a digest',
      { digest: 'v1.2.3' },
      "Input 'digest' 'v1.2.3' is not an image digest: expected sha256: and 64 lowercase hex digits (the digest output of the build step)."
    ],
    ['no tags', { tags: '' }, "Input 'tags' is required: the immutable tags to give the promoted image, e.g. the SHA tag and v1.2.3."],
    [
      'invalid tag',
      { tags: 'v1, -x' },
      "Input 'tags' has an invalid tag '-x': a tag is 1 to 128 of letters, digits, '_', '.' and '-', and does not start with '.' or '-'."
    ],
    [
      'source repository named as such',
      { 'source-repository': 'Team/API' },
      "Input 'source-repository' 'Team/API' must be lowercase: ECR repository names allow a-z, 0-9, '.', '_', '-' and '/'."
    ],
    ['source registry id named as such', { 'source-registry-id': '12' }, "Input 'source-registry-id' '12' is not an AWS account id: expected 12 digits."],
    ['source region named as such', { 'source-region': 'mars' }, "Input 'source-region' 'mars' is not an AWS region name such as us-east-1 or eu-central-1."],
    [
      'floating and immutable at once',
      { 'floating-tags': 'v1.2.3' },
      "Input 'floating-tags' repeats v1.2.3, which is also in tags: a tag either moves or never changes; remove it from one of them."
    ],
    ['if-tag-exists value', { 'if-tag-exists': 'overwrite' }, "Input 'if-tag-exists'"]
  ])('%s', (_name, override, message) => {
    expect(() => parse({ ...base, ...override })).toThrow(message)
  })
})

/** One registry (the fakes are one account): staging and production repositories side by side. */
function world(mutability: 'IMMUTABLE' | 'IMMUTABLE_WITH_EXCLUSION' = 'IMMUTABLE') {
  const ecr = new FakeEcr()
  ecr.addRepository('team/api-staging')
  ecr.addRepository('team/api', mutability, mutability === 'IMMUTABLE' ? [] : ['production'])
  const registry = new FakeRegistry(ecr)
  const amd = imageManifest(configDigest('promote:linux/amd64'))
  const arm = imageManifest(configDigest('promote:linux/arm64'))
  const index = imageIndex([
    { image: amd, platform: 'linux/amd64' },
    { image: arm, platform: 'linux/arm64' }
  ])
  ecr.store('team/api-staging', amd)
  ecr.store('team/api-staging', arm)
  ecr.store('team/api-staging', index, 'abc1234')
  const runner = (inputs: Record<string, string> = {}): FakeRunner =>
    new FakeRunner({
      'source-repository': 'team/api-staging',
      digest: index.digest,
      repository: 'team/api',
      tags: 'abc1234, v1.2.3',
      'aws-region': 'us-east-1',
      ...inputs
    })
  const slept: number[] = []
  const adapters = (r: FakeRunner) => ({
    runner: r,
    env: {},
    createEcr: ecr.factory,
    createRegistry: async () => registry,
    sleep: async (ms: number) => void slept.push(ms)
  })
  return { ecr, registry, index, amd, arm, runner, adapters, slept }
}

describe('run', () => {
  it('right after the build (read-after-write lag): the source not found at first is waited for, then promoted', async () => {
    const w = world()
    w.ecr.before = (call, count) => {
      // The source lookup answers "not found" once, as ECR can right after the build step wrote it.
      if (call.op === 'getImages' && count === 1) w.ecr.laggingReads = 1
    }
    const r = w.runner()
    await run(w.adapters(r))
    expect(r.messages('setFailed')).toEqual([])
    expect(w.ecr.tagsOf('team/api')).toEqual({ abc1234: w.index.digest, 'v1.2.3': w.index.digest })
    expect(w.slept).toContain(250)
    expect(r.messages('info').some((line) => line.startsWith(`ECR served team/api-staging@${w.index.digest} after waiting`))).toBe(true)
  })

  it('a digest the source never serves is refused after the bounded wait, nothing copied or tagged', async () => {
    const w = world()
    const r = w.runner({ digest: `sha256:${'f'.repeat(64)}` })
    await run(w.adapters(r))
    expect(r.messages('setFailed')).toEqual([
      `team/api-staging@sha256:${'f'.repeat(64)} is not in the source repository (waited 32 s for it): check the digest input (the digest output of the build) and source-repository, source-registry-id, source-region.`
    ])
    expect(w.slept.reduce((a, b) => a + b, 0)).toBeGreaterThan(25_000)
    expect(w.registry.callsOf('putManifest')).toEqual([])
    expect(w.ecr.callsOf('putTag')).toEqual([])
  })

  it('copies an index (children first, top last), then writes the tags; a re-run is a no-op', async () => {
    const w = world()
    const r = w.runner()
    await run(w.adapters(r))
    expect(r.failures).toEqual([])
    expect(w.ecr.tagsOf('team/api')).toEqual({ abc1234: w.index.digest, 'v1.2.3': w.index.digest })
    expect(w.registry.callsOf('putManifest').map((call) => call.digest)).toEqual([w.amd.digest, w.arm.digest, w.index.digest])
    expect(Object.fromEntries(r.outputs)).toEqual({
      digest: w.index.digest,
      image: `123456789012.dkr.ecr.us-east-1.amazonaws.com/team/api@${w.index.digest}`,
      'image-name': '123456789012.dkr.ecr.us-east-1.amazonaws.com/team/api',
      'tags-added': 'abc1234,v1.2.3',
      'platform-digests': JSON.stringify({ 'linux/amd64': w.amd.digest, 'linux/arm64': w.arm.digest }),
      pushed: 'true'
    })
    const again = w.runner()
    const manifestsBefore = w.registry.callsOf('putManifest').length
    await run(w.adapters(again))
    expect(again.failures).toEqual([])
    expect(w.registry.callsOf('putManifest')).toHaveLength(manifestsBefore)
    expect([again.outputs.get('pushed'), again.outputs.get('tags-added')]).toEqual(['false', ''])
  })

  it('an unexpected error: its stack goes to the debug log, the step fails with one line', async () => {
    const w = world()
    const r = w.runner()
    w.ecr.before = (call) => {
      if (call.op === 'describeRepository') throw new TypeError('Cannot read properties of undefined')
    }
    await run(w.adapters(r))
    expect(r.failures).toEqual(['Cannot read properties of undefined'])
    expect(r.messages('debug')[0]).toMatch(/^TypeError: Cannot read properties of undefined\n {4}at /)
    expect(r.messages('info').some((line) => line.includes('    at '))).toBe(false)
  })

  it('a tag on another digest at the destination: refused, nothing copied', async () => {
    const w = world()
    const other = imageManifest(configDigest('other'))
    w.ecr.store('team/api', other, 'v1.2.3')
    const r = w.runner()
    await run(w.adapters(r))
    expect(r.failures).toEqual([
      `team/api:v1.2.3 already names ${other.digest}, not ${w.index.digest}; tags are never moved. Nothing was copied or tagged; promote under another tag.`
    ])
    expect(w.registry.callsOf('putManifest')).toEqual([])
    expect(w.ecr.tagsOf('team/api')).toEqual({ 'v1.2.3': other.digest })
  })

  it('a racing promotion of another digest wins the tag between the check and the write: this one fails, the winner stays', async () => {
    const w = world()
    const other = imageManifest(configDigest('racer'))
    w.ecr.store('team/api', other)
    w.ecr.before = (call) => {
      if (call.op === 'putTag' && w.ecr.tagsOf('team/api').abc1234 === undefined) w.ecr.repository('team/api').tags.set('abc1234', other.digest)
    }
    const r = w.runner()
    await run(w.adapters(r))
    expect(r.failures[0]).toBe(
      `team/api:abc1234 already names ${other.digest}, not ${w.index.digest}; tags are never moved. Nothing was written. Use another tag, or promote ${other.digest} instead.`
    )
    expect(w.ecr.tagsOf('team/api')).toEqual({ abc1234: other.digest })
  })

  it('floating tags: refused on an IMMUTABLE destination before copying; moved last where excluded', async () => {
    const strict = world()
    const r = strict.runner({ 'floating-tags': 'production' })
    await run(strict.adapters(r))
    expect(r.failures[0]).toMatch(/^Input 'floating-tags': ECR keeps production immutable in team\/api \(IMMUTABLE\)/)
    expect(strict.registry.callsOf('putManifest')).toEqual([])

    const w = world('IMMUTABLE_WITH_EXCLUSION')
    const ok = w.runner({ 'floating-tags': 'production' })
    await run(w.adapters(ok))
    expect(ok.failures).toEqual([])
    expect(w.ecr.callsOf('putTag').map((args) => args[1])).toEqual(['abc1234', 'v1.2.3', 'production'])
  })

  it('a single image: its platform is read from the source before the copy, so a refused read leaves no tag', async () => {
    const w = world()
    const r = w.runner({ digest: w.amd.digest })
    w.registry.before = (call) => {
      if (call.op === 'readBlob')
        throw new UserError('The registry denied blob of team/api-staging (HTTP 403): the role needs ecr:GetDownloadUrlForLayer on team/api-staging.')
    }
    await run(w.adapters(r))
    expect(r.failures).toEqual([expect.stringContaining('ecr:GetDownloadUrlForLayer on team/api-staging')])
    expect(w.ecr.tagsOf('team/api')).toEqual({})
    expect(w.registry.callsOf('putManifest')).toEqual([])
    expect(w.registry.callsOf('readBlob').map((call) => call.repository)).toEqual(['team/api-staging'])

    const ok = w.runner({ digest: w.amd.digest })
    w.registry.before = undefined
    await run(w.adapters(ok))
    expect(ok.outputs.get('platform-digests')).toBe(JSON.stringify({ 'linux/amd64': w.amd.digest }))
  })

  it('a floating tag that cannot be moved: digest and image still name what the tags name, and one line says so', async () => {
    const w = world('IMMUTABLE_WITH_EXCLUSION')
    w.ecr.before = (call) => {
      if (call.op === 'putTag' && call.args[1] === 'production') throw new UserError('AWS denied ecr:PutImage on team/api.')
    }
    const r = w.runner({ 'floating-tags': 'production' })
    await run(w.adapters(r))
    expect(w.ecr.tagsOf('team/api')).toEqual({ abc1234: w.index.digest, 'v1.2.3': w.index.digest })
    expect(r.outputs.get('digest')).toBe(w.index.digest)
    expect(r.outputs.get('image')).toBe(`123456789012.dkr.ecr.us-east-1.amazonaws.com/team/api@${w.index.digest}`)
    expect(r.outputs.has('tags')).toBe(false)
    expect(r.failures).toEqual([
      `AWS denied ecr:PutImage on team/api. The tags abc1234, v1.2.3 name ${w.index.digest}: the step's digest and image outputs name it.`
    ])
  })

  it('a tag write failing after the first: digest and image name what was written (promote/action.yml has no tags output)', async () => {
    const w = world()
    w.ecr.before = (call) => {
      if (call.op === 'putTag' && call.args[1] === 'v1.2.3') throw new UserError('AWS denied ecr:PutImage on team/api.')
    }
    const r = w.runner()
    await run(w.adapters(r))
    expect(w.ecr.tagsOf('team/api')).toEqual({ abc1234: w.index.digest })
    expect(Object.fromEntries(r.outputs)).toEqual({ digest: w.index.digest, image: `123456789012.dkr.ecr.us-east-1.amazonaws.com/team/api@${w.index.digest}` })
    expect(r.failures).toEqual([
      `AWS denied ecr:PutImage on team/api. This run had already written abc1234 (${w.index.digest}), which keep this image; v1.2.3 was not written: re-run the job with if-tag-exists: skip, which adds it to this image and to no other (README: Troubleshooting, "had already written"). The tag abc1234 names ${w.index.digest}: the step's digest and image outputs name it.`
    ])
  })

  it('an archived source image fails with the adapter’s one line, unchanged', async () => {
    const w = world()
    w.ecr.before = (call) => {
      if (call.op === 'getImages' && call.args[0] === 'team/api-staging') throw new UserError(archivedImageMessage('team/api-staging', w.index.digest))
    }
    const r = w.runner()
    await run(w.adapters(r))
    expect(r.failures).toEqual([archivedImageMessage('team/api-staging', w.index.digest)])
    expect(w.registry.callsOf('putManifest')).toEqual([])
  })
})
