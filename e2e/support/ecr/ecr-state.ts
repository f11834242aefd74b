// Repository metadata the fake ECR keeps in memory (the registry itself knows nothing of
// repositories, mutability or scanning), plus the one per-repository lock that the API and the
// registry proxy share.
import { ecrErrors } from './ecr-errors.js'
import { ScanBook, matchingFrequency, storageStatus, type ArchiveRecord, type RegistryScanning } from './ecr-scanning.js'
import { KeyedMutex } from './keyed-mutex.js'
import { ReferrersIndex } from './ecr-referrers.js'
import { ManagedSigning } from './ecr-signing.js'
import { wildcardMatches } from './ecr-wildcard.js'
import { MANIFEST_MEDIA_TYPES, type UpstreamRegistry } from '../registry/upstream-registry.js'

export const TAG_MUTABILITIES = ['MUTABLE', 'IMMUTABLE', 'IMMUTABLE_WITH_EXCLUSION', 'MUTABLE_WITH_EXCLUSION'] as const
export type TagMutability = (typeof TAG_MUTABILITIES)[number]

export interface ExclusionFilter {
  filterType: 'WILDCARD'
  filter: string
}

export interface RepositoryRecord {
  name: string
  createdAt: Date
  mutability: TagMutability
  exclusionFilters: ExclusionFilter[]
  scanOnPush: boolean
  encryption: { encryptionType: string; kmsKey?: string }
  resourceTags: Array<{ Key: string; Value: string }>
}

export interface CreateRepositoryInput {
  mutability?: string
  /** Plain wildcard strings or full filter objects. */
  exclusionFilters?: Array<string | { filterType?: string; filter?: string }>
  scanOnPush?: boolean
  encryption?: { encryptionType?: string; kmsKey?: string }
  resourceTags?: Array<{ Key?: string; Value?: string }>
}

// ECR's documented repository name grammar.
const REPOSITORY_NAME = /^(?:[a-z0-9]+(?:[._-][a-z0-9]+)*\/)*[a-z0-9]+(?:[._-][a-z0-9]+)*$/
const REPOSITORY_NAME_TEXT = '(?:[a-z0-9]+(?:[._-][a-z0-9]+)*/)*[a-z0-9]+(?:[._-][a-z0-9]+)*'
const EXCLUSION_FILTER = /^[0-9a-zA-Z._*-]{1,128}$/

export function validateRepositoryName(name: unknown): string {
  if (typeof name !== 'string' || name.length < 2) {
    throw ecrErrors.invalidParameter("Invalid parameter at 'repositoryName' failed to satisfy constraint: 'Member must have length greater than or equal to 2'")
  }
  if (name.length > 256) {
    throw ecrErrors.invalidParameter("Invalid parameter at 'repositoryName' failed to satisfy constraint: 'Member must have length less than or equal to 256'")
  }
  if (!REPOSITORY_NAME.test(name)) {
    throw ecrErrors.invalidParameter(
      `Invalid parameter at 'repositoryName' failed to satisfy constraint: 'must satisfy regular expression '${REPOSITORY_NAME_TEXT}''`
    )
  }
  return name
}

export function isTagImmutable(repository: RepositoryRecord, tag: string): boolean {
  const excluded = repository.exclusionFilters.some((f) => wildcardMatches(f.filter, tag))
  switch (repository.mutability) {
    case 'MUTABLE':
      return false
    case 'IMMUTABLE':
      return true
    case 'IMMUTABLE_WITH_EXCLUSION':
      return !excluded
    case 'MUTABLE_WITH_EXCLUSION':
      return excluded
  }
}

export class EcrState {
  readonly repositories = new Map<string, RepositoryRecord>()
  readonly locks = new KeyedMutex()
  /** When each manifest was pushed through this endpoint, keyed `<repo>@<digest>`. */
  readonly pushedAt = new Map<string, Date>()
  /**
   * ECR's read-after-write lag (docker/github-builder#30): a manifest or tag written less than this
   * many ms ago answers "not found" to BatchGetImage, DescribeImages and registry GET/HEAD, and an
   * index whose children are that new is refused. 0 (the default): reads see every write at once.
   */
  readAfterWriteLagMs = 0
  /** When each manifest (first stored) and each tag (last written) was written, keyed `<repo>@<digest or tag>`. */
  private readonly writtenAt = new Map<string, number>()
  /** API_GetRegistryScanningConfiguration: BASIC with no rules until configured. */
  scanning: RegistryScanning = { scanType: 'BASIC', rules: [] }
  readonly scans = new ScanBook()
  /** Storage class per image, keyed `<repo>@<digest>`; absent means ACTIVE (standard). */
  readonly archive = new Map<string, ArchiveRecord>()
  /** How long a restore (UpdateImageStorageClass STANDARD) stays ACTIVATING. */
  restoreDelayMs = 100
  /**
   * PutAccountSetting / GetAccountSetting. User guide "Blob mounting in Amazon ECR": mounting is a
   * registry setting that must be enabled (`aws ecr put-account-setting --name BLOB_MOUNTING
   * --value ENABLED`); this fake starts with it DISABLED.
   */
  readonly accountSettings = new Map<string, string>([['BLOB_MOUNTING', 'DISABLED']])
  /** Manifests by subject, for the referrers API (docker-registry 2.8 has none): see ecr-referrers.ts. */
  readonly referrers = new ReferrersIndex()
  /** Managed signing (GetSigningConfiguration, DescribeImageSigningStatus): see ecr-signing.ts. */
  readonly signing = new ManagedSigning()

  constructor(
    readonly accountId: string,
    readonly region: string,
    readonly registryHost: string,
    readonly upstream: UpstreamRegistry
  ) {}

  /** The repository, or RepositoryNotFoundException exactly as ECR words it. */
  repository(name: string, registryId?: string): RepositoryRecord {
    const registry = registryId ?? this.accountId
    const record = registry === this.accountId ? this.repositories.get(name) : undefined
    if (!record) throw ecrErrors.repositoryNotFound(name, registry)
    return record
  }

  createRepository(name: unknown, input: CreateRepositoryInput = {}, registryId?: string): RepositoryRecord {
    const repositoryName = validateRepositoryName(name)
    const mutability = input.mutability ?? 'MUTABLE'
    if (!(TAG_MUTABILITIES as readonly string[]).includes(mutability)) {
      throw ecrErrors.invalidParameter(
        `Invalid parameter at 'imageTagMutability' failed to satisfy constraint: 'Member must satisfy enum value set: [${TAG_MUTABILITIES.join(', ')}]'`
      )
    }
    const exclusionFilters = (input.exclusionFilters ?? []).map(toExclusionFilter)
    const withExclusion = mutability.endsWith('_WITH_EXCLUSION')
    if (withExclusion && exclusionFilters.length === 0) {
      throw ecrErrors.invalidParameter(
        `Invalid parameter at 'imageTagMutabilityExclusionFilters' failed to satisfy constraint: 'must be specified when imageTagMutability is ${mutability}'`
      )
    }
    if (!withExclusion && exclusionFilters.length > 0) {
      throw ecrErrors.invalidParameter(
        `Invalid parameter at 'imageTagMutabilityExclusionFilters' failed to satisfy constraint: 'can only be specified when imageTagMutability is IMMUTABLE_WITH_EXCLUSION or MUTABLE_WITH_EXCLUSION'`
      )
    }
    if (exclusionFilters.length > 5) {
      throw ecrErrors.invalidParameter(
        "Invalid parameter at 'imageTagMutabilityExclusionFilters' failed to satisfy constraint: 'Member must have length less than or equal to 5'"
      )
    }
    if (registryId !== undefined && registryId !== this.accountId) {
      throw ecrErrors.invalidParameter(
        `Invalid parameter at 'registryId' failed to satisfy constraint: 'The registry id must be the caller's account id ${this.accountId}'`
      )
    }
    if (this.repositories.has(repositoryName)) throw ecrErrors.repositoryAlreadyExists(repositoryName, this.accountId)
    const record: RepositoryRecord = {
      name: repositoryName,
      createdAt: new Date(),
      mutability: mutability as TagMutability,
      exclusionFilters,
      scanOnPush: input.scanOnPush ?? false,
      encryption: {
        encryptionType: input.encryption?.encryptionType ?? 'AES256',
        ...(input.encryption?.kmsKey ? { kmsKey: input.encryption.kmsKey } : {})
      },
      resourceTags: (input.resourceTags ?? []).map((t) => ({ Key: t.Key ?? '', Value: t.Value ?? '' }))
    }
    this.repositories.set(repositoryName, record)
    return record
  }

  /** A manifest (digest) or tag was just written: reads may not see it during the lag. */
  noteWrite(repository: string, reference: string): void {
    this.writtenAt.set(`${repository}@${reference}`, Date.now())
  }

  /** Whether a read of this digest or tag still answers "not found" (written within the lag). */
  lagging(repository: string, reference: string): boolean {
    const at = this.writtenAt.get(`${repository}@${reference}`)
    return this.readAfterWriteLagMs > 0 && at !== undefined && Date.now() - at < this.readAfterWriteLagMs
  }

  /** The image's storage status now (API_ImageDetail imageStatus): ACTIVE, ARCHIVED or ACTIVATING. */
  imageStatus(repository: string, digest: string): 'ACTIVE' | 'ARCHIVED' | 'ACTIVATING' {
    return storageStatus(this.archive.get(`${repository}@${digest}`))
  }

  /**
   * What ECR does once a manifest is stored (registry PUT or PutImage): a re-push restores an
   * archived image (user guide "Archiving an image": restored "by re-pushing the image to the
   * repository"), and an image manifest starts a scan where scan on push applies.
   */
  manifestStored(repository: string, digest: string, bytes: Buffer, mediaType: string): string | undefined {
    const subject = this.referrers.record(repository, digest, bytes, mediaType)
    this.signing.manifestStored(this, repository, digest, bytes, mediaType)
    this.afterStore(repository, digest, bytes, mediaType)
    return subject
  }

  private afterStore(repository: string, digest: string, bytes: Buffer, mediaType: string): void {
    const now = new Date()
    if (!this.pushedAt.has(`${repository}@${digest}`)) {
      this.pushedAt.set(`${repository}@${digest}`, now)
      this.noteWrite(repository, digest)
    }
    const archived = this.archive.get(`${repository}@${digest}`)
    if (archived && storageStatus(archived) !== 'ACTIVE') {
      archived.status = 'ACTIVE'
      archived.lastActivatedAt = now
      delete archived.activeAt
    }
    const record = this.repositories.get(repository)
    if (!record || !isScannableImage(bytes, mediaType)) return
    if (this.scanning.scanType === 'ENHANCED') {
      // Enhanced scanning: the registry's rules alone decide (API_RegistryScanningRule).
      const frequency = matchingFrequency(this.scanning, repository)
      if (frequency) this.scans.start(repository, digest, 'ENHANCED', frequency, now)
      return
    }
    // Basic scanning: the repository's scanOnPush (API_ImageScanningConfiguration) or a BASIC
    // SCAN_ON_PUSH registry rule whose filter matches.
    if (record.scanOnPush || matchingFrequency(this.scanning, repository) === 'SCAN_ON_PUSH') {
      this.scans.start(repository, digest, 'BASIC', 'SCAN_ON_PUSH', now)
    }
  }

  /** The Repository shape of the ECR API (timestamps as epoch seconds, as JSON 1.1 sends them). */
  describe(record: RepositoryRecord): Record<string, unknown> {
    return {
      repositoryArn: `arn:aws:ecr:${this.region}:${this.accountId}:repository/${record.name}`,
      registryId: this.accountId,
      repositoryName: record.name,
      repositoryUri: `${this.registryHost}/${record.name}`,
      createdAt: record.createdAt.getTime() / 1000,
      imageTagMutability: record.mutability,
      ...(record.exclusionFilters.length > 0 ? { imageTagMutabilityExclusionFilters: record.exclusionFilters.map((f) => ({ ...f })) } : {}),
      imageScanningConfiguration: { scanOnPush: record.scanOnPush },
      encryptionConfiguration: { ...record.encryption }
    }
  }
}

function toExclusionFilter(entry: string | { filterType?: string; filter?: string }): ExclusionFilter {
  const filterType = typeof entry === 'string' ? 'WILDCARD' : entry.filterType
  const filter = typeof entry === 'string' ? entry : entry.filter
  if (filterType !== 'WILDCARD') {
    throw ecrErrors.invalidParameter(
      "Invalid parameter at 'imageTagMutabilityExclusionFilters.filterType' failed to satisfy constraint: 'Member must satisfy enum value set: [WILDCARD]'"
    )
  }
  if (typeof filter !== 'string' || !EXCLUSION_FILTER.test(filter)) {
    throw ecrErrors.invalidParameter(
      `Invalid parameter at 'imageTagMutabilityExclusionFilters.filter' failed to satisfy constraint: 'must satisfy regular expression '^[0-9a-zA-Z._*-]{1,128}''`
    )
  }
  return { filterType: 'WILDCARD', filter }
}

const IMAGE_MANIFEST_TYPES = new Set<string>([MANIFEST_MEDIA_TYPES[1], MANIFEST_MEDIA_TYPES[3]])
const IMAGE_CONFIG_TYPES = new Set(['application/vnd.oci.image.config.v1+json', 'application/vnd.docker.container.image.v1+json'])

/**
 * An image manifest ECR scans: not an index (ECR answers "An artifact with media type
 * 'application/vnd.oci.image.index.v1+json' cannot be scanned", seen in
 * alexjurkiewicz/ecr-scan-image#43), not an artifact, and not a BuildKit attestation manifest
 * (its layers are all in-toto statements: no file system to scan).
 */
export function isScannableImage(bytes: Buffer, mediaType: string): boolean {
  if (!IMAGE_MANIFEST_TYPES.has(mediaType)) return false
  try {
    const parsed = JSON.parse(bytes.toString('utf8')) as { config?: { mediaType?: string }; layers?: Array<{ mediaType?: string }> }
    if (!IMAGE_CONFIG_TYPES.has(parsed.config?.mediaType ?? '')) return false
    const layers = parsed.layers ?? []
    return !(layers.length > 0 && layers.every((layer) => layer.mediaType === 'application/vnd.in-toto+json'))
  } catch {
    return false
  }
}
