import { afterEach, describe, expect, it } from '@jest/globals'
import { BatchGetImageCommand, DescribeRepositoriesCommand, ECRClient, GetAuthorizationTokenCommand } from '@aws-sdk/client-ecr'
import { mockClient } from 'aws-sdk-client-mock'
import { existsSync, mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createEcr } from '../../src/adapters/ecr.js'
import { readGitHubContext } from '../../src/adapters/github-context.js'
import { UserError } from '../../src/shared/errors.js'
import { defaultAdapters, run } from '../../src/build-image/main.js'
import { STATE } from '../../src/build-image/state.js'
import { FAKE_ACCOUNT, FAKE_PASSWORD, FAKE_REGISTRY_HOST, FAKE_TOKEN } from '../../__fixtures__/fake-ecr.js'
import { configDigest, imageManifest, revisionConfig } from '../../__fixtures__/images.js'
import { createWorld, PR_HEAD_SHA, REPOSITORY, SHA, type World, type WorldOptions } from '../../__fixtures__/world.js'

const HOST = FAKE_REGISTRY_HOST
const OTHER = imageManifest(configDigest('another-run'))

let world: World | undefined
afterEach(() => {
  world?.cleanup()
  world = undefined
})

function setup(options: WorldOptions = {}): World {
  world = createWorld(options)
  return world
}

describe('run: a successful push', () => {
  it('sets every output, writes the summary, saves state for the post step, and does not fail', async () => {
    const w = setup({ inputs: { 'extra-tags': 'v1.4.2' } })
    await run(w.adapters())
    const digest = w.docker.builds[0]?.image.digest ?? ''
    expect(w.runner.failures).toEqual([])
    expect(Object.fromEntries(w.runner.outputs)).toEqual({
      digest,
      image: `${HOST}/${REPOSITORY}@${digest}`,
      'image-name': `${HOST}/${REPOSITORY}`,
      'image-uri': `${HOST}/${REPOSITORY}:${SHA}`,
      tag: SHA,
      tags: `${SHA},v1.4.2`,
      registry: HOST,
      repository: REPOSITORY,
      pushed: 'true',
      'platform-digests': JSON.stringify({ 'linux/amd64': digest }),
      platform: 'linux/amd64',
      metadata: JSON.stringify({ ...w.docker.builds[0]?.metadata, 'containerimage.digest': digest }),
      'tags-added': ''
    })
    expect(w.runner.messages('info')[0]).toBe(`Commit ${SHA}; tags: ${SHA}, v1.4.2.`)
    expect(w.runner.messages('info')).toContain(`Image: ${HOST}/${REPOSITORY}@${digest}`)
    expect(w.runner.summaries).toHaveLength(1)
    expect(w.runner.summaries[0]).toContain(`| team/api | \`${SHA}\`, \`v1.4.2\` | \`${digest}\` | pushed |`)
    expect(w.runner.summaries[0]).not.toContain(FAKE_ACCOUNT)
  })

  it('saves isPost first, then a private work folder under RUNNER_TEMP (mode 0700) that main removes itself', async () => {
    const w = setup()
    let duringBuild: { mode: number; config: boolean } | undefined
    w.docker.before = (call) => {
      if (call.args[1] === 'build') {
        const dir = w.runner.state.get(STATE.workDir) ?? ''
        duringBuild = { mode: statSync(dir).mode & 0o777, config: existsSync(join(dir, 'docker-config', 'config.json')) }
      }
      return undefined
    }
    await run(w.adapters())
    const states = w.runner.events.filter((event) => event.kind === 'state')
    expect(states[0]).toEqual({ kind: 'state', name: STATE.isPost, value: 'true' })
    const workDir = w.runner.state.get(STATE.workDir) ?? ''
    expect(workDir).toMatch(new RegExp(`^${w.runnerTemp}/immutable-ecr-build-[0-9a-f]{12}$`))
    expect(duringBuild).toEqual({ mode: 0o700, config: true })
    expect(existsSync(workDir)).toBe(false)
    expect(w.runner.messages('info')).toContain(`Removed ${workDir} (the private docker config with the ECR login).`)
    expect(w.ecr.options).toMatchObject({ region: 'us-east-1', registryId: undefined })
  })

  it('removes the work folder after a failure too', async () => {
    const w = setup()
    w.docker.before = (call) => (call.args[1] === 'build' ? { exitCode: 1, stdout: '', stderr: 'ERROR: boom' } : undefined)
    await run(w.adapters())
    const workDir = w.runner.state.get(STATE.workDir) ?? ''
    expect(w.runner.failures).toHaveLength(1)
    expect(existsSync(workDir)).toBe(false)
  })

  it('masks every build secret value before the first log line, and never shows one', async () => {
    // An empty value (a repository secret a fork's pull request cannot read) has nothing to mask.
    const w = setup({ inputs: { secrets: 'NPM_TOKEN=npm_value_1\nEMPTY=\nBLANK=  \nGH=ghp_value_2 ' } })
    await run(w.adapters())
    expect(w.runner.failures).toEqual([])
    expect(w.runner.events.slice(0, 3).map((event) => event.kind)).toEqual(['state', 'setSecret', 'setSecret'])
    expect(w.runner.secrets.slice(0, 2)).toEqual(['npm_value_1', 'ghp_value_2 '])
    for (const text of w.runner.visibleText()) expect(text).not.toMatch(/npm_value_1|ghp_value_2/)
  })

  it('a secret-files path that does not exist fails before any request, naming input, id and path', async () => {
    const w = setup({ inputs: { 'secret-files': 'npmrc=/nonexistent/.npmrc' } })
    await run(w.adapters())
    expect(w.runner.failures).toEqual([
      "Input 'secret-files': the file '/nonexistent/.npmrc' for secret 'npmrc' does not exist: write it in an earlier step, or fix the path."
    ])
    expect(w.ecr.calls).toEqual([])
    expect(w.docker.calls).toEqual([])
  })

  it('passes region and registry-id to the ECR adapter', async () => {
    const w = setup({ inputs: { 'aws-region': 'eu-west-1', 'registry-id': '210987654321' } })
    await run(w.adapters())
    expect(w.ecr.options).toMatchObject({ region: 'eu-west-1', registryId: '210987654321' })
  })

  it('masks the ECR token and password before any log line that follows the login, and never shows them', async () => {
    const w = setup({ mutability: 'MUTABLE', userDockerConfig: { credsStore: 'desktop' } })
    await run(w.adapters())
    expect(w.runner.secrets).toEqual([FAKE_TOKEN, FAKE_PASSWORD])
    const firstSecret = w.runner.events.findIndex((event) => event.kind === 'setSecret')
    const logs = w.runner.events.filter((event) => ['info', 'debug', 'warning', 'setFailed', 'group'].includes(event.kind))
    const before = logs.filter((event) => w.runner.events.indexOf(event) < firstSecret)
    expect(before.map((event) => event.value)).toEqual([`Commit ${SHA}; tags: ${SHA}.`])
    for (const text of w.runner.visibleText()) {
      expect(text).not.toContain(FAKE_PASSWORD)
      expect(text).not.toContain(FAKE_TOKEN)
    }
  })

  it('a pull_request event tags the head commit, not the merge commit', async () => {
    const w = setup({ env: { GITHUB_EVENT_NAME: 'pull_request' } })
    const eventPath = join(w.root, 'event.json')
    writeFileSync(eventPath, JSON.stringify({ pull_request: { head: { sha: PR_HEAD_SHA } } }))
    w.env.GITHUB_EVENT_PATH = eventPath
    await run(w.adapters())
    expect(w.runner.outputs.get('tag')).toBe(PR_HEAD_SHA)
    expect(w.ecr.tagsOf(REPOSITORY)).toEqual({ [PR_HEAD_SHA]: w.docker.builds[0]?.image.digest })
  })

  it('push: false outputs an empty digest and says nothing was pushed', async () => {
    const w = setup({ inputs: { push: 'false' } })
    await run(w.adapters())
    expect(w.runner.failures).toEqual([])
    expect(w.runner.outputs.get('digest')).toBe('')
    expect(w.runner.outputs.get('image')).toBe('')
    expect(w.runner.outputs.get('pushed')).toBe('false')
    expect(w.runner.messages('info')).toContain('Nothing was pushed (push: false).')
    expect(w.runner.summaries[0]).toContain('built, not pushed (push: false)')
  })

  it('skip on a re-run outputs the existing image with pushed=false', async () => {
    const w = setup({ inputs: { 'if-tag-exists': 'skip' } })
    const built = imageManifest(revisionConfig(SHA))
    w.ecr.store(REPOSITORY, built, SHA)
    await run(w.adapters())
    expect(w.runner.failures).toEqual([])
    expect(w.runner.outputs.get('digest')).toBe(built.digest)
    expect(w.runner.outputs.get('pushed')).toBe('false')
    expect(w.runner.outputs.get('metadata')).toBe('')
    expect(w.docker.buildArgs()).toBeUndefined()
  })

  it('a summary that cannot be written is a warning, not a failure', async () => {
    const w = setup()
    w.runner.summaryError = new Error('EACCES: permission denied')
    await run(w.adapters())
    expect(w.runner.failures).toEqual([])
    expect(w.runner.messages('warning')).toEqual(['Could not write the job summary: EACCES: permission denied'])
    expect(w.runner.outputs.get('pushed')).toBe('true')
  })

  it('without RUNNER_TEMP the work folder goes to the system temp folder', async () => {
    const w = setup({ env: { RUNNER_TEMP: '' } })
    try {
      await run(w.adapters())
      expect(w.runner.state.get(STATE.workDir)?.startsWith(join(tmpdir(), 'immutable-ecr-build-'))).toBe(true)
    } finally {
      rmSync(w.runner.state.get(STATE.workDir) ?? join(w.root, 'none'), { recursive: true, force: true })
    }
  })
})

// Issue 15: every read that can fail comes before the first tag; a failure after tags still reports them.
describe('run: never a failure after a tag without saying what it names', () => {
  const denied = new UserError(
    'The registry denied blob of team/api (HTTP 403: DENIED): the role needs ecr:GetDownloadUrlForLayer on team/api (README: IAM policy).'
  )

  it.each<[string, WorldOptions]>([
    ['docker driver, classic store (staging tag)', { driver: 'docker', imageStore: 'classic' }],
    ['docker-container (push by digest)', { driver: 'docker-container' }]
  ])('%s: a config read refused (platform-digests) fails before any tag is written', async (_path, options) => {
    const w = setup({ ...options, inputs: { 'extra-tags': 'v1' } })
    w.registry.before = (call) => {
      if (call.op === 'readBlob') throw denied
    }
    await run(w.adapters())
    expect(w.runner.failures).toEqual([expect.stringContaining('ecr:GetDownloadUrlForLayer')])
    expect(w.ecr.callsOf('putTag').filter((args) => !String(args[1]).startsWith('immutable-ecr-build-staging-'))).toEqual([])
    expect(Object.keys(w.ecr.tagsOf(REPOSITORY)).filter((tag) => !tag.startsWith('immutable-ecr-build-staging-'))).toEqual([])
    expect(w.runner.outputs.size).toBe(0)
  })

  it('a tag write failing after the SHA tag: digest, image and tags name what was written, and one line says so', async () => {
    const w = setup({ driver: 'docker-container', inputs: { 'extra-tags': 'v1' } })
    w.ecr.before = (call, count) => {
      if (call.op === 'putTag' && count === 2) throw new UserError('AWS denied ecr:PutImage on team/api.')
    }
    await run(w.adapters())
    const digest = w.docker.builds[0]?.image.digest ?? ''
    expect(w.ecr.tagsOf(REPOSITORY)).toEqual({ [SHA]: digest })
    expect(Object.fromEntries(w.runner.outputs)).toEqual({ digest, image: `${HOST}/${REPOSITORY}@${digest}`, tags: SHA })
    expect(w.runner.failures).toHaveLength(1)
    expect(w.runner.failures[0]).toMatch(
      new RegExp(
        `^AWS denied ecr:PutImage on team/api\\. This run had already written ${SHA} .* The tag ${SHA} names ${digest}: the step's digest and image outputs name it\\.$`
      )
    )
  })

  it('a floating tag that cannot be moved: every output is set, and the one line names the written tags', async () => {
    const w = setup({ driver: 'docker-container', inputs: { 'extra-tags': 'v1', 'floating-tags': 'latest' }, mutability: 'MUTABLE' })
    w.ecr.before = (call) => {
      if (call.op === 'putTag' && call.args[1] === 'latest') throw new UserError('AWS denied ecr:PutImage on team/api.')
    }
    await run(w.adapters())
    const digest = w.docker.builds[0]?.image.digest ?? ''
    expect(w.runner.outputs.get('digest')).toBe(digest)
    expect(w.runner.outputs.get('image')).toBe(`${HOST}/${REPOSITORY}@${digest}`)
    expect(w.runner.outputs.get('tags')).toBe(`${SHA},v1`)
    expect(w.runner.outputs.get('pushed')).toBe('true')
    expect(w.runner.failures).toEqual([`AWS denied ecr:PutImage on team/api. The tags ${SHA}, v1 name ${digest}: the step's digest and image outputs name it.`])
  })
})

describe('run: failures', () => {
  it('a refused re-run fails the step with one line and still writes the summary with the reason', async () => {
    const w = setup()
    w.ecr.store(REPOSITORY, OTHER, SHA)
    await run(w.adapters())
    const reason = `Tag already exists in team/api: ${SHA} (${OTHER.digest}). Tags are never overwritten; nothing was built or pushed. To reuse the existing image on re-runs set if-tag-exists: skip, or build a new commit.`
    expect(w.runner.failures).toEqual([reason])
    expect(w.runner.outputs.size).toBe(0)
    expect(w.runner.summaries).toHaveLength(1)
    expect(w.runner.summaries[0]).toContain(`| team/api | \`${SHA}\` | — | refused (a tag already exists) | — |`)
    expect(w.runner.summaries[0]).toContain(`Note: ${reason}`)
    expect(w.docker.buildArgs()).toBeUndefined()
  })

  it('a race lost while building writes the refused summary too', async () => {
    const w = setup()
    w.docker.before = (call) => {
      if (call.args[1] === 'build') w.ecr.store(REPOSITORY, OTHER, SHA)
      return undefined
    }
    await run(w.adapters())
    expect(w.runner.failures).toEqual([
      `Another run pushed ${SHA} first (digest ${OTHER.digest}) while this one was building; nothing was overwritten and this run pushed no tag.`
    ])
    expect(w.runner.summaries[0]).toContain('refused (a tag already exists)')
  })

  it.each([
    ['missing repository', { repository: '' }, {}, "Input 'repository' is required: set it to the ECR repository name, e.g. team/api."],
    [
      'a repository URI',
      { repository: `${HOST}/team/api` },
      {},
      `Input 'repository' '${HOST}/team/api' must be the repository name only (e.g. team/api), not a URI, tag or digest.`
    ],
    ['a bad boolean', { push: 'yes' }, {}, "Input 'push' 'yes' is not a boolean: use true or false."],
    ['a bad sha-length', { 'sha-length': '5' }, {}, "Input 'sha-length' '5' is not allowed: use a whole number from 7 to 40 (64 for SHA-256 commits)."],
    ['a bad enum', { 'if-tag-exists': 'overwrite' }, {}, "Input 'if-tag-exists' 'overwrite' is not allowed: use fail, skip."],
    ['no region', {}, { AWS_REGION: '' }, "No AWS region: set the 'aws-region' input, or AWS_REGION (aws-actions/configure-aws-credentials sets it)."],
    ['a bad sha', { sha: 'main' }, {}, "Input 'sha' 'main' is not a commit SHA: expected 40 or 64 hexadecimal characters."],
    ['a bad tag-prefix', { 'tag-prefix': 'a/b' }, {}, "Input 'tag-prefix' 'a/b' is not allowed: use only letters, digits, '_', '.' and '-'."],
    [
      'a bad extra tag',
      { 'extra-tags': '-x' },
      {},
      "Input 'extra-tags' has an invalid tag '-x': a tag is 1 to 128 of letters, digits, '_', '.' and '-', and does not start with '.' or '-'."
    ],
    [
      'a pull_request without payload',
      {},
      { GITHUB_EVENT_NAME: 'pull_request' },
      "The pull_request event payload has no pull_request.head.sha; set the 'sha' input to the commit to tag."
    ],
    [
      'a context that starts with -',
      { context: '--output=/' },
      {},
      "Input 'context' '--output=/' must be a folder path or a Git URL, and must not start with '-'."
    ]
  ])('%s: exactly one one-line failure, no ECR call, no docker call', async (_name, inputs, env, message) => {
    const w = setup({ inputs, env })
    await run(w.adapters())
    expect(w.runner.failures).toEqual([message])
    expect(w.runner.messages('setFailed')).toHaveLength(1)
    expect(w.ecr.options).toBeUndefined()
    expect(w.ecr.calls).toEqual([])
    expect(w.docker.calls).toEqual([])
    expect(w.runner.summaries).toEqual([])
    expect(w.runner.state.get(STATE.workDir)).toBeUndefined()
    expect(w.runner.messages('info')).toEqual([])
  })

  it('a context folder that does not exist is refused before any call', async () => {
    const w = setup()
    const missing = join(w.root, 'nope')
    w.runner.inputs.context = missing
    await run(w.adapters())
    expect(w.runner.failures).toEqual([`Input 'context' '${missing}' does not exist: set it to the folder to build, relative to the workspace.`])
    expect(w.ecr.calls).toEqual([])
  })

  it('a missing Dockerfile is refused before any call, naming the file', async () => {
    const w = setup()
    const empty = join(w.root, 'empty')
    mkdirSync(empty)
    w.runner.inputs.context = empty
    await run(w.adapters())
    expect(w.runner.failures).toEqual([
      `Input 'file': the Dockerfile '${empty}/Dockerfile' does not exist: set file to the Dockerfile's path, or context to the folder that holds it.`
    ])
    expect(w.ecr.calls).toEqual([])
  })

  it('a remote context is left to BuildKit: no local files are checked', async () => {
    const w = setup({ inputs: { context: 'https://github.com/acme/web.git#main' } })
    await run(w.adapters())
    expect(w.runner.failures).toEqual([])
    const build = w.docker.buildArgs() ?? []
    expect(build[build.length - 1]).toBe('https://github.com/acme/web.git#main')
    expect(build.some((arg) => arg.startsWith('--file='))).toBe(false)
  })

  it('a validation error whose value spans lines is still reported on one line', async () => {
    const w = setup({ inputs: { repository: 'team/api\nteam/web' } })
    await run(w.adapters())
    expect(w.runner.failures).toHaveLength(1)
    expect(w.runner.failures[0]).not.toContain('\n')
    expect(w.runner.failures[0]).toContain("Input 'repository' 'team/api team/web'")
  })

  it.each([
    ['a string', 'plain string failure', 'plain string failure'],
    ['an object', { code: 42, reason: 'odd' }, '{"code":42,"reason":"odd"}'],
    ['undefined', undefined, 'undefined'],
    ['null', null, 'null']
  ])('%s thrown by an adapter still fails the step', async (_name, thrown, message) => {
    const w = setup()
    w.ecr.before = (call) => {
      // eslint-disable-next-line @typescript-eslint/only-throw-error -- the point: values that are not Errors
      if (call.op === 'describeRepository') throw thrown
    }
    await run(w.adapters())
    expect(w.runner.failures).toEqual([message])
    expect(w.runner.outputs.size).toBe(0)
  })

  it('hands the ECR adapter the environment (proxy variables) and a log line that reaches the job log', async () => {
    const w = setup()
    await run({
      ...w.adapters(),
      createEcr: (options) => {
        expect(options.env).toBe(w.env)
        options.log?.('ECR API calls go through the proxy http://proxy.corp:3128 (https_proxy).')
        return w.ecr.factory(options)
      }
    })
    expect(w.runner.failures).toEqual([])
    expect(w.runner.messages('info')).toContain('ECR API calls go through the proxy http://proxy.corp:3128 (https_proxy).')
  })

  it('a non-Error thrown while creating the ECR client still fails the step', async () => {
    const w = setup()
    await run({
      ...w.adapters(),
      createEcr: () => {
        // eslint-disable-next-line @typescript-eslint/only-throw-error -- the point: a string, not an Error
        throw 'no ECR for you'
      }
    })
    expect(w.runner.failures).toEqual(['no ECR for you'])
  })

  it('an unexpected Error sends its stack to the debug log and fails with its message; a UserError logs no stack', async () => {
    const w = setup()
    w.ecr.before = (call) => {
      if (call.op === 'describeRepository') throw new TypeError('Cannot read properties of undefined')
    }
    await run(w.adapters())
    expect(w.runner.failures).toEqual(['Cannot read properties of undefined'])
    expect(w.runner.messages('debug')).toHaveLength(1)
    expect(w.runner.messages('debug')[0]).toMatch(/^TypeError: Cannot read properties of undefined\n {4}at /)
    expect(w.runner.messages('info').some((line) => line.includes('    at '))).toBe(false)

    const v = createWorld({ inputs: { push: 'nope' } })
    try {
      await run(v.adapters())
      expect(v.runner.failures).toEqual(["Input 'push' 'nope' is not a boolean: use true or false."])
      expect(v.runner.messages('debug')).toEqual([])
      expect(v.runner.messages('info')).toEqual([])
    } finally {
      v.cleanup()
    }
  })

  it('an event file that cannot be read fails the step with one line naming the file, before any call', async () => {
    const w = setup()
    const eventPath = join(w.root, 'missing-event.json')
    await run({
      ...w.adapters(),
      github: () => Promise.reject(new UserError(`The event file '${eventPath}' named by GITHUB_EVENT_PATH does not exist.`))
    })
    expect(w.runner.failures).toEqual([`The event file '${eventPath}' named by GITHUB_EVENT_PATH does not exist.`])
    expect(w.runner.messages('debug')).toEqual([])
    expect(w.ecr.calls).toEqual([])
    expect(w.docker.calls).toEqual([])
  })

  it('a missing repository names repository, account and region', async () => {
    const w = setup({ mutability: null, inputs: { 'registry-id': '210987654321', 'aws-region': 'eu-west-1' } })
    await run(w.adapters())
    expect(w.runner.failures).toEqual([
      'Repository team/api does not exist in account 210987654321, region eu-west-1: create it (immutable tags recommended), check the repository, registry-id and aws-region inputs, or set create-repository: true.'
    ])
    expect(w.runner.summaries).toEqual([])
  })
})

describe('run with the real ECR adapter (SDK mocked)', () => {
  const client = new ECRClient({ region: 'us-east-1', credentials: { accessKeyId: 'a', secretAccessKey: 'b' } })
  const ecrMock = mockClient(client)
  afterEach(() => {
    ecrMock.reset()
  })

  it('masks the token and the password before anything after the login is logged', async () => {
    const password = 'real-adapter-password-123'
    const token = Buffer.from(`AWS:${password}`).toString('base64')
    ecrMock.on(GetAuthorizationTokenCommand).resolves({ authorizationData: [{ authorizationToken: token, proxyEndpoint: `https://${HOST}` }] })
    ecrMock.on(DescribeRepositoriesCommand).resolves({ repositories: [{ repositoryName: REPOSITORY, imageTagMutability: 'IMMUTABLE' }] })
    ecrMock.on(BatchGetImageCommand).resolves({
      images: [{ imageId: { imageTag: SHA, imageDigest: OTHER.digest }, imageManifest: OTHER.manifest, imageManifestMediaType: OTHER.mediaType }]
    })
    const w = setup()
    await run({ ...w.adapters(), createEcr: (options) => createEcr({ ...options, client }) })

    expect(w.runner.secrets).toEqual([token, password])
    const events = w.runner.events
    const firstSecret = events.findIndex((event) => event.kind === 'setSecret')
    const logsBefore = events.slice(0, firstSecret).filter((event) => event.kind !== 'state')
    expect(logsBefore).toEqual([{ kind: 'info', value: `Commit ${SHA}; tags: ${SHA}.` }])
    expect(w.runner.failures).toEqual([
      `Tag already exists in team/api: ${SHA} (${OTHER.digest}). Tags are never overwritten; nothing was built or pushed. To reuse the existing image on re-runs set if-tag-exists: skip, or build a new commit.`
    ])
    for (const text of w.runner.visibleText()) {
      expect(text).not.toContain(password)
      expect(text).not.toContain(token)
    }
  })
})

describe('defaultAdapters', () => {
  it('wires the real runner, environment, ECR factory, GitHub context, docker and clock', () => {
    const adapters = defaultAdapters()
    expect(adapters.env).toBe(process.env)
    expect(adapters.createEcr).toBe(createEcr)
    expect(adapters.github).toBe(readGitHubContext)
    expect(typeof adapters.docker.run).toBe('function')
    expect(typeof adapters.runner.setFailed).toBe('function')
    const now = adapters.now()
    expect(Math.abs(now.getTime() - Date.now())).toBeLessThan(5000)
  })
})
