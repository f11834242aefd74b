import { UserError } from '../shared/errors.js'
import { parseBoolean, parsePlatforms, parseRegion, type ReadInput } from '../shared/input-parsers.js'
import { NAMING_INPUT_DEFAULTS, parseNamingInputs, withDefaults, type NamingInputs } from '../publish/naming-inputs.js'
import { parseDigestsInput, type Claim } from './merge-plan.js'

/** The inputs merge/action.yml declares (a test holds them against it). */
export const MERGE_INPUTS = [
  'repository',
  'registry-id',
  'aws-region',
  'digests',
  'require-same-run',
  'platforms',
  'sha',
  'tag-prefix',
  'sha-length',
  'extra-tags',
  'floating-tags',
  'if-tag-exists',
  'require-immutable-repository',
  'fail-on-severity',
  'scan-timeout',
  'on-scan-timeout',
  'require-signature',
  'signature-timeout'
] as const

/** Inputs only the merge action has, and their defaults as merge/action.yml declares them. */
export const MERGE_ONLY_DEFAULTS = { digests: '', 'require-same-run': 'true' } as const

/** The merge action's inputs, parsed and validated once: the naming inputs it shares with the build, and its own. */
export interface MergeInputs extends NamingInputs {
  readonly awsRegion: string
  readonly platforms: readonly string[]
  /** The digests given, or 'discover': find this commit's images of `platforms` in the repository. */
  readonly claims: readonly Claim[] | 'discover'
  /** Discovery takes only legs of this workflow run. */
  readonly requireSameRun: boolean
}

export function parseMergeInputs(read: ReadInput, env: NodeJS.ProcessEnv): MergeInputs {
  const get = withDefaults(read, { ...NAMING_INPUT_DEFAULTS, ...MERGE_ONLY_DEFAULTS })
  const naming = parseNamingInputs(read)
  const platforms = parsePlatforms(read('platforms'))
  // A missing region is the runner's set-up, so mistakes in the inputs themselves are reported first.
  const awsRegion = parseRegion(get('aws-region'), env)
  return {
    ...naming,
    awsRegion,
    platforms,
    claims: claimsToMerge(read('digests'), platforms),
    requireSameRun: parseBoolean('require-same-run', get('require-same-run'))
  }
}

/** The digests given, or with none, the platforms to find in the repository (discovery needs to know what it looks for). */
export function claimsToMerge(digests: string, platforms: readonly string[]): readonly Claim[] | 'discover' {
  if (digests.trim() !== '') return parseDigestsInput(digests)
  if (platforms.length === 0) {
    throw new UserError(
      "Input 'digests' is empty and 'platforms' is not set: give the per-platform steps' digest outputs, or the platforms to find in the repository, e.g. linux/amd64,linux/arm64."
    )
  }
  return 'discover'
}

/**
 * The workflow run whose legs discovery may take: this run's id under require-same-run (the default),
 * undefined when it is off or when digests are given (the user named the images).
 */
export function discoveryRunBinding(claims: readonly Claim[] | 'discover', requireSameRun: boolean, runId: string): string | undefined {
  if (claims !== 'discover' || !requireSameRun) return undefined
  if (runId === '') {
    throw new UserError(
      "Input 'require-same-run' 'true' takes only legs of this workflow run, and GITHUB_RUN_ID is not set (a run outside GitHub Actions): give the legs' digests, or set require-same-run: false."
    )
  }
  return runId
}
