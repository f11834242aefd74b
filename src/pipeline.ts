import { randomBytes } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { parseBuilderDriver, parsePushedDigest } from './adapters/docker.js'
import { TagTakenError, type RegistryCredentials, type StoredImage } from './adapters/ecr.js'
import { repositoryMissing } from './aws-errors.js'
import {
  assertDriverExportsCache,
  CACHE_TAG,
  chooseCacheLocation,
  companionNotRewritable,
  describeCacheLocation
} from './build-cache.js'
import { buildxArgs, imageLabels, registryCacheArgs, type BuildOutput } from './buildx-args.js'
import { driverFromBuildxConfig, readBuildxConfigFiles } from './builder-driver.js'
import { UserError, errorMessage, oneLine } from './errors.js'
import { manifestShape, proveOwnImage, readBuildMetadata, type BuildMetadata } from './image-proof.js'
import { writePrivateDockerConfig } from './registry-auth.js'
import { RefusedError, type Outcome, type OutcomeBase, type RunContext } from './run-context.js'
import {
  decideOnExistingTags,
  describeMutability,
  isTagImmutable,
  mutableTags,
  type ExistingTags,
  type RepositoryInfo
} from './tag-policy.js'

type Base = OutcomeBase

/**
 * The whole run after input validation: look, decide, build, write tags, prove. No tag is written
 * before the last existence check, and no digest is reported before the registry has shown it.
 */
export async function publishImage(ctx: RunContext): Promise<Outcome> {
  const { inputs, tags, ecr } = ctx
  // Independent look-ups go out together; the builder's driver is awaited only if something is built.
  const builderDriver = settle(inspectBuilderDriver(ctx))
  const [credentials, repositoryLookup, existingLookup] = await Promise.allSettled([
    ecr.authorize(),
    ecr.describeRepository(inputs.repository),
    ecr.getImages(inputs.repository, tags.all.map((tag) => ({ tag })))
  ])
  const registry = unwrap(credentials)
  const base: Base = { registryHost: registry.registryHost, repository: inputs.repository, shaTag: tags.shaTag, tags: tags.all }

  const found = unwrap(repositoryLookup)
  let repository: RepositoryInfo | undefined
  let existing: ExistingTags
  if ('absent' in found) {
    if (!inputs.push) {
      // Build-only runs write nothing to AWS, not even a repository; with no repository no tag can exist.
      ctx.runner.info(`Repository ${inputs.repository} does not exist yet, so none of the tags exists; building only (push: false creates nothing).`)
    } else if (!inputs.createRepository) {
      throw new UserError(repositoryMissing({ repository: inputs.repository, region: inputs.awsRegion, registryId: found.registryId }))
    } else {
      repository = await createImageRepository(ctx)
    }
    existing = new Map(tags.all.map((tag) => [tag, undefined]))
  } else {
    repository = found
    existing = digestsByTag(unwrap(existingLookup).byTag)
  }

  if (repository) applyMutabilityPolicy(ctx, repository)

  const decision = decideOnExistingTags(tags.all, existing, inputs.ifTagExists, inputs.repository)
  if (decision.kind === 'refuse') throw new RefusedError(decision.reason, base)
  if (decision.kind === 'reuse') {
    ctx.runner.info(`Every tag already names ${decision.digest}; reusing it without building (if-tag-exists: skip).`)
    return { ...base, result: 'reused', digest: decision.digest, metadata: '', buildSeconds: undefined, note: undefined }
  }

  const driver = await builderDriver.value()
  if (driver === 'docker' && inputs.platforms.length > 1) {
    throw new UserError(
      `Input 'platforms' lists ${inputs.platforms.length} platforms, but the active buildx builder uses the docker driver, which builds one: add docker/setup-buildx-action (and docker/setup-qemu-action) before this step, or list one platform.`
    )
  }
  if (inputs.cache === 'ecr' && !repository) {
    throw new UserError(`cache: ecr keeps its cache next to ${inputs.repository}, which does not exist: create it, or set cache: none for build-only runs.`)
  }
  const cacheRefs = inputs.cache === 'ecr' && repository ? await prepareRegistryCache(ctx, repository, registry, driver) : undefined
  const { env } = prepareDockerConfig(ctx, registry)
  const strategy = !inputs.push ? 'local' : driver === 'docker' ? 'daemon' : 'digest'
  const imageName = `${registry.registryHost}/${inputs.repository}`
  const anyMutable = repository !== undefined && mutableTags(repository, tags.all).length > 0
  const stagingTag = newStagingTag()
  const localTags = strategy === 'daemon' ? [...tags.all, stagingTag] : tags.all
  const output: BuildOutput =
    strategy === 'digest'
      ? { kind: 'push-by-digest', imageName }
      : { kind: strategy === 'daemon' ? 'load' : 'local', references: localTags.map((tag) => `${imageName}:${tag}`) }

  const built = await build(ctx, env, output, cacheRefs)
  if (strategy === 'local') {
    return { ...base, result: 'built', digest: '', metadata: built.metadataJson, buildSeconds: built.seconds, note: 'push: false' }
  }

  const digest =
    strategy === 'daemon'
      ? await pushThroughDaemon(ctx, env, base, built.metadata, imageName, stagingTag, anyMutable)
      : await tagPushedDigest(ctx, base, built.metadata, anyMutable)
  if (typeof digest !== 'string') {
    return { ...base, result: 'reused', digest: digest.reused, metadata: built.metadataJson, buildSeconds: built.seconds, note: digest.note }
  }
  return { ...base, result: 'pushed', digest, metadata: built.metadataJson, buildSeconds: built.seconds, note: undefined }
}

async function createImageRepository(ctx: RunContext): Promise<RepositoryInfo> {
  ctx.runner.info(`Creating repository ${ctx.inputs.repository} with IMMUTABLE tags and scan-on-push (create-repository: true).`)
  try {
    return await ctx.ecr.createRepository(ctx.inputs.repository, 'IMMUTABLE')
  } catch (error) {
    // A concurrent run created it first: use theirs.
    const again = await ctx.ecr.describeRepository(ctx.inputs.repository)
    if ('absent' in again) throw error
    return again
  }
}

function applyMutabilityPolicy(ctx: RunContext, repository: RepositoryInfo): void {
  ctx.runner.info(`Repository ${repository.name}: tag mutability ${describeMutability(repository)}.`)
  const mutable = mutableTags(repository, ctx.tags.all)
  if (mutable.length === 0) return
  if (ctx.inputs.requireImmutableRepository) {
    throw new UserError(
      `Repository ${repository.name} is ${describeMutability(repository)}, so ECR would let these tags be overwritten: ${mutable.join(', ')}. Set the repository's tag mutability to IMMUTABLE (or exclude none of these tags), or set require-immutable-repository: false.`
    )
  }
  ctx.runner.info(
    `ECR does not protect ${mutable.join(', ')} from being overwritten; this action re-checks right before writing each tag, but only IMMUTABLE makes that atomic.`
  )
}

async function prepareRegistryCache(
  ctx: RunContext,
  repository: RepositoryInfo,
  registry: RegistryCredentials,
  driver: string | undefined
): Promise<{ cacheFrom: string; cacheTo: string }> {
  assertDriverExportsCache(driver)
  const location = chooseCacheLocation(repository)
  if (location.kind === 'companion-repository') {
    const companion = await ctx.ecr.describeRepository(location.repository)
    if ('absent' in companion) {
      if (!ctx.inputs.createRepository) {
        throw new UserError(
          `cache: ecr keeps the cache in ${location.repository}, which does not exist: create it with MUTABLE tags, add an IMMUTABLE_WITH_EXCLUSION filter for '${CACHE_TAG}' on ${repository.name}, or set create-repository: true.`
        )
      }
      ctx.runner.info(`Creating cache repository ${location.repository} with MUTABLE tags (it holds only build cache).`)
      await ctx.ecr.createRepository(location.repository, 'MUTABLE')
    } else if (isTagImmutable(companion, CACHE_TAG)) {
      throw companionNotRewritable(location.repository)
    }
  }
  ctx.runner.info(describeCacheLocation(location))
  return registryCacheArgs({ reference: `${registry.registryHost}/${location.repository}:${CACHE_TAG}` })
}

function prepareDockerConfig(ctx: RunContext, registry: RegistryCredentials): { env: NodeJS.ProcessEnv } {
  const prepared = writePrivateDockerConfig({
    directory: join(ctx.workDir, 'docker-config'),
    credentials: registry,
    env: ctx.env
  })
  if (prepared.droppedCredsStore) {
    ctx.runner.warning(
      `The docker credential store '${prepared.droppedCredsStore}' is not used during this build, so the ECR password never reaches it; logins kept only in that store are not available to the build.`
    )
  }
  return prepared
}

interface Built {
  readonly metadata: BuildMetadata
  readonly metadataJson: string
  readonly seconds: number
}

async function build(
  ctx: RunContext,
  env: NodeJS.ProcessEnv,
  output: BuildOutput,
  cache: { cacheFrom: string; cacheTo: string } | undefined
): Promise<Built> {
  const { inputs } = ctx
  const metadataFile = join(ctx.workDir, 'metadata.json')
  // Secret values reach BuildKit through the build process's environment only: nothing on disk to clean up.
  const secrets = inputs.secrets.map((secret, index) => ({ ...secret, envVar: `IMMUTABLE_ECR_BUILD_SECRET_${index}` }))
  const buildEnv = { ...env, ...Object.fromEntries(secrets.map(({ envVar, value }) => [envVar, value])) }
  const args = buildxArgs({
    builder: inputs.builder,
    context: inputs.context,
    file: inputs.file,
    target: inputs.target,
    buildArgs: inputs.buildArgs,
    labels: imageLabels({ sha: ctx.sha, sourceUrl: ctx.sourceUrl, created: ctx.now(), userLabels: inputs.labels }),
    platforms: inputs.platforms,
    network: inputs.network,
    cacheFrom: cache ? [...inputs.cacheFrom, cache.cacheFrom] : inputs.cacheFrom,
    cacheTo: cache ? [...inputs.cacheTo, cache.cacheTo] : inputs.cacheTo,
    noCache: inputs.noCache,
    pull: inputs.pull,
    envSecrets: secrets.map(({ id, envVar }) => ({ id, envVar })),
    secretFiles: inputs.secretFiles,
    ssh: inputs.ssh,
    buildContexts: inputs.buildContexts,
    provenance: inputs.provenance,
    sbom: inputs.sbom,
    metadataFile,
    output
  })
  const started = Date.now()
  const result = await ctx.runner.group('docker buildx build', () => ctx.docker.run(args, { env: buildEnv }))
  const seconds = (Date.now() - started) / 1000
  if (result.exitCode !== 0) {
    throw new UserError(`docker buildx build failed (exit ${result.exitCode}): ${lastErrorLine(result.stderr || result.stdout)}`)
  }
  const metadataJson = await readFile(metadataFile, 'utf8').catch(() => '{}')
  return { metadata: readBuildMetadata(JSON.parse(metadataJson) as Record<string, unknown>), metadataJson, seconds }
}

/**
 * docker driver: the image is in the engine's store and the engine can upload it only by pushing a
 * local name. That name is a one-off staging tag, never the SHA tag: runs sharing one engine (a
 * self-hosted runner) would otherwise re-point each other's local name between build and push, and
 * the last existence check can then sit right before the real tags are written, after the upload.
 */
async function pushThroughDaemon(
  ctx: RunContext,
  env: NodeJS.ProcessEnv,
  base: Base,
  build: BuildMetadata,
  imageName: string,
  stagingTag: string,
  anyMutable: boolean
): Promise<string | Reused> {
  // Without either digest nothing can be proven; do not upload anything.
  if (!build.imageDigest && !build.configDigest) {
    throw new UserError('buildx built the image but reported neither containerimage.digest nor containerimage.config.digest in its metadata; nothing was pushed.')
  }
  const reference = `${imageName}:${stagingTag}`
  const push = await ctx.runner.group(`docker push ${reference}`, () => ctx.docker.run(['push', reference], { env }))
  const untagLocally = ctx.docker.run(['image', 'rm', reference], { env, quiet: true })
  let removal: Promise<void> | undefined
  try {
    if (push.exitCode !== 0) {
      throw new UserError(
        `docker push failed (exit ${push.exitCode}): ${lastErrorLine(push.stderr.trim() ? push.stderr : push.stdout)}. No tag was written: the tags are written only after the whole image is in the registry; re-run the job.`
      )
    }
    // One call: the uploaded image, and the last existence check of every tag before writing them.
    const lookup = await ctx.ecr.getImages(ctx.inputs.repository, [stagingTag, ...ctx.tags.all].map((tag) => ({ tag })))
    const recheckedAt = Date.now()
    const image = lookup.byTag.get(stagingTag)
    if (!image) throw new UserError(`The registry does not serve ${stagingTag} right after docker push reported success; re-run the job.`)
    const reported = parsePushedDigest(push.stdout)
    if (reported && reported !== image.digest) throw anotherWriter(stagingTag, `the registry serves ${image.digest}, docker push reported ${reported}`)
    await proveImage(ctx, build, image, stagingTag)
    const raced = raceOutcome(ctx, base, digestsByTag(lookup.byTag))
    if (raced) return raced
    const reused = await writeTags(ctx, base, image)
    // The staging tag is no longer needed once the real tags exist: remove it while they are read back.
    removal = removeStagingTag(ctx, stagingTag)
    return reused ?? (await verifyAllTags(ctx, image.digest, anyMutable ? recheckedAt : undefined))
  } finally {
    await untagLocally
    if (push.exitCode === 0) await (removal ?? removeStagingTag(ctx, stagingTag))
  }
}

async function removeStagingTag(ctx: RunContext, stagingTag: string): Promise<void> {
  try {
    await ctx.ecr.deleteTag(ctx.inputs.repository, stagingTag)
  } catch (error) {
    ctx.runner.warning(
      `Could not remove the staging tag ${stagingTag} from ${ctx.inputs.repository} (${errorMessage(error)}); grant ecr:BatchDeleteImage or delete it by hand. It never names a deployable image.`
    )
  }
}

/** BuildKit drivers: the image is already in the registry, untagged; tag it only after re-checking. */
async function tagPushedDigest(ctx: RunContext, base: Base, build: BuildMetadata, anyMutable: boolean): Promise<string | Reused> {
  if (!build.imageDigest) throw new UserError('buildx pushed the image but reported no containerimage.digest in its metadata.')
  const lookup = await ctx.ecr.getImages(ctx.inputs.repository, [
    { digest: build.imageDigest },
    ...ctx.tags.all.map((tag) => ({ tag }))
  ])
  // The settle wait measures from the re-check's answer, as the docker-driver path does.
  const recheckedAt = Date.now()
  const image = lookup.byDigest.get(build.imageDigest)
  if (!image) throw new UserError(`The registry does not serve ${build.imageDigest} right after buildx pushed it; re-run the job.`)
  await proveImage(ctx, build, image, build.imageDigest)
  const raced = raceOutcome(ctx, base, digestsByTag(lookup.byTag))
  if (raced) return raced
  return (await writeTags(ctx, base, image)) ?? verifyAllTags(ctx, image.digest, anyMutable ? recheckedAt : undefined)
}

interface Reused {
  readonly reused: string
  readonly note: string
}

/** Reads every tag again after ECR refused one of our writes, to see whether skip can reuse the winner. */
async function recheckTags(ctx: RunContext, base: Base): Promise<Reused | undefined> {
  const lookup = await ctx.ecr.getImages(ctx.inputs.repository, ctx.tags.all.map((tag) => ({ tag })))
  return raceOutcome(ctx, base, digestsByTag(lookup.byTag))
}

function raceOutcome(ctx: RunContext, base: Base, existing: ExistingTags): Reused | undefined {
  const decision = decideOnExistingTags(ctx.tags.all, existing, ctx.inputs.ifTagExists, ctx.inputs.repository)
  if (decision.kind === 'build') return undefined
  if (decision.kind === 'reuse') {
    const note = `another run pushed the same tags first while this one was building; reusing ${decision.digest}`
    ctx.runner.info(`${note[0]?.toUpperCase()}${note.slice(1)}.`)
    return { reused: decision.digest, note }
  }
  const first = ctx.tags.all.find((tag) => existing.get(tag) !== undefined) as string
  throw new RefusedError(
    `Another run pushed ${first} first (digest ${existing.get(first)}) while this one was building; nothing was overwritten and this run pushed no tag.`,
    base
  )
}

/**
 * Writes the tags SHA tag first. ECR refusing one (IMMUTABLE: another run wrote it first) ends the
 * run; under skip the other run's image is reused when it already holds every tag.
 */
async function writeTags(ctx: RunContext, base: Base, image: StoredImage): Promise<Reused | undefined> {
  const written: string[] = []
  for (const tag of ctx.tags.all) {
    try {
      await ctx.ecr.putTag(ctx.inputs.repository, tag, image)
      written.push(tag)
    } catch (error) {
      if (!(error instanceof TagTakenError)) {
        if (written.length === 0) throw error
        throw halfTagged(ctx, image.digest, written, error)
      }
      if (written.length === 0 && ctx.inputs.ifTagExists === 'skip') {
        const raced = await recheckTags(ctx, base)
        if (raced) return raced
      }
      throw await pushedFirst(ctx, base, tag, written)
    }
  }
  return undefined
}

/**
 * A write failed after others succeeded. Written tags are never taken back (that would change a tag),
 * and a re-run refuses a half-present tag set, so the message says how to finish by hand.
 */
function halfTagged(ctx: RunContext, digest: string, written: readonly string[], error: unknown): UserError {
  const missing = ctx.tags.all.filter((tag) => !written.includes(tag))
  return new UserError(
    `${errorMessage(error).replace(/\.?$/, '.')} This run had already written ${written.join(', ')} (${digest}), which keep this image; ${missing.join(', ')} ${missing.length === 1 ? 'was' : 'were'} not written, and a re-run refuses a partly tagged image: add ${missing.length === 1 ? 'it' : 'them'} to ${digest} by hand (README: Troubleshooting, "had already written").`
  )
}

async function pushedFirst(ctx: RunContext, base: Base, tag: string, written: readonly string[] = []): Promise<RefusedError> {
  const lookup = await ctx.ecr.getImages(ctx.inputs.repository, [{ tag }]).catch(() => undefined)
  const digest = lookup?.byTag.get(tag)?.digest ?? 'unknown'
  const partial = written.length ? ` This run had already written ${written.join(', ')}; those tags keep this run's image.` : ''
  return new RefusedError(`Another run pushed ${tag} first (digest ${digest}); it was not overwritten.${partial}`, base)
}

async function proveImage(ctx: RunContext, build: BuildMetadata, image: StoredImage, ref: string): Promise<void> {
  const shape = manifestShape(image.manifest)
  let configs: string[]
  if (shape.kind === 'image') {
    configs = [shape.configDigest]
  } else {
    const children = await ctx.ecr.getImages(ctx.inputs.repository, shape.platformManifests.map((digest) => ({ digest })))
    configs = [...children.byDigest.values()].flatMap((child) => {
      if (!child) return []
      const childShape = manifestShape(child.manifest)
      return childShape.kind === 'image' ? [childShape.configDigest] : []
    })
  }
  const proof = proveOwnImage({ build, servedDigest: image.digest, servedConfigDigests: configs })
  if (!proof.ok) throw anotherWriter(ref, `the registry ${proof.reason}`)
}

/** The final read: every tag, as the registry serves it now, names this run's image. */
/**
 * ECR has no compare-and-swap, so on MUTABLE tags another run whose last check came just before our
 * write can still land its own write just after it. Such a write leaves the other run's check at most
 * about as long before its write as ours took (same code, same registry), so waiting that long, three
 * times over and at least MUTABLE_SETTLE_MIN_MS, before the final read lets the overwritten run see it
 * and fail instead of reporting a digest the tag no longer holds. IMMUTABLE tags need no wait.
 */
export const MUTABLE_SETTLE_MIN_MS = 250
const MUTABLE_SETTLE_MAX_MS = 3000

async function settleMutableTags(ctx: RunContext, recheckedAt: number): Promise<void> {
  const ownGap = Date.now() - recheckedAt
  const wait = Math.min(MUTABLE_SETTLE_MAX_MS, Math.max(MUTABLE_SETTLE_MIN_MS, 3 * ownGap))
  await (ctx.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms))))(wait)
}

async function verifyAllTags(ctx: RunContext, digest: string, mutableRecheckedAt?: number): Promise<string> {
  if (mutableRecheckedAt !== undefined) await settleMutableTags(ctx, mutableRecheckedAt)
  const lookup = await ctx.ecr.getImages(ctx.inputs.repository, ctx.tags.all.map((tag) => ({ tag })))
  for (const tag of ctx.tags.all) {
    const served = lookup.byTag.get(tag)
    if (served?.digest !== digest) throw anotherWriter(tag, `the registry serves ${served?.digest ?? 'nothing'} for it, not ${digest}`)
  }
  return digest
}

function anotherWriter(ref: string, detail: string): UserError {
  return new UserError(
    `Another writer changed ${ref} during this run: ${detail}. No digest is reported; make the repository IMMUTABLE and serialize runs with the workflow 'concurrency:' key.`
  )
}

async function inspectBuilderDriver(ctx: RunContext): Promise<string | undefined> {
  const known = driverFromBuildxConfig(ctx.inputs.builder, ctx.env, readBuildxConfigFiles(ctx.env))
  if (known) return known
  const args = ['buildx', 'inspect', ...(ctx.inputs.builder ? [ctx.inputs.builder] : [])]
  const result = await ctx.docker.run(args, { quiet: true, env: ctx.env })
  if (result.exitCode !== 0) {
    throw new UserError(
      `docker buildx is not usable${ctx.inputs.builder ? ` with builder '${ctx.inputs.builder}'` : ''}: ${lastErrorLine(result.stderr || result.stdout)}. Install buildx (docker/setup-buildx-action) or fix the builder input.`
    )
  }
  return parseBuilderDriver(result.stdout)
}

/** Unique per run, so it can never collide with a real tag or another run's staging tag. */
export const STAGING_TAG_PREFIX = 'immutable-ecr-build-staging-'
function newStagingTag(): string {
  return `${STAGING_TAG_PREFIX}${randomBytes(8).toString('hex')}`
}

function digestsByTag(byTag: ReadonlyMap<string, StoredImage | undefined>): ExistingTags {
  return new Map([...byTag].map(([tag, image]) => [tag, image?.digest]))
}

function lastErrorLine(output: string): string {
  const lines = output.split('\n').map((line) => line.trim()).filter(Boolean)
  const error = [...lines].reverse().find((line) => /^(?:ERROR|error)\b/.test(line) || /\berror\b/i.test(line))
  return oneLine(error ?? lines[lines.length - 1] ?? 'no output')
}

function unwrap<T>(result: PromiseSettledResult<T>): T {
  if (result.status === 'rejected') throw result.reason
  return result.value
}

/** Starts work now, surfaces its failure only when (and if) its value is needed. */
function settle<T>(promise: Promise<T>): { value: () => Promise<T> } {
  const settled = promise.then(
    (value) => ({ ok: true as const, value }),
    (error: unknown) => ({ ok: false as const, error })
  )
  return {
    value: async () => {
      const outcome = await settled
      if (!outcome.ok) throw outcome.error instanceof Error ? outcome.error : new Error(errorMessage(outcome.error))
      return outcome.value
    }
  }
}
