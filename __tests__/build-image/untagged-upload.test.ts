import { afterEach, describe, expect, it } from '@jest/globals'
import { UserError } from '../../src/shared/errors.js'
import { parseInputs } from '../../src/build-image/inputs.js'
import { publishImage } from '../../src/build-image/pipeline.js'
import { actionOutputs } from '../../src/publish/report.js'
import { RefusedError } from '../../src/publish/outcome.js'
import { configDigest, imageManifest } from '../../__fixtures__/images.js'
import { createWorld, REPOSITORY, SHA, stored, type World, type WorldOptions } from '../../__fixtures__/world.js'

let world: World | undefined
afterEach(() => {
  world?.cleanup()
  world = undefined
})
function setup(options: WorldOptions): World {
  world = createWorld(options)
  return world
}

describe('untagged: input rules', () => {
  it.each([
    [
      { untagged: 'true', push: 'false' },
      "Input 'untagged' 'true' uploads the image, and 'push' is 'false': set push: true, or untagged: false for a build-only run."
    ],
    [
      { untagged: 'true', platforms: 'linux/amd64,linux/arm64' },
      "Input 'untagged' 'true' builds one platform per step, and 'platforms' has 2 (linux/amd64, linux/arm64): give one platform per matrix job, or set untagged: false."
    ],
    [{ untagged: 'yes' }, "Input 'untagged' 'yes' is not a boolean: use true or false."]
  ])('%j is refused', (values, message) => {
    expect(() => parseInputs((name) => (({ repository: 'team/api', ...values }) as Record<string, string>)[name] ?? '', { AWS_REGION: 'us-east-1' })).toThrow(
      new UserError(message)
    )
  })
})

describe('untagged: true, the per-platform step', () => {
  it('uploads one platform by digest and writes no tag; outputs the digest and the platform', async () => {
    const w = setup({ driver: 'docker-container', inputs: { untagged: 'true', platforms: 'linux/arm64' } })
    const outcome = stored(await publishImage(w.runContext()))
    expect(w.ecr.callsOf('putTag')).toEqual([])
    expect(w.ecr.tagsOf(REPOSITORY)).toEqual({})
    expect(w.ecr.repository(REPOSITORY).images.has(outcome.digest)).toBe(true)
    const outputs = actionOutputs(outcome)
    expect([outputs.pushed, outputs.tags, outputs.platform, outputs['platform-digests']]).toEqual([
      'true',
      '',
      'linux/arm64',
      JSON.stringify({ 'linux/arm64': outcome.digest })
    ])
  })

  it('a finished commit (SHA tag present) stops before building', async () => {
    const w = setup({ driver: 'docker-container', inputs: { untagged: 'true', platforms: 'linux/arm64' } })
    w.ecr.store(REPOSITORY, imageManifest(configDigest('earlier')), SHA)
    await expect(publishImage(w.runContext())).rejects.toBeInstanceOf(RefusedError)
    expect(w.docker.callsStartingWith('buildx', 'build')).toEqual([])
  })

  it('the classic store cannot upload untagged: refused before building', async () => {
    const w = setup({ driver: 'docker', imageStore: 'classic', inputs: { untagged: 'true' } })
    await expect(publishImage(w.runContext())).rejects.toThrow("Input 'untagged' 'true' needs a BuildKit builder")
    expect(w.docker.callsStartingWith('buildx', 'build')).toEqual([])
  })
})

describe('scan gate in a push', () => {
  it.each([
    ['docker-container', 'classic'],
    ['docker', 'classic']
  ] as const)('%s driver: a failing scan writes no tag, and the line says what became of the image', async (driver, imageStore) => {
    const w = setup({ driver, imageStore, inputs: { 'fail-on-severity': 'high' } })
    w.ecr.scanResults.set('*', [
      {
        found: true,
        status: 'COMPLETE',
        description: undefined,
        findings: [{ severity: 'CRITICAL', id: 'CVE-2026-7', packageName: 'zlib', packageVersion: '1', fixedIn: '2', uri: undefined }],
        severityCounts: {},
        completedAt: undefined
      }
    ])
    await expect(publishImage(w.runContext())).rejects.toThrow(
      new RegExp(
        `1 CRITICAL; worst: CVE-2026-7\\. No tag was written; ${driver === 'docker' ? 'the refused image was removed with its one-off staging tag immutable-ecr-build-staging-[0-9a-f]{16} \\(ECR deletes an image with its last tag\\)\\.$' : 'the image stays untagged\\.$'}`
      )
    )
    expect(w.ecr.callsOf('putTag')).toEqual([])
    expect(w.ecr.tagsOf(REPOSITORY)).toEqual({})
  })

  const critical = {
    found: true as const,
    status: 'COMPLETE',
    description: undefined,
    findings: [{ severity: 'CRITICAL' as const, id: 'CVE-2026-7', packageName: 'zlib', packageVersion: '1', fixedIn: '2', uri: undefined }],
    severityCounts: {},
    completedAt: undefined
  }

  it('classic store, the staging tag cannot be removed (no ecr:BatchDeleteImage): the line says the refused image still sits under it, and how to remove it', async () => {
    const w = setup({ driver: 'docker', imageStore: 'classic', inputs: { 'fail-on-severity': 'high' } })
    w.ecr.scanResults.set('*', [critical])
    w.ecr.before = (call) => {
      if (call.op === 'deleteTag') throw new UserError('AWS denied ecr:BatchDeleteImage on team/api.')
    }
    const message = await publishImage(w.runContext()).then(
      () => 'no error',
      (error: unknown) => (error as Error).message
    )
    const staging = Object.keys(w.ecr.tagsOf(REPOSITORY))
    expect(staging).toEqual([expect.stringMatching(/^immutable-ecr-build-staging-[0-9a-f]{16}$/)])
    expect(message).toBe(
      `The image scan found vulnerabilities at or above HIGH (fail-on-severity): 1 CRITICAL; worst: CVE-2026-7. No tag was written; the refused image still sits under the staging tag ${staging[0]}, whose removal failed (AWS denied ecr:BatchDeleteImage on team/api): remove it with \`aws ecr batch-delete-image --repository-name ${REPOSITORY} --image-ids imageTag=${staging[0]}\`.`
    )
    expect(w.ecr.callsOf('deleteTag')).toHaveLength(1)
    expect(w.runner.messages('info')).toContain(
      `Scan gate: until it passes, the image sits under the one-off staging tag ${staging[0]}; if this job is cancelled meanwhile, remove it with \`aws ecr batch-delete-image --repository-name ${REPOSITORY} --image-ids imageTag=${staging[0]}\`.`
    )
  })

  it('classic store, an image ECR cannot scan: "No tag was written" once, with what became of the image', async () => {
    const w = setup({ driver: 'docker', imageStore: 'classic', inputs: { 'fail-on-severity': 'high' } })
    w.ecr.scanResults.set('*', [{ ...critical, status: 'UNSUPPORTED_IMAGE', description: 'no OS', findings: [] }])
    const message = await publishImage(w.runContext()).then(
      () => 'no error',
      (error: unknown) => (error as Error).message
    )
    expect(message.match(/No tag was written/g)).toHaveLength(1)
    expect(message).toMatch(/ No tag was written; the refused image was removed with its one-off staging tag immutable-ecr-build-staging-[0-9a-f]{16} /)
  })

  it('classic store, a gate that fails otherwise (scan FAILED): the line still says what became of the image', async () => {
    const w = setup({ driver: 'docker', imageStore: 'classic', inputs: { 'fail-on-severity': 'high' } })
    w.ecr.scanResults.set('*', [{ ...critical, status: 'FAILED', description: 'no package manager', findings: [] }])
    const message = await publishImage(w.runContext()).then(
      () => 'no error',
      (error: unknown) => (error as Error).message
    )
    expect(message).toMatch(
      / No tag was written; the refused image was removed with its one-off staging tag immutable-ecr-build-staging-[0-9a-f]{16} \(ECR deletes an image with its last tag\)\.$/
    )
    // Said once, whether or not the gate's own line already said that no tag was written.
    expect(message.match(/No tag was written/g)).toHaveLength(1)
    expect(w.ecr.tagsOf(REPOSITORY)).toEqual({})
  })

  it.each(['docker-container', 'docker'] as const)(
    '%s driver (by digest): the one-platform image is named by its platform in the gate’s log and summary',
    async (driver) => {
      const w = setup({ driver, imageStore: 'containerd', inputs: { 'fail-on-severity': 'critical' } })
      w.ecr.scanResults.set('*', [{ found: true, status: 'COMPLETE', description: undefined, findings: [], severityCounts: {}, completedAt: undefined }])
      const outcome = stored(await publishImage(w.runContext()))
      expect(w.runner.summaries.join('\n')).toContain(`#### linux/amd64 ${outcome.digest}`)
    }
  )

  it('a passing scan is waited for before the first tag', async () => {
    const w = setup({ driver: 'docker-container', inputs: { 'fail-on-severity': 'critical' } })
    w.ecr.scanResults.set('*', [{ found: true, status: 'COMPLETE', description: undefined, findings: [], severityCounts: {}, completedAt: undefined }])
    await publishImage(w.runContext())
    const order = w.ecr.calls.map((call) => call.op).filter((op) => op === 'describeScanFindings' || op === 'putTag')
    expect(order).toEqual(['describeScanFindings', 'putTag'])
  })
})
