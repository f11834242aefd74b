// ECR operations of managed signing (GetSigningConfiguration, PutSigningConfiguration,
// DescribeImageSigningStatus) in the AWS JSON 1.1 shapes of the installed @aws-sdk/client-ecr; the
// model itself is ecr-signing.ts. Test infrastructure only.
import { checkImageId, optionalString, repositoryIn, resolve, type ApiContext, type Handler, type ImageId, type Input } from './ecr-api.js'
import { EcrApiError, ecrErrors } from './ecr-errors.js'
import type { SigningRule } from './ecr-signing.js'

function rulesOf(input: Input): SigningRule[] {
  const config = input['signingConfiguration'] as { rules?: unknown } | undefined
  if (!config || !Array.isArray(config.rules)) {
    throw ecrErrors.invalidParameter("Invalid parameter at 'signingConfiguration.rules' failed to satisfy constraint: 'Member must not be null'")
  }
  return config.rules.map((raw: unknown) => {
    const rule = (raw ?? {}) as { signingProfileArn?: unknown; repositoryFilters?: unknown }
    if (
      typeof rule.signingProfileArn !== 'string' ||
      !/^arn:aws(-[a-z]+)*:signer:[a-z0-9-]+:[0-9]{12}:\/signing-profiles\/[a-zA-Z0-9_]{2,}$/.test(rule.signingProfileArn)
    ) {
      throw ecrErrors.invalidParameter("Invalid parameter at 'signingProfileArn' failed to satisfy constraint")
    }
    const filters = Array.isArray(rule.repositoryFilters) ? (rule.repositoryFilters as Array<{ filter?: unknown; filterType?: unknown }>) : []
    return {
      signingProfileArn: rule.signingProfileArn,
      repositoryFilters: filters.map((filter) => {
        if (typeof filter.filter !== 'string' || filter.filterType !== 'WILDCARD_MATCH') {
          throw ecrErrors.invalidParameter("Invalid parameter at 'repositoryFilters' failed to satisfy constraint: 'filterType must be WILDCARD_MATCH'")
        }
        return { filter: filter.filter, filterType: 'WILDCARD_MATCH' as const }
      })
    }
  })
}

function imageIdOf(input: Input): ImageId {
  const raw = input['imageId']
  if (typeof raw !== 'object' || raw === null) {
    throw ecrErrors.invalidParameter("Invalid parameter at 'imageId' failed to satisfy constraint: 'Member must not be null'")
  }
  const id = raw as Record<string, unknown>
  return {
    ...(typeof id['imageDigest'] === 'string' ? { imageDigest: id['imageDigest'] } : {}),
    ...(typeof id['imageTag'] === 'string' ? { imageTag: id['imageTag'] } : {})
  }
}

export const SIGNING_OPERATIONS: Readonly<Record<string, Handler>> = {
  /** API_GetSigningConfiguration: the caller's registry; SigningConfigurationNotFoundException when there is none. */
  async GetSigningConfiguration(ctx: ApiContext) {
    const rules = ctx.state.signing.rules
    if (rules === undefined) {
      throw new EcrApiError(
        'SigningConfigurationNotFoundException',
        `The signing configuration for the registry with id '${ctx.state.accountId}' does not exist.`
      )
    }
    return { registryId: ctx.state.accountId, signingConfiguration: { rules } }
  },
  /** API_PutSigningConfiguration. */
  async PutSigningConfiguration(ctx: ApiContext, input: Input) {
    const rules = rulesOf(input)
    ctx.state.signing.rules = rules
    return { signingConfiguration: { rules } }
  },
  /** API_DescribeImageSigningStatus: a status per matching profile (none when no rule matched the image). */
  async DescribeImageSigningStatus(ctx: ApiContext, input: Input) {
    const { state, record } = repositoryIn(ctx, input)
    const id = imageIdOf(input)
    const stored = checkImageId(id) ? undefined : await resolve(state, record.name, id)
    if (!stored || stored === 'mismatch') throw ecrErrors.imageNotFound(id, record.name, state.accountId)
    return {
      repositoryName: record.name,
      imageId: { imageDigest: stored.digest, ...(id.imageTag !== undefined ? { imageTag: id.imageTag } : {}) },
      registryId: optionalString(input, 'registryId') ?? state.accountId,
      signingStatuses: state.signing.statuses(record.name, stored.digest)
    }
  }
}
