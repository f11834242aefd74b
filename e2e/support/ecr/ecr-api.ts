// The ECR control-plane operations (AWS JSON 1.1 request/response shapes). Image data is never
// kept here: every read and write goes to the real registry, under the per-repository lock that
// the registry proxy also takes, so the API and `docker push` see one consistent truth.
import { ecrErrors, EcrApiError } from './ecr-errors.js'
import { pageOf } from './ecr-paging.js'
import { isTagImmutable, type EcrState, type RepositoryRecord } from './ecr-state.js'
import { currentStatus, hasFindings, summary } from './ecr-scanning.js'
import { MANIFEST_MEDIA_TYPES, UpstreamError, isDigest, sha256Digest, type StoredManifest } from '../registry/upstream-registry.js'

export interface ApiContext {
  /** The calling account's registry (the account of the request's access key). */
  state: EcrState
  /**
   * The registry an operation's registryId names, the caller's when absent ("If you do not
   * specify a registry, the default registry is assumed", every ECR API page); undefined when
   * this endpoint serves no such account.
   */
  account: (registryId: string | undefined) => EcrState | undefined
  /** The docker password GetAuthorizationToken hands out (one for every registry, as ECR's). */
  password: string
}

export type Input = Record<string, unknown>
export type Handler = (ctx: ApiContext, input: Input) => Promise<unknown>

/** The repository an operation names, in the registry its registryId selects. */
export function repositoryIn(ctx: ApiContext, input: Input): { state: EcrState; record: RepositoryRecord } {
  const name = requiredString(input, 'repositoryName')
  const registryId = optionalString(input, 'registryId')
  const state = ctx.account(registryId)
  if (!state) throw ecrErrors.repositoryNotFound(name, registryId ?? ctx.state.accountId)
  return { state, record: state.repository(name) }
}

export interface ImageId {
  imageDigest?: string
  imageTag?: string
}

// The registry's tag grammar: what `docker push` could ever create.
const TAG = /^[A-Za-z0-9_][A-Za-z0-9._-]{0,127}$/
const INDEX_TYPES = new Set<string>([MANIFEST_MEDIA_TYPES[0], MANIFEST_MEDIA_TYPES[2]])

const CORE_OPERATIONS: Readonly<Record<string, Handler>> = {
  GetAuthorizationToken: async (ctx, input) => {
    // API_GetAuthorizationToken / API_AuthorizationData: one authorizationData per registryIds
    // entry, each with its registry's proxyEndpoint; the SDK notes that the token itself "can be
    // used to access any Amazon ECR registry that the IAM principal has access to".
    const ids = optionalStringArray(input, 'registryIds') ?? [ctx.state.accountId]
    const expiresAt = Date.now() / 1000 + 12 * 3600
    const token = Buffer.from(`AWS:${ctx.password}`).toString('base64')
    return {
      authorizationData: ids.map((id) => {
        if (!/^[0-9]{12}$/.test(id)) {
          throw ecrErrors.invalidParameter(
            "Invalid parameter at 'registryIds' failed to satisfy constraint: 'Member must satisfy regular expression pattern: [0-9]{12}'"
          )
        }
        const registry = ctx.account(id)
        // A limit of this fake: it can only hand out registries it serves.
        if (!registry) throw ecrErrors.invalidParameter(`The test endpoint serves no registry with id '${id}'`)
        return { authorizationToken: token, expiresAt, proxyEndpoint: `http://${registry.registryHost}` }
      })
    }
  },

  DescribeRepositories: async (ctx, input) => {
    const registryId = optionalString(input, 'registryId')
    const names = optionalStringArray(input, 'repositoryNames')
    const state = ctx.account(registryId)
    if (!state) {
      if (names?.[0] !== undefined) throw ecrErrors.repositoryNotFound(names[0], registryId ?? ctx.state.accountId)
      return { repositories: [] }
    }
    if (names) return { repositories: names.map((name) => state.describe(state.repository(name))) }
    return { repositories: [...state.repositories.values()].map((record) => state.describe(record)) }
  },

  CreateRepository: async ({ state }, input) => {
    const scanning = input['imageScanningConfiguration'] as { scanOnPush?: boolean } | undefined
    const record = state.createRepository(
      input['repositoryName'],
      {
        mutability: optionalString(input, 'imageTagMutability'),
        exclusionFilters: input['imageTagMutabilityExclusionFilters'] as Array<{ filterType?: string; filter?: string }> | undefined,
        scanOnPush: scanning?.scanOnPush,
        encryption: input['encryptionConfiguration'] as { encryptionType?: string; kmsKey?: string } | undefined,
        resourceTags: input['tags'] as Array<{ Key?: string; Value?: string }> | undefined
      },
      optionalString(input, 'registryId')
    )
    return { repository: state.describe(record) }
  },

  BatchGetImage: async (ctx, input) => {
    const { state, record } = repositoryIn(ctx, input)
    const images: unknown[] = []
    const failures: unknown[] = []
    // acceptedMediaTypes is accepted but not applied: ECR converts schema2 to schema1 on request,
    // which no modern client asks for; every manifest is returned as stored.
    for (const id of imageIds(input)) {
      const problem = checkImageId(id)
      if (problem) {
        failures.push(problem)
        continue
      }
      const stored = await resolve(state, record.name, id)
      if (stored === 'mismatch') {
        failures.push(failure(id, 'ImageTagDoesNotMatchDigest', 'Invalid image digest and tag combination'))
      } else if (!stored || lagging(state, record.name, id, stored.digest)) {
        failures.push(failure(id, 'ImageNotFound', 'Requested image not found'))
      } else if (state.imageStatus(record.name, stored.digest) !== 'ACTIVE') {
        // API_ImageFailure lists ImageInaccessible among the failure codes; user guide "Archiving
        // an image": "Archived images cannot be pulled". The reason text is this fake's wording.
        failures.push(failure(id, 'ImageInaccessible', 'The image is archived and cannot be retrieved. Restore it to pull it.'))
      } else {
        images.push({
          registryId: state.accountId,
          repositoryName: record.name,
          imageId: { imageDigest: stored.digest, ...(id.imageTag !== undefined ? { imageTag: id.imageTag } : {}) },
          imageManifest: stored.bytes.toString('utf8'),
          imageManifestMediaType: stored.mediaType
        })
      }
    }
    return { images, failures }
  },

  PutImage: async (ctx, input) => {
    const { state, record } = repositoryIn(ctx, input)
    const manifest = requiredString(input, 'imageManifest')
    const tag = optionalString(input, 'imageTag')
    const givenDigest = optionalString(input, 'imageDigest')
    const bytes = Buffer.from(manifest, 'utf8')
    const digest = sha256Digest(bytes)
    if (tag !== undefined && !TAG.test(tag)) {
      throw ecrErrors.invalidParameter(
        "Invalid parameter at 'imageTag' failed to satisfy constraint: 'must satisfy regular expression '[A-Za-z0-9_][A-Za-z0-9._-]{0,127}''"
      )
    }
    if (givenDigest !== undefined && givenDigest !== digest) throw ecrErrors.imageDigestDoesNotMatch(givenDigest, digest)
    const mediaType = manifestMediaType(manifest, optionalString(input, 'imageManifestMediaType'))

    await state.locks.run(record.name, async () => {
      const existing = await state.upstream.headManifest(record.name, tag ?? digest)
      if (tag !== undefined && existing === digest) {
        throw ecrErrors.imageAlreadyExists(digest, tag, record.name, state.accountId)
      }
      if (tag !== undefined && existing !== undefined && isTagImmutable(record, tag)) {
        throw ecrErrors.imageTagAlreadyExists(tag, record.name)
      }
      if (INDEX_TYPES.has(mediaType) && childDigests(bytes).some((child) => state.lagging(record.name, child))) {
        // What ECR answers for an index whose children it does not show yet (read-after-write lag).
        throw new EcrApiError('ReferencedImagesNotFoundException', 'Some of the image manifests referenced by the image index do not exist in the repository.')
      }
      try {
        await state.upstream.putManifest(record.name, tag ?? digest, bytes, mediaType)
      } catch (error) {
        throw toApiError(error, mediaType)
      }
      state.manifestStored(record.name, digest, bytes, mediaType)
      if (tag !== undefined) state.noteWrite(record.name, tag)
    })
    return {
      image: {
        registryId: state.accountId,
        repositoryName: record.name,
        imageId: { imageDigest: digest, ...(tag !== undefined ? { imageTag: tag } : {}) },
        imageManifest: manifest,
        imageManifestMediaType: mediaType
      }
    }
  },

  BatchDeleteImage: async (ctx, input) => {
    const { state, record } = repositoryIn(ctx, input)
    const ids = imageIds(input)
    return state.locks.run(record.name, async () => {
      const deleted: ImageId[] = []
      const failures: unknown[] = []
      for (const id of ids) {
        const problem = checkImageId(id)
        if (problem) {
          failures.push(problem)
          continue
        }
        const stored = await resolve(state, record.name, id)
        if (stored === 'mismatch') {
          failures.push(failure(id, 'ImageTagDoesNotMatchDigest', 'Invalid image digest and tag combination'))
          continue
        }
        if (!stored) {
          failures.push(failure(id, 'ImageNotFound', 'Requested image not found'))
          continue
        }
        if (id.imageDigest === undefined && id.imageTag !== undefined && state.upstream.canUntag) {
          // ECR removes just the tag, and the image only with its last tag.
          await state.upstream.untag(record.name, id.imageTag)
          const remaining = await tagsByDigest(state, record.name)
          if (!remaining.has(stored.digest)) await state.upstream.deleteManifest(record.name, stored.digest)
          deleted.push({ imageDigest: stored.digest, imageTag: id.imageTag })
          continue
        }
        const tags = (await tagsByDigest(state, record.name)).get(stored.digest) ?? []
        await state.upstream.deleteManifest(record.name, stored.digest)
        if (tags.length === 0) deleted.push({ imageDigest: stored.digest })
        for (const tag of tags) deleted.push({ imageDigest: stored.digest, imageTag: tag })
      }
      return { imageIds: deleted, failures }
    })
  },

  DescribeImages: async (ctx, input) => {
    const { state, record } = repositoryIn(ctx, input)
    const byDigest = await tagsByDigest(state, record.name)
    const storedAt = new Map((await state.upstream.digests(record.name)).map((d) => [d.digest, d.storedAt]))
    let digests: string[]
    const requested = input['imageIds'] === undefined ? undefined : imageIds(input)
    // API_DescribeImages, maxResults and nextToken: "This option cannot be used when you specify images with imageIds."
    if (requested && (input['maxResults'] !== undefined || input['nextToken'] !== undefined)) {
      throw ecrErrors.invalidParameter('Invalid parameter: maxResults and nextToken cannot be used when you specify images with imageIds')
    }
    if (requested) {
      digests = []
      for (const id of requested) {
        const stored = checkImageId(id) ? undefined : await resolve(state, record.name, id)
        if (!stored || stored === 'mismatch' || lagging(state, record.name, id, stored.digest)) throw ecrErrors.imageNotFound(id, record.name, state.accountId)
        if (!digests.includes(stored.digest)) digests.push(stored.digest)
      }
    } else {
      // Sorted, so that a nextToken's offset means the same place on the next call.
      // Images written within the read-after-write lag are not listed yet.
      digests = [...new Set([...storedAt.keys(), ...byDigest.keys()])].filter((d) => !state.lagging(record.name, d)).sort()
      const filter = input['filter'] as { tagStatus?: string; imageStatus?: string } | undefined
      const status = filter?.tagStatus ?? 'ANY'
      if (status === 'TAGGED') digests = digests.filter((d) => byDigest.has(d))
      if (status === 'UNTAGGED') digests = digests.filter((d) => !byDigest.has(d))
      // API_DescribeImagesFilter: "If not specified, only images with ACTIVE status are returned."
      const wanted = filter?.imageStatus ?? 'ACTIVE'
      if (wanted !== 'ANY') digests = digests.filter((d) => state.imageStatus(record.name, d) === wanted)
    }
    // API_DescribeImages: up to maxResults (1..1000, 100 when absent) a page, with a nextToken while more remain.
    const { page, nextToken } = requested ? { page: digests, nextToken: undefined } : pageOf(digests, input, record.name)
    const imageDetails = []
    for (const digest of page) {
      const stored = await state.upstream.getManifest(record.name, digest)
      if (!stored) continue
      const tags = byDigest.get(digest) ?? []
      const pushedAt = state.pushedAt.get(`${record.name}@${digest}`) ?? storedAt.get(digest) ?? new Date()
      imageDetails.push({
        registryId: state.accountId,
        repositoryName: record.name,
        imageDigest: digest,
        ...(tags.length > 0 ? { imageTags: tags } : {}),
        imageSizeInBytes: imageSize(stored),
        imagePushedAt: pushedAt.getTime() / 1000,
        imageManifestMediaType: stored.mediaType,
        ...artifactMediaType(stored),
        ...scanDetail(state, record.name, digest),
        ...storageDetail(state, record.name, digest)
      })
    }
    return { imageDetails, ...(nextToken ? { nextToken } : {}) }
  }
}

/** The registry and image operations; ecr-scan-api.ts adds scanning, archiving and account settings. */
export const OPERATIONS: Readonly<Record<string, Handler>> = CORE_OPERATIONS

/** API_ImageDetail imageStatus, lastArchivedAt, lastActivatedAt. */
function storageDetail(state: EcrState, repository: string, digest: string): Record<string, unknown> {
  const imageStatus = state.imageStatus(repository, digest)
  const record = state.archive.get(`${repository}@${digest}`)
  return {
    imageStatus,
    ...(record?.lastArchivedAt ? { lastArchivedAt: record.lastArchivedAt.getTime() / 1000 } : {}),
    ...(record?.lastActivatedAt ? { lastActivatedAt: record.lastActivatedAt.getTime() / 1000 } : {})
  }
}

/** API_ImageDetail imageScanStatus and imageScanFindingsSummary ("A summary of the last completed image scan"). */
function scanDetail(state: EcrState, repository: string, digest: string): Record<string, unknown> {
  const scan = state.scans.scans.get(`${repository}@${digest}`)
  if (!scan) return {}
  if (state.imageStatus(repository, digest) === 'ARCHIVED') {
    return { imageScanStatus: { status: 'IMAGE_ARCHIVED', description: 'The image is archived and cannot be scanned.' } }
  }
  const status = currentStatus(scan)
  return { imageScanStatus: status, ...(hasFindings(status.status) ? { imageScanFindingsSummary: summary(scan) } : {}) }
}

/** Whether the image id names a manifest or tag written within the read-after-write lag. */
function lagging(state: EcrState, repository: string, id: ImageId, digest: string): boolean {
  return state.lagging(repository, digest) || (id.imageTag !== undefined && state.lagging(repository, id.imageTag))
}

/** The manifests an index lists (none for anything else). */
export function childDigests(bytes: Buffer): string[] {
  try {
    const parsed = JSON.parse(bytes.toString('utf8')) as { manifests?: Array<{ digest?: unknown }> }
    return (parsed.manifests ?? []).map((entry) => entry.digest).filter((digest): digest is string => typeof digest === 'string')
  } catch {
    return []
  }
}

/** Resolves an image id against the registry; 'mismatch' when tag and digest disagree. */
export async function resolve(state: EcrState, repository: string, id: ImageId): Promise<StoredManifest | undefined | 'mismatch'> {
  const stored = await state.upstream.getManifest(repository, id.imageTag ?? id.imageDigest ?? '')
  if (stored && id.imageTag !== undefined && id.imageDigest !== undefined && stored.digest !== id.imageDigest) return 'mismatch'
  return stored
}

async function tagsByDigest(state: EcrState, repository: string): Promise<Map<string, string[]>> {
  const tags = await state.upstream.tags(repository)
  const digests = await Promise.all(tags.map((tag) => state.upstream.headManifest(repository, tag)))
  const map = new Map<string, string[]>()
  tags.forEach((tag, i) => {
    const digest = digests[i]
    if (digest) map.set(digest, [...(map.get(digest) ?? []), tag])
  })
  return map
}

export function checkImageId(id: ImageId): unknown {
  if (id.imageTag === undefined && id.imageDigest === undefined) {
    return failure(id, 'MissingDigestAndTag', 'Invalid request: missing image digest and tag')
  }
  if (id.imageDigest !== undefined && !isDigest(id.imageDigest)) return failure(id, 'InvalidImageDigest', 'Invalid image digest')
  if (id.imageTag !== undefined && !TAG.test(id.imageTag)) return failure(id, 'InvalidImageTag', 'Invalid image tag')
  return undefined
}

function failure(id: ImageId, failureCode: string, failureReason: string): unknown {
  return { imageId: { ...id }, failureCode, failureReason }
}

function manifestMediaType(manifest: string, given: string | undefined): string {
  let parsed: { mediaType?: unknown; schemaVersion?: unknown; manifests?: unknown }
  try {
    parsed = JSON.parse(manifest) as typeof parsed
  } catch {
    throw ecrErrors.invalidParameter("Invalid parameter at 'ImageManifest' failed to satisfy constraint: 'Invalid JSON syntax'")
  }
  const declared = typeof parsed.mediaType === 'string' ? parsed.mediaType : undefined
  if (given !== undefined && declared !== undefined && given !== declared) {
    throw ecrErrors.invalidParameter(
      `Invalid parameter at 'imageManifestMediaType' failed to satisfy constraint: 'Manifest media type '${declared}' does not match the given media type '${given}''`
    )
  }
  const mediaType = given ?? declared ?? (Array.isArray(parsed.manifests) ? MANIFEST_MEDIA_TYPES[0] : MANIFEST_MEDIA_TYPES[1])
  if (!(MANIFEST_MEDIA_TYPES as readonly string[]).includes(mediaType)) {
    throw ecrErrors.invalidParameter(`Invalid parameter at 'imageManifestMediaType' failed to satisfy constraint: 'Unsupported media type '${mediaType}''`)
  }
  return mediaType
}

function toApiError(error: unknown, mediaType: string): Error {
  if (!(error instanceof UpstreamError)) return error instanceof Error ? error : new Error(String(error))
  if (error.code === 'MANIFEST_BLOB_UNKNOWN' || error.code === 'BLOB_UNKNOWN') {
    return INDEX_TYPES.has(mediaType)
      ? new EcrApiError('ReferencedImagesNotFoundException', 'Some of the image manifests referenced by the image index do not exist in the repository.')
      : ecrErrors.layersNotFound(error.message)
  }
  if (error.status === 400) return ecrErrors.invalidParameter(`Invalid parameter at 'ImageManifest': ${error.message}`)
  return ecrErrors.server(error.message)
}

function imageSize(stored: StoredManifest): number {
  try {
    const parsed = JSON.parse(stored.bytes.toString('utf8')) as { layers?: Array<{ size?: number }>; manifests?: Array<{ size?: number }> }
    const parts = parsed.layers ?? parsed.manifests ?? []
    return parts.reduce((sum, part) => sum + (part.size ?? 0), 0)
  } catch {
    return stored.bytes.length
  }
}

function artifactMediaType(stored: StoredManifest): { artifactMediaType?: string } {
  try {
    const parsed = JSON.parse(stored.bytes.toString('utf8')) as { config?: { mediaType?: string } }
    return parsed.config?.mediaType ? { artifactMediaType: parsed.config.mediaType } : {}
  } catch {
    return {}
  }
}

export function imageIds(input: Input): ImageId[] {
  const value = input['imageIds']
  if (!Array.isArray(value)) {
    throw ecrErrors.invalidParameter("Invalid parameter at 'imageIds' failed to satisfy constraint: 'Member must not be null'")
  }
  return value.map((entry) => {
    const id = (entry ?? {}) as Record<string, unknown>
    return {
      ...(typeof id['imageDigest'] === 'string' ? { imageDigest: id['imageDigest'] } : {}),
      ...(typeof id['imageTag'] === 'string' ? { imageTag: id['imageTag'] } : {})
    }
  })
}

export function requiredString(input: Input, name: string): string {
  const value = input[name]
  if (typeof value !== 'string') {
    throw ecrErrors.invalidParameter(`Invalid parameter at '${name}' failed to satisfy constraint: 'Member must not be null'`)
  }
  return value
}

export function optionalString(input: Input, name: string): string | undefined {
  const value = input[name]
  return typeof value === 'string' ? value : undefined
}

function optionalStringArray(input: Input, name: string): string[] | undefined {
  const value = input[name]
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : undefined
}

/** The repository an operation acts on, for AccessDenied's resource ARN. */
export function repositoryOf(input: Input): string | undefined {
  const name = input['repositoryName']
  if (typeof name === 'string') return name
  const names = input['repositoryNames']
  return Array.isArray(names) && typeof names[0] === 'string' ? names[0] : undefined
}
