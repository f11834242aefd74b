import type { RegistryCredentials, StoredImage } from '../adapters/ecr.js'
import { UserError } from '../shared/errors.js'
import type { Outcome, OutcomeBase, RunContext } from './run-context.js'
import { revisionCheckedConfigs, storedPlatformDigests } from '../publish/stored-image.js'
import { passSigningGate, signableImages } from '../publish/signing-gate.js'
import type { AdditionPlan } from '../publish/tag-addition.js'
import { writeTagsOntoImage } from '../publish/tags-onto-image.js'

type AddContext = Pick<RunContext, 'inputs' | 'sha' | 'tags' | 'ecr' | 'runner' | 'openRegistry' | 'sleep'>

/**
 * Writes the missing tags onto the image the SHA tag names, once its configs show it is this commit's
 * build. Nothing is built; the registry is untouched when the check fails.
 */
export async function addTagsToBuiltImage(
  ctx: AddContext,
  base: OutcomeBase,
  credentials: RegistryCredentials,
  image: StoredImage,
  plan: Extract<AdditionPlan, { kind: 'add' }>,
  anyMutable: boolean
): Promise<Extract<Outcome, { result: 'reused' }>> {
  const { repository } = ctx.inputs
  const registry = await ctx.openRegistry(credentials)
  const { configs, check } = await revisionCheckedConfigs(ctx.ecr, registry, repository, image, ctx.sha)
  if (!check.ok) {
    throw new UserError(
      `Cannot add ${plan.missing.join(', ')} to ${repository}: ${ctx.tags.shaTag} names ${check.reason}. Nothing was written; build this commit under a new tag-prefix, or fix the SHA tag by hand.`
    )
  }
  ctx.runner.info(`${ctx.tags.shaTag} names ${image.digest}, built from ${ctx.sha}; adding ${plan.missing.join(', ')} without building (if-tag-exists: skip).`)
  // A release tag names what the SHA tag names: with the signing gate on, only once ECR reports it signed.
  await passSigningGate(ctx, repository, signableImages(image.digest, image.manifest, image.mediaType), ctx.inputs.signingGate)
  const written = await writeTagsOntoImage({
    ecr: ctx.ecr,
    registryHost: credentials.registryHost,
    repository,
    digest: image.digest,
    tags: ctx.tags.all,
    anyMutable,
    log: (message) => ctx.runner.info(message),
    ...(ctx.sleep ? { sleep: ctx.sleep } : {})
  })
  return {
    ...base,
    result: 'reused',
    digest: image.digest,
    platformDigests: storedPlatformDigests(image, configs),
    metadata: '',
    buildSeconds: undefined,
    tagsAdded: written.added
  }
}
