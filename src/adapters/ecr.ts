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
import { describeAwsError } from '../aws-errors.js'
import { UserError } from '../errors.js'
import { ecrEndpointUrl, proxyFor, type ProxyChoice } from '../proxy.js'
import { normaliseFindings, type Finding } from '../scan-findings.js'
import type { RepositoryInfo, TagMutability } from '../tag-policy.js'

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
  /** Says which proxy, if any, the calls go through. */
  readonly log?: (message: string) => void
}

export function createEcr(options: EcrOptions): Ecr {
  const { region, registryId, mask } = options
  // Endpoint overrides (AWS_ENDPOINT_URL_ECR, AWS_ENDPOINT_URL) and credentials come from the SDK's own chains.
  // The proxy is read here, so a malformed proxy variable fails before any call is made.
  const env = options.env ?? process.env
  const proxy = options.client ? undefined : proxyFor(env, ecrEndpointUrl(env, region))
  const attempts = maxAttempts(env)
  // The SDK's own partition table, so ARNs in messages are right in China, GovCloud, ISO and EUSC regions too.
  const { name: partition } = awsPartition(region)
  const ready = options.client ? Promise.resolve(options.client) : newClient(options, proxy, attempts)
  ready.catch(() => undefined) // surfaced by the first call that awaits it
  // Every call waits for the client; without a proxy it is there at once.

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
        (await ready).send(new GetAuthorizationTokenCommand(registryId ? { registryIds: [registryId] } : {}))
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
        const response = await (await ready).send(new DescribeRepositoriesCommand({ repositoryNames: [name], registryId }))
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
        (await ready).send(
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
        (await ready).send(
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
        const pages = paginateDescribeImages(
          { client: await ready, pageSize: 1000 },
          { repositoryName: repository, registryId, filter: { tagStatus: 'UNTAGGED' } }
        )
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
      try {
        await (
          await ready
        ).send(
          new PutImageCommand({
            repositoryName: repository,
            registryId,
            imageTag: tag,
            imageDigest: image.digest,
            imageManifest: image.manifest,
            imageManifestMediaType: image.mediaType || undefined
          })
        )
      } catch (error) {
        const name = (error as Error).name
        if (name === 'ImageAlreadyExistsException') return
        if (name === 'ImageTagAlreadyExistsException') throw new TagTakenError(tag)
        throw describeAwsError(error, { operation: 'PutImage', repository, region, partition, registryId })
      }
    },

    async deleteTag(repository, tag) {
      const response = await call('BatchDeleteImage', repository, async () =>
        (await ready).send(new BatchDeleteImageCommand({ repositoryName: repository, registryId, imageIds: [{ imageTag: tag }] }))
      )
      const failure = response.failures?.find((entry) => entry.failureCode !== 'ImageNotFound')
      if (failure) throw new UserError(`${failure.failureCode}: ${failure.failureReason ?? 'no reason given'}`)
    },

    async startImageScan(repository, digest) {
      try {
        await (await ready).send(new StartImageScanCommand({ repositoryName: repository, registryId, imageId: { imageDigest: digest } }))
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
          const page = await (
            await ready
          ).send(
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
      const response = await call('GetRegistryScanningConfiguration', undefined, async () =>
        (await ready).send(new GetRegistryScanningConfigurationCommand({}))
      )
      return response.scanningConfiguration?.scanType === 'ENHANCED' ? 'ENHANCED' : 'BASIC'
    },

    async signingRules() {
      try {
        const response = await (await ready).send(new GetSigningConfigurationCommand({}))
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
        (await ready).send(new DescribeImageSigningStatusCommand({ repositoryName: repository, imageId: { imageDigest: digest }, registryId }))
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

async function newClient(options: EcrOptions, proxy: ProxyChoice | undefined, attempts: number): Promise<ECRClient> {
  const config = { region: options.region, maxAttempts: attempts, customUserAgent: [[USER_AGENT]] as [string][] }
  if (!proxy) return new ECRClient(config)
  for (const secret of proxy.credentials) options.mask(secret)
  options.log?.(`ECR API calls go through the proxy ${proxy.display} (${proxy.variable}).`)
  // Loaded only behind a proxy: a run without one does not pay for it at start-up.
  const { HttpsProxyAgent } = await import('https-proxy-agent')
  const agent = new HttpsProxyAgent(proxy.url, { keepAlive: true })
  return new ECRClient({ ...config, requestHandler: { httpAgent: agent, httpsAgent: agent } })
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
