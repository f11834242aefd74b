import { UserError } from './errors.js'

const SHA_PATTERN = /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/

export interface CommitSource {
  readonly eventName: string
  /** GITHUB_SHA: for pull_request events this is the merge commit, not what the author pushed. */
  readonly githubSha: string
  readonly pullRequestHeadSha?: string | undefined
}

const PULL_REQUEST_EVENTS = new Set(['pull_request', 'pull_request_target'])

/**
 * The commit the image is tagged with. Pull requests use the head commit, because GITHUB_SHA is a
 * merge commit that exists only on GitHub and would name an image nobody can trace back to a push.
 */
export function resolveCommitSha(explicitSha: string, source: CommitSource): string {
  if (explicitSha !== '') return validateSha(explicitSha, "Input 'sha'")
  if (PULL_REQUEST_EVENTS.has(source.eventName)) {
    if (!source.pullRequestHeadSha) {
      throw new UserError(`The ${source.eventName} event payload has no pull_request.head.sha; set the 'sha' input to the commit to tag.`)
    }
    return validateSha(source.pullRequestHeadSha, 'The pull request head SHA')
  }
  if (!source.githubSha) {
    throw new UserError("GITHUB_SHA is not set; set the 'sha' input to the commit to tag (40 or 64 hex characters).")
  }
  return validateSha(source.githubSha, 'GITHUB_SHA')
}

function validateSha(value: string, what: string): string {
  const sha = value.trim().toLowerCase()
  if (!SHA_PATTERN.test(sha)) {
    throw new UserError(`${what} '${value}' is not a commit SHA: expected 40 or 64 hexadecimal characters.`)
  }
  return sha
}
