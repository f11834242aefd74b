// Shared by the issue #3 scenario files: one loopback ECR endpoint per file, unique repositories
// per test, the bundled action run exactly the runner's way (runAction), and ways to read the
// truth from the registry and the endpoint's request log instead of from the action's own word.
import { afterAll, beforeAll } from '@jest/globals'
import { DescribeRepositoriesCommand, ECRClient } from '@aws-sdk/client-ecr'
import type { Dirent } from 'node:fs'
import { randomBytes } from 'node:crypto'
import { access, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { DUMMY_ACCESS_KEY_ID, startEcrEndpoint, type EcrEndpoint, type RequestLogEntry } from './support/ecr/ecr-endpoint.js'
import type { IamPolicy } from './support/iam/iam-policy.js'
import { policyFromReadme, type IamFeature, type PolicyScope } from './support/iam/readme-policy.js'
import { ensureRealParts, makeContext, runCommand, type ContextOptions } from './support/docker/real-parts.js'
import { runAction, type ActionRun, type RunActionOptions } from './support/runner/runner.js'

export { startApiGate, within, type ApiGate, type HeldCall } from './api-gate.js'

export const STAGING_TAG_PREFIX = 'immutable-ecr-build-staging-'
/** The folder main creates under RUNNER_TEMP for the private DOCKER_CONFIG and build metadata. */
export const WORK_DIR_PREFIX = 'immutable-ecr-build-'
const RUN_TIMEOUT_MS = 90_000

export function randomSha(): string {
  return randomBytes(20).toString('hex')
}

export interface ContextSpec extends ContextOptions {
  /** Replaces the Dockerfile makeContext writes (FROM scratch + COPY busybox + COPY content.txt). */
  dockerfile?: string
}

export interface ScenarioRun {
  run: ActionRun
  /** What the endpoint saw while this run (or these concurrent runs) went on. */
  requests: RequestLogEntry[]
}

export interface ScenarioRunOptions extends Omit<RunActionOptions, 'inputs' | 'env'> {
  /** `with:` values; `network: none` is added unless given (the test Dockerfiles have no base image). */
  inputs: Record<string, string>
  env?: Record<string, string>
  /**
   * The run's IAM policy: README's base policy for its repository, plus the rows of README's "add only
   * what you use" table for these features (readme-policy.ts). Every run is held to README's policy.
   */
  iam?: readonly IamFeature[]
  /** Changes that policy for this run (a test of what a missing permission does). */
  iamEdit?: (policy: IamPolicy) => IamPolicy
}

/** The repositories a run's inputs name, in the accounts its credentials and inputs select. */
export function policyScope(endpoint: EcrEndpoint, inputs: Record<string, string>, env: Record<string, string>): PolicyScope {
  const key = env['AWS_ACCESS_KEY_ID'] ?? ''
  const caller = key === DUMMY_ACCESS_KEY_ID ? endpoint.accountId : (/^AKIA([0-9]{12})TEST$/.exec(key)?.[1] ?? endpoint.accountId)
  const accountId = inputs['registry-id'] || caller
  const repository = { accountId, name: inputs['repository'] ?? '' }
  return {
    region: endpoint.region,
    repository,
    // cache: ecr's companion repository (README: Build cache on immutable repositories).
    ...(inputs['cache'] === 'ecr' ? { cacheRepository: { accountId, name: `${repository.name}-buildcache` } } : {}),
    ...(inputs['source-repository'] ? { sourceRepository: { accountId: inputs['source-registry-id'] || caller, name: inputs['source-repository'] } } : {})
  }
}

/** The policies of runs started together, as one (each run's statements, side by side). */
function combined(policies: readonly IamPolicy[]): IamPolicy {
  return { Version: '2012-10-17', Statement: policies.flatMap((policy) => policy.Statement) }
}

/**
 * One endpoint for the whole file (beforeAll/afterAll registered by useScenarioKit), runs that are
 * cleaned up afterwards, and the local images they loaded into the engine removed.
 */
export class ScenarioKit {
  private current: EcrEndpoint | undefined
  private rootDir: string | undefined
  private readonly runs: ActionRun[] = []
  /** Runs still going (a test that failed while a gate held them): awaited before tearing down. */
  private readonly inflight = new Set<Promise<unknown>>()
  private counter = 0
  /** The policies of the runs under way (runs started apart may overlap): the endpoint holds them all. */
  private readonly policies = new Set<IamPolicy>()

  constructor(private readonly label: string) {}

  get endpoint(): EcrEndpoint {
    if (!this.current) throw new Error('the endpoint is not started: call useScenarioKit() at the top of the test file')
    return this.current
  }

  get root(): string {
    if (!this.rootDir) throw new Error('the scenario kit is not set up')
    return this.rootDir
  }

  async setUp(): Promise<void> {
    await ensureRealParts()
    this.rootDir = await mkdtemp(path.join(os.tmpdir(), `e2e-${this.label}-`))
    this.current = await startEcrEndpoint()
  }

  async tearDown(): Promise<void> {
    await Promise.allSettled([...this.inflight])
    for (const run of this.runs) await run.cleanup().catch(() => undefined)
    if (this.current) {
      await removeLocalImages(this.current.registryHost, this.runs)
      await this.current.stop()
    }
    if (this.rootDir) await rm(this.rootDir, { recursive: true, force: true })
  }

  /** A repository name no other test of this file uses. */
  repository(name: string): string {
    this.counter += 1
    return `${this.label}/${name}-${this.counter}-${randomBytes(2).toString('hex')}`
  }

  /** A fresh workspace holding one build context per entry (folder name => context). */
  async workspace(contexts: Record<string, ContextSpec> = { app: {} }): Promise<string> {
    const workspace = await mkdtemp(path.join(this.root, 'ws-'))
    for (const [folder, spec] of Object.entries(contexts)) {
      const dir = path.join(workspace, folder)
      await makeContext(dir, { content: spec.content ?? `content ${randomBytes(8).toString('hex')}\n`, ...(spec.run ? { run: true } : {}) })
      if (spec.dockerfile !== undefined) await writeFile(path.join(dir, 'Dockerfile'), spec.dockerfile)
    }
    return workspace
  }

  /** Runs the bundled action (main, then post) and slices the endpoint's request log for it. */
  async run(options: ScenarioRunOptions): Promise<ScenarioRun> {
    const { runs, requests } = await this.runTogether([options])
    return { run: runs[0] as ActionRun, requests }
  }

  /**
   * Starts every run at once; the request log slice covers all of them (and anything else the
   * endpoint served meanwhile: tests of one file run one after the other, so nothing else).
   */
  async runTogether(all: ScenarioRunOptions[]): Promise<{ runs: ActionRun[]; requests: RequestLogEntry[] }> {
    const mark = this.endpoint.requestLog.length
    const endpoint = this.endpoint
    const policy = combined(
      all.map((options) => {
        const readme = policyFromReadme(policyScope(endpoint, options.inputs, { ...endpoint.env(), ...options.env }), options.iam ?? [])
        return options.iamEdit ? options.iamEdit(readme) : readme
      })
    )
    this.policies.add(policy)
    endpoint.setPolicy(combined([...this.policies]))
    const started = Promise.all(
      all.map(({ iam: _iam, iamEdit: _iamEdit, ...options }) =>
        runAction({
          timeoutMs: RUN_TIMEOUT_MS,
          // Mutation checks only: run another build of the action (a folder with action.yml and the dist/ its runs.main names).
          ...(process.env['E2E_ACTION_DIR'] ? { actionDir: process.env['E2E_ACTION_DIR'] } : {}),
          ...options,
          inputs: { network: 'none', ...options.inputs },
          env: { ...endpoint.env(), ...options.env }
        })
      )
    )
    this.inflight.add(started)
    // The policy holds the action only: the test's own look-ups between runs are the administrator's.
    const runs = await started.finally(() => {
      this.inflight.delete(started)
      this.policies.delete(policy)
      endpoint.setPolicy(this.policies.size ? combined([...this.policies]) : undefined)
    })
    this.runs.push(...runs)
    return { runs, requests: this.endpoint.requestLog.slice(mark) }
  }
}

/** Registers beforeAll/afterAll for one endpoint shared by the file. */
export function useScenarioKit(label: string): ScenarioKit {
  const kit = new ScenarioKit(label)
  beforeAll(() => kit.setUp(), 60_000)
  afterAll(() => kit.tearDown(), 180_000)
  return kit
}

// ---- the request log ----------------------------------------------------------------------------

export const API_WRITE_OPERATIONS = new Set([
  'PutImage',
  'CreateRepository',
  'BatchDeleteImage',
  'InitiateLayerUpload',
  'UploadLayerPart',
  'CompleteLayerUpload',
  'SetRepositoryPolicy',
  'PutImageTagMutability'
])

export function isManifestPut(entry: RequestLogEntry): boolean {
  return entry.kind === 'registry' && entry.method === 'PUT' && (entry.path ?? '').includes('/manifests/')
}

/** Everything that could change what the registry holds: /v2 writes and ECR write operations. */
export function writes(entries: readonly RequestLogEntry[]): RequestLogEntry[] {
  return entries.filter(
    (entry) =>
      (entry.kind === 'registry' && entry.method !== 'GET' && entry.method !== 'HEAD') ||
      (entry.kind === 'api' && API_WRITE_OPERATIONS.has(entry.operation ?? ''))
  )
}

export function registryRequests(entries: readonly RequestLogEntry[]): RequestLogEntry[] {
  return entries.filter((entry) => entry.kind === 'registry')
}

export function operations(entries: readonly RequestLogEntry[]): string[] {
  return entries.filter((entry) => entry.kind === 'api').map((entry) => entry.operation ?? '?')
}

/** One line per request, for failure messages. */
export function describeRequests(entries: readonly RequestLogEntry[]): string[] {
  return entries.map((e) =>
    e.kind === 'api' ? `api ${e.operation} ${e.status}${e.errorCode ? ` ${e.errorCode}` : ''}` : `registry ${e.method} ${e.path} ${e.status}`
  )
}

// ---- what a run printed ----------------------------------------------------------------------------

/** True when main started `docker buildx build` (exec prints "[command]<path>/docker buildx build ..."). */
export function buildRan(run: ActionRun): boolean {
  return /^\[command\]\S*docker buildx build /m.test(run.main.stdout)
}

/** A JavaScript stack frame anywhere in either step's output. */
export function stackTraceIn(run: ActionRun): string | undefined {
  const text = [run.main.stdout, run.main.stderr, run.post?.stdout ?? '', run.post?.stderr ?? ''].join('\n')
  return /^\s*at .+(?::\d+:\d+\)?|\(native\)|\(node:[^)]*\))\s*$/m.exec(text)?.[0]
}

/** Main's log without the ::add-mask:: lines: what a reader of the job log would see. */
export function visibleLog(run: ActionRun): string {
  return [run.main.stdout, run.main.stderr, run.post?.stdout ?? '', run.post?.stderr ?? '']
    .join('\n')
    .split('\n')
    .filter((line) => !line.startsWith('::add-mask::'))
    .join('\n')
}

/**
 * The config digest (image id) of what this run built: from the `metadata` output (docker driver:
 * containerimage.digest), else, for a run that failed and set no outputs, from buildx's log line
 * "writing image sha256:… done".
 */
export function builtConfigDigest(run: ActionRun): string | undefined {
  const metadata = run.outputs['metadata']
  if (metadata) {
    const parsed = JSON.parse(metadata) as Record<string, unknown>
    // containerimage.digest is the pushed manifest (the action sets it to `digest`), not the config.
    const config = parsed['containerimage.config.digest']
    if (typeof config === 'string') return config
  }
  // The docker driver's load names the image id (its config); BuildKit's image exporter names the config of
  // the one platform image it exports (an index with buildx's default provenance has no config of its own).
  return /^#\d+ (?:writing image|exporting config) (sha256:[0-9a-f]{64})/m.exec(run.main.stdout)?.[1]
}

// ---- the registry itself ----------------------------------------------------------------------

export interface ImageConfig {
  config?: { Labels?: Record<string, string> | null }
}

interface ManifestJson {
  mediaType?: string
  config?: { digest: string }
  layers?: { digest: string }[]
  manifests?: { digest: string; annotations?: Record<string, string> }[]
}

/**
 * The image manifest a one-platform build is run from: the manifest itself, or, where buildx added its
 * default provenance attestation (BuildKit builders, the containerd store's own BuildKit), the index's one
 * runnable child.
 */
export async function runnableManifest(
  endpoint: EcrEndpoint,
  repository: string,
  reference: string
): Promise<{ digest: string; manifest: ManifestJson; manifests: number }> {
  const served = await endpoint.manifest(repository, reference)
  if (!served) throw new Error(`the registry has no manifest ${repository}:${reference}`)
  const parsed = JSON.parse(served.text) as ManifestJson
  if (!parsed.manifests) return { digest: reference, manifest: parsed, manifests: 1 }
  const runnable = parsed.manifests.filter((entry) => entry.annotations?.['vnd.docker.reference.type'] !== 'attestation-manifest')
  if (runnable.length !== 1 || !runnable[0]) throw new Error(`${repository}:${reference} is an index of ${runnable.length} platform images, not one`)
  const child = await endpoint.manifest(repository, runnable[0].digest)
  if (!child) throw new Error(`the registry has no manifest ${repository}@${runnable[0].digest}, a child of ${reference}`)
  return { digest: runnable[0].digest, manifest: JSON.parse(child.text) as ManifestJson, manifests: 1 + parsed.manifests.length }
}

/** The config blob of a one-platform image (through its index, if it has one), read from the real registry behind the endpoint. */
export async function imageConfig(endpoint: EcrEndpoint, repository: string, reference: string): Promise<{ configDigest: string; config: ImageConfig }> {
  const { manifest } = await runnableManifest(endpoint, repository, reference)
  const configDigest = manifest.config?.digest
  if (!configDigest) throw new Error(`${repository}:${reference} is not an image manifest: ${manifest.mediaType ?? 'no media type'}`)
  const response = await fetch(`${endpoint.upstreamUrl}/v2/${repository}/blobs/${configDigest}`)
  if (response.status !== 200) throw new Error(`GET config blob ${configDigest} answered ${response.status}`)
  return { configDigest, config: (await response.json()) as ImageConfig }
}

// ---- credentials after the post step -----------------------------------------------------------------

export interface CredentialResidue {
  /** The private folder main saved in its state, when it still exists. */
  workDirLeft: string | undefined
  /** immutable-ecr-build-* folders still under RUNNER_TEMP. */
  leftInRunnerTemp: string[]
  /** auths/credHelpers entries for the registry host in the user's DOCKER_CONFIG. */
  userConfigEntries: string[]
  /** Files under the user's DOCKER_CONFIG that contain the password or the docker auth string. */
  userFilesWithSecret: string[]
}

export async function exists(file: string): Promise<boolean> {
  try {
    await access(file)
    return true
  } catch {
    return false
  }
}

async function listFiles(dir: string): Promise<string[]> {
  const found: string[] = []
  let entries: Dirent[]
  try {
    entries = await readdir(dir, { withFileTypes: true })
  } catch {
    return found
  }
  for (const entry of entries) {
    const full = path.join(dir, entry.name)
    if (entry.isDirectory()) found.push(...(await listFiles(full)))
    else if (entry.isFile()) found.push(full)
  }
  return found
}

/** Where an ECR login could still be after a run: empty lists mean none. */
export async function credentialResidue(run: ActionRun, registryHost: string, password: string): Promise<CredentialResidue> {
  const workDir = run.state['workDir']
  const leftInRunnerTemp = (await readdir(run.runnerTemp)).filter((name) => name.startsWith(WORK_DIR_PREFIX))
  const userConfigEntries: string[] = []
  try {
    const config = JSON.parse(await readFile(path.join(run.userDockerConfig, 'config.json'), 'utf8')) as Record<string, Record<string, unknown> | undefined>
    for (const section of ['auths', 'credHelpers']) {
      if (config[section] && registryHost in (config[section] ?? {})) userConfigEntries.push(`${section}.${registryHost}`)
    }
    if (config['credsStore']) userConfigEntries.push('credsStore')
  } catch {
    // no config: nothing in it
  }
  const auth = Buffer.from(`AWS:${password}`).toString('base64')
  const userFilesWithSecret: string[] = []
  for (const file of await listFiles(run.userDockerConfig)) {
    const text = await readFile(file, 'utf8').catch(() => '')
    if (text.includes(password) || text.includes(auth)) userFilesWithSecret.push(file)
  }
  return {
    workDirLeft: workDir && (await exists(workDir)) ? workDir : undefined,
    leftInRunnerTemp,
    userConfigEntries,
    userFilesWithSecret
  }
}

/** The private docker config main wrote, or undefined (for the control run that skips post). */
export async function privateDockerConfig(run: ActionRun): Promise<string | undefined> {
  const workDir = run.state['workDir']
  if (!workDir) return undefined
  return readFile(path.join(workDir, 'docker-config', 'config.json'), 'utf8').catch(() => undefined)
}

// ---- the Docker engine -------------------------------------------------------------------------

/** Removes what these runs loaded into the engine: images named after the endpoint, and their ids. */
async function removeLocalImages(registryHost: string, runs: readonly ActionRun[]): Promise<void> {
  const ids = new Set<string>()
  for (const run of runs) {
    const id = builtConfigDigest(run)
    if (id) ids.add(id)
  }
  const listed = await runCommand('docker', ['image', 'ls', '--no-trunc', '--format', '{{.ID}} {{.Repository}}'], { timeoutMs: 30_000 }).catch(() => undefined)
  for (const line of listed?.stdout.split('\n') ?? []) {
    const [id, repository] = line.trim().split(' ')
    if (id && repository?.startsWith(`${registryHost}/`)) ids.add(id)
  }
  if (ids.size > 0) await runCommand('docker', ['image', 'rm', '--force', ...ids], { timeoutMs: 60_000 }).catch(() => undefined)
}

/** A marker file a shell would create if any input reached one. */
export function pwnedMarker(): string {
  return path.join(os.tmpdir(), `pwned-${randomBytes(6).toString('hex')}`)
}

/** Creates a build context at a path that is itself shell syntax (relative to the workspace). */
export async function contextAt(workspace: string, relative: string, spec: ContextSpec = {}): Promise<string> {
  const dir = path.join(workspace, relative)
  await mkdir(dir, { recursive: true })
  await makeContext(dir, { content: spec.content ?? `content ${randomBytes(8).toString('hex')}\n` })
  if (spec.dockerfile !== undefined) await writeFile(path.join(dir, 'Dockerfile'), spec.dockerfile)
  return dir
}

/** The real SDK against the endpoint: how a test reads repository settings "as ECR reports them". */
export async function describeRepository(endpoint: EcrEndpoint, name: string): Promise<Record<string, unknown> | undefined> {
  const env = endpoint.env()
  const client = new ECRClient({
    endpoint: endpoint.apiUrl,
    region: endpoint.region,
    credentials: { accessKeyId: env['AWS_ACCESS_KEY_ID'] ?? '', secretAccessKey: env['AWS_SECRET_ACCESS_KEY'] ?? '' }
  })
  try {
    const response = await client.send(new DescribeRepositoriesCommand({ repositoryNames: [name] }))
    return response.repositories?.[0] as Record<string, unknown> | undefined
  } catch (error) {
    if ((error as Error).name === 'RepositoryNotFoundException') return undefined
    throw error
  } finally {
    client.destroy()
  }
}

/**
 * "<n> succeeded; run 1: exit 0, digest …; run 2: exit 1, error …": asserted with toMatch, so a failed
 * expectation prints every run's exit code, digest and error.
 */
export function raceReport(runs: readonly ActionRun[]): string {
  const succeeded = runs.filter((run) => run.main.exitCode === 0).length
  const parts = runs.map(
    (run, i) =>
      `run ${i + 1}: exit ${run.main.exitCode}, digest ${run.outputs['digest'] || '-'}, built ${builtConfigDigest(run) ?? '-'}${run.errors.length ? `, error ${run.errors.join(' | ')}` : ''}`
  )
  return `${succeeded} succeeded; ${parts.join('; ')}`
}

/**
 * The tags of a repository other than the action's one-off staging tags: with README's base policy the
 * classic store's push leaves its staging tag behind (no ecr:BatchDeleteImage), with a warning, naming the
 * same image. The tests that are about the staging tag read endpoint.tags itself.
 */
export async function releaseTags(endpoint: EcrEndpoint, repository: string, accountId?: string): Promise<string[]> {
  return (await endpoint.tags(repository, accountId)).filter((tag) => !tag.startsWith(STAGING_TAG_PREFIX))
}

/** The policy without one action, wherever it appears. */
export function withoutAction(action: string): (policy: IamPolicy) => IamPolicy {
  return (policy) => ({
    ...policy,
    Statement: policy.Statement.map((statement) => ({
      ...statement,
      Action: (typeof statement.Action === 'string' ? [statement.Action] : statement.Action).filter((a) => a !== action)
    })).filter((statement) => statement.Action.length > 0)
  })
}
