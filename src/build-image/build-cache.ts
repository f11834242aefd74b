import type { RegistryCacheRefs } from './build.js'
import { registryCacheArgs } from './buildx-args.js'
import { UserError } from '../shared/errors.js'
import type { RunContext } from './run-context.js'
import { isTagImmutable, type RepositoryInfo } from '../shared/tag-policy.js'

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

/**
 * Asked before create-repository makes the image repository, whose IMMUTABLE tags send the cache to the
 * companion: a companion that keeps `buildcache` immutable is refused first, so the refusal leaves nothing behind.
 */
export async function refuseImmutableCompanion(ecr: Pick<RunContext['ecr'], 'describeRepository'>, repository: string): Promise<void> {
  const companion = await ecr.describeRepository(companionCacheRepository(repository))
  if (!('absent' in companion) && isTagImmutable(companion, CACHE_TAG)) throw companionNotRewritable(companion.name)
}

/**
 * Where `cache: ecr` reads and writes, created when allowed: the image repository's own `buildcache`
 * tag when that tag is rewritable there, else a MUTABLE companion repository. With push: false only
 * read (see importOnlyCache). `repository` is undefined only when push: false found none.
 */
export async function prepareRegistryCache(
  ctx: Pick<RunContext, 'ecr' | 'runner' | 'inputs'>,
  repository: RepositoryInfo | undefined,
  registryHost: string
): Promise<RegistryCacheRefs | undefined> {
  if (!ctx.inputs.push || !repository) return importOnlyCache(ctx, repository, registryHost)
  const location = chooseCacheLocation(repository)
  if (location.kind === 'companion-repository') {
    const companion = await ctx.ecr.describeRepository(location.repository)
    if ('absent' in companion) {
      if (!ctx.inputs.createRepository) {
        throw new UserError(
          `cache: ecr keeps the cache in ${location.repository}, which does not exist: create it with MUTABLE tags, add an IMMUTABLE_WITH_EXCLUSION filter for '${CACHE_TAG}' on ${repository.name}, or set create-repository: true.`
        )
      }
      ctx.runner.info(`Creating cache repository ${location.repository} with MUTABLE tags (it holds only build cache).`)
      await ctx.ecr.createRepository(location.repository, 'MUTABLE')
    } else if (isTagImmutable(companion, CACHE_TAG)) {
      throw companionNotRewritable(location.repository)
    }
  }
  ctx.runner.info(describeCacheLocation(location))
  return registryCacheArgs({ reference: `${registryHost}/${location.repository}:${CACHE_TAG}` })
}

/**
 * push: false writes nothing to AWS: the cache is read where a push would keep it, if it is there, and
 * neither exported nor given a repository. A first build simply has nothing to import.
 */
async function importOnlyCache(
  ctx: Pick<RunContext, 'ecr' | 'runner' | 'inputs'>,
  repository: RepositoryInfo | undefined,
  registryHost: string
): Promise<RegistryCacheRefs | undefined> {
  const nothing = (where: string): undefined => {
    ctx.runner.info(`cache: ecr: ${where} does not exist, so there is no build cache to import; push: false exports none and creates nothing.`)
    return undefined
  }
  if (!repository) return nothing(ctx.inputs.repository)
  const location = chooseCacheLocation(repository)
  if (location.kind === 'companion-repository' && 'absent' in (await ctx.ecr.describeRepository(location.repository))) return nothing(location.repository)
  ctx.runner.info(`${describeCacheLocation(location)}: imported only; push: false exports no cache and writes nothing to AWS.`)
  return { cacheFrom: registryCacheArgs({ reference: `${registryHost}/${location.repository}:${CACHE_TAG}` }).cacheFrom, cacheTo: undefined }
}
