import {
  BatchDeleteImageCommand,
  BatchGetImageCommand,
  CreateRepositoryCommand,
  DescribeImageScanFindingsCommand,
  DescribeImageSigningStatusCommand,
  DescribeRepositoriesCommand,
  ECRClient,
  GetAuthorizationTokenCommand,
  GetRegistryScanningConfigurationCommand,
  GetSigningConfigurationCommand,
  PutImageCommand,
  StartImageScanCommand,
  paginateDescribeImages,
  type DescribeImageScanFindingsResponse,
  type ImageFailure,
  type ImageIdentifier,
  type Repository
} from '@aws-sdk/client-ecr'
import { partition as awsPartition } from '@aws-sdk/core/client'
import { NodeHttpHandler } from '@smithy/node-http-handler'
import { describeAwsError } from '../shared/aws-errors.js'
import { UserError } from '../shared/errors.js'
import { networkLimits, type NetworkLimits } from '../shared/network-limits.js'
import { configuredProxies, proxyFor, type ProxyChoice } from '../shared/proxy.js'
import { LAG_BOUND_SECONDS, readAfterWrite } from '../shared/read-after-write.js'
import { normaliseFindings, type Finding } from '../shared/scan-findings.js'
import type { RepositoryInfo, TagMutability } from '../shared/tag-policy.js'

export interface RegistryCredentials {
  /** Host (and port) of the registry, from proxyEndpoint: never built from a hard-coded domain. */
  readonly registryHost: string
  /** proxyEndpoint itself (scheme and host): where the registry API is reached. */
  readonly endpoint: string
  readonly username: string
  readonly password: string
}

export type ImageRef = { readonly tag: string } | { readonly digest: string }

export interface StoredImage {
  readonly digest: string
  readonly manifest: string
  readonly mediaType: string
}

export interface ImageLookup {
  /** The image behind each requested tag, or undefined when ECR says it does not exist. */
  readonly byTag: ReadonlyMap<string, StoredImage | undefined>
  readonly byDigest: ReadonlyMap<string, StoredImage | undefined>
}

/** One untagged image as DescribeImages lists it (API_ImageDetail). */
export interface UntaggedImage {
  readonly digest: string
  /** imageManifestMediaType: an image manifest, an index, or anything else a registry stores. */
  readonly mediaType: string
  readonly pushedAt: Date | undefined
}

/** DescribeRepositories said RepositoryNotFound; registryId is the account it looked in, when AWS named it. */
export interface RepositoryAbsent {
  readonly absent: true
  readonly registryId: string | undefined
}

/** ECR refused to move a tag that already exists and is immutable. */
export class TagTakenError extends Error {
  override readonly name = 'TagTakenError'
  constructor(readonly tag: string) {
    super(`The tag ${tag} already exists and ECR keeps it immutable.`)
  }
}

/** The ECR calls this action makes; the only module that imports the AWS SDK. */
export interface Ecr {
  authorize(): Promise<RegistryCredentials>
  describeRepository(name: string): Promise<RepositoryInfo | RepositoryAbsent>
  createRepository(name: string, mutability: TagMutability, exclusionFilters?: readonly string[]): Promise<RepositoryInfo>
  getImages(repository: string, refs: readonly ImageRef[]): Promise<ImageLookup>
  /** DescribeImages with tagStatus UNTAGGED, every nextToken page, in ECR's order. */
  listUntagged(repository: string): Promise<UntaggedImage[]>
  /** Writes the tag; a tag that already names this very image is fine (ECR says ImageAlreadyExists). */
  putTag(repository: string, tag: string, image: StoredImage): Promise<void>
  /** Removes one tag; the image itself stays while other tags name it. */
  deleteTag(repository: string, tag: string): Promise<void>
  /** StartImageScan (basic scanning) of one image manifest. */
  startImageScan(repository: string, digest: string): Promise<StartScanResult>
  /** DescribeImageScanFindings, every nextToken page, findings normalised (basic or enhanced). */
  describeScanFindings(repository: string, digest: string): Promise<ScanFindings>
  /** GetRegistryScanningConfiguration's scanType (BASIC when ECR names none). */
  registryScanType(): Promise<'BASIC' | 'ENHANCED'>
  /** GetSigningConfiguration's rules (managed signing), or none when the registry has no signing configuration. */
  signingRules(): Promise<readonly SigningRule[] | undefined>
  /** DescribeImageSigningStatus: one status per signing profile whose rule matched the image. */
  signingStatuses(repository: string, digest: string): Promise<readonly SigningStatus[]>
}

/** A managed-signing rule (API_SigningRule): a Signer profile and the repositories it signs (none: every repository). */
export interface SigningRule {
  readonly signingProfileArn: string
  /** WILDCARD_MATCH filters on repository names. */
  readonly repositoryFilters: readonly string[]
}

/** API_ImageSigningStatus. */
export interface SigningStatus {
  readonly signingProfileArn: string | undefined
  readonly status: string | undefined
  readonly failureCode: string | undefined
  readonly failureReason: string | undefined
}

/**
 * StartImageScan's outcome: started; refused because the image was scanned in the last 24 hours
 * (LimitExceededException, API_StartImageScan); or UnsupportedImageTypeException with AWS's text.
 */
export type StartScanResult = { readonly outcome: 'started' | 'limit-exceeded' } | { readonly outcome: 'unsupported'; readonly message: string }

/** One image's scan: absent (ScanNotFoundException), or its status and, once finished, findings. */
export type ScanFindings =
  | { readonly found: false }
  | {
      readonly found: true
      /** API_ImageScanStatus status, e.g. IN_PROGRESS, COMPLETE, FAILED, PENDING, ACTIVE. */
      readonly status: string | undefined
      readonly description: string | undefined
      readonly findings: readonly Finding[]
      /** ECR's own counts per severity (findingSeverityCounts), over every page. */
      readonly severityCounts: Readonly<Record<string, number>>
      readonly completedAt: Date | undefined
    }

/** The line for an archived image (BatchGetImage failure ImageInaccessible, user guide "Archiving an image"). */
export function archivedImageMessage(repository: string, ref: string): string {
  const imageId = ref.startsWith('sha256:') ? `imageDigest=${ref}` : `imageTag=${ref}`
  const name = ref.startsWith('sha256:') ? `${repository}@${ref}` : `${repository}:${ref}`
  return (
    `${name} is archived (ECR storage class ARCHIVE): restore it with ` +
    `\`aws ecr update-image-storage-class --repository-name ${repository} --image-id ${imageId} --target-storage-class STANDARD\` ` +
    'and wait until it is ACTIVE, then re-run.'
  )
}

function failureRef(failure: ImageFailure): string {
  return failure.imageId?.imageDigest ?? failure.imageId?.imageTag ?? '?'
}

export const ACCEPTED_MANIFEST_TYPES = [
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
  'application/vnd.docker.distribution.manifest.v2+json'
]

const USER_AGENT = 'immutable-ecr-build/1'

export interface EcrOptions {
  readonly region: string
  readonly registryId: string | undefined
  /** Called with every credential before anything can print it. */
  readonly mask: (secret: string) => void
  readonly client?: ECRClient
  /** Where the proxy variables are read from (default: this process's environment). */
  readonly env?: NodeJS.ProcessEnv
  /** Says which proxy, if any, the calls go through, and how many retries a call needed. */
  readonly log?: (message: string) => void
  /** Waits between PutImage attempts an index's children are not yet visible to; default a real timer. */
  readonly sleep?: (ms: number) => Promise<void>
}

export function createEcr(options: EcrOptions): Ecr {
  const { region, registryId, mask } = options
  // Endpoint (AWS_ENDPOINT_URL_ECR, AWS_ENDPOINT_URL, FIPS, dual-stack) and credentials come from the SDK's own chains.
  // The proxy variables are read here, so a malformed one fails before any call is made.
  const env = options.env ?? process.env
  if (!options.client) for (const proxy of configuredProxies(env)) for (const secret of proxy.credentials) mask(secret)
  const attempts = maxAttempts(env)
  const limits = networkLimits(env)
  // The SDK's own partition table, so ARNs in messages are right in China, GovCloud, ISO and EUSC regions too.
  const { name: partition } = awsPartition(region)
  const client = options.client ?? newClient(options, env, attempts, limits)

  const call = async <T>(operation: string, repository: string | undefined, send: () => Promise<T>): Promise<T> => {
    try {
      return await send()
    } catch (error) {
      throw describeAwsError(error, { operation, repository, region, partition, registryId })
    }
  }

  return {
    async authorize() {
      const response = await call('GetAuthorizationToken', undefined, async () =>
        client.send(new GetAuthorizationTokenCommand(registryId ? { registryIds: [registryId] } : {}))
      )
      const data = response.authorizationData?.[0]
      if (!data?.authorizationToken || !data.proxyEndpoint) {
        throw new UserError('ECR GetAuthorizationToken returned no token or proxyEndpoint.')
      }
      mask(data.authorizationToken)
      const decoded = Buffer.from(data.authorizationToken, 'base64').toString('utf8')
      const separator = decoded.indexOf(':')
      const password = decoded.slice(separator + 1)
      mask(password)
      return {
        registryHost: new URL(data.proxyEndpoint).host,
        endpoint: data.proxyEndpoint,
        username: decoded.slice(0, separator),
        password
      }
    },

    async describeRepository(name) {
      try {
        const response = await client.send(new DescribeRepositoriesCommand({ repositoryNames: [name], registryId }))
        const repository = response.repositories?.[0]
        return repository ? toRepositoryInfo(repository) : { absent: true, registryId }
      } catch (error) {
        if ((error as Error).name === 'RepositoryNotFoundException') {
          const named = /registry with id '([0-9]{12})'/.exec((error as Error).message ?? '')?.[1]
          return { absent: true, registryId: registryId ?? named }
        }
        throw describeAwsError(error, { operation: 'DescribeRepositories', repository: name, region, partition, registryId })
      }
    },

    async createRepository(name, mutability, exclusionFilters = []) {
      const response = await call('CreateRepository', name, async () =>
        client.send(
          new CreateRepositoryCommand({
            repositoryName: name,
            registryId,
            imageTagMutability: mutability,
            imageTagMutabilityExclusionFilters: exclusionFilters.length ? exclusionFilters.map((filter) => ({ filterType: 'WILDCARD', filter })) : undefined,
            imageScanningConfiguration: { scanOnPush: true }
          })
        )
      )
      if (!response.repository) throw new UserError(`ECR CreateRepository returned no repository for ${name}.`)
      return toRepositoryInfo(response.repository)
    },

    async getImages(repository, refs) {
      const response = await call('BatchGetImage', repository, async () =>
        client.send(
          new BatchGetImageCommand({
            repositoryName: repository,
            registryId,
            imageIds: refs.map(toImageIdentifier),
            acceptedMediaTypes: ACCEPTED_MANIFEST_TYPES
          })
        )
      )
      for (const failure of response.failures ?? []) {
        if (failure.failureCode === 'ImageInaccessible') throw new UserError(archivedImageMessage(repository, failureRef(failure)))
        if (failure.failureCode !== 'ImageNotFound') {
          const ref = failure.imageId?.imageTag ?? failure.imageId?.imageDigest ?? '?'
          throw new UserError(`ECR could not look up ${repository}:${ref}: ${failure.failureCode} (${failure.failureReason ?? 'no reason given'}).`)
        }
      }
      const byTag = new Map<string, StoredImage | undefined>()
      const byDigest = new Map<string, StoredImage | undefined>()
      for (const ref of refs) {
        if ('tag' in ref) byTag.set(ref.tag, undefined)
        else byDigest.set(ref.digest, undefined)
      }
      for (const image of response.images ?? []) {
        const digest = image.imageId?.imageDigest
        if (!digest || image.imageManifest === undefined) continue
        const stored = { digest, manifest: image.imageManifest, mediaType: image.imageManifestMediaType ?? '' }
        const tag = image.imageId?.imageTag
        if (tag !== undefined && byTag.has(tag)) byTag.set(tag, stored)
        if (byDigest.has(digest)) byDigest.set(digest, stored)
      }
      return { byTag, byDigest }
    },

    async listUntagged(repository) {
      const images: UntaggedImage[] = []
      await call('DescribeImages', repository, async () => {
        // 1000, the API's largest page: the newest can be on any page, so every page is read.
        const pages = paginateDescribeImages({ client, pageSize: 1000 }, { repositoryName: repository, registryId, filter: { tagStatus: 'UNTAGGED' } })
        for await (const page of pages) {
          for (const detail of page.imageDetails ?? []) {
            if (!detail.imageDigest) continue
            images.push({ digest: detail.imageDigest, mediaType: detail.imageManifestMediaType ?? '', pushedAt: detail.imagePushedAt })
          }
        }
      })
      return images
    },

    async putTag(repository, tag, image) {
      const put = async (): Promise<string | undefined> => {
        try {
          await client.send(
            new PutImageCommand({
              repositoryName: repository,
              registryId,
              imageTag: tag,
              imageDigest: image.digest,
              imageManifest: image.manifest,
              imageManifestMediaType: image.mediaType || undefined
            })
          )
          return undefined
        } catch (error) {
          const name = (error as Error).name
          if (name === 'ImageAlreadyExistsException') return undefined
          if (name === 'ImageTagAlreadyExistsException') throw new TagTakenError(tag)
          // An index PutImage right after its children: ECR does not see them yet (read-after-write lag).
          if (name === 'ReferencedImagesNotFoundException') return (error as Error).message
          throw describeAwsError(error, { operation: 'PutImage', repository, region, partition, registryId })
        }
      }
      const missing = await readAfterWrite(put, (refused) => refused === undefined, {
        what: `the images ${repository}@${image.digest} references`,
        sleep: options.sleep,
        log: options.log
      })
      if (missing !== undefined) {
        throw new UserError(
          `ECR refused ${tag} on ${repository}@${image.digest} for ${LAG_BOUND_SECONDS} s because images it references are missing (ReferencedImagesNotFoundException: ${missing}); nothing else was written: re-run the job.`
        )
      }
    },

    async deleteTag(repository, tag) {
      const response = await call('BatchDeleteImage', repository, async () =>
        client.send(new BatchDeleteImageCommand({ repositoryName: repository, registryId, imageIds: [{ imageTag: tag }] }))
      )
      const failure = response.failures?.find((entry) => entry.failureCode !== 'ImageNotFound')
      if (failure) throw new UserError(`${failure.failureCode}: ${failure.failureReason ?? 'no reason given'}`)
    },

    async startImageScan(repository, digest) {
      try {
        await client.send(new StartImageScanCommand({ repositoryName: repository, registryId, imageId: { imageDigest: digest } }))
        return { outcome: 'started' }
      } catch (error) {
        const name = (error as Error).name
        if (name === 'UnsupportedImageTypeException') return { outcome: 'unsupported', message: (error as Error).message }
        if (name === 'LimitExceededException') return { outcome: 'limit-exceeded' }
        if (name === 'ImageArchivedException') throw new UserError(archivedImageMessage(repository, digest))
        throw describeAwsError(error, { operation: 'StartImageScan', repository, region, partition, registryId })
      }
    },

    async describeScanFindings(repository, digest) {
      const pages: DescribeImageScanFindingsResponse[] = []
      let nextToken: string | undefined
      try {
        do {
          const page = await client.send(
            new DescribeImageScanFindingsCommand({
              repositoryName: repository,
              registryId,
              imageId: { imageDigest: digest },
              maxResults: 1000,
              ...(nextToken ? { nextToken } : {})
            })
          )
          pages.push(page)
          nextToken = page.nextToken
        } while (nextToken)
      } catch (error) {
        if ((error as Error).name === 'ScanNotFoundException') return { found: false }
        throw describeAwsError(error, { operation: 'DescribeImageScanFindings', repository, region, partition, registryId })
      }
      const first = pages[0]
      const counts: Record<string, number> = {}
      for (const [severity, count] of Object.entries(first?.imageScanFindings?.findingSeverityCounts ?? {})) {
        if (typeof count === 'number') counts[severity] = count
      }
      return {
        found: true,
        status: first?.imageScanStatus?.status,
        description: first?.imageScanStatus?.description,
        findings: normaliseFindings(pages),
        severityCounts: counts,
        completedAt: first?.imageScanFindings?.imageScanCompletedAt
      }
    },

    async registryScanType() {
      const response = await call('GetRegistryScanningConfiguration', undefined, async () => client.send(new GetRegistryScanningConfigurationCommand({})))
      return response.scanningConfiguration?.scanType === 'ENHANCED' ? 'ENHANCED' : 'BASIC'
    },

    async signingRules() {
      try {
        const response = await client.send(new GetSigningConfigurationCommand({}))
        return (response.signingConfiguration?.rules ?? []).map((rule) => ({
          signingProfileArn: rule.signingProfileArn ?? '',
          repositoryFilters: (rule.repositoryFilters ?? []).map((filter) => filter.filter ?? '')
        }))
      } catch (error) {
        if ((error as { name?: string }).name === 'SigningConfigurationNotFoundException') return undefined
        throw describeAwsError(error, { operation: 'GetSigningConfiguration', repository: undefined, region, partition, registryId })
      }
    },

    async signingStatuses(repository, digest) {
      const response = await call('DescribeImageSigningStatus', repository, async () =>
        client.send(new DescribeImageSigningStatusCommand({ repositoryName: repository, imageId: { imageDigest: digest }, registryId }))
      )
      return (response.signingStatuses ?? []).map((status) => ({
        signingProfileArn: status.signingProfileArn,
        status: status.status,
        failureCode: status.failureCode,
        failureReason: status.failureReason
      }))
    }
  }
}

/**
 * The SDK's default is 3 attempts; 5 rides out ECR's throttling when many jobs push at once. A user who
 * sets AWS_MAX_ATTEMPTS chose otherwise, and an explicit maxAttempts would silently override that choice.
 */
const DEFAULT_MAX_ATTEMPTS = 5

function maxAttempts(env: NodeJS.ProcessEnv): number {
  const value = env.AWS_MAX_ATTEMPTS?.trim()
  if (!value) return DEFAULT_MAX_ATTEMPTS
  if (!/^[0-9]+$/.test(value) || Number(value) < 1) {
    throw new UserError(
      `AWS_MAX_ATTEMPTS '${value}' is not a number of attempts: set it to a whole number of 1 or more, or unset it for ${DEFAULT_MAX_ATTEMPTS}.`
    )
  }
  return Number(value)
}

/**
 * The SDK's own HTTP handler with connect and idle limits (socketTimeout is the idle one; requestTimeout
 * would only warn), its own retry strategy (standard mode: backoff with jitter on throttling, 5xx,
 * resets and timeouts, up to maxAttempts), and the proxy chosen per host the SDK resolved: the
 * endpoint (regional, FIPS, dual-stack, ISO, EUSC, or AWS_ENDPOINT_URL_ECR) is never built here.
 */
function newClient(options: EcrOptions, env: NodeJS.ProcessEnv, attempts: number, limits: NetworkLimits): ECRClient {
  const timeouts = { connectionTimeout: limits.connectMs, socketTimeout: limits.idleMs }
  const client = new ECRClient({
    region: options.region,
    maxAttempts: attempts,
    customUserAgent: [[USER_AGENT]] as [string][],
    requestHandler: new ProxyRoutingHandler(env, timeouts, options.log)
  })
  client.middlewareStack.add(
    (next, context) => async (args) => {
      try {
        const output = await next(args)
        noteRetries(options.log, String(context.commandName ?? ''), (output.output as { $metadata?: { attempts?: number } }).$metadata?.attempts, 'succeeded')
        return output
      } catch (error) {
        noteRetries(options.log, String(context.commandName ?? ''), (error as { $metadata?: { attempts?: number } }).$metadata?.attempts, 'failed')
        throw error
      }
    },
    { step: 'initialize', name: 'iebRetryLog' }
  )
  return client
}

/** The log says how many retries a call spent; a call that needed none says nothing. */
function noteRetries(log: ((message: string) => void) | undefined, command: string, attempts: number | undefined, outcome: string): void {
  if (!attempts || attempts < 2) return
  const retries = attempts - 1
  log?.(`ECR ${command.replace(/Command$/, '')} ${outcome} after ${retries} ${retries === 1 ? 'retry' : 'retries'} (${attempts} attempts).`)
}

type HandlerTimeouts = { readonly connectionTimeout: number; readonly socketTimeout: number }
type HandledRequest = Parameters<NodeHttpHandler['handle']>[0]

/**
 * The SDK does not read the proxy variables. no_proxy is decided for the host of each request (the
 * one the SDK's endpoint resolution chose); a proxied handler is made once per proxy, on first use.
 */
class ProxyRoutingHandler {
  /** What the SDK reads to tell HTTP/1.1 from HTTP/2 handlers. */
  readonly metadata = { handlerProtocol: 'http/1.1' }
  private readonly direct: NodeHttpHandler
  private readonly proxied = new Map<string, Promise<NodeHttpHandler>>()
  private readonly said = new Set<string>()

  constructor(
    private readonly env: NodeJS.ProcessEnv,
    private readonly timeouts: HandlerTimeouts,
    private readonly log: ((message: string) => void) | undefined
  ) {
    this.direct = new NodeHttpHandler(timeouts)
  }

  async handle(request: HandledRequest, options?: Parameters<NodeHttpHandler['handle']>[1]): ReturnType<NodeHttpHandler['handle']> {
    const origin = `${request.protocol}//${request.hostname}${request.port ? `:${request.port}` : ''}`
    const proxy = proxyFor(this.env, origin)
    if (!proxy) return this.direct.handle(request, options)
    if (!this.said.has(origin)) {
      this.said.add(origin)
      this.log?.(`ECR API calls to ${request.hostname} go through the proxy ${proxy.display} (${proxy.variable}).`)
    }
    return (await this.viaProxy(proxy)).handle(request, options)
  }

  private viaProxy(proxy: ProxyChoice): Promise<NodeHttpHandler> {
    let handler = this.proxied.get(proxy.url)
    if (!handler) {
      // Loaded only behind a proxy: a run without one does not pay for it at start-up.
      handler = import('https-proxy-agent').then(({ HttpsProxyAgent }) => {
        const agent = new HttpsProxyAgent(proxy.url, { keepAlive: true })
        return new NodeHttpHandler({ ...this.timeouts, httpAgent: agent, httpsAgent: agent })
      })
      this.proxied.set(proxy.url, handler)
    }
    return handler
  }

  updateHttpClientConfig(key: Parameters<NodeHttpHandler['updateHttpClientConfig']>[0], value: Parameters<NodeHttpHandler['updateHttpClientConfig']>[1]): void {
    this.direct.updateHttpClientConfig(key, value)
  }

  httpHandlerConfigs(): ReturnType<NodeHttpHandler['httpHandlerConfigs']> {
    return this.direct.httpHandlerConfigs()
  }

  destroy(): void {
    this.direct.destroy()
  }
}

function toImageIdentifier(ref: ImageRef): ImageIdentifier {
  return 'tag' in ref ? { imageTag: ref.tag } : { imageDigest: ref.digest }
}

const MUTABILITIES = new Set<string>(['MUTABLE', 'IMMUTABLE', 'IMMUTABLE_WITH_EXCLUSION', 'MUTABLE_WITH_EXCLUSION'])

function toRepositoryInfo(repository: Repository): RepositoryInfo {
  const mutability = repository.imageTagMutability ?? 'MUTABLE'
  return {
    name: repository.repositoryName ?? '',
    uri: repository.repositoryUri ?? '',
    registryId: repository.registryId ?? '',
    // An unknown future setting is treated as mutable: the safe assumption for a tag we must not lose.
    mutability: MUTABILITIES.has(mutability) ? mutability : 'MUTABLE',
    exclusionFilters: (repository.imageTagMutabilityExclusionFilters ?? []).map((filter) => filter.filter ?? '').filter((filter) => filter !== '')
  }
}
