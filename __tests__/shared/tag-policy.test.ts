import { describe, expect, it } from '@jest/globals'
import {
  decideOnExistingTags,
  describeMutability,
  isTagImmutable,
  mutableTags,
  wildcardMatches,
  type RepositoryInfo,
  type TagMutability
} from '../../src/shared/tag-policy.js'

const repo = (mutability: TagMutability, exclusionFilters: string[] = []): RepositoryInfo => ({
  name: 'team/api',
  uri: '123456789012.dkr.ecr.us-east-1.amazonaws.com/team/api',
  registryId: '123456789012',
  mutability,
  exclusionFilters
})

const D1 = `sha256:${'1'.repeat(64)}`
const D2 = `sha256:${'2'.repeat(64)}`

describe('wildcardMatches', () => {
  it.each([
    ['buildcache', 'buildcache', true],
    ['buildcache', 'buildcache2', false],
    ['buildcache', 'xbuildcache', false],
    ['build*', 'buildcache', true],
    ['build*', 'build', true],
    ['*-rc', 'v1.2-rc', true],
    ['*-rc', 'v1.2-rc1', false],
    ['*', 'anything.at_all', true],
    ['a*b*c', 'aXXbYc', true],
    ['a*b*c', 'acb', false],
    ['v1.*', 'v1.2', true],
    ['v1.*', 'v1x2', false],
    ['dev+(x)', 'dev+(x)', true],
    ['dev+', 'devvv', false],
    ['[ab]', 'a', false],
    ['^x$', '^x$', true]
  ])('%j vs %j → %s (only * is special)', (filter, tag, matches) => {
    expect(wildcardMatches(filter, tag)).toBe(matches)
  })
})

describe('isTagImmutable', () => {
  it.each([
    ['IMMUTABLE', [], 'v1', true],
    ['IMMUTABLE', ['v*'], 'v1', true],
    ['MUTABLE', [], 'v1', false],
    ['MUTABLE', ['v*'], 'v1', false],
    ['IMMUTABLE_WITH_EXCLUSION', ['latest', 'dev-*'], 'v1', true],
    ['IMMUTABLE_WITH_EXCLUSION', ['latest', 'dev-*'], 'latest', false],
    ['IMMUTABLE_WITH_EXCLUSION', ['latest', 'dev-*'], 'dev-42', false],
    ['IMMUTABLE_WITH_EXCLUSION', [], 'dev-42', true],
    ['MUTABLE_WITH_EXCLUSION', ['release-*'], 'release-1', true],
    ['MUTABLE_WITH_EXCLUSION', ['release-*'], 'v1', false],
    ['MUTABLE_WITH_EXCLUSION', [], 'release-1', false]
  ] as const)('%s with filters %j: %s immutable = %s', (mutability, filters, tag, immutable) => {
    expect(isTagImmutable(repo(mutability, [...filters]), tag)).toBe(immutable)
  })
})

describe('mutableTags and describeMutability', () => {
  it.each([
    ['IMMUTABLE', [], []],
    ['MUTABLE', [], ['abc1234', 'v1', 'latest']],
    ['IMMUTABLE_WITH_EXCLUSION', ['lat*'], ['latest']],
    ['MUTABLE_WITH_EXCLUSION', ['abc*', 'v*'], ['latest']]
  ] as const)('%s %j leaves %j mutable', (mutability, filters, expected) => {
    expect(mutableTags(repo(mutability, [...filters]), ['abc1234', 'v1', 'latest'])).toEqual(expected)
  })

  it.each([
    [repo('IMMUTABLE'), 'IMMUTABLE'],
    [repo('IMMUTABLE_WITH_EXCLUSION', ['latest', 'dev-*']), 'IMMUTABLE_WITH_EXCLUSION (exclusion filters: latest, dev-*)']
  ])('describes %j as %s', (repository, text) => {
    expect(describeMutability(repository)).toBe(text)
  })
})

describe('decideOnExistingTags', () => {
  const tags = ['abc1234', 'v1']
  const existing = (entries: Record<string, string | undefined>) => new Map(Object.entries(entries))

  it.each([
    ['fail, none present', 'fail', {}, { kind: 'build' }],
    ['skip, none present', 'skip', { abc1234: undefined, v1: undefined }, { kind: 'build' }],
    ['skip, all present on one digest', 'skip', { abc1234: D1, v1: D1 }, { kind: 'reuse', digest: D1 }]
  ] as const)('%s → %j', (_name, mode, entries, decision) => {
    expect(decideOnExistingTags(tags, existing(entries), mode, 'team/api')).toEqual(decision)
  })

  it.each([
    ['all present', { abc1234: D1, v1: D1 }, `Tags already exist in team/api: abc1234 (${D1}), v1 (${D1})`],
    ['some present', { abc1234: D1 }, `Tag already exists in team/api: abc1234 (${D1})`],
    ['the extra tag present', { v1: D2 }, `Tag already exists in team/api: v1 (${D2})`],
    ['all present, different digests', { abc1234: D1, v1: D2 }, `Tags already exist in team/api: abc1234 (${D1}), v1 (${D2})`]
  ])('fail, %s → refuse, listing each tag with its digest', (_name, entries, listing) => {
    expect(decideOnExistingTags(tags, existing(entries), 'fail', 'team/api')).toEqual({
      kind: 'refuse',
      reason: `${listing}. Tags are never overwritten; nothing was built or pushed. To reuse the existing image on re-runs set if-tag-exists: skip, or build a new commit.`
    })
  })

  it.each([
    ['one of two present', tags, { abc1234: D1 }, `v1 does not exist yet: abc1234 (${D1})`],
    ['two of three present', [...tags, 'stable'], { abc1234: D1, v1: D1 }, `stable does not exist yet: abc1234 (${D1}), v1 (${D1})`],
    ['one of three present', [...tags, 'stable'], { v1: D1 }, `abc1234, stable do not exist yet: v1 (${D1})`],
    ['all present, different digests', tags, { abc1234: D1, v1: D2 }, `the existing tags name different images: abc1234 (${D1}), v1 (${D2})`],
    ['some present, different digests', [...tags, 'stable'], { abc1234: D1, v1: D2 }, `the existing tags name different images: abc1234 (${D1}), v1 (${D2})`]
  ])('skip, %s → refuse (never half-tagged)', (_name, tagList, entries, why) => {
    expect(decideOnExistingTags(tagList, existing(entries), 'skip', 'team/api')).toEqual({
      kind: 'refuse',
      reason: `if-tag-exists: skip needs every tag on one image, but ${why}. Nothing was built or pushed; remove the conflicting extra-tags or use tags that are all new.`
    })
  })

  it('a single SHA tag present under skip is reused', () => {
    expect(decideOnExistingTags(['abc1234'], existing({ abc1234: D2 }), 'skip', 'team/api')).toEqual({ kind: 'reuse', digest: D2 })
  })
})
