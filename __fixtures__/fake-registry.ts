import { createHash } from 'node:crypto'
import type { Readable } from 'node:stream'
import type { RegistryCredentials } from '../src/adapters/ecr.js'
import type { BlobToSend, ManifestToSend, ReferrerList, Registry } from '../src/adapters/registry.js'
import { FAKE_PASSWORD, type FakeEcr } from './fake-ecr.js'
import { CONFIG_BLOBS } from './images.js'

export interface RegistryCall {
  readonly op: keyof Registry
  readonly repository: string
  readonly digest: string
}

async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = []
  for await (const chunk of stream) chunks.push(Buffer.from(chunk as Buffer))
  return Buffer.concat(chunks)
}

const digestOf = (bytes: Buffer | string): string => `sha256:${createHash('sha256').update(bytes).digest('hex')}`

/**
 * The registry API of the FakeEcr: blobs per repository, manifests PUT by digest become untagged images
 * of the repository, exactly what PutImage can then name. It checks digests as a registry does.
 */
export class FakeRegistry implements Registry {
  readonly calls: RegistryCall[] = []
  readonly blobs = new Map<string, Map<string, Buffer>>()
  /** Runs before every call; may throw (the call fails) or change the world. */
  before: ((call: RegistryCall) => void | Promise<void>) | undefined
  /** The credentials the action opened the registry with. */
  credentials: RegistryCredentials | undefined

  constructor(readonly ecr: FakeEcr) {}

  readonly open = async (credentials: RegistryCredentials): Promise<Registry> => {
    if (credentials.password !== FAKE_PASSWORD) throw new Error('fake registry: wrong password')
    this.credentials = credentials
    return this
  }

  callsOf(op: keyof Registry): RegistryCall[] {
    return this.calls.filter((call) => call.op === op)
  }

  private async record(op: keyof Registry, repository: string, digest: string): Promise<void> {
    const call = { op, repository, digest }
    this.calls.push(call)
    await this.before?.(call)
    if (!this.ecr.repositories.has(repository)) throw new Error(`fake registry: NAME_UNKNOWN ${repository}`)
  }

  private blobsOf(repository: string): Map<string, Buffer> {
    let blobs = this.blobs.get(repository)
    if (!blobs) this.blobs.set(repository, (blobs = new Map<string, Buffer>()))
    return blobs
  }

  async hasBlob(repository: string, digest: string): Promise<boolean> {
    await this.record('hasBlob', repository, digest)
    return this.blobsOf(repository).has(digest)
  }

  async uploadBlob(repository: string, blob: BlobToSend): Promise<void> {
    await this.record('uploadBlob', repository, blob.digest)
    const bytes = await readAll(await blob.open())
    if (digestOf(bytes) !== blob.digest || bytes.length !== blob.size) throw new Error(`fake registry: DIGEST_INVALID ${blob.digest}`)
    this.blobsOf(repository).set(blob.digest, bytes)
  }

  async mountBlob(repository: string, digest: string, fromRepository: string): Promise<boolean> {
    await this.record('mountBlob', repository, digest)
    const source = this.blobs.get(fromRepository)?.get(digest)
    if (!source) return false
    this.blobsOf(repository).set(digest, source)
    return true
  }

  async putManifest(repository: string, manifest: ManifestToSend): Promise<void> {
    await this.record('putManifest', repository, manifest.digest)
    if (digestOf(manifest.bytes) !== manifest.digest) throw new Error(`fake registry: DIGEST_INVALID ${manifest.digest}`)
    const parsed = JSON.parse(manifest.bytes.toString('utf8')) as { config?: { digest: string }; manifests?: { digest: string }[] }
    const images = this.ecr.repository(repository).images
    for (const child of parsed.manifests ?? []) if (!images.has(child.digest)) throw new Error(`fake registry: MANIFEST_BLOB_UNKNOWN ${child.digest}`)
    if (parsed.config && !this.blobsOf(repository).has(parsed.config.digest)) throw new Error(`fake registry: MANIFEST_BLOB_UNKNOWN ${parsed.config.digest}`)
    images.set(manifest.digest, { digest: manifest.digest, manifest: manifest.bytes.toString('utf8'), mediaType: manifest.mediaType })
  }

  async readBlob(repository: string, digest: string): Promise<Buffer> {
    await this.record('readBlob', repository, digest)
    // Images another writer stored through the FakeEcr have their configs here.
    const bytes = this.blobsOf(repository).get(digest) ?? (CONFIG_BLOBS.has(digest) ? Buffer.from(CONFIG_BLOBS.get(digest) as string) : undefined)
    if (!bytes) throw new Error(`fake registry: BLOB_UNKNOWN ${digest}`)
    return bytes
  }

  /** false: the registry has no referrers API (404), as distribution 2.8. */
  referrersApi = true

  /** Like a registry with the OCI 1.1 referrers API: every stored manifest whose subject is the digest. */
  async listReferrers(repository: string, digest: string): Promise<ReferrerList> {
    await this.record('listReferrers', repository, digest)
    if (!this.referrersApi) return { kind: 'unsupported' }
    const manifests = [...this.ecr.repository(repository).images.values()].flatMap((image) => {
      const parsed = JSON.parse(image.manifest) as { subject?: { digest: string }; artifactType?: string; config?: { mediaType: string } }
      if (parsed.subject?.digest !== digest) return []
      const artifactType = parsed.artifactType ?? parsed.config?.mediaType
      return [{ mediaType: image.mediaType, digest: image.digest, size: Buffer.byteLength(image.manifest), ...(artifactType ? { artifactType } : {}) }]
    })
    return { kind: 'listed', body: Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: 'application/vnd.oci.image.index.v1+json', manifests })) }
  }

  async openBlob(repository: string, digest: string): Promise<Readable> {
    const { Readable } = await import('node:stream')
    return Readable.from([await this.readBlob(repository, digest)])
  }
}
