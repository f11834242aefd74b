import { readFileSync } from 'node:fs'
import type { CommitSource } from '../commit.js'

export interface GitHubContext extends CommitSource {
  /** e.g. https://github.com/acme/web, for the org.opencontainers.image.source label. */
  readonly repositoryUrl: string
}

/**
 * Reads the workflow's event straight from GITHUB_EVENT_PATH. @actions/github would do the same but
 * also loads an Octokit client the action never uses, which costs start-up time on every run.
 */
export function readGitHubContext(env: NodeJS.ProcessEnv): GitHubContext {
  const payload = readEventPayload(env.GITHUB_EVENT_PATH)
  const serverUrl = (env.GITHUB_SERVER_URL || 'https://github.com').replace(/\/+$/, '')
  return {
    eventName: env.GITHUB_EVENT_NAME ?? '',
    githubSha: env.GITHUB_SHA ?? '',
    pullRequestHeadSha: payload?.pull_request?.head?.sha,
    repositoryUrl: env.GITHUB_REPOSITORY ? `${serverUrl}/${env.GITHUB_REPOSITORY}` : ''
  }
}

interface EventPayload {
  pull_request?: { head?: { sha?: string } }
}

function readEventPayload(path: string | undefined): EventPayload | undefined {
  if (!path) return undefined
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as EventPayload
  } catch {
    return undefined
  }
}
