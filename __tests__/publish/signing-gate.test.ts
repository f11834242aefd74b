import { afterEach, describe, expect, it } from '@jest/globals'
import type { SigningStatus } from '../../src/adapters/ecr.js'
import { UserError } from '../../src/shared/errors.js'
import { publishImage } from '../../src/build-image/pipeline.js'
import {
  assertSigningConfigured,
  parseSigningGateInputs,
  passSigningGate,
  profilesFor,
  signableImages,
  signingConfigurationRefusal,
  signingStep,
  wildcardMatch,
  type SigningGateOptions
} from '../../src/publish/signing-gate.js'
import { FakeEcr } from '../../__fixtures__/fake-ecr.js'
import { FakeRunner } from '../../__fixtures__/fake-runner.js'
import { CONFIG_BLOBS, configDigest, imageManifest, multiPlatformImage, sha256 } from '../../__fixtures__/images.js'
import { createWorld, REPOSITORY, SHA, type World, type WorldOptions } from '../../__fixtures__/world.js'

const PROFILE = 'arn:aws:signer:us-east-1:123456789012:/signing-profiles/ci'
const OTHER_PROFILE = 'arn:aws:signer:us-east-1:123456789012:/signing-profiles/release'
const status = (value: string, extra: Partial<SigningStatus> = {}): SigningStatus => ({
  signingProfileArn: PROFILE,
  status: value,
  failureCode: undefined,
  failureReason: undefined,
  ...extra
})
const ON: SigningGateOptions = { requirement: 'managed', timeoutSeconds: 30 }

describe('parseSigningGateInputs', () => {
  const parse = (values: Record<string, string>): SigningGateOptions => parseSigningGateInputs((name) => values[name] ?? '')
  it.each([
    [{}, { requirement: 'off', timeoutSeconds: 600 }],
    [
      { 'require-signature': 'managed', 'signature-timeout': '90' },
      { requirement: 'managed', timeoutSeconds: 90 }
    ],
    [{ 'require-signature': ' off ' }, { requirement: 'off', timeoutSeconds: 600 }]
  ])('%j → %j', (values, expected) => {
    expect(parse(values)).toEqual(expected)
  })
  it.each([
    [{ 'require-signature': 'cosign' }, "Input 'require-signature' 'cosign' is not allowed: use off, or managed (ECR managed signing)."],
    [{ 'signature-timeout': '0' }, "Input 'signature-timeout' '0' is not allowed: use a whole number of seconds from 1 to 3600."],
    [{ 'signature-timeout': '3601' }, "Input 'signature-timeout' '3601' is not allowed: use a whole number of seconds from 1 to 3600."]
  ])('%j is refused with one line naming the input', (values, message) => {
    expect(() => parse(values)).toThrow(new UserError(message))
  })
})

describe('which rules cover a repository', () => {
  it.each([
    ['*', 'team/api', true],
    ['team/*', 'team/api', true],
    ['team/*', 'other/api', false],
    ['team/api', 'team/api', true],
    ['team/api', 'team/api-staging', false],
    ['*-prod', 'api-prod', true],
    ['a.b', 'axb', false]
  ])('WILDCARD_MATCH %s on %s: %s', (filter, repository, expected) => {
    expect(wildcardMatch(filter, repository)).toBe(expected)
  })

  it('a rule without filters signs every repository; each matching rule adds its profile', () => {
    const rules = [
      { signingProfileArn: PROFILE, repositoryFilters: [] },
      { signingProfileArn: OTHER_PROFILE, repositoryFilters: ['release/*'] }
    ]
    expect(profilesFor(rules, 'team/api')).toEqual([PROFILE])
    expect(profilesFor(rules, 'release/api')).toEqual([PROFILE, OTHER_PROFILE])
  })

  it.each([
    [undefined, 'has no signing configuration'],
    [
      [{ signingProfileArn: PROFILE, repositoryFilters: ['other/*'] }],
      "no rule of the registry's signing configuration covers team/api (its repository filters: other/*)"
    ],
    [[{ signingProfileArn: PROFILE, repositoryFilters: ['team/*'] }], undefined]
  ] as const)('refusal for %j', (rules, expected) => {
    const refusal = signingConfigurationRefusal(rules, 'team/api')
    if (expected === undefined) expect(refusal).toBeUndefined()
    else expect(refusal).toContain(expected)
  })
})

describe('signingStep', () => {
  it.each<[string, SigningStatus[], boolean, string]>([
    ['no status yet: wait', [], false, 'wait'],
    ['IN_PROGRESS: wait', [status('IN_PROGRESS')], false, 'wait'],
    ['every profile COMPLETE: signed', [status('COMPLETE'), status('COMPLETE', { signingProfileArn: OTHER_PROFILE })], false, 'signed'],
    ['one profile still IN_PROGRESS: wait', [status('COMPLETE'), status('IN_PROGRESS', { signingProfileArn: OTHER_PROFILE })], false, 'wait'],
    ['FAILED: fail at once', [status('FAILED', { failureCode: 'AccessDenied', failureReason: 'not allowed' })], false, 'fail'],
    ['timed out IN_PROGRESS: fail', [status('IN_PROGRESS')], true, 'fail'],
    ['timed out with no status: fail', [], true, 'fail']
  ])('%s', (_name, statuses, timedOut, action) => {
    expect(signingStep('img', statuses, timedOut, 30).action).toBe(action)
  })

  it('FAILED: one line with the profile, the code and the reason', () => {
    const step = signingStep(
      'linux/arm64 sha256:x',
      [status('FAILED', { failureCode: 'AccessDenied', failureReason: 'User is not\nauthorized to perform signer:SignPayload' })],
      false,
      30
    )
    expect(step).toEqual({
      action: 'fail',
      message: `ECR managed signing FAILED for linux/arm64 sha256:x (profile ${PROFILE}): AccessDenied: User is not authorized to perform signer:SignPayload. No tag was written; the image stays untagged. Fix the cause (the pusher needs signer:SignPayload on the profile) and re-run.`
    })
  })
})

describe('signableImages', () => {
  it('a single image: itself; an index: itself and each platform image, attestations left out', () => {
    const single = imageManifest(configDigest('sign:linux/amd64'))
    const multi = multiPlatformImage('sign', ['linux/amd64', 'linux/arm64'])
    expect(signableImages(single.digest, single.manifest, single.mediaType).map((image) => image.digest)).toEqual([single.digest])
    expect(signableImages(multi.index.digest, multi.index.manifest, multi.index.mediaType).map((image) => image.label)).toEqual([
      `the index ${multi.index.digest}`,
      `linux/amd64 ${multi.children[0]?.digest}`,
      `linux/arm64 ${multi.children[1]?.digest}`
    ])
  })
})

/** A gate run on a fake clock: every sleep moves time on, so timeouts happen without waiting. */
function gate(answers: Record<string, SigningStatus[][]>) {
  const ecr = new FakeEcr()
  ecr.addRepository('team/api')
  for (const [digest, list] of Object.entries(answers)) ecr.signingResults.set(digest, list)
  const runner = new FakeRunner()
  let now = 0
  const deps = { ecr, runner, clock: () => now, sleep: async (ms: number) => void (now += ms) }
  return { ecr, runner, deps }
}

describe('passSigningGate', () => {
  const A = { label: 'the index sha256:a', digest: `sha256:${'a'.repeat(64)}` }
  const B = { label: 'linux/arm64 sha256:b', digest: `sha256:${'b'.repeat(64)}` }

  it('waits until every image is COMPLETE, logging what it waits for', async () => {
    const g = gate({ [A.digest]: [[], [status('IN_PROGRESS')], [status('COMPLETE')]], [B.digest]: [[status('COMPLETE')]] })
    await passSigningGate(g.deps, 'team/api', [A, B], ON)
    expect(g.ecr.callsOf('signingStatuses').map((args) => args[1])).toEqual([A.digest, B.digest, A.digest, A.digest])
    expect(g.runner.messages('info')).toContain('Signing gate: waiting for the index sha256:a (0 s of 30 s).')
    expect(g.runner.messages('info').at(-1)).toBe('Signing gate passed: ECR reports every manifest signed.')
  })

  it('FAILED refuses with ECR’s reason in one line', async () => {
    const g = gate({ [A.digest]: [[status('FAILED', { failureCode: 'SignerError', failureReason: 'profile revoked' })]] })
    await expect(passSigningGate(g.deps, 'team/api', [A], ON)).rejects.toThrow(`(profile ${PROFILE}): SignerError: profile revoked. No tag was written`)
  })

  it('times out cleanly: one line naming the image and what ECR last said', async () => {
    const g = gate({ [A.digest]: [[status('IN_PROGRESS')]] })
    await expect(passSigningGate(g.deps, 'team/api', [A], ON)).rejects.toThrow(
      new UserError(
        'ECR managed signing did not complete for the index sha256:a within 30 s (still IN_PROGRESS). No tag was written; the image stays untagged. Re-run, or raise signature-timeout.'
      )
    )
  })

  it('off: asks ECR nothing', async () => {
    const g = gate({})
    await passSigningGate(g.deps, 'team/api', [A], { requirement: 'off', timeoutSeconds: 30 })
    await assertSigningConfigured(g.deps, 'team/api', { requirement: 'off', timeoutSeconds: 30 }, false)
    expect(g.ecr.calls).toEqual([])
  })

  it('registry-id set: the configuration of another account cannot be read, so the check is left to the gate', async () => {
    const g = gate({})
    await assertSigningConfigured(g.deps, 'team/api', ON, true)
    expect(g.ecr.callsOf('signingRules')).toEqual([])
  })
})

describe('require-signature: managed in a push', () => {
  let world: World | undefined
  afterEach(() => {
    world?.cleanup()
    world = undefined
  })
  const setup = (options: WorldOptions): World => (world = createWorld(options))

  it('no signing configuration: refused before the build, nothing written', async () => {
    const w = setup({ driver: 'docker-container', inputs: { 'require-signature': 'managed' } })
    await expect(publishImage(w.runContext())).rejects.toThrow('the registry has no signing configuration (ECR managed signing)')
    expect(w.docker.builds).toEqual([])
  })

  it.each([
    ['docker-container', 'classic'],
    ['docker', 'classic'],
    ['docker', 'containerd']
  ] as const)('%s driver on the %s store: the tag waits for COMPLETE', async (driver, imageStore) => {
    const w = setup({ driver, imageStore, inputs: { 'require-signature': 'managed' } })
    w.ecr.signingConfiguration = [{ signingProfileArn: PROFILE, repositoryFilters: ['team/*'] }]
    w.ecr.signingResults.set('*', [[status('IN_PROGRESS')], [status('COMPLETE')]])
    await publishImage({ ...w.runContext(), sleep: async () => undefined })
    const order = w.ecr.calls.map((call) => call.op).filter((op) => op === 'signingStatuses' || op === 'putTag')
    expect(order.slice(0, 3)).toEqual(['signingStatuses', 'signingStatuses', 'putTag'])
  })

  it('FAILED: no tag written, the line says what became of the image', async () => {
    const w = setup({ driver: 'docker-container', inputs: { 'require-signature': 'managed' } })
    w.ecr.signingConfiguration = [{ signingProfileArn: PROFILE, repositoryFilters: [] }]
    w.ecr.signingResults.set('*', [[status('FAILED', { failureCode: 'AccessDeniedException', failureReason: 'no signer:SignPayload' })]])
    await expect(publishImage(w.runContext())).rejects.toThrow('AccessDeniedException: no signer:SignPayload. No tag was written; the image stays untagged.')
    expect(w.ecr.tagsOf(REPOSITORY)).toEqual({})
  })
})

describe('require-signature: managed when adding release tags', () => {
  let world: World | undefined
  afterEach(() => {
    world?.cleanup()
    world = undefined
  })

  it.each([
    ['COMPLETE: the release tag is written', [[status('COMPLETE')]], undefined],
    [
      'FAILED: nothing is written',
      [[status('FAILED', { failureCode: 'SignerError', failureReason: 'profile revoked' })]],
      'SignerError: profile revoked. No tag was written'
    ]
  ])('a release tag added to the built image waits for its signature too; %s', async (_name, answers, failure) => {
    world = createWorld({ inputs: { 'extra-tags': 'v1.2.3', 'if-tag-exists': 'skip', 'require-signature': 'managed' } })
    const w = world
    const label = JSON.stringify({
      os: 'linux',
      architecture: 'amd64',
      config: { Labels: { 'org.opencontainers.image.revision': SHA } },
      rootfs: { type: 'layers', diff_ids: [] }
    })
    CONFIG_BLOBS.set(sha256(label), label)
    const built = imageManifest(sha256(label))
    w.ecr.store(REPOSITORY, built, SHA)
    w.ecr.signingConfiguration = [{ signingProfileArn: PROFILE, repositoryFilters: [] }]
    w.ecr.signingResults.set(built.digest, answers)
    const run = publishImage(w.runContext())
    if (failure) {
      await expect(run).rejects.toThrow(failure)
      expect(w.ecr.tagsOf(REPOSITORY)).toEqual({ [SHA]: built.digest })
    } else {
      await run
      expect(w.ecr.tagsOf(REPOSITORY)).toEqual({ [SHA]: built.digest, 'v1.2.3': built.digest })
    }
    expect(w.ecr.callsOf('signingStatuses').map((args) => args[1])).toEqual([built.digest])
  })
})
