import {
  TagTakenError,
  type Ecr,
  type EcrOptions,
  type ImageLookup,
  type ImageRef,
  type RegistryCredentials,
  type RepositoryAbsent,
  type ScanFindings,
  type SigningRule,
  type SigningStatus,
  type StartScanResult,
  type StoredImage,
  type UntaggedImage
} from '../src/adapters/ecr.js'
import { repositoryMissing } from '../src/shared/aws-errors.js'
import { UserError } from '../src/shared/errors.js'
import { isTagImmutable, type RepositoryInfo, type TagMutability } from '../src/shared/tag-policy.js'

export interface FakeRepository {
  info: RepositoryInfo
  /** tag → digest */
  readonly tags: Map<string, string>
  /** digest → image (tagged or not) */
  readonly images: Map<string, StoredImage>
}

export type EcrOperation = keyof Ecr

export interface EcrCall {
  readonly op: EcrOperation
  readonly args: readonly unknown[]
}

export const FAKE_ACCOUNT = '123456789012'
export const FAKE_REGION = 'us-east-1'
export const FAKE_REGISTRY_HOST = `${FAKE_ACCOUNT}.dkr.ecr.${FAKE_REGION}.amazonaws.com`
export const FAKE_PASSWORD = 'eyJwYXlsb2FkIjoiZmFrZS1lY3ItcGFzc3dvcmQifQ'
export const FAKE_TOKEN = Buffer.from(`AWS:${FAKE_PASSWORD}`).toString('base64')

export type PushResult = { readonly ok: true } | { readonly ok: false; readonly message: string }

/**
 * ECR as an in-memory registry: repositories with their mutability, tags and images. It enforces tag
 * immutability the way ECR does, for PutImage and for docker push (see receivePush).
 */
export class FakeEcr implements Ecr {
  readonly repositories = new Map<string, FakeRepository>()
  readonly calls: EcrCall[] = []
  /** The options main passed to createEcr (region, registryId, mask). */
  options: EcrOptions | undefined
  mask: (secret: string) => void = () => undefined
  /**
   * Runs before every call with how many calls of that operation there have been (1-based). It may
   * throw (the call fails with that value) or change the registry (another writer at that moment).
   */
  before: ((call: EcrCall, count: number) => void | Promise<void>) | undefined
  /** ECR's read-after-write lag: this many next getImages calls answer every image and tag "not found". */
  laggingReads = 0

  /** The factory main receives as `createEcr`. */
  readonly factory = (options: EcrOptions): Ecr => {
    this.options = options
    this.mask = options.mask
    return this
  }

  addRepository(name: string, mutability: TagMutability = 'IMMUTABLE', exclusionFilters: readonly string[] = []): FakeRepository {
    const repository: FakeRepository = {
      info: {
        name,
        uri: `${FAKE_REGISTRY_HOST}/${name}`,
        registryId: FAKE_ACCOUNT,
        mutability,
        exclusionFilters: [...exclusionFilters]
      },
      tags: new Map(),
      images: new Map()
    }
    this.repositories.set(name, repository)
    return repository
  }

  repository(name: string): FakeRepository {
    const repository = this.repositories.get(name)
    if (!repository) throw new Error(`test setup: no fake repository ${name}`)
    return repository
  }

  /** Stores an image (as another writer would) and optionally tags it, ignoring immutability. */
  store(repositoryName: string, image: StoredImage, ...tags: string[]): void {
    const repository = this.repository(repositoryName)
    repository.images.set(image.digest, image)
    for (const tag of tags) repository.tags.set(tag, image.digest)
  }

  /** tag → digest, for assertions. */
  tagsOf(repositoryName: string): Record<string, string> {
    return Object.fromEntries(this.repository(repositoryName).tags)
  }

  /** Calls of one operation, in order. */
  callsOf(op: EcrOperation): (readonly unknown[])[] {
    return this.calls.filter((call) => call.op === op).map((call) => call.args)
  }

  /** What `docker push <host>/<repository>:<tag>` does to ECR: the same immutability rule as PutImage. */
  receivePush(repositoryName: string, tag: string, images: readonly StoredImage[], top: StoredImage): PushResult {
    const repository = this.repositories.get(repositoryName)
    if (!repository) {
      return {
        ok: false,
        message: `name unknown: The repository with name '${repositoryName}' does not exist in the registry with id '${FAKE_ACCOUNT}'`
      }
    }
    const current = repository.tags.get(tag)
    if (current !== undefined && current !== top.digest && isTagImmutable(repository.info, tag)) {
      return {
        ok: false,
        message: `tag invalid: The image tag '${tag}' already exists in the '${repositoryName}' repository and cannot be overwritten because the repository is immutable.`
      }
    }
    for (const image of images) repository.images.set(image.digest, image)
    repository.images.set(top.digest, top)
    repository.tags.set(tag, top.digest)
    return { ok: true }
  }

  private async record(op: EcrOperation, args: readonly unknown[]): Promise<void> {
    const call = { op, args }
    this.calls.push(call)
    const count = this.calls.filter((entry) => entry.op === op).length
    await this.before?.(call, count)
  }

  private missing(name: string, operation: string): UserError {
    return new UserError(`${repositoryMissing({ repository: name, region: FAKE_REGION, registryId: this.options?.registryId })} AWS said: (fake ${operation})`)
  }

  async authorize(): Promise<RegistryCredentials> {
    await this.record('authorize', [])
    this.mask(FAKE_TOKEN)
    this.mask(FAKE_PASSWORD)
    return { registryHost: FAKE_REGISTRY_HOST, endpoint: `https://${FAKE_REGISTRY_HOST}`, username: 'AWS', password: FAKE_PASSWORD }
  }

  async describeRepository(name: string): Promise<RepositoryInfo | RepositoryAbsent> {
    await this.record('describeRepository', [name])
    const repository = this.repositories.get(name)
    return repository ? repository.info : { absent: true, registryId: this.options?.registryId ?? FAKE_ACCOUNT }
  }

  async createRepository(name: string, mutability: TagMutability, exclusionFilters: readonly string[] = []): Promise<RepositoryInfo> {
    await this.record('createRepository', [name, mutability, exclusionFilters])
    if (this.repositories.has(name)) throw new UserError(`ecr:CreateRepository on ${name} failed: RepositoryAlreadyExistsException: fake`)
    return this.addRepository(name, mutability, exclusionFilters).info
  }

  async getImages(repositoryName: string, refs: readonly ImageRef[]): Promise<ImageLookup> {
    await this.record('getImages', [repositoryName, refs])
    const repository = this.repositories.get(repositoryName)
    if (!repository) throw this.missing(repositoryName, 'BatchGetImage')
    const byTag = new Map<string, StoredImage | undefined>()
    const byDigest = new Map<string, StoredImage | undefined>()
    const lagging = this.laggingReads > 0
    if (lagging) this.laggingReads--
    for (const ref of refs) {
      if (lagging) {
        if ('tag' in ref) byTag.set(ref.tag, undefined)
        else byDigest.set(ref.digest, undefined)
      } else if ('tag' in ref) {
        const digest = repository.tags.get(ref.tag)
        byTag.set(ref.tag, digest === undefined ? undefined : repository.images.get(digest))
      } else {
        byDigest.set(ref.digest, repository.images.get(ref.digest))
      }
    }
    return { byTag, byDigest }
  }

  /** ECR's order is not by push time; the fake lists in reverse order of storing to show the sort is ours. */
  async listUntagged(repositoryName: string): Promise<UntaggedImage[]> {
    await this.record('listUntagged', [repositoryName])
    const repository = this.repositories.get(repositoryName)
    if (!repository) throw this.missing(repositoryName, 'DescribeImages')
    const tagged = new Set(repository.tags.values())
    return [...repository.images.values()]
      .map((image, order) => ({ digest: image.digest, mediaType: image.mediaType, pushedAt: new Date(Date.UTC(2026, 0, 1) + order * 1000) }))
      .filter((image) => !tagged.has(image.digest))
      .reverse()
  }

  async putTag(repositoryName: string, tag: string, image: StoredImage): Promise<void> {
    await this.record('putTag', [repositoryName, tag, image])
    const repository = this.repositories.get(repositoryName)
    if (!repository) throw this.missing(repositoryName, 'PutImage')
    const current = repository.tags.get(tag)
    if (current === image.digest) return
    if (current !== undefined && isTagImmutable(repository.info, tag)) throw new TagTakenError(tag)
    repository.images.set(image.digest, image)
    repository.tags.set(tag, image.digest)
  }

  async deleteTag(repositoryName: string, tag: string): Promise<void> {
    await this.record('deleteTag', [repositoryName, tag])
    const repository = this.repositories.get(repositoryName)
    if (!repository) throw this.missing(repositoryName, 'BatchDeleteImage')
    repository.tags.delete(tag)
  }

  /**
   * Scans per digest, as describeScanFindings returns them, in order: each look takes the next answer
   * and the last one stays (['IN_PROGRESS', 'COMPLETE'] models a scan that finishes on the second
   * look). Absent: ScanNotFound, unless '*' has answers (scan-on-push: every image is scanned).
   */
  readonly scanResults = new Map<string, ScanFindings | ScanFindings[]>()
  scanType: 'BASIC' | 'ENHANCED' = 'BASIC'
  startScanResult: StartScanResult = { outcome: 'started' }
  /** What a scan started by StartImageScan answers (basic scanning with scan-on-push off). */
  afterStart: ScanFindings | ScanFindings[] = {
    found: true,
    status: 'COMPLETE',
    description: undefined,
    findings: [],
    severityCounts: {},
    completedAt: undefined
  }

  async startImageScan(repositoryName: string, digest: string): Promise<StartScanResult> {
    await this.record('startImageScan', [repositoryName, digest])
    if (!this.repositories.has(repositoryName)) throw this.missing(repositoryName, 'StartImageScan')
    if (this.startScanResult.outcome === 'started' && !this.scanResults.has(digest)) this.scanResults.set(digest, structuredClone(this.afterStart))
    return this.startScanResult
  }

  async describeScanFindings(repositoryName: string, digest: string): Promise<ScanFindings> {
    await this.record('describeScanFindings', [repositoryName, digest])
    if (!this.repositories.has(repositoryName)) throw this.missing(repositoryName, 'DescribeImageScanFindings')
    if (!this.scanResults.has(digest) && this.scanResults.has('*')) this.scanResults.set(digest, structuredClone(this.scanResults.get('*') as ScanFindings[]))
    const answers = this.scanResults.get(digest)
    if (!Array.isArray(answers)) return answers ?? { found: false }
    return (answers.length > 1 ? answers.shift() : answers[0]) ?? { found: false }
  }

  async registryScanType(): Promise<'BASIC' | 'ENHANCED'> {
    await this.record('registryScanType', [])
    return this.scanType
  }

  /** GetSigningConfiguration's rules; undefined: the registry has no signing configuration. */
  signingConfiguration: SigningRule[] | undefined = undefined
  /** Signing statuses per digest, in order as signingStatuses answers them (the last one stays); '*': every digest. */
  readonly signingResults = new Map<string, SigningStatus[][]>()

  async signingRules(): Promise<readonly SigningRule[] | undefined> {
    await this.record('signingRules', [])
    return this.signingConfiguration
  }

  async signingStatuses(repositoryName: string, digest: string): Promise<readonly SigningStatus[]> {
    await this.record('signingStatuses', [repositoryName, digest])
    if (!this.repositories.has(repositoryName)) throw this.missing(repositoryName, 'DescribeImageSigningStatus')
    if (!this.signingResults.has(digest) && this.signingResults.has('*'))
      this.signingResults.set(digest, structuredClone(this.signingResults.get('*') as SigningStatus[][]))
    const answers = this.signingResults.get(digest) ?? []
    return (answers.length > 1 ? answers.shift() : answers[0]) ?? []
  }
}
