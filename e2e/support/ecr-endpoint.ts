// A loopback Amazon-ECR-compatible endpoint in front of a real registry: the ECR JSON API
// (what @aws-sdk/client-ecr talks to via AWS_ENDPOINT_URL_ECR) and the /v2 registry API (what
// docker and buildx push to) on one port, like <account>.dkr.ecr.<region>.amazonaws.com.
// Test infrastructure only: never shipped, never imported by src/.
import { randomBytes, randomUUID } from 'node:crypto'
import { createWriteStream, type WriteStream } from 'node:fs'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { OPERATIONS, repositoryOf, type ApiContext } from './ecr-api.js'
import { EcrApiError, ecrErrors } from './ecr-errors.js'
import { EcrState, type TagMutability } from './ecr-state.js'
import { startRegistry, type RegistryProcess } from './registry-process.js'
import { createRegistryProxy, matchesFilter, type RegistryRequestFilter, type RegistryRequestInfo } from './registry-proxy.js'
import { UpstreamRegistry, type StoredManifest } from './upstream-registry.js'

export type { TagMutability } from './ecr-state.js'
export type { RegistryRequestFilter, RegistryRequestInfo } from './registry-proxy.js'

export interface EcrEndpointOptions {
  /** Public port on 127.0.0.1; a free one by default. */
  port?: number
  /** URL of an existing registry to front instead of starting docker-registry. */
  upstream?: string
  accountId?: string
  region?: string
  /** Append every request as one JSON line here. */
  logFile?: string
  /** docker-registry binary; found on the usual paths by default. */
  registryBinary?: string
}

export interface RequestLogEntry {
  time: string
  kind: 'api' | 'registry'
  /** ECR operation (api) */
  operation?: string
  /** HTTP method and path (registry) */
  method?: string
  path?: string
  repository?: string
  status: number
  /** ECR error code or fault that answered, when not a success. */
  errorCode?: string
  durationMs: number
}

export interface CreateRepositoryOptions {
  mutability?: TagMutability
  /** WILDCARD filters, e.g. ['latest', 'dev-*'] (needed by the *_WITH_EXCLUSION settings). */
  exclusionFilters?: string[]
  scanOnPush?: boolean
}

export interface ManifestInfo extends StoredManifest {
  text: string
}

export interface EcrEndpoint {
  /** http://127.0.0.1:<port>: give it to the action as AWS_ENDPOINT_URL_ECR. */
  readonly apiUrl: string
  /** 127.0.0.1:<port>: the registry host docker pushes to. */
  readonly registryHost: string
  readonly port: number
  readonly accountId: string
  readonly region: string
  /** The docker password GetAuthorizationToken hands out (user name AWS). */
  readonly password: string
  /** URL of the real registry behind the endpoint (no auth, no ECR rules: for inspection only). */
  readonly upstreamUrl: string
  /** Settles if the docker-registry child exits; undefined with options.upstream. */
  readonly registryExited: Promise<number | null> | undefined
  /** Every request so far (cleared by resetLog). */
  readonly requestLog: RequestLogEntry[]
  /** Calls per ECR operation, faults included (cleared by resetLog). */
  readonly counts: Readonly<Record<string, number>>
  /** Registry requests per "<METHOD> <kind>", e.g. "PUT manifests" (cleared by resetLog). */
  readonly registryCounts: Readonly<Record<string, number>>
  /** What an action run needs: endpoint, region and dummy credentials. */
  env(): Record<string, string>
  createRepository(name: string, options?: CreateRepositoryOptions): Record<string, unknown>
  /** The registry's Docker-Content-Digest for a tag, read from the real registry directly. */
  manifestDigest(repository: string, tag: string): Promise<string | undefined>
  manifest(repository: string, reference: string): Promise<ManifestInfo | undefined>
  tags(repository: string): Promise<string[]>
  /** The next n calls of the operation answer ThrottlingException (which the SDK retries). */
  throttle(operation: string, n: number): void
  /** The next n calls (default: all) of the operation answer AccessDeniedException. */
  deny(operation: string, n?: number): void
  /** The next n /v2 requests that pass auth and match the filter answer 503. */
  failRegistry(n: number, filter?: RegistryRequestFilter): void
  /** Disarms every throttle, deny and registry fault. */
  clearFaults(): void
  resetLog(): void
  stop(): Promise<void>
}

const TARGET_PREFIX = 'AmazonEC2ContainerRegistry_V20150921.'
const MAX_API_BODY = 16 * 1024 * 1024

export const DUMMY_ACCESS_KEY_ID = 'AKIAIOSFODNN7EXAMPLE'
export const DUMMY_SECRET_ACCESS_KEY = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY'

/**
 * A token shaped like ECR's: base64 of a JSON envelope with an encrypted payload, well over
 * 1000 characters, so credential handling meets realistic lengths.
 */
function makePassword(): string {
  const envelope = {
    payload: randomBytes(900).toString('base64'),
    datakey: randomBytes(280).toString('base64'),
    version: '2',
    type: 'DATA_KEY',
    expiration: Math.floor(Date.now() / 1000) + 12 * 3600
  }
  return Buffer.from(JSON.stringify(envelope)).toString('base64')
}

export async function startEcrEndpoint(options: EcrEndpointOptions = {}): Promise<EcrEndpoint> {
  const accountId = options.accountId ?? '123456789012'
  const region = options.region ?? 'us-east-1'
  const password = makePassword()

  let registry: RegistryProcess | undefined
  let upstream: UpstreamRegistry
  if (options.upstream) {
    upstream = new UpstreamRegistry(options.upstream.replace(/\/+$/, ''))
  } else {
    registry = await startRegistry(options.registryBinary ? { binary: options.registryBinary } : {})
    upstream = new UpstreamRegistry(registry.url, registry.storageRoot)
  }

  const logStream: WriteStream | undefined = options.logFile ? createWriteStream(options.logFile, { flags: 'a' }) : undefined
  const requestLog: RequestLogEntry[] = []
  const counts: Record<string, number> = {}
  const registryCounts: Record<string, number> = {}
  const throttles = new Map<string, number>()
  const denials = new Map<string, number>()
  const registryFaults: Array<{ remaining: number; filter?: RegistryRequestFilter }> = []

  function record(entry: RequestLogEntry): void {
    requestLog.push(entry)
    logStream?.write(`${JSON.stringify(entry)}\n`)
  }

  function takeCount(map: Map<string, number>, operation: string): boolean {
    const left = map.get(operation) ?? 0
    if (left <= 0) return false
    if (left !== Infinity) map.set(operation, left - 1)
    return true
  }

  // State and proxy need the public port, known only once the server listens.
  let state!: EcrState
  let api!: ApiContext
  let proxy!: ReturnType<typeof createRegistryProxy>

  async function handleApi(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const startedAt = Date.now()
    const target = String(req.headers['x-amz-target'] ?? '')
    const operation = target.startsWith(TARGET_PREFIX) ? target.slice(TARGET_PREFIX.length) : target
    let input: Record<string, unknown> = {}
    let status = 200
    let errorCode: string | undefined
    let body: string
    try {
      const raw = await readBody(req, MAX_API_BODY)
      counts[operation] = (counts[operation] ?? 0) + 1
      if (!String(req.headers.authorization ?? '').startsWith('AWS4-HMAC-SHA256')) throw ecrErrors.missingAuthenticationToken()
      const handler = target.startsWith(TARGET_PREFIX) && Object.hasOwn(OPERATIONS, operation) ? OPERATIONS[operation] : undefined
      if (!handler) throw ecrErrors.unknownOperation(target)
      try {
        input = raw.length === 0 ? {} : (JSON.parse(raw.toString('utf8')) as Record<string, unknown>)
      } catch {
        throw ecrErrors.serialization()
      }
      if (typeof input !== 'object' || input === null || Array.isArray(input)) throw ecrErrors.serialization()
      if (takeCount(throttles, operation)) throw ecrErrors.throttling()
      if (takeCount(denials, operation)) throw ecrErrors.accessDenied(accountId, region, operation, repositoryOf(input))
      body = JSON.stringify(await handler(api, input))
    } catch (error) {
      const apiError =
        error instanceof EcrApiError ? error : ecrErrors.server(error instanceof Error ? error.message : String(error))
      status = apiError.status
      errorCode = apiError.code
      body = JSON.stringify({ __type: apiError.code, message: apiError.message })
    }
    const headers: http.OutgoingHttpHeaders = {
      'content-type': 'application/x-amz-json-1.1',
      'content-length': Buffer.byteLength(body),
      'x-amzn-requestid': randomUUID()
    }
    if (errorCode) headers['x-amzn-errortype'] = errorCode
    res.writeHead(status, headers)
    res.end(body)
    const repository = repositoryOf(input)
    record({
      time: new Date().toISOString(),
      kind: 'api',
      operation,
      ...(repository !== undefined ? { repository } : {}),
      status,
      ...(errorCode ? { errorCode } : {}),
      durationMs: Date.now() - startedAt
    })
  }

  const server = http.createServer((req, res) => {
    const pathname = (req.url ?? '/').split('?')[0] ?? '/'
    if (pathname === '/v2' || pathname.startsWith('/v2/')) {
      proxy.handle(req, res)
      return
    }
    if (req.method === 'POST' && pathname === '/') {
      handleApi(req, res).catch((error: unknown) => {
        if (!res.headersSent) res.writeHead(500).end(String(error))
      })
      return
    }
    req.resume()
    const body = JSON.stringify({ __type: 'UnknownOperationException', message: 'Only POST / (the ECR API) and /v2/ (the registry) are served here.' })
    res.writeHead(404, { 'content-type': 'application/x-amz-json-1.1', 'content-length': Buffer.byteLength(body), 'x-amzn-errortype': 'UnknownOperationException' })
    res.end(body)
  })
  // Long blob uploads from buildkit must not be cut by Node's default request timeout.
  server.requestTimeout = 0
  server.keepAliveTimeout = 30_000

  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject)
      server.listen(options.port ?? 0, '127.0.0.1', () => {
        server.removeListener('error', reject)
        resolve()
      })
    })
  } catch (error) {
    await registry?.stop()
    throw error
  }
  const port = (server.address() as AddressInfo).port
  const apiUrl = `http://127.0.0.1:${port}`
  const registryHost = `127.0.0.1:${port}`
  state = new EcrState(accountId, region, registryHost, upstream)
  api = { state, password, proxyEndpoint: apiUrl }
  proxy = createRegistryProxy({
    state,
    password,
    publicOrigin: apiUrl,
    takeFault: (info: RegistryRequestInfo) => {
      const fault = registryFaults.find((f) => f.remaining > 0 && matchesFilter(f.filter, info))
      if (!fault) return false
      fault.remaining--
      return true
    },
    onDone: (info, status, startedAt) => {
      const key = `${info.method} ${info.kind ?? (info.path.startsWith('/v2/_catalog') ? 'catalog' : 'base')}`
      registryCounts[key] = (registryCounts[key] ?? 0) + 1
      record({
        time: new Date().toISOString(),
        kind: 'registry',
        method: info.method,
        path: info.path,
        ...(info.repository !== undefined ? { repository: info.repository } : {}),
        status,
        durationMs: Date.now() - startedAt
      })
    }
  })

  let stopped = false
  return {
    apiUrl,
    registryHost,
    port,
    accountId,
    region,
    password,
    upstreamUrl: upstream.url,
    registryExited: registry?.exited,
    requestLog,
    counts,
    registryCounts,
    env: () => ({
      AWS_ENDPOINT_URL_ECR: apiUrl,
      AWS_REGION: region,
      AWS_ACCESS_KEY_ID: DUMMY_ACCESS_KEY_ID,
      AWS_SECRET_ACCESS_KEY: DUMMY_SECRET_ACCESS_KEY,
      AWS_EC2_METADATA_DISABLED: 'true'
    }),
    createRepository: (name, repositoryOptions = {}) =>
      state.describe(
        state.createRepository(name, {
          mutability: repositoryOptions.mutability ?? 'MUTABLE',
          exclusionFilters: repositoryOptions.exclusionFilters ?? [],
          scanOnPush: repositoryOptions.scanOnPush ?? false
        })
      ),
    manifestDigest: (repository, tag) => upstream.headManifest(repository, tag),
    manifest: async (repository, reference) => {
      const stored = await upstream.getManifest(repository, reference)
      return stored ? { ...stored, text: stored.bytes.toString('utf8') } : undefined
    },
    tags: (repository) => upstream.tags(repository),
    throttle: (operation, n) => {
      throttles.set(operation, n)
    },
    deny: (operation, n = Infinity) => {
      denials.set(operation, n)
    },
    failRegistry: (n, filter) => {
      registryFaults.push(filter ? { remaining: n, filter } : { remaining: n })
    },
    clearFaults: () => {
      throttles.clear()
      denials.clear()
      registryFaults.length = 0
    },
    resetLog: () => {
      requestLog.length = 0
      for (const key of Object.keys(counts)) delete counts[key]
      for (const key of Object.keys(registryCounts)) delete registryCounts[key]
    },
    stop: async () => {
      if (stopped) return
      stopped = true
      await new Promise<void>((resolve) => {
        server.close(() => resolve())
        server.closeAllConnections()
      })
      proxy.close()
      await registry?.stop()
      if (logStream) await new Promise<void>((resolve) => logStream.end(() => resolve()))
    }
  }
}

function readBody(req: http.IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    let size = 0
    req.on('data', (chunk: Buffer) => {
      size += chunk.length
      if (size > limit) {
        reject(new EcrApiError('SerializationException', 'Request body too large'))
        req.destroy()
        return
      }
      chunks.push(chunk)
    })
    req.on('end', () => resolve(Buffer.concat(chunks)))
    req.on('error', reject)
  })
}
