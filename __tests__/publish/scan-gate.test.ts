import { describe, expect, it } from '@jest/globals'
import type { ScanFindings } from '../../src/adapters/ecr.js'
import { UserError } from '../../src/shared/errors.js'
import type { Finding } from '../../src/shared/scan-findings.js'
import { parseScanGateInputs, passScanGate, pollDelaySeconds, scannableImages, type ScanGateOptions } from '../../src/publish/scan-gate.js'
import { FakeEcr } from '../../__fixtures__/fake-ecr.js'
import { FakeRunner } from '../../__fixtures__/fake-runner.js'
import { imageManifest, configDigest, multiPlatformImage } from '../../__fixtures__/images.js'

const REPO = 'team/api'
const AMD = 'sha256:' + 'a'.repeat(64)
const ARM = 'sha256:' + 'b'.repeat(64)

function finding(severity: Finding['severity'], id: string): Finding {
  return { severity, id, packageName: 'openssl', packageVersion: '3.0.1', fixedIn: '3.0.9', uri: undefined }
}
function done(findings: Finding[] = [], status = 'COMPLETE'): ScanFindings {
  return { found: true, status, description: undefined, findings, severityCounts: {}, completedAt: undefined }
}
const inProgress: ScanFindings = { found: true, status: 'IN_PROGRESS', description: undefined, findings: [], severityCounts: {}, completedAt: undefined }

describe('parseScanGateInputs', () => {
  const parse = (values: Record<string, string>): ScanGateOptions => parseScanGateInputs((name) => values[name] ?? '')
  it.each([
    [{}, { threshold: undefined, timeoutSeconds: 600, onTimeout: 'fail' }],
    [{ 'fail-on-severity': 'off' }, { threshold: undefined, timeoutSeconds: 600, onTimeout: 'fail' }],
    [
      { 'fail-on-severity': 'HIGH', 'scan-timeout': '30', 'on-scan-timeout': 'continue' },
      { threshold: 'HIGH', timeoutSeconds: 30, onTimeout: 'continue' }
    ],
    [
      { 'fail-on-severity': ' critical ', 'scan-timeout': '3600' },
      { threshold: 'CRITICAL', timeoutSeconds: 3600, onTimeout: 'fail' }
    ]
  ])('%j → %j', (values, expected) => {
    expect(parse(values)).toEqual(expected)
  })
  it.each([
    [{ 'fail-on-severity': 'severe' }, "Input 'fail-on-severity' 'severe' is not allowed: use off, critical, high, medium, low or informational."],
    [{ 'on-scan-timeout': 'retry' }, "Input 'on-scan-timeout' 'retry' is not allowed: use fail or continue."],
    [{ 'scan-timeout': '0' }, "Input 'scan-timeout' '0' is not allowed: use a whole number of seconds from 1 to 3600."],
    [{ 'scan-timeout': '1.5' }, "Input 'scan-timeout' '1.5' is not allowed: use a whole number of seconds from 1 to 3600."],
    [{ 'scan-timeout': '3601' }, "Input 'scan-timeout' '3601' is not allowed: use a whole number of seconds from 1 to 3600."]
  ])('%j is refused with one line naming the input', (values, message) => {
    expect(() => parse(values)).toThrow(new UserError(message))
  })
})

describe('scannableImages: ECR scans image manifests, never the index or attestations', () => {
  const single = imageManifest(configDigest('gate:linux/arm64'))
  const multi = multiPlatformImage('gate', ['linux/amd64', 'linux/arm64'])
  it.each([
    ['a single image', single, [single.digest]],
    ['an index with attestations', multi.index, [multi.children[0]?.digest, multi.children[1]?.digest]]
  ])('%s', (_name, image, digests) => {
    expect(scannableImages(image.digest, image.manifest, image.mediaType).map((entry) => entry.digest)).toEqual(digests)
  })
  it('labels index entries with their platform', () => {
    expect(scannableImages(multi.index.digest, multi.index.manifest, multi.index.mediaType).map((entry) => entry.label)).toEqual([
      `linux/amd64 ${multi.children[0]?.digest}`,
      `linux/arm64 ${multi.children[1]?.digest}`
    ])
  })
})

describe('pollDelaySeconds', () => {
  it.each([
    [0, 600, 1],
    [3, 600, 4],
    [20, 600, 10],
    [20, 4, 4],
    [5, 0, 0]
  ])('attempt %i with %i s left → %i s', (attempt, left, expected) => {
    expect(pollDelaySeconds(attempt, left)).toBe(expected)
  })
})

/** A gate run on a fake clock: every sleep moves time on, so timeouts happen without waiting. */
async function gate(
  ecr: FakeEcr,
  options: Partial<ScanGateOptions> = {},
  images = [{ label: `linux/amd64 ${AMD}`, digest: AMD }]
): Promise<{ runner: FakeRunner; error: unknown; slept: number[] }> {
  ecr.addRepository(REPO)
  const runner = new FakeRunner()
  let now = 0
  const slept: number[] = []
  const deps = { ecr, runner, clock: () => now, sleep: async (ms: number) => void (slept.push(ms), (now += ms)) }
  try {
    await passScanGate(deps, REPO, images, { threshold: 'HIGH', timeoutSeconds: 60, onTimeout: 'fail', ...options })
    return { runner, error: undefined, slept }
  } catch (error) {
    return { runner, error, slept }
  }
}

describe('passScanGate', () => {
  it('off: asks ECR nothing', async () => {
    const ecr = new FakeEcr()
    const { error } = await gate(ecr, { threshold: undefined })
    expect(error).toBeUndefined()
    expect(ecr.calls).toEqual([])
  })

  it('passes when the finished scan has nothing at or above the threshold, and writes the findings table', async () => {
    const ecr = new FakeEcr()
    ecr.scanResults.set(AMD, [inProgress, done([finding('MEDIUM', 'CVE-2026-1')])])
    const { error, runner } = await gate(ecr)
    expect(error).toBeUndefined()
    expect(runner.messages('summary').join('')).toContain('| MEDIUM | CVE-2026-1 | openssl 3.0.1 | 3.0.9 |')
    expect(runner.messages('info').some((line) => line.startsWith('Scan gate: waiting for linux/amd64'))).toBe(true)
  })

  it('fails with one line of counts and worst ids, and still writes the table', async () => {
    const ecr = new FakeEcr()
    ecr.scanResults.set(AMD, done([finding('CRITICAL', 'CVE-2026-9'), finding('HIGH', 'CVE-2026-5'), finding('LOW', 'CVE-2026-0')]))
    const { error, runner } = await gate(ecr)
    expect(error).toEqual(
      new UserError(
        'The image scan found vulnerabilities at or above HIGH (fail-on-severity): 1 CRITICAL, 1 HIGH; worst: CVE-2026-9, CVE-2026-5. No tag was written; the image stays untagged.'
      )
    )
    expect(runner.messages('summary').join('')).toContain('### Image scan: failed')
  })

  it('counts findings over every platform image', async () => {
    const ecr = new FakeEcr()
    ecr.scanResults.set(AMD, done([finding('HIGH', 'CVE-A')]))
    ecr.scanResults.set(ARM, done([finding('HIGH', 'CVE-B')]))
    const { error } = await gate(ecr, {}, [
      { label: 'linux/amd64', digest: AMD },
      { label: 'linux/arm64', digest: ARM }
    ])
    expect(String(error)).toContain('2 HIGH; worst: CVE-A, CVE-B.')
  })

  it('basic scanning without scan-on-push: starts the scan once and says how to turn scan-on-push on', async () => {
    const ecr = new FakeEcr()
    ecr.afterStart = [inProgress, done()]
    const { error, runner } = await gate(ecr)
    expect(error).toBeUndefined()
    expect(ecr.callsOf('startImageScan')).toEqual([[REPO, AMD]])
    expect(runner.messages('info').join('\n')).toContain('scanOnPush=true')
  })

  it('UnsupportedImageTypeException fails before any tag', async () => {
    const ecr = new FakeEcr()
    ecr.startScanResult = { outcome: 'unsupported', message: 'The operating system and/or package manager are not supported.' }
    const { error } = await gate(ecr)
    expect(error).toEqual(
      new UserError(`ECR cannot scan linux/amd64 ${AMD}: The operating system and/or package manager are not supported. No tag was written.`)
    )
  })

  it('UNSUPPORTED_IMAGE status fails', async () => {
    const ecr = new FakeEcr()
    ecr.scanResults.set(AMD, done([], 'UNSUPPORTED_IMAGE'))
    expect(String((await gate(ecr)).error)).toContain('ECR cannot scan linux/amd64')
  })

  it.each([
    ['fail', 'The scan of linux/amd64 sha256:aaaa', true],
    ['continue', 'did not finish in time; continuing without its findings', false]
  ] as const)('a scan unfinished after scan-timeout: on-scan-timeout %s', async (onTimeout, text, fails) => {
    const ecr = new FakeEcr()
    ecr.scanResults.set(AMD, inProgress)
    const { error, runner, slept } = await gate(ecr, { timeoutSeconds: 20, onTimeout })
    expect(slept.reduce((a, b) => a + b, 0)).toBe(20_000)
    if (fails) expect(String(error)).toContain(text)
    else {
      expect(error).toBeUndefined()
      expect(runner.messages('warning').join('')).toContain(text)
    }
  })

  it('enhanced scanning that never picks the image up: the timeout line says how to add a rule', async () => {
    const ecr = new FakeEcr()
    ecr.scanType = 'ENHANCED'
    const { error } = await gate(ecr, { timeoutSeconds: 5 })
    expect(String(error)).toContain('put-registry-scanning-configuration')
    expect(ecr.callsOf('startImageScan')).toEqual([])
  })
})
