import { describe, expect, it } from '@jest/globals'
import type { UntaggedImage } from '../../src/adapters/ecr.js'
import { parseManifest } from '../../src/shared/image-graph.js'
import {
  choosePerPlatform,
  discoveredClaims,
  missingPlatformsMessage,
  otherRunLine,
  possibleWrappers,
  untaggedCandidates,
  worthReading,
  type Examined
} from '../../src/merge/discovery-plan.js'

const d = (c: string): string => `sha256:${c.repeat(64)}`
const SHA = '3f2a9c1e4b5d6f708192a3b4c5d6e7f801234567'
const OTHER_SHA = '0123456789abcdef0123456789abcdef01234567'
const RUN = '16842214551'
const OTHER_RUN = '16842299999'
const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json'
const DOCKER_MANIFEST = 'application/vnd.docker.distribution.manifest.v2+json'
const OCI_INDEX = 'application/vnd.oci.image.index.v1+json'
const DOCKER_LIST = 'application/vnd.docker.distribution.manifest.list.v2+json'
const at = (second: number | undefined): Date | undefined => (second === undefined ? undefined : new Date(Date.UTC(2026, 0, 1, 0, 0, second)))
const untagged = (c: string, mediaType: string, second: number | undefined): UntaggedImage => ({ digest: d(c), mediaType, pushedAt: at(second) })

describe('untaggedCandidates', () => {
  it.each<[string, UntaggedImage[], number, string[], string[]]>([
    [
      'newest first whatever the listing order',
      [untagged('a', OCI_MANIFEST, 1), untagged('b', OCI_MANIFEST, 3), untagged('c', DOCKER_MANIFEST, 2)],
      100,
      ['b', 'c', 'a'],
      []
    ],
    [
      'indexes apart, anything else skipped',
      [untagged('a', OCI_INDEX, 1), untagged('b', DOCKER_LIST, 2), untagged('c', 'application/vnd.example+json', 3), untagged('e', '', 4)],
      100,
      [],
      ['b', 'a']
    ],
    [
      'at most the limit of image manifests, the newest',
      [untagged('a', OCI_MANIFEST, 1), untagged('b', OCI_MANIFEST, 2), untagged('c', OCI_MANIFEST, 3)],
      2,
      ['c', 'b'],
      []
    ],
    [
      'no push time sorts last; a tie by digest',
      [untagged('c', OCI_MANIFEST, undefined), untagged('b', OCI_MANIFEST, 1), untagged('a', OCI_MANIFEST, 1)],
      100,
      ['a', 'b', 'c'],
      []
    ]
  ])('%s', (_name, images, limit, manifests, indexes) => {
    const candidates = untaggedCandidates(images, limit)
    expect(candidates.manifests.map((image) => image.digest)).toEqual(manifests.map(d))
    expect(candidates.indexes.map((image) => image.digest)).toEqual(indexes.map(d))
  })
})

describe('worthReading', () => {
  const manifest = (layers: string[], config = 'application/vnd.oci.image.config.v1+json'): string =>
    JSON.stringify({
      mediaType: OCI_MANIFEST,
      config: { mediaType: config, digest: d('c'), size: 1 },
      layers: layers.map((mediaType) => ({ mediaType, digest: d('1'), size: 1 }))
    })
  it.each([
    ['an image', manifest(['application/vnd.oci.image.layer.v1.tar+gzip']), true],
    ['an image without layers', manifest([]), true],
    ['a Docker image', manifest(['application/vnd.docker.image.rootfs.diff.tar.gzip'], 'application/vnd.docker.container.image.v1+json'), true],
    ['an artifact (a Helm chart)', manifest(['application/vnd.cncf.helm.chart.content.v1.tar+gzip'], 'application/vnd.cncf.helm.config.v1+json'), false],
    ['an attestation (in-toto layers only)', manifest(['application/vnd.in-toto+json', 'application/vnd.in-toto+json']), false],
    ['an index', JSON.stringify({ mediaType: OCI_INDEX, manifests: [] }), false]
  ])('%s', (_name, bytes, expected) => {
    expect(worthReading(parseManifest(bytes))).toBe(expected)
  })
})

describe('choosePerPlatform', () => {
  const seen = (c: string, platform: string | undefined, revision: string | undefined = SHA, runId: string | undefined = RUN): Examined => ({
    digest: d(c),
    platform,
    revision,
    runId
  })
  it.each<[string, Examined[], string[], Record<string, string>, [string, string][], string[]]>([
    [
      'one per platform',
      [seen('a', 'linux/arm64'), seen('b', 'linux/amd64')],
      ['linux/amd64', 'linux/arm64'],
      { 'linux/amd64': 'b', 'linux/arm64': 'a' },
      [],
      []
    ],
    [
      'the newest wins; the older of this commit is ignored',
      [seen('a', 'linux/amd64'), seen('b', 'linux/amd64'), seen('c', 'linux/arm64')],
      ['linux/amd64', 'linux/arm64'],
      { 'linux/amd64': 'a', 'linux/arm64': 'c' },
      [['linux/amd64', 'b']],
      []
    ],
    [
      'another commit, no label, no platform, a platform not wanted: none is picked nor ignored',
      [
        seen('a', 'linux/arm64', OTHER_SHA),
        { digest: d('b'), platform: 'linux/arm64', revision: undefined, runId: RUN },
        seen('c', undefined),
        seen('e', 'linux/s390x'),
        seen('f', 'linux/amd64')
      ],
      ['linux/amd64', 'linux/arm64'],
      { 'linux/amd64': 'f' },
      [],
      ['linux/arm64']
    ],
    [
      'a config that says arm64/v8 is won by linux/arm64 as the input names it',
      [seen('a', 'linux/arm64/v8'), seen('b', 'linux/arm64'), seen('c', 'linux/amd64')],
      ['linux/amd64', 'linux/arm64'],
      { 'linux/amd64': 'c', 'linux/arm64': 'a' },
      [['linux/arm64', 'b']],
      []
    ],
    ['arm/v6 is not arm/v7', [seen('a', 'linux/arm/v6')], ['linux/arm/v7'], {}, [], ['linux/arm/v7']],
    ['nothing examined', [], ['linux/amd64', 'linux/arm64'], {}, [], ['linux/amd64', 'linux/arm64']]
  ])('%s', (_name, examined, platforms, chosen, ignored, missing) => {
    const choice = choosePerPlatform(examined, platforms, SHA)
    expect(Object.fromEntries(choice.chosen)).toEqual(Object.fromEntries(Object.entries(chosen).map(([platform, c]) => [platform, d(c)])))
    expect(choice.ignored).toEqual(ignored.map(([platform, c]) => ({ platform, digest: d(c) })))
    expect(choice.missing).toEqual(missing)
    expect(choice.otherRuns).toEqual([])
  })

  // require-same-run: only this workflow run's legs (any attempt: the run id stays) can win a platform.
  const PLATFORMS = ['linux/amd64', 'linux/arm64']
  it.each<[string, Examined[], string | undefined, Record<string, string>, [string, string, string | undefined][], string[]]>([
    ['this run’s legs are taken', [seen('a', 'linux/arm64'), seen('b', 'linux/amd64')], RUN, { 'linux/amd64': 'b', 'linux/arm64': 'a' }, [], []],
    [
      'a newer image of this commit from another run does not win: this run’s older leg does',
      [seen('a', 'linux/arm64', SHA, OTHER_RUN), seen('b', 'linux/arm64'), seen('c', 'linux/amd64')],
      RUN,
      { 'linux/amd64': 'c', 'linux/arm64': 'b' },
      [['linux/arm64', 'a', OTHER_RUN]],
      []
    ],
    [
      'an image without the run label (pushed by hand, or by an older version) is not taken',
      [{ digest: d('a'), platform: 'linux/arm64', revision: SHA, runId: undefined }, seen('c', 'linux/amd64')],
      RUN,
      { 'linux/amd64': 'c' },
      [['linux/arm64', 'a', undefined]],
      ['linux/arm64']
    ],
    [
      'only another run’s legs: every platform missing, each named',
      [seen('a', 'linux/arm64', SHA, OTHER_RUN), seen('b', 'linux/amd64', SHA, OTHER_RUN)],
      RUN,
      {},
      [
        ['linux/arm64', 'a', OTHER_RUN],
        ['linux/amd64', 'b', OTHER_RUN]
      ],
      ['linux/amd64', 'linux/arm64']
    ],
    [
      'another commit of this run is still not this commit',
      [seen('a', 'linux/arm64', OTHER_SHA), seen('c', 'linux/amd64')],
      RUN,
      { 'linux/amd64': 'c' },
      [],
      ['linux/arm64']
    ],
    [
      'not bound (require-same-run: false): any run’s newest leg wins',
      [seen('a', 'linux/arm64', SHA, OTHER_RUN), seen('b', 'linux/arm64'), { digest: d('c'), platform: 'linux/amd64', revision: SHA, runId: undefined }],
      undefined,
      { 'linux/amd64': 'c', 'linux/arm64': 'a' },
      [],
      []
    ]
  ])('bound to a run: %s', (_name, examined, runId, chosen, otherRuns, missing) => {
    const choice = choosePerPlatform(examined, PLATFORMS, SHA, runId)
    expect(Object.fromEntries(choice.chosen)).toEqual(Object.fromEntries(Object.entries(chosen).map(([platform, c]) => [platform, d(c)])))
    expect(choice.otherRuns).toEqual(otherRuns.map(([platform, c, other]) => ({ platform, digest: d(c), runId: other })))
    expect(choice.missing).toEqual(missing)
  })
})

describe('otherRunLine', () => {
  it.each([
    [OTHER_RUN, `not taken: linux/arm64 ${d('a')} of this commit was uploaded by workflow run ${OTHER_RUN}, not this run ${RUN} (require-same-run).`],
    [
      undefined,
      `not taken: linux/arm64 ${d('a')} of this commit has no run-id label (not uploaded by this action in a workflow run), not this run ${RUN} (require-same-run).`
    ]
  ])('run %p: one line naming the image, its run and this run', (runId, line) => {
    expect(otherRunLine({ platform: 'linux/arm64', digest: d('a'), runId }, RUN)).toBe(line)
  })
})

describe('possibleWrappers', () => {
  it.each<[string, UntaggedImage[], UntaggedImage[], string[]]>([
    [
      'only indexes pushed no earlier than the oldest chosen image',
      [untagged('x', OCI_INDEX, 9), untagged('y', OCI_INDEX, 5), untagged('z', OCI_INDEX, 4)],
      [untagged('a', OCI_MANIFEST, 5), untagged('b', OCI_MANIFEST, 8)],
      ['x', 'y']
    ],
    [
      'an image without a push time: every index',
      [untagged('x', OCI_INDEX, 9), untagged('z', OCI_INDEX, 1)],
      [untagged('a', OCI_MANIFEST, undefined)],
      ['x', 'z']
    ]
  ])('%s', (_name, indexes, chosen, expected) => {
    expect(possibleWrappers(indexes, chosen).map((index) => index.digest)).toEqual(expected.map(d))
  })
})

describe('discoveredClaims', () => {
  const index = (c: string, entries: { digest: string; platform: string; attests?: string }[]) => ({
    digest: d(c),
    manifest: parseManifest(
      JSON.stringify({
        mediaType: OCI_INDEX,
        manifests: entries.map((entry) => ({
          mediaType: OCI_MANIFEST,
          digest: entry.digest,
          size: 1,
          platform: { os: entry.platform.split('/')[0], architecture: entry.platform.split('/')[1] },
          ...(entry.attests ? { annotations: { 'vnd.docker.reference.type': 'attestation-manifest', 'vnd.docker.reference.digest': entry.attests } } : {})
        }))
      })
    )
  })
  const chosen = new Map([
    ['linux/arm64', d('b')],
    ['linux/amd64', d('a')]
  ])
  const platforms = ['linux/amd64', 'linux/arm64']
  it.each([
    ['no index: the images themselves, in the order of platforms', [], [d('a'), d('b')]],
    [
      'a one-platform index (image + provenance) wrapping a chosen image: the index, the newest such',
      [
        index('x', [
          { digest: d('a'), platform: 'linux/amd64' },
          { digest: d('e'), platform: 'unknown/unknown', attests: d('a') }
        ]),
        index('y', [{ digest: d('a'), platform: 'linux/amd64' }])
      ],
      [d('x'), d('b')]
    ],
    [
      'an index of two platforms (an earlier merge) is not a wrapper',
      [
        index('z', [
          { digest: d('a'), platform: 'linux/amd64' },
          { digest: d('b'), platform: 'linux/arm64' }
        ])
      ],
      [d('a'), d('b')]
    ]
  ])('%s', (_name, indexes, digests) => {
    expect(discoveredClaims(chosen, platforms, indexes)).toEqual([
      { digest: digests[0], platform: 'linux/amd64' },
      { digest: digests[1], platform: 'linux/arm64' }
    ])
  })
})

describe('missingPlatformsMessage', () => {
  it('names the missing platforms, the images examined, the bound, and the digests input, on one line', () => {
    const message = missingPlatformsMessage({
      missing: ['linux/arm64'],
      platforms: ['linux/amd64', 'linux/arm64'],
      sha: SHA,
      repository: 'team/api',
      examined: 100,
      limit: 100
    })
    expect(message).toBe(
      `No untagged image of linux/arm64 built from commit ${SHA} among the 100 newest untagged image manifests of team/api (platforms expects linux/amd64, linux/arm64; at most 100 are examined): did a per-platform job fail? Or give the per-platform steps' digest outputs in 'digests' instead. Nothing was written.`
    )
    expect(message).not.toContain('\n')
  })

  it('bound to a run: says so, and names the images of this commit that other runs uploaded for the missing platforms only', () => {
    const message = missingPlatformsMessage({
      missing: ['linux/arm64'],
      platforms: ['linux/amd64', 'linux/arm64'],
      sha: SHA,
      repository: 'team/api',
      examined: 3,
      limit: 100,
      runId: RUN,
      otherRuns: [
        { platform: 'linux/arm64', digest: d('a'), runId: OTHER_RUN },
        { platform: 'linux/amd64', digest: d('b'), runId: OTHER_RUN },
        { platform: 'linux/arm64', digest: d('c'), runId: undefined }
      ]
    })
    expect(message).toBe(
      `No untagged image of linux/arm64 built from commit ${SHA} by this workflow run (${RUN}) among the 3 newest untagged image manifests of team/api (platforms expects linux/amd64, linux/arm64; at most 100 are examined): did a per-platform job fail? Or give the per-platform steps' digest outputs in 'digests' instead. Not taken, from another workflow run (require-same-run: false would take them): linux/arm64 ${d('a')} (run ${OTHER_RUN}), linux/arm64 ${d('c')} (run unknown). Nothing was written.`
    )
    expect(message).not.toContain('\n')
  })
})
