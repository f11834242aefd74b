import type { StoredImage } from '../adapters/ecr.js'
import { UserError } from '../shared/errors.js'
import type { Outcome, OutcomeBase } from '../publish/outcome.js'
import type { RunContext } from './run-context.js'
import { revisionCheckedConfigs, storedPlatformDigests } from '../publish/stored-image.js'
import { passSigningGate, signableImages } from '../publish/signing-gate.js'
import type { AdditionPlan } from '../publish/tag-addition.js'
import { commitTags } from '../publish/commit-tags.js'
import type { Target } from '../publish/target.js'

type AddContext = Pick<RunContext, 'inputs' | 'sha' | 'tags' | 'ecr' | 'runner' | 'openRegistry' | 'sleep'>

/**
 * Writes the missing tags onto the image the SHA tag names, once its configs show it is this commit's
 * build. Nothing is built; the registry is untouched when the check fails.
 */
export async function addTagsToBuiltImage(
  ctx: AddContext,
  target: Target,
  base: OutcomeBase,
  image: StoredImage,
  plan: Extract<AdditionPlan, { kind: 'add' }>
): Promise<Extract<Outcome, { result: 'reused' }>> {
  const { repository } = ctx.inputs
  const registry = await ctx.openRegistry(target.registry)
  const { configs, check } = await revisionCheckedConfigs(ctx.ecr, registry, repository, image, ctx.sha)
  if (!check.ok) {
    throw new UserError(
      `Cannot add ${plan.missing.join(', ')} to ${repository}: ${ctx.tags.shaTag} names ${check.reason}. Nothing was written; build this commit under a new tag-prefix, or fix the SHA tag by hand.`
    )
  }
  ctx.runner.info(`${ctx.tags.shaTag} names ${image.digest}, built from ${ctx.sha}; adding ${plan.missing.join(', ')} without building (if-tag-exists: skip).`)
  // A release tag names what the SHA tag names: with the signing gate on, only once ECR reports it signed.
  await passSigningGate(ctx, repository, signableImages(image.digest, image.manifest, image.mediaType), ctx.inputs.signingGate)
  const committed = await commitTags(target, { kind: 'stored', digest: image.digest, justWritten: false }, { tags: ctx.tags.all, ifTagExists: 'skip' })
  return {
    ...base,
    result: 'reused',
    digest: image.digest,
    platformDigests: storedPlatformDigests(image, configs),
    metadata: '',
    buildSeconds: undefined,
    tagsAdded: committed.kind === 'written' ? committed.added : []
  }
}
