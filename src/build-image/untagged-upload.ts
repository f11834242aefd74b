import type { UploadPath } from './builder-capabilities.js'
import { metadataForOutput, type Built } from './build.js'
import { UserError } from '../shared/errors.js'
import { configPlatformOf, parseManifest, platformDigests } from '../shared/image-graph.js'
import { LAG_BOUND_SECONDS, lagWait, readAfterWrite } from '../shared/read-after-write.js'
import type { Outcome, OutcomeBase } from '../publish/outcome.js'
import type { RunContext } from './run-context.js'

/**
 * untagged: true, the per-platform step of a matrix build: the image goes into the repository by
 * digest and no tag is written, so the merge action can later name one index of every platform
 * with the same rules as a push.
 */

/** Only the uploads by digest put an image in the repository without any tag, even for a moment. */
export function assertUntaggedPath(path: UploadPath): void {
  if (path === 'layout' || path === 'digest' || path === 'engine') return
  throw new UserError(
    "Input 'untagged' 'true' needs a BuildKit builder (docker/setup-buildx-action) or the docker engine's containerd image store: the classic store can only upload under a tag."
  )
}

/** After the upload (and the scan gate): the registry must serve the digest before it is reported. */
export async function untaggedOutcome(
  ctx: Pick<RunContext, 'ecr' | 'inputs' | 'runner' | 'sleep'>,
  base: OutcomeBase,
  uploaded: { readonly digest: string; readonly readBlob: (digest: string) => Promise<Buffer> },
  built: Built
): Promise<Outcome> {
  const digest = uploaded.digest
  const served = (
    await readAfterWrite(
      () => ctx.ecr.getImages(ctx.inputs.repository, [{ digest }]),
      (found) => found.byDigest.get(digest) !== undefined,
      lagWait(ctx, `${ctx.inputs.repository}@${digest}`)
    )
  ).byDigest.get(digest)
  if (!served) throw new UserError(`The registry did not serve ${digest} within ${LAG_BOUND_SECONDS} s after it was uploaded; re-run the job.`)
  const manifest = parseManifest(served.manifest, served.mediaType)
  const platform = manifest.kind === 'image' && manifest.config ? configPlatformOf(await uploaded.readBlob(manifest.config.digest)) : undefined
  const platforms = platformDigests({ digest, manifest }, platform)
  ctx.runner.info(`Left ${digest} untagged (untagged: true): give this step's digest output to the merge action, which writes the tags.`)
  return {
    ...base,
    tags: [],
    result: 'uploaded',
    digest,
    platformDigests: platforms,
    metadata: metadataForOutput(built.metadataJson, { digest, mediaType: served.mediaType, size: Buffer.byteLength(served.manifest) }),
    buildSeconds: built.seconds
  }
}
