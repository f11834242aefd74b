import { randomBytes } from 'node:crypto'
import { lastErrorLine, parsePushedDigest } from './docker-output.js'
import { UserError, errorMessage } from './errors.js'
import type { StoredImage } from './adapters/ecr.js'
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
  anyMutable: boolean,
  platformsOf: (image: StoredImage) => Promise<Readonly<Record<string, string>>>
): Promise<Naming> {
  // Without either digest nothing can be proven; do not upload anything.
  if (!build.imageDigest && !build.configDigest) {
    throw new UserError(
      'buildx built the image but reported neither containerimage.digest nor containerimage.config.digest in its metadata; nothing was pushed.'
    )
  }
  const reference = `${imageName}:${stagingTag}`
  const push = await ctx.runner.group(`docker push ${reference}`, () => ctx.docker.run(['push', reference], { env }))
  const untagLocally = ctx.docker.run(['image', 'rm', reference], { env, quiet: true })
  try {
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
        },
        platformsOf
      },
      anyMutable
    )
  } finally {
    await untagLocally
    if (push.exitCode === 0) await removeStagingTag(ctx, stagingTag)
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
