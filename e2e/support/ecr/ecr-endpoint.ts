// A loopback Amazon-ECR-compatible endpoint in front of a real registry: the ECR JSON API
// (what @aws-sdk/client-ecr talks to via AWS_ENDPOINT_URL_ECR) and the /v2 registry API (what
// docker and buildx push to) on one port, like <account>.dkr.ecr.<region>.amazonaws.com.
// Test infrastructure only: never shipped, never imported by src/.
import { randomBytes, randomUUID } from 'node:crypto'
import { createWriteStream, type WriteStream } from 'node:fs'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { OPERATIONS as CORE_OPERATIONS, repositoryOf, type ApiContext } from './ecr-api.js'
import { EcrApiError, ecrErrors, notAuthorized } from './ecr-errors.js'
import { isAllowed, parsePolicy, repositoryArn, type IamPolicy } from '../iam/iam-policy.js'
import { SCANNING_OPERATIONS, transitionStorage } from './ecr-scan-api.js'
import { SIGNING_OPERATIONS } from './ecr-signing-api.js'
import type { SigningPlan, SigningRule } from './ecr-signing.js'
import type { RegistryScanning, ScanMatcher, ScanPlan, ScanningRule } from './ecr-scanning.js'
import { EcrState, type TagMutability } from './ecr-state.js'
import { startRegistry, type RegistryProcess } from '../registry/registry-process.js'
import { createRegistryProxy, matchesFilter, type RegistryRequestFilter, type RegistryRequestInfo } from './registry-proxy.js'
import { UpstreamRegistry, type StoredManifest } from '../registry/upstream-registry.js'

export type { TagMutability } from './ecr-state.js'
export type { PlannedFinding, PlannedScanStatus, ScanMatcher, ScanPlan, ScanningRule, Severity } from './ecr-scanning.js'
export type { SigningPlan, SigningRule } from './ecr-signing.js'

const OPERATIONS = { ...CORE_OPERATIONS, ...SCANNING_OPERATIONS, ...SIGNING_OPERATIONS }
export type { RegistryRequestFilter, RegistryRequestInfo } from './registry-proxy.js'
export type { IamPolicy, IamStatement } from '../iam/iam-policy.js'

/** ECR operations whose IAM resource is '*' (the service authorization reference lists no resource type for them). */
const ACCOUNT_LEVEL_OPERATIONS = new Set([
  'GetAuthorizationToken',
  'GetRegistryScanningConfiguration',
  'PutRegistryScanningConfiguration',
  'GetAccountSetting',
  'PutAccountSetting',
  'DescribeRegistry',
  'GetSigningConfiguration',
  'PutSigningConfiguration',
  'DeleteSigningConfiguration'
])

export interface EcrEndpointOptions {
  /** Public port on 127.0.0.1; a free one by default. */
  port?: number
  /** URL of an existing registry to front instead of starting docker-registry. */
  upstream?: string
  accountId?: string
  /**
   * More AWS accounts behind the same API URL, each with its own registry (repositories,
   * immutability, scanning, archive) on its own loopback port, as distinct
   * <account>.dkr.ecr.<region>.amazonaws.com hosts are. An operation's registryId selects the
   * account; the caller is the account of the request's access key (envFor(accountId)).
   */
  accounts?: string[]
  /** Initial BLOB_MOUNTING account setting of every account (ECR's default: DISABLED). */
  blobMounting?: 'ENABLED' | 'DISABLED'
  region?: string
  /** Append every request as one JSON line here. */
  logFile?: string
  /** docker-registry binary; found on the usual paths by default. */
  registryBinary?: string
  /** ECR's read-after-write lag in ms for every account (setReadAfterWriteLag); 0 by default. */
  readAfterWriteLagMs?: number
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
  /** Accepted and never answered (stall, stallRegistry): the client gave up on it. */
  stalled?: boolean
  /** The account whose registry served a registry request, or the API caller's account, when not the default one. */
  account?: string
  durationMs: number
}

export interface CreateRepositoryOptions {
  /** The account to create it in (default: the endpoint's default account). */
  accountId?: string
  mutability?: TagMutability
  /** WILDCARD filters, e.g. ['latest', 'dev-*'] (needed by the *_WITH_EXCLUSION settings). */
  exclusionFilters?: string[]
  scanOnPush?: boolean
}

export interface ManifestInfo extends StoredManifest {
  text: string
}

/** One account's registry behind the endpoint. */
export interface EcrAccount {
  readonly accountId: string
  /** 127.0.0.1:<port>: this account's registry host (the default account's is the API port). */
  readonly registryHost: string
  readonly port: number
  /** Endpoint, region and credentials whose access key belongs to this account. */
  env(): Record<string, string>
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
  /** What an action run needs: endpoint, region and dummy credentials (of the default account). */
  env(): Record<string, string>
  /** Every account served, the default one first. */
  readonly accountIds: readonly string[]
  /** Adds an account with its own registry port; resolves once that port listens. */
  addAccount(accountId: string): Promise<EcrAccount>
  account(accountId?: string): EcrAccount
  createRepository(name: string, options?: CreateRepositoryOptions): Record<string, unknown>
  /** The registry's Docker-Content-Digest for a tag, read from the real registry directly. */
  manifestDigest(repository: string, tag: string, accountId?: string): Promise<string | undefined>
  manifest(repository: string, reference: string, accountId?: string): Promise<ManifestInfo | undefined>
  tags(repository: string, accountId?: string): Promise<string[]>
  /**
   * Scripts the scans of matching images (the last matching plan wins): a digest, '*' or a
   * predicate; repository '*' for every repository. Unscripted scans finish COMPLETE (ACTIVE for
   * enhanced continuous scanning) after 50 ms with no findings.
   */
  setScanPlan(repository: string, matcher: ScanMatcher, plan: ScanPlan, accountId?: string): void
  /** Forgets every scan (and so the once-per-24-hours StartImageScan quota) of a repository, or of all. */
  clearScans(repository?: string, accountId?: string): void
  /** The registry scanning configuration (as PutRegistryScanningConfiguration sets it). */
  setRegistryScanning(config: { scanType: 'BASIC' | 'ENHANCED'; rules?: ScanningRule[] }, accountId?: string): void
  /** Moves an image to the ARCHIVE storage class at once (as UpdateImageStorageClass ARCHIVE does). */
  archiveImage(repository: string, digest: string, accountId?: string): void
  /** Starts a restore (ACTIVATING, then ACTIVE after delayMs, default the endpoint's restore delay). */
  restoreImage(repository: string, digest: string, options?: { delayMs?: number; accountId?: string }): void
  /** How long UpdateImageStorageClass STANDARD keeps an image ACTIVATING (default 100 ms). */
  setRestoreDelay(ms: number, accountId?: string): void
  /** The registry's managed-signing rules (as PutSigningConfiguration sets them); undefined removes the configuration. */
  setSigningConfiguration(rules: SigningRule[] | undefined, accountId?: string): void
  /** Scripts the signing of images pushed to a repository ('*': every one) from now on: delay, or FAILED with a reason. */
  setSigningPlan(repository: string, plan: SigningPlan, accountId?: string): void
  /** An account setting, as PutAccountSetting sets it (e.g. BLOB_MOUNTING ENABLED). */
  setAccountSetting(name: string, value: string, accountId?: string): void
  /** The next n calls of the operation answer ThrottlingException (which the SDK retries). */
  throttle(operation: string, n: number): void
  /** The next n calls (default: all) of the operation answer AccessDeniedException. */
  deny(operation: string, n?: number): void
  /**
   * The identity-based IAM policy every caller is held to from now on (undefined: everything allowed,
   * the default). Every ECR API call needs ecr:<Operation> on the repository it names (its
   * registryId's account) or on '*'; every registry request needs the action that authorizes it
   * (registry-proxy.ts registryAction). A refusal is AccessDeniedException, or HTTP 403 DENIED.
   */
  setPolicy(policy: IamPolicy | undefined): void
  /** The policy in force, if any. */
  readonly policy: IamPolicy | undefined
  /** The next n /v2 requests that pass auth and match the filter answer 503. */
  failRegistry(n: number, filter?: RegistryRequestFilter): void
  /** The next n calls of the operation are read and never answered (a half-open connection, a stuck proxy). */
  stall(operation: string, n?: number): void
  /** The next n /v2 requests that pass auth and match the filter are read and never answered. */
  stallRegistry(n: number, filter?: RegistryRequestFilter): void
  /**
   * ECR's read-after-write lag, for every account (those added later too): manifests and tags written
   * within the last `ms` answer not found on BatchGetImage, DescribeImages and registry GET/HEAD, and
   * an index (registry PUT or PutImage) whose children are that new is refused as ECR refuses it.
   */
  setReadAfterWriteLag(ms: number): void
  /** Disarms every throttle, deny, stall and registry fault. */
  clearFaults(): void
  resetLog(): void
  stop(): Promise<void>
}

const TARGET_PREFIX = 'AmazonEC2ContainerRegistry_V20150921.'
const MAX_API_BODY = 16 * 1024 * 1024

export const DUMMY_ACCESS_KEY_ID = 'AKIAIOSFODNN7EXAMPLE'
export const DUMMY_SECRET_ACCESS_KEY = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY'

/** The dummy access key of an account other than the default one: AKIA + account id + TEST. */
export function accessKeyFor(accountId: string): string {
  return `AKIA${accountId}TEST`
}

function accessKeyOf(authorization: string): string | undefined {
  return /Credential=([A-Z0-9]+)\//.exec(authorization)?.[1]
}

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
  let policy: IamPolicy | undefined

  /** The IAM decision: the first resource the policy does not allow the action on, or undefined when allowed. */
  function refusedResource(action: string, resources: readonly string[]): string | undefined {
    const current = policy
    if (!current) return undefined
    return resources.find((resource) => !isAllowed(current, action, resource))
  }

  /** The resources an API call is authorized on: each repository it names, in its registryId's account, else '*'. */
  function apiResources(operation: string, input: Record<string, unknown>, caller: string): string[] {
    if (ACCOUNT_LEVEL_OPERATIONS.has(operation)) return ['*']
    const registry = typeof input['registryId'] === 'string' ? input['registryId'] : caller
    const names = typeof input['repositoryName'] === 'string' ? [input['repositoryName']] : input['repositoryNames']
    if (Array.isArray(names) && names.length > 0) return names.map((name) => repositoryArn(region, registry, String(name)))
    return ['*']
  }
  const stalls = new Map<string, number>()
  const registryStalls: Array<{ remaining: number; filter?: RegistryRequestFilter }> = []
  let readAfterWriteLagMs = options.readAfterWriteLagMs ?? 0

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

  interface AccountEntry {
    state: EcrState
    proxy: ReturnType<typeof createRegistryProxy>
    /** Only for accounts other than the default one (whose registry shares the API port). */
    server?: http.Server
    port: number
  }
  const accounts = new Map<string, AccountEntry>()
  const keyToAccount = new Map<string, string>()

  function entryFor(id: string | undefined): AccountEntry {
    const entry = accounts.get(id ?? accountId)
    if (!entry) throw new Error(`the endpoint serves no account ${id ?? accountId}; addAccount it first`)
    return entry
  }

  function makeProxy(state: EcrState, publicOrigin: string, account: string): ReturnType<typeof createRegistryProxy> {
    return createRegistryProxy({
      state,
      password,
      publicOrigin,
      // The registry login is one password for every caller, so the principal named is the default account's.
      authorize: (action, repository) => {
        const refused = refusedResource(action, [repositoryArn(region, account, repository)])
        return refused === undefined ? undefined : notAuthorized(accountId, action, refused)
      },
      takeFault: (info: RegistryRequestInfo) => takeArmed(registryFaults, info),
      takeStall: (info: RegistryRequestInfo) => takeArmed(registryStalls, info),
      onDone: (info, status, startedAt) => {
        const key = `${info.method} ${info.kind ?? (info.path.startsWith('/v2/_catalog') ? 'catalog' : 'base')}`
        registryCounts[key] = (registryCounts[key] ?? 0) + 1
        record({
          time: new Date().toISOString(),
          kind: 'registry',
          method: info.method,
          path: info.path,
          ...(info.repository !== undefined ? { repository: info.repository } : {}),
          status: info.stalled ? 0 : status,
          ...(info.stalled ? { stalled: true } : {}),
          ...(account !== accountId ? { account } : {}),
          durationMs: Date.now() - startedAt
        })
      }
    })
  }

  function takeArmed(armed: Array<{ remaining: number; filter?: RegistryRequestFilter }>, info: RegistryRequestInfo): boolean {
    const entry = armed.find((f) => f.remaining > 0 && matchesFilter(f.filter, info))
    if (!entry) return false
    entry.remaining--
    return true
  }

  async function handleApi(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const startedAt = Date.now()
    const target = String(req.headers['x-amz-target'] ?? '')
    const operation = target.startsWith(TARGET_PREFIX) ? target.slice(TARGET_PREFIX.length) : target
    const authorization = String(req.headers.authorization ?? '')
    const caller = keyToAccount.get(accessKeyOf(authorization) ?? '') ?? accountId
    let input: Record<string, unknown> = {}
    let status = 200
    let errorCode: string | undefined
    let body: string
    try {
      const raw = await readBody(req, MAX_API_BODY)
      counts[operation] = (counts[operation] ?? 0) + 1
      if (!authorization.startsWith('AWS4-HMAC-SHA256')) throw ecrErrors.missingAuthenticationToken()
      const handler = target.startsWith(TARGET_PREFIX) && Object.hasOwn(OPERATIONS, operation) ? OPERATIONS[operation] : undefined
      if (!handler) throw ecrErrors.unknownOperation(target)
      try {
        input = raw.length === 0 ? {} : (JSON.parse(raw.toString('utf8')) as Record<string, unknown>)
      } catch {
        throw ecrErrors.serialization()
      }
      if (typeof input !== 'object' || input === null || Array.isArray(input)) throw ecrErrors.serialization()
      if (takeCount(stalls, operation)) {
        // Read and never answered: recorded now, since no answer will ever be written.
        record({ time: new Date().toISOString(), kind: 'api', operation, status: 0, stalled: true, durationMs: Date.now() - startedAt })
        return
      }
      if (takeCount(throttles, operation)) throw ecrErrors.throttling()
      if (takeCount(denials, operation)) throw ecrErrors.accessDenied(caller, region, operation, repositoryOf(input))
      const refused = refusedResource(`ecr:${operation}`, apiResources(operation, input, caller))
      if (refused !== undefined) throw ecrErrors.notAuthorized(caller, `ecr:${operation}`, refused)
      const callerState = entryFor(caller).state
      const context: ApiContext = {
        state: callerState,
        account: (id) => (id === undefined ? callerState : accounts.get(id)?.state),
        password
      }
      body = JSON.stringify(await handler(context, input))
    } catch (error) {
      const apiError = error instanceof EcrApiError ? error : ecrErrors.server(error instanceof Error ? error.message : String(error))
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
      ...(caller !== accountId ? { account: caller } : {}),
      durationMs: Date.now() - startedAt
    })
  }

  function notServed(res: http.ServerResponse, message: string): void {
    const body = JSON.stringify({ __type: 'UnknownOperationException', message })
    res.writeHead(404, {
      'content-type': 'application/x-amz-json-1.1',
      'content-length': Buffer.byteLength(body),
      'x-amzn-errortype': 'UnknownOperationException'
    })
    res.end(body)
  }

  function isRegistryPath(req: http.IncomingMessage): boolean {
    const pathname = (req.url ?? '/').split('?')[0] ?? '/'
    return pathname === '/v2' || pathname.startsWith('/v2/')
  }

  const server = http.createServer((req, res) => {
    const pathname = (req.url ?? '/').split('?')[0] ?? '/'
    if (isRegistryPath(req)) {
      entryFor(accountId).proxy.handle(req, res)
      return
    }
    if (req.method === 'POST' && pathname === '/') {
      handleApi(req, res).catch((error: unknown) => {
        if (!res.headersSent) res.writeHead(500).end(String(error))
      })
      return
    }
    req.resume()
    notServed(res, 'Only POST / (the ECR API) and /v2/ (the registry) are served here.')
  })
  // Long blob uploads from buildkit must not be cut by Node's default request timeout.
  server.requestTimeout = 0
  server.keepAliveTimeout = 30_000

  function listen(target: http.Server, port: number): Promise<number> {
    return new Promise<number>((resolve, reject) => {
      target.once('error', reject)
      target.listen(port, '127.0.0.1', () => {
        target.removeListener('error', reject)
        resolve((target.address() as AddressInfo).port)
      })
    })
  }

  function closeServer(target: http.Server): Promise<void> {
    return new Promise<void>((resolve) => {
      target.close(() => resolve())
      target.closeAllConnections()
    })
  }

  let port: number
  try {
    port = await listen(server, options.port ?? 0)
  } catch (error) {
    await registry?.stop()
    throw error
  }
  const apiUrl = `http://127.0.0.1:${port}`
  const registryHost = `127.0.0.1:${port}`

  function configure(state: EcrState): EcrState {
    if (options.blobMounting) state.accountSettings.set('BLOB_MOUNTING', options.blobMounting)
    state.readAfterWriteLagMs = readAfterWriteLagMs
    return state
  }

  const defaultState = configure(new EcrState(accountId, region, registryHost, upstream))
  accounts.set(accountId, { state: defaultState, proxy: makeProxy(defaultState, apiUrl, accountId), port })
  keyToAccount.set(DUMMY_ACCESS_KEY_ID, accountId)

  function envOf(id: string): Record<string, string> {
    return {
      AWS_ENDPOINT_URL_ECR: apiUrl,
      AWS_REGION: region,
      AWS_ACCESS_KEY_ID: id === accountId ? DUMMY_ACCESS_KEY_ID : accessKeyFor(id),
      AWS_SECRET_ACCESS_KEY: DUMMY_SECRET_ACCESS_KEY,
      AWS_EC2_METADATA_DISABLED: 'true'
    }
  }

  function accountView(id: string): EcrAccount {
    const entry = entryFor(id)
    return { accountId: id, registryHost: entry.state.registryHost, port: entry.port, env: () => envOf(id) }
  }

  async function addAccount(id: string): Promise<EcrAccount> {
    if (!/^[0-9]{12}$/.test(id)) throw new Error(`an AWS account id is 12 digits: ${id}`)
    if (accounts.has(id)) return accountView(id)
    const accountServer = http.createServer((req, res) => {
      if (isRegistryPath(req)) {
        entryFor(id).proxy.handle(req, res)
        return
      }
      req.resume()
      notServed(res, `Only /v2/ (the registry of account ${id}) is served here; the ECR API is at ${apiUrl}.`)
    })
    accountServer.requestTimeout = 0
    accountServer.keepAliveTimeout = 30_000
    const accountPort = await listen(accountServer, 0)
    const host = `127.0.0.1:${accountPort}`
    // One docker-registry for every account: each other account's repositories live under its own prefix.
    const state = configure(new EcrState(id, region, host, upstream.withPrefix(`acct-${id}/`)))
    accounts.set(id, { state, proxy: makeProxy(state, `http://${host}`, id), server: accountServer, port: accountPort })
    keyToAccount.set(accessKeyFor(id), id)
    return accountView(id)
  }

  try {
    for (const id of options.accounts ?? []) await addAccount(id)
  } catch (error) {
    await Promise.all([...accounts.values()].map((entry) => (entry.server ? closeServer(entry.server) : Promise.resolve())))
    await closeServer(server)
    await registry?.stop()
    throw error
  }

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
    env: () => envOf(accountId),
    get accountIds() {
      return [...accounts.keys()]
    },
    addAccount,
    account: (id = accountId) => accountView(id),
    createRepository: (name, repositoryOptions = {}) => {
      const state = entryFor(repositoryOptions.accountId).state
      return state.describe(
        state.createRepository(name, {
          mutability: repositoryOptions.mutability ?? 'MUTABLE',
          exclusionFilters: repositoryOptions.exclusionFilters ?? [],
          scanOnPush: repositoryOptions.scanOnPush ?? false
        })
      )
    },
    manifestDigest: (repository, tag, id) => entryFor(id).state.upstream.headManifest(repository, tag),
    manifest: async (repository, reference, id) => {
      const stored = await entryFor(id).state.upstream.getManifest(repository, reference)
      return stored ? { ...stored, text: stored.bytes.toString('utf8') } : undefined
    },
    tags: (repository, id) => entryFor(id).state.upstream.tags(repository),
    setScanPlan: (repository, matcher, plan, id) => {
      entryFor(id).state.scans.plans.push({ repository, matcher, plan })
    },
    clearScans: (repository, id) => {
      const scans = entryFor(id).state.scans.scans
      for (const key of [...scans.keys()]) if (repository === undefined || key.startsWith(`${repository}@`)) scans.delete(key)
    },
    setRegistryScanning: (config, id) => {
      const scanning: RegistryScanning = { scanType: config.scanType, rules: config.rules ?? [] }
      entryFor(id).state.scanning = scanning
    },
    archiveImage: (repository, digest, id) => {
      transitionStorage(entryFor(id).state, repository, digest, 'ARCHIVE')
    },
    restoreImage: (repository, digest, restoreOptions = {}) => {
      const state = entryFor(restoreOptions.accountId).state
      const saved = state.restoreDelayMs
      if (restoreOptions.delayMs !== undefined) state.restoreDelayMs = restoreOptions.delayMs
      try {
        transitionStorage(state, repository, digest, 'STANDARD')
      } finally {
        state.restoreDelayMs = saved
      }
    },
    setRestoreDelay: (ms, id) => {
      entryFor(id).state.restoreDelayMs = ms
    },
    setSigningConfiguration: (rules, id) => {
      entryFor(id).state.signing.rules = rules
    },
    setSigningPlan: (repository, plan, id) => {
      entryFor(id).state.signing.plans.push({ repository, plan })
    },
    setAccountSetting: (name, value, id) => {
      entryFor(id).state.accountSettings.set(name, value)
    },
    throttle: (operation, n) => {
      throttles.set(operation, n)
    },
    deny: (operation, n = Infinity) => {
      denials.set(operation, n)
    },
    setPolicy: (next) => {
      policy = next === undefined ? undefined : parsePolicy(next)
    },
    get policy() {
      return policy
    },
    failRegistry: (n, filter) => {
      registryFaults.push(filter ? { remaining: n, filter } : { remaining: n })
    },
    stall: (operation, n = 1) => {
      stalls.set(operation, n)
    },
    stallRegistry: (n, filter) => {
      registryStalls.push(filter ? { remaining: n, filter } : { remaining: n })
    },
    setReadAfterWriteLag: (ms) => {
      readAfterWriteLagMs = ms
      for (const entry of accounts.values()) entry.state.readAfterWriteLagMs = ms
    },
    clearFaults: () => {
      throttles.clear()
      denials.clear()
      stalls.clear()
      registryFaults.length = 0
      registryStalls.length = 0
    },
    resetLog: () => {
      requestLog.length = 0
      for (const key of Object.keys(counts)) delete counts[key]
      for (const key of Object.keys(registryCounts)) delete registryCounts[key]
    },
    stop: async () => {
      if (stopped) return
      stopped = true
      await Promise.all([...accounts.values()].map((entry) => (entry.server ? closeServer(entry.server) : Promise.resolve())))
      await closeServer(server)
      for (const entry of accounts.values()) entry.proxy.close()
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
