import type { Ecr, ImageLookup, RegistryCredentials } from '../adapters/ecr.js'
import type { Runner } from '../adapters/runner.js'
import { repositoryMissing } from '../shared/aws-errors.js'
import { unwrap } from '../shared/deferred.js'
import { UserError } from '../shared/errors.js'
import { describeMutability, digestsByTag, mutableTags, type ExistingTags, type RepositoryInfo } from '../shared/tag-policy.js'
import type { TagTarget } from './commit-tags.js'
import { createImmutableRepository } from './create-repository.js'
import { floatingTagRefusal, newRepositoryFloatingRefusal } from './floating-tags.js'

/**
 * Opening the repository an action writes to, the same way for build, merge and promote: the registry's
 * credentials, the repository found, created or refused, its tag mutability, and which of the tags exist.
 * Every refusal that depends on the repository comes here, before anything is built, copied or created.
 */

/** What the first, concurrent look-ups found; a failed look-up throws only when read. */
export interface TargetLookup {
  readonly registry: PromiseSettledResult<RegistryCredentials>
  readonly repository: PromiseSettledResult<Awaited<ReturnType<Ecr['describeRepository']>>>
  /** The tags (and the digest, when given) in one BatchGetImage. */
  readonly existing: PromiseSettledResult<ImageLookup>
}

/** The look-ups every action starts with, sent together: credentials, the repository, the tags (and a digest). */
export async function lookUpTarget(ecr: Ecr, repository: string, tags: readonly string[], digest?: string): Promise<TargetLookup> {
  const [registry, found, existing] = await Promise.allSettled([
    ecr.authorize(),
    ecr.describeRepository(repository),
    ecr.getImages(repository, [...(digest ? [{ digest }] : []), ...tags.map((tag) => ({ tag }))])
  ])
  return { registry, repository: found, existing }
}

export interface TargetPolicy {
  readonly repository: string
  /** For the "create it" message of a missing repository. */
  readonly region: string
  readonly registryId: string | undefined
  /** The tags this run will write (never changed once written), SHA tag first. */
  readonly tags: readonly string[]
  /** Tags meant to move: refused where ECR keeps them immutable. */
  readonly floatingTags: readonly string[]
  /** require-immutable-repository (the promote action has no such input: false). */
  readonly requireImmutableRepository: boolean
  /** A missing repository: refused, created IMMUTABLE (after `beforeCreate`'s refusals), or left absent for a run that writes nothing. */
  readonly whenAbsent:
    | { readonly kind: 'refuse' }
    | { readonly kind: 'create'; readonly beforeCreate?: () => Promise<void> }
    | { readonly kind: 'continue'; readonly note: string }
}

/** The repository as this run found it, ready for commitTags. */
export interface Target extends TagTarget {
  readonly ecr: Ecr
  readonly registry: RegistryCredentials
  /** undefined: the repository does not exist and this run writes nothing (push: false). */
  readonly info: RepositoryInfo | undefined
  /** What the look-up read of the tags (and the digest); empty when the repository was absent. */
  readonly existing: ImageLookup
  readonly existingTags: ExistingTags
}

export async function openTarget(
  deps: { readonly ecr: Ecr; readonly runner: Runner; readonly sleep?: ((ms: number) => Promise<void>) | undefined },
  lookup: TargetLookup,
  policy: TargetPolicy
): Promise<Target> {
  const registry = unwrap(lookup.registry)
  const found = unwrap(lookup.repository)
  let info: RepositoryInfo | undefined
  let existing: ImageLookup = { byTag: new Map(), byDigest: new Map() }
  if ('absent' in found) {
    if (policy.whenAbsent.kind === 'continue') {
      deps.runner.info(policy.whenAbsent.note)
    } else if (policy.whenAbsent.kind === 'refuse') {
      throw new UserError(repositoryMissing({ repository: policy.repository, region: policy.region, registryId: found.registryId }))
    } else {
      const refusal = newRepositoryFloatingRefusal(policy.repository, policy.floatingTags)
      if (refusal) throw new UserError(refusal)
      await policy.whenAbsent.beforeCreate?.()
      info = await createImmutableRepository(deps.ecr, deps.runner, policy.repository)
    }
  } else {
    info = found
    existing = unwrap(lookup.existing)
  }
  if (info) applyMutabilityPolicy(deps.runner, info, policy)
  const floatingRefusal = info && floatingTagRefusal(info, policy.floatingTags)
  if (floatingRefusal) throw new UserError(floatingRefusal)
  return {
    ecr: deps.ecr,
    runner: deps.runner,
    sleep: deps.sleep,
    registry,
    registryHost: registry.registryHost,
    repository: policy.repository,
    info,
    existing,
    existingTags: new Map(policy.tags.map((tag) => [tag, digestsByTag(existing.byTag).get(tag)])),
    anyMutable: info !== undefined && mutableTags(info, policy.tags).length > 0
  }
}

/**
 * require-immutable-repository, and what the log says of tags ECR would let be overwritten: commitTags
 * waits for a MUTABLE tag to settle before it proves it.
 */
function applyMutabilityPolicy(runner: Pick<Runner, 'info'>, repository: RepositoryInfo, policy: TargetPolicy): void {
  runner.info(`Repository ${repository.name}: tag mutability ${describeMutability(repository)}.`)
  const mutable = mutableTags(repository, policy.tags)
  if (mutable.length === 0) return
  if (policy.requireImmutableRepository) {
    throw new UserError(
      `Repository ${repository.name} is ${describeMutability(repository)}, so ECR would let these tags be overwritten: ${mutable.join(', ')}. Set the repository's tag mutability to IMMUTABLE (or exclude none of these tags), or set require-immutable-repository: false.`
    )
  }
  runner.info(
    `ECR does not protect ${mutable.join(', ')} from being overwritten; this action re-checks right before writing each tag, but only IMMUTABLE makes that atomic.`
  )
}
