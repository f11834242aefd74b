// The data plane of the fake ECR: /v2/... streamed to the real registry, with what ECR adds on
// top of a plain registry: Basic auth with the GetAuthorizationToken password, NAME_UNKNOWN for
// repositories that were never created through the API, and tag immutability on manifest PUT.
import http from 'node:http'
import { Readable, pipeline } from 'node:stream'
import { childDigests } from './ecr-api.js'
import { registryErrors } from './ecr-errors.js'
import { referrersAnswer } from './ecr-referrers.js'
import { isTagImmutable, type EcrState, type RepositoryRecord } from './ecr-state.js'
import { isDigest, type UpstreamRegistry } from '../registry/upstream-registry.js'

export interface RegistryRequestInfo {
  method: string
  /** Path without the query string, e.g. /v2/team/api/manifests/abc. */
  path: string
  repository?: string
  /** manifests | blobs | tags | referrers, or undefined for /v2/ and /v2/_catalog. */
  kind?: string
  /** The tag or digest of a manifest request. */
  reference?: string
  /** The endpoint accepted the request and never answered it (stallRegistry). */
  stalled?: boolean
}

export type RegistryRequestFilter = ((request: RegistryRequestInfo) => boolean) | { method?: string; path?: string | RegExp; kind?: string }

export interface RegistryProxyOptions {
  state: EcrState
  password: string
  /** http://127.0.0.1:<public port> */
  publicOrigin: string
  /** Returns true when a fault was armed for this request (and consumes it). */
  takeFault: (request: RegistryRequestInfo) => boolean
  /** Returns true when a stall was armed for this request (and consumes it). */
  takeStall: (request: RegistryRequestInfo) => boolean
  onDone: (request: RegistryRequestInfo, status: number, startedAt: number) => void
  /** The IAM check of one action on one repository of this registry: the denial message, or undefined when allowed. */
  authorize: (action: string, repository: string) => string | undefined
}

/**
 * The IAM action ECR authorizes each registry request with (user guide "Amazon ECR identity-based
 * policy examples" and the API reference of each action: manifest GET/HEAD BatchGetImage, manifest
 * PUT PutImage, manifest DELETE BatchDeleteImage, blob HEAD BatchCheckLayerAvailability, blob GET
 * GetDownloadUrlForLayer, upload POST/PATCH/PUT InitiateLayerUpload/UploadLayerPart/CompleteLayerUpload,
 * tags/list ListImages, referrers BatchGetImage). Undefined for /v2/ itself, which only needs the login.
 */
export function registryAction(method: string, info: Omit<RegistryRequestInfo, 'method'>): string | undefined {
  const upload = info.kind === 'blobs' && /\/blobs\/uploads(\/|$)/.test(info.path)
  if (upload) {
    if (method === 'POST') return 'ecr:InitiateLayerUpload'
    if (method === 'PUT') return 'ecr:CompleteLayerUpload'
    return 'ecr:UploadLayerPart'
  }
  if (info.kind === 'manifests') {
    if (method === 'PUT') return 'ecr:PutImage'
    if (method === 'DELETE') return 'ecr:BatchDeleteImage'
    return 'ecr:BatchGetImage'
  }
  if (info.kind === 'blobs') return method === 'HEAD' ? 'ecr:BatchCheckLayerAvailability' : 'ecr:GetDownloadUrlForLayer'
  if (info.kind === 'tags') return 'ecr:ListImages'
  // ECR documents no action of its own for the referrers API; ListImageReferrers, its API twin, is BatchGetImage.
  if (info.kind === 'referrers') return 'ecr:BatchGetImage'
  return undefined
}

const HOP_BY_HOP = ['connection', 'keep-alive', 'proxy-authenticate', 'proxy-authorization', 'te', 'trailer', 'transfer-encoding', 'upgrade']

export function matchesFilter(filter: RegistryRequestFilter | undefined, request: RegistryRequestInfo): boolean {
  if (!filter) return true
  if (typeof filter === 'function') return filter(request)
  if (filter.method && filter.method.toUpperCase() !== request.method) return false
  if (filter.kind && filter.kind !== request.kind) return false
  if (typeof filter.path === 'string' && !request.path.includes(filter.path)) return false
  if (filter.path instanceof RegExp && !filter.path.test(request.path)) return false
  return true
}

/** Splits /v2/<name>/<kind>/<rest>, preferring a split whose name is a known repository. */
export function parseRegistryPath(pathname: string, known: (name: string) => boolean): Omit<RegistryRequestInfo, 'method'> {
  const segments = pathname.replace(/^\/v2\/?/, '').split('/')
  const candidates: number[] = []
  segments.forEach((segment, i) => {
    if (i > 0 && (segment === 'manifests' || segment === 'blobs' || segment === 'tags' || segment === 'referrers')) candidates.push(i)
  })
  const index = candidates.find((i) => known(segments.slice(0, i).join('/'))) ?? candidates[0]
  if (index === undefined) return { path: pathname }
  const rest = segments.slice(index + 1).join('/')
  const kind = segments[index]
  return {
    path: pathname,
    repository: segments.slice(0, index).join('/'),
    ...(kind !== undefined ? { kind } : {}),
    ...(kind === 'manifests' || kind === 'referrers' ? { reference: decodeURIComponent(rest) } : {})
  }
}

export function createRegistryProxy(options: RegistryProxyOptions): {
  handle: (req: http.IncomingMessage, res: http.ServerResponse) => void
  close: () => void
} {
  const { state } = options
  const upstream = new URL(state.upstream.url)
  const agent = new http.Agent({ keepAlive: true })
  const expectedAuth = `Basic ${Buffer.from(`AWS:${options.password}`).toString('base64')}`
  const realm = `Basic realm="https://${state.registryHost}/",service="ecr.amazonaws.com"`

  function reject(req: http.IncomingMessage, res: http.ServerResponse, status: number, body: string, headers: http.OutgoingHttpHeaders = {}): void {
    // Drain what the client is still sending so the connection stays usable.
    req.resume()
    res.writeHead(status, {
      'content-type': 'application/json; charset=utf-8',
      'docker-distribution-api-version': 'registry/2.0',
      'content-length': Buffer.byteLength(body),
      ...headers
    })
    res.end(body)
  }

  const prefix = state.upstream.prefix

  function forward(req: http.IncomingMessage, res: http.ServerResponse, info: RegistryRequestInfo, path = req.url ?? '/', body?: Buffer): Promise<void> {
    return new Promise((resolve) => {
      const headers: http.OutgoingHttpHeaders = { ...req.headers, host: upstream.host }
      delete headers['authorization']
      for (const name of HOP_BY_HOP) delete headers[name]
      const upstreamReq = http.request(
        { host: upstream.hostname, port: upstream.port, method: req.method, path: toUpstreamPath(path, prefix), headers, agent },
        (upstreamRes) => {
          const out: http.OutgoingHttpHeaders = { ...upstreamRes.headers }
          for (const name of HOP_BY_HOP) delete out[name]
          const location = upstreamRes.headers.location
          if (location?.startsWith(upstream.origin)) {
            out['location'] = options.publicOrigin + fromUpstreamPath(location.slice(upstream.origin.length), prefix)
          } else if (location?.startsWith('/v2/')) {
            out['location'] = fromUpstreamPath(location, prefix)
          }
          const respond = (): void => {
            res.writeHead(upstreamRes.statusCode ?? 502, out)
            pipeline(upstreamRes, res, () => resolve())
          }
          const digest = upstreamRes.headers['docker-content-digest']
          if (info.kind === 'manifests' && req.method === 'PUT' && upstreamRes.statusCode === 201 && info.repository && typeof digest === 'string') {
            // Scan on push and restore-by-re-push start when the manifest is stored, before the
            // client hears 201, so an API call right after the push sees them.
            const repository = info.repository
            state.upstream
              .getManifest(repository, digest)
              .then((stored) => {
                const subject = stored && state.manifestStored(repository, digest, stored.bytes, stored.mediaType)
                // Distribution spec 1.1: a registry with the referrers API answers a PUT with a subject so.
                if (subject) out['oci-subject'] = subject
                if (info.reference !== undefined && !isDigest(info.reference)) state.noteWrite(repository, info.reference)
              })
              .catch(() => undefined)
              .finally(respond)
            return
          }
          respond()
        }
      )
      upstreamReq.on('error', (error) => {
        if (!res.headersSent) reject(req, res, 502, registryErrors.badGateway(error.message))
        else res.destroy(error)
        resolve()
      })
      res.on('close', () => {
        if (!upstreamReq.destroyed && !res.writableFinished) upstreamReq.destroy()
        resolve()
      })
      pipeline(body ? Readable.from([body]) : req, upstreamReq, () => undefined)
    })
  }

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const startedAt = Date.now()
    const pathname = new URL(req.url ?? '/', 'http://unused').pathname
    const info: RegistryRequestInfo = {
      method: req.method ?? 'GET',
      ...parseRegistryPath(pathname, (name) => state.repositories.has(name))
    }
    res.on('close', () => options.onDone(info, res.statusCode, startedAt))

    if (req.headers.authorization !== expectedAuth) {
      reject(req, res, 401, registryErrors.unauthorized(), { 'www-authenticate': realm })
      return
    }
    const action = info.repository !== undefined ? registryAction(info.method, info) : undefined
    const denial = action && info.repository !== undefined ? options.authorize(action, info.repository) : undefined
    if (denial) {
      reject(req, res, 403, registryErrors.denied(denial))
      return
    }
    if (options.takeFault(info)) {
      reject(req, res, 503, registryErrors.unavailable())
      return
    }
    if (options.takeStall(info)) {
      // Accepted (the body is read) and never answered: the client's own timeout must end it.
      info.stalled = true
      req.resume()
      return
    }
    const repository = info.repository
    if (repository !== undefined && !state.repositories.has(repository)) {
      reject(req, res, 404, registryErrors.nameUnknown(repository, state.accountId))
      return
    }
    const record = repository !== undefined ? state.repositories.get(repository) : undefined
    if (record && state.readAfterWriteLagMs > 0 && info.kind === 'manifests' && info.reference !== undefined) {
      if ((req.method === 'GET' || req.method === 'HEAD') && (await manifestLagging(state, record.name, info.reference))) {
        reject(req, res, 404, registryErrors.manifestUnknown(info.reference))
        return
      }
      if (req.method === 'PUT') {
        // An index whose children were written within the lag is refused as the registry refuses an unknown child.
        const body = await readAll(req)
        const young = childDigests(body).find((child) => state.lagging(record.name, child))
        if (young !== undefined) {
          reject(req, res, 400, registryErrors.manifestBlobUnknown(young))
          return
        }
        await putManifest(req, res, info, record, body)
        return
      }
    }
    if (record && (req.method === 'GET' || req.method === 'HEAD') && (await archivedTarget(state, record.name, info))) {
      reject(
        req,
        res,
        404,
        info.kind === 'manifests' ? registryErrors.manifestArchived(info.reference ?? '') : registryErrors.blobArchived(lastSegment(info.path))
      )
      return
    }
    if (record && info.kind === 'referrers') {
      await serveReferrers(state, req, res, record.name, info.reference ?? '', reject)
      return
    }
    if (record && req.method === 'POST' && info.kind === 'blobs') {
      const upstreamUrl = mountPolicy(state, record.name, req.url ?? '/')
      // A mount reads the blob from its source repository: AWS's "Blob mounting in Amazon ECR" asks for
      // ecr:GetDownloadUrlForLayer there besides the upload action on the target (checked above).
      const from = new URL(upstreamUrl, 'http://unused').searchParams.get('from')
      const sourceDenial = from !== null ? options.authorize('ecr:GetDownloadUrlForLayer', from) : undefined
      if (sourceDenial) {
        reject(req, res, 403, registryErrors.denied(sourceDenial))
        return
      }
      await forward(req, res, info, upstreamUrl)
      return
    }
    if (req.method === 'PUT' && record && info.kind === 'manifests') {
      await putManifest(req, res, info, record)
      return
    }
    await forward(req, res, info)
  }

  async function putManifest(
    req: http.IncomingMessage,
    res: http.ServerResponse,
    info: RegistryRequestInfo,
    record: RepositoryRecord,
    body?: Buffer
  ): Promise<void> {
    const tag = info.reference !== undefined && !isDigest(info.reference) ? info.reference : undefined
    if (tag === undefined) {
      await forward(req, res, info, req.url, body)
      return
    }
    // Check and write under the repository lock: exactly one of two racing pushes may win.
    await state.locks.run(record.name, async () => {
      if (isTagImmutable(record, tag) && (await state.upstream.headManifest(record.name, tag)) !== undefined) {
        reject(req, res, 400, registryErrors.tagInvalid(tag, record.name))
        return
      }
      await forward(req, res, info, req.url, body)
    })
  }

  return {
    handle: (req, res) => {
      handle(req, res).catch((error: unknown) => {
        const message = error instanceof Error ? error.message : String(error)
        if (!res.headersSent) reject(req, res, 500, JSON.stringify({ errors: [{ code: 'UNKNOWN', message }] }))
        else res.destroy()
      })
    },
    close: () => agent.destroy()
  }
}

/** GET /v2/<name>/referrers/<digest>: what docker-registry 2.8 cannot answer, from the endpoint's own index (ecr-referrers.ts). */
async function serveReferrers(
  state: EcrState,
  req: http.IncomingMessage,
  res: http.ServerResponse,
  repository: string,
  digest: string,
  reject: (req: http.IncomingMessage, res: http.ServerResponse, status: number, body: string) => void
): Promise<void> {
  if (req.method !== 'GET') {
    reject(req, res, 405, JSON.stringify({ errors: [{ code: 'UNSUPPORTED', message: 'The operation is unsupported.' }] }))
    return
  }
  if (!isDigest(digest)) {
    reject(req, res, 400, JSON.stringify({ errors: [{ code: 'DIGEST_INVALID', message: `provided digest did not match uploaded content: ${digest}` }] }))
    return
  }
  const artifactType = new URL(req.url ?? '/', 'http://unused').searchParams.get('artifactType') ?? undefined
  const answer = referrersAnswer(await state.referrers.list(state.upstream, repository, digest, artifactType), artifactType !== undefined)
  req.resume()
  res.writeHead(200, { ...answer.headers, 'docker-distribution-api-version': 'registry/2.0', 'content-length': Buffer.byteLength(answer.body) })
  res.end(answer.body)
}

/** /v2/<name>/... → /v2/<prefix><name>/... (catalog and base paths unchanged). */
export function toUpstreamPath(path: string, prefix: string): string {
  if (!prefix || path === '/v2/' || path === '/v2' || path.startsWith('/v2/_catalog')) return path
  const rewritten = path.replace(/^\/v2\//, `/v2/${prefix}`)
  // The mount source of a cross-repository mount is a repository of the same registry.
  return rewritten.replace(/([?&]from=)([^&]*)/, (_all, key: string, from: string) => `${key}${encodeURIComponent(prefix + decodeURIComponent(from))}`)
}

export function fromUpstreamPath(path: string, prefix: string): string {
  return prefix && path.startsWith(`/v2/${prefix}`) ? `/v2/${path.slice(4 + prefix.length)}` : path
}

/** A manifest GET/HEAD during the lag: the reference itself, or the digest a tag resolves to, was written just now. */
async function manifestLagging(state: EcrState, repository: string, reference: string): Promise<boolean> {
  if (state.lagging(repository, reference)) return true
  if (isDigest(reference)) return false
  const digest = await state.upstream.headManifest(repository, reference)
  return digest !== undefined && state.lagging(repository, digest)
}

function readAll(req: http.IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    req.on('data', (chunk: Buffer) => chunks.push(chunk))
    req.on('end', () => resolve(Buffer.concat(chunks)))
    req.on('error', reject)
  })
}

function lastSegment(path: string): string {
  return path.split('/').pop() ?? ''
}

/**
 * A cross-repository mount (POST .../blobs/uploads/?mount=<digest>&from=<repo>) is attempted only
 * where ECR would (user guide "Blob mounting in Amazon ECR"): the registry's BLOB_MOUNTING setting
 * is ENABLED, the source is a repository of the same registry, and both use identical encryption.
 * Otherwise the mount parameters are dropped, so the registry opens an ordinary upload session
 * (202 Accepted), as the distribution spec prescribes when a mount is not performed.
 */
export function mountPolicy(state: EcrState, repository: string, url: string): string {
  const parsed = new URL(url, 'http://unused')
  const from = parsed.searchParams.get('from')
  if (!parsed.searchParams.has('mount') && from === null) return url
  const source = from === null ? undefined : state.repositories.get(from)
  const target = state.repositories.get(repository)
  const allowed =
    state.accountSettings.get('BLOB_MOUNTING') === 'ENABLED' &&
    source !== undefined &&
    target !== undefined &&
    source.encryption.encryptionType === target.encryption.encryptionType &&
    source.encryption.kmsKey === target.encryption.kmsKey
  if (allowed) return url
  parsed.searchParams.delete('mount')
  parsed.searchParams.delete('from')
  return parsed.pathname + parsed.search
}

/** Whether a GET/HEAD names an archived manifest, or a blob only archived images reference. */
async function archivedTarget(state: EcrState, repository: string, info: RegistryRequestInfo): Promise<boolean> {
  const inactive = [...state.archive.keys()]
    .filter((key) => key.startsWith(`${repository}@`))
    .map((key) => key.slice(repository.length + 1))
    .filter((digest) => state.imageStatus(repository, digest) !== 'ACTIVE')
  if (inactive.length === 0) return false
  if (info.kind === 'manifests' && info.reference !== undefined) {
    const digest = isDigest(info.reference) ? info.reference : await state.upstream.headManifest(repository, info.reference)
    return digest !== undefined && inactive.includes(digest)
  }
  if (info.kind !== 'blobs') return false
  const digest = lastSegment(info.path)
  if (!isDigest(digest)) return false
  const archivedBlobs = new Set<string>()
  for (const manifest of inactive) for (const blob of await blobsOf(state.upstream, repository, manifest)) archivedBlobs.add(blob)
  if (!archivedBlobs.has(digest)) return false
  for (const { digest: other } of await state.upstream.digests(repository)) {
    if (inactive.includes(other)) continue
    if ((await blobsOf(state.upstream, repository, other)).includes(digest)) return false
  }
  return true
}

async function blobsOf(upstream: UpstreamRegistry, repository: string, digest: string): Promise<string[]> {
  const stored = await upstream.getManifest(repository, digest)
  if (!stored) return []
  try {
    const parsed = JSON.parse(stored.bytes.toString('utf8')) as { config?: { digest?: string }; layers?: Array<{ digest?: string }> }
    return [parsed.config?.digest, ...(parsed.layers ?? []).map((l) => l.digest)].filter((d): d is string => typeof d === 'string')
  } catch {
    return []
  }
}
