import { describe, expect, it } from '@jest/globals'
import { UserError } from '../../src/shared/errors.js'
import type { Descriptor } from '../../src/shared/image-graph.js'
import { mergedIndex, parseDigestsInput, planMerge, type Resolved } from '../../src/merge/merge-plan.js'

const d = (c: string): string => `sha256:${c.repeat(64)}`
const SHA = '3f2a9c1e4b5d6f708192a3b4c5d6e7f801234567'
const OTHER_SHA = '0123456789abcdef0123456789abcdef01234567'
const M = 'application/vnd.oci.image.manifest.v1+json'

describe('parseDigestsInput', () => {
  it.each([
    [
      `${d('a')}\n${d('b')}`,
      [
        { digest: d('a'), platform: undefined },
        { digest: d('b'), platform: undefined }
      ]
    ],
    [
      ` ${d('a')} , ${d('b')} `,
      [
        { digest: d('a'), platform: undefined },
        { digest: d('b'), platform: undefined }
      ]
    ],
    [
      `{"linux/amd64":"${d('a')}"}\n{"linux/arm64":"${d('b')}"}`,
      [
        { digest: d('a'), platform: 'linux/amd64' },
        { digest: d('b'), platform: 'linux/arm64' }
      ]
    ],
    [
      `{"linux/amd64":"${d('a')}","linux/arm64/v8":"${d('b')}"}`,
      [
        { digest: d('a'), platform: 'linux/amd64' },
        { digest: d('b'), platform: 'linux/arm64/v8' }
      ]
    ],
    [
      `{"linux/amd64":"${d('a')}"}\n{"linux/amd64":"${d('a')}"}\n${d('c')}`,
      [
        { digest: d('a'), platform: 'linux/amd64' },
        { digest: d('c'), platform: undefined }
      ]
    ]
  ])('%s', (value, claims) => {
    expect(parseDigestsInput(value)).toEqual(claims)
  })
  it.each([
    ['', "Input 'digests' is required: give the digest output of every per-platform step (untagged: true), one per line."],
    ['sha256:abc', "Input 'digests' has 'sha256:abc', which is not a digest: use sha256:<64 hex> digests or platform-digests JSON objects, one per line."],
    [
      `{"linux/amd64":${d('a')}}`,
      `Input 'digests' has '{"linux/amd64":${d('a')}}', which is not a JSON object: pass platform-digests outputs as they are, e.g. {"linux/amd64":"sha256:…"}.`
    ],
    [`{"amd64":"${d('a')}"}`, `Input 'digests' has 'amd64: ${d('a')}', which is not a platform such as linux/arm64 with a sha256:<64 hex> digest.`]
  ])('%j is refused', (value, message) => {
    expect(() => parseDigestsInput(value)).toThrow(new UserError(message))
  })
})

const image = (c: string): Descriptor => ({ mediaType: M, digest: d(c), size: 400 })
function ok(c: string, platform: string, overrides: Partial<Extract<Resolved, { kind: 'image' }>> = {}): Resolved {
  return { kind: 'image', claim: { digest: d(c), platform: undefined }, image: image(c), platform, revision: SHA, attestations: [], ...overrides }
}

describe('planMerge', () => {
  it('merges, sorted by platform whatever the order given', () => {
    const plan = planMerge([ok('b', 'linux/arm64'), ok('a', 'linux/amd64')], [], SHA, 'team/api')
    expect(plan).toEqual({
      kind: 'merge',
      entries: [
        { platform: 'linux/amd64', image: image('a'), attestations: [] },
        { platform: 'linux/arm64', image: image('b'), attestations: [] }
      ]
    })
  })

  it('linux/arm64 in platforms or a claim matches a config that says arm64/v8 (official base images do); the config names the entry', () => {
    const plan = planMerge(
      [ok('a', 'linux/arm64/v8', { claim: { digest: d('a'), platform: 'linux/arm64' } }), ok('b', 'linux/amd64')],
      ['linux/amd64', 'linux/arm64'],
      SHA,
      'team/api'
    )
    expect(plan.kind === 'merge' && plan.entries.map((entry) => entry.platform)).toEqual(['linux/amd64', 'linux/arm64/v8'])
  })

  it('the same image given twice (digest and platform-digests) counts once', () => {
    const plan = planMerge(
      [ok('a', 'linux/amd64'), ok('a', 'linux/amd64', { claim: { digest: d('a'), platform: 'linux/amd64' } })],
      ['linux/amd64'],
      SHA,
      'team/api'
    )
    expect(plan.kind === 'merge' && plan.entries.length).toBe(1)
  })

  it.each<[string, Resolved[], string[], string]>([
    [
      'a digest not in the repository',
      [ok('a', 'linux/amd64'), { kind: 'missing', claim: { digest: d('c'), platform: undefined } }],
      [],
      `${d('c')} is not in team/api`
    ],
    [
      'an index of two platforms',
      [{ kind: 'not-one-platform', claim: { digest: d('c'), platform: undefined }, platforms: 2 }],
      [],
      `${d('c')} is an index of 2 platforms`
    ],
    [
      'a child of another commit',
      [ok('a', 'linux/amd64'), ok('b', 'linux/arm64', { revision: OTHER_SHA })],
      [],
      `${d('b')} was built from commit ${OTHER_SHA}, not ${SHA}`
    ],
    [
      'a child without a revision label',
      [ok('a', 'linux/amd64', { revision: undefined })],
      [],
      'was built from commit (no org.opencontainers.image.revision label)'
    ],
    ['a platform twice', [ok('a', 'linux/amd64'), ok('b', 'linux/amd64')], [], `linux/amd64 is given twice (${d('a')} and ${d('b')})`],
    [
      'a platform twice under two spellings (arm64 and arm64/v8 are one platform)',
      [ok('a', 'linux/arm64'), ok('b', 'linux/arm64/v8')],
      [],
      `linux/arm64/v8 is given twice (${d('a')} and ${d('b')})`
    ],
    [
      'a claim for another variant',
      [ok('a', 'linux/arm/v6', { claim: { digest: d('a'), platform: 'linux/arm/v7' } })],
      [],
      'is claimed as linux/arm/v7 but its config says linux/arm/v6'
    ],
    [
      'a claim for another platform',
      [ok('a', 'linux/amd64', { claim: { digest: d('a'), platform: 'linux/arm64' } })],
      [],
      'is claimed as linux/arm64 but its config says linux/amd64'
    ],
    ['a platform missing', [ok('a', 'linux/amd64')], ['linux/amd64', 'linux/arm64'], 'No digest for linux/arm64 (platforms expects linux/amd64, linux/arm64)'],
    ['a platform not expected', [ok('a', 'linux/amd64'), ok('b', 'linux/arm64')], ['linux/amd64'], 'linux/arm64 is not in platforms (linux/amd64)'],
    ['a config without a platform', [ok('a', '', { platform: undefined })], [], 'has no platform in its config']
  ])('refuses %s, and says nothing was written', (_name, resolved, expected, reason) => {
    const plan = planMerge(resolved, expected, SHA, 'team/api')
    expect(plan.kind).toBe('refuse')
    expect(plan.kind === 'refuse' && plan.reason).toContain(reason)
    expect(plan.kind === 'refuse' && plan.reason.endsWith(' Nothing was written.')).toBe(true)
  })
})

describe('mergedIndex', () => {
  const attestation: Descriptor = {
    mediaType: M,
    digest: d('e'),
    size: 800,
    platform: { os: 'unknown', architecture: 'unknown' },
    annotations: { 'vnd.docker.reference.digest': d('b'), 'vnd.docker.reference.type': 'attestation-manifest' }
  }
  const entries = [
    { platform: 'linux/amd64', image: image('a'), attestations: [] },
    { platform: 'linux/arm64/v8', image: image('b'), attestations: [attestation] }
  ]
  it('is an OCI index: images with their platform first, then attestations; the digest is of its bytes', () => {
    const index = mergedIndex(entries)
    const body = JSON.parse(index.bytes.toString('utf8')) as { mediaType: string; manifests: Record<string, unknown>[] }
    expect(body.mediaType).toBe('application/vnd.oci.image.index.v1+json')
    expect(body.manifests.map((entry) => [entry.digest, entry.platform])).toEqual([
      [d('a'), { architecture: 'amd64', os: 'linux' }],
      [d('b'), { architecture: 'arm64', os: 'linux', variant: 'v8' }],
      [d('e'), { architecture: 'unknown', os: 'unknown' }]
    ])
    expect(index.digest).toMatch(/^sha256:[0-9a-f]{64}$/)
  })
  it('the same entries give the same bytes, so racing merges write one index', () => {
    expect(mergedIndex(entries).digest).toBe(mergedIndex(entries.map((entry) => ({ ...entry }))).digest)
  })
})
