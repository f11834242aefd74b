import pLimit from 'p-limit'
import type { Readable } from 'node:stream'
import type { Registry } from '../adapters/registry.js'
import { planTransfer, type Descriptor } from '../shared/image-graph.js'

/** Where the image comes from: an OCI layout buildx exported, or another repository (promotion, merge). */
export interface ImageSource {
  readonly top: Descriptor
  /** A manifest's bytes, checked against its digest by the source. */
  read(digest: string): Promise<Buffer>
  /** A blob's bytes as a stream. */
  open(digest: string): Readable | Promise<Readable>
  /** A repository of the same registry the blobs can be mounted from instead of sent. */
  readonly mountFrom?: string
}

export interface TransferReport {
  readonly blobsSent: number
  readonly bytesSent: number
  /** Blobs the repository already had (an unchanged base layer, a re-run), or mounted. */
  readonly blobsReused: number
  readonly manifests: number
}

/** Parallel blob uploads: the gain flattens past a few streams, and ECR throttles per repository. */
const BLOB_CONCURRENCY = 4

/**
 * Puts the whole image into the repository untagged: blobs the repository lacks, then every child
 * manifest by digest, then the top manifest by digest. Nothing is named; a failure part-way leaves
 * only unreferenced blobs and untagged manifests, which ECR's lifecycle rules clear and a re-run reuses.
 */
export async function transferImage(registry: Registry, repository: string, source: ImageSource): Promise<TransferReport> {
  const manifestBytes = new Map<string, Buffer>()
  const plan = await planTransfer(source.top, async (descriptor) => {
    const bytes = await source.read(descriptor.digest)
    manifestBytes.set(descriptor.digest, bytes)
    return bytes
  })
  let blobsSent = 0
  let bytesSent = 0
  let blobsReused = 0
  const limit = pLimit(BLOB_CONCURRENCY)
  // The first blob that fails (after its own retries) ends the copy: no further blob is started, since
  // the image cannot be completed and every byte more is wasted (those running finish or fail on their own).
  let failed = false
  await Promise.all(
    plan.blobs.map((blob) =>
      limit(async () => {
        if (failed) return
        try {
          await sendBlob(blob)
        } catch (error) {
          failed = true
          limit.clearQueue()
          throw error
        }
      })
    )
  )
  async function sendBlob(blob: Descriptor): Promise<void> {
    if (await registry.hasBlob(repository, blob.digest)) {
      blobsReused++
      return
    }
    if (source.mountFrom && (await registry.mountBlob(repository, blob.digest, source.mountFrom))) {
      blobsReused++
      return
    }
    await registry.uploadBlob(repository, { digest: blob.digest, size: blob.size, open: () => source.open(blob.digest) })
    blobsSent++
    bytesSent += blob.size
  }
  for (const manifest of plan.manifests) {
    await registry.putManifest(repository, {
      digest: manifest.digest,
      mediaType: manifest.mediaType,
      bytes: manifestBytes.get(manifest.digest) as Buffer
    })
  }
  return { blobsSent, bytesSent, blobsReused, manifests: plan.manifests.length }
}
