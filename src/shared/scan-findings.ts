// Scan gate decisions, pure (no I/O): ECR's DescribeImageScanFindings answers, basic and enhanced,
// normalised to one list; a severity threshold; the pass/fail decision; the one-line failure and
// the job summary's findings table; what to do for each scan status.
//
// Shapes: @aws-sdk/client-ecr ImageScanFindings (ECR API reference API_ImageScanFindings):
// basic `findings` (API_ImageScanFinding: name, uri, severity, attributes package_name /
// package_version) and enhanced `enhancedFindings` (API_EnhancedImageScanFinding:
// packageVulnerabilityDetails.vulnerabilityId, vulnerablePackages[{name, version,
// fixedInVersion}], severity, status, title). Statuses: API_ImageScanStatus.
import type { DescribeImageScanFindingsResponse, EnhancedImageScanFinding, ImageScanFinding } from '@aws-sdk/client-ecr'

/** Worst first. Basic scanning's FindingSeverity ends in UNDEFINED; Inspector also reports UNTRIAGED. */
export const SEVERITY_ORDER = ['CRITICAL', 'HIGH', 'MEDIUM', 'LOW', 'INFORMATIONAL', 'UNDEFINED', 'UNTRIAGED'] as const
export type Severity = (typeof SEVERITY_ORDER)[number]

/** The values the fail-on-severity input takes (besides off / empty). */
export const THRESHOLDS = ['critical', 'high', 'medium', 'low', 'informational'] as const

export interface Finding {
  readonly severity: Severity
  /** CVE (or other) id: basic `name`, enhanced `packageVulnerabilityDetails.vulnerabilityId`. */
  readonly id: string
  readonly packageName: string | undefined
  readonly packageVersion: string | undefined
  /** Enhanced scanning only: the version that fixes it. */
  readonly fixedIn: string | undefined
  readonly uri: string | undefined
}

/** Lower is worse; unknown severities rank with UNDEFINED. */
export function severityRank(severity: string | undefined): number {
  const index = SEVERITY_ORDER.indexOf((severity ?? '').toUpperCase() as Severity)
  return index === -1 ? SEVERITY_ORDER.indexOf('UNDEFINED') : index
}

function toSeverity(value: string | undefined): Severity {
  return SEVERITY_ORDER[severityRank(value)] ?? 'UNDEFINED'
}

function attribute(finding: ImageScanFinding, key: string): string | undefined {
  return finding.attributes?.find((a) => a.key === key)?.value
}

function fromBasic(finding: ImageScanFinding): Finding {
  return {
    severity: toSeverity(finding.severity),
    id: finding.name ?? '(unnamed)',
    packageName: attribute(finding, 'package_name'),
    packageVersion: attribute(finding, 'package_version'),
    fixedIn: undefined,
    uri: finding.uri
  }
}

function fromEnhanced(finding: EnhancedImageScanFinding): Finding[] {
  const details = finding.packageVulnerabilityDetails
  const id = details?.vulnerabilityId ?? finding.title ?? finding.findingArn ?? '(unnamed)'
  const uri = details?.sourceUrl ?? details?.referenceUrls?.[0] ?? finding.remediation?.recommendation?.url
  const packages = details?.vulnerablePackages?.length ? details.vulnerablePackages : [undefined]
  return packages.map((pkg) => ({
    severity: toSeverity(finding.severity),
    id,
    packageName: pkg?.name,
    packageVersion: pkg?.version,
    fixedIn: pkg?.fixedInVersion,
    uri
  }))
}

/** One list from the pages of one image's DescribeImageScanFindings (basic or enhanced), worst first. */
export function normaliseFindings(pages: readonly Pick<DescribeImageScanFindingsResponse, 'imageScanFindings'>[]): Finding[] {
  const findings: Finding[] = []
  for (const page of pages) {
    for (const finding of page.imageScanFindings?.findings ?? []) findings.push(fromBasic(finding))
    for (const finding of page.imageScanFindings?.enhancedFindings ?? []) {
      // Inspector keeps closed findings (status CLOSED / SUPPRESSED); only ACTIVE ones count.
      if (finding.status !== undefined && finding.status !== 'ACTIVE') continue
      findings.push(...fromEnhanced(finding))
    }
  }
  return sortFindings(findings)
}

export function sortFindings(findings: readonly Finding[]): Finding[] {
  return [...findings].sort((a, b) => severityRank(a.severity) - severityRank(b.severity) || a.id.localeCompare(b.id))
}

export type SeverityThreshold = Severity | undefined

/** fail-on-severity: critical|high|medium|low|informational, or off / empty (no gate). */
export function parseSeverityThreshold(input: string): SeverityThreshold {
  const value = input.trim().toLowerCase()
  if (value === '' || value === 'off') return undefined
  if ((THRESHOLDS as readonly string[]).includes(value)) return value.toUpperCase() as Severity
  throw new Error(`Input fail-on-severity must be one of ${THRESHOLDS.join(', ')} or off; got "${input.trim()}".`)
}

/**
 * Whether a finding blocks at the threshold. A severity nobody has rated yet (UNDEFINED, Inspector's
 * UNTRIAGED) ranks as INFORMATIONAL here, so `informational`, the strictest threshold, blocks on every
 * finding; the higher thresholds wait for a rating.
 */
export function atOrAbove(finding: Finding, threshold: Severity): boolean {
  const rank = Math.min(severityRank(finding.severity), severityRank('INFORMATIONAL'))
  return rank <= severityRank(threshold)
}

export interface ImageFindings {
  /** What the log calls the image, e.g. "linux/arm64 sha256:…" or the digest. */
  readonly image: string
  readonly findings: readonly Finding[]
}

export type GateDecision =
  | { readonly verdict: 'pass'; readonly counts: Readonly<Partial<Record<Severity, number>>> }
  | {
      readonly verdict: 'fail'
      /** Per severity, over every image, of the findings at or above the threshold. */
      readonly counts: Readonly<Partial<Record<Severity, number>>>
      /** At most 5 ids, worst first, without repeats. */
      readonly worst: readonly string[]
      readonly threshold: Severity
    }

export const WORST_IDS = 5

function countBySeverity(findings: readonly Finding[]): Partial<Record<Severity, number>> {
  const counts: Partial<Record<Severity, number>> = {}
  for (const finding of findings) counts[finding.severity] = (counts[finding.severity] ?? 0) + 1
  return counts
}

/** Pass unless some image has a finding at or above the threshold (no threshold: always pass). */
export function gateDecision(perImage: readonly ImageFindings[], threshold: SeverityThreshold): GateDecision {
  const all = sortFindings(perImage.flatMap((image) => image.findings))
  const blocking = threshold === undefined ? [] : all.filter((finding) => atOrAbove(finding, threshold))
  if (threshold === undefined || blocking.length === 0) return { verdict: 'pass', counts: countBySeverity(all) }
  const worst: string[] = []
  for (const finding of blocking) {
    if (worst.length >= WORST_IDS) break
    if (!worst.includes(finding.id)) worst.push(finding.id)
  }
  return { verdict: 'fail', counts: countBySeverity(blocking), worst, threshold }
}

export function formatCounts(counts: Readonly<Partial<Record<Severity, number>>>): string {
  const parts = SEVERITY_ORDER.filter((s) => (counts[s] ?? 0) > 0).map((s) => `${counts[s]} ${s}`)
  return parts.length > 0 ? parts.join(', ') : 'no findings'
}

/** The one-line failure: counts per severity and the worst ids. */
export function failureMessage(decision: Extract<GateDecision, { verdict: 'fail' }>): string {
  return (
    `The image scan found vulnerabilities at or above ${decision.threshold} (fail-on-severity): ` +
    `${formatCounts(decision.counts)}; worst: ${decision.worst.join(', ')}. No tag was written; the image stays untagged.`
  )
}

export const TABLE_ROWS = 50

function cell(text: string | undefined): string {
  return (text ?? '').replace(/\|/g, '\\|').replace(/\s+/g, ' ').trim()
}

/** Markdown table for the job summary (severity, id, package, fixed in), at most maxRows rows. */
export function findingsTable(findings: readonly Finding[], maxRows = TABLE_ROWS): string {
  if (findings.length === 0) return 'No findings.'
  const sorted = sortFindings(findings)
  const rows = sorted.slice(0, maxRows).map((f) => {
    const id = f.uri ? `[${cell(f.id)}](${f.uri.replace(/\)/g, '%29')})` : cell(f.id)
    const pkg = f.packageName ? `${cell(f.packageName)}${f.packageVersion ? ` ${cell(f.packageVersion)}` : ''}` : ''
    return `| ${f.severity} | ${id} | ${pkg} | ${cell(f.fixedIn)} |`
  })
  const more = sorted.length - rows.length
  return ['| Severity | Id | Package | Fixed in |', '| --- | --- | --- | --- |', ...rows, ...(more > 0 ? [`\nand ${more} more`] : [])].join('\n')
}

export type OnScanTimeout = 'fail' | 'continue'

export function parseOnScanTimeout(input: string): OnScanTimeout {
  const value = input.trim().toLowerCase()
  if (value === '' || value === 'fail') return 'fail'
  if (value === 'continue') return 'continue'
  throw new Error(`Input on-scan-timeout must be fail or continue; got "${input.trim()}".`)
}

export type ScanStep =
  | { readonly action: 'evaluate' }
  | { readonly action: 'wait' }
  | { readonly action: 'fail'; readonly message: string }
  | { readonly action: 'continue'; readonly message: string }

/**
 * What to do with one image's scan status (API_ImageScanStatus values). COMPLETE (basic) and
 * ACTIVE (enhanced: "The scan is complete and the findings are available") are evaluated;
 * IN_PROGRESS and PENDING wait until timedOut; everything else fails with a line naming it.
 */
export function scanStep(
  image: string,
  status: string | undefined,
  options: { readonly timedOut: boolean; readonly onTimeout: OnScanTimeout; readonly description?: string | undefined }
): ScanStep {
  const why = options.description ? ` (${options.description})` : ''
  switch (status) {
    case 'COMPLETE':
    case 'ACTIVE':
      return { action: 'evaluate' }
    case 'IN_PROGRESS':
    case 'PENDING':
    case undefined:
      if (!options.timedOut) return { action: 'wait' }
      return options.onTimeout === 'continue'
        ? { action: 'continue', message: `The scan of ${image} did not finish in time; continuing without its findings (on-scan-timeout: continue).` }
        : {
            action: 'fail',
            message: `The scan of ${image} did not finish in time (status ${status ?? 'unknown'}); no tag was written (on-scan-timeout: fail).`
          }
    case 'FAILED':
      return { action: 'fail', message: `The scan of ${image} failed${why}; no tag was written.` }
    case 'UNSUPPORTED_IMAGE':
      return { action: 'fail', message: `ECR cannot scan ${image}: its operating system or package manager is not supported${why}; no tag was written.` }
    default:
      return { action: 'fail', message: `The scan of ${image} ended with status ${status}${why}; no tag was written.` }
  }
}

/** StartImageScan answered UnsupportedImageTypeException: the gate cannot pass this image. */
export function unsupportedImageMessage(image: string, awsMessage: string): string {
  return `ECR cannot scan ${image}: ${awsMessage.replace(/\s+/g, ' ').trim()} No tag was written.`
}
