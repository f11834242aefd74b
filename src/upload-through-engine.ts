import { randomBytes } from 'node:crypto'
import { lastErrorLine, parsePushedDigest } from './docker-output.js'
import { UserError, errorMessage } from './errors.js'
import { enginePushLimitMs, networkLimits, SLOWEST_PUSH_BYTES_PER_SECOND } from './network-limits.js'
import type { BuildMetadata } from './image-proof.js'
import type { OutcomeBase, RunContext } from './run-context.js'
import { REMOVED_WITH_STAGING_TAG, gateUploadedImage } from './scan-gate.js'
import { anotherWriter, nameUploadedImage, type Naming } from './tag-writer.js'

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
export async function uploadThroughEngine(
  ctx: RunContext,
  env: NodeJS.ProcessEnv,
  base: OutcomeBase,
  build: BuildMetadata,
  imageName: string,
  stagingTag: string,
  anyMutable: boolean
): Promise<Naming> {
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
    await gateUploadedImage(ctx, { tag: stagingTag }, { leftBehind: REMOVED_WITH_STAGING_TAG })
    return await nameUploadedImage(
      ctx,
      base,
      build,
      {
        ref: { tag: stagingTag },
        check: (image) => {
          if (reported && reported !== image.digest) throw anotherWriter(stagingTag, `the registry serves ${image.digest}, docker push reported ${reported}`)
        }
      },
      anyMutable
    )
  } finally {
    await untagLocally
    // A push stopped part-way may have written its manifest under the staging tag just before.
    if (push.exitCode === 0 || push.timedOut) await removeStagingTag(ctx, stagingTag)
  }
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
      `Could not remove the staging tag ${stagingTag} from ${ctx.inputs.repository} (${errorMessage(error)}); grant ecr:BatchDeleteImage or delete it by hand. It never names a deployable image.`
    )
  }
}
