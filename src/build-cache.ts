import { UserError } from './errors.js'
import { isTagImmutable, type RepositoryInfo } from './tag-policy.js'

export const CACHE_TAG = 'buildcache'

export type CacheLocation =
  /** The image repository's own `buildcache` tag, which an exclusion filter (or MUTABLE) leaves rewritable. */
  | { readonly kind: 'same-repository'; readonly repository: string }
  /** A companion repository whose tags may be rewritten, so the image repository can stay fully IMMUTABLE. */
  | { readonly kind: 'companion-repository'; readonly repository: string }

export function companionCacheRepository(repository: string): string {
  return `${repository}-${CACHE_TAG}`
}

/** Where `cache: ecr` keeps the cache without weakening the image tags. */
export function chooseCacheLocation(repository: RepositoryInfo): CacheLocation {
  return isTagImmutable(repository, CACHE_TAG)
    ? { kind: 'companion-repository', repository: companionCacheRepository(repository.name) }
    : { kind: 'same-repository', repository: repository.name }
}

/** The plain docker driver cannot export a cache; say so before building, not after. */
export function assertDriverExportsCache(driver: string | undefined): void {
  if (driver === 'docker') {
    throw new UserError(
      "Input 'cache' 'ecr' needs a builder that can export a registry cache, but the active buildx builder uses the docker driver: add docker/setup-buildx-action before this step (it creates a docker-container builder), or set cache: none."
    )
  }
}

export function describeCacheLocation(location: CacheLocation, tag = CACHE_TAG): string {
  return location.kind === 'same-repository'
    ? `build cache: ${location.repository}:${tag} (a tag this repository lets be rewritten)`
    : `build cache: companion repository ${location.repository}:${tag} (the image repository keeps every tag immutable)`
}

export function companionNotRewritable(repository: string): UserError {
  return new UserError(
    `The cache repository ${repository} keeps the tag ${CACHE_TAG} immutable, so the cache could be written only once: make ${repository} MUTABLE (it holds only cache), or set cache: none.`
  )
}
