// Issue #9, part 2: the scan gate of the bundled actions against the endpoint's model of ECR
// scanning (scan-on-push, StartImageScan, statuses, findings, enhanced scanning): passing, failing
// (no tag, the image left untagged), timing out (fail and continue), an unsupported image, and the
// merge action's gate. Truth comes from the registry and the request log.
import { afterEach, describe, expect, test } from '@jest/globals'
import path from 'node:path'
import { REPO_ROOT } from './support/runner/runner.js'
import { operations, randomSha, releaseTags, useScenarioKit, visibleLog, type ScenarioRun } from './scenario-helpers.js'
import { BUILDS_INDEXES, ENGINE_PUSHES } from './support/docker/real-parts.js'

const kit = useScenarioKit('gate')

afterEach(() => kit.endpoint.setRegistryScanning({ scanType: 'BASIC' }))

const CRITICAL = { id: 'CVE-2026-1111', severity: 'CRITICAL' as const, packageName: 'openssl', packageVersion: '3.0.1', fixedInVersion: '3.0.9' }
const LOW = { id: 'CVE-2026-2222', severity: 'LOW' as const, packageName: 'zlib', packageVersion: '1.2', fixedInVersion: '1.3' }

function repository(name: string, scanOnPush = true): string {
  const repo = kit.repository(name)
  kit.endpoint.createRepository(repo, { mutability: 'IMMUTABLE', scanOnPush })
  return repo
}

async function push(repo: string, inputs: Record<string, string>, sha = randomSha()): Promise<ScenarioRun & { sha: string }> {
  // README's base policy, plus its scan gate rows when the gate is on.
  const result = await kit.run({
    inputs: { repository: repo, context: 'app', ...inputs },
    iam: inputs['fail-on-severity'] ? ['scan gate'] : [],
    workspace: await kit.workspace(),
    sha
  })
  return { ...result, sha }
}

/** The image the gate scanned, from its summary heading ("#### [platform ]sha256:…"): what was uploaded. */
function scannedDigest(run: ScenarioRun): string {
  return /^#### (?:\S+ )?(sha256:[0-9a-f]{64})$/m.exec(run.run.summary)?.[1] ?? ''
}

function measure(label: string, run: ScenarioRun): void {
  const counts: Record<string, number> = {}
  for (const op of operations(run.requests)) counts[op] = (counts[op] ?? 0) + 1
  console.log(`[measure] ${label}: main ${run.run.main.durationMs} ms; API ${JSON.stringify(counts)}`)
}

describe('scan gate in the main action', () => {
  test('passes: findings below the threshold; progress in the log, the findings table in the summary, then the tag', async () => {
    const repo = repository('pass')
    kit.endpoint.setScanPlan(repo, '*', { delayMs: 1500, findings: [LOW] })
    const run = await push(repo, { 'fail-on-severity': 'high' })
    measure('push with gate (scan-on-push, 1.5 s scan)', run)
    expect(run.run.errors).toEqual([])
    expect(run.run.main.exitCode).toBe(0)
    expect(await releaseTags(kit.endpoint, repo)).toEqual([run.sha])
    const log = visibleLog(run.run)
    expect(log).toMatch(/Scan gate: waiting for linux\/\S+ sha256:|Scan gate: waiting for sha256:/)
    expect(log).toContain('Scan gate passed')
    // Basic scanning reports no fixed-in version (API_ImageScanFinding has none).
    expect(run.run.summary).toMatch(/\| LOW \| \[CVE-2026-2222\]\(\S+\) \| zlib 1\.2 \| {2}\|/)
    // The tag is written after the scan answered.
    const ops = operations(run.requests)
    expect(ops.lastIndexOf('DescribeImageScanFindings')).toBeLessThan(ops.indexOf('PutImage'))
  })

  test('baseline without the gate (for the measurement)', async () => {
    const repo = repository('baseline')
    const run = await push(repo, {})
    measure('push without gate', run)
    expect(run.run.main.exitCode).toBe(0)
    expect(operations(run.requests)).not.toContain('DescribeImageScanFindings')
  })

  test('fails: no tag written, the image left untagged (classic store: still under its staging tag without ecr:BatchDeleteImage), one line with counts and ids', async () => {
    const repo = repository('fail')
    kit.endpoint.setScanPlan(repo, '*', { findings: [CRITICAL, LOW] })
    const run = await push(repo, { 'fail-on-severity': 'high' })
    expect(run.run.main.exitCode).not.toBe(0)
    // The classic store uploads under a one-off staging tag; README's base policy and scan gate rows cannot remove it.
    const classic = ENGINE_PUSHES
    const staging = (await kit.endpoint.tags(repo)).filter((tag) => tag.startsWith('immutable-ecr-build-staging-'))
    expect(staging).toHaveLength(classic ? 1 : 0)
    const left = classic
      ? `the refused image still sits under the staging tag ${staging[0]}, whose removal failed (AWS denied ecr:BatchDeleteImage on ${repo}`
      : 'the image stays untagged.'
    expect(run.run.errors).toEqual([
      expect.stringContaining(
        `The image scan found vulnerabilities at or above HIGH (fail-on-severity): 1 CRITICAL; worst: CVE-2026-1111. No tag was written; ${left}`
      )
    ])
    if (classic)
      expect(run.run.errors[0]).toContain(`remove it with \`aws ecr batch-delete-image --repository-name ${repo} --image-ids imageTag=${staging[0]}\`.`)
    expect(operations(run.requests)).not.toContain('PutImage')
    expect(await releaseTags(kit.endpoint, repo)).toEqual([])
    expect((await kit.endpoint.manifest(repo, scannedDigest(run))) !== undefined).toBe(true)
    expect(run.run.summary).toMatch(/\| CRITICAL \| \[CVE-2026-1111\]\(\S+\) \| openssl 3\.0\.1 \|/)
  })

  test.each([
    ['fail', false],
    ['continue', true]
  ])('a scan that does not finish in scan-timeout, on-scan-timeout: %s', async (onTimeout, tagged) => {
    const repo = repository(`timeout-${onTimeout}`)
    kit.endpoint.setScanPlan(repo, '*', { delayMs: Infinity })
    const run = await push(repo, { 'fail-on-severity': 'critical', 'scan-timeout': '3', 'on-scan-timeout': onTimeout })
    measure(`push with gate timing out after 3 s (${onTimeout})`, run)
    expect(run.run.main.exitCode === 0).toBe(tagged)
    expect(await releaseTags(kit.endpoint, repo)).toEqual(tagged ? [run.sha] : [])
    expect(visibleLog(run.run)).toContain(tagged ? 'continuing without its findings (on-scan-timeout: continue)' : 'did not finish in time')
  })

  test('scan-on-push off: the gate starts the basic scan and says how to turn scan-on-push on', async () => {
    const repo = repository('start', false)
    const run = await push(repo, { 'fail-on-severity': 'critical' })
    measure('push with gate, scan-on-push off (StartImageScan)', run)
    expect(run.run.main.exitCode).toBe(0)
    expect(operations(run.requests)).toContain('StartImageScan')
    expect(visibleLog(run.run)).toContain('scanOnPush=true')
  })

  test('an image ECR cannot scan (UnsupportedImageTypeException): no tag', async () => {
    const repo = repository('unsupported', false)
    kit.endpoint.setScanPlan(repo, '*', { unsupportedType: true })
    const run = await push(repo, { 'fail-on-severity': 'critical' })
    expect(run.run.main.exitCode).not.toBe(0)
    // The classic store's staging tag cannot be removed with README's base policy and scan gate rows: the line says so.
    expect(run.run.errors.join('\n')).toMatch(
      ENGINE_PUSHES
        ? /^ECR cannot scan .*\. No tag was written; the refused image still sits under the staging tag immutable-ecr-build-staging-[0-9a-f]{16}, .*: remove it with `aws ecr batch-delete-image .*`\.$/
        : /^ECR cannot scan .*No tag was written\.$/
    )
    expect(await releaseTags(kit.endpoint, repo)).toEqual([])
  })

  test('enhanced scanning (Inspector shape): a finding at the threshold fails', async () => {
    const repo = repository('enhanced', false)
    kit.endpoint.setRegistryScanning({
      scanType: 'ENHANCED',
      rules: [{ scanFrequency: 'SCAN_ON_PUSH', repositoryFilters: [{ filter: '*', filterType: 'WILDCARD' }] }]
    })
    kit.endpoint.setScanPlan(repo, '*', { findings: [CRITICAL] })
    const run = await push(repo, { 'fail-on-severity': 'critical' })
    expect(run.run.main.exitCode).not.toBe(0)
    expect(run.run.errors.join('\n')).toContain('1 CRITICAL; worst: CVE-2026-1111')
    expect(operations(run.requests)).not.toContain('StartImageScan')
    expect(await releaseTags(kit.endpoint, repo)).toEqual([])
    // Inspector's shape carries the fixed-in version.
    expect(run.run.summary).toContain('| CRITICAL | CVE-2026-1111 | openssl 3.0.1 | 3.0.9 |')
  })
})

// untagged: true needs an upload by digest: a BuildKit builder or the containerd image store.
const withLayoutUpload = BUILDS_INDEXES ? describe : describe.skip

withLayoutUpload('scan gate in the merge action', () => {
  test('the platform images are scanned, not the index; a failing scan leaves the merged index untagged', async () => {
    const repo = repository('merge')
    const sha = randomSha()
    const workspace = await kit.workspace()
    // Scan-on-push scans the platform image when the leg uploads it (the leg itself has no gate).
    kit.endpoint.setScanPlan(repo, '*', { findings: [CRITICAL] })
    const leg = await kit.run({ inputs: { repository: repo, context: 'app', untagged: 'true' }, workspace, sha })
    expect(leg.run.main.exitCode).toBe(0)
    const platformDigest = Object.values(JSON.parse(leg.run.outputs['platform-digests'] ?? '{}') as Record<string, string>)[0] ?? ''
    const merged = await kit.run({
      actionDir: path.join(REPO_ROOT, 'merge'),
      inputs: { repository: repo, digests: leg.run.outputs['digest'] ?? '', 'fail-on-severity': 'high' },
      iam: ['merge', 'scan gate'],
      workspace,
      sha
    })
    measure('merge with gate', merged)
    expect(merged.run.main.exitCode).not.toBe(0)
    expect(merged.run.errors.join('\n')).toContain('1 CRITICAL; worst: CVE-2026-1111. No tag was written')
    const scanned = merged.requests.filter((entry) => entry.kind === 'api' && entry.operation === 'DescribeImageScanFindings')
    expect(scanned.length).toBeGreaterThan(0)
    expect(merged.run.summary).toContain(platformDigest)
    expect(operations(merged.requests)).not.toContain('PutImage')
    expect(await releaseTags(kit.endpoint, repo)).toEqual([])
  })
})
