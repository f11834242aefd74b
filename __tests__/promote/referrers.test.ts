import { describe, expect, it } from '@jest/globals'
import type { StoredImage } from '../../src/adapters/ecr.js'
import type { ReferrerList } from '../../src/adapters/registry.js'
import { run } from '../../src/promote/main.js'
import { findReferrers, parseReferrers, referrerSubjects } from '../../src/promote/referrers.js'
import { FakeEcr } from '../../__fixtures__/fake-ecr.js'
import { FakeRegistry } from '../../__fixtures__/fake-registry.js'
import { FakeRunner } from '../../__fixtures__/fake-runner.js'
import { configDigest, CONFIG_BLOBS, imageIndex, imageManifest, MEDIA_TYPES, sha256 } from '../../__fixtures__/images.js'

const A = `sha256:${'a'.repeat(64)}`
const B = `sha256:${'b'.repeat(64)}`
const C = `sha256:${'c'.repeat(64)}`
const index = (manifests: unknown[]): Buffer => Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: MEDIA_TYPES.ociIndex, manifests }))

/** A referrer manifest (a signature, an SBOM) of `subject`, as cosign or ECR's managed signing stores it. */
function referrerOf(subject: StoredImage, artifactType: string, label: string): StoredImage {
  const config = configDigest(`referrer:${label}`)
  const manifest = JSON.stringify({
    schemaVersion: 2,
    mediaType: MEDIA_TYPES.ociManifest,
    artifactType,
    config: { mediaType: MEDIA_TYPES.ociConfig, digest: config, size: CONFIG_BLOBS.get(config)?.length ?? 1 },
    layers: [],
    subject: { mediaType: subject.mediaType, digest: subject.digest, size: Buffer.byteLength(subject.manifest) }
  })
  return { digest: sha256(manifest), manifest, mediaType: MEDIA_TYPES.ociManifest }
}

describe('parseReferrers', () => {
  it.each<[string, Buffer, unknown]>([
    ['an empty index', index([]), []],
    ['no manifests field', Buffer.from('{}'), []],
    [
      'artifactType kept, size read',
      index([{ mediaType: MEDIA_TYPES.ociManifest, digest: B, size: 12, artifactType: 'application/vnd.dev.cosign.artifact.sig.v1+json' }]),
      [{ digest: B, mediaType: MEDIA_TYPES.ociManifest, size: 12, artifactType: 'application/vnd.dev.cosign.artifact.sig.v1+json', subject: A }]
    ],
    [
      'no artifactType',
      index([{ mediaType: MEDIA_TYPES.ociManifest, digest: B, size: 3 }]),
      [{ digest: B, mediaType: MEDIA_TYPES.ociManifest, size: 3, artifactType: undefined, subject: A }]
    ]
  ])('%s', (_name, body, expected) => {
    expect(parseReferrers(body, A)).toEqual(expected)
  })

  it.each<[string, Buffer, string]>([
    ['not JSON', Buffer.from('<html>'), 'is not JSON'],
    ['a digest that is not sha256', index([{ mediaType: MEDIA_TYPES.ociManifest, digest: 'md5:x' }]), 'without a sha256 digest']
  ])('refuses %s', (_name, body, message) => {
    expect(() => parseReferrers(body, A)).toThrow(message)
  })
})

describe('referrerSubjects', () => {
  it('an image: itself; an index: itself and every child manifest', () => {
    const amd = imageManifest(configDigest('subjects:linux/amd64'))
    const arm = imageManifest(configDigest('subjects:linux/arm64'))
    const top = imageIndex([
      { image: amd, platform: 'linux/amd64' },
      { image: arm, platform: 'linux/arm64' }
    ])
    expect(referrerSubjects(amd.digest, amd.manifest, amd.mediaType)).toEqual([amd.digest])
    expect(referrerSubjects(top.digest, top.manifest, top.mediaType)).toEqual([top.digest, amd.digest, arm.digest])
  })
})

describe('findReferrers', () => {
  const listed =
    (table: Record<string, string[]>) =>
    async (digest: string): Promise<ReferrerList> => ({
      kind: 'listed',
      body: index((table[digest] ?? []).map((d) => ({ mediaType: MEDIA_TYPES.ociManifest, digest: d, size: 1 })))
    })

  it('breadth first, a referrer after its subject, each once', async () => {
    const found = await findReferrers(listed({ [A]: [B], [B]: [C], [C]: [B] }), [A], 'here')
    expect(found.map((r) => [r.digest, r.subject])).toEqual([
      [B, A],
      [C, B]
    ])
  })

  it('a registry without the referrers API: refused, naming what would be left behind', async () => {
    await expect(findReferrers(async () => ({ kind: 'unsupported' }), [A], 'The source registry (team/api-staging)')).rejects.toThrow(
      `The source registry (team/api-staging) does not serve the OCI referrers API (GET /v2/<name>/referrers/<digest> answered 404), so the signatures and attestations of ${A} cannot be found and would be left behind; nothing was tagged.`
    )
  })
})

function world() {
  const ecr = new FakeEcr()
  ecr.addRepository('team/api-staging')
  ecr.addRepository('team/api', 'IMMUTABLE')
  const registry = new FakeRegistry(ecr)
  const amd = imageManifest(configDigest('referrers:linux/amd64'))
  const arm = imageManifest(configDigest('referrers:linux/arm64'))
  const top = imageIndex([
    { image: amd, platform: 'linux/amd64' },
    { image: arm, platform: 'linux/arm64' }
  ])
  for (const image of [amd, arm, top]) ecr.store('team/api-staging', image)
  const signature = referrerOf(top, 'application/vnd.dev.cosign.artifact.sig.v1+json', 'index-signature')
  const sbom = referrerOf(arm, 'application/spdx+json', 'arm-sbom')
  const sbomSignature = referrerOf(sbom, 'application/vnd.dev.cosign.artifact.sig.v1+json', 'sbom-signature')
  for (const image of [signature, sbom, sbomSignature]) ecr.store('team/api-staging', image)
  const runner = (): FakeRunner =>
    new FakeRunner({ 'source-repository': 'team/api-staging', digest: top.digest, repository: 'team/api', tags: 'v1', 'aws-region': 'us-east-1' })
  const adapters = (r: FakeRunner) => ({ runner: r, env: {}, createEcr: ecr.factory, createRegistry: async () => registry })
  return { ecr, registry, top, amd, arm, signature, sbom, sbomSignature, runner, adapters }
}

describe('run with referrers', () => {
  it('copies the referrers of the index and of its children (and theirs) before the tag, and lists them in the summary', async () => {
    const w = world()
    let putsAtTag: string[] = []
    w.ecr.before = (call) => {
      if (call.op === 'putTag') putsAtTag = w.registry.callsOf('putManifest').map((c) => c.digest)
    }
    const r = w.runner()
    await run(w.adapters(r))
    expect(r.failures).toEqual([])
    expect(putsAtTag).toEqual([w.amd.digest, w.arm.digest, w.top.digest, w.signature.digest, w.sbom.digest, w.sbomSignature.digest])
    expect(w.ecr.tagsOf('team/api')).toEqual({ v1: w.top.digest })
    const summary = r.summaries.join('\n')
    expect(summary).toContain('#### Referrers (3)')
    expect(summary).toContain(`| \`${w.sbom.digest}\` | application/spdx+json | \`${w.arm.digest}\` | copied |`)

    // A re-run copies nothing again and still lists them.
    const again = w.runner()
    const before = w.registry.callsOf('putManifest').length
    await run(w.adapters(again))
    expect(again.failures).toEqual([])
    expect(w.registry.callsOf('putManifest')).toHaveLength(before)
    expect(again.summaries.join('\n')).toContain(
      `| \`${w.signature.digest}\` | application/vnd.dev.cosign.artifact.sig.v1+json | \`${w.top.digest}\` | already there |`
    )
  })

  it('a referrer that cannot be copied fails the promotion before any tag', async () => {
    const w = world()
    w.registry.before = (call) => {
      if (call.op === 'putManifest' && call.digest === w.sbom.digest) throw new Error('MANIFEST_INVALID')
    }
    const r = w.runner()
    await run(w.adapters(r))
    expect(r.failures).toEqual([
      `The referrer ${w.sbom.digest} (application/spdx+json) of ${w.arm.digest} could not be copied to team/api: MANIFEST_INVALID. No tag was written; re-run the promotion.`
    ])
    expect(w.ecr.tagsOf('team/api')).toEqual({})
  })

  it('a source registry without the referrers API fails the promotion before any tag', async () => {
    const w = world()
    w.registry.referrersApi = false
    const r = w.runner()
    await run(w.adapters(r))
    expect(r.failures[0]).toContain('does not serve the OCI referrers API')
    expect(w.ecr.tagsOf('team/api')).toEqual({})
  })
})
