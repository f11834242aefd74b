import { UserError } from '../shared/errors.js'
import { parseBoolean, parseEnum, parseLines, parsePlatforms, parseRegion, type ReadInput } from '../shared/input-parsers.js'
import { NAMING_INPUT_DEFAULTS, parseNamingInputs, withDefaults, type NamingInputs } from '../publish/naming-inputs.js'

export type CacheMode = 'none' | 'ecr'
export type NetworkMode = 'default' | 'none' | 'host'

/** Every input, parsed and validated once. Names mirror action.yml in camelCase. */
export interface Inputs extends NamingInputs {
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
  readonly createRepository: boolean
  readonly push: boolean
  /** Upload one platform by digest and write no tag: the per-platform step of a matrix, named later by the merge action. */
  readonly untagged: boolean
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
  'create-repository': 'false',
  push: 'true',
  untagged: 'false',
  ...NAMING_INPUT_DEFAULTS
} as const

const KEY_VALUE_KEY_PATTERN = /^[^\s=]+$/

export function parseInputs(read: ReadInput, env: NodeJS.ProcessEnv): Inputs {
  const get = withDefaults(read, INPUT_DEFAULTS)
  const optional = (name: string): string | undefined => get(name) || undefined

  // The shared inputs first: a missing repository is the first thing a new user hears of.
  const naming = parseNamingInputs(read)
  const context = get('context')
  const inputs: Inputs = {
    ...naming,
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
    createRepository: parseBoolean('create-repository', get('create-repository')),
    push: parseBoolean('push', get('push')),
    untagged: parseBoolean('untagged', get('untagged')),
    // Last: a missing region is the runner's set-up, so mistakes in the inputs themselves are reported first.
    awsRegion: parseRegion(get('aws-region'), env)
  }
  assertUniqueIds("secrets' and 'secret-files", [...inputs.secrets, ...inputs.secretFiles])
  assertUntaggedFits(inputs)
  return inputs
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

function defaultDockerfile(context: string): string {
  if (isRemoteContext(context)) return ''
  return context === '/' ? '/Dockerfile' : `${context.replace(/\/+$/, '')}/Dockerfile`
}

/** Git URLs and tarball URLs are resolved by BuildKit, not from the runner's disk. */
export function isRemoteContext(context: string): boolean {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(context) || context.startsWith('git@')
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
