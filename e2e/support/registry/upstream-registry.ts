// Direct (unauthenticated, unproxied) access to the real registry behind the fake ECR endpoint.
// The ECR API operations read and write image data only through this, so the API and the
// data plane can never disagree.
import { createHash } from 'node:crypto'
import { readdir, rm, stat } from 'node:fs/promises'
import path from 'node:path'
import { header, request } from './http-util.js'

export const MANIFEST_MEDIA_TYPES = [
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
  'application/vnd.docker.distribution.manifest.v2+json'
] as const

const ACCEPT = MANIFEST_MEDIA_TYPES.join(', ')

export interface StoredManifest {
  digest: string
  mediaType: string
  bytes: Buffer
}

export class UpstreamError extends Error {
  constructor(
    readonly status: number,
    readonly code: string | undefined,
    message: string
  ) {
    super(message)
    this.name = 'UpstreamError'
  }
}

export function sha256Digest(bytes: Buffer | string): string {
  return `sha256:${createHash('sha256').update(bytes).digest('hex')}`
}

export function isDigest(ref: string): boolean {
  // OCI digest grammar; a tag can never contain ':' so this also tells tags from digests.
  return /^[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[a-zA-Z0-9=_-]+$/.test(ref)
}

export class UpstreamRegistry {
  constructor(
    readonly url: string,
    /** Set only when this process owns the registry's filesystem storage. */
    readonly storageRoot?: string,
    /**
     * Name prefix in the real registry (e.g. "acct-210987654321/"): several fake accounts share
     * one docker-registry process, each under its own prefix; '' for the default account.
     */
    readonly prefix = ''
  ) {}

  /** The same registry seen by another account: every repository name gets the prefix. */
  withPrefix(prefix: string): UpstreamRegistry {
    return new UpstreamRegistry(this.url, this.storageRoot, prefix)
  }

  /** The repository's name in the real registry. */
  upstreamName(repository: string): string {
    return `${this.prefix}${repository}`
  }

  private manifestUrl(repository: string, ref: string): string {
    return `${this.url}/v2/${this.upstreamName(repository)}/manifests/${encodeURIComponent(ref).replace(/%3A/gi, ':')}`
  }

  /** Whether the registry holds a blob in the repository (HEAD, no transfer). */
  async hasBlob(repository: string, digest: string): Promise<boolean> {
    const res = await request(`${this.url}/v2/${this.upstreamName(repository)}/blobs/${digest}`, { method: 'HEAD' })
    return res.status === 200
  }

  async getManifest(repository: string, ref: string): Promise<StoredManifest | undefined> {
    const res = await request(this.manifestUrl(repository, ref), { headers: { accept: ACCEPT } })
    if (res.status === 404) return undefined
    if (res.status !== 200) throw upstreamError('GET manifest', res.status, res.body)
    const mediaType = (header(res.headers, 'content-type') ?? '').split(';')[0]?.trim() ?? ''
    return { digest: header(res.headers, 'docker-content-digest') ?? sha256Digest(res.body), mediaType, bytes: res.body }
  }

  /** The digest a tag (or digest) resolves to, without transferring the manifest. */
  async headManifest(repository: string, ref: string): Promise<string | undefined> {
    const res = await request(this.manifestUrl(repository, ref), { method: 'HEAD', headers: { accept: ACCEPT } })
    if (res.status === 404) return undefined
    if (res.status !== 200) throw upstreamError('HEAD manifest', res.status, res.body)
    const digest = header(res.headers, 'docker-content-digest')
    if (!digest) throw new UpstreamError(res.status, undefined, 'registry answered HEAD without Docker-Content-Digest')
    return digest
  }

  async putManifest(repository: string, ref: string, bytes: Buffer, mediaType: string): Promise<string> {
    const res = await request(this.manifestUrl(repository, ref), {
      method: 'PUT',
      headers: { 'content-type': mediaType, 'content-length': bytes.length },
      body: bytes
    })
    if (res.status !== 201) throw upstreamError('PUT manifest', res.status, res.body)
    return header(res.headers, 'docker-content-digest') ?? sha256Digest(bytes)
  }

  /** Deletes a manifest by digest; the registry drops every tag that pointed at it. */
  async deleteManifest(repository: string, digest: string): Promise<boolean> {
    const res = await request(this.manifestUrl(repository, digest), { method: 'DELETE' })
    if (res.status === 404) return false
    if (res.status !== 202) throw upstreamError('DELETE manifest', res.status, res.body)
    return true
  }

  async tags(repository: string): Promise<string[]> {
    const res = await request(`${this.url}/v2/${this.upstreamName(repository)}/tags/list?n=10000`)
    if (res.status === 404) return []
    if (res.status !== 200) throw upstreamError('GET tags', res.status, res.body)
    const parsed = JSON.parse(res.body.toString('utf8')) as { tags?: string[] | null }
    return [...(parsed.tags ?? [])].sort()
  }

  /**
   * Removes one tag and leaves the manifest (distribution 2.8 cannot DELETE by tag, ECR can).
   * Needs the storage root; returns false when the tag did not exist.
   */
  async untag(repository: string, tag: string): Promise<boolean> {
    const dir = this.tagDir(repository, tag)
    try {
      await stat(path.join(dir, 'current', 'link'))
    } catch {
      return false
    }
    await rm(dir, { recursive: true, force: true })
    return true
  }

  get canUntag(): boolean {
    return this.storageRoot !== undefined
  }

  /** Every manifest digest the repository holds, tagged or not (only with our own storage). */
  async digests(repository: string): Promise<Array<{ digest: string; storedAt: Date }>> {
    if (!this.storageRoot) return []
    const dir = path.join(this.repositoryDir(repository), '_manifests', 'revisions', 'sha256')
    let names: string[]
    try {
      names = await readdir(dir)
    } catch {
      return []
    }
    const found: Array<{ digest: string; storedAt: Date }> = []
    for (const name of names) {
      try {
        // A deleted manifest keeps its directory but loses its link file.
        const info = await stat(path.join(dir, name, 'link'))
        found.push({ digest: `sha256:${name}`, storedAt: info.mtime })
      } catch {
        // deleted revision
      }
    }
    return found
  }

  private repositoryDir(repository: string): string {
    if (!this.storageRoot) throw new Error('the upstream registry storage is not ours')
    return path.join(this.storageRoot, 'docker', 'registry', 'v2', 'repositories', ...this.upstreamName(repository).split('/'))
  }

  private tagDir(repository: string, tag: string): string {
    return path.join(this.repositoryDir(repository), '_manifests', 'tags', tag)
  }
}

function upstreamError(what: string, status: number, body: Buffer): UpstreamError {
  let code: string | undefined
  let message = body.toString('utf8').slice(0, 500)
  try {
    const parsed = JSON.parse(body.toString('utf8')) as { errors?: Array<{ code?: string; message?: string }> }
    code = parsed.errors?.[0]?.code
    message = parsed.errors?.[0]?.message ?? message
  } catch {
    // not a registry error body
  }
  return new UpstreamError(status, code, `registry ${what} answered ${status}${code ? ` ${code}` : ''}: ${message}`)
}
