import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { buildxArgs, imageLabels, type BuildOutput } from './buildx-args.js'
import { lastErrorLine } from './docker-output.js'
import { UserError } from '../shared/errors.js'
import { readBuildMetadata, type BuildMetadata } from '../publish/image-proof.js'
import type { RunContext } from './run-context.js'

export interface Built {
  readonly metadata: BuildMetadata
  /** buildx's metadata file as it wrote it (the `metadata` output starts from it). */
  readonly metadataJson: string
  readonly seconds: number
}

export interface RegistryCacheRefs {
  readonly cacheFrom: string
  /** undefined: import only (push: false writes nothing to AWS). */
  readonly cacheTo: string | undefined
}

/** Runs `docker buildx build` once, with the private docker config's environment. */
export async function runBuild(
  ctx: Pick<RunContext, 'inputs' | 'sha' | 'sourceUrl' | 'runId' | 'now' | 'workDir' | 'runner' | 'docker'>,
  env: NodeJS.ProcessEnv,
  output: BuildOutput,
  cache: RegistryCacheRefs | undefined,
  /** A builder of the action's own instead of the `builder` input (the engine route). */
  builder: string | undefined = undefined
): Promise<Built> {
  const { inputs } = ctx
  const metadataFile = join(ctx.workDir, 'metadata.json')
  // Secret values reach BuildKit through the build process's environment only: nothing on disk to clean up.
  const secrets = inputs.secrets.map((secret, index) => ({ ...secret, envVar: `IMMUTABLE_ECR_BUILD_SECRET_${index}` }))
  const buildEnv = { ...env, ...Object.fromEntries(secrets.map(({ envVar, value }) => [envVar, value])) }
  const args = buildxArgs({
    builder: builder ?? inputs.builder,
    context: inputs.context,
    file: inputs.file,
    target: inputs.target,
    buildArgs: inputs.buildArgs,
    labels: imageLabels({ sha: ctx.sha, sourceUrl: ctx.sourceUrl, created: ctx.now(), runId: ctx.runId, userLabels: inputs.labels }),
    platforms: inputs.platforms,
    network: inputs.network,
    cacheFrom: cache ? [...inputs.cacheFrom, cache.cacheFrom] : inputs.cacheFrom,
    cacheTo: cache?.cacheTo ? [...inputs.cacheTo, cache.cacheTo] : inputs.cacheTo,
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
 * buildx's metadata with `containerimage.digest` (and its descriptor) set to what ECR serves, so that
 * `fromJSON(outputs.metadata)['containerimage.digest']`, as build-push-action users read it, equals
 * `digest` on every path: the docker driver reports the local image id there, not the pushed manifest.
 */
export function metadataForOutput(metadataJson: string, served: { readonly digest: string; readonly mediaType: string; readonly size: number }): string {
  let metadata: Record<string, unknown>
  try {
    metadata = JSON.parse(metadataJson) as Record<string, unknown>
  } catch {
    return metadataJson
  }
  const descriptor = metadata['containerimage.descriptor']
  return JSON.stringify({
    ...metadata,
    'containerimage.digest': served.digest,
    ...(descriptor && typeof descriptor === 'object'
      ? { 'containerimage.descriptor': { ...descriptor, mediaType: served.mediaType, digest: served.digest, size: served.size } }
      : {})
  })
}
