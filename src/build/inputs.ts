import { UserError } from '../shared/errors.js'
import { SCAN_GATE_DEFAULTS, parseScanGateInputs, type ScanGateOptions } from '../publish/scan-gate.js'
import { SIGNING_GATE_DEFAULTS, parseSigningGateInputs, type SigningGateOptions } from '../publish/signing-gate.js'
import { MIN_SHA_LENGTH } from '../publish/tags.js'
import { parseFloatingTags } from '../publish/floating-tags.js'
import type { IfTagExists } from '../shared/tag-policy.js'

export type CacheMode = 'none' | 'ecr'
export type NetworkMode = 'default' | 'none' | 'host'

/** Every input, parsed and validated once. Names mirror action.yml in camelCase. */
export interface Inputs {
  readonly repository: string
  readonly registryId: string | undefined
  readonly awsRegion: string
  readonly context: string
  readonly file: string
  readonly target: string | undefined
  readonly buildArgs: readonly string[]
  readonly labels: readonly string[]
  readonly platforms: readonly string[]
  readonly network: NetworkMode | undefined
  readonly cacheFrom: readonly string[]
  readonly cacheTo: readonly string[]
  readonly cache: CacheMode
  readonly noCache: boolean
  readonly pull: boolean
  readonly secrets: readonly BuildSecret[]
  readonly secretFiles: readonly BuildSecretFile[]
  readonly ssh: readonly string[]
  readonly buildContexts: readonly string[]
  readonly builder: string | undefined
  readonly provenance: string | undefined
  readonly sbom: string | undefined
  readonly sha: string
  readonly tagPrefix: string
  readonly shaLength: number
  readonly extraTags: readonly string[]
  /** Tags meant to move (`latest`): written last, never counted for if-tag-exists. */
  readonly floatingTags: readonly string[]
  readonly ifTagExists: IfTagExists
  readonly requireImmutableRepository: boolean
  readonly createRepository: boolean
  readonly push: boolean
  /** Upload one platform by digest and write no tag: the per-platform step of a matrix, named later by the merge action. */
  readonly untagged: boolean
  readonly scanGate: ScanGateOptions
  /** require-signature / signature-timeout: hold every tag until ECR managed signing reports the images signed. */
  readonly signingGate: SigningGateOptions
}

/** A build secret given by value (`secrets`): masked as soon as it is read, never written to disk. */
export interface BuildSecret {
  readonly id: string
  readonly value: string
}

/** A build secret read by BuildKit from a file on the runner (`secret-files`). */
export interface BuildSecretFile {
  readonly id: string
  readonly path: string
}

/**
 * Defaults for inputs the runner may hand over empty (a reusable workflow passing '' through, or a
 * run outside GitHub). They must equal action.yml's defaults; a unit test keeps them in step.
 */
export const INPUT_DEFAULTS = {
  context: '.',
  cache: 'none',
  'no-cache': 'false',
  pull: 'false',
  'sha-length': '40',
  'if-tag-exists': 'fail',
  'require-immutable-repository': 'false',
  'create-repository': 'false',
  push: 'true',
  untagged: 'false',
  ...SCAN_GATE_DEFAULTS,
  ...SIGNING_GATE_DEFAULTS
} as const

export type ReadInput = (name: string) => string

// ECR's repository grammar (CreateRepository API reference).
const REPOSITORY_PATTERN = /^(?:[a-z0-9]+(?:[._-][a-z0-9]+)*\/)*[a-z0-9]+(?:[._-][a-z0-9]+)*$/
const REGISTRY_ID_PATTERN = /^[0-9]{12}$/
// The shape every partition's region names share (us-east-1, us-gov-west-1, cn-north-1, us-isob-east-1,
// eusc-de-east-1): a typo is caught, and a partition AWS adds later is not refused.
const REGION_PATTERN = /^[a-z]{2,}(?:-[a-z]+)+-[0-9]+$/
const PLATFORM_PATTERN = /^[a-z0-9]+\/[a-z0-9_]+(?:\/[a-z0-9]+)?$/
const KEY_VALUE_KEY_PATTERN = /^[^\s=]+$/
const TRUE_VALUES = new Set(['true', 'True', 'TRUE'])
const FALSE_VALUES = new Set(['false', 'False', 'FALSE'])

export function parseInputs(read: ReadInput, env: NodeJS.ProcessEnv): Inputs {
  const get = (name: string): string => {
    const value = read(name).trim()
    return value === '' ? (INPUT_DEFAULTS[name as keyof typeof INPUT_DEFAULTS] ?? '') : value
  }
  const optional = (name: string): string | undefined => get(name) || undefined

  const context = get('context')
  const inputs: Inputs = {
    repository: parseRepository(get('repository')),
    registryId: parseRegistryId(get('registry-id')),
    context,
    file: get('file') || defaultDockerfile(context),
    target: optional('target'),
    buildArgs: parseKeyValueList('build-args', read('build-args')),
    labels: parseKeyValueList('labels', read('labels')),
    platforms: parsePlatforms(read('platforms')),
    network: parseEnum('network', get('network'), ['default', 'none', 'host'] as const, true),
    cacheFrom: parseLines(read('cache-from')),
    cacheTo: parseLines(read('cache-to')),
    cache: parseEnum('cache', get('cache'), ['none', 'ecr'] as const),
    noCache: parseBoolean('no-cache', get('no-cache')),
    pull: parseBoolean('pull', get('pull')),
    secrets: parseSecrets(read('secrets')),
    secretFiles: parseSecretFiles(read('secret-files')),
    ssh: parseLines(read('ssh')),
    buildContexts: parseKeyValueList('build-contexts', read('build-contexts')),
    builder: parseBuilder(get('builder')),
    provenance: optional('provenance'),
    sbom: optional('sbom'),
    sha: get('sha'),
    tagPrefix: get('tag-prefix'),
    shaLength: parseShaLength(get('sha-length')),
    extraTags: parseList(read('extra-tags')),
    floatingTags: parseFloatingTags(parseList(read('floating-tags'))),
    ifTagExists: parseEnum('if-tag-exists', get('if-tag-exists'), ['fail', 'skip'] as const),
    requireImmutableRepository: parseBoolean('require-immutable-repository', get('require-immutable-repository')),
    createRepository: parseBoolean('create-repository', get('create-repository')),
    push: parseBoolean('push', get('push')),
    untagged: parseBoolean('untagged', get('untagged')),
    scanGate: parseScanGateInputs(read),
    signingGate: parseSigningGateInputs(read),
    // Last: a missing region is the runner's set-up, so mistakes in the inputs themselves are reported first.
    awsRegion: parseRegion(get('aws-region'), env)
  }
  assertUniqueIds("secrets' and 'secret-files", [...inputs.secrets, ...inputs.secretFiles])
  assertUntaggedFits(inputs)
  return inputs
}

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

/**
 * A buildx builder name as `docker buildx create` allows it. It reaches every docker command as
 * `--builder=<name>`; refusing anything else also keeps a value like `-x` from ever looking like a flag.
 */
export function parseBuilder(value: string): string | undefined {
  if (value === '') return undefined
  if (!/^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$/.test(value)) {
    throw new UserError(
      `Input 'builder' '${value}' is not a buildx builder name: letters, digits, '.', '_' and '-', starting with a letter or digit (as \`docker buildx ls\` lists them), or empty for the current builder.`
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

function defaultDockerfile(context: string): string {
  if (isRemoteContext(context)) return ''
  return context === '/' ? '/Dockerfile' : `${context.replace(/\/+$/, '')}/Dockerfile`
}

/** Git URLs and tarball URLs are resolved by BuildKit, not from the runner's disk. */
export function isRemoteContext(context: string): boolean {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(context) || context.startsWith('git@')
}

function parseShaLength(value: string): number {
  const length = /^[0-9]+$/.test(value) ? Number(value) : NaN
  if (!Number.isInteger(length) || length < MIN_SHA_LENGTH || length > 64) {
    throw new UserError(`Input 'sha-length' '${value}' is not allowed: use a whole number from ${MIN_SHA_LENGTH} to 40 (64 for SHA-256 commits).`)
  }
  return length
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

function parsePlatforms(value: string): string[] {
  const platforms = parseList(value)
  for (const platform of platforms) {
    if (!PLATFORM_PATTERN.test(platform)) {
      throw new UserError(`Input 'platforms' has '${platform}', which is not a platform such as linux/amd64 or linux/arm64/v8.`)
    }
  }
  return platforms
}

function parseKeyValueList(name: string, value: string): string[] {
  const entries = parseLines(value)
  for (const entry of entries) {
    const separator = entry.indexOf('=')
    if (separator <= 0 || !KEY_VALUE_KEY_PATTERN.test(entry.slice(0, separator))) {
      throw new UserError(`Input '${name}' has '${entry}', which is not KEY=VALUE: put one KEY=VALUE per line.`)
    }
  }
  return entries
}

// BuildKit accepts any id; this keeps ids to names that read the same in a Dockerfile and in the log.
const SECRET_ID_PATTERN = /^[A-Za-z0-9_][A-Za-z0-9_.-]*$/

/**
 * `ID=VALUE` lines. The value is kept exactly as given, spaces included: a secret is not ours to trim.
 * Errors name the line, never its text: the text may be the secret itself.
 */
function parseSecrets(value: string): BuildSecret[] {
  const lines = value.split(/\r?\n/).filter((line) => line.trim() !== '')
  const secrets = lines.map((line, index) => {
    const secret = splitSecretLine(line.trimStart())
    if (!secret) {
      throw new UserError(
        `Input 'secrets' line ${index + 1} is not ID=VALUE with an id of letters, digits, '_', '.' and '-' (the line is not shown: it may hold the secret).`
      )
    }
    return { id: secret.id, value: secret.rest }
  })
  assertUniqueIds('secrets', secrets)
  return secrets
}

function parseSecretFiles(value: string): BuildSecretFile[] {
  const files = parseLines(value).map((line) => {
    const secret = splitSecretLine(line)
    if (!secret || secret.rest === '') {
      throw new UserError(`Input 'secret-files' has '${line}', which is not ID=PATH: put one id=path per line, e.g. npmrc=/home/runner/.npmrc.`)
    }
    return { id: secret.id, path: secret.rest }
  })
  assertUniqueIds('secret-files', files)
  return files
}

/** `id=rest` with a valid id, or undefined. */
function splitSecretLine(line: string): { readonly id: string; readonly rest: string } | undefined {
  const separator = line.indexOf('=')
  const id = line.slice(0, separator)
  return separator > 0 && SECRET_ID_PATTERN.test(id) ? { id, rest: line.slice(separator + 1) } : undefined
}

function assertUniqueIds(name: string, entries: readonly { readonly id: string }[]): void {
  const seen = new Set<string>()
  for (const { id } of entries) {
    if (seen.has(id)) throw new UserError(`Input '${name}' names the secret id '${id}' twice: give each secret its own id.`)
    seen.add(id)
  }
}

/** untagged uploads one platform for the merge action to name; nothing else fits that step. */
function assertUntaggedFits(inputs: Inputs): void {
  if (!inputs.untagged) return
  if (!inputs.push)
    throw new UserError("Input 'untagged' 'true' uploads the image, and 'push' is 'false': set push: true, or untagged: false for a build-only run.")
  if (inputs.platforms.length > 1) {
    throw new UserError(
      `Input 'untagged' 'true' builds one platform per step, and 'platforms' has ${inputs.platforms.length} (${inputs.platforms.join(', ')}): give one platform per matrix job, or set untagged: false.`
    )
  }
  if (inputs.floatingTags.length > 0) {
    throw new UserError(
      `Input 'floating-tags' '${inputs.floatingTags.join(', ')}' would name one platform's image, and 'untagged' 'true' writes no tag: give floating-tags to the merge action instead.`
    )
  }
  // With if-tag-exists: skip they would be added to the SHA tag's image (tag addition): a leg never writes a tag.
  if (inputs.extraTags.length > 0) {
    throw new UserError(
      `Input 'extra-tags' '${inputs.extraTags.join(', ')}' would name one platform's image, and 'untagged' 'true' writes no tag: give extra-tags to the merge action instead.`
    )
  }
}
