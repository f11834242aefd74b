import { createHash } from 'node:crypto'
import http, { type Agent, type IncomingMessage } from 'node:http'
import https from 'node:https'
import type { Readable } from 'node:stream'
import { UserError, oneLine } from '../errors.js'
import type { ProxyChoice } from '../proxy.js'

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
  /** A blob read whole (configs: small); its bytes are checked against the digest. */
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
  readonly proxy?: ProxyChoice
  /** How many times one request is tried on a network error or a 5xx (a blob is re-sent whole). */
  readonly attempts?: number
  readonly sleep?: (ms: number) => Promise<void>
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
  /** Send the registry's credentials (never to a redirect target on another host, such as S3). */
  readonly authorize?: boolean
}

const DEFAULT_ATTEMPTS = 4

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
  const agents = await makeAgents(options.proxy)
  const attempts = options.attempts ?? DEFAULT_ATTEMPTS
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)))
  const at = (path: string): URL => new URL(path, base)

  const send = (request: Request): Promise<Response> =>
    new Promise((resolve, reject) => {
      const { url } = request
      const transport = url.protocol === 'http:' ? http : https
      const headers: Record<string, string | number> = { 'User-Agent': 'immutable-ecr-build/1', ...(request.headers ?? {}) }
      if (request.authorize !== false && url.host === base.host) headers.Authorization = authorization
      if (Buffer.isBuffer(request.body)) headers['Content-Length'] = request.body.length
      const req = transport.request(url, { method: request.method, headers, agent: url.protocol === 'http:' ? agents.http : agents.https }, (res) => {
        const chunks: Buffer[] = []
        res.on('data', (chunk: Buffer) => chunks.push(chunk))
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }))
        res.on('error', reject)
      })
      req.on('error', reject)
      if (request.body === undefined || Buffer.isBuffer(request.body)) {
        req.end(request.body)
      } else {
        request.body.on('error', (error) => req.destroy(error))
        request.body.pipe(req)
      }
    })

  /** Retries what can succeed on a second try: network errors, 5xx and 429. Anything else is an answer. */
  const retrying = async (what: string, attempt: () => Promise<Response>): Promise<Response> => {
    for (let tried = 1; ; tried++) {
      let failure: string
      try {
        const response = await attempt()
        if (response.status < 500 && response.status !== 429) return response
        failure = `HTTP ${response.status}${registryErrorText(response)}`
      } catch (error) {
        // An answer that cannot improve on a second try (401, 404, a digest the registry rejects) ends it.
        if (error instanceof UserError) throw error
        failure = error instanceof Error ? error.message : String(error)
      }
      if (tried >= attempts)
        throw new UserError(`The registry failed ${what} ${attempts} times (last: ${oneLine(failure)}); nothing was tagged: re-run the job.`)
      await sleep(Math.min(4000, 250 * 2 ** (tried - 1)))
    }
  }

  const expect = (response: Response, what: string, ...ok: number[]): Response => {
    if (ok.includes(response.status)) return response
    if (response.status === 401) {
      throw new RegistryError(
        `The registry refused the ECR login for ${what} (HTTP 401${registryErrorText(response)}): the token from GetAuthorizationToken was not accepted or has expired (12 hours); re-run the job.`,
        response.status
      )
    }
    if (response.status === 403) {
      throw new RegistryError(
        `The registry denied ${what} (HTTP 403${registryErrorText(response)}): the role needs ecr:BatchCheckLayerAvailability, ecr:InitiateLayerUpload, ecr:UploadLayerPart, ecr:CompleteLayerUpload and ecr:PutImage on the repository.`,
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
  const get = async (url: URL, what: string): Promise<Response> => {
    let target = url
    for (let hops = 0; hops < 5; hops++) {
      const response = await retrying(what, () => send({ method: 'GET', url: target }))
      if (![301, 302, 303, 307, 308].includes(response.status)) return expect(response, what, 200)
      target = location(response, target)
    }
    throw new UserError(`The registry redirected ${what} more than five times.`)
  }

  return {
    async hasBlob(repository, digest) {
      const what = `the check of blob ${digest} in ${repository}`
      const response = await retrying(what, () => send({ method: 'HEAD', url: at(`/v2/${repository}/blobs/${digest}`) }))
      if (response.status === 404) return false
      if ([200, 307].includes(response.status)) return true
      expect(response, what, 200)
      return false
    },

    async uploadBlob(repository, blob) {
      const what = `the upload of blob ${blob.digest} (${blob.size} bytes) to ${repository}`
      // One attempt is the whole protocol from a fresh upload session, so a broken PATCH is re-sent whole.
      await retrying(what, async () => {
        const start = await send({ method: 'POST', url: at(`/v2/${repository}/blobs/uploads/`), headers: { 'Content-Length': 0 } })
        if (start.status !== 202) return start.status >= 500 || start.status === 429 ? start : expect(start, what, 202)
        const session = location(start, at('/'))
        // A streamed PATCH, then a PUT with the digest: the sequence docker and go-containerregistry use.
        const patch = await send({
          method: 'PATCH',
          url: session,
          headers: { 'Content-Type': 'application/octet-stream', 'Content-Length': blob.size },
          body: await blob.open()
        })
        if (patch.status !== 202) return patch.status >= 500 || patch.status === 429 ? patch : expect(patch, what, 202)
        const done = location(patch, session)
        done.searchParams.set('digest', blob.digest)
        const put = await send({ method: 'PUT', url: done, headers: { 'Content-Length': 0 } })
        return put.status >= 500 || put.status === 429 ? put : expect(put, what, 201)
      })
    },

    async mountBlob(repository, digest, fromRepository) {
      const url = at(`/v2/${repository}/blobs/uploads/`)
      url.searchParams.set('mount', digest)
      url.searchParams.set('from', fromRepository)
      const what = `the mount of blob ${digest} from ${fromRepository} into ${repository}`
      const response = expect(await retrying(what, () => send({ method: 'POST', url, headers: { 'Content-Length': 0 } })), what, 201, 202)
      // 202: the registry declined to mount and opened an upload session instead; it expires unused.
      return response.status === 201
    },

    async putManifest(repository, manifest) {
      const what = `the manifest ${manifest.digest} for ${repository}`
      const response = expect(
        await retrying(what, () =>
          send({
            method: 'PUT',
            url: at(`/v2/${repository}/manifests/${manifest.digest}`),
            headers: { 'Content-Type': manifest.mediaType },
            body: manifest.bytes
          })
        ),
        what,
        201
      )
      const stored = response.headers['docker-content-digest']
      if (typeof stored === 'string' && stored !== manifest.digest) {
        throw new UserError(`The registry stored ${what} as ${stored}; nothing was tagged.`)
      }
    },

    async readBlob(repository, digest) {
      const response = await get(at(`/v2/${repository}/blobs/${digest}`), `blob ${digest} of ${repository}`)
      const actual = `sha256:${createHash('sha256').update(response.body).digest('hex')}`
      if (actual !== digest) throw new UserError(`The registry served blob ${digest} of ${repository} with the content of ${actual}.`)
      return response.body
    },

    async openBlob(repository, digest) {
      const what = `blob ${digest} of ${repository}`
      let target = at(`/v2/${repository}/blobs/${digest}`)
      for (let hops = 0; hops < 5; hops++) {
        const response = await openStream(target, target.host === base.host ? authorization : undefined, agents)
        if (response.statusCode === 200) return response
        response.resume()
        if (![301, 302, 303, 307, 308].includes(response.statusCode ?? 0) || !response.headers.location) {
          throw new RegistryError(`The registry answered ${what} with HTTP ${response.statusCode ?? 0}.`, response.statusCode ?? 0)
        }
        target = new URL(response.headers.location, target)
      }
      throw new UserError(`The registry redirected ${what} more than five times.`)
    },

    async listReferrers(repository, digest) {
      const what = `the referrers of ${repository}@${digest}`
      const response = await retrying(what, () => send({ method: 'GET', url: at(`/v2/${repository}/referrers/${digest}`) }))
      if (response.status === 404) return { kind: 'unsupported' }
      if (response.status === 403) {
        throw new RegistryError(
          `The registry denied ${what} (HTTP 403${registryErrorText(response)}): the role needs ecr:BatchGetImage on ${repository}.`,
          response.status
        )
      }
      return { kind: 'listed', body: expect(response, what, 200).body }
    }
  }
}

function openStream(url: URL, authorization: string | undefined, agents: { http?: Agent; https?: Agent }): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    const transport = url.protocol === 'http:' ? http : https
    const headers: Record<string, string> = { 'User-Agent': 'immutable-ecr-build/1' }
    if (authorization) headers.Authorization = authorization
    const req = transport.request(url, { method: 'GET', headers, agent: url.protocol === 'http:' ? agents.http : agents.https }, resolve)
    req.on('error', reject)
    req.end()
  })
}

async function makeAgents(proxy: ProxyChoice | undefined): Promise<{ http?: Agent; https?: Agent }> {
  if (!proxy) {
    return { http: new http.Agent({ keepAlive: true, maxSockets: 8 }), https: new https.Agent({ keepAlive: true, maxSockets: 8 }) }
  }
  // Loaded only behind a proxy, as for the ECR API client.
  const { HttpsProxyAgent } = await import('https-proxy-agent')
  const agent = new HttpsProxyAgent(proxy.url, { keepAlive: true })
  return { http: agent, https: agent }
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
