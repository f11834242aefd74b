import { createHash } from 'node:crypto'
import http, { type Agent, type IncomingMessage } from 'node:http'
import https from 'node:https'
import type { Readable } from 'node:stream'
import { UserError, oneLine } from '../shared/errors.js'
import { backoffMs, DEFAULT_CONNECT_MS, DEFAULT_IDLE_MS, type NetworkLimits } from '../shared/network-limits.js'
import type { ProxyChoice } from '../shared/proxy.js'
import { neededPermission } from '../shared/registry-permissions.js'
import { LAG_BOUND_SECONDS, readAfterWrite } from '../shared/read-after-write.js'

/**
 * The registry API (OCI distribution spec) that docker itself pushes through: the action uploads what
 * buildx exported, so that no manifest is ever PUT under a tag (the engine's own `docker push` of an
 * index PUTs each child under the tag on engines before 28.2, moby/moby#49949) and every tag is
 * written by PutImage after the last existence check.
 *
 * Hand-written on node:http because no maintained npm package pushes: @snyk/docker-registry-v2-client
 * only reads, docker-registry-client (and renovate's fork) sit on an unmaintained restify stack, and
 * ECR's own layer API (UploadLayerPart) would send every layer base64-encoded inside JSON, a third
 * more bytes. The protocol part used here is five requests: HEAD, POST, PATCH, PUT a blob, PUT a manifest.
 *
 * Timeouts are Node's own (a socket idle limit that stays on while a layer streams, and a connect timer);
 * retries stay here rather than in undici's RetryHandler, which cannot replay a streamed body or restart a
 * multi-request upload session, the unit a blob upload must be retried in.
 */
export interface Registry {
  /** Whether the repository already holds the blob (then it is not sent again). */
  hasBlob(repository: string, digest: string): Promise<boolean>
  /** Streams one blob; the registry checks it against `digest` before accepting it. */
  uploadBlob(repository: string, blob: BlobToSend): Promise<void>
  /** Asks the registry to link a blob from another repository of the same registry: true when it did. */
  mountBlob(repository: string, digest: string, fromRepository: string): Promise<boolean>
  /** PUT by digest, never by tag: a manifest stored this way has no name until PutImage gives it one. */
  putManifest(repository: string, manifest: ManifestToSend): Promise<void>
  /** A blob read whole (configs: small, at most MAX_BLOB_READ bytes); its bytes are checked against the digest. */
  readBlob(repository: string, digest: string): Promise<Buffer>
  /** A blob as a stream, for copying between registries. */
  openBlob(repository: string, digest: string): Promise<Readable>
  /** The OCI 1.1 referrers of a manifest (signatures, SBOMs, attestations whose `subject` is it); see referrers.ts. */
  listReferrers(repository: string, digest: string): Promise<ReferrerList>
}

/** GET /v2/<name>/referrers/<digest>: the index's descriptors, or `unsupported` when the registry has no referrers API (404). */
export type ReferrerList = { readonly kind: 'listed'; readonly body: Buffer } | { readonly kind: 'unsupported' }

export interface BlobToSend {
  readonly digest: string
  readonly size: number
  /** Opens the bytes afresh; called again for a retry. */
  readonly open: () => Readable | Promise<Readable>
}

export interface ManifestToSend {
  readonly digest: string
  readonly mediaType: string
  readonly bytes: Buffer
}

export interface RegistryOptions {
  /** Scheme and host of the registry, e.g. GetAuthorizationToken's proxyEndpoint. */
  readonly endpoint: string
  readonly username: string
  readonly password: string
  /** The proxy for each URL (the registry, and the S3 hosts it redirects downloads to), or none. */
  readonly proxyFor?: (url: URL) => ProxyChoice | undefined
  /** How many times one request is tried on a network error, a timeout, a 5xx or a 429 (a blob is re-sent whole). */
  readonly attempts?: number
  /** Connect and idle limits of every request (network-limits.ts). */
  readonly limits?: NetworkLimits
  readonly sleep?: (ms: number) => Promise<void>
  /** Says each retry and each wait for ECR's read-after-write lag. */
  readonly log?: (message: string) => void
  readonly random?: () => number
}

interface Response {
  readonly status: number
  readonly headers: IncomingMessage['headers']
  readonly body: Buffer
}

interface Request {
  readonly method: string
  readonly url: URL
  readonly headers?: Record<string, string | number>
  readonly body?: Buffer | Readable
  /** Send the registry's credentials (never to a redirect target on another origin, such as S3). */
  readonly authorize?: boolean
  /** Refuse a response body larger than this many bytes. */
  readonly maxBody?: number
}

const DEFAULT_ATTEMPTS = 4

/**
 * Configs are read whole, and merge discovery reads the config of any untagged image anyone pushed:
 * real image configs are kilobytes, so 4 MiB leaves room while a hostile one cannot exhaust memory.
 */
export const MAX_BLOB_READ = 4 * 1024 * 1024

/** A request that moved no byte within the idle limit, or could not connect: retried like a reset. */
class RequestTimeout extends Error {
  override readonly name = 'RequestTimeout'
}

/** The registry answered an index PUT with one of these when a child manifest is not (yet) visible. */
const MISSING_CHILD_CODES = new Set(['MANIFEST_BLOB_UNKNOWN', 'MANIFEST_UNKNOWN', 'BLOB_UNKNOWN'])
const INDEX_MEDIA_TYPES = new Set(['application/vnd.oci.image.index.v1+json', 'application/vnd.docker.distribution.manifest.list.v2+json'])

export class RegistryError extends UserError {
  constructor(
    message: string,
    readonly status: number
  ) {
    super(message)
  }
}

export async function createRegistry(options: RegistryOptions): Promise<Registry> {
  const base = new URL(options.endpoint)
  const authorization = `Basic ${Buffer.from(`${options.username}:${options.password}`).toString('base64')}`
  // Loaded only behind a proxy, as for the ECR API client.
  const agentFor = agentChooser(options.proxyFor, options.proxyFor ? (await import('https-proxy-agent')).HttpsProxyAgent : undefined)
  const attempts = options.attempts ?? DEFAULT_ATTEMPTS
  const limits = options.limits ?? { idleMs: DEFAULT_IDLE_MS, connectMs: DEFAULT_CONNECT_MS }
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)))
  const at = (path: string): URL => new URL(path, base)
  const credentialFor = (url: URL): string | undefined => (sendsCredential(base, url) ? authorization : undefined)

  const send = (request: Request): Promise<Response> =>
    new Promise((resolve, reject) => {
      const { url } = request
      const transport = url.protocol === 'http:' ? http : https
      const headers: Record<string, string | number> = { 'User-Agent': 'immutable-ecr-build/1', ...(request.headers ?? {}) }
      const credential = request.authorize === false ? undefined : credentialFor(url)
      if (credential) headers.Authorization = credential
      if (Buffer.isBuffer(request.body)) headers['Content-Length'] = request.body.length
      const req = transport.request(url, { method: request.method, headers, agent: agentFor(url) }, (res) => {
        const chunks: Buffer[] = []
        let size = 0
        res.on('data', (chunk: Buffer) => {
          size += chunk.length
          if (request.maxBody !== undefined && size > request.maxBody) {
            req.destroy(new UserError(`The registry sent more than ${request.maxBody} bytes for ${url.pathname}; refused (no image config is that large).`))
            return
          }
          chunks.push(chunk)
        })
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }))
        res.on('error', reject)
      })
      watchTimeouts(req, limits)
      req.on('error', reject)
      if (request.body === undefined || Buffer.isBuffer(request.body)) {
        req.end(request.body)
      } else {
        request.body.on('error', (error) => req.destroy(error))
        request.body.pipe(req)
      }
    })

  /**
   * Retries what can succeed on a second try: network errors, resets, timeouts, 5xx and 429 (S3's
   * SlowDown is a 503), with backoff and jitter. Anything else is an answer. Each retry is logged.
   */
  const retrying = async <T extends { readonly status: number }>(what: string, attempt: () => Promise<T>, describe: (answer: T) => string): Promise<T> => {
    for (let tried = 1; ; tried++) {
      let failure: string
      try {
        const response = await attempt()
        if (response.status < 500 && response.status !== 429) return response
        failure = `HTTP ${response.status}${describe(response)}`
      } catch (error) {
        // An answer that cannot improve on a second try (401, 404, a digest the registry rejects) ends it.
        if (error instanceof UserError) throw error
        failure = error instanceof Error ? error.message : String(error)
      }
      if (tried >= attempts)
        throw new UserError(`The registry failed ${what} ${attempts} times (last: ${oneLine(failure)}); nothing was tagged: re-run the job.`)
      options.log?.(`Retrying ${what} (retry ${tried} of ${attempts - 1}) after: ${oneLine(failure, 200)}`)
      await sleep(backoffMs(tried, options.random))
    }
  }
  const retryingSend = (what: string, attempt: () => Promise<Response>): Promise<Response> => retrying(what, attempt, registryErrorText)

  /** `permission`: what IAM must allow for this request (registry-permissions.ts), named when it is refused. */
  const expect = (response: Response, what: string, permission: string, ...ok: number[]): Response => {
    if (ok.includes(response.status)) return response
    if (response.status === 401) {
      throw new RegistryError(
        `The registry refused the ECR login for ${what} (HTTP 401${registryErrorText(response)}): the token from GetAuthorizationToken was not accepted or has expired (12 hours); re-run the job.`,
        response.status
      )
    }
    if (response.status === 403) {
      throw new RegistryError(
        `The registry denied ${what} (HTTP 403${registryErrorText(response)}): the role needs ${permission} (README: IAM policy).`,
        response.status
      )
    }
    throw new RegistryError(`The registry answered ${what} with HTTP ${response.status}${registryErrorText(response)}.`, response.status)
  }

  const location = (response: Response, from: URL): URL => {
    const value = response.headers.location
    if (!value) throw new UserError(`The registry answered ${response.status} without a Location header.`)
    return new URL(value, from)
  }

  /** GET that follows the redirects ECR answers layer downloads with (to S3), without our credentials. */
  const get = async (url: URL, what: string, permission: string, maxBody?: number): Promise<Response> => {
    let target = url
    for (let hops = 0; hops < 5; hops++) {
      const response = await retryingSend(what, () => send({ method: 'GET', url: target, ...(maxBody !== undefined ? { maxBody } : {}) }))
      if (![301, 302, 303, 307, 308].includes(response.status)) return expect(response, what, permission, 200)
      target = location(response, target)
    }
    throw new UserError(`The registry redirected ${what} more than five times.`)
  }

  return {
    async hasBlob(repository, digest) {
      const what = `the check of blob ${digest} in ${repository}`
      const response = await retryingSend(what, () => send({ method: 'HEAD', url: at(`/v2/${repository}/blobs/${digest}`) }))
      if (response.status === 404) return false
      if ([200, 307].includes(response.status)) return true
      expect(response, what, neededPermission('blob-check', repository), 200)
      return false
    },

    async uploadBlob(repository, blob) {
      const what = `the upload of blob ${blob.digest} (${blob.size} bytes) to ${repository}`
      // One attempt is the whole protocol from a fresh upload session, so a broken PATCH is re-sent whole.
      await retryingSend(what, async () => {
        const start = await send({ method: 'POST', url: at(`/v2/${repository}/blobs/uploads/`), headers: { 'Content-Length': 0 } })
        if (start.status !== 202)
          return start.status >= 500 || start.status === 429 ? start : expect(start, what, neededPermission('upload-start', repository), 202)
        const session = location(start, at('/'))
        // A streamed PATCH, then a PUT with the digest: the sequence docker and go-containerregistry use.
        const patch = await send({
          method: 'PATCH',
          url: session,
          headers: { 'Content-Type': 'application/octet-stream', 'Content-Length': blob.size },
          body: await blob.open()
        })
        if (patch.status !== 202)
          return patch.status >= 500 || patch.status === 429 ? patch : expect(patch, what, neededPermission('upload-part', repository), 202)
        const done = location(patch, session)
        done.searchParams.set('digest', blob.digest)
        const put = await send({ method: 'PUT', url: done, headers: { 'Content-Length': 0 } })
        return put.status >= 500 || put.status === 429 ? put : expect(put, what, neededPermission('upload-complete', repository), 201)
      })
    },

    async mountBlob(repository, digest, fromRepository) {
      const url = at(`/v2/${repository}/blobs/uploads/`)
      url.searchParams.set('mount', digest)
      url.searchParams.set('from', fromRepository)
      const what = `the mount of blob ${digest} from ${fromRepository} into ${repository}`
      const response = expect(
        await retryingSend(what, () => send({ method: 'POST', url, headers: { 'Content-Length': 0 } })),
        what,
        neededPermission('blob-mount', repository, fromRepository),
        201,
        202
      )
      // 202: the registry declined to mount and opened an upload session instead; it expires unused.
      return response.status === 201
    },

    async putManifest(repository, manifest) {
      const what = `the manifest ${manifest.digest} for ${repository}`
      const put = (): Promise<Response> =>
        retryingSend(what, () =>
          send({
            method: 'PUT',
            url: at(`/v2/${repository}/manifests/${manifest.digest}`),
            headers: { 'Content-Type': manifest.mediaType },
            body: manifest.bytes
          })
        )
      // An index PUT right after its children can be refused for a child ECR does not show yet: waited for, within a bound.
      const lagging = (response: Response): boolean => INDEX_MEDIA_TYPES.has(manifest.mediaType) && missingChild(response)
      const answer = await readAfterWrite(put, (response) => !lagging(response), {
        what: `the children of index ${manifest.digest} in ${repository}`,
        sleep,
        log: options.log
      })
      if (lagging(answer)) {
        throw new UserError(
          `The registry refused the index ${manifest.digest} for ${repository} for ${LAG_BOUND_SECONDS} s because a child manifest is missing (HTTP ${answer.status}${registryErrorText(answer)}); nothing was tagged: re-run the job.`
        )
      }
      const response = expect(answer, what, neededPermission('manifest-write', repository), 201)
      const stored = response.headers['docker-content-digest']
      if (typeof stored === 'string' && stored !== manifest.digest) {
        throw new UserError(`The registry stored ${what} as ${stored}; nothing was tagged.`)
      }
    },

    async readBlob(repository, digest) {
      const response = await get(
        at(`/v2/${repository}/blobs/${digest}`),
        `blob ${digest} of ${repository}`,
        neededPermission('blob-read', repository),
        MAX_BLOB_READ
      )
      const actual = `sha256:${createHash('sha256').update(response.body).digest('hex')}`
      if (actual !== digest) throw new UserError(`The registry served blob ${digest} of ${repository} with the content of ${actual}.`)
      return response.body
    },

    async openBlob(repository, digest) {
      const what = `the download of blob ${digest} of ${repository}`
      let target = at(`/v2/${repository}/blobs/${digest}`)
      for (let hops = 0; hops < 5; hops++) {
        const url = target
        // The source side of a copy retries as the destination does: 5xx, 429 (S3 SlowDown), resets, timeouts.
        const response = await retrying(what, () => openStream(url, credentialFor(url), agentFor(url), limits), streamStatus)
        if (response.status === 200) return response.stream
        response.stream.resume()
        if (response.status === 403) {
          throw new RegistryError(
            `The registry denied ${what} (HTTP 403): the role needs ${neededPermission('blob-read', repository)} (README: IAM policy).`,
            403
          )
        }
        const location = response.stream.headers.location
        if (![301, 302, 303, 307, 308].includes(response.status) || !location) {
          throw new RegistryError(`The registry answered ${what} with HTTP ${response.status}.`, response.status)
        }
        target = new URL(location, target)
      }
      throw new UserError(`The registry redirected ${what} more than five times.`)
    },

    async listReferrers(repository, digest) {
      const what = `the referrers of ${repository}@${digest}`
      const response = await retryingSend(what, () => send({ method: 'GET', url: at(`/v2/${repository}/referrers/${digest}`) }))
      if (response.status === 404) return { kind: 'unsupported' }
      return { kind: 'listed', body: expect(response, what, neededPermission('referrers-read', repository), 200).body }
    }
  }
}

/**
 * The registry credential goes to the registry's origin only (scheme, host and port): never to a
 * redirect target elsewhere (S3), nor to the same host over another scheme or port.
 */
export function sendsCredential(registry: URL, target: URL): boolean {
  return registry.origin === target.origin
}

interface OpenedStream {
  readonly status: number
  readonly stream: IncomingMessage
}

function streamStatus(response: OpenedStream): string {
  // A retried answer is not read: its body is drained so the connection can be reused.
  response.stream.resume()
  return ''
}

/**
 * A GET whose body is handed on as a stream (a layer being copied). The idle limit stays on while it
 * is piped: a source that stops sending mid-layer errors the stream, and the upload it feeds is retried.
 */
function openStream(url: URL, authorization: string | undefined, agent: Agent | undefined, limits: NetworkLimits): Promise<OpenedStream> {
  return new Promise((resolve, reject) => {
    const transport = url.protocol === 'http:' ? http : https
    const headers: Record<string, string> = { 'User-Agent': 'immutable-ecr-build/1' }
    if (authorization) headers.Authorization = authorization
    const req = transport.request(url, { method: 'GET', headers, agent }, (stream) => resolve({ status: stream.statusCode ?? 0, stream }))
    watchTimeouts(req, limits)
    req.on('error', reject)
    req.end()
  })
}

/**
 * Connect and idle limits on one request. Node's own socket timeout covers only an established
 * connection, so the connect phase has its own timer; the idle one lasts while the response streams.
 */
function watchTimeouts(req: http.ClientRequest, limits: NetworkLimits): void {
  req.setTimeout(limits.idleMs, () => {
    req.destroy(new RequestTimeout(`no byte moved for ${duration(limits.idleMs)} (idle timeout)`))
  })
  req.on('socket', (socket) => {
    if (!socket.connecting) return
    const timer = setTimeout(() => req.destroy(new RequestTimeout(`no connection within ${duration(limits.connectMs)}`)), limits.connectMs)
    socket.once('connect', () => clearTimeout(timer))
    socket.once('close', () => clearTimeout(timer))
  })
}

function duration(ms: number): string {
  return ms >= 1000 ? `${Math.round(ms / 1000)} s` : `${ms} ms`
}

/** One keep-alive agent per proxy (or none), chosen for each URL: no_proxy is decided per host. */
function agentChooser(
  proxyFor: ((url: URL) => ProxyChoice | undefined) | undefined,
  ProxyAgent: (new (proxy: string, options: { keepAlive: boolean }) => Agent) | undefined
): (url: URL) => Agent {
  const direct = { http: new http.Agent({ keepAlive: true, maxSockets: 8 }), https: new https.Agent({ keepAlive: true, maxSockets: 8 }) }
  const proxied = new Map<string, Agent>()
  return (url) => {
    const proxy = proxyFor?.(url)
    if (!proxy || !ProxyAgent) return url.protocol === 'http:' ? direct.http : direct.https
    let agent = proxied.get(proxy.url)
    if (!agent) {
      agent = new ProxyAgent(proxy.url, { keepAlive: true })
      proxied.set(proxy.url, agent)
    }
    return agent
  }
}

function missingChild(response: Response): boolean {
  if (response.status !== 400 && response.status !== 404) return false
  try {
    const parsed = JSON.parse(response.body.toString('utf8')) as { errors?: { code?: string }[] }
    return (parsed.errors ?? []).some((error) => MISSING_CHILD_CODES.has(error.code ?? ''))
  } catch {
    return false
  }
}

/** The first error of an OCI error body ({"errors":[{"code","message"}]}), for messages. */
function registryErrorText(response: Response): string {
  try {
    const parsed = JSON.parse(response.body.toString('utf8')) as { errors?: { code?: string; message?: string }[] }
    const first = parsed.errors?.[0]
    if (first) return `: ${oneLine([first.code, first.message].filter(Boolean).join(' '))}`
  } catch {
    // not JSON: no detail
  }
  return ''
}
