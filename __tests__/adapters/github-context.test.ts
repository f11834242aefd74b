import { afterAll, describe, expect, it } from '@jest/globals'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { readGitHubContext } from '../../src/adapters/github-context.js'

const dir = mkdtempSync(join(tmpdir(), 'ieb-event-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

function eventFile(name: string, content: string): string {
  const path = join(dir, name)
  writeFileSync(path, content)
  return path
}

const HEAD = '2222222222222222222222222222222222222222'
const GITHUB_SHA = '1111111111111111111111111111111111111111'

describe('readGitHubContext', () => {
  it('reads a pull_request event: the head SHA from the payload, GITHUB_SHA kept apart', () => {
    const path = eventFile('pr.json', JSON.stringify({ pull_request: { number: 7, head: { sha: HEAD, ref: 'feature' } } }))
    expect(
      readGitHubContext({
        GITHUB_EVENT_PATH: path,
        GITHUB_EVENT_NAME: 'pull_request',
        GITHUB_SHA,
        GITHUB_REPOSITORY: 'acme/web',
        GITHUB_SERVER_URL: 'https://github.com'
      })
    ).toEqual({ eventName: 'pull_request', githubSha: GITHUB_SHA, pullRequestHeadSha: HEAD, repositoryUrl: 'https://github.com/acme/web' })
  })

  it('a push event has no head SHA', () => {
    const path = eventFile('push.json', JSON.stringify({ ref: 'refs/heads/main', after: GITHUB_SHA }))
    expect(readGitHubContext({ GITHUB_EVENT_PATH: path, GITHUB_EVENT_NAME: 'push', GITHUB_SHA, GITHUB_REPOSITORY: 'acme/web' })).toEqual({
      eventName: 'push',
      githubSha: GITHUB_SHA,
      pullRequestHeadSha: undefined,
      repositoryUrl: 'https://github.com/acme/web'
    })
  })

  it.each([
    ['https://ghe.example.com/', 'https://ghe.example.com/acme/web'],
    ['https://ghe.example.com', 'https://ghe.example.com/acme/web'],
    ['', 'https://github.com/acme/web'],
    [undefined, 'https://github.com/acme/web']
  ])('server URL %j gives repository URL %s', (serverUrl, url) => {
    expect(readGitHubContext({ GITHUB_REPOSITORY: 'acme/web', GITHUB_SERVER_URL: serverUrl }).repositoryUrl).toBe(url)
  })

  it.each([
    ['no GITHUB_EVENT_PATH', {}],
    ['a missing event file', { GITHUB_EVENT_PATH: join(dir, 'does-not-exist.json') }],
    ['an event file that is not JSON', { GITHUB_EVENT_PATH: eventFile('broken.json', '{ not json') }],
    ['a pull_request without head', { GITHUB_EVENT_PATH: eventFile('nohead.json', JSON.stringify({ pull_request: {} })) }]
  ])('%s gives no head SHA and empty defaults', (_name, env) => {
    expect(readGitHubContext(env)).toEqual({ eventName: '', githubSha: '', pullRequestHeadSha: undefined, repositoryUrl: '' })
  })
})
