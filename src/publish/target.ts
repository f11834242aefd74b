import type { Ecr, ImageLookup, RegistryCredentials } from '../adapters/ecr.js'
import { unwrap } from '../shared/deferred.js'
import { UserError } from '../shared/errors.js'
import type { Inputs } from '../build/inputs.js'
import type { OutcomeBase, RunContext } from '../build/run-context.js'
import { describeMutability, mutableTags, type RepositoryInfo } from '../shared/tag-policy.js'
import type { DerivedTags } from './tags.js'

/** What the first, concurrent look-ups of a build or a merge found; a failed look-up throws only when read. */
export interface TargetLookup {
  readonly registry: RegistryCredentials
  readonly base: OutcomeBase
  readonly repository: PromiseSettledResult<Awaited<ReturnType<Ecr['describeRepository']>>>
  readonly existing: PromiseSettledResult<ImageLookup>
}

/**
 * The look-ups every build and merge starts with, sent together: the registry's credentials, the
 * repository, and which of the tags exist (one BatchGetImage for all of them).
 */
export async function lookUpTarget(ecr: Ecr, repository: string, tags: DerivedTags): Promise<TargetLookup> {
  const [credentials, repositoryLookup, existingLookup] = await Promise.allSettled([
    ecr.authorize(),
    ecr.describeRepository(repository),
    ecr.getImages(
      repository,
      tags.all.map((tag) => ({ tag }))
    )
  ])
  const registry = unwrap(credentials)
  return {
    registry,
    base: { registryHost: registry.registryHost, repository, shaTag: tags.shaTag, tags: tags.all },
    repository: repositoryLookup,
    existing: existingLookup
  }
}

/**
 * require-immutable-repository, and what the log says of tags ECR would let be overwritten. Returns those
 * tags: the tag writer waits for a MUTABLE tag to settle before it proves it.
 */
export function applyMutabilityPolicy(
  ctx: {
    readonly inputs: Pick<Inputs, 'requireImmutableRepository'>
    readonly tags: Pick<DerivedTags, 'all'>
    readonly runner: Pick<RunContext['runner'], 'info'>
  },
  repository: RepositoryInfo
): string[] {
  ctx.runner.info(`Repository ${repository.name}: tag mutability ${describeMutability(repository)}.`)
  const mutable = mutableTags(repository, ctx.tags.all)
  if (mutable.length === 0) return mutable
  if (ctx.inputs.requireImmutableRepository) {
    throw new UserError(
      `Repository ${repository.name} is ${describeMutability(repository)}, so ECR would let these tags be overwritten: ${mutable.join(', ')}. Set the repository's tag mutability to IMMUTABLE (or exclude none of these tags), or set require-immutable-repository: false.`
    )
  }
  ctx.runner.info(
    `ECR does not protect ${mutable.join(', ')} from being overwritten; this action re-checks right before writing each tag, but only IMMUTABLE makes that atomic.`
  )
  return mutable
}
