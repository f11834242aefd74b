import { UserError } from '../shared/errors.js'
import { parseBoolean, parseEnum, parseList, parseRegistryId, parseRepository, type ReadInput } from '../shared/input-parsers.js'
import type { IfTagExists } from '../shared/tag-policy.js'
import { parseFloatingTags } from './floating-tags.js'
import { SCAN_GATE_DEFAULTS, parseScanGateInputs, type ScanGateOptions } from './scan-gate.js'
import { SIGNING_GATE_DEFAULTS, parseSigningGateInputs, type SigningGateOptions } from './signing-gate.js'
import { MIN_SHA_LENGTH } from './tags.js'

/**
 * The inputs that say where an image is named and how, which the build and merge actions share with the
 * same names, defaults and messages: the repository, the commit's tags, and the gates before a tag.
 */
export interface NamingInputs {
  readonly repository: string
  readonly registryId: string | undefined
  readonly sha: string
  readonly tagPrefix: string
  readonly shaLength: number
  readonly extraTags: readonly string[]
  /** Tags meant to move (`latest`): written last, never counted for if-tag-exists. */
  readonly floatingTags: readonly string[]
  readonly ifTagExists: IfTagExists
  readonly requireImmutableRepository: boolean
  readonly scanGate: ScanGateOptions
  /** require-signature / signature-timeout: hold every tag until ECR managed signing reports the images signed. */
  readonly signingGate: SigningGateOptions
}

/** Defaults for naming inputs the runner may hand over empty; they equal both action.yml files' (tested). */
export const NAMING_INPUT_DEFAULTS = {
  'sha-length': '40',
  'if-tag-exists': 'fail',
  'require-immutable-repository': 'false',
  ...SCAN_GATE_DEFAULTS,
  ...SIGNING_GATE_DEFAULTS
} as const

/** The value, trimmed, or the default when the runner handed over an empty one. */
export function withDefaults(read: ReadInput, defaults: Readonly<Record<string, string>>): (name: string) => string {
  return (name) => {
    const value = read(name).trim()
    return value === '' ? (defaults[name] ?? '') : value
  }
}

export function parseNamingInputs(read: ReadInput): NamingInputs {
  const get = withDefaults(read, NAMING_INPUT_DEFAULTS)
  return {
    repository: parseRepository(get('repository')),
    registryId: parseRegistryId(get('registry-id')),
    sha: get('sha'),
    tagPrefix: get('tag-prefix'),
    shaLength: parseShaLength(get('sha-length')),
    extraTags: parseList(read('extra-tags')),
    floatingTags: parseFloatingTags(parseList(read('floating-tags'))),
    ifTagExists: parseEnum('if-tag-exists', get('if-tag-exists'), ['fail', 'skip'] as const),
    requireImmutableRepository: parseBoolean('require-immutable-repository', get('require-immutable-repository')),
    scanGate: parseScanGateInputs(read),
    signingGate: parseSigningGateInputs(read)
  }
}

function parseShaLength(value: string): number {
  const length = /^[0-9]+$/.test(value) ? Number(value) : NaN
  if (!Number.isInteger(length) || length < MIN_SHA_LENGTH || length > 64) {
    throw new UserError(`Input 'sha-length' '${value}' is not allowed: use a whole number from ${MIN_SHA_LENGTH} to 40 (64 for SHA-256 commits).`)
  }
  return length
}
