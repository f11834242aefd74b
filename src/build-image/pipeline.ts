import { join } from 'node:path'
import type { RegistryCredentials, StoredImage } from '../adapters/ecr.js'
import { openOciLayout, type OciLayout } from '../adapters/oci-layout.js'
import type { Registry } from '../adapters/registry.js'
import { prepareRegistryCache, refuseImmutableCompanion } from './build-cache.js'
import { metadataForOutput, runBuild, type Built } from './build.js'
import { assertBuilderCan, chooseUploadPath, uploadPathNote, type BuilderInfo } from './builder-capabilities.js'
import { openEngineRoute, type EngineRouteResult } from './engine-route.js'
import { resolveEngineEndpoint } from './engine-endpoint.js'
import { readEngineDriverStatus } from '../adapters/engine-grpc-proxy.js'
import { driverFromBuildxConfig, readBuildxConfigFiles } from '../adapters/buildx-config.js'
import type { BuildOutput } from './buildx-args.js'
import { deferred } from '../shared/deferred.js'
import { lastErrorLine, parseBuilderDriver, parseImageStore } from './docker-output.js'
import { UserError } from '../shared/errors.js'
import { configPlatformOf, parseManifest, platformDigests } from '../shared/image-graph.js'
import { transferImage } from '../publish/image-transfer.js'
import { addTagsToBuiltImage } from './add-tags.js'
import { planTagAddition, reuseRefusal } from '../publish/tag-addition.js'
import { readDockerContextFiles, writePrivateDockerConfig } from '../adapters/docker-config.js'
import { RefusedError, type Outcome, type OutcomeBase } from '../publish/outcome.js'
import type { RunContext } from './run-context.js'
import { decideOnExistingTags } from '../shared/tag-policy.js'
import { commitTags, type Committed } from '../publish/commit-tags.js'
import { newStagingTag, uploadThroughEngine } from './upload-through-engine.js'
import { revisionCheckedConfigs, storedPlatformDigests, type RunnableConfig } from '../publish/stored-image.js'
import { gateUploadedImage } from '../publish/scan-gate.js'
import { assertSigningConfigured } from '../publish/signing-gate.js'
import { lookUpTarget, openTarget } from '../publish/target.js'
import { assertUntaggedPath, untaggedOutcome } from './untagged-upload.js'

/**
 * The whole run after input validation: look, decide, build, upload untagged, write tags, prove. No
 * tag is written before the last existence check, and no digest is reported before the registry has
 * shown it.
 */
export async function publishImage(ctx: RunContext): Promise<Outcome> {
  // Independent look-ups go out together; the builder is awaited only if something is built.
  const builder = deferred(inspectBuilder(ctx))
  // The engine route's set-up (probe, proxy, `buildx create`) runs beside the ECR look-ups, off the critical path;
  // every way out that does not build (reuse, tags added, a refusal, an error) closes it here.
  const route = startEngineRoute(ctx, builder)
  try {
    return await publishWith(ctx, builder, route)
  } finally {
    await route.close()
  }
}

async function publishWith(ctx: RunContext, builder: { readonly value: () => Promise<BuilderInfo> }, early: EarlyRoute): Promise<Outcome> {
  const { inputs, tags, ecr } = ctx
  const target = await openTarget(ctx, await lookUpTarget(ecr, inputs.repository, tags.all), {
    repository: inputs.repository,
    region: inputs.awsRegion,
    registryId: inputs.registryId,
    tags: tags.all,
    floatingTags: inputs.floatingTags,
    requireImmutableRepository: inputs.requireImmutableRepository,
    whenAbsent: !inputs.push
      ? // Build-only runs write nothing to AWS, not even a repository; with no repository no tag can exist.
        {
          kind: 'continue',
          note: `Repository ${inputs.repository} does not exist yet, so none of the tags exists; building only (push: false creates nothing).`
        }
      : inputs.createRepository
        ? {
            kind: 'create',
            // What the builder cannot do is an input error too: refused before the repository exists.
            beforeCreate: async () => {
              await checkedBuilder(ctx, builder)
              if (inputs.cache === 'ecr') await refuseImmutableCompanion(ctx.ecr, inputs.repository)
            }
          }
        : { kind: 'refuse' }
  })
  const registry = target.registry
  const base: OutcomeBase = { registryHost: target.registryHost, repository: inputs.repository, shaTag: tags.shaTag, tags: tags.all }
  const existing = target.existingTags
  // require-signature: managed with nothing to sign this repository's images is refused before the build.
  if (inputs.push) await assertSigningConfigured(ctx, inputs.repository, inputs.signingGate, inputs.registryId !== undefined)

  // Release tags on the image this commit already built (issue 8): nothing is built.
  const addition = planTagAddition(tags.all, tags.shaTag, existing, inputs.ifTagExists)
  if (addition.kind === 'add') return addTagsToBuiltImage(ctx, target, base, target.existing.byTag.get(tags.shaTag) as StoredImage, addition)
  const decision = decideOnExistingTags(tags.all, existing, inputs.ifTagExists, inputs.repository)
  if (decision.kind === 'refuse') throw new RefusedError(decision.reason, base)
  if (decision.kind === 'reuse') {
    const image = target.existing.byTag.get(tags.shaTag) as StoredImage
    // The tag alone does not prove the image is this commit's: a short sha-length may name another commit's build.
    const configs = await reusableConfigs(ctx, registry, image)
    ctx.runner.info(`Every tag already names ${decision.digest}; reusing it without building (if-tag-exists: skip).`)
    return {
      ...base,
      result: 'reused',
      digest: decision.digest,
      platformDigests: storedPlatformDigests(image, configs),
      metadata: '',
      buildSeconds: undefined
    }
  }

  const builderInfo = await checkedBuilder(ctx, builder)
  const cacheRefs = inputs.cache === 'ecr' ? await prepareRegistryCache(ctx, target.info, registry.registryHost) : undefined
  const { env } = prepareDockerConfig(ctx, registry)
  const routed = await early.result()
  const route = routed && 'route' in routed ? routed.route : undefined
  const path = chooseUploadPath(inputs.push, { ...builderInfo, engineRoute: route !== undefined })
  ctx.runner.info(uploadPathNote(path, routed && 'unavailable' in routed ? routed.unavailable : undefined))
  const imageName = `${registry.registryHost}/${inputs.repository}`
  const stagingTag = newStagingTag()
  const layoutDir = join(ctx.workDir, 'oci-layout')
  const output: BuildOutput =
    path === 'layout'
      ? { kind: 'oci-layout', directory: layoutDir }
      : path === 'digest' || path === 'engine'
        ? { kind: 'push-by-digest', imageName, ociMediaTypes: path === 'engine' }
        : {
            kind: path === 'daemon' ? 'load' : 'local',
            references: (path === 'daemon' ? [...tags.all, stagingTag] : tags.all).map((tag) => `${imageName}:${tag}`)
          }

  let built: Built
  try {
    built = await runBuild(ctx, route ? { ...env, BUILDX_CONFIG: route.buildxConfig } : env, output, cacheRefs, route?.builder)
  } finally {
    // BuildKit pushed (and exported any cache) during the build: the route is needed no longer.
    await route?.close()
  }
  if (path === 'local') {
    return { ...base, result: 'built', metadata: built.metadataJson, buildSeconds: built.seconds, note: 'push: false' }
  }

  const store = await ctx.openRegistry(registry)
  let naming: Committed
  let uploaded: UploadedByDigest | undefined
  if (path === 'layout') {
    const layout = await openOciLayout(layoutDir)
    await uploadLayout(ctx, store, layout)
    uploaded = { digest: layout.top.digest, readBlob: (digest) => layout.read(digest) }
  } else if (path === 'digest' || path === 'engine') {
    if (!built.metadata.imageDigest)
      throw new UserError('buildx pushed the image by digest but reported no containerimage.digest in its metadata; nothing was tagged.')
    uploaded = { digest: built.metadata.imageDigest, readBlob: (digest) => store.readBlob(inputs.repository, digest) }
  }
  if (uploaded) {
    // The scan gate, then the name: a failed gate leaves the image untagged.
    await gateUploadedImage(ctx, { digest: uploaded.digest }, { readBlob: uploaded.readBlob })
    if (inputs.untagged) return untaggedOutcome(ctx, base, uploaded, built)
    // What was uploaded is named by its digest; buildx's metadata still supplies the config digest for the proof.
    const readBlob = uploaded.readBlob
    naming = await commitTags(
      target,
      {
        kind: 'uploaded',
        ref: { digest: uploaded.digest },
        build: { ...built.metadata, imageDigest: uploaded.digest },
        platformsOf: (image) => servedPlatforms(ctx, registry, image, readBlob)
      },
      { tags: tags.all, ifTagExists: inputs.ifTagExists, base }
    )
  } else {
    naming = await uploadThroughEngine(
      ctx,
      { imageName, stagingTag, env, build: built.metadata },
      { target, base, platformsOf: (image) => servedPlatforms(ctx, registry, image) }
    )
  }
  if (naming.kind === 'reused') {
    return {
      ...base,
      result: 'reused',
      digest: naming.digest,
      platformDigests: {},
      metadata: built.metadataJson,
      buildSeconds: built.seconds,
      note: naming.note
    }
  }
  const { image } = naming
  return {
    ...base,
    result: 'pushed',
    digest: image.digest,
    platformDigests: naming.platformDigests,
    metadata: metadataForOutput(built.metadataJson, { digest: image.digest, mediaType: image.mediaType, size: Buffer.byteLength(image.manifest) }),
    buildSeconds: built.seconds
  }
}

/** The configs of the image every tag names, once they show it is this commit's build; refused otherwise, nothing written. */
async function reusableConfigs(ctx: RunContext, credentials: RegistryCredentials, image: StoredImage): Promise<RunnableConfig[]> {
  const registry = await ctx.openRegistry(credentials)
  const { configs, check } = await revisionCheckedConfigs(ctx.ecr, registry, ctx.inputs.repository, image, ctx.sha)
  if (!check.ok) throw new UserError(reuseRefusal(ctx.inputs.repository, ctx.tags.all, ctx.tags.shaTag, check.reason))
  return configs
}

/** An image in the repository by digest, untagged, and how to read its blobs (configs). */
export interface UploadedByDigest {
  readonly digest: string
  readonly readBlob: (digest: string) => Promise<Buffer>
}

/** The docker driver on the containerd store: buildx exported an OCI layout, uploaded untagged, by digest. */
async function uploadLayout(ctx: RunContext, store: Registry, layout: OciLayout): Promise<void> {
  const started = Date.now()
  const report = await ctx.runner.group(`upload ${ctx.inputs.repository}@${layout.top.digest}`, () => transferImage(store, ctx.inputs.repository, layout))
  ctx.runner.info(
    `Uploaded ${layout.top.digest} untagged in ${((Date.now() - started) / 1000).toFixed(1)} s: ${report.blobsSent} blobs sent (${report.bytesSent} bytes), ${report.blobsReused} already there, ${report.manifests} manifests by digest.`
  )
}

/**
 * `platform-digests` from what the registry serves: an index lists its platforms; a single image's config names
 * its own (read with ecr:GetDownloadUrlForLayer, before any tag is written when the image is new).
 */
async function servedPlatforms(
  ctx: RunContext,
  credentials: RegistryCredentials,
  image: StoredImage,
  readBlob?: (digest: string) => Promise<Buffer>
): Promise<Record<string, string>> {
  const manifest = parseManifest(image.manifest, image.mediaType)
  if (manifest.kind === 'index' || !manifest.config) return platformDigests({ digest: image.digest, manifest }, undefined)
  const config = readBlob
    ? await readBlob(manifest.config.digest)
    : await (await ctx.openRegistry(credentials)).readBlob(ctx.inputs.repository, manifest.config.digest)
  return platformDigests({ digest: image.digest, manifest }, configPlatformOf(config))
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

/** The builder, once every refusal that depends on it has passed: each comes before anything is created or built. */
async function checkedBuilder(ctx: RunContext, builder: { readonly value: () => Promise<BuilderInfo> }): Promise<BuilderInfo> {
  const info = await builder.value()
  assertBuilderFits(ctx, info)
  return info
}

function assertBuilderFits(ctx: RunContext, info: BuilderInfo): void {
  assertBuilderCan(info, { platforms: ctx.inputs.platforms.length, registryCache: ctx.inputs.cache === 'ecr' })
  if (ctx.inputs.untagged) assertUntaggedPath(chooseUploadPath(ctx.inputs.push, info))
}

/** The engine route opened ahead of the build: its result when the build needs it, and a close for every way out. */
interface EarlyRoute {
  /** undefined when the builder does not take the route (or was refused: that refusal is reported where the builder is awaited). */
  readonly result: () => Promise<EngineRouteResult | undefined>
  /** Waits for a set-up still under way, then stops the proxy; safe to call more than once. */
  readonly close: () => Promise<void>
}

/**
 * The docker driver on the containerd store pushes through the engine's own BuildKit when the action can reach
 * it. Started as soon as the builder inspection says so and the builder passes its refusals, so nothing is
 * set up for a builder that is refused; the route holds no credentials and writes only in the work folder.
 */
function startEngineRoute(ctx: RunContext, builder: { readonly value: () => Promise<BuilderInfo> }): EarlyRoute {
  const opening = builder.value().then(
    (info) => {
      if (!ctx.inputs.push || info.driver !== 'docker' || info.imageStore !== 'containerd') return undefined
      try {
        assertBuilderFits(ctx, info)
      } catch {
        return undefined
      }
      return openEngineRoute(ctx)
    },
    // The inspection's failure is the step's, reported where the builder is awaited.
    () => undefined
  )
  const result = deferred(opening)
  return {
    result: result.value,
    close: () => opening.then((routed) => (routed && 'route' in routed ? routed.route.close() : undefined)).catch(() => undefined)
  }
}

/** The builder's driver, and for the docker driver the engine's image store, which decides the upload path. */
async function inspectBuilder(ctx: RunContext): Promise<BuilderInfo> {
  const builderFlag = ctx.inputs.builder ? [`--builder=${ctx.inputs.builder}`] : []
  let driver = driverFromBuildxConfig(ctx.inputs.builder, ctx.env, readBuildxConfigFiles(ctx.env))
  if (!driver) {
    const result = await ctx.docker.run(['buildx', 'inspect', ...builderFlag], { quiet: true, env: ctx.env })
    if (result.exitCode !== 0) {
      throw new UserError(
        `docker buildx is not usable${ctx.inputs.builder ? ` with builder '${ctx.inputs.builder}'` : ''}: ${lastErrorLine(result.stderr || result.stdout)}. Install buildx (docker/setup-buildx-action) or fix the builder input.`
      )
    }
    driver = parseBuilderDriver(result.stdout)
  }
  // The store also decides whether the docker driver can read a registry cache, which push: false still imports.
  if (driver !== 'docker' || (!ctx.inputs.push && ctx.inputs.cache !== 'ecr')) return { driver, imageStore: undefined }
  const fromSocket = await imageStoreFromSocket(ctx)
  if (fromSocket) return { driver, imageStore: fromSocket }
  const info = await ctx.docker.run(['info', '--format', '{{json .DriverStatus}}'], { quiet: true, env: ctx.env })
  if (info.exitCode !== 0)
    throw new UserError(
      `docker info failed (exit ${info.exitCode}): ${lastErrorLine(info.stderr || info.stdout)}. The docker driver needs a running Docker engine.`
    )
  return { driver, imageStore: parseImageStore(info.stdout) }
}

/**
 * The image store asked on the engine's own socket (the one the engine route opens), which spares starting the
 * docker CLI; undefined where that socket is not there or does not answer, and the caller asks `docker info`.
 */
async function imageStoreFromSocket(ctx: RunContext): Promise<BuilderInfo['imageStore']> {
  const endpoint = resolveEngineEndpoint(ctx.inputs.builder, ctx.env, readDockerContextFiles(ctx.env))
  if (endpoint?.kind !== 'unix') return undefined
  try {
    return parseImageStore(await readEngineDriverStatus(endpoint.socketPath))
  } catch {
    return undefined
  }
}
