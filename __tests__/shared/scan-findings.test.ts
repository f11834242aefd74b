import { describe, expect, it } from '@jest/globals'
import type { EnhancedImageScanFinding, ImageScanFinding } from '@aws-sdk/client-ecr'
import {
  failureMessage,
  findingsTable,
  formatCounts,
  gateDecision,
  normaliseFindings,
  parseOnScanTimeout,
  parseSeverityThreshold,
  scanStep,
  severityRank,
  unsupportedImageMessage,
  type Finding,
  type Severity
} from '../../src/shared/scan-findings.js'

const f = (id: string, severity: Severity, extra: Partial<Finding> = {}): Finding => ({
  id,
  severity,
  packageName: undefined,
  packageVersion: undefined,
  fixedIn: undefined,
  uri: undefined,
  ...extra
})

const basic = (name: string, severity: ImageScanFinding['severity'], pkg?: string, version?: string): ImageScanFinding => ({
  name,
  severity,
  uri: `https://example.test/${name}`,
  attributes: [
    ...(version ? [{ key: 'package_version', value: version }] : []),
    ...(pkg ? [{ key: 'package_name', value: pkg }] : []),
    { key: 'CVSS2_SCORE', value: '5' }
  ]
})

const enhanced = (
  id: string,
  severity: string,
  packages: Array<{ name?: string; version?: string; fixedInVersion?: string }>,
  status = 'ACTIVE'
): EnhancedImageScanFinding => ({
  severity,
  status,
  title: `${id} title`,
  packageVulnerabilityDetails: { vulnerabilityId: id, sourceUrl: `https://nvd.test/${id}`, vulnerablePackages: packages }
})

describe('severityRank', () => {
  it.each([
    ['CRITICAL', 0],
    ['HIGH', 1],
    ['MEDIUM', 2],
    ['LOW', 3],
    ['INFORMATIONAL', 4],
    ['UNDEFINED', 5],
    ['UNTRIAGED', 6],
    ['high', 1],
    ['SOMETHING_NEW', 5],
    [undefined, 5]
  ])('%s ranks %i', (severity, rank) => {
    expect(severityRank(severity)).toBe(rank)
  })
})

describe('normaliseFindings', () => {
  it('basic findings: name, severity, package attributes, uri; worst first', () => {
    const list = normaliseFindings([
      { imageScanFindings: { findings: [basic('CVE-2', 'LOW', 'tar', '1.3'), basic('CVE-1', 'CRITICAL', 'openssl', '3.0')] } },
      { imageScanFindings: { findings: [basic('CVE-3', 'UNDEFINED')] } }
    ])
    expect(list).toEqual([
      { id: 'CVE-1', severity: 'CRITICAL', packageName: 'openssl', packageVersion: '3.0', fixedIn: undefined, uri: 'https://example.test/CVE-1' },
      { id: 'CVE-2', severity: 'LOW', packageName: 'tar', packageVersion: '1.3', fixedIn: undefined, uri: 'https://example.test/CVE-2' },
      { id: 'CVE-3', severity: 'UNDEFINED', packageName: undefined, packageVersion: undefined, fixedIn: undefined, uri: 'https://example.test/CVE-3' }
    ])
  })

  it('enhanced findings: one row per vulnerable package, fixedInVersion, closed findings left out', () => {
    const list = normaliseFindings([
      {
        imageScanFindings: {
          enhancedFindings: [
            enhanced('CVE-9', 'HIGH', [
              { name: 'zlib', version: '1.2', fixedInVersion: '1.3' },
              { name: 'zlib-dev', version: '1.2' }
            ]),
            enhanced('CVE-8', 'CRITICAL', [], 'CLOSED'),
            enhanced('CVE-7', 'UNTRIAGED', [])
          ]
        }
      }
    ])
    expect(list).toEqual([
      { id: 'CVE-9', severity: 'HIGH', packageName: 'zlib', packageVersion: '1.2', fixedIn: '1.3', uri: 'https://nvd.test/CVE-9' },
      { id: 'CVE-9', severity: 'HIGH', packageName: 'zlib-dev', packageVersion: '1.2', fixedIn: undefined, uri: 'https://nvd.test/CVE-9' },
      { id: 'CVE-7', severity: 'UNTRIAGED', packageName: undefined, packageVersion: undefined, fixedIn: undefined, uri: 'https://nvd.test/CVE-7' }
    ])
  })

  it('an enhanced finding without details falls back to its title; empty pages give no findings', () => {
    expect(normaliseFindings([{ imageScanFindings: { enhancedFindings: [{ severity: 'LOW', title: 'Some issue' }] } }])[0]?.id).toBe('Some issue')
    expect(normaliseFindings([{}, { imageScanFindings: {} }])).toEqual([])
  })
})

describe('parseSeverityThreshold', () => {
  it.each([
    ['critical', 'CRITICAL'],
    ['HIGH', 'HIGH'],
    [' medium ', 'MEDIUM'],
    ['low', 'LOW'],
    ['informational', 'INFORMATIONAL'],
    ['off', undefined],
    ['OFF', undefined],
    ['', undefined]
  ])('%j → %s', (input, expected) => {
    expect(parseSeverityThreshold(input)).toBe(expected)
  })

  it.each(['severe', 'undefined', 'crit'])('%j is refused with one line naming the input and the values', (input) => {
    expect(() => parseSeverityThreshold(input)).toThrow(
      `Input fail-on-severity must be one of critical, high, medium, low, informational or off; got "${input}".`
    )
  })
})

describe('gateDecision', () => {
  const images = [
    { image: 'linux/amd64', findings: [f('CVE-1', 'CRITICAL'), f('CVE-2', 'HIGH'), f('CVE-5', 'LOW')] },
    { image: 'linux/arm64', findings: [f('CVE-1', 'CRITICAL'), f('CVE-3', 'MEDIUM'), f('CVE-4', 'INFORMATIONAL')] }
  ]
  it.each<[string, Severity | undefined, string, Record<string, number>, string[]]>([
    ['no threshold', undefined, 'pass', { CRITICAL: 2, HIGH: 1, MEDIUM: 1, LOW: 1, INFORMATIONAL: 1 }, []],
    ['critical', 'CRITICAL', 'fail', { CRITICAL: 2 }, ['CVE-1']],
    ['high', 'HIGH', 'fail', { CRITICAL: 2, HIGH: 1 }, ['CVE-1', 'CVE-2']],
    ['medium', 'MEDIUM', 'fail', { CRITICAL: 2, HIGH: 1, MEDIUM: 1 }, ['CVE-1', 'CVE-2', 'CVE-3']],
    ['informational', 'INFORMATIONAL', 'fail', { CRITICAL: 2, HIGH: 1, MEDIUM: 1, LOW: 1, INFORMATIONAL: 1 }, ['CVE-1', 'CVE-2', 'CVE-3', 'CVE-5', 'CVE-4']]
  ])('%s', (_name, threshold, verdict, counts, worst) => {
    const decision = gateDecision(images, threshold)
    expect(decision.verdict).toBe(verdict)
    expect(decision.counts).toEqual(counts)
    if (decision.verdict === 'fail') expect(decision.worst).toEqual(worst)
  })

  // Unrated severities block at the strictest threshold only (README: Scan gate).
  it.each<[Severity, Severity, 'pass' | 'fail']>([
    ['UNDEFINED', 'INFORMATIONAL', 'fail'],
    ['UNTRIAGED', 'INFORMATIONAL', 'fail'],
    ['UNDEFINED', 'LOW', 'pass'],
    ['UNTRIAGED', 'LOW', 'pass'],
    ['UNTRIAGED', 'CRITICAL', 'pass']
  ])('a %s finding at threshold %s: %s', (severity, threshold, verdict) => {
    const decision = gateDecision([{ image: 'x', findings: [f('CVE-9', severity)] }], threshold)
    expect(decision.verdict).toBe(verdict)
    if (decision.verdict === 'fail') expect(decision).toEqual({ verdict: 'fail', counts: { [severity]: 1 }, worst: ['CVE-9'], threshold })
  })

  it('passes when nothing reaches the threshold; at most 5 worst ids', () => {
    expect(gateDecision([{ image: 'x', findings: [f('CVE-1', 'LOW'), f('CVE-0', 'UNDEFINED')] }], 'HIGH')).toEqual({
      verdict: 'pass',
      counts: { LOW: 1, UNDEFINED: 1 }
    })
    expect(gateDecision([], 'LOW').verdict).toBe('pass')
    const many = Array.from({ length: 8 }, (_, i) => f(`CVE-${i}`, 'HIGH'))
    const decision = gateDecision([{ image: 'x', findings: many }], 'HIGH')
    expect(decision.verdict === 'fail' && decision.worst).toEqual(['CVE-0', 'CVE-1', 'CVE-2', 'CVE-3', 'CVE-4'])
  })

  it('failureMessage is one line with counts and the worst ids', () => {
    const decision = gateDecision(images, 'HIGH')
    if (decision.verdict !== 'fail') throw new Error('expected fail')
    const message = failureMessage(decision)
    expect(message).toBe(
      'The image scan found vulnerabilities at or above HIGH (fail-on-severity): 2 CRITICAL, 1 HIGH; worst: CVE-1, CVE-2. No tag was written; the image stays untagged.'
    )
    expect(message).not.toContain('\n')
    expect(formatCounts({})).toBe('no findings')
  })
})

describe('findingsTable', () => {
  it('renders severity, id (linked), package and fixed-in, escaping pipes', () => {
    const table = findingsTable([
      f('CVE-2', 'LOW', { packageName: 'a|b', packageVersion: '1' }),
      f('CVE-1', 'CRITICAL', { uri: 'https://x.test/1', fixedIn: '2.0' })
    ])
    expect(table.split('\n')).toEqual([
      '| Severity | Id | Package | Fixed in |',
      '| --- | --- | --- | --- |',
      '| CRITICAL | [CVE-1](https://x.test/1) |  | 2.0 |',
      '| LOW | CVE-2 | a\\|b 1 |  |'
    ])
  })

  it.each([
    [0, 'No findings.'],
    [3, undefined],
    [5, 'and 2 more']
  ])('%i findings with 3 rows allowed', (n, tail) => {
    const table = findingsTable(
      Array.from({ length: n }, (_, i) => f(`CVE-${i}`, 'HIGH')),
      3
    )
    if (tail === 'No findings.') expect(table).toBe(tail)
    else if (tail) expect(table.endsWith(tail)).toBe(true)
    else expect(table).not.toContain('more')
  })
})

describe('scanStep', () => {
  it.each<[string | undefined, boolean, 'fail' | 'continue', string, string | undefined]>([
    ['COMPLETE', false, 'fail', 'evaluate', undefined],
    ['ACTIVE', true, 'fail', 'evaluate', undefined],
    ['IN_PROGRESS', false, 'fail', 'wait', undefined],
    ['PENDING', false, 'continue', 'wait', undefined],
    [undefined, false, 'fail', 'wait', undefined],
    ['IN_PROGRESS', true, 'fail', 'fail', 'The scan of img did not finish in time (status IN_PROGRESS); no tag was written (on-scan-timeout: fail).'],
    ['PENDING', true, 'continue', 'continue', 'The scan of img did not finish in time; continuing without its findings (on-scan-timeout: continue).'],
    ['FAILED', false, 'continue', 'fail', 'The scan of img failed (boom); no tag was written.'],
    ['UNSUPPORTED_IMAGE', false, 'fail', 'fail', 'ECR cannot scan img: its operating system or package manager is not supported (boom); no tag was written.'],
    ['SCAN_ELIGIBILITY_EXPIRED', false, 'fail', 'fail', 'The scan of img ended with status SCAN_ELIGIBILITY_EXPIRED (boom); no tag was written.']
  ])('%s timedOut=%s on-timeout=%s → %s', (status, timedOut, onTimeout, action, message) => {
    const step = scanStep('img', status, { timedOut, onTimeout, description: 'boom' })
    expect(step.action).toBe(action)
    if (message) expect('message' in step && step.message).toBe(message)
  })

  it('parseOnScanTimeout and the unsupported line', () => {
    expect(parseOnScanTimeout('')).toBe('fail')
    expect(parseOnScanTimeout('Continue')).toBe('continue')
    expect(() => parseOnScanTimeout('skip')).toThrow('Input on-scan-timeout must be fail or continue; got "skip".')
    expect(unsupportedImageMessage('img', "An artifact with media type 'x'\n cannot be scanned.")).toBe(
      "ECR cannot scan img: An artifact with media type 'x' cannot be scanned. No tag was written."
    )
  })
})
