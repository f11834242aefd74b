// Image scanning and image archiving, as the fake ECR models them. Test infrastructure only.
//
// Shapes and statuses follow the installed @aws-sdk/client-ecr model (dist-types/models) and the
// ECR API reference pages named next to each behaviour:
// - API_StartImageScan: "Starts a basic image vulnerability scan. A basic image scan can only be
//   started once per 24 hours on an individual image. This limit includes if an image was scanned
//   on initial push." Errors: ImageArchivedException, ImageNotFoundException, LimitExceededException,
//   UnsupportedImageTypeException ("The image is of a type that cannot be scanned"), ValidationException.
// - API_DescribeImageScanFindings: ScanNotFoundException ("The specified image scan could not be
//   found. Ensure that image scanning is enabled on the repository and try again."); maxResults
//   1..1000, up to 100 results without it, nextToken while more remain.
// - API_ImageScanStatus: IN_PROGRESS | COMPLETE | FAILED | UNSUPPORTED_IMAGE | ACTIVE | PENDING |
//   SCAN_ELIGIBILITY_EXPIRED | FINDINGS_UNAVAILABLE | LIMIT_EXCEEDED | IMAGE_ARCHIVED.
// - API_ImageScanFindings / API_ImageScanFinding (basic: name, description, uri, severity,
//   attributes[{key,value}]) and API_EnhancedImageScanFinding / API_PackageVulnerabilityDetails /
//   API_VulnerablePackage (enhanced: packageVulnerabilityDetails.vulnerabilityId,
//   vulnerablePackages[{name, version, fixedInVersion, ...}], severity, status, title, ...).
// - API_ImageScanFindingsSummary (DescribeImages): imageScanCompletedAt,
//   vulnerabilitySourceUpdatedAt, findingSeverityCounts.
// - API_RegistryScanningConfiguration / API_RegistryScanningRule: BASIC supports SCAN_ON_PUSH,
//   ENHANCED supports SCAN_ON_PUSH and CONTINUOUS_SCAN; "If scan on push is not specified, then
//   the MANUAL scan frequency is set by default". PutRegistryScanningConfiguration: "When a
//   registry scanning configuration is not defined, by default the BASIC scan type is used."
// - User guide "Archiving an image": archived images cannot be pulled ("Requests to pull the
//   archived image will fail with a 404 error"), can still be described (status ARCHIVED), can be
//   restored "by manually selecting it to be restored or by re-pushing the image".
//   User guide "Scan images for software vulnerabilities": "Archived images cannot be scanned."
// - API_UpdateImageStorageClass: targetStorageClass STANDARD | ARCHIVE; response imageStatus
//   "Valid values are ACTIVE, ARCHIVED, and ACTIVATING".
import { wildcardMatches } from './ecr-wildcard.js'

export const SEVERITIES = ['CRITICAL', 'HIGH', 'MEDIUM', 'LOW', 'INFORMATIONAL', 'UNDEFINED'] as const
export type Severity = (typeof SEVERITIES)[number]

export type ScanType = 'BASIC' | 'ENHANCED'
export type ScanFrequency = 'SCAN_ON_PUSH' | 'CONTINUOUS_SCAN' | 'MANUAL'

export interface ScanningRule {
  scanFrequency: ScanFrequency
  repositoryFilters: Array<{ filter: string; filterType: 'WILDCARD' }>
}

export interface RegistryScanning {
  scanType: ScanType
  rules: ScanningRule[]
}

/** One finding a test scripts; rendered in the basic or the enhanced shape, per the scan type. */
export interface PlannedFinding {
  /** CVE id: basic `name`, enhanced `packageVulnerabilityDetails.vulnerabilityId`. */
  id: string
  severity: Severity
  packageName?: string
  packageVersion?: string
  fixedInVersion?: string
  uri?: string
  description?: string
  title?: string
  /** Enhanced only; ACTIVE by default. */
  status?: string
}

/** Final statuses a scripted scan can end in (API_ImageScanStatus values). */
export type PlannedScanStatus = 'COMPLETE' | 'FAILED' | 'ACTIVE' | 'UNSUPPORTED_IMAGE' | 'SCAN_ELIGIBILITY_EXPIRED' | 'FINDINGS_UNAVAILABLE' | 'LIMIT_EXCEEDED'

export interface ScanPlan {
  /** Time from the scan's start to its final status; Infinity: it never finishes. Default 50 ms. */
  delayMs?: number
  /** Default: COMPLETE for basic and enhanced scan-on-push, ACTIVE for enhanced continuous scanning. */
  status?: PlannedScanStatus
  /** imageScanStatus.description of the final status. */
  description?: string
  findings?: PlannedFinding[]
  /** StartImageScan answers UnsupportedImageTypeException for this image. */
  unsupportedType?: boolean
}

export type ScanMatcher = string | ((digest: string, repository: string) => boolean)

export interface ScanRecord {
  type: ScanType
  frequency: ScanFrequency
  startedAt: Date
  /** undefined: never finishes. */
  finishesAt: Date | undefined
  plan: ScanPlan
}

export type ImageStorageStatus = 'ACTIVE' | 'ARCHIVED' | 'ACTIVATING'

export interface ArchiveRecord {
  status: ImageStorageStatus
  lastArchivedAt?: Date
  lastActivatedAt?: Date
  /** ACTIVATING turns ACTIVE at this time. */
  activeAt?: Date
}

export const DEFAULT_SCAN_DELAY_MS = 50

// AWS_NATIVE basic scanning names its source this way in findings' uri; the value is only a label.
const VULNERABILITY_SOURCE_UPDATED_AT = new Date('2025-01-01T00:00:00Z')

export class ScanBook {
  readonly plans: Array<{ repository: string; matcher: ScanMatcher; plan: ScanPlan }> = []
  /** Keyed `<repo>@<digest>`. */
  readonly scans = new Map<string, ScanRecord>()

  planFor(repository: string, digest: string): ScanPlan {
    for (let i = this.plans.length - 1; i >= 0; i--) {
      const entry = this.plans[i]
      if (!entry || (entry.repository !== '*' && entry.repository !== repository)) continue
      const { matcher } = entry
      const hit = typeof matcher === 'function' ? matcher(digest, repository) : matcher === '*' || matcher === digest
      if (hit) return entry.plan
    }
    return {}
  }

  start(repository: string, digest: string, type: ScanType, frequency: ScanFrequency, now = new Date()): ScanRecord {
    const plan = this.planFor(repository, digest)
    const delay = plan.delayMs ?? DEFAULT_SCAN_DELAY_MS
    const record: ScanRecord = {
      type,
      frequency,
      startedAt: now,
      finishesAt: Number.isFinite(delay) ? new Date(now.getTime() + delay) : undefined,
      plan
    }
    this.scans.set(`${repository}@${digest}`, record)
    return record
  }
}

/** The rule of the registry configuration that applies to a repository, if any. */
export function matchingFrequency(config: RegistryScanning, repository: string): ScanFrequency | undefined {
  // API_RegistryScanningRule: a rule's WILDCARD repository filters select the repositories.
  for (const frequency of ['CONTINUOUS_SCAN', 'SCAN_ON_PUSH'] as const) {
    const hit = config.rules.some((rule) => rule.scanFrequency === frequency && rule.repositoryFilters.some((f) => wildcardMatches(f.filter, repository)))
    if (hit) return frequency
  }
  return undefined
}

/** The status a scan reports now (API_ImageScanStatus), with its description. */
export function currentStatus(scan: ScanRecord, now = new Date()): { status: string; description: string } {
  const done = scan.finishesAt !== undefined && now >= scan.finishesAt
  if (!done) {
    // Basic scans report IN_PROGRESS; enhanced (Amazon Inspector) scans report PENDING
    // ("PENDING: The scan is in progress, and the findings aren't available yet").
    return scan.type === 'BASIC' ? { status: 'IN_PROGRESS', description: 'The scan is in progress.' } : { status: 'PENDING', description: 'Scan is pending.' }
  }
  const status = scan.plan.status ?? (scan.type === 'ENHANCED' && scan.frequency === 'CONTINUOUS_SCAN' ? 'ACTIVE' : 'COMPLETE')
  return { status, description: scan.plan.description ?? defaultDescription(status, scan) }
}

function defaultDescription(status: string, scan: ScanRecord): string {
  switch (status) {
    case 'COMPLETE':
      return 'The scan was completed successfully.'
    case 'ACTIVE':
      // As seen from ECR with enhanced continuous scanning (alexjurkiewicz/ecr-scan-image#45).
      return scan.frequency === 'CONTINUOUS_SCAN' ? 'Continuous scan is selected for image.' : 'Scan on push is selected for image.'
    case 'FAILED':
      return 'The scan failed.'
    case 'UNSUPPORTED_IMAGE':
      return 'UnsupportedImageError: The operating system and/or package manager are not supported.'
    case 'SCAN_ELIGIBILITY_EXPIRED':
      return 'The image is no longer eligible for scanning.'
    case 'FINDINGS_UNAVAILABLE':
      return 'The findings are not available for the image.'
    case 'LIMIT_EXCEEDED':
      return 'The scan limit was exceeded.'
    default:
      return status
  }
}

/** Whether a finished status carries findings (COMPLETE for basic, ACTIVE/COMPLETE for enhanced). */
export function hasFindings(status: string): boolean {
  return status === 'COMPLETE' || status === 'ACTIVE'
}

export function severityCounts(findings: readonly PlannedFinding[]): Record<string, number> {
  const counts: Record<string, number> = {}
  for (const finding of findings) counts[finding.severity] = (counts[finding.severity] ?? 0) + 1
  return counts
}

export function completedAt(scan: ScanRecord): number {
  return (scan.finishesAt ?? scan.startedAt).getTime() / 1000
}

export function summary(scan: ScanRecord): Record<string, unknown> {
  return {
    imageScanCompletedAt: completedAt(scan),
    vulnerabilitySourceUpdatedAt: VULNERABILITY_SOURCE_UPDATED_AT.getTime() / 1000,
    findingSeverityCounts: severityCounts(scan.plan.findings ?? [])
  }
}

/** API_ImageScanFinding: basic scanning's shape (attributes as key/value pairs). */
export function basicFinding(finding: PlannedFinding): Record<string, unknown> {
  const attributes: Array<{ key: string; value: string }> = []
  if (finding.packageVersion !== undefined) attributes.push({ key: 'package_version', value: finding.packageVersion })
  if (finding.packageName !== undefined) attributes.push({ key: 'package_name', value: finding.packageName })
  return {
    name: finding.id,
    ...(finding.description !== undefined ? { description: finding.description } : {}),
    uri: finding.uri ?? `https://security-tracker.debian.org/tracker/${finding.id}`,
    severity: finding.severity,
    attributes
  }
}

/** API_EnhancedImageScanFinding: Amazon Inspector's shape. */
export function enhancedFinding(
  finding: PlannedFinding,
  context: { accountId: string; region: string; repository: string; digest: string; scan: ScanRecord; index: number }
): Record<string, unknown> {
  const observed = completedAt(context.scan)
  return {
    awsAccountId: context.accountId,
    ...(finding.description !== undefined ? { description: finding.description } : {}),
    findingArn: `arn:aws:inspector2:${context.region}:${context.accountId}:finding/${context.digest.slice(7, 39)}${String(context.index).padStart(4, '0')}`,
    firstObservedAt: observed,
    lastObservedAt: observed,
    packageVulnerabilityDetails: {
      vulnerabilityId: finding.id,
      source: 'NVD',
      ...(finding.uri !== undefined ? { sourceUrl: finding.uri, referenceUrls: [finding.uri] } : {}),
      vendorSeverity: finding.severity,
      vulnerablePackages: [
        {
          ...(finding.packageName !== undefined ? { name: finding.packageName } : {}),
          ...(finding.packageVersion !== undefined ? { version: finding.packageVersion } : {}),
          ...(finding.fixedInVersion !== undefined ? { fixedInVersion: finding.fixedInVersion } : {}),
          packageManager: 'OS'
        }
      ]
    },
    remediation: { recommendation: { text: finding.fixedInVersion ? `Upgrade to ${finding.fixedInVersion}` : 'None Provided' } },
    resources: [
      {
        id: `arn:aws:ecr:${context.region}:${context.accountId}:repository/${context.repository}/${context.digest}`,
        type: 'AWS_ECR_CONTAINER_IMAGE',
        details: { awsEcrContainerImage: { repositoryName: context.repository, imageHash: context.digest, registry: context.accountId } }
      }
    ],
    severity: finding.severity,
    status: finding.status ?? 'ACTIVE',
    title: finding.title ?? `${finding.id} - ${finding.packageName ?? 'package'}`,
    type: 'PACKAGE_VULNERABILITY',
    updatedAt: observed,
    fixAvailable: finding.fixedInVersion ? 'YES' : 'NO'
  }
}

/** The archive record's status now (ACTIVATING turns ACTIVE once its restore time has passed). */
export function storageStatus(record: ArchiveRecord | undefined, now = new Date()): ImageStorageStatus {
  if (!record) return 'ACTIVE'
  if (record.status === 'ACTIVATING' && record.activeAt && now >= record.activeAt) {
    record.status = 'ACTIVE'
    record.lastActivatedAt = record.activeAt
  }
  return record.status
}
