import { UserError } from '../shared/errors.js'

/** Docker's tag grammar, which ECR enforces too. */
const TAG_PATTERN = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/
const TAG_PREFIX_PATTERN = /^[A-Za-z0-9_.-]*$/

export const MIN_SHA_LENGTH = 7

export function isValidTag(tag: string): boolean {
  return TAG_PATTERN.test(tag)
}

export interface TagSpec {
  readonly sha: string
  readonly tagPrefix: string
  readonly shaLength: number
  readonly extraTags: readonly string[]
}

export interface DerivedTags {
  /** The commit tag: the one every deploy can trace back to a commit. */
  readonly shaTag: string
  /** The SHA tag first, then the extra tags, without duplicates. */
  readonly all: readonly string[]
}

export function deriveTags(spec: TagSpec): DerivedTags {
  if (!TAG_PREFIX_PATTERN.test(spec.tagPrefix)) {
    throw new UserError(`Input 'tag-prefix' '${spec.tagPrefix}' is not allowed: use only letters, digits, '_', '.' and '-'.`)
  }
  if (spec.shaLength > spec.sha.length) {
    throw new UserError(
      `Input 'sha-length' ${spec.shaLength} is longer than the ${spec.sha.length}-character SHA: use ${MIN_SHA_LENGTH} to ${spec.sha.length}.`
    )
  }
  const shaTag = `${spec.tagPrefix}${spec.sha.slice(0, spec.shaLength)}`
  if (!isValidTag(shaTag)) {
    throw new UserError(
      `Input 'tag-prefix' '${spec.tagPrefix}' makes the tag '${shaTag}' invalid: a tag starts with a letter, digit or '_' and has at most 128 characters.`
    )
  }
  for (const extra of spec.extraTags) {
    if (!isValidTag(extra)) {
      throw new UserError(
        `Input 'extra-tags' has an invalid tag '${extra}': a tag is 1 to 128 of letters, digits, '_', '.' and '-', and does not start with '.' or '-'.`
      )
    }
  }
  return { shaTag, all: [...new Set([shaTag, ...spec.extraTags])] }
}
