import type { Ecr, StoredImage } from '../adapters/ecr.js'
import { UserError } from '../shared/errors.js'
import { readAfterWrite } from '../shared/read-after-write.js'
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

export interface FloatingMove {
  readonly ecr: Pick<Ecr, 'getImages' | 'putTag'>
  readonly repository: string
  /** The proven image, with the manifest bytes the registry serves: PutImage of these bytes keeps the digest. */
  readonly image: StoredImage
  readonly floating: readonly string[]
  readonly warn: (message: string) => void
  /** Waits for ECR's read-after-write lag in the read-back; a real timer by default. */
  readonly sleep?: ((ms: number) => Promise<void>) | undefined
  readonly log?: ((message: string) => void) | undefined
}

/**
 * Moves each floating tag onto the image, then reads them back. A floating tag another run moved again
 * since is a warning, not a failure: the newer run owns it now; the immutable tags are already proven.
 */
export async function moveFloatingTags(move: FloatingMove): Promise<string[]> {
  const { ecr, repository, image, floating } = move
  if (floating.length === 0) return []
  const moved: string[] = []
  for (const tag of floating) {
    await ecr.putTag(repository, tag, image)
    moved.push(tag)
  }
  // A tag not found right after it was written is ECR's read-after-write lag (waited for); another digest is another run.
  const served = await readAfterWrite(
    () =>
      ecr.getImages(
        repository,
        floating.map((tag) => ({ tag }))
      ),
    (found) => floating.every((tag) => found.byTag.get(tag) !== undefined),
    { what: `the floating tags ${floating.join(', ')} of ${repository}`, sleep: move.sleep, log: move.log }
  )
  for (const tag of floating) {
    const now = served.byTag.get(tag)?.digest
    if (now !== image.digest)
      move.warn(
        `${repository}:${tag} names ${now ?? 'nothing'} right after this run moved it to ${image.digest}: another run moved it since. Serialize runs with the workflow 'concurrency:' key.`
      )
  }
  return moved
}

/** The last step of a run that ends with an image in the repository: pushed, reused, or tags added. */
export async function applyFloatingTags(
  ctx: {
    readonly inputs: { readonly repository: string; readonly floatingTags: readonly string[] }
    readonly ecr: Pick<Ecr, 'getImages' | 'putTag'>
    readonly runner: { info(message: string): void; warning(message: string): void }
    readonly sleep?: ((ms: number) => Promise<void>) | undefined
  },
  digest: string
): Promise<void> {
  const { repository, floatingTags } = ctx.inputs
  if (floatingTags.length === 0 || !digest) return
  const image = (await ctx.ecr.getImages(repository, [{ digest }])).byDigest.get(digest)
  if (!image)
    throw new UserError(`${repository}@${digest} is no longer in the repository, so floating-tags ${floatingTags.join(', ')} were not moved; re-run the job.`)
  const moved = await moveFloatingTags({
    ecr: ctx.ecr,
    repository,
    image,
    floating: floatingTags,
    warn: (message) => ctx.runner.warning(message),
    sleep: ctx.sleep,
    log: (message) => ctx.runner.info(message)
  })
  const kept = floatingTags.filter((tag) => !moved.includes(tag))
  ctx.runner.info(
    `Floating tags on ${digest}: ${moved.length ? `moved ${moved.join(', ')}` : ''}${moved.length && kept.length ? '; ' : ''}${kept.length ? `already there ${kept.join(', ')}` : ''}.`
  )
}

/** create-repository makes an IMMUTABLE repository, where no floating tag can move: refuse before creating it. */
export function newRepositoryFloatingRefusal(repository: string, floating: readonly string[]): string | undefined {
  if (floating.length === 0) return undefined
  return `Input 'floating-tags': create-repository would create ${repository} IMMUTABLE, where ${floating.join(', ')} could be written once only. Nothing was created or built; create the repository as IMMUTABLE_WITH_EXCLUSION with the exclusion filter${floating.length === 1 ? '' : 's'} ${floating.map((tag) => `'${tag}'`).join(', ')} first, or drop floating-tags.`
}
