import { UserError } from './errors.js'

/** The parsers every action's inputs share: each names the input and the values it allows. */

export type ReadInput = (name: string) => string

// ECR's repository grammar (CreateRepository API reference).
const REPOSITORY_PATTERN = /^(?:[a-z0-9]+(?:[._-][a-z0-9]+)*\/)*[a-z0-9]+(?:[._-][a-z0-9]+)*$/
const REGISTRY_ID_PATTERN = /^[0-9]{12}$/
// The shape every partition's region names share (us-east-1, us-gov-west-1, cn-north-1, us-isob-east-1,
// eusc-de-east-1): a typo is caught, and a partition AWS adds later is not refused.
const REGION_PATTERN = /^[a-z]{2,}(?:-[a-z]+)+-[0-9]+$/
const PLATFORM_PATTERN = /^[a-z0-9]+\/[a-z0-9_]+(?:\/[a-z0-9]+)?$/
const TRUE_VALUES = new Set(['true', 'True', 'TRUE'])
const FALSE_VALUES = new Set(['false', 'False', 'FALSE'])

export function parseRepository(value: string): string {
  if (value === '') {
    throw new UserError("Input 'repository' is required: set it to the ECR repository name, e.g. team/api.")
  }
  if (value.includes('.amazonaws.com') || value.includes(':') || value.includes('@')) {
    throw new UserError(`Input 'repository' '${value}' must be the repository name only (e.g. team/api), not a URI, tag or digest.`)
  }
  if (value !== value.toLowerCase()) {
    throw new UserError(`Input 'repository' '${value}' must be lowercase: ECR repository names allow a-z, 0-9, '.', '_', '-' and '/'.`)
  }
  if (value.length < 2 || value.length > 256 || !REPOSITORY_PATTERN.test(value)) {
    throw new UserError(
      `Input 'repository' '${value}' is not a valid ECR repository name: 2-256 characters of a-z, 0-9, '.', '_', '-' and '/', each part starting and ending with a letter or digit.`
    )
  }
  return value
}

export function parseRegistryId(value: string): string | undefined {
  if (value === '') return undefined
  if (!REGISTRY_ID_PATTERN.test(value)) {
    throw new UserError(`Input 'registry-id' '${value}' is not an AWS account id: expected 12 digits.`)
  }
  return value
}

export function parseRegion(value: string, env: NodeJS.ProcessEnv): string {
  const region = value || env.AWS_REGION?.trim() || env.AWS_DEFAULT_REGION?.trim() || ''
  if (region === '') {
    throw new UserError("No AWS region: set the 'aws-region' input, or AWS_REGION (aws-actions/configure-aws-credentials sets it).")
  }
  if (!REGION_PATTERN.test(region)) {
    const source = value ? "Input 'aws-region'" : env.AWS_REGION?.trim() ? 'AWS_REGION' : 'AWS_DEFAULT_REGION'
    throw new UserError(`${source} '${region}' is not an AWS region name such as us-east-1 or eu-central-1.`)
  }
  return region
}

export function parseBoolean(name: string, value: string): boolean {
  if (TRUE_VALUES.has(value)) return true
  if (FALSE_VALUES.has(value)) return false
  throw new UserError(`Input '${name}' '${value}' is not a boolean: use true or false.`)
}

export function parseEnum<T extends string>(name: string, value: string, allowed: readonly T[], optionalValue: true): T | undefined
export function parseEnum<T extends string>(name: string, value: string, allowed: readonly T[]): T
export function parseEnum<T extends string>(name: string, value: string, allowed: readonly T[], optionalValue = false): T | undefined {
  if (optionalValue && value === '') return undefined
  if ((allowed as readonly string[]).includes(value)) return value as T
  throw new UserError(`Input '${name}' '${value}' is not allowed: use ${allowed.join(', ')}.`)
}

/** One entry per non-empty line; entries keep commas (cache specs and build args use them). */
export function parseLines(value: string): string[] {
  return value
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '')
}

/** Newline- or comma-separated, as docker/metadata-action reads tag lists. */
export function parseList(value: string): string[] {
  return value
    .split(/[\r\n,]/)
    .map((item) => item.trim())
    .filter((item) => item !== '')
}

export function parsePlatforms(value: string): string[] {
  const platforms = parseList(value)
  for (const platform of platforms) {
    if (!PLATFORM_PATTERN.test(platform)) {
      throw new UserError(`Input 'platforms' has '${platform}', which is not a platform such as linux/amd64 or linux/arm64/v8.`)
    }
  }
  return platforms
}
