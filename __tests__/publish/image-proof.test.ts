import { describe, expect, it } from '@jest/globals'
import { manifestShape, proveOwnImage, readBuildMetadata, type BuildMetadata } from '../../src/publish/image-proof.js'
import { configDigest, imageIndex, imageManifest, multiPlatformImage } from '../../__fixtures__/images.js'

const C1 = configDigest('one')
const C2 = configDigest('two')
const D1 = `sha256:${'1'.repeat(64)}`
const D2 = `sha256:${'2'.repeat(64)}`

describe('readBuildMetadata', () => {
  it.each([
    [
      { 'containerimage.digest': D1, 'containerimage.config.digest': C1 },
      { imageDigest: D1, configDigest: C1 }
    ],
    [{ 'containerimage.digest': D1 }, { imageDigest: D1, configDigest: undefined }],
    [{}, { imageDigest: undefined, configDigest: undefined }],
    [
      { 'containerimage.digest': 'md5:abc', 'containerimage.config.digest': 42 },
      { imageDigest: undefined, configDigest: undefined }
    ],
    [
      { 'containerimage.digest': [D1], 'containerimage.config.digest': null },
      { imageDigest: undefined, configDigest: undefined }
    ]
  ])('%j → %j', (metadata, expected) => {
    expect(readBuildMetadata(metadata)).toEqual(expected)
  })
})

describe('manifestShape', () => {
  it('an image manifest gives its config digest', () => {
    expect(manifestShape(imageManifest(C1).manifest)).toEqual({ kind: 'image', configDigest: C1 })
  })

  it('an index gives its platform manifests, attestation manifests left out', () => {
    const multi = multiPlatformImage('x', ['linux/amd64', 'linux/arm64'])
    const [amd64, arm64] = multi.children
    expect(manifestShape(multi.index.manifest)).toEqual({ kind: 'index', platformManifests: [amd64?.digest, arm64?.digest] })
    expect(multi.children).toHaveLength(4)
  })

  it('an index of attestations only has no platform manifests', () => {
    const attestation = imageManifest(C2)
    expect(manifestShape(imageIndex([{ image: attestation, attests: D1 }]).manifest)).toEqual({ kind: 'index', platformManifests: [] })
  })

  it('a Docker manifest list without annotations keeps every entry', () => {
    const body = JSON.stringify({ schemaVersion: 2, manifests: [{ digest: D1 }, { digest: D2, annotations: { other: 'x' } }] })
    expect(manifestShape(body)).toEqual({ kind: 'index', platformManifests: [D1, D2] })
  })

  it.each([
    ['neither config nor manifests', JSON.stringify({ schemaVersion: 2 })],
    ['a config without a digest', JSON.stringify({ config: { size: 1 } })]
  ])('throws on %s', (_name, body) => {
    expect(() => manifestShape(body)).toThrow('The registry returned a manifest with neither a config nor a manifest list.')
  })

  it('throws on a body that is not JSON', () => {
    expect(() => manifestShape('<html>')).toThrow(SyntaxError)
  })
})

describe('proveOwnImage', () => {
  const build = (imageDigest?: string, config?: string): BuildMetadata => ({ imageDigest, configDigest: config })

  it.each([
    ['the served config is this build’s', build(D1, C1), D2, [C1], { ok: true }],
    ['one platform of an index has this build’s config', build(undefined, C1), D2, [C2, C1], { ok: true }],
    ['no config reported, the served digest is this build’s index', build(D1), D1, [C1, C2], { ok: true }],
    ['docker driver: no config reported, the image id (config digest) is served', build(C1), D2, [C1], { ok: true }],
    ['the served config is another build’s', build(D1, C1), D2, [C2], { ok: false, reason: `serves ${D2} (config ${C2}), not this build's config ${C1}` }],
    ['the served image has no config at all', build(D1, C1), D2, [], { ok: false, reason: `serves ${D2} (config none), not this build's config ${C1}` }],
    [
      'no config reported, another digest and another config served',
      build(D1),
      D2,
      [C1],
      { ok: false, reason: `serves ${D2} (config ${C1}), not this build's ${D1}` }
    ],
    [
      'no config reported, nothing matches and no config served',
      build(D1),
      D2,
      [],
      { ok: false, reason: `serves ${D2} (config none), not this build's ${D1}` }
    ],
    ['buildx reported nothing', build(), D2, [C1], { ok: false, reason: 'buildx reported neither an image nor a config digest in its metadata' }]
  ])('%s', (_name, metadata, servedDigest, servedConfigDigests, proof) => {
    expect(proveOwnImage({ build: metadata, servedDigest, servedConfigDigests })).toEqual(proof)
  })

  it('the config digest decides even when the image digest differs (docker push re-serialises)', () => {
    expect(proveOwnImage({ build: build(D1, C1), servedDigest: D2, servedConfigDigests: [C1] })).toEqual({ ok: true })
  })
})
