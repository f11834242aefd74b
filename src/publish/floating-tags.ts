import { UserError } from '../shared/errors.js'
import { describeMutability, isTagImmutable, type RepositoryInfo } from '../shared/tag-policy.js'
import { isValidTag } from './tags.js'

/**
 * Floating tags (`latest`, `staging`) are meant to move, so they sit apart from the tags this action
 * never changes: they never count for if-tag-exists, they are written last (after every immutable tag
 * is proven), and only where ECR lets them move. One ECR keeps immutable could be written once only.
 */

/** Validates `floating-tags` like `extra-tags`, and keeps them apart from the immutable tags. */
export function parseFloatingTags(list: readonly string[]): string[] {
  for (const tag of list) {
    if (!isValidTag(tag)) {
      throw new UserError(
        `Input 'floating-tags' has an invalid tag '${tag}': a tag is 1 to 128 of letters, digits, '_', '.' and '-', and does not start with '.' or '-'.`
      )
    }
  }
  return [...new Set(list)]
}

export function assertFloatingApart(floating: readonly string[], immutable: readonly string[]): void {
  const both = floating.filter((tag) => immutable.includes(tag))
  if (both.length) {
    throw new UserError(
      `Input 'floating-tags' repeats ${both.join(', ')}, which ${both.length === 1 ? 'is' : 'are'} also the SHA tag or in extra-tags: a tag either moves or never changes; remove it from one of them.`
    )
  }
}

/**
 * The refusal, before anything is built, when ECR would keep a floating tag immutable. The message
 * names the exclusion filter to add; undefined when every floating tag can move.
 */
export function floatingTagRefusal(repository: RepositoryInfo, floating: readonly string[]): string | undefined {
  const stuck = floating.filter((tag) => isTagImmutable(repository, tag))
  if (stuck.length === 0) return undefined
  const fix =
    repository.mutability === 'MUTABLE_WITH_EXCLUSION'
      ? `remove the exclusion filter that matches ${stuck.join(', ')}`
      : `set the repository to IMMUTABLE_WITH_EXCLUSION with the exclusion filter${stuck.length === 1 ? '' : 's'} ${stuck.map((tag) => `'${tag}'`).join(', ')} (aws ecr put-image-tag-mutability --repository-name ${repository.name} --image-tag-mutability IMMUTABLE_WITH_EXCLUSION --image-tag-mutability-exclusion-filters ${stuck.map((tag) => `filterType=WILDCARD,filter=${tag}`).join(' ')})`
  return `Input 'floating-tags': ECR keeps ${stuck.join(', ')} immutable in ${repository.name} (${describeMutability(repository)}), so ${stuck.length === 1 ? 'it' : 'they'} could be written once only. Nothing was built; ${fix}, or drop ${stuck.length === 1 ? 'it' : 'them'} from floating-tags.`
}

/** create-repository makes an IMMUTABLE repository, where no floating tag can move: refuse before creating it. */
export function newRepositoryFloatingRefusal(repository: string, floating: readonly string[]): string | undefined {
  if (floating.length === 0) return undefined
  return `Input 'floating-tags': create-repository would create ${repository} IMMUTABLE, where ${floating.join(', ')} could be written once only. Nothing was created or built; create the repository as IMMUTABLE_WITH_EXCLUSION with the exclusion filter${floating.length === 1 ? '' : 's'} ${floating.map((tag) => `'${tag}'`).join(', ')} first, or drop floating-tags.`
}
