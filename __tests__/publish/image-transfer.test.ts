import { describe, expect, it } from '@jest/globals'
import { createHash } from 'node:crypto'
import { Readable } from 'node:stream'
import type { BlobToSend, ManifestToSend, Registry } from '../../src/adapters/registry.js'
import { transferImage, type ImageSource } from '../../src/publish/image-transfer.js'

const digestOf = (text: string): string => `sha256:${createHash('sha256').update(text).digest('hex')}`
const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json'

/** One image manifest with a config and `layers` layers, read from memory. */
function sourceWith(layers: number): ImageSource {
  const blob = (label: string) => ({ mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', digest: digestOf(label), size: label.length })
  const manifest = JSON.stringify({
    schemaVersion: 2,
    mediaType: OCI_MANIFEST,
    config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: digestOf('config'), size: 6 },
    layers: Array.from({ length: layers }, (_, i) => blob(`layer ${i}`))
  })
  return {
    top: { mediaType: OCI_MANIFEST, digest: digestOf(manifest), size: manifest.length },
    read: async () => Buffer.from(manifest),
    open: () => Readable.from([Buffer.from('bytes')])
  }
}

/** A registry that has no blob; the first upload fails (after its own retries), the others take a moment. */
function failingRegistry(): Registry & { uploads: string[]; manifests: string[] } {
  const uploads: string[] = []
  const manifests: string[] = []
  return {
    uploads,
    manifests,
    hasBlob: async () => false,
    mountBlob: async () => false,
    async uploadBlob(_repository: string, blob: BlobToSend) {
      uploads.push(blob.digest)
      if (uploads.length === 1) throw new Error('The registry failed the upload 4 times')
      await new Promise((resolve) => setTimeout(resolve, 20))
    },
    async putManifest(_repository: string, manifest: ManifestToSend) {
      manifests.push(manifest.digest)
    },
    readBlob: async () => Buffer.alloc(0),
    openBlob: async () => Readable.from([]),
    listReferrers: async () => ({ kind: 'unsupported' as const })
  }
}

describe('transferImage', () => {
  it('stops after the first failed blob: no further upload is started, no manifest is written', async () => {
    const registry = failingRegistry()
    await expect(transferImage(registry, 'team/api', sourceWith(9))).rejects.toThrow('The registry failed the upload 4 times')
    // Ten blobs, four at a time: the failure ends the copy, only those already running finish.
    await new Promise((resolve) => setTimeout(resolve, 100))
    expect(registry.uploads.length).toBeLessThanOrEqual(4)
    expect(registry.manifests).toEqual([])
  })
})
