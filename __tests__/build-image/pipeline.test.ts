import { afterEach, describe, expect, it } from '@jest/globals'
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { TagTakenError } from '../../src/adapters/ecr.js'
import { UserError } from '../../src/shared/errors.js'
import { publishImage } from '../../src/build-image/pipeline.js'
import { actionOutputs } from '../../src/publish/report.js'
import { MUTABLE_SETTLE_MIN_MS } from '../../src/publish/commit-tags.js'
import { STAGING_TAG_PREFIX } from '../../src/build-image/upload-through-engine.js'
import { RefusedError, type Outcome } from '../../src/publish/outcome.js'
import { TagsWrittenError } from '../../src/publish/tags-written.js'
import type { DockerCall } from '../../__fixtures__/fake-docker.js'
import { flagValues } from '../../__fixtures__/fake-docker.js'
import { echoThrough, startFakeEngine, type FakeEngine } from '../../__fixtures__/fake-engine.js'
import { FAKE_ACCOUNT, FAKE_PASSWORD, FAKE_REGISTRY_HOST } from '../../__fixtures__/fake-ecr.js'
import { CONFIG_BLOBS, configDigest, imageIndex, imageManifest, revisionConfig } from '../../__fixtures__/images.js'
import { createWorld, REPOSITORY, RUN_ID, SHA, stored, type World, type WorldOptions } from '../../__fixtures__/world.js'

const HOST = FAKE_REGISTRY_HOST
const IMAGE = `${HOST}/${REPOSITORY}`
const OTHER = imageManifest(configDigest('another-run'))
const STAGING = new RegExp(`^${STAGING_TAG_PREFIX}[0-9a-f]{16}$`)

let world: World | undefined
afterEach(() => {
  world?.cleanup()
  world = undefined
})

function setup(options: WorldOptions = {}): World {
  world = createWorld(options)
  return world
}

async function publish(w: World): Promise<Outcome> {
  return publishImage(w.runContext())
}

async function failure(w: World): Promise<Error> {
  try {
    await publish(w)
  } catch (error) {
    return error as Error
  }
  throw new Error('expected publishImage to fail')
}

const argvs = (w: World): string[][] => w.docker.calls.map((call) => [...call.args])
const builtDigest = (w: World): string => (w.docker.builds[0] ?? { image: { digest: 'none' } }).image.digest
const SUFFIX = "No digest is reported; make the repository IMMUTABLE and serialize runs with the workflow 'concurrency:' key."
const stagingTagOf = (w: World): string => (w.docker.callsStartingWith('push')[0]?.args[1] ?? '').slice(IMAGE.length + 1)
const putTags = (w: World): string[] => w.ecr.callsOf('putTag').map((args) => args[1] as string)

describe('first push', () => {
  it('docker driver, IMMUTABLE: docker push of a one-off staging tag, PutImage of every tag, staging tag removed', async () => {
    const w = setup({ inputs: { 'extra-tags': 'v1.4.2, stable' } })
    let getImagesBeforePush = -1
    w.docker.before = (call) => {
      if (call.args[0] === 'push') getImagesBeforePush = w.ecr.callsOf('getImages').length
      return undefined
    }
    const outcome = await publish(w)
    const digest = builtDigest(w)
    const workDir = join(w.runnerTemp, 'work')
    const stagingTag = (w.docker.callsStartingWith('push')[0]?.args[1] ?? '').slice(IMAGE.length + 1)

    expect(outcome).toEqual({
      result: 'pushed',
      registryHost: HOST,
      repository: REPOSITORY,
      shaTag: SHA,
      tags: [SHA, 'v1.4.2', 'stable'],
      digest,
      platformDigests: { 'linux/amd64': digest },
      // containerimage.digest is the pushed manifest, not the local image id --load reported
      metadata: JSON.stringify({ ...w.docker.builds[0]?.metadata, 'containerimage.digest': digest }),
      buildSeconds: expect.any(Number),
      note: undefined
    })
    expect(w.docker.builds[0]?.metadata['containerimage.digest']).not.toBe(digest)
    expect(argvs(w)).toEqual([
      ['buildx', 'inspect'],
      ['info', '--format', '{{json .DriverStatus}}'],
      [
        'buildx',
        'build',
        '--progress=plain',
        `--file=${w.contextDir}/Dockerfile`,
        `--label=org.opencontainers.image.revision=${SHA}`,
        '--label=org.opencontainers.image.source=https://github.com/acme/web',
        '--label=org.opencontainers.image.created=2026-11-25T09:30:00.000Z',
        `--label=io.github.immutable-ecr-build.run-id=${RUN_ID}`,
        `--metadata-file=${workDir}/metadata.json`,
        `--tag=${IMAGE}:${SHA}`,
        `--tag=${IMAGE}:v1.4.2`,
        `--tag=${IMAGE}:stable`,
        `--tag=${IMAGE}:${stagingTag}`,
        '--load',
        w.contextDir
      ],
      // The image's size bounds the push (the engine's push has no idle timeout).
      ['image', 'inspect', '--format', '{{.Size}}', `${IMAGE}:${stagingTag}`],
      ['push', `${IMAGE}:${stagingTag}`],
      ['image', 'rm', `${IMAGE}:${stagingTag}`]
    ])
    expect(stagingTag).toMatch(STAGING)
    expect(getImagesBeforePush).toBe(1) // only the first look: the re-check comes after the upload, right before the tags
    expect(putTags(w)).toEqual([SHA, 'v1.4.2', 'stable'])
    expect(w.ecr.tagsOf(REPOSITORY)).toEqual({ [SHA]: digest, 'v1.4.2': digest, stable: digest })
    expect(w.ecr.callsOf('createRepository')).toEqual([])
    expect(w.ecr.callsOf('deleteTag')).toEqual([[REPOSITORY, stagingTag]])
  })

  it('with no docker context the driver is read from buildx’s config folder: no `buildx inspect`', async () => {
    const w = setup({ env: { DOCKER_CONTEXT: '' } })
    const outcome = await publish(w)
    expect(outcome.result).toBe('pushed')
    expect(w.docker.callsStartingWith('buildx', 'inspect')).toEqual([])
    expect(w.docker.callsStartingWith('push')).toHaveLength(1)
  })

  it('docker commands that touch the registry run with the private DOCKER_CONFIG; buildx inspect with the user’s', async () => {
    const w = setup()
    await publish(w)
    const privateDir = join(w.runnerTemp, 'work', 'docker-config')
    const [inspect, info, build, size, push] = w.docker.calls as [DockerCall, DockerCall, DockerCall, DockerCall, DockerCall]
    expect(inspect.options.env).toBe(w.env)
    expect(info.options.env).toBe(w.env)
    expect(size.args.slice(0, 2)).toEqual(['image', 'inspect'])
    for (const call of [build, size, push]) {
      expect(call.options.env?.DOCKER_CONFIG).toBe(privateDir)
      expect(call.options.env?.BUILDX_CONFIG).toBe(join(w.home, '.docker', 'buildx'))
      expect(call.args.join(' ')).not.toContain(FAKE_PASSWORD)
    }
    const config = JSON.parse(readFileSync(join(privateDir, 'config.json'), 'utf8')) as { auths: Record<string, { auth: string }> }
    expect(Buffer.from(config.auths[HOST]?.auth ?? '', 'base64').toString()).toBe(`AWS:${FAKE_PASSWORD}`)
  })

  it('build secrets reach buildx through its environment only: not in any argv, not in any other command', async () => {
    const w = setup({ inputs: { secrets: 'NPM_TOKEN=npm_value,with=chars\nGH=ghp_value' } })
    await publish(w)
    const build = w.docker.callsStartingWith('buildx', 'build')[0] as DockerCall
    expect(flagValues(build.args, 'secret')).toEqual(['id=NPM_TOKEN,env=IMMUTABLE_ECR_BUILD_SECRET_0', 'id=GH,env=IMMUTABLE_ECR_BUILD_SECRET_1'])
    expect(build.options.env).toMatchObject({ IMMUTABLE_ECR_BUILD_SECRET_0: 'npm_value,with=chars', IMMUTABLE_ECR_BUILD_SECRET_1: 'ghp_value' })
    for (const call of w.docker.calls) {
      expect(call.args.join(' ')).not.toMatch(/npm_value|ghp_value/)
      if (call !== build) expect(JSON.stringify(call.options.env ?? {})).not.toMatch(/npm_value|ghp_value/)
    }
  })

  it('docker-container driver: pushed by BuildKit by digest with no tag, then every tag written with PutImage', async () => {
    const w = setup({ driver: 'docker-container', inputs: { 'extra-tags': 'v2' } })
    const outcome = await publish(w)
    const digest = builtDigest(w)
    const build = w.docker.buildArgs() ?? []
    expect(flagValues(build, 'output')).toEqual([`type=image,name=${IMAGE},push-by-digest=true,name-canonical=true,push=true,store=false`])
    expect(flagValues(build, 'tag')).toEqual([])
    expect(build).not.toContain('--load')
    expect(w.docker.callsStartingWith('push')).toEqual([])
    expect(w.ecr.callsOf('deleteTag')).toEqual([])
    expect(putTags(w)).toEqual([SHA, 'v2'])
    expect(w.ecr.tagsOf(REPOSITORY)).toEqual({ [SHA]: digest, v2: digest })
    // the platform from the config the registry serves
    expect(outcome).toMatchObject({ result: 'pushed', digest, tags: [SHA, 'v2'], platformDigests: { 'linux/amd64': digest } })
  })

  it('docker driver on the containerd image store: an OCI layout uploaded by digest with no tag, then every tag written with PutImage', async () => {
    const w = setup({ driver: 'docker', imageStore: 'containerd', inputs: { 'extra-tags': 'v2' } })
    let tagsAtUpload: Record<string, string> | undefined
    w.registry.before = (call) => {
      if (call.op === 'putManifest') tagsAtUpload = w.ecr.tagsOf(REPOSITORY)
    }
    const outcome = stored(await publish(w))
    const digest = builtDigest(w)
    const build = w.docker.buildArgs() ?? []
    expect(flagValues(build, 'output')).toEqual([`type=oci,dest=${join(w.runnerTemp, 'work', 'oci-layout')},tar=false`])
    expect(flagValues(build, 'tag')).toEqual([])
    expect(build).not.toContain('--load')
    expect(w.docker.callsStartingWith('push')).toEqual([])
    // The config blob, then the manifest by digest; nothing named until PutImage.
    expect(w.registry.calls.map((call) => [call.op, call.digest])).toEqual([
      ['hasBlob', w.docker.builds[0]?.configDigest],
      ['uploadBlob', w.docker.builds[0]?.configDigest],
      ['putManifest', digest]
    ])
    expect(tagsAtUpload).toEqual({})
    expect(putTags(w)).toEqual([SHA, 'v2'])
    expect(w.ecr.callsOf('deleteTag')).toEqual([])
    expect(w.ecr.tagsOf(REPOSITORY)).toEqual({ [SHA]: digest, v2: digest })
    expect(outcome).toMatchObject({ result: 'pushed', digest, tags: [SHA, 'v2'], platformDigests: { 'linux/amd64': digest } })
    expect((JSON.parse(outcome.metadata) as Record<string, unknown>)['containerimage.digest']).toBe(digest)
  })

  it('a blob the repository already has is not sent again (an unchanged layer, a re-run)', async () => {
    const w = setup({ driver: 'docker', imageStore: 'containerd' })
    w.registry.before = (call) => {
      if (call.op === 'hasBlob') w.registry.blobs.set(REPOSITORY, new Map([[call.digest, Buffer.from(CONFIG_BLOBS.get(call.digest) ?? '')]]))
    }
    await expect(publish(w)).resolves.toMatchObject({ result: 'pushed' })
    expect(w.registry.callsOf('uploadBlob')).toEqual([])
  })

  it('an upload that fails part-way writes no tag', async () => {
    const w = setup({ driver: 'docker', imageStore: 'containerd' })
    w.registry.before = (call) => {
      if (call.op === 'putManifest') throw new UserError('The registry answered the manifest with HTTP 500.')
    }
    await expect(publish(w)).rejects.toThrow('The registry answered the manifest with HTTP 500.')
    expect(w.ecr.callsOf('putTag')).toEqual([])
    expect(w.ecr.tagsOf(REPOSITORY)).toEqual({})
  })

  it('containerd image store, several platforms: the index is proven through its platform manifests, attestations left out', async () => {
    const w = setup({ driver: 'docker', imageStore: 'containerd', inputs: { platforms: 'linux/amd64,linux/arm64' } })
    const outcome = stored(await publish(w))
    const built = w.docker.builds[0]
    expect(built?.metadata['containerimage.config.digest']).toBeUndefined()
    expect(outcome.digest).toBe(built?.image.digest)
    // children (platform images and attestations) by digest before the index; none tagged
    expect(w.registry.callsOf('putManifest').map((call) => call.digest)).toEqual([...(built?.children ?? []).map((child) => child.digest), built?.image.digest])
    expect(outcome.platformDigests).toEqual({ 'linux/amd64': built?.children[0]?.digest, 'linux/arm64': built?.children[1]?.digest })
    const childLookup = w.ecr.callsOf('getImages')[2]
    expect(childLookup?.[1]).toEqual(built?.children.slice(0, 2).map((child) => ({ digest: child.digest })))
    expect(w.ecr.tagsOf(REPOSITORY)).toEqual({ [SHA]: built?.image.digest })
  })

  it('a platform manifest the registry no longer serves does not break the proof of an index', async () => {
    const w = setup({ driver: 'docker-container', inputs: { platforms: 'linux/amd64,linux/arm64' } })
    w.ecr.before = (call, count) => {
      if (call.op === 'getImages' && count === 3) w.ecr.repository(REPOSITORY).images.delete(w.docker.builds[0]?.children[0]?.digest ?? '')
    }
    await expect(publish(w)).resolves.toMatchObject({ result: 'pushed' })
  })

  it.each([
    ['MUTABLE', [], ''],
    ['IMMUTABLE_WITH_EXCLUSION', ['latest'], 'latest'],
    ['MUTABLE_WITH_EXCLUSION', ['v*'], '']
  ] as const)(
    '%s %j with the docker driver: pushed under a one-off staging tag, real tags via PutImage, staging tag deleted',
    async (mutability, filters, extra) => {
      const w = setup({ mutability, exclusionFilters: filters, inputs: { 'extra-tags': extra } })
      const outcome = await publish(w)
      const digest = builtDigest(w)
      const tags = extra ? [SHA, extra] : [SHA]
      const push = w.docker.callsStartingWith('push')
      expect(push).toHaveLength(1)
      const stagingReference = push[0]?.args[1] ?? ''
      expect(stagingReference.startsWith(`${IMAGE}:`)).toBe(true)
      const stagingTag = stagingReference.slice(IMAGE.length + 1)
      expect(stagingTag).toMatch(STAGING)
      expect(flagValues(w.docker.buildArgs() ?? [], 'tag')).toEqual([...tags, stagingTag].map((tag) => `${IMAGE}:${tag}`))
      expect(w.docker.callsStartingWith('image', 'rm').map((call) => call.args)).toEqual([['image', 'rm', stagingReference]])
      expect(w.docker.local.has(stagingReference)).toBe(false)
      expect(putTags(w)).toEqual(tags)
      expect(w.ecr.callsOf('deleteTag')).toEqual([[REPOSITORY, stagingTag]])
      expect(w.ecr.tagsOf(REPOSITORY)).toEqual(Object.fromEntries(tags.map((tag) => [tag, digest])))
      expect(outcome).toMatchObject({ result: 'pushed', digest })
      expect(w.runner.messages('info')).toContain(
        `ECR does not protect ${mutability === 'IMMUTABLE_WITH_EXCLUSION' ? 'latest' : SHA} from being overwritten; this action re-checks right before writing each tag, but only IMMUTABLE makes that atomic.`
      )
    }
  )

  it('a staging tag that cannot be removed is a warning, not a failure', async () => {
    const w = setup({ mutability: 'MUTABLE' })
    w.ecr.before = (call) => {
      if (call.op === 'deleteTag') throw new UserError('AWS denied ecr:BatchDeleteImage on team/api')
    }
    const outcome = await publish(w)
    expect(outcome.result).toBe('pushed')
    const [warning] = w.runner.messages('warning')
    expect(warning).toMatch(
      new RegExp(
        `^Could not remove the staging tag (${STAGING_TAG_PREFIX}[0-9a-f]{16}) from team/api \\(AWS denied ecr:BatchDeleteImage on team/api\\); grant ecr:BatchDeleteImage or remove it with \`aws ecr batch-delete-image --repository-name team/api --image-ids imageTag=\\1\`\\.`
      )
    )
  })

  it('warns that the user’s credential store is not used, so the password never reaches it', async () => {
    const w = setup({ userDockerConfig: { credsStore: 'desktop', auths: { 'ghcr.io': { auth: 'eA==' } } } })
    await publish(w)
    expect(w.runner.messages('warning')).toEqual([
      "The docker credential store 'desktop' is not used during this build, so the ECR password never reaches it; logins kept only in that store are not available to the build."
    ])
  })
})

describe('existing tags', () => {
  it('re-run with if-tag-exists: fail is refused before anything is built', async () => {
    const w = setup({ inputs: { 'extra-tags': 'v1' } })
    w.ecr.store(REPOSITORY, OTHER, SHA, 'v1')
    const error = await failure(w)
    expect(error).toBeInstanceOf(RefusedError)
    expect(error.message).toBe(
      `Tags already exist in team/api: ${SHA} (${OTHER.digest}), v1 (${OTHER.digest}). Tags are never overwritten; nothing was built or pushed. To reuse the existing image on re-runs set if-tag-exists: skip, or build a new commit.`
    )
    expect((error as RefusedError).outcome).toEqual({ registryHost: HOST, repository: REPOSITORY, shaTag: SHA, tags: [SHA, 'v1'] })
    expect(w.docker.buildArgs()).toBeUndefined()
    expect(w.docker.callsStartingWith('push')).toEqual([])
    expect(w.ecr.callsOf('putTag')).toEqual([])
    expect(w.ecr.tagsOf(REPOSITORY)).toEqual({ [SHA]: OTHER.digest, v1: OTHER.digest })
  })

  it('re-run with if-tag-exists: skip reuses the image without building, once its config shows this commit', async () => {
    const w = setup({ inputs: { 'extra-tags': 'v1', 'if-tag-exists': 'skip' } })
    const built = imageManifest(revisionConfig(SHA))
    w.ecr.store(REPOSITORY, built, SHA, 'v1')
    expect(await publish(w)).toEqual({
      result: 'reused',
      registryHost: HOST,
      repository: REPOSITORY,
      shaTag: SHA,
      tags: [SHA, 'v1'],
      digest: built.digest,
      // the existing image's platform, read from its config as the registry serves it
      platformDigests: { 'linux/amd64': built.digest },
      metadata: '',
      buildSeconds: undefined
    })
    // One read: the config gives both the revision check and the platform.
    expect(w.registry.callsOf('readBlob')).toHaveLength(1)
    expect(w.docker.buildArgs()).toBeUndefined()
    expect(w.ecr.callsOf('putTag')).toEqual([])
    expect(w.runner.messages('info')).toContain(`Every tag already names ${built.digest}; reusing it without building (if-tag-exists: skip).`)
  })

  // A `skip` reuse is checked as tag addition is: the tags alone do not show the image is this commit's.
  const OTHER_COMMIT = `${SHA.slice(0, 7)}${'0'.repeat(33)}`
  it.each([
    [
      'another commit sharing the 7-character prefix (sha-length: 7)',
      { 'sha-length': '7' },
      SHA.slice(0, 7),
      () => imageManifest(revisionConfig(OTHER_COMMIT)),
      (image: { digest: string }) => `${image.digest} was built from ${OTHER_COMMIT} (label org.opencontainers.image.revision), not ${SHA}`
    ],
    [
      'an image without the revision label (pushed by hand)',
      {},
      SHA,
      () => OTHER,
      (image: { digest: string }) => `${image.digest} has no org.opencontainers.image.revision label, so it cannot be shown to be commit ${SHA}'s build`
    ]
  ])('skip refuses to reuse %s: one line, nothing built or written, no digest', async (_name, inputs, tag, image, reason) => {
    const w = setup({ inputs: { 'if-tag-exists': 'skip', ...inputs } })
    const stored = image()
    w.ecr.store(REPOSITORY, stored, tag)
    const error = await failure(w)
    expect(error).toBeInstanceOf(UserError)
    expect(error.message).toBe(
      `Cannot reuse ${tag} in team/api (if-tag-exists: skip): ${tag} names ${reason(stored)}. Nothing was written; build this commit under a new tag-prefix or a longer sha-length.`
    )
    expect(w.docker.buildArgs()).toBeUndefined()
    expect(w.ecr.callsOf('putTag')).toEqual([])
    expect(w.ecr.tagsOf(REPOSITORY)).toEqual({ [tag]: stored.digest })
  })

  it('skip reusing an index reads every platform’s config; one platform of another commit refuses it', async () => {
    const w = setup({ inputs: { 'if-tag-exists': 'skip' } })
    const amd = imageManifest(revisionConfig(SHA, 'linux/amd64'))
    const arm = imageManifest(revisionConfig(OTHER_COMMIT, 'linux/arm64'))
    const index = imageIndex([
      { image: amd, platform: 'linux/amd64' },
      { image: arm, platform: 'linux/arm64' }
    ])
    w.ecr.store(REPOSITORY, amd)
    w.ecr.store(REPOSITORY, arm)
    w.ecr.store(REPOSITORY, index, SHA)
    expect((await failure(w)).message).toContain(`${SHA} names ${index.digest} (platform ${arm.digest}) was built from ${OTHER_COMMIT}`)
    expect(w.registry.callsOf('readBlob')).toHaveLength(2)
    expect(w.ecr.callsOf('putTag')).toEqual([])
  })

  it('skip with the SHA tag on an image without the revision label adds nothing: the tag addition is refused', async () => {
    const w = setup({ inputs: { 'extra-tags': 'v1', 'if-tag-exists': 'skip' } })
    w.ecr.store(REPOSITORY, OTHER, SHA)
    const error = await failure(w)
    expect(error.message).toBe(
      `Cannot add v1 to team/api: ${SHA} names ${OTHER.digest} has no org.opencontainers.image.revision label, so it cannot be shown to be commit ${SHA}'s build. Nothing was written; build this commit under a new tag-prefix, or fix the SHA tag by hand.`
    )
    expect(w.docker.buildArgs()).toBeUndefined()
    expect(w.ecr.tagsOf(REPOSITORY)).toEqual({ [SHA]: OTHER.digest })
  })

  it('skip with an extra tag present and the SHA tag absent is refused: never a half-tagged image', async () => {
    const w = setup({ inputs: { 'extra-tags': 'v1', 'if-tag-exists': 'skip' } })
    w.ecr.store(REPOSITORY, OTHER, 'v1')
    const error = await failure(w)
    expect(error).toBeInstanceOf(RefusedError)
    expect(error.message).toBe(
      `if-tag-exists: skip needs every tag on one image, but ${SHA} does not exist yet: v1 (${OTHER.digest}). Nothing was built or pushed; remove the conflicting extra-tags or use tags that are all new.`
    )
    expect(w.docker.buildArgs()).toBeUndefined()
    expect(w.ecr.tagsOf(REPOSITORY)).toEqual({ v1: OTHER.digest })
  })

  it('a builder that is not usable does not matter when nothing will be built', async () => {
    const w = setup()
    w.ecr.store(REPOSITORY, OTHER, SHA)
    w.docker.before = (call) => (call.args[1] === 'inspect' ? { exitCode: 1, stdout: '', stderr: 'ERROR: no builder found' } : undefined)
    const error = await failure(w)
    expect(error.message.startsWith('Tag already exists in team/api')).toBe(true)
  })
})

describe('races with another run', () => {
  const anotherRunPushesDuringBuild = (w: World, ...tags: string[]): void => {
    w.docker.before = (call) => {
      if (call.args[1] === 'build') w.ecr.store(REPOSITORY, OTHER, ...tags)
      return undefined
    }
  }

  it.each(['docker', 'docker-container'] as const)(
    '%s driver: a tag that appears during the build is refused at the re-check, nothing written',
    async (driver) => {
      const w = setup({ driver, inputs: { 'extra-tags': 'v1' } })
      anotherRunPushesDuringBuild(w, SHA)
      const error = await failure(w)
      expect(error).toBeInstanceOf(RefusedError)
      expect(error.message).toBe(
        `Another run pushed ${SHA} first (digest ${OTHER.digest}) while this one was building; nothing was overwritten and this run pushed no tag.`
      )
      // Only a one-off staging tag is ever uploaded (docker driver); no real tag is written.
      for (const push of w.docker.callsStartingWith('push')) expect((push.args[1] ?? '').slice(IMAGE.length + 1)).toMatch(STAGING)
      expect(w.ecr.callsOf('putTag')).toEqual([])
      expect(w.ecr.tagsOf(REPOSITORY)).toEqual({ [SHA]: OTHER.digest })
    }
  )

  it.each([
    ['docker', 'IMMUTABLE'],
    ['docker-container', 'IMMUTABLE'],
    ['docker', 'MUTABLE']
  ] as const)('%s driver, %s: under skip, the other run’s image is reused when it holds every tag', async (driver, mutability) => {
    const w = setup({ driver, mutability, inputs: { 'extra-tags': 'v1', 'if-tag-exists': 'skip' } })
    anotherRunPushesDuringBuild(w, SHA, 'v1')
    const outcome = stored(await publish(w))
    expect(outcome).toMatchObject({
      result: 'reused',
      digest: OTHER.digest,
      note: `another run pushed the same tags first while this one was building; reusing ${OTHER.digest}`
    })
    expect(outcome.metadata).not.toBe('')
    expect(w.ecr.callsOf('putTag')).toEqual([])
    expect(w.ecr.tagsOf(REPOSITORY)).toEqual({ [SHA]: OTHER.digest, v1: OTHER.digest })
    expect(w.runner.messages('info')).toContain(`Another run pushed the same tags first while this one was building; reusing ${OTHER.digest}.`)
  })

  it('MUTABLE, docker driver: a tag that appears during the staging push is refused and the staging tag removed', async () => {
    const w = setup({ mutability: 'MUTABLE' })
    w.docker.before = (call) => {
      if (call.args[0] === 'push') w.ecr.store(REPOSITORY, OTHER, SHA)
      return undefined
    }
    const error = await failure(w)
    expect(error.message).toBe(
      `Another run pushed ${SHA} first (digest ${OTHER.digest}) while this one was building; nothing was overwritten and this run pushed no tag.`
    )
    expect(w.ecr.callsOf('putTag')).toEqual([])
    expect(w.ecr.callsOf('deleteTag')).toHaveLength(1)
    expect(w.ecr.tagsOf(REPOSITORY)).toEqual({ [SHA]: OTHER.digest })
  })

  const anotherRunWritesBeforeOurPutImage = (w: World, tag: string, onCall = 1): void => {
    w.ecr.before = (call, count) => {
      if (call.op === 'putTag' && count === onCall) w.ecr.store(REPOSITORY, OTHER, tag)
    }
  }

  it('docker driver, IMMUTABLE: PutImage of the SHA tag refused after the re-check: "Another run pushed <tag> first"', async () => {
    const w = setup()
    anotherRunWritesBeforeOurPutImage(w, SHA)
    const error = await failure(w)
    expect(error).toBeInstanceOf(RefusedError)
    expect(error.message).toBe(`Another run pushed ${SHA} first (digest ${OTHER.digest}); it was not overwritten.`)
    expect(w.ecr.tagsOf(REPOSITORY)).toEqual({ [SHA]: OTHER.digest })
    expect(w.ecr.callsOf('deleteTag')).toHaveLength(1)
  })

  it('skip: a PutImage that loses the race to an identical tag set reuses the winner instead of failing', async () => {
    const w = setup({ inputs: { 'if-tag-exists': 'skip' } })
    anotherRunWritesBeforeOurPutImage(w, SHA)
    const outcome = stored(await publish(w))
    expect(outcome.result).toBe('reused')
    expect(outcome.digest).toBe(OTHER.digest)
    expect(w.ecr.tagsOf(REPOSITORY)).toEqual({ [SHA]: OTHER.digest })
  })

  it('skip: losing the race on a partly tagged set is still refused', async () => {
    const w = setup({ inputs: { 'if-tag-exists': 'skip', 'extra-tags': 'v1' } })
    anotherRunWritesBeforeOurPutImage(w, SHA)
    const error = await failure(w)
    expect(error).toBeInstanceOf(RefusedError)
    expect(w.ecr.tagsOf(REPOSITORY)).toEqual({ [SHA]: OTHER.digest })
  })

  it('the digest is "unknown" when the registry cannot be asked after a refused PutImage', async () => {
    const w = setup()
    anotherRunWritesBeforeOurPutImage(w, SHA)
    const before = w.ecr.before
    w.ecr.before = async (call, count) => {
      await before?.(call, count)
      if (call.op === 'getImages' && count === 3) throw new UserError('throttled')
    }
    expect((await failure(w)).message).toBe(`Another run pushed ${SHA} first (digest unknown); it was not overwritten.`)
  })

  it('docker driver: an extra tag taken after the SHA tag was written is refused, naming what this run wrote', async () => {
    const w = setup({ inputs: { 'extra-tags': 'v1' } })
    anotherRunWritesBeforeOurPutImage(w, 'v1', 2)
    const error = await failure(w)
    expect(error).toBeInstanceOf(TagsWrittenError)
    expect(error.message).toBe(
      `Another run pushed v1 first (digest ${OTHER.digest}); it was not overwritten. This run had already written ${SHA}; those tags keep this run's image. The tag ${SHA} names ${builtDigest(w)}: the step's digest and image outputs name it.`
    )
    expect((error as TagsWrittenError).written).toEqual({ registryHost: HOST, repository: REPOSITORY, digest: builtDigest(w), tags: [SHA] })
    expect(w.ecr.tagsOf(REPOSITORY)).toEqual({ [SHA]: builtDigest(w), v1: OTHER.digest })
  })

  it('PutImage refused (TagTakenError) midway: refused, naming the tags this run wrote', async () => {
    const w = setup({ driver: 'docker-container', inputs: { 'extra-tags': 'v1,v2' } })
    w.ecr.before = (call, count) => {
      if (call.op === 'putTag' && count === 2) w.ecr.store(REPOSITORY, OTHER, 'v1')
    }
    const error = await failure(w)
    expect(error).toBeInstanceOf(TagsWrittenError)
    expect(error.message).toBe(
      `Another run pushed v1 first (digest ${OTHER.digest}); it was not overwritten. This run had already written ${SHA}; those tags keep this run's image. The tag ${SHA} names ${builtDigest(w)}: the step's digest and image outputs name it.`
    )
    expect(putTags(w)).toEqual([SHA, 'v1'])
    expect(w.ecr.tagsOf(REPOSITORY)).toEqual({ [SHA]: builtDigest(w), v1: OTHER.digest })
  })

  it('any other PutImage error is passed on unchanged', async () => {
    const w = setup({ driver: 'docker-container' })
    const denied = new UserError('AWS denied ecr:PutImage on team/api')
    w.ecr.before = (call) => {
      if (call.op === 'putTag') throw denied
    }
    expect(await failure(w)).toBe(denied)
  })

  it('TagTakenError is the adapter’s signal, not a message for people', () => {
    expect(new TagTakenError('v1').message).toBe('The tag v1 already exists and ECR keeps it immutable.')
  })
})

describe('proof that the tag names this run’s image', () => {
  it('docker driver: the image id --load reports is what the pushed manifest’s config names', async () => {
    const w = setup()
    await publish(w)
    const built = w.docker.builds[0]
    expect(built?.metadata['containerimage.digest']).toBe(built?.configDigest)
    expect(built?.metadata['containerimage.config.digest']).toBeUndefined()
  })

  it('docker driver reporting a config digest too is proven by it', async () => {
    const w = setup()
    w.docker.loadReportsConfigDigest = true
    const outcome = await publish(w)
    expect(outcome).toMatchObject({ result: 'pushed', digest: builtDigest(w) })
  })

  it.each([
    ['docker driver, another image id', 'docker', false, 'containerimage.digest', ''],
    ['docker driver, another config digest', 'docker', true, 'containerimage.config.digest', 'config '],
    ['docker-container driver, another config digest', 'docker-container', false, 'containerimage.config.digest', 'config ']
  ] as const)('%s: the registry serving another image fails with "Another writer changed"', async (_name, driver, reportsConfig, key, what) => {
    const w = setup({ driver })
    w.docker.loadReportsConfigDigest = reportsConfig
    const notOurs = configDigest('tampered')
    w.docker.metadataOverride = { [key]: notOurs }
    const error = await failure(w)
    const served = builtDigest(w)
    const ref = driver === 'docker' ? stagingTagOf(w) : served
    expect(error).toBeInstanceOf(UserError)
    expect(error).not.toBeInstanceOf(RefusedError)
    expect(error.message).toBe(
      `Another writer changed ${REPOSITORY}${ref.startsWith('sha256:') ? '@' : ':'}${ref} during this run: the registry serves ${served} (config ${w.docker.builds[0]?.configDigest}), not this build's ${what}${notOurs}. ${SUFFIX}`
    )
    expect(w.ecr.callsOf('putTag')).toEqual([])
  })

  it('docker push reporting another digest than the registry serves fails', async () => {
    const w = setup()
    const reported = `sha256:${'e'.repeat(64)}`
    w.docker.pushPrints = reported
    expect((await failure(w)).message).toBe(
      `Another writer changed ${stagingTagOf(w)} during this run: the registry serves ${builtDigest(w)}, docker push reported ${reported}. ${SUFFIX}`
    )
  })

  it('MUTABLE: another writer moving a tag after it was written fails the final check', async () => {
    const w = setup({ driver: 'docker-container', mutability: 'MUTABLE', inputs: { 'extra-tags': 'v1' } })
    w.ecr.before = (call, count) => {
      if (call.op === 'getImages' && count === 3) w.ecr.store(REPOSITORY, OTHER, 'v1')
    }
    expect((await failure(w)).message).toBe(
      `Another writer changed ${REPOSITORY}:v1 during this run: the registry serves ${OTHER.digest} for it, not ${builtDigest(w)}. ${SUFFIX}`
    )
  })

  it('MUTABLE, docker driver: a tag moved after the staging push and tag writes fails the final check', async () => {
    const w = setup({ mutability: 'MUTABLE' })
    w.ecr.before = (call, count) => {
      // 1: first look, 2: after the staging push, 3: the final check
      if (call.op === 'getImages' && count === 3) w.ecr.store(REPOSITORY, OTHER, SHA)
    }
    expect((await failure(w)).message).toBe(
      `Another writer changed ${REPOSITORY}:${SHA} during this run: the registry serves ${OTHER.digest} for it, not ${builtDigest(w)}. ${SUFFIX}`
    )
    expect(w.ecr.callsOf('deleteTag')).toHaveLength(1)
  })

  it('a tag that disappears before the final check fails it', async () => {
    const w = setup({ driver: 'docker-container', mutability: 'MUTABLE' })
    w.ecr.before = (call, count) => {
      if (call.op === 'getImages' && count === 3) w.ecr.repository(REPOSITORY).tags.delete(SHA)
    }
    expect((await failure(w)).message).toBe(
      `Another writer changed ${REPOSITORY}:${SHA} during this run: the registry serves nothing for it, not ${builtDigest(w)}. ${SUFFIX}`
    )
  })

  it.each(['IMMUTABLE', 'MUTABLE'] as const)(
    'docker driver, %s: buildx metadata without any digest fails before anything is pushed (no tag taken for good)',
    async (mutability) => {
      const w = setup({ mutability, inputs: { 'extra-tags': 'v1' } })
      w.docker.metadataOverride = { 'containerimage.digest': undefined }
      expect((await failure(w)).message).toBe(
        'buildx built the image but reported neither containerimage.digest nor containerimage.config.digest in its metadata; nothing was pushed.'
      )
      expect(w.docker.callsStartingWith('push')).toEqual([])
      expect(w.ecr.callsOf('putTag')).toEqual([])
      expect(w.ecr.tagsOf(REPOSITORY)).toEqual({})
    }
  )

  it('docker-container: no containerimage.digest in the metadata is an error', async () => {
    const w = setup({ driver: 'docker-container' })
    w.docker.metadataOverride = { 'containerimage.digest': undefined }
    expect((await failure(w)).message).toBe('buildx pushed the image by digest but reported no containerimage.digest in its metadata; nothing was tagged.')
    expect(w.ecr.callsOf('putTag')).toEqual([])
  })

  it('containerd image store: with no containerimage.digest in the metadata, the digest is the layout’s, which is what was uploaded', async () => {
    const w = setup({ driver: 'docker', imageStore: 'containerd' })
    w.docker.metadataOverride = { 'containerimage.digest': undefined }
    const outcome = await publish(w)
    expect(outcome).toMatchObject({ result: 'pushed', digest: builtDigest(w) })
  })

  it('docker-container: a pushed digest the registry does not serve is an error', async () => {
    const w = setup({ driver: 'docker-container' })
    w.ecr.before = (call, count) => {
      if (call.op === 'getImages' && count === 2) w.ecr.repository(REPOSITORY).images.clear()
    }
    expect((await failure(w)).message).toBe(
      `The registry did not serve ${builtDigest(w)} within 32 s after it was uploaded; nothing was tagged: re-run the job.`
    )
  })

  it.each([
    ['docker-container', 'docker-container' as const],
    ['docker driver (classic store)', 'docker' as const]
  ])('%s: ECR not showing the upload for two reads (read-after-write lag) is waited for, then named; nothing is refused', async (_name, driver) => {
    const w = setup({ driver })
    const waits: number[] = []
    w.ecr.before = (call, count) => {
      if (call.op === 'getImages' && count === 2) w.ecr.laggingReads = 2
    }
    const outcome = await publishImage({ ...w.runContext(), sleep: async (ms) => void waits.push(ms) })
    expect(outcome).toMatchObject({ result: 'pushed' })
    expect(waits.slice(0, 2)).toEqual([250, 500])
    expect(w.runner.messages('info').some((line) => /^ECR served team\/api[:@]\S+ after waiting 0\.75 s for it \(read-after-write lag\)\.$/.test(line))).toBe(
      true
    )
  })

  it('a tag not found in the read-back right after PutImage is lag: waited for, then reported', async () => {
    const w = setup({ driver: 'docker-container' })
    const waits: number[] = []
    w.ecr.before = (call) => {
      // The read-back is the first read after the last PutImage.
      if (call.op === 'putTag') w.ecr.laggingReads = 1
    }
    const outcome = await publishImage({ ...w.runContext(), sleep: async (ms) => void waits.push(ms) })
    expect(outcome).toMatchObject({ result: 'pushed' })
    expect(waits).toContain(250)
  })

  it('docker driver: a push that outruns its size-based deadline (a stalled engine push) is one line; no tag, the staging tag removed', async () => {
    const w = setup()
    w.docker.before = (call) => (call.args[0] === 'push' ? { exitCode: 143, stdout: '', stderr: '', timedOut: true } : undefined)
    const message = (await failure(w)).message
    const push = w.docker.callsStartingWith('push')[0]
    expect(push?.options.timeoutMs).toBeGreaterThan(60_000)
    expect(message).toMatch(
      /^docker push \S+:immutable-ecr-build-staging-[0-9a-f]{16} did not finish within \d+ s \(the engine's push has no idle timeout; the limit allows its size at 256 KiB\/s\), so it was stopped\. No tag was written: check the network between the runner and ECR, then re-run the job\.$/
    )
    expect(w.ecr.calls.filter((call) => call.op === 'putTag')).toEqual([])
    expect(w.ecr.calls.filter((call) => call.op === 'deleteTag')).toHaveLength(1)
  })

  it('docker driver: a pushed staging tag the registry does not serve is an error', async () => {
    const w = setup()
    w.ecr.before = (call, count) => {
      if (call.op === 'getImages' && count === 2) w.ecr.repository(REPOSITORY).tags.clear()
    }
    const message = (await failure(w)).message
    expect(stagingTagOf(w)).toMatch(STAGING)
    expect(message).toBe(`The registry did not serve ${stagingTagOf(w)} within 32 s after it was uploaded; nothing was tagged: re-run the job.`)
  })
})

describe('repository policy', () => {
  it.each([
    ['MUTABLE', [], '', `Repository team/api is MUTABLE, so ECR would let these tags be overwritten: ${SHA}.`],
    [
      'IMMUTABLE_WITH_EXCLUSION',
      ['v*'],
      'v1,stable',
      'Repository team/api is IMMUTABLE_WITH_EXCLUSION (exclusion filters: v*), so ECR would let these tags be overwritten: v1.'
    ],
    [
      'MUTABLE_WITH_EXCLUSION',
      ['stable'],
      'stable',
      `Repository team/api is MUTABLE_WITH_EXCLUSION (exclusion filters: stable), so ECR would let these tags be overwritten: ${SHA}.`
    ]
  ] as const)('require-immutable-repository refuses %s %j before building', async (mutability, filters, extra, start) => {
    const w = setup({ mutability, exclusionFilters: filters, inputs: { 'require-immutable-repository': 'true', 'extra-tags': extra } })
    const error = await failure(w)
    expect(error).toBeInstanceOf(UserError)
    expect(error).not.toBeInstanceOf(RefusedError)
    expect(error.message).toBe(
      `${start} Set the repository's tag mutability to IMMUTABLE (or exclude none of these tags), or set require-immutable-repository: false.`
    )
    expect(w.docker.buildArgs()).toBeUndefined()
  })

  it.each([
    ['IMMUTABLE', []],
    ['IMMUTABLE_WITH_EXCLUSION', ['latest', 'dev-*']]
  ] as const)('require-immutable-repository accepts %s %j when no pushed tag is excluded', async (mutability, filters) => {
    const w = setup({ mutability, exclusionFilters: filters, inputs: { 'require-immutable-repository': 'true', 'extra-tags': 'v1' } })
    await expect(publish(w)).resolves.toMatchObject({ result: 'pushed' })
  })

  it('a missing repository without create-repository fails before building, naming repository, account and region', async () => {
    const w = setup({ mutability: null })
    const error = await failure(w)
    expect(error.message).toBe(
      `Repository team/api does not exist in account ${FAKE_ACCOUNT}, region us-east-1: create it (immutable tags recommended), check the repository, registry-id and aws-region inputs, or set create-repository: true.`
    )
    expect(w.ecr.callsOf('createRepository')).toEqual([])
    expect(w.docker.buildArgs()).toBeUndefined()
  })

  it('create-repository: true creates it IMMUTABLE (with scan-on-push in the adapter) and pushes', async () => {
    const w = setup({ mutability: null, inputs: { 'create-repository': 'true' } })
    const outcome = await publish(w)
    expect(w.ecr.callsOf('createRepository')).toEqual([[REPOSITORY, 'IMMUTABLE', []]])
    expect(w.ecr.repository(REPOSITORY).info.mutability).toBe('IMMUTABLE')
    expect(outcome).toMatchObject({ result: 'pushed', digest: builtDigest(w) })
    expect(w.ecr.tagsOf(REPOSITORY)).toEqual({ [SHA]: builtDigest(w) })
  })

  // No side effect before an input error: what the builder cannot do is refused before the repository is created.
  it.each([
    ['two platforms', { platforms: 'linux/amd64,linux/arm64' }, "Input 'platforms' lists 2 platforms"],
    ['cache: ecr', { cache: 'ecr' }, "Input 'cache' 'ecr' needs a builder that can export a registry cache"],
    ['untagged', { untagged: 'true' }, "Input 'untagged' 'true' needs a BuildKit builder"]
  ])('create-repository: true on the classic store with %s: refused before the repository is created', async (_name, inputs, start) => {
    const w = setup({ mutability: null, inputs: { 'create-repository': 'true', ...inputs } })
    const error = await failure(w)
    expect(error).toBeInstanceOf(UserError)
    expect(error.message.startsWith(start)).toBe(true)
    expect(w.ecr.callsOf('createRepository')).toEqual([])
    expect(w.docker.buildArgs()).toBeUndefined()
  })

  it('create-repository: true with cache: ecr and a companion that keeps buildcache immutable: refused before the repository is created', async () => {
    const w = setup({ mutability: null, driver: 'docker-container', inputs: { 'create-repository': 'true', cache: 'ecr' } })
    w.ecr.addRepository('team/api-buildcache', 'IMMUTABLE')
    expect((await failure(w)).message).toBe(
      'The cache repository team/api-buildcache keeps the tag buildcache immutable, so the cache could be written only once: make team/api-buildcache MUTABLE (it holds only cache), or set cache: none.'
    )
    expect(w.ecr.callsOf('createRepository')).toEqual([])
    expect(w.docker.buildArgs()).toBeUndefined()
  })

  it('create-repository: true with cache: ecr creates the repository, then the companion', async () => {
    const w = setup({ mutability: null, driver: 'docker-container', inputs: { 'create-repository': 'true', cache: 'ecr' } })
    await publish(w)
    expect(w.ecr.callsOf('createRepository')).toEqual([
      [REPOSITORY, 'IMMUTABLE', []],
      ['team/api-buildcache', 'MUTABLE', []]
    ])
  })

  it('create-repository: true with a builder that is not usable: that error, and no repository', async () => {
    const w = setup({ mutability: null, inputs: { 'create-repository': 'true' } })
    w.docker.before = (call) => (call.args[1] === 'inspect' ? { exitCode: 1, stdout: '', stderr: 'ERROR: no builder found' } : undefined)
    expect((await failure(w)).message).toContain('docker buildx is not usable')
    expect(w.ecr.callsOf('createRepository')).toEqual([])
  })

  it('create-repository: true uses the repository a concurrent run created first', async () => {
    const w = setup({ mutability: null, inputs: { 'create-repository': 'true' } })
    w.ecr.before = (call) => {
      if (call.op === 'createRepository') {
        w.ecr.addRepository(REPOSITORY, 'IMMUTABLE')
        throw new UserError('ecr:CreateRepository on team/api failed: RepositoryAlreadyExistsException')
      }
    }
    await expect(publish(w)).resolves.toMatchObject({ result: 'pushed' })
    expect(w.ecr.callsOf('describeRepository')).toEqual([[REPOSITORY], [REPOSITORY]])
  })

  it('create-repository: true passes on a creation error when the repository is still missing', async () => {
    const w = setup({ mutability: null, inputs: { 'create-repository': 'true' } })
    const denied = new UserError('AWS denied ecr:CreateRepository on team/api')
    w.ecr.before = (call) => {
      if (call.op === 'createRepository') throw denied
    }
    expect(await failure(w)).toBe(denied)
  })

  it('credentials that cannot be had fail the run before anything is built', async () => {
    const w = setup()
    w.ecr.before = (call) => {
      if (call.op === 'authorize') throw new UserError('No AWS credentials found')
    }
    expect((await failure(w)).message).toBe('No AWS credentials found')
    expect(w.docker.buildArgs()).toBeUndefined()
  })

  it('a failing tag look-up in an existing repository fails the run', async () => {
    const w = setup()
    w.ecr.before = (call) => {
      if (call.op === 'getImages') throw new UserError('ECR throttled ecr:BatchGetImage')
    }
    expect((await failure(w)).message).toBe('ECR throttled ecr:BatchGetImage')
  })
})

describe('push: false', () => {
  it.each(['docker', 'docker-container'] as const)('%s driver: built and kept locally, nothing pushed, digest empty', async (driver) => {
    const w = setup({ driver, inputs: { push: 'false', 'extra-tags': 'v1' } })
    const outcome = await publish(w)
    // A build that stored nothing has no digest to report: the type has none, so the output is empty.
    expect(actionOutputs(outcome)).toMatchObject({ digest: '', image: '', 'platform-digests': '', pushed: 'false' })
    expect(outcome).toEqual({
      result: 'built',
      registryHost: HOST,
      repository: REPOSITORY,
      shaTag: SHA,
      tags: [SHA, 'v1'],
      metadata: JSON.stringify(w.docker.builds[0]?.metadata),
      buildSeconds: expect.any(Number),
      note: 'push: false'
    })
    const build = w.docker.buildArgs() ?? []
    expect(flagValues(build, 'tag')).toEqual([`${IMAGE}:${SHA}`, `${IMAGE}:v1`])
    expect(build).not.toContain('--load')
    expect(flagValues(build, 'output')).toEqual([])
    expect(w.docker.callsStartingWith('push')).toEqual([])
    expect(w.ecr.callsOf('putTag')).toEqual([])
    expect(w.ecr.tagsOf(REPOSITORY)).toEqual({})
  })

  it('a missing repository is not created, even with create-repository: true; the build still runs', async () => {
    const w = setup({ mutability: null, inputs: { push: 'false', 'create-repository': 'true' } })
    const outcome = await publish(w)
    expect(outcome.result).toBe('built')
    expect(w.ecr.callsOf('createRepository')).toEqual([])
    expect(w.docker.buildArgs()).toBeDefined()
  })

  // push: false writes nothing to AWS: cache: ecr only imports what a push left, and creates nothing.
  const CACHE_REF = `type=registry,ref=${HOST}/team/api-buildcache:buildcache`
  it.each<[string, WorldOptions, (w: World) => void, string[], string]>([
    [
      'no repository at all',
      { mutability: null },
      () => undefined,
      [],
      'cache: ecr: team/api does not exist, so there is no build cache to import; push: false exports none and creates nothing.'
    ],
    [
      'no companion repository yet',
      {},
      () => undefined,
      [],
      'cache: ecr: team/api-buildcache does not exist, so there is no build cache to import; push: false exports none and creates nothing.'
    ],
    [
      'the companion repository a push filled',
      {},
      (w) => w.ecr.addRepository('team/api-buildcache', 'MUTABLE'),
      [CACHE_REF],
      'build cache: companion repository team/api-buildcache:buildcache (the image repository keeps every tag immutable): imported only; push: false exports no cache and writes nothing to AWS.'
    ],
    [
      'a companion that keeps buildcache immutable: read all the same (nothing is written)',
      {},
      (w) => w.ecr.addRepository('team/api-buildcache', 'IMMUTABLE'),
      [CACHE_REF],
      'build cache: companion repository team/api-buildcache:buildcache (the image repository keeps every tag immutable): imported only; push: false exports no cache and writes nothing to AWS.'
    ],
    [
      'the repository’s own rewritable buildcache tag',
      { mutability: 'IMMUTABLE_WITH_EXCLUSION', exclusionFilters: ['buildcache'] },
      () => undefined,
      [`type=registry,ref=${IMAGE}:buildcache`],
      'build cache: team/api:buildcache (a tag this repository lets be rewritten): imported only; push: false exports no cache and writes nothing to AWS.'
    ]
  ])('cache: ecr with %s: imported if there, never exported, no repository created', async (_name, options, arrange, cacheFrom, line) => {
    const w = setup({ ...options, driver: 'docker-container', inputs: { push: 'false', cache: 'ecr', 'create-repository': 'true', 'cache-to': 'type=gha' } })
    arrange(w)
    expect(await publish(w)).toMatchObject({ result: 'built' })
    const build = w.docker.buildArgs() ?? []
    expect(flagValues(build, 'cache-from')).toEqual(cacheFrom)
    // The user's own cache-to is theirs to ask for; the action adds no export of its own.
    expect(flagValues(build, 'cache-to')).toEqual(['type=gha'])
    expect(w.ecr.callsOf('createRepository')).toEqual([])
    expect(w.ecr.callsOf('putTag')).toEqual([])
    expect(w.runner.messages('info')).toContain(line)
  })

  it.each([
    ['containerd', true],
    ['classic', false]
  ] as const)('cache: ecr on the docker driver asks the engine’s image store: %s %s', async (imageStore, accepted) => {
    const w = setup({ imageStore, inputs: { push: 'false', cache: 'ecr' } })
    w.ecr.addRepository('team/api-buildcache', 'MUTABLE')
    if (accepted) {
      await publish(w)
      expect(flagValues(w.docker.buildArgs() ?? [], 'cache-from')).toEqual([CACHE_REF])
    } else {
      expect((await failure(w)).message.startsWith("Input 'cache' 'ecr' needs a builder that can export a registry cache")).toBe(true)
      expect(w.docker.buildArgs()).toBeUndefined()
    }
    expect(argvs(w).slice(0, 2)).toEqual([
      ['buildx', 'inspect'],
      ['info', '--format', '{{json .DriverStatus}}']
    ])
  })

  it('tags are still checked: an existing tag is refused', async () => {
    const w = setup({ inputs: { push: 'false' } })
    w.ecr.store(REPOSITORY, OTHER, SHA)
    expect(await failure(w)).toBeInstanceOf(RefusedError)
    expect(w.docker.buildArgs()).toBeUndefined()
  })
})

describe('cache: ecr', () => {
  it('on the docker driver fails before any build, naming docker/setup-buildx-action', async () => {
    const w = setup({ inputs: { cache: 'ecr' } })
    const error = await failure(w)
    expect(error).toBeInstanceOf(UserError)
    expect(error.message).toContain('docker/setup-buildx-action')
    expect(error.message.startsWith("Input 'cache' 'ecr' needs a builder that can export a registry cache")).toBe(true)
    expect(w.docker.buildArgs()).toBeUndefined()
  })

  it('IMMUTABLE repository: the cache goes to the MUTABLE companion repository, after the user’s own cache settings', async () => {
    const w = setup({ driver: 'docker-container', inputs: { cache: 'ecr', 'cache-from': 'type=gha', 'cache-to': 'type=gha,mode=max' } })
    w.ecr.addRepository('team/api-buildcache', 'MUTABLE')
    await publish(w)
    const build = w.docker.buildArgs() ?? []
    expect(flagValues(build, 'cache-from')).toEqual(['type=gha', `type=registry,ref=${HOST}/team/api-buildcache:buildcache`])
    expect(flagValues(build, 'cache-to')).toEqual([
      'type=gha,mode=max',
      `type=registry,ref=${HOST}/team/api-buildcache:buildcache,mode=max,image-manifest=true,oci-mediatypes=true`
    ])
    expect(w.runner.messages('info')).toContain(
      'build cache: companion repository team/api-buildcache:buildcache (the image repository keeps every tag immutable)'
    )
  })

  it('IMMUTABLE_WITH_EXCLUSION with a buildcache filter: the cache stays in the same repository', async () => {
    const w = setup({ driver: 'docker-container', mutability: 'IMMUTABLE_WITH_EXCLUSION', exclusionFilters: ['buildcache'], inputs: { cache: 'ecr' } })
    await publish(w)
    const build = w.docker.buildArgs() ?? []
    expect(flagValues(build, 'cache-from')).toEqual([`type=registry,ref=${IMAGE}:buildcache`])
    expect(flagValues(build, 'cache-to')).toEqual([`type=registry,ref=${IMAGE}:buildcache,mode=max,image-manifest=true,oci-mediatypes=true`])
    expect(w.ecr.callsOf('describeRepository')).toEqual([[REPOSITORY]])
  })

  it('a missing companion repository without create-repository fails before building', async () => {
    const w = setup({ driver: 'docker-container', inputs: { cache: 'ecr' } })
    expect((await failure(w)).message).toBe(
      "cache: ecr keeps the cache in team/api-buildcache, which does not exist: create it with MUTABLE tags, add an IMMUTABLE_WITH_EXCLUSION filter for 'buildcache' on team/api, or set create-repository: true."
    )
    expect(w.docker.buildArgs()).toBeUndefined()
  })

  it('a missing companion repository is created MUTABLE with create-repository: true', async () => {
    const w = setup({ driver: 'docker-container', inputs: { cache: 'ecr', 'create-repository': 'true' } })
    await publish(w)
    expect(w.ecr.callsOf('createRepository')).toEqual([['team/api-buildcache', 'MUTABLE', []]])
    expect(flagValues(w.docker.buildArgs() ?? [], 'cache-from')).toEqual([`type=registry,ref=${HOST}/team/api-buildcache:buildcache`])
  })

  it('a companion repository that keeps buildcache immutable is refused', async () => {
    const w = setup({ driver: 'docker-container', inputs: { cache: 'ecr' } })
    w.ecr.addRepository('team/api-buildcache', 'IMMUTABLE')
    expect((await failure(w)).message).toBe(
      'The cache repository team/api-buildcache keeps the tag buildcache immutable, so the cache could be written only once: make team/api-buildcache MUTABLE (it holds only cache), or set cache: none.'
    )
    expect(w.docker.buildArgs()).toBeUndefined()
  })
})

describe('docker failures', () => {
  it('several platforms on the docker driver fail before building, naming docker/setup-buildx-action', async () => {
    const w = setup({ inputs: { platforms: 'linux/amd64,linux/arm64' } })
    expect((await failure(w)).message).toBe(
      "Input 'platforms' lists 2 platforms, but the active buildx builder uses the docker driver on the classic image store, which builds one: add docker/setup-buildx-action (and docker/setup-qemu-action) before this step, turn on the containerd image store, or list one platform."
    )
    expect(w.docker.buildArgs()).toBeUndefined()
  })

  it('one platform on the docker driver is fine', async () => {
    const w = setup({ inputs: { platforms: 'linux/arm64' } })
    await publish(w)
    expect(flagValues(w.docker.buildArgs() ?? [], 'platform')).toEqual(['linux/arm64'])
  })

  it('a builder that is not usable fails the build step, naming the builder', async () => {
    const w = setup({ inputs: { builder: 'ci' } })
    w.docker.before = (call) => (call.args[1] === 'inspect' ? { exitCode: 1, stdout: '', stderr: 'some context\nERROR: no builder "ci" found\n' } : undefined)
    const error = await failure(w)
    expect(w.docker.calls[0]?.args).toEqual(['buildx', 'inspect', '--builder=ci'])
    expect(error.message).toBe(
      `docker buildx is not usable with builder 'ci': ERROR: no builder "ci" found. Install buildx (docker/setup-buildx-action) or fix the builder input.`
    )
    expect(w.docker.buildArgs()).toBeUndefined()
  })

  it('no buildx at all fails the build step with what docker said', async () => {
    const w = setup()
    w.docker.before = (call) => (call.args[1] === 'inspect' ? { exitCode: 1, stdout: "docker: 'buildx' is not a docker command.\n", stderr: '' } : undefined)
    expect((await failure(w)).message).toBe(
      "docker buildx is not usable: docker: 'buildx' is not a docker command.. Install buildx (docker/setup-buildx-action) or fix the builder input."
    )
  })

  it('a docker that throws a non-Error still fails with a readable message', async () => {
    const w = setup()
    w.docker.before = (call) => {
      // A thrown value that is not an Error, as some libraries throw: still one line, never a crash.
      // eslint-disable-next-line @typescript-eslint/only-throw-error
      if (call.args[1] === 'inspect') throw { reason: 'spawn docker ENOENT' }
      return undefined
    }
    const error = await failure(w)
    expect(error).toBeInstanceOf(Error)
    expect(error.message).toBe('{"reason":"spawn docker ENOENT"}')
  })

  it.each([
    [
      '#5 [2/2] RUN make\n#5 ERROR: process "/bin/sh -c make" did not complete successfully: exit code: 2\n------\n',
      '',
      '#5 ERROR: process "/bin/sh -c make" did not complete successfully: exit code: 2'
    ],
    ['', 'last line only\n', 'last line only'],
    ['', '', 'no output']
  ])('a failed build says why in one line (stderr %j, stdout %j)', async (stderr, stdout, why) => {
    const w = setup()
    w.docker.before = (call) => (call.args[1] === 'build' ? { exitCode: 1, stdout, stderr } : undefined)
    expect((await failure(w)).message).toBe(`docker buildx build failed (exit 1): ${why}`)
    expect(w.docker.callsStartingWith('push')).toEqual([])
  })

  it('a failed docker push says that no tag points to a partial image', async () => {
    const w = setup()
    w.docker.before = (call) => (call.args[0] === 'push' ? { exitCode: 1, stdout: 'Pushing\n', stderr: 'error: unknown blob\n' } : undefined)
    expect((await failure(w)).message).toBe(
      'docker push failed (exit 1): error: unknown blob. No tag was written: the tags are written only after the whole image is in the registry; re-run the job.'
    )
  })

  it('a failed staging push leaves no staging tag to delete', async () => {
    const w = setup({ mutability: 'MUTABLE' })
    w.docker.before = (call) => (call.args[0] === 'push' ? { exitCode: 1, stdout: '', stderr: 'denied' } : undefined)
    await failure(w)
    expect(w.ecr.callsOf('deleteTag')).toEqual([])
    expect(w.docker.callsStartingWith('image', 'rm')).toHaveLength(1)
  })

  it('a build that writes no metadata file is reported as unprovable, not as a crash', async () => {
    const w = setup({ driver: 'docker-container' })
    w.docker.before = (call) => (call.args[1] === 'build' ? { exitCode: 0, stdout: '', stderr: '' } : undefined)
    expect((await failure(w)).message).toBe('buildx pushed the image by digest but reported no containerimage.digest in its metadata; nothing was tagged.')
  })

  it('containerd image store: a build that writes no layout is reported as such, not as a crash', async () => {
    const w = setup({ driver: 'docker', imageStore: 'containerd' })
    w.docker.before = (call) => (call.args[1] === 'build' ? { exitCode: 0, stdout: '', stderr: '' } : undefined)
    expect((await failure(w)).message).toMatch(/^buildx wrote no readable OCI layout at .*oci-layout \(.*\); nothing was pushed\.$/)
    expect(w.registry.calls).toEqual([])
  })
})

describe('MUTABLE tags: the settle wait before the final read', () => {
  it('waits at least MUTABLE_SETTLE_MIN_MS on a MUTABLE repository, and a write landing in the wait fails this run', async () => {
    const w = setup({ mutability: 'MUTABLE' })
    const waits: number[] = []
    const sleep = async (ms: number): Promise<void> => {
      waits.push(ms)
      w.ecr.store(REPOSITORY, OTHER, SHA) // another run's PutImage, checked just before ours, lands now
    }
    const error = await publishImage({ ...w.runContext(), sleep }).then(
      () => new Error('expected a failure'),
      (caught: unknown) => caught as Error
    )
    expect(waits).toHaveLength(1)
    expect(waits[0]).toBeGreaterThanOrEqual(MUTABLE_SETTLE_MIN_MS)
    expect(error.message).toBe(
      `Another writer changed ${REPOSITORY}:${SHA} during this run: the registry serves ${OTHER.digest} for it, not ${builtDigest(w)}. ${SUFFIX}`
    )
  })

  it.each(['docker', 'docker-container'] as const)('%s driver, IMMUTABLE: no wait', async (driver) => {
    const w = setup({ driver })
    const waits: number[] = []
    await publishImage({ ...w.runContext(), sleep: async (ms) => void waits.push(ms) })
    expect(waits).toEqual([])
  })

  it('docker-container driver, MUTABLE: waits, then reports the digest the tag still holds', async () => {
    const w = setup({ driver: 'docker-container', mutability: 'MUTABLE' })
    const waits: number[] = []
    const outcome = await publishImage({ ...w.runContext(), sleep: async (ms) => void waits.push(ms) })
    expect(waits).toHaveLength(1)
    expect(outcome).toMatchObject({ result: 'pushed', digest: builtDigest(w) })
  })
})

describe('a tag write failing after others succeeded', () => {
  it('names what was written, what was not, and how to finish; nothing is taken back', async () => {
    const w = setup({ driver: 'docker-container', inputs: { 'extra-tags': 'v9' } })
    w.ecr.before = (call, count) => {
      if (call.op === 'putTag' && count === 2)
        throw new UserError('ECR throttled ecr:PutImage on team/api after 5 attempts: re-run the job, or run fewer builds against this registry at once.')
    }
    const error = await failure(w)
    const digest = builtDigest(w)
    expect(error.message).toBe(
      `ECR throttled ecr:PutImage on team/api after 5 attempts: re-run the job, or run fewer builds against this registry at once. This run had already written ${SHA} (${digest}), which keep this image; v9 was not written: re-run the job with if-tag-exists: skip, which adds it to this image and to no other (README: Troubleshooting, "had already written"). The tag ${SHA} names ${digest}: the step's digest and image outputs name it.`
    )
    expect((error as TagsWrittenError).written).toEqual({ registryHost: HOST, repository: REPOSITORY, digest, tags: [SHA] })
    expect(w.ecr.tagsOf(REPOSITORY)).toEqual({ [SHA]: digest })
  })
})

describe('docker push failure text', () => {
  it('prefers what docker printed on stderr over its progress on stdout', async () => {
    const w = setup()
    w.docker.before = (call) =>
      call.args[0] === 'push'
        ? { exitCode: 1, stdout: '505f19c86b4c: Pushed\nRetrying in 1 second\n', stderr: 'received unexpected HTTP status: 503 Service Unavailable\n' }
        : undefined
    expect((await failure(w)).message).toBe(
      'docker push failed (exit 1): received unexpected HTTP status: 503 Service Unavailable. No tag was written: the tags are written only after the whole image is in the registry; re-run the job.'
    )
  })
})

describe("the engine's own BuildKit (docker driver, containerd image store)", () => {
  let engine: FakeEngine | undefined
  afterEach(async () => {
    await engine?.close()
    engine = undefined
  })

  async function engineWorld(
    options: {
      refuse?: number
      env?: NodeJS.ProcessEnv
      inputs?: Record<string, string>
      mutability?: WorldOptions['mutability']
      /** false: the engine answers GET /info with 404, so the action asks `docker info` (the fake's containerd). */
      answersInfo?: boolean
    } = {}
  ): Promise<World> {
    const w = setup({ driver: 'docker', imageStore: 'containerd', inputs: options.inputs, env: options.env, mutability: options.mutability })
    engine = await startFakeEngine(join(w.root, 'engine.sock'), {
      refuse: options.refuse,
      ...(options.answersInfo === false ? {} : { imageStore: 'containerd' as const })
    })
    if (options.env?.DOCKER_HOST === undefined) w.env.DOCKER_HOST = `unix://${engine.socketPath}`
    return w
  }
  const infoLines = (w: World): string[] => w.runner.messages('info')

  it('pushes by digest through a remote builder of its own on the engine: no layout, no upload by the action, tags by PutImage', async () => {
    const w = await engineWorld({ inputs: { 'extra-tags': 'v2' } })
    const outcome = stored(await publish(w))
    const workDir = join(w.runnerTemp, 'work')
    const [create] = w.docker.callsStartingWith('buildx', 'create')
    const builder = create?.args[3] ?? ''
    expect(create?.args).toEqual(['buildx', 'create', '--name', builder, '--driver', 'remote', `unix://${workDir}/buildkit/engine.sock`])
    expect(builder).toMatch(/^immutable-ecr-build-[0-9a-f]{8}$/)
    const build = w.docker.callsStartingWith('buildx', 'build')[0]
    expect(flagValues(build?.args ?? [], 'builder')).toEqual([builder])
    expect(flagValues(build?.args ?? [], 'output')).toEqual([
      `type=image,name=${IMAGE},push-by-digest=true,name-canonical=true,push=true,store=false,oci-mediatypes=true`
    ])
    // The builder lives in a private BUILDX_CONFIG; the build still logs in with the private DOCKER_CONFIG.
    expect(build?.options.env?.BUILDX_CONFIG).toBe(join(workDir, 'buildx'))
    expect(create?.options.env?.BUILDX_CONFIG).toBe(join(workDir, 'buildx'))
    expect(build?.options.env?.DOCKER_CONFIG).toBe(join(workDir, 'docker-config'))
    // the image store read on the engine's socket (no `docker info`), the probe, then buildx's connection through the proxy
    expect(engine?.upgrades).toBe(2)
    expect(engine?.requests).toEqual(['GET /info ', 'POST /grpc h2c', 'POST /grpc h2c'])
    expect(w.docker.callsStartingWith('info')).toEqual([])
    expect(w.registry.callsOf('uploadBlob')).toEqual([])
    expect(w.registry.callsOf('putManifest')).toEqual([])
    expect(w.docker.callsStartingWith('push')).toEqual([])
    expect(w.ecr.tagsOf(REPOSITORY)).toEqual({ [SHA]: outcome.digest, v2: outcome.digest })
    expect(outcome.digest).toBe(builtDigest(w))
    expect(infoLines(w)).toContain(
      "Upload path: the engine's own BuildKit pushes by digest (docker driver, containerd image store, reached through the engine API's POST /grpc); no tag until the action writes it."
    )
    // The proxy is closed once the build is over.
    await expect(echoThrough(join(workDir, 'buildkit', 'engine.sock'), 'x')).rejects.toThrow()
    expect(existsSync(join(w.home, '.docker', 'buildx'))).toBe(false)
  })

  it('several platforms and cache: ecr take the route too', async () => {
    const w = await engineWorld({ inputs: { platforms: 'linux/amd64,linux/arm64', cache: 'ecr', 'create-repository': 'true' } })
    const outcome = stored(await publish(w))
    const build = w.docker.buildArgs() ?? []
    expect(flagValues(build, 'builder')).toHaveLength(1)
    expect(flagValues(build, 'cache-to')).toHaveLength(1)
    expect(Object.keys(outcome.platformDigests)).toEqual(['linux/amd64', 'linux/arm64'])
    expect(w.registry.callsOf('putManifest')).toEqual([])
  })

  it('untagged: true leaves the image untagged through the route', async () => {
    const w = await engineWorld({ inputs: { untagged: 'true' } })
    const outcome = stored(await publish(w))
    expect(outcome.result).toBe('uploaded')
    expect(w.ecr.tagsOf(REPOSITORY)).toEqual({})
    expect(w.docker.callsStartingWith('buildx', 'create')).toHaveLength(1)
  })

  it.each([
    ['an engine that refuses the upgrade', { refuse: 403 }, 'the engine answered POST /grpc with HTTP 403 instead of 101 Switching Protocols'],
    ['a tcp endpoint', { env: { DOCKER_HOST: 'tcp://127.0.0.1:2375' } }, 'the engine endpoint tcp://127.0.0.1:2375 is not a unix socket'],
    ['an ssh endpoint', { env: { DOCKER_HOST: 'ssh://builder@ci' } }, 'the engine endpoint ssh://builder@ci is not a unix socket'],
    ['the switch turned off', { env: { IMMUTABLE_ECR_BUILD_ENGINE_ROUTE: 'off' } }, 'IMMUTABLE_ECR_BUILD_ENGINE_ROUTE is off']
  ])('%s: the OCI layout upload, and the log says why', async (_name, options, reason) => {
    const w = await engineWorld(options)
    const outcome = stored(await publish(w))
    expect(flagValues(w.docker.buildArgs() ?? [], 'output')).toEqual([`type=oci,dest=${join(w.runnerTemp, 'work', 'oci-layout')},tar=false`])
    expect(flagValues(w.docker.buildArgs() ?? [], 'builder')).toEqual([])
    expect(w.docker.callsStartingWith('buildx', 'create')).toEqual([])
    expect(w.registry.callsOf('putManifest').map((call) => call.digest)).toEqual([outcome.digest])
    expect(infoLines(w)).toContain(
      `Upload path: buildx exports an OCI layout and the action uploads it by digest (the engine's BuildKit is not reachable as a builder: ${reason}).`
    )
  })

  it('a remote builder buildx cannot create: the layout upload, and the proxy closed', async () => {
    const w = await engineWorld()
    w.docker.before = (call) => (call.args[1] === 'create' ? { exitCode: 1, stdout: '', stderr: 'ERROR: failed to find driver "remote"' } : undefined)
    await expect(publish(w)).resolves.toMatchObject({ result: 'pushed' })
    expect(infoLines(w).find((line) => line.startsWith('Upload path:'))).toBe(
      'Upload path: buildx exports an OCI layout and the action uploads it by digest (the engine\'s BuildKit is not reachable as a builder: docker buildx create --driver remote failed: ERROR: failed to find driver "remote").'
    )
    await expect(echoThrough(join(w.runnerTemp, 'work', 'buildkit', 'engine.sock'), 'x')).rejects.toThrow()
  })

  it('a build that fails on the route fails the step, writes no tag and closes the proxy', async () => {
    const w = await engineWorld()
    w.docker.before = (call) => (call.args[1] === 'build' ? { exitCode: 1, stdout: '', stderr: 'ERROR: failed to solve: boom' } : undefined)
    await expect(publish(w)).rejects.toThrow('docker buildx build failed (exit 1): ERROR: failed to solve: boom')
    expect(w.ecr.tagsOf(REPOSITORY)).toEqual({})
    await expect(echoThrough(join(w.runnerTemp, 'work', 'buildkit', 'engine.sock'), 'x')).rejects.toThrow()
  })

  const proxySocket = (w: World): string => join(w.runnerTemp, 'work', 'buildkit', 'engine.sock')

  it('sets the route up while the ECR look-ups are still out: they wait here until buildx has created the builder', async () => {
    const w = await engineWorld()
    let created: () => void = () => undefined
    const builderCreated = new Promise<void>((resolve) => (created = resolve))
    w.docker.before = (call) => {
      if (call.args[1] === 'create') created()
      return undefined
    }
    // Were the set-up still after the look-ups, the first of them would wait for ever (the test's timeout).
    let firstLookUp: string | undefined
    w.ecr.before = async (call) => {
      firstLookUp ??= call.op
      await builderCreated
    }
    await expect(publish(w)).resolves.toMatchObject({ result: 'pushed' })
    expect(firstLookUp).toBeDefined()
    expect(flagValues(w.docker.buildArgs() ?? [], 'builder')).toHaveLength(1)
    await expect(echoThrough(proxySocket(w), 'x')).rejects.toThrow()
  })

  it.each([
    [
      'reused (if-tag-exists: skip)',
      { inputs: { 'if-tag-exists': 'skip' } },
      (w: World) => w.ecr.store(REPOSITORY, imageManifest(revisionConfig(SHA)), SHA),
      { result: 'reused' }
    ],
    [
      'release tags added to the image this commit built',
      { inputs: { 'extra-tags': 'v2', 'if-tag-exists': 'skip' } },
      (w: World) => w.ecr.store(REPOSITORY, imageManifest(revisionConfig(SHA)), SHA),
      { result: 'reused', tags: [SHA, 'v2'] }
    ]
  ])('nothing built (%s): the route set up early is closed', async (_name, options, seed, result) => {
    const w = await engineWorld(options)
    seed(w)
    await expect(publish(w)).resolves.toMatchObject(result)
    expect(w.docker.callsStartingWith('buildx', 'build')).toEqual([])
    expect(w.docker.callsStartingWith('buildx', 'create')).toHaveLength(1)
    await expect(echoThrough(proxySocket(w), 'x')).rejects.toThrow()
  })

  it.each([
    ['the tag exists (refused)', {}, (w: World) => w.ecr.store(REPOSITORY, OTHER, SHA), 'already exists'],
    ['the repository is missing (create-repository: false)', { mutability: null }, () => undefined, 'does not exist'],
    [
      'an ECR look-up fails',
      {},
      (w: World) => {
        w.ecr.before = (call) => {
          if (call.op === 'describeRepository' || call.op === 'getImages') throw new Error('ECR is down')
        }
      },
      'ECR is down'
    ]
  ])('%s: the step fails as before, and the route set up early is closed', async (_name, options, seed, message) => {
    const w = await engineWorld(options)
    seed(w)
    await expect(publish(w)).rejects.toThrow(message)
    expect(w.docker.callsStartingWith('buildx', 'build')).toEqual([])
    expect(w.docker.callsStartingWith('buildx', 'create')).toHaveLength(1)
    await expect(echoThrough(proxySocket(w), 'x')).rejects.toThrow()
  })

  it('an engine that does not answer GET /info: `docker info` says the store, and the route is taken', async () => {
    const w = await engineWorld({ answersInfo: false })
    await expect(publish(w)).resolves.toMatchObject({ result: 'pushed' })
    expect(w.docker.callsStartingWith('info')).toHaveLength(1)
    expect(flagValues(w.docker.buildArgs() ?? [], 'builder')).toHaveLength(1)
  })

  it('a builder that cannot be inspected: its error as before, and no route set up', async () => {
    const w = await engineWorld({ answersInfo: false })
    w.docker.before = (call) => (call.args[0] === 'info' ? { exitCode: 1, stdout: '', stderr: 'Cannot connect to the Docker daemon' } : undefined)
    await expect(publish(w)).rejects.toThrow(
      'docker info failed (exit 1): Cannot connect to the Docker daemon. The docker driver needs a running Docker engine.'
    )
    expect(w.docker.callsStartingWith('buildx', 'create')).toEqual([])
    expect(engine?.requests).toEqual(['GET /info '])
  })

  it('the classic store and BuildKit drivers never open the route', async () => {
    for (const options of [{ driver: 'docker', imageStore: 'classic' }, { driver: 'docker-container' }] as const) {
      const w = setup(options)
      engine = await startFakeEngine(join(w.root, 'engine.sock'), { imageStore: 'classic' })
      w.env.DOCKER_HOST = `unix://${engine.socketPath}`
      await publish(w)
      // The docker driver reads the image store on the socket; nothing asks for the upgrade.
      expect(engine.requests).toEqual(options.driver === 'docker' ? ['GET /info '] : [])
      await engine.close()
      engine = undefined
      w.cleanup()
    }
  })
})
