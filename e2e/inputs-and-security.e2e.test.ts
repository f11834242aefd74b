// Issue #3: bad inputs fail with one line before any request; shell syntax in inputs never runs;
// the ECR password is masked and gone after the post step, also when main failed.
import { describe, expect, test } from '@jest/globals'
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises'
import { gunzipSync } from 'node:zlib'
import path from 'node:path'
import {
  buildRan,
  contextAt,
  credentialResidue,
  describeRequests,
  exists,
  imageConfig,
  runnableManifest,
  pwnedMarker,
  randomSha,
  stackTraceIn,
  useScenarioKit,
  visibleLog,
  writes
} from './scenario-helpers.js'

const kit = useScenarioKit('inputs')

describe('bad inputs: one ::error:: line naming the input, no stack trace, zero requests', () => {
  const cases: Array<[string, string, Record<string, string>, string]> = [
    ['missing repository', 'repository', { repository: '' }, "Input 'repository' is required"],
    ['uppercase repository', 'repository', { repository: 'Team/API' }, "Input 'repository' 'Team/API' must be lowercase"],
    ['sha-length below 7', 'sha-length', { 'sha-length': '6' }, "Input 'sha-length' '6' is not allowed"],
    ['sha-length not a number', 'sha-length', { 'sha-length': 'short' }, "Input 'sha-length' 'short' is not allowed"],
    ['sha-length longer than the SHA', 'sha-length', { 'sha-length': '41' }, "Input 'sha-length' 41 is longer than the 40-character SHA"],
    ['tag-prefix with a slash', 'tag-prefix', { 'tag-prefix': 'release/' }, "Input 'tag-prefix' 'release/' is not allowed"],
    ['unknown if-tag-exists', 'if-tag-exists', { 'if-tag-exists': 'overwrite' }, "Input 'if-tag-exists' 'overwrite' is not allowed: use fail, skip"],
    ['missing Dockerfile', 'file', { file: 'app/Dockerfile.missing' }, "Input 'file': the Dockerfile 'app/Dockerfile.missing' does not exist"],
    // Issue 15: an untagged leg never writes a tag; under skip extra-tags would be added to the SHA tag's image.
    [
      'untagged with extra-tags under skip',
      'extra-tags',
      { untagged: 'true', 'extra-tags': 'v1.2.3', 'if-tag-exists': 'skip' },
      "Input 'extra-tags' 'v1.2.3' would name one platform's image, and 'untagged' 'true' writes no tag: give extra-tags to the merge action instead."
    ]
  ]

  test.each(cases)('%s', async (_label, _input, inputs, message) => {
    const { endpoint } = kit
    const repository = kit.repository('bad-input')
    endpoint.createRepository(repository, { mutability: 'IMMUTABLE' })

    const { run, requests } = await kit.run({ inputs: { repository, context: 'app', ...inputs }, workspace: await kit.workspace() })

    expect(run.main.exitCode).toBe(1)
    expect(run.errors).toEqual([expect.stringContaining(message)])
    expect(run.errors[0]).not.toContain('\n')
    expect(stackTraceIn(run)).toBeUndefined()
    expect(describeRequests(requests)).toEqual([])
    expect(buildRan(run)).toBe(false)
    expect(run.post?.exitCode).toBe(0)
  })
})

describe('shell syntax in inputs never reaches a shell', () => {
  test.each([
    ['a ; command', (marker: string) => `ctx; touch ${marker}`],
    ['a $( ) substitution', (marker: string) => `$(touch ${marker})`],
    ['backticks and &&', (marker: string) => `\`touch ${marker}\` && touch ${marker}`]
  ])('context with %s is a folder name: built and pushed, nothing runs', async (_label, contextFor) => {
    const { endpoint } = kit
    const repository = kit.repository('ctx')
    endpoint.createRepository(repository, { mutability: 'IMMUTABLE' })
    const marker = pwnedMarker()
    const workspace = await kit.workspace({})
    const context = contextFor(marker)
    // The path exists (as nested folders), so the build really runs with this context.
    await contextAt(workspace, context)

    const { run } = await kit.run({ inputs: { repository, context }, workspace })

    expect(run.errors).toEqual([])
    expect(run.main.exitCode).toBe(0)
    expect(await endpoint.manifestDigest(repository, run.context.sha)).toBe(run.outputs['digest'])
    expect(await exists(marker)).toBe(false)
    expect(await exists(path.join(workspace, path.basename(marker)))).toBe(false)
  })

  test('build-args and labels keep their shell syntax verbatim in the image; nothing runs', async () => {
    const { endpoint } = kit
    const repository = kit.repository('args')
    endpoint.createRepository(repository, { mutability: 'IMMUTABLE' })
    const markers = [pwnedMarker(), pwnedMarker(), pwnedMarker()]
    const payload = `$(touch ${markers[0]}); touch ${markers[0]} && echo \`touch ${markers[0]}\``
    const evil = `$(touch ${markers[1]})`
    const tick = `\`touch ${markers[2]}\` | touch ${markers[2]}`
    const workspace = await kit.workspace({
      app: { dockerfile: 'FROM scratch\nARG PAYLOAD\nCOPY busybox /bin/busybox\nCOPY content.txt /content.txt\nLABEL from-build-arg="${PAYLOAD}"\n' }
    })

    const { run } = await kit.run({
      inputs: { repository, context: 'app', 'build-args': `PAYLOAD=${payload}`, labels: `evil=${evil}\ntick=${tick}` },
      workspace
    })

    expect(run.errors).toEqual([])
    expect(run.main.exitCode).toBe(0)
    const { config } = await imageConfig(endpoint, repository, run.context.sha)
    expect(config.config?.Labels).toMatchObject({ 'from-build-arg': payload, evil, tick })
    for (const marker of markers) expect(await exists(marker)).toBe(false)
  })

  test.each([
    ['tag-prefix', (marker: string) => `$(touch ${marker})`, "Input 'tag-prefix'"],
    ['extra-tags', (marker: string) => `v1;touch ${marker}`, "Input 'extra-tags' has an invalid tag"]
  ])('%s with shell syntax is rejected before anything runs', async (input, valueFor, message) => {
    const { endpoint } = kit
    const repository = kit.repository('rejected')
    endpoint.createRepository(repository, { mutability: 'IMMUTABLE' })
    const marker = pwnedMarker()

    const { run, requests } = await kit.run({ inputs: { repository, context: 'app', [input]: valueFor(marker) }, workspace: await kit.workspace() })

    expect(run.main.exitCode).toBe(1)
    expect(run.errors).toEqual([expect.stringContaining(message)])
    expect(describeRequests(requests)).toEqual([])
    expect(buildRan(run)).toBe(false)
    expect(await exists(marker)).toBe(false)
  })
})

describe('the ECR login', () => {
  test('masked, never printed, and gone after post; the user docker config is left as it was', async () => {
    const { endpoint } = kit
    const repository = kit.repository('secret')
    endpoint.createRepository(repository, { mutability: 'IMMUTABLE' })
    // A user config with another registry's login, as a runner with a docker login step has.
    const userConfig = path.join(kit.root, `user-docker-${randomSha().slice(0, 8)}`)
    await mkdir(userConfig, { recursive: true })
    const userJson = `${JSON.stringify({ auths: { 'ghcr.io': { auth: Buffer.from('octocat:ghp_example').toString('base64') } } }, null, 2)}\n`
    await writeFile(path.join(userConfig, 'config.json'), userJson)

    // post-if skips post after a green main on GitHub; forced here, a post with nothing left to remove must be harmless.
    const { run } = await kit.run({
      inputs: { repository, context: 'app' },
      workspace: await kit.workspace(),
      dockerConfig: userConfig,
      debug: true,
      forcePost: true
    })

    expect(run.main.exitCode).toBe(0)
    expect(run.post?.exitCode).toBe(0)
    expect(run.masks).toContain(endpoint.password)
    expect(run.masks).toContain(Buffer.from(`AWS:${endpoint.password}`).toString('base64'))
    expect(run.leakedSecrets).toEqual([])
    expect(visibleLog(run)).not.toContain(endpoint.password)
    expect(JSON.stringify([run.outputs, run.state, run.env, run.summary])).not.toContain(endpoint.password)
    expect(await credentialResidue(run, endpoint.registryHost, endpoint.password)).toEqual({
      workDirLeft: undefined,
      leftInRunnerTemp: [],
      userConfigEntries: [],
      userFilesWithSecret: []
    })
    expect(await readFile(path.join(userConfig, 'config.json'), 'utf8')).toBe(userJson)
  })

  test('main removes the login itself: nothing is left even without the post step', async () => {
    const { endpoint } = kit
    const repository = kit.repository('no-post')
    endpoint.createRepository(repository, { mutability: 'IMMUTABLE' })

    const { run } = await kit.run({ inputs: { repository, context: 'app' }, workspace: await kit.workspace(), skipPost: true })

    expect(run.main.exitCode).toBe(0)
    expect(run.state['workDir']).toMatch(/immutable-ecr-build-[0-9a-f]{12}$/)
    expect(run.main.stdout).toContain(`Removed ${run.state['workDir']} (the private docker config with the ECR login).`)
    expect(await credentialResidue(run, endpoint.registryHost, endpoint.password)).toEqual({
      workDirLeft: undefined,
      leftInRunnerTemp: [],
      userConfigEntries: [],
      userFilesWithSecret: []
    })
  })

  test('gone after post when main failed: a refused re-run', async () => {
    const { endpoint } = kit
    const repository = kit.repository('secret-refused')
    endpoint.createRepository(repository, { mutability: 'IMMUTABLE' })
    const workspace = await kit.workspace()
    const sha = randomSha()
    const first = await kit.run({ inputs: { repository, context: 'app' }, workspace, sha })
    expect(first.run.main.exitCode).toBe(0)

    const { run } = await kit.run({ inputs: { repository, context: 'app' }, workspace, sha })

    expect(run.main.exitCode).toBe(1)
    expect(run.errors).toEqual([expect.stringContaining('Tag already exists')])
    expect(run.state['workDir']).toBeTruthy()
    expect(run.post?.exitCode).toBe(0)
    expect(run.masks).toContain(endpoint.password)
    expect(run.leakedSecrets).toEqual([])
    expect(await credentialResidue(run, endpoint.registryHost, endpoint.password)).toEqual({
      workDirLeft: undefined,
      leftInRunnerTemp: [],
      userConfigEntries: [],
      userFilesWithSecret: []
    })
  })

  test('gone after post when main failed: a failed build', async () => {
    const { endpoint } = kit
    const repository = kit.repository('secret-build-failed')
    endpoint.createRepository(repository, { mutability: 'IMMUTABLE' })
    const workspace = await kit.workspace({
      app: { dockerfile: 'FROM scratch\nCOPY busybox /bin/busybox\nRUN ["/bin/busybox", "false"]\n' }
    })

    const { run, requests } = await kit.run({ inputs: { repository, context: 'app' }, workspace })

    expect(run.main.exitCode).toBe(1)
    expect(buildRan(run)).toBe(true)
    expect(run.errors).toEqual([expect.stringMatching(/^docker buildx build failed \(exit 1\): /)])
    expect(stackTraceIn(run)).toBeUndefined()
    expect(describeRequests(writes(requests))).toEqual([])
    expect(await endpoint.manifestDigest(repository, run.context.sha)).toBeUndefined()
    expect(run.post?.exitCode).toBe(0)
    expect(run.masks).toContain(endpoint.password)
    expect(run.leakedSecrets).toEqual([])
    expect(await credentialResidue(run, endpoint.registryHost, endpoint.password)).toEqual({
      workDirLeft: undefined,
      leftInRunnerTemp: [],
      userConfigEntries: [],
      userFilesWithSecret: []
    })
  })
})

describe('build secrets', () => {
  test('secrets and secret-files reach RUN --mount=type=secret; the values are masked, not in the image, not on disk', async () => {
    const { endpoint } = kit
    const repository = kit.repository('build-secrets')
    endpoint.createRepository(repository, { mutability: 'IMMUTABLE' })
    const tokenValue = `tok-${randomSha()}`
    const fileValue = `file-${randomSha()}`
    const workspace = await kit.workspace({
      app: {
        dockerfile: [
          'FROM scratch',
          'COPY busybox /bin/busybox',
          // content.txt is new for every workspace, so the RUN below is never a cache hit of an earlier run.
          'COPY content.txt /content.txt',
          // What the image keeps is the secrets' sizes, proof they were mounted; the values stay out.
          'RUN --mount=type=secret,id=api_token --mount=type=secret,id=npmrc ["/bin/busybox", "sh", "-c", "/bin/busybox wc -c /run/secrets/api_token /run/secrets/npmrc > /sizes.txt"]',
          ''
        ].join('\n')
      }
    })
    const secretFile = path.join(workspace, 'npmrc')
    await writeFile(secretFile, fileValue)

    const { run } = await kit.run({
      inputs: { repository, context: 'app', secrets: `api_token=${tokenValue}`, 'secret-files': `npmrc=${secretFile}` },
      workspace
    })

    expect(run.errors).toEqual([])
    expect(run.main.exitCode).toBe(0)
    expect(await endpoint.manifestDigest(repository, run.context.sha)).toBe(run.outputs['digest'])
    expect(run.masks).toContain(tokenValue)
    expect(run.leakedSecrets).toEqual([])
    expect(visibleLog(run)).not.toContain(tokenValue)

    const blobs = await imageBlobs(endpoint, repository, run.context.sha)
    const everything = blobs.join('\n')
    expect(everything).toContain(`${tokenValue.length} /run/secrets/api_token`)
    expect(everything).toContain(`${fileValue.length} /run/secrets/npmrc`)
    expect(everything).not.toContain(tokenValue)
    expect(everything).not.toContain(fileValue)
    expect(await filesContaining(run.runnerTemp, tokenValue)).toEqual([])
  })
})

/** The config and every layer of a one-platform image (through its index, if any), layers uncompressed, as text. */
async function imageBlobs(endpoint: typeof kit.endpoint, repository: string, reference: string): Promise<string[]> {
  const { manifest } = await runnableManifest(endpoint, repository, reference)
  const texts: string[] = []
  for (const digest of [manifest.config?.digest ?? '', ...(manifest.layers ?? []).map((layer) => layer.digest)]) {
    const response = await fetch(`${endpoint.upstreamUrl}/v2/${repository}/blobs/${digest}`)
    if (response.status !== 200) throw new Error(`GET blob ${digest} answered ${response.status}`)
    const body = Buffer.from(await response.arrayBuffer())
    texts.push((body[0] === 0x1f && body[1] === 0x8b ? gunzipSync(body) : body).toString('latin1'))
  }
  return texts
}

async function filesContaining(dir: string, needle: string): Promise<string[]> {
  const found: string[] = []
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile()) continue
    const file = path.join(entry.parentPath, entry.name)
    if ((await readFile(file)).includes(needle)) found.push(file)
  }
  return found
}
