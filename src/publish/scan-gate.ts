import type { Ecr } from '../adapters/ecr.js'
import type { Runner } from '../adapters/runner.js'
import { UserError } from '../shared/errors.js'
import { pollEach } from './gate-wait.js'
import { passSigningGate, signableImages, type SigningGateDeps, type SigningGateOptions } from './signing-gate.js'
import { writeSummary } from './run-step.js'
import { configPlatformOf, runnableEntries, parseManifest, platformName, type Platform } from '../shared/image-graph.js'
import {
  failureMessage,
  findingsTable,
  formatCounts,
  gateDecision,
  parseOnScanTimeout,
  parseSeverityThreshold,
  scanStep,
  unsupportedImageMessage,
  type Finding,
  type ImageFindings,
  type OnScanTimeout,
  type SeverityThreshold
} from '../shared/scan-findings.js'

/**
 * The scan gate: after the untagged upload and before the first tag, wait for ECR's scan of every
 * platform image manifest and refuse to name the image when a finding reaches the threshold. ECR
 * scans image manifests only, so an index and BuildKit's attestation manifests are never waited for.
 */

export interface ScanGateOptions {
  /** undefined: the gate is off (fail-on-severity: off), nothing is asked of ECR. */
  readonly threshold: SeverityThreshold
  readonly timeoutSeconds: number
  readonly onTimeout: OnScanTimeout
}

export const SCAN_GATE_DEFAULTS = { 'fail-on-severity': 'off', 'scan-timeout': '600', 'on-scan-timeout': 'fail' } as const

/** The gate's three inputs, shared by the main and the merge action; errors name the input and what is allowed. */
export function parseScanGateInputs(get: (name: keyof typeof SCAN_GATE_DEFAULTS) => string): ScanGateOptions {
  const value = (name: keyof typeof SCAN_GATE_DEFAULTS): string => get(name).trim() || SCAN_GATE_DEFAULTS[name]
  let threshold: SeverityThreshold
  let onTimeout: OnScanTimeout
  try {
    threshold = parseSeverityThreshold(value('fail-on-severity'))
  } catch {
    throw new UserError(`Input 'fail-on-severity' '${value('fail-on-severity')}' is not allowed: use off, critical, high, medium, low or informational.`)
  }
  try {
    onTimeout = parseOnScanTimeout(value('on-scan-timeout'))
  } catch {
    throw new UserError(`Input 'on-scan-timeout' '${value('on-scan-timeout')}' is not allowed: use fail or continue.`)
  }
  const timeout = value('scan-timeout')
  if (!/^[0-9]+$/.test(timeout) || Number(timeout) < 1 || Number(timeout) > 3600) {
    throw new UserError(`Input 'scan-timeout' '${timeout}' is not allowed: use a whole number of seconds from 1 to 3600.`)
  }
  return { threshold, timeoutSeconds: Number(timeout), onTimeout }
}

export interface ScannableImage {
  /** What the log calls it: "linux/arm64 sha256:…", or the digest alone. */
  readonly label: string
  readonly digest: string
}

/**
 * The manifests ECR scans: a single image itself, or an index's platform entries (attestations and
 * `unknown/unknown` entries left out). The index itself is never scanned.
 */
export function scannableImages(digest: string, manifest: string, mediaType: string, platform?: Platform): ScannableImage[] {
  const parsed = parseManifest(manifest, mediaType)
  if (parsed.kind === 'image') return [{ label: platform ? `${platformName(platform)} ${digest}` : digest, digest }]
  return runnableEntries(parsed).map((entry) => ({
    label: entry.platform ? `${platformName(entry.platform)} ${entry.digest}` : entry.digest,
    digest: entry.digest
  }))
}

export { pollDelaySeconds } from './gate-wait.js'

export interface GateDeps {
  readonly ecr: Pick<Ecr, 'describeScanFindings' | 'startImageScan' | 'registryScanType'>
  readonly runner: Pick<Runner, 'info' | 'warning' | 'writeSummary'>
  readonly sleep?: ((ms: number) => Promise<void>) | undefined
  readonly clock?: () => number
}

const UNTAGGED = 'the image stays untagged'

type ImageState =
  { readonly kind: 'waiting'; readonly started: boolean } | { readonly kind: 'done'; readonly findings: readonly Finding[] } | { readonly kind: 'skipped' }

/**
 * Waits for every image's scan, then passes or throws a one-line UserError. No tag has been written
 * when this runs, so a failure leaves the image untagged for lifecycle rules. The findings table goes
 * to the job summary whether the gate passes or fails.
 */
export async function passScanGate(
  deps: GateDeps,
  repository: string,
  images: readonly ScannableImage[],
  options: ScanGateOptions,
  /** What becomes of a refused image, for the failure line (the classic store's upload removes it). */
  leftBehind = UNTAGGED
): Promise<void> {
  const { threshold } = options
  if (threshold === undefined || images.length === 0) return
  let scanType: Promise<'BASIC' | 'ENHANCED'> | undefined
  const states = new Map<string, ImageState>(images.map((image) => [image.digest, { kind: 'waiting', started: false }]))
  deps.runner.info(
    `Scan gate (fail-on-severity: ${threshold.toLowerCase()}): waiting up to ${options.timeoutSeconds} s for the scan of ${images.length} image manifest(s).`
  )

  const look = async (image: ScannableImage, timedOut: boolean): Promise<void> => {
    const state = states.get(image.digest) as ImageState
    const scan = await deps.ecr.describeScanFindings(repository, image.digest)
    if (!scan.found) {
      scanType ??= deps.ecr.registryScanType()
      const type = await scanType
      if (type === 'BASIC' && state.kind === 'waiting' && !state.started) {
        const start = await deps.ecr.startImageScan(repository, image.digest)
        if (start.outcome === 'unsupported') throw new UserError(unsupportedImageMessage(image.label, start.message))
        deps.runner.info(
          `Scan gate: started the basic scan of ${image.label} (scan-on-push is off for ${repository}; turn it on to skip this call: aws ecr put-image-scanning-configuration --repository-name ${repository} --image-scanning-configuration scanOnPush=true).`
        )
        states.set(image.digest, { kind: 'waiting', started: true })
        return
      }
      if (!timedOut) return
      const step = scanStep(image.label, undefined, { timedOut, onTimeout: options.onTimeout })
      const hint =
        type === 'ENHANCED'
          ? ` Amazon Inspector never picked it up: add a rule for ${repository} to the registry's enhanced scanning configuration (aws ecr put-registry-scanning-configuration).`
          : ''
      settleTimeout(deps, states, image, step, hint)
      return
    }
    const step = scanStep(image.label, scan.status, { timedOut, onTimeout: options.onTimeout, description: scan.description })
    if (step.action === 'evaluate') {
      states.set(image.digest, { kind: 'done', findings: scan.findings })
      deps.runner.info(`Scan gate: ${image.label} scanned (${scan.status}): ${formatCounts(countsOf(scan.findings))}.`)
    } else if (step.action !== 'wait') {
      settleTimeout(deps, states, image, step, '')
    }
  }
  await pollEach(
    images,
    { timeoutSeconds: options.timeoutSeconds, sleep: deps.sleep, clock: deps.clock },
    async (image, timedOut) => {
      await look(image, timedOut)
      return states.get(image.digest)?.kind !== 'waiting'
    },
    (waiting, elapsed) =>
      deps.runner.info(`Scan gate: waiting for ${waiting.map((image) => image.label).join(', ')} (${elapsed} s of ${options.timeoutSeconds} s).`)
  )

  const perImage: ImageFindings[] = images.flatMap((image) => {
    const state = states.get(image.digest)
    return state?.kind === 'done' ? [{ image: image.label, findings: state.findings }] : []
  })
  const decision = gateDecision(perImage, threshold)
  await summarise(deps, perImage, decision.verdict === 'pass' ? 'passed' : 'failed')
  if (decision.verdict === 'fail') throw new UserError(failureMessage(decision).replace(UNTAGGED, leftBehind))
  deps.runner.info(`Scan gate passed: nothing at or above ${threshold} (${formatCounts(decision.counts)}).`)
}

function settleTimeout(deps: GateDeps, states: Map<string, ImageState>, image: ScannableImage, step: ReturnType<typeof scanStep>, hint: string): void {
  if (step.action === 'fail') throw new UserError(`${step.message}${hint}`)
  if (step.action === 'continue') {
    deps.runner.warning(`${step.message}${hint}`)
    states.set(image.digest, { kind: 'skipped' })
  }
}

function countsOf(findings: readonly Finding[]): Partial<Record<Finding['severity'], number>> {
  const counts: Partial<Record<Finding['severity'], number>> = {}
  for (const finding of findings) counts[finding.severity] = (counts[finding.severity] ?? 0) + 1
  return counts
}

async function summarise(deps: GateDeps, perImage: readonly ImageFindings[], verdict: string): Promise<void> {
  const sections = perImage.map((image) => `#### ${image.image}\n\n${findingsTable(image.findings)}`)
  await writeSummary(deps.runner, `### Image scan: ${verdict}\n\n${sections.join('\n\n')}\n`, 'the findings to the job summary')
}

export interface UploadedGateContext {
  readonly inputs: { readonly repository: string; readonly scanGate: ScanGateOptions; readonly signingGate?: SigningGateOptions }
  readonly ecr: GateDeps['ecr'] & SigningGateDeps['ecr'] & Pick<Ecr, 'getImages'>
  readonly runner: GateDeps['runner']
  readonly sleep?: ((ms: number) => Promise<void>) | undefined
}

/**
 * The gates for an image just uploaded (by digest, or under the classic store's staging tag): reads
 * what the registry holds there, waits for the scan of each platform manifest in it, then for ECR's
 * managed signing of it (signing-gate.ts). Both off: no call.
 */
export async function gateUploadedImage(
  ctx: UploadedGateContext,
  ref: { readonly digest: string } | { readonly tag: string },
  options: {
    readonly leftBehind?: string
    /** Reads a blob of the upload (its config), so a one-platform image is named by its platform in the log and summary. */
    readonly readBlob?: (digest: string) => Promise<Buffer>
  } = {}
): Promise<void> {
  const signing = ctx.inputs.signingGate?.requirement === 'managed' ? ctx.inputs.signingGate : undefined
  if (ctx.inputs.scanGate.threshold === undefined && !signing) return
  const lookup = await ctx.ecr.getImages(ctx.inputs.repository, [ref])
  const image = 'tag' in ref ? lookup.byTag.get(ref.tag) : lookup.byDigest.get(ref.digest)
  if (!image) throw new UserError(`The registry does not serve ${'tag' in ref ? ref.tag : ref.digest} right after it was uploaded; re-run the job.`)
  if (ctx.inputs.scanGate.threshold !== undefined) {
    const platform = await singleImagePlatform(image.manifest, image.mediaType, options.readBlob)
    await passScanGate(
      ctx,
      ctx.inputs.repository,
      scannableImages(image.digest, image.manifest, image.mediaType, platform),
      ctx.inputs.scanGate,
      options.leftBehind
    )
  }
  if (signing) await passSigningGate(ctx, ctx.inputs.repository, signableImages(image.digest, image.manifest, image.mediaType), signing, options.leftBehind)
}

/** A single image's platform, from its config; none for an index (its entries name theirs) or when the config cannot be read. */
async function singleImagePlatform(
  manifest: string,
  mediaType: string,
  readBlob: ((digest: string) => Promise<Buffer>) | undefined
): Promise<Platform | undefined> {
  const parsed = parseManifest(manifest, mediaType)
  if (parsed.kind !== 'image' || !parsed.config || !readBlob) return undefined
  try {
    return configPlatformOf(await readBlob(parsed.config.digest))
  } catch {
    // Only a label: the gate itself does not depend on it.
    return undefined
  }
}
