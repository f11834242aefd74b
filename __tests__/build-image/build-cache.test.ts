import { describe, expect, it } from '@jest/globals'
import { CACHE_TAG, chooseCacheLocation, companionCacheRepository, companionNotRewritable, describeCacheLocation } from '../../src/build-image/build-cache.js'
import { UserError } from '../../src/shared/errors.js'
import type { RepositoryInfo, TagMutability } from '../../src/shared/tag-policy.js'

const repo = (mutability: TagMutability, exclusionFilters: string[] = []): RepositoryInfo => ({
  name: 'team/api',
  uri: '',
  registryId: '123456789012',
  mutability,
  exclusionFilters
})

describe('chooseCacheLocation', () => {
  it.each([
    ['IMMUTABLE', [], { kind: 'companion-repository', repository: 'team/api-buildcache' }],
    ['IMMUTABLE_WITH_EXCLUSION', ['latest'], { kind: 'companion-repository', repository: 'team/api-buildcache' }],
    ['IMMUTABLE_WITH_EXCLUSION', ['buildcache'], { kind: 'same-repository', repository: 'team/api' }],
    ['IMMUTABLE_WITH_EXCLUSION', ['build*'], { kind: 'same-repository', repository: 'team/api' }],
    ['MUTABLE', [], { kind: 'same-repository', repository: 'team/api' }],
    ['MUTABLE_WITH_EXCLUSION', ['v*'], { kind: 'same-repository', repository: 'team/api' }],
    ['MUTABLE_WITH_EXCLUSION', ['buildcache'], { kind: 'companion-repository', repository: 'team/api-buildcache' }]
  ] as const)('%s %j → %j', (mutability, filters, location) => {
    expect(chooseCacheLocation(repo(mutability, [...filters]))).toEqual(location)
  })

  it('the companion is <repository>-buildcache and the tag is buildcache', () => {
    expect(CACHE_TAG).toBe('buildcache')
    expect(companionCacheRepository('a/b')).toBe('a/b-buildcache')
  })
})

describe('messages', () => {
  it.each([
    [{ kind: 'same-repository', repository: 'team/api' }, 'build cache: team/api:buildcache (a tag this repository lets be rewritten)'],
    [
      { kind: 'companion-repository', repository: 'team/api-buildcache' },
      'build cache: companion repository team/api-buildcache:buildcache (the image repository keeps every tag immutable)'
    ]
  ] as const)('describeCacheLocation(%j)', (location, text) => {
    expect(describeCacheLocation(location)).toBe(text)
  })

  it('companionNotRewritable says how to fix it', () => {
    const error = companionNotRewritable('team/api-buildcache')
    expect(error).toBeInstanceOf(UserError)
    expect(error.message).toBe(
      'The cache repository team/api-buildcache keeps the tag buildcache immutable, so the cache could be written only once: make team/api-buildcache MUTABLE (it holds only cache), or set cache: none.'
    )
  })
})
