/** What a run does when a tag it would write already exists (input if-tag-exists). */
export type IfTagExists = 'fail' | 'skip'

export type TagMutability = 'MUTABLE' | 'IMMUTABLE' | 'IMMUTABLE_WITH_EXCLUSION' | 'MUTABLE_WITH_EXCLUSION'

export interface RepositoryInfo {
  readonly name: string
  readonly uri: string
  readonly registryId: string
  readonly mutability: TagMutability
  /** WILDCARD filters of the *_WITH_EXCLUSION settings. */
  readonly exclusionFilters: readonly string[]
}

/** ECR's WILDCARD filters: `*` matches any run of characters, everything else literally. */
export function wildcardMatches(filter: string, tag: string): boolean {
  const pattern = filter
    .split('*')
    .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*')
  return new RegExp(`^${pattern}$`).test(tag)
}

/** Whether ECR itself refuses to overwrite this tag in this repository. */
export function isTagImmutable(repository: RepositoryInfo, tag: string): boolean {
  const excluded = repository.exclusionFilters.some((filter) => wildcardMatches(filter, tag))
  switch (repository.mutability) {
    case 'IMMUTABLE':
      return true
    case 'MUTABLE':
      return false
    case 'IMMUTABLE_WITH_EXCLUSION':
      return !excluded
    case 'MUTABLE_WITH_EXCLUSION':
      return excluded
  }
}

export function describeMutability(repository: RepositoryInfo): string {
  const filters = repository.exclusionFilters.length ? ` (exclusion filters: ${repository.exclusionFilters.join(', ')})` : ''
  return `${repository.mutability}${filters}`
}

/** Tags ECR would let another writer move; require-immutable-repository refuses these. */
export function mutableTags(repository: RepositoryInfo, tags: readonly string[]): string[] {
  return tags.filter((tag) => !isTagImmutable(repository, tag))
}

/** What the registry says each tag points to now; undefined means the tag does not exist. */
export type ExistingTags = ReadonlyMap<string, string | undefined>

export type TagDecision =
  { readonly kind: 'build' } | { readonly kind: 'reuse'; readonly digest: string } | { readonly kind: 'refuse'; readonly reason: string }

/**
 * All-or-nothing: build only when no tag exists; reuse only when every tag exists on one digest.
 * Anything in between would leave an image half-tagged, so it is refused in either mode.
 */
export function decideOnExistingTags(tags: readonly string[], existing: ExistingTags, ifTagExists: IfTagExists, repositoryName: string): TagDecision {
  const present = tags.filter((tag) => existing.get(tag) !== undefined)
  if (present.length === 0) return { kind: 'build' }

  const listing = present.map((tag) => `${tag} (${existing.get(tag)})`).join(', ')
  if (ifTagExists === 'fail') {
    return {
      kind: 'refuse',
      reason: `${present.length === 1 ? 'Tag already exists' : 'Tags already exist'} in ${repositoryName}: ${listing}. Tags are never overwritten; nothing was built or pushed. To reuse the existing image on re-runs set if-tag-exists: skip, or build a new commit.`
    }
  }
  const digests = new Set(present.map((tag) => existing.get(tag)))
  if (present.length === tags.length && digests.size === 1) {
    return { kind: 'reuse', digest: [...digests][0] as string }
  }
  const absent = tags.filter((tag) => existing.get(tag) === undefined)
  const why = digests.size > 1 ? 'the existing tags name different images' : `${absent.join(', ')} ${absent.length === 1 ? 'does' : 'do'} not exist yet`
  return {
    kind: 'refuse',
    reason: `if-tag-exists: skip needs every tag on one image, but ${why}: ${listing}. Nothing was built or pushed; remove the conflicting extra-tags or use tags that are all new.`
  }
}

/** What a BatchGetImage answer says each tag names (undefined: the tag does not exist). */
export function digestsByTag(byTag: ReadonlyMap<string, { readonly digest: string } | undefined>): ExistingTags {
  return new Map([...byTag].map(([tag, image]) => [tag, image?.digest]))
}
