import type { Ecr, SigningRule, SigningStatus } from '../adapters/ecr.js'
import type { Runner } from '../adapters/runner.js'
import { UserError, oneLine } from '../shared/errors.js'
import { pollEach } from './gate-wait.js'
import { parseManifest, platformName, runnableEntries } from '../shared/image-graph.js'

/**
 * The signing gate, the scan gate's twin: with `require-signature: managed`, no tag is written until
 * ECR's managed signing reports every image of this run COMPLETE. AWS documents managed signing as
 * signing "images as they are pushed" under a registry signing configuration whose rules' repository
 * filters match (user guide "Managed signing"; API_SigningRule: "which repositories have their images
 * signed on push"), with no tag required, and DescribeImageSigningStatus takes an image digest; so the
 * images this action uploads by digest, untagged, are signed before it names them, and the gate waits
 * for the top manifest and each platform image manifest (each is pushed, so each is signed; BuildKit's
 * attestation manifests are not waited for, as the scan gate does not).
 */

const UNTAGGED = 'the image stays untagged'

export type SignatureRequirement = 'off' | 'managed'

export interface SigningGateOptions {
  readonly requirement: SignatureRequirement
  readonly timeoutSeconds: number
}

export const SIGNING_GATE_DEFAULTS = { 'require-signature': 'off', 'signature-timeout': '600' } as const

/** The gate's two inputs, shared by the build, merge and promote actions; errors name the input and what is allowed. */
export function parseSigningGateInputs(get: (name: keyof typeof SIGNING_GATE_DEFAULTS) => string): SigningGateOptions {
  const value = (name: keyof typeof SIGNING_GATE_DEFAULTS): string => get(name).trim() || SIGNING_GATE_DEFAULTS[name]
  const requirement = value('require-signature')
  if (requirement !== 'off' && requirement !== 'managed') {
    throw new UserError(`Input 'require-signature' '${requirement}' is not allowed: use off, or managed (ECR managed signing).`)
  }
  const timeout = value('signature-timeout')
  if (!/^[0-9]+$/.test(timeout) || Number(timeout) < 1 || Number(timeout) > 3600) {
    throw new UserError(`Input 'signature-timeout' '${timeout}' is not allowed: use a whole number of seconds from 1 to 3600.`)
  }
  return { requirement, timeoutSeconds: Number(timeout) }
}

/** ECR's WILDCARD_MATCH: `*` matches any run of characters, everything else itself. */
export function wildcardMatch(filter: string, repository: string): boolean {
  const pattern = filter
    .split('*')
    .map((part) => part.replace(/[.+?^${}()|[\]\\/]/g, '\\$&'))
    .join('.*')
  return new RegExp(`^${pattern}$`).test(repository)
}

/** The Signer profiles whose rules sign the repository's images (a rule without filters signs every repository). */
export function profilesFor(rules: readonly SigningRule[], repository: string): string[] {
  return rules
    .filter((rule) => rule.repositoryFilters.length === 0 || rule.repositoryFilters.some((filter) => wildcardMatch(filter, repository)))
    .map((rule) => rule.signingProfileArn)
}

/** Why a registry cannot sign the repository's images, or undefined when a rule covers it. */
export function signingConfigurationRefusal(rules: readonly SigningRule[] | undefined, repository: string): string | undefined {
  const fix = `or set require-signature: off. (aws ecr put-signing-configuration; README: Signing gate)`
  if (rules === undefined)
    return `require-signature: managed, but the registry has no signing configuration (ECR managed signing), so nothing pushed to ${repository} would be signed: create one with a rule for ${repository}, ${fix}`
  if (profilesFor(rules, repository).length === 0)
    return `require-signature: managed, but no rule of the registry's signing configuration covers ${repository} (its repository filters: ${rules.flatMap((rule) => rule.repositoryFilters).join(', ') || 'none'}): add a rule or a filter that matches it, ${fix}`
  return undefined
}

export type SigningStep =
  { readonly action: 'wait' } | { readonly action: 'signed'; readonly profiles: readonly string[] } | { readonly action: 'fail'; readonly message: string }

/**
 * One look at an image's statuses (one per signing profile): every one COMPLETE passes; any FAILED
 * refuses with ECR's reason; none yet, or IN_PROGRESS, waits until the deadline and then refuses.
 */
export function signingStep(label: string, statuses: readonly SigningStatus[], timedOut: boolean, timeoutSeconds: number): SigningStep {
  const failed = statuses.find((status) => status.status === 'FAILED')
  if (failed) {
    const reason = oneLine([failed.failureCode, failed.failureReason].filter(Boolean).join(': ') || 'no reason given')
    return {
      action: 'fail',
      message: `ECR managed signing FAILED for ${label}${failed.signingProfileArn ? ` (profile ${failed.signingProfileArn})` : ''}: ${reason}. No tag was written; ${UNTAGGED}. Fix the cause (the pusher needs signer:SignPayload on the profile) and re-run.`
    }
  }
  if (statuses.length > 0 && statuses.every((status) => status.status === 'COMPLETE'))
    return { action: 'signed', profiles: statuses.map((status) => status.signingProfileArn ?? '?') }
  if (!timedOut) return { action: 'wait' }
  const state = statuses.length === 0 ? 'ECR reported no signing of it' : `still ${statuses.map((status) => status.status ?? '?').join(', ')}`
  return {
    action: 'fail',
    message: `ECR managed signing did not complete for ${label} within ${timeoutSeconds} s (${state}). No tag was written; ${UNTAGGED}. Re-run, or raise signature-timeout.`
  }
}

export interface SignableImage {
  /** What the log calls it: "linux/arm64 sha256:…", or the digest alone. */
  readonly label: string
  readonly digest: string
}

/** The top manifest and, for an index, each platform image manifest (attestation manifests left out). */
export function signableImages(digest: string, manifest: string, mediaType: string): SignableImage[] {
  const parsed = parseManifest(manifest, mediaType)
  const children = parsed.kind === 'index' ? runnableEntries(parsed) : []
  return [
    { label: parsed.kind === 'index' ? `the index ${digest}` : digest, digest },
    ...children.map((entry) => ({ label: entry.platform ? `${platformName(entry.platform)} ${entry.digest}` : entry.digest, digest: entry.digest }))
  ]
}

export interface SigningGateDeps {
  readonly ecr: Pick<Ecr, 'signingRules' | 'signingStatuses'>
  readonly runner: Pick<Runner, 'info'>
  readonly sleep?: ((ms: number) => Promise<void>) | undefined
  readonly clock?: () => number
}

/**
 * Before the build: refuses when managed signing would not sign the repository's images. With
 * registry-id naming another account GetSigningConfiguration (which reads the caller's own registry)
 * cannot tell, so the gate alone decides, from that registry's signing statuses.
 */
export async function assertSigningConfigured(deps: SigningGateDeps, repository: string, options: SigningGateOptions, otherAccount: boolean): Promise<void> {
  if (options.requirement === 'off') return
  if (otherAccount) {
    deps.runner.info(
      `Signing gate: registry-id names another account, whose signing configuration this role cannot read; the gate waits for its signing statuses.`
    )
    return
  }
  const refusal = signingConfigurationRefusal(await deps.ecr.signingRules(), repository)
  if (refusal) throw new UserError(refusal)
}

/** Waits until ECR reports every image signed; throws one line on FAILED or at the timeout. No tag has been written when this runs. */
export async function passSigningGate(
  deps: SigningGateDeps,
  repository: string,
  images: readonly SignableImage[],
  options: SigningGateOptions,
  /** What becomes of a refused image, for the failure line (the classic store's upload removes it). */
  leftBehind = UNTAGGED
): Promise<void> {
  if (options.requirement === 'off' || images.length === 0) return
  deps.runner.info(`Signing gate (require-signature: managed): waiting up to ${options.timeoutSeconds} s for ECR to sign ${images.length} manifest(s).`)
  await pollEach(
    images,
    { timeoutSeconds: options.timeoutSeconds, sleep: deps.sleep, clock: deps.clock },
    async (image, timedOut) => {
      const step = signingStep(image.label, await deps.ecr.signingStatuses(repository, image.digest), timedOut, options.timeoutSeconds)
      if (step.action === 'fail') throw new UserError(step.message.replace(UNTAGGED, leftBehind))
      if (step.action === 'wait') return false
      deps.runner.info(`Signing gate: ${image.label} signed (${step.profiles.join(', ')}).`)
      return true
    },
    (waiting, elapsed) =>
      deps.runner.info(`Signing gate: waiting for ${waiting.map((image) => image.label).join(', ')} (${elapsed} s of ${options.timeoutSeconds} s).`)
  )
  deps.runner.info('Signing gate passed: ECR reports every manifest signed.')
}
