import { existsSync } from 'node:fs'
import type { CommitSource } from '../shared/commit.js'
import { UserError, errorMessage } from '../shared/errors.js'

export interface GitHubContext extends CommitSource {
  /** e.g. https://github.com/acme/web, for the org.opencontainers.image.source label. */
  readonly repositoryUrl: string
  /** GITHUB_RUN_ID, the same for every attempt of a workflow run; '' outside GitHub Actions. */
  readonly runId: string
}

/** The parts of @actions/github's `context` this action reads. */
export interface GitHubEvent {
  readonly eventName: string | undefined
  readonly sha: string | undefined
  /** The webhook payload as JSON gave it: nothing in it is trusted to have a type. */
  readonly payload: object
  readonly serverUrl: string | undefined
  /** owner/name, from GITHUB_REPOSITORY or the payload. */
  readonly repository: string | undefined
  /** @actions/github's parseInt of GITHUB_RUN_ID: NaN when it is not set. */
  readonly runId: number | undefined
}

const EVENT_FILE_HINT = 'the runner writes it before the job starts; check that no earlier step changes GITHUB_EVENT_PATH or that file.'

/**
 * The workflow's context from @actions/github. Imported here, when it is first needed, because the package
 * reads and parses GITHUB_EVENT_PATH while it loads: a static import would turn a broken event file into a
 * bare "Unexpected token" thrown before main's catch, and a missing one into a stray log line and no payload.
 * Its package exports map offers no entry for the Context class alone, so Octokit loads with it (measured in
 * docs/performance.md).
 */
export async function readGitHubContext(): Promise<GitHubContext> {
  const eventPath = process.env.GITHUB_EVENT_PATH
  if (eventPath && !existsSync(eventPath)) {
    throw new UserError(`The event file '${eventPath}' named by GITHUB_EVENT_PATH does not exist: ${EVENT_FILE_HINT}`)
  }
  const { context } = await import('@actions/github').catch((error: unknown) => {
    if (eventPath && isEventFileError(error)) {
      throw new UserError(`The event file '${eventPath}' named by GITHUB_EVENT_PATH cannot be read as JSON (${errorMessage(error)}): ${EVENT_FILE_HINT}`)
    }
    throw error
  })
  return toGitHubContext({
    eventName: context.eventName,
    sha: context.sha,
    payload: context.payload,
    serverUrl: context.serverUrl,
    repository: repositoryOf(context),
    runId: context.runId
  })
}

/** Pure: what the action takes from the event. */
export function toGitHubContext(event: GitHubEvent): GitHubContext {
  const serverUrl = (event.serverUrl || 'https://github.com').replace(/\/+$/, '')
  return {
    eventName: event.eventName ?? '',
    githubSha: event.sha ?? '',
    pullRequestHeadSha: headShaOf(event.payload),
    repositoryUrl: event.repository ? `${serverUrl}/${event.repository}` : '',
    runId: event.runId !== undefined && Number.isSafeInteger(event.runId) && event.runId > 0 ? String(event.runId) : ''
  }
}

function headShaOf(payload: object): string | undefined {
  const sha = (payload as { pull_request?: { head?: { sha?: unknown } } } | null)?.pull_request?.head?.sha
  return typeof sha === 'string' ? sha : undefined
}

function repositoryOf(context: { readonly repo: { readonly owner: string; readonly repo: string } }): string | undefined {
  try {
    const { owner, repo } = context.repo
    return `${owner}/${repo}`
  } catch {
    // context.repo throws when neither GITHUB_REPOSITORY nor the payload names one (a run outside GitHub).
    return undefined
  }
}

/** JSON.parse's SyntaxError, or readFileSync's system error (EACCES, EISDIR): not a fault of the bundle itself. */
function isEventFileError(error: unknown): boolean {
  const { name, message, syscall } = (error ?? {}) as { name?: unknown; message?: unknown; syscall?: unknown }
  return (name === 'SyntaxError' && typeof message === 'string' && message.includes('JSON')) || typeof syscall === 'string'
}
