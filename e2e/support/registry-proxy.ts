// The data plane of the fake ECR: /v2/... streamed to the real registry, with what ECR adds on
// top of a plain registry: Basic auth with the GetAuthorizationToken password, NAME_UNKNOWN for
// repositories that were never created through the API, and tag immutability on manifest PUT.
import http from 'node:http'
import { pipeline } from 'node:stream'
import { registryErrors } from './ecr-errors.js'
import { isTagImmutable, type EcrState } from './ecr-state.js'
import { isDigest } from './upstream-registry.js'

export interface RegistryRequestInfo {
  method: string
  /** Path without the query string, e.g. /v2/team/api/manifests/abc. */
  path: string
  repository?: string
  /** manifests | blobs | tags, or undefined for /v2/ and /v2/_catalog. */
  kind?: string
  /** The tag or digest of a manifest request. */
  reference?: string
}

export type RegistryRequestFilter =
  | ((request: RegistryRequestInfo) => boolean)
  | { method?: string; path?: string | RegExp; kind?: string }

export interface RegistryProxyOptions {
  state: EcrState
  password: string
  /** http://127.0.0.1:<public port> */
  publicOrigin: string
  /** Returns true when a fault was armed for this request (and consumes it). */
  takeFault: (request: RegistryRequestInfo) => boolean
  onDone: (request: RegistryRequestInfo, status: number, startedAt: number) => void
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
    if (i > 0 && (segment === 'manifests' || segment === 'blobs' || segment === 'tags')) candidates.push(i)
  })
  const index = candidates.find((i) => known(segments.slice(0, i).join('/'))) ?? candidates[0]
  if (index === undefined) return { path: pathname }
  const rest = segments.slice(index + 1).join('/')
  const kind = segments[index]
  return {
    path: pathname,
    repository: segments.slice(0, index).join('/'),
    ...(kind !== undefined ? { kind } : {}),
    ...(kind === 'manifests' ? { reference: decodeURIComponent(rest) } : {})
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

  function forward(req: http.IncomingMessage, res: http.ServerResponse, info: RegistryRequestInfo): Promise<void> {
    return new Promise((resolve) => {
      const headers: http.OutgoingHttpHeaders = { ...req.headers, host: upstream.host }
      delete headers['authorization']
      for (const name of HOP_BY_HOP) delete headers[name]
      const upstreamReq = http.request(
        { host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers, agent },
        (upstreamRes) => {
          const out: http.OutgoingHttpHeaders = { ...upstreamRes.headers }
          for (const name of HOP_BY_HOP) delete out[name]
          const location = upstreamRes.headers.location
          if (location?.startsWith(upstream.origin)) out['location'] = options.publicOrigin + location.slice(upstream.origin.length)
          if (info.kind === 'manifests' && req.method === 'PUT' && upstreamRes.statusCode === 201 && info.repository) {
            const digest = upstreamRes.headers['docker-content-digest']
            if (typeof digest === 'string' && !state.pushedAt.has(`${info.repository}@${digest}`)) {
              state.pushedAt.set(`${info.repository}@${digest}`, new Date())
            }
          }
          res.writeHead(upstreamRes.statusCode ?? 502, out)
          pipeline(upstreamRes, res, () => resolve())
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
      pipeline(req, upstreamReq, () => undefined)
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
    if (options.takeFault(info)) {
      reject(req, res, 503, registryErrors.unavailable())
      return
    }
    const repository = info.repository
    if (repository !== undefined && !state.repositories.has(repository)) {
      reject(req, res, 404, registryErrors.nameUnknown(repository, state.accountId))
      return
    }
    const record = repository !== undefined ? state.repositories.get(repository) : undefined
    const tag = info.kind === 'manifests' && info.reference !== undefined && !isDigest(info.reference) ? info.reference : undefined
    if (req.method === 'PUT' && record && tag !== undefined) {
      // Check and write under the repository lock: exactly one of two racing pushes may win.
      await state.locks.run(record.name, async () => {
        if (isTagImmutable(record, tag) && (await state.upstream.headManifest(record.name, tag)) !== undefined) {
          reject(req, res, 400, registryErrors.tagInvalid(tag, record.name))
          return
        }
        await forward(req, res, info)
      })
      return
    }
    await forward(req, res, info)
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
