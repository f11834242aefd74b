import { afterEach, describe, expect, it } from '@jest/globals'
import { UserError } from '../../src/shared/errors.js'
import { assertFloatingApart, floatingTagRefusal, parseFloatingTags } from '../../src/publish/floating-tags.js'
import { run } from '../../src/build-image/main.js'
import type { RepositoryInfo, TagMutability } from '../../src/shared/tag-policy.js'
import { configDigest, imageManifest, revisionConfig } from '../../__fixtures__/images.js'
import { createWorld, REPOSITORY, SHA, type World, type WorldOptions } from '../../__fixtures__/world.js'

const repo = (mutability: TagMutability, exclusionFilters: string[] = []): RepositoryInfo => ({
  name: 'team/api',
  uri: '',
  registryId: '1',
  mutability,
  exclusionFilters
})

describe('floatingTagRefusal', () => {
  it.each<[string, RepositoryInfo, string[], RegExp | undefined]>([
    ['MUTABLE: latest can move', repo('MUTABLE'), ['latest'], undefined],
    ['IMMUTABLE_WITH_EXCLUSION matching latest', repo('IMMUTABLE_WITH_EXCLUSION', ['latest']), ['latest'], undefined],
    ['IMMUTABLE_WITH_EXCLUSION with a wildcard', repo('IMMUTABLE_WITH_EXCLUSION', ['env-*']), ['env-staging', 'env-prod'], undefined],
    ['no floating tags', repo('IMMUTABLE'), [], undefined],
    [
      'IMMUTABLE: names the filter to add',
      repo('IMMUTABLE'),
      ['latest'],
      /ECR keeps latest immutable in team\/api \(IMMUTABLE\).*exclusion filter 'latest'.*filterType=WILDCARD,filter=latest/
    ],
    [
      'IMMUTABLE_WITH_EXCLUSION not matching',
      repo('IMMUTABLE_WITH_EXCLUSION', ['dev-*']),
      ['latest', 'dev-x'],
      /ECR keeps latest immutable .*exclusion filter 'latest'/
    ],
    [
      'MUTABLE_WITH_EXCLUSION matching: remove the filter',
      repo('MUTABLE_WITH_EXCLUSION', ['latest']),
      ['latest'],
      /remove the exclusion filter that matches latest/
    ]
  ])('%s', (_name, repository, floating, expected) => {
    const refusal = floatingTagRefusal(repository, floating)
    if (expected === undefined) expect(refusal).toBeUndefined()
    else expect(refusal).toMatch(expected)
  })

  it.each<[string, string, string[] | RegExp]>([
    ['newline and comma list, duplicates dropped', 'latest, staging\nlatest', ['latest', 'staging']],
    ['an invalid tag names the input', 'latest, -bad', /^Input 'floating-tags' has an invalid tag '-bad'/]
  ])('parseFloatingTags: %s', (_name, value, expected) => {
    const list = value
      .split(/[\n,]/)
      .map((tag) => tag.trim())
      .filter(Boolean)
    if (Array.isArray(expected)) expect(parseFloatingTags(list)).toEqual(expected)
    else expect(() => parseFloatingTags(list)).toThrow(expected)
  })

  it('a tag cannot both float and be immutable', () => {
    expect(() => assertFloatingApart(['latest'], [SHA, 'latest'])).toThrow(
      new UserError(
        `Input 'floating-tags' repeats latest, which is also the SHA tag or in extra-tags: a tag either moves or never changes; remove it from one of them.`
      )
    )
    expect(() => assertFloatingApart(['latest'], [SHA])).not.toThrow()
  })
})

let world: World | undefined
afterEach(() => {
  world?.cleanup()
  world = undefined
})
const setup = (options: WorldOptions): World => (world = createWorld(options))

describe('run with floating-tags', () => {
  it('IMMUTABLE_WITH_EXCLUSION: latest moves onto each push, after the immutable tags', async () => {
    const w = setup({ inputs: { 'floating-tags': 'latest' }, mutability: 'IMMUTABLE_WITH_EXCLUSION', exclusionFilters: ['latest'] })
    const old = imageManifest(configDigest('old'))
    w.ecr.store(REPOSITORY, old, 'latest')
    await run(w.adapters())
    expect(w.runner.failures).toEqual([])
    const digest = w.runner.outputs.get('digest')
    expect(w.ecr.tagsOf(REPOSITORY)).toEqual({ [SHA]: digest, latest: digest })
    expect(w.ecr.callsOf('putTag').map((args) => args[1])).toEqual([SHA, 'latest'])
  })

  it('a skip re-run moves latest too, and latest never counts for if-tag-exists', async () => {
    const w = setup({ inputs: { 'floating-tags': 'latest', 'if-tag-exists': 'skip' }, mutability: 'IMMUTABLE_WITH_EXCLUSION', exclusionFilters: ['latest'] })
    const built = imageManifest(revisionConfig(SHA))
    const newer = imageManifest(configDigest('newer'))
    w.ecr.store(REPOSITORY, built, SHA)
    w.ecr.store(REPOSITORY, newer, 'latest')
    await run(w.adapters())
    expect(w.runner.failures).toEqual([])
    expect(w.docker.buildArgs()).toBeUndefined()
    expect(w.ecr.tagsOf(REPOSITORY)).toEqual({ [SHA]: built.digest, latest: built.digest })
  })

  it('fully IMMUTABLE: refused before building, nothing written', async () => {
    const w = setup({ inputs: { 'floating-tags': 'latest' } })
    await run(w.adapters())
    expect(w.runner.failures[0]).toMatch(/^Input 'floating-tags': ECR keeps latest immutable in team\/api \(IMMUTABLE\)/)
    expect(w.docker.buildArgs()).toBeUndefined()
    expect(w.ecr.tagsOf(REPOSITORY)).toEqual({})
  })

  it('create-repository with floating tags: refused before creating the (IMMUTABLE) repository', async () => {
    const w = setup({ inputs: { 'floating-tags': 'latest', 'create-repository': 'true' }, mutability: null })
    await run(w.adapters())
    expect(w.runner.failures).toEqual([
      "Input 'floating-tags': create-repository would create team/api IMMUTABLE, where latest could be written once only. Nothing was created or built; create the repository as IMMUTABLE_WITH_EXCLUSION with the exclusion filter 'latest' first, or drop floating-tags."
    ])
    expect(w.ecr.callsOf('createRepository')).toEqual([])
    expect(w.docker.buildArgs()).toBeUndefined()
  })
})
