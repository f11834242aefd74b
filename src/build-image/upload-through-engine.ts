import { randomBytes } from 'node:crypto'
import { lastErrorLine, parsePushedDigest } from './docker-output.js'
import { UserError, errorMessage } from '../shared/errors.js'
import type { StoredImage } from '../adapters/ecr.js'
import { enginePushLimitMs, networkLimits, SLOWEST_PUSH_BYTES_PER_SECOND } from '../shared/network-limits.js'
import type { BuildMetadata } from '../publish/image-proof.js'
import type { OutcomeBase } from '../publish/outcome.js'
import type { RunContext } from './run-context.js'
import { gateUploadedImage } from '../publish/scan-gate.js'
import { anotherWriter, commitTags, type Committed, type TagTarget } from '../publish/commit-tags.js'

/** Unique per run, so it can never collide with a real tag or another run's staging tag. */
export const STAGING_TAG_PREFIX = 'immutable-ecr-build-staging-'

export function newStagingTag(): string {
  return `${STAGING_TAG_PREFIX}${randomBytes(8).toString('hex')}`
}

/**
 * The docker driver on the classic image store: the image is in the engine and only the engine can
 * upload it, by pushing a local name. That name is a one-off staging tag, never a real tag: runs
 * sharing one engine (a self-hosted runner) would otherwise re-point each other's local name between
 * build and push, and the last existence check can then sit after the upload. That store holds single
 * manifests only (no attestation index), so the push PUTs one manifest, under the staging tag.
 */
export interface StagedImage {
  /** The repository's image name; the engine pushes it as `<imageName>:<stagingTag>`. */
  readonly imageName: string
  readonly stagingTag: string
  /** The build's environment: the private docker config that holds the ECR login. */
  readonly env: NodeJS.ProcessEnv
  /** What buildx reported, for the proof before the first tag. */
  readonly build: BuildMetadata
}

/** Where the pushed image is named, and how its platforms are read before the first tag. */
export interface Naming {
  readonly target: TagTarget
  readonly base: OutcomeBase
  readonly platformsOf: (image: StoredImage) => Promise<Readonly<Record<string, string>>>
}

export async function uploadThroughEngine(ctx: RunContext, staged: StagedImage, naming: Naming): Promise<Committed> {
  const { imageName, stagingTag, env, build } = staged
  const { target, base, platformsOf } = naming
  // Without either digest nothing can be proven; do not upload anything.
  if (!build.imageDigest && !build.configDigest) {
    throw new UserError(
      'buildx built the image but reported neither containerimage.digest nor containerimage.config.digest in its metadata; nothing was pushed.'
    )
  }
  const reference = `${imageName}:${stagingTag}`
  const timeoutMs = enginePushLimitMs(await localImageSize(ctx, env, reference), networkLimits(ctx.env))
  const push = await ctx.runner.group(`docker push ${reference}`, () => ctx.docker.run(['push', reference], { env, timeoutMs }))
  const untagLocally = ctx.docker.run(['image', 'rm', reference], { env, quiet: true })
  let removalTried = false
  try {
    if (push.timedOut) {
      throw new UserError(
        `docker push ${reference} did not finish within ${Math.round(timeoutMs / 1000)} s (the engine's push has no idle timeout; the limit allows its size at ${SLOWEST_PUSH_BYTES_PER_SECOND / 1024} KiB/s), so it was stopped. No tag was written: check the network between the runner and ECR, then re-run the job.`
      )
    }
    if (push.exitCode !== 0) {
      throw new UserError(
        `docker push failed (exit ${push.exitCode}): ${lastErrorLine(push.stderr.trim() ? push.stderr : push.stdout)}. No tag was written: the tags are written only after the whole image is in the registry; re-run the job.`
      )
    }
    const reported = parsePushedDigest(push.stdout)
    if (ctx.inputs.scanGate.threshold !== undefined) {
      ctx.runner.info(
        `Scan gate: until it passes, the image sits under the one-off staging tag ${stagingTag}; if this job is cancelled meanwhile, remove it with ${removalCommand(ctx, stagingTag)}.`
      )
    }
    try {
      await gateUploadedImage(ctx, { tag: stagingTag }, { leftBehind: WAITING_UNDER_STAGING_TAG })
    } catch (error) {
      removalTried = true
      const fate = await stagingFate(ctx, stagingTag)
      // A bug keeps its stack (failStep logs it); a gate's own line gets what became of the image.
      throw error instanceof UserError ? new UserError(withStagingFate(error.message, fate)) : error
    }
    return await commitTags(
      target,
      {
        kind: 'uploaded',
        ref: { tag: stagingTag },
        build,
        check: (image) => {
          if (reported && reported !== image.digest) throw anotherWriter(stagingTag, `the registry serves ${image.digest}, docker push reported ${reported}`)
        },
        platformsOf
      },
      { tags: ctx.tags.all, ifTagExists: ctx.inputs.ifTagExists, base }
    )
  } finally {
    await untagLocally
    // A push stopped part-way may have written its manifest under the staging tag just before.
    if ((push.exitCode === 0 || push.timedOut) && !removalTried) await removeStagingTag(ctx, stagingTag)
  }
}

/** What the gate's failure line says of the refused image until its staging tag's fate is known. */
const WAITING_UNDER_STAGING_TAG = 'the image waits under its one-off staging tag'

/** The aws CLI line that removes a staging tag (and with it the image, when it has no other tag). */
function removalCommand(ctx: Pick<RunContext, 'inputs'>, stagingTag: string): string {
  const registry = ctx.inputs.registryId ? ` --registry-id ${ctx.inputs.registryId}` : ''
  return `\`aws ecr batch-delete-image${registry} --repository-name ${ctx.inputs.repository} --image-ids imageTag=${stagingTag}\``
}

/** Removes the staging tag of an image the gate refused, and says where that image is now. */
async function stagingFate(ctx: RunContext, stagingTag: string): Promise<string> {
  try {
    await ctx.ecr.deleteTag(ctx.inputs.repository, stagingTag)
    return `the refused image was removed with its one-off staging tag ${stagingTag} (ECR deletes an image with its last tag)`
  } catch (error) {
    return `the refused image still sits under the staging tag ${stagingTag}, whose removal failed (${errorMessage(error).replace(/\.$/, '')}): remove it with ${removalCommand(ctx, stagingTag)}`
  }
}

/** The gate's line with what really became of the image (a gate that failed otherwise gets it appended). */
export function withStagingFate(message: string, fate: string): string {
  if (message.includes(WAITING_UNDER_STAGING_TAG)) return message.replace(WAITING_UNDER_STAGING_TAG, fate)
  if (message.endsWith(' No tag was written.')) return `${message.slice(0, -1)}; ${fate}.`
  return `${message.replace(/\.?$/, '.')} No tag was written; ${fate}.`
}

/** The local image's size in bytes (docker image inspect), or undefined when the engine does not say. */
async function localImageSize(ctx: RunContext, env: NodeJS.ProcessEnv, reference: string): Promise<number | undefined> {
  const inspected = await ctx.docker.run(['image', 'inspect', '--format', '{{.Size}}', reference], { env, quiet: true })
  const size = Number(inspected.stdout.trim())
  return inspected.exitCode === 0 && Number.isSafeInteger(size) && size >= 0 ? size : undefined
}

async function removeStagingTag(ctx: RunContext, stagingTag: string): Promise<void> {
  try {
    await ctx.ecr.deleteTag(ctx.inputs.repository, stagingTag)
  } catch (error) {
    ctx.runner.warning(
      `Could not remove the staging tag ${stagingTag} from ${ctx.inputs.repository} (${errorMessage(error)}); grant ecr:BatchDeleteImage or remove it with ${removalCommand(ctx, stagingTag)}. It never names a deployable image.`
    )
  }
}
