import { UserError } from '../shared/errors.js'
import { parseFloatingTags } from '../publish/floating-tags.js'
import { parseBoolean, parseEnum, parseList, parseRegion, parseRegistryId, parseRepository, type ReadInput } from '../shared/input-parsers.js'
import type { IfTagExists } from '../shared/tag-policy.js'
import { isValidTag } from '../publish/tags.js'
import { SIGNING_GATE_DEFAULTS, parseSigningGateInputs, type SigningGateOptions } from '../publish/signing-gate.js'

/** The promote action's inputs, parsed and validated once; names mirror promote/action.yml. */
export interface PromoteInputs {
  readonly sourceRepository: string
  readonly sourceRegistryId: string | undefined
  readonly sourceRegion: string
  readonly digest: string
  readonly repository: string
  readonly registryId: string | undefined
  readonly awsRegion: string
  readonly tags: readonly string[]
  readonly floatingTags: readonly string[]
  readonly ifTagExists: IfTagExists
  readonly createRepository: boolean
  /** require-signature / signature-timeout: no tag until ECR managed signing reports the copied images signed. */
  readonly signingGate: SigningGateOptions
}

/** Must equal promote/action.yml's defaults; a unit test keeps them in step. */
export const PROMOTE_INPUT_DEFAULTS = {
  'if-tag-exists': 'skip',
  'create-repository': 'false',
  ...SIGNING_GATE_DEFAULTS
} as const

const DIGEST_PATTERN = /^sha256:[0-9a-f]{64}$/

export function parsePromoteInputs(read: ReadInput, env: NodeJS.ProcessEnv): PromoteInputs {
  const get = (name: string): string => {
    const value = read(name).trim()
    return value === '' ? (PROMOTE_INPUT_DEFAULTS[name as keyof typeof PROMOTE_INPUT_DEFAULTS] ?? '') : value
  }
  const tags = parseList(read('tags'))
  for (const tag of tags) {
    if (!isValidTag(tag))
      throw new UserError(
        `Input 'tags' has an invalid tag '${tag}': a tag is 1 to 128 of letters, digits, '_', '.' and '-', and does not start with '.' or '-'.`
      )
  }
  if (tags.length === 0) throw new UserError("Input 'tags' is required: the immutable tags to give the promoted image, e.g. the SHA tag and v1.2.3.")
  const floatingTags = renamed('floating-tags', 'floating-tags', () => parseFloatingTags(parseList(read('floating-tags'))))
  const both = floatingTags.filter((tag) => tags.includes(tag))
  if (both.length)
    throw new UserError(
      `Input 'floating-tags' repeats ${both.join(', ')}, which ${both.length === 1 ? 'is' : 'are'} also in tags: a tag either moves or never changes; remove it from one of them.`
    )
  const digest = get('digest')
  if (!DIGEST_PATTERN.test(digest)) {
    throw new UserError(
      `Input 'digest' '${digest}' is not an image digest: expected sha256: and 64 lowercase hex digits (the digest output of the build step).`
    )
  }
  const awsRegion = parseRegion(get('aws-region'), env)
  return {
    sourceRepository: renamed('repository', 'source-repository', () => parseRepository(get('source-repository'))),
    sourceRegistryId: renamed('registry-id', 'source-registry-id', () => parseRegistryId(get('source-registry-id'))),
    sourceRegion: get('source-region') ? renamed('aws-region', 'source-region', () => parseRegion(get('source-region'), {})) : awsRegion,
    digest,
    repository: parseRepository(get('repository')),
    registryId: parseRegistryId(get('registry-id')),
    awsRegion,
    tags: [...new Set(tags)],
    floatingTags,
    ifTagExists: parseEnum('if-tag-exists', get('if-tag-exists'), ['fail', 'skip'] as const),
    createRepository: parseBoolean('create-repository', get('create-repository')),
    signingGate: parseSigningGateInputs(get)
  }
}

/** The shared parsers name the build action's input; the promote action names its own. */
function renamed<T>(from: string, to: string, parse: () => T): T {
  try {
    return parse()
  } catch (error) {
    if (error instanceof UserError) throw new UserError(error.message.replace(`Input '${from}'`, `Input '${to}'`))
    throw error
  }
}
