import { configLabel, REVISION_LABEL } from '../shared/image-labels.js'
import type { IfTagExists } from '../shared/tag-policy.js'
import type { ExistingTags } from '../shared/tag-policy.js'

/**
 * Release tags on the image already built: the SHA tag exists (the push to main built it) and the tag
 * push asks for more tags on the same commit. Rebuilding would make a new digest for the same source,
 * so the missing tags are written onto the stored image instead, after checking it is this commit's.
 */

export { REVISION_LABEL }

export type AdditionPlan =
  /** Not a tag addition: decideOnExistingTags decides as before. */
  { readonly kind: 'none' } | { readonly kind: 'add'; readonly digest: string; readonly missing: readonly string[] }

/**
 * Only under if-tag-exists: skip, only when the SHA tag exists, every present tag names its digest and
 * at least one requested tag is absent. With fail an existing SHA tag still refuses the run: a team
 * that chose fail asked never to touch an existing commit's image. Any other mix is left to
 * decideOnExistingTags, which refuses it.
 */
export function planTagAddition(tags: readonly string[], shaTag: string, existing: ExistingTags, ifTagExists: IfTagExists): AdditionPlan {
  if (ifTagExists !== 'skip') return { kind: 'none' }
  const digest = existing.get(shaTag)
  if (digest === undefined) return { kind: 'none' }
  const present = tags.filter((tag) => existing.get(tag) !== undefined)
  if (present.some((tag) => existing.get(tag) !== digest)) return { kind: 'none' }
  const missing = tags.filter((tag) => existing.get(tag) === undefined)
  return missing.length === 0 ? { kind: 'none' } : { kind: 'add', digest, missing }
}

/** One runnable image's config as read from the registry: its digest and its revision label, if any. */
export interface ServedConfig {
  readonly manifestDigest: string
  readonly revision: string | undefined
}

export type RevisionCheck = { readonly ok: true } | { readonly ok: false; readonly reason: string }

/**
 * The stored image is this commit's build when every platform's config carries the revision label the
 * action sets (buildx-args.ts) and it equals the commit. One platform built from another commit (a
 * hand-pushed index) is enough to refuse.
 */
export function checkRevision(imageDigest: string, configs: readonly ServedConfig[], sha: string): RevisionCheck {
  if (configs.length === 0) return { ok: false, reason: `${imageDigest} has no runnable image whose config could be read` }
  for (const config of configs) {
    const where = config.manifestDigest === imageDigest ? imageDigest : `${imageDigest} (platform ${config.manifestDigest})`
    if (config.revision === undefined)
      return { ok: false, reason: `${where} has no ${REVISION_LABEL} label, so it cannot be shown to be commit ${sha}'s build` }
    if (config.revision !== sha) return { ok: false, reason: `${where} was built from ${config.revision} (label ${REVISION_LABEL}), not ${sha}` }
  }
  return { ok: true }
}

/** The refusal of an if-tag-exists: skip reuse whose tags name an image that is not shown to be this commit's. */
export function reuseRefusal(repository: string, tags: readonly string[], shaTag: string, reason: string): string {
  return `Cannot reuse ${tags.join(', ')} in ${repository} (if-tag-exists: skip): ${shaTag} names ${reason}. Nothing was written; build this commit under a new tag-prefix or a longer sha-length.`
}

/** The revision label of an image config blob; undefined when absent or not a string. */
export function revisionOf(configBlob: Buffer): string | undefined {
  return configLabel(configBlob, REVISION_LABEL)
}
