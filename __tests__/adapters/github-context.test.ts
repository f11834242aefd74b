import { afterAll, afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

// The real @actions/github: it builds its context from process.env once, when it is loaded, so every
// test sets the environment and then loads the adapter (and with it the package) afresh.
const VARIABLES = ['GITHUB_EVENT_PATH', 'GITHUB_EVENT_NAME', 'GITHUB_SHA', 'GITHUB_REPOSITORY', 'GITHUB_SERVER_URL', 'GITHUB_RUN_ID']
const dir = mkdtempSync(join(tmpdir(), 'ieb-event-'))
let saved: Record<string, string | undefined>

beforeEach(() => {
  saved = Object.fromEntries(VARIABLES.map((name) => [name, process.env[name]]))
  for (const name of VARIABLES) delete process.env[name]
  jest.resetModules()
})
afterEach(() => {
  jest.restoreAllMocks()
  for (const [name, value] of Object.entries(saved)) {
    if (value === undefined) delete process.env[name]
    else process.env[name] = value
  }
})
afterAll(() => rmSync(dir, { recursive: true, force: true }))

function eventFile(name: string, content: string): string {
  const path = join(dir, name)
  writeFileSync(path, content)
  return path
}

async function contextFor(env: Record<string, string>) {
  Object.assign(process.env, env)
  const { readGitHubContext } = await import('../../src/adapters/github-context.js')
  return readGitHubContext()
}

async function failureFor(env: Record<string, string>): Promise<Error> {
  const failure = await contextFor(env).then(
    () => undefined,
    (error: unknown) => error as Error
  )
  if (!failure) throw new Error('readGitHubContext accepted the event')
  return failure
}

const HEAD = '2222222222222222222222222222222222222222'
const GITHUB_SHA = '1111111111111111111111111111111111111111'
const HINT = 'the runner writes it before the job starts; check that no earlier step changes GITHUB_EVENT_PATH or that file.'

describe('readGitHubContext', () => {
  it('reads a pull_request event: the head SHA from the payload, GITHUB_SHA kept apart', async () => {
    const path = eventFile('pr.json', JSON.stringify({ pull_request: { number: 7, head: { sha: HEAD, ref: 'feature' } } }))
    await expect(
      contextFor({
        GITHUB_EVENT_PATH: path,
        GITHUB_EVENT_NAME: 'pull_request',
        GITHUB_SHA,
        GITHUB_REPOSITORY: 'acme/web',
        GITHUB_SERVER_URL: 'https://github.com',
        GITHUB_RUN_ID: '16842214551'
      })
    ).resolves.toEqual({
      eventName: 'pull_request',
      githubSha: GITHUB_SHA,
      pullRequestHeadSha: HEAD,
      repositoryUrl: 'https://github.com/acme/web',
      runId: '16842214551'
    })
  })

  it('a push event has no head SHA', async () => {
    const path = eventFile('push.json', JSON.stringify({ ref: 'refs/heads/main', after: GITHUB_SHA }))
    await expect(contextFor({ GITHUB_EVENT_PATH: path, GITHUB_EVENT_NAME: 'push', GITHUB_SHA, GITHUB_REPOSITORY: 'acme/web' })).resolves.toEqual({
      eventName: 'push',
      githubSha: GITHUB_SHA,
      pullRequestHeadSha: undefined,
      repositoryUrl: 'https://github.com/acme/web',
      runId: ''
    })
  })

  it('takes the repository from the payload when GITHUB_REPOSITORY is not set', async () => {
    const path = eventFile('repo.json', JSON.stringify({ repository: { name: 'web', owner: { login: 'acme' } } }))
    expect((await contextFor({ GITHUB_EVENT_PATH: path })).repositoryUrl).toBe('https://github.com/acme/web')
  })

  it.each([
    ['https://ghe.example.com/', 'https://ghe.example.com/acme/web'],
    ['https://ghe.example.com', 'https://ghe.example.com/acme/web'],
    ['', 'https://github.com/acme/web']
  ])('server URL %j gives repository URL %s', async (serverUrl, url) => {
    expect((await contextFor({ GITHUB_REPOSITORY: 'acme/web', GITHUB_SERVER_URL: serverUrl })).repositoryUrl).toBe(url)
  })

  it('without an event file or any variable (a run outside GitHub) everything is empty', async () => {
    await expect(contextFor({})).resolves.toEqual({ eventName: '', githubSha: '', pullRequestHeadSha: undefined, repositoryUrl: '', runId: '' })
  })

  it('a pull_request without head gives no head SHA (commit.ts says what to do)', async () => {
    const path = eventFile('nohead.json', JSON.stringify({ pull_request: {} }))
    expect((await contextFor({ GITHUB_EVENT_PATH: path, GITHUB_EVENT_NAME: 'pull_request' })).pullRequestHeadSha).toBeUndefined()
  })

  it('a missing event file is an error naming the file, and nothing is written to the log', async () => {
    const write = jest.spyOn(process.stdout, 'write').mockImplementation(() => true)
    const path = join(dir, 'does-not-exist.json')
    const error = await failureFor({ GITHUB_EVENT_PATH: path, GITHUB_EVENT_NAME: 'pull_request' })
    expect(error.name).toBe('UserError')
    expect(error.message).toBe(`The event file '${path}' named by GITHUB_EVENT_PATH does not exist: ${HINT}`)
    expect(write).not.toHaveBeenCalled()
  })

  it('an event file that is not JSON is an error naming the file', async () => {
    const path = eventFile('broken.json', '{ not json')
    const error = await failureFor({ GITHUB_EVENT_PATH: path, GITHUB_EVENT_NAME: 'pull_request' })
    expect(error.name).toBe('UserError')
    expect(error.message).toMatch(new RegExp(`^The event file '${path}' named by GITHUB_EVENT_PATH cannot be read as JSON \\(.*JSON.*\\): `))
    expect(error.message.endsWith(HINT)).toBe(true)
  })

  it('an event path that cannot be read (a folder) is an error naming it', async () => {
    const path = join(dir, 'a-folder')
    mkdirSync(path)
    const error = await failureFor({ GITHUB_EVENT_PATH: path })
    expect(error.name).toBe('UserError')
    expect(error.message).toContain(`The event file '${path}' named by GITHUB_EVENT_PATH cannot be read as JSON (`)
    expect(error.message).toContain('EISDIR')
  })
})

describe('toGitHubContext', () => {
  it.each([
    ['a head SHA that is not a string', { pull_request: { head: { sha: 42 } } }],
    ['a payload that is JSON null', null as unknown as object]
  ])('%s gives no head SHA', async (_name, payload) => {
    const { toGitHubContext } = await import('../../src/adapters/github-context.js')
    expect(toGitHubContext({ eventName: 'pull_request', sha: GITHUB_SHA, payload, serverUrl: undefined, repository: undefined, runId: undefined })).toEqual({
      eventName: 'pull_request',
      githubSha: GITHUB_SHA,
      pullRequestHeadSha: undefined,
      repositoryUrl: '',
      runId: ''
    })
  })

  it.each([
    [16842214551, '16842214551'],
    [Number.NaN, ''],
    [0, ''],
    [-5, ''],
    [2 ** 60, ''],
    [undefined, '']
  ])('run id %p reads as %j', async (runId, expected) => {
    const { toGitHubContext } = await import('../../src/adapters/github-context.js')
    expect(toGitHubContext({ eventName: 'push', sha: GITHUB_SHA, payload: {}, serverUrl: undefined, repository: undefined, runId }).runId).toBe(expected)
  })
})
