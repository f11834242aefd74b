// What `npm run bench` measures, on the same real parts as the e2e suite: the loopback ECR endpoint
// (in this process, so its request log and our spawn timestamps share one clock), a real registry
// behind it, the Docker engine with buildx, and the bundled dist/build/index.js started the runner's way.
// Every figure comes from timestamps taken outside the action: the action itself is not modified.
import childProcess, { type ChildProcess } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { copyFile, mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises'
import { syncBuiltinESMExports } from 'node:module'
import os from 'node:os'
import path from 'node:path'
import { performance } from 'node:perf_hooks'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { startEcrEndpoint, type EcrEndpoint, type RequestLogEntry } from '../e2e/support/ecr/ecr-endpoint.js'
import { dockerLogin, makeContext } from '../e2e/support/docker/real-parts.js'
import { REPO_ROOT, runAction } from '../e2e/support/runner/runner.js'

export const REPOSITORY = 'bench/app'
/**
 * The bare builds push to a MUTABLE repository of their own: an engine push of an index (the containerd
 * store adds provenance) PUTs its children under the tag on engines before 28.2 (moby/moby#49949), which an
 * IMMUTABLE repository refuses; that is the bug the action's own upload avoids, not a cost to compare.
 */
export const BARE_REPOSITORY = 'bench/app-bare'
/** GITHUB_REPOSITORY of the emulated run; the action derives its source label from it. */
const GITHUB_REPOSITORY = 'acme/web'
const SOURCE_URL = `https://github.com/${GITHUB_REPOSITORY}`
const DIST_DIR = path.join(REPO_ROOT, 'dist', 'build')

// ---------------------------------------------------------------------------------------------
// Process probe: when each child was spawned, when each of its output lines arrived, when it exited.

export interface OutputLine {
  /** performance.now() when the line arrived here. */
  readonly at: number
  readonly stream: 'stdout' | 'stderr'
  readonly text: string
}

export interface ProcessRecord {
  readonly command: string
  readonly args: readonly string[]
  readonly pid: number | undefined
  /** performance.now() taken right before spawn(): sub-millisecond and monotonic. */
  readonly spawnedHr: number
  /** Date.now() at the same moment: the clock of the endpoint's request log (1 ms resolution). */
  readonly spawnedWall: number
  exitedHr: number | undefined
  exitCode: number | null | undefined
  readonly lines: OutputLine[]
}

let records: ProcessRecord[] = []
const recordOfChild = new WeakMap<ChildProcess, ProcessRecord>()
let probeInstalled = false

/**
 * Wraps child_process.spawn for the whole process, including the spawn inside e2e/support/runner/runner.ts,
 * which cannot be changed: its `import { spawn }` is a live binding that syncBuiltinESMExports()
 * repoints. That gives the spawn time of the action's step taken immediately before the real spawn,
 * instead of runAction's start, which also covers its temp dirs and event payload.
 */
export function installSpawnProbe(): void {
  if (probeInstalled) return
  probeInstalled = true
  const original = childProcess.spawn as (...args: unknown[]) => ChildProcess
  const probed = function (this: unknown, ...args: unknown[]): ChildProcess {
    const spawnedWall = Date.now()
    const spawnedHr = performance.now()
    const child = original.apply(this, args)
    const record: ProcessRecord = {
      command: String(args[0]),
      args: Array.isArray(args[1]) ? args[1].map(String) : [],
      pid: child.pid,
      spawnedHr,
      spawnedWall,
      exitedHr: undefined,
      exitCode: undefined,
      lines: []
    }
    collectLines(child.stdout, 'stdout', record.lines)
    collectLines(child.stderr, 'stderr', record.lines)
    // 'exit', not 'close': the process is gone; 'close' also waits for every holder of its pipes.
    child.once('exit', (code) => {
      record.exitedHr = performance.now()
      record.exitCode = code
    })
    records.push(record)
    recordOfChild.set(child, record)
    return child
  }
  ;(childProcess as unknown as { spawn: unknown }).spawn = probed
  syncBuiltinESMExports()
}

function collectLines(stream: NodeJS.ReadableStream | null, name: OutputLine['stream'], into: OutputLine[]): void {
  if (!stream) return
  let pending = ''
  // Attached synchronously inside spawn(), before the caller's own listener: no chunk is missed, and
  // the caller still gets every chunk (a readable stream feeds all of its 'data' listeners).
  stream.on('data', (chunk: Buffer | string) => {
    const at = performance.now()
    pending += typeof chunk === 'string' ? chunk : chunk.toString('utf8')
    const lines = pending.split('\n')
    pending = lines.pop() ?? ''
    for (const text of lines) into.push({ at, stream: name, text })
  })
  stream.on('end', () => {
    if (pending) into.push({ at: performance.now(), stream: name, text: pending })
  })
}

/** The records since the last call (and forgets them). */
function takeRecords(): ProcessRecord[] {
  const taken = records
  records = []
  return taken
}

function durationOf(record: ProcessRecord): number {
  if (record.exitedHr === undefined) throw new Error(`${record.command} has not exited`)
  return record.exitedHr - record.spawnedHr
}

/** When a request-log entry started (or ended), in ms after the record's spawn. */
function logTime(record: ProcessRecord, entry: RequestLogEntry, edge: 'start' | 'end'): number {
  return Date.parse(entry.time) - (edge === 'start' ? entry.durationMs : 0) - record.spawnedWall
}

interface Executed {
  readonly code: number | null
  readonly stdout: string
  readonly stderr: string
  readonly record: ProcessRecord
}

/**
 * Runs a program without blocking the event loop (the endpoint in this process must keep answering).
 * stdin is closed from the start: a program that exits at once cannot meet a write into a dead pipe.
 */
function execute(command: string, args: readonly string[], env: NodeJS.ProcessEnv = process.env): Promise<Executed> {
  return new Promise((resolve, reject) => {
    const child = childProcess.spawn(command, [...args], { env, stdio: ['ignore', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk))
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk))
    child.once('error', reject)
    child.once('close', (code) => {
      const record = recordOfChild.get(child)
      if (record) resolve({ code, stdout, stderr, record })
      else reject(new Error('installSpawnProbe() must run before anything is timed'))
    })
  })
}

async function capture(command: string, args: readonly string[]): Promise<string> {
  try {
    const result = await execute(command, args)
    return result.code === 0 ? result.stdout.trim() : ''
  } catch {
    return ''
  }
}

// ---------------------------------------------------------------------------------------------
// Build contexts and the bench's environment.

export type ContextName = 'tiny' | 'realistic'

export interface BenchContext {
  readonly name: ContextName
  /** Relative to the workspace: the action's `context` input. */
  readonly dir: string
  /** A new BENCH_RUN build argument every run, so that no RUN step is served from the cache. */
  readonly bustCache: boolean
  readonly description: string
}

/**
 * Iterations of each RUN step's shell loop: about 2 s per step on a 2-core AMD EPYC with busybox 1.35
 * (1 M iterations take 1.6 s there). Fixed rather than calibrated per machine, so that two result files
 * describe the same build work.
 */
export const LOOP_ITERATIONS = 1_200_000
/** Written by the first RUN step: a layer the push has to upload every run, as an application's would. */
export const RANDOM_LAYER_MIB = 8

function realisticDockerfile(): string {
  const loop = (body: string): string => `i=0; s=0; while [ $i -lt ${LOOP_ITERATIONS} ]; do ${body}; i=$((i+1)); done`
  return [
    'FROM scratch',
    'COPY busybox /bin/busybox',
    'COPY content.txt /content.txt',
    '# A new value every run: every RUN below is rebuilt, as after a change to the application.',
    'ARG BENCH_RUN',
    // Exec form: the image has no /bin/sh. Only shell builtins, so no applet links are needed.
    `RUN ["/bin/busybox", "sh", "-c", "${loop('s=$((s+i))')}; /bin/busybox dd if=/dev/urandom of=/app.bin bs=1048576 count=${RANDOM_LAYER_MIB} 2>/dev/null; echo $BENCH_RUN $s > /step1.txt"]`,
    `RUN ["/bin/busybox", "sh", "-c", "${loop('s=$(( (s * 31 + i) % 1000003 ))')}; echo $BENCH_RUN $s > /step2.txt"]`,
    ''
  ].join('\n')
}

export interface Bench {
  readonly endpoint: EcrEndpoint
  readonly workspace: string
  /** The node binary that runs the action's steps. */
  readonly node: string
  readonly contexts: Readonly<Record<ContextName, BenchContext>>
  /** The bare builds' DOCKER_CONFIG: one `docker login` into it, before any timing. */
  readonly bareDockerConfig: string
  /**
   * The runner user's DOCKER_CONFIG for every action run (runAction would make a fresh one per run).
   * The action points BUILDX_CONFIG at <it>/buildx; a fresh, empty one each run makes buildx set up its
   * state again on every build (about 30 ms here), which the bare builds, reusing theirs, never pay.
   */
  readonly userDockerConfig: string
  close(): Promise<void>
}

export async function openBench(node: string): Promise<Bench> {
  const workspace = await mkdtemp(path.join(os.tmpdir(), 'immutable-ecr-build-bench-'))
  let endpoint: EcrEndpoint | undefined
  try {
    endpoint = await startEcrEndpoint()
    endpoint.createRepository(REPOSITORY, { mutability: 'IMMUTABLE' })
    endpoint.createRepository(BARE_REPOSITORY, { mutability: 'MUTABLE' })

    await makeContext(path.join(workspace, 'tiny'), { content: 'immutable-ecr-build bench: tiny context\n' })
    const realistic = path.join(workspace, 'realistic')
    await mkdir(realistic, { recursive: true })
    await copyFile('/bin/busybox', path.join(realistic, 'busybox'))
    await writeFile(path.join(realistic, 'content.txt'), 'immutable-ecr-build bench: realistic context\n')
    await writeFile(path.join(realistic, 'Dockerfile'), realisticDockerfile())

    const bareDockerConfig = path.join(workspace, 'bare-docker-config')
    const login = await dockerLogin(bareDockerConfig, endpoint.registryHost, endpoint.password)
    if (login.code !== 0) throw new Error(`docker login for the bare builds failed: ${login.stderr.trim()}`)

    const userDockerConfig = path.join(workspace, 'user-docker-config')
    await mkdir(userDockerConfig, { recursive: true })
    await writeFile(path.join(userDockerConfig, 'config.json'), '{"auths":{}}\n')

    const started = endpoint
    return {
      endpoint: started,
      workspace,
      node,
      bareDockerConfig,
      userDockerConfig,
      contexts: {
        tiny: { name: 'tiny', dir: 'tiny', bustCache: false, description: 'busybox + a small file, warm cache' },
        realistic: {
          name: 'realistic',
          dir: 'realistic',
          bustCache: true,
          description: `2 RUN steps of ${LOOP_ITERATIONS.toLocaleString('en')} shell-loop iterations each and a ${RANDOM_LAYER_MIB} MiB random layer, cache busted every run`
        }
      },
      close: async () => {
        await started.stop()
        await removeLocalImages(started.registryHost)
        await rm(workspace, { recursive: true, force: true })
      }
    }
  } catch (error) {
    await endpoint?.stop()
    await rm(workspace, { recursive: true, force: true })
    throw error
  }
}

/** Every build here also lands in the engine's image store; untag them so repeated benches do not pile up. */
async function removeLocalImages(registryHost: string): Promise<void> {
  const listed = await capture('docker', ['image', 'ls', '--format', '{{.Repository}}:{{.Tag}}'])
  const ours = listed.split('\n').filter((reference) => reference.startsWith(`${registryHost}/`))
  for (let i = 0; i < ours.length; i += 50) await capture('docker', ['image', 'rm', ...ours.slice(i, i + 50)])
}

function randomHex(bytes: number): string {
  return randomBytes(bytes).toString('hex')
}

// ---------------------------------------------------------------------------------------------
// One run of the action (A), and one bare build (B).

/**
 * Phases of one action run, in order; they add up to main step + post step. Boundaries come from the
 * action's own log lines and the endpoint's request log. A line's time is its arrival here, within a
 * millisecond on a quiet machine; on a busy one a pipe can deliver several lines at once.
 */
export const ACTION_PHASES = {
  nodeAndBundle: 'node, bundle load, inputs (→ first log line)',
  toFirstRequest: 'SDK client, credentials (→ first ECR request)',
  lookups: 'auth, repository, tag look-ups (→ last answer)',
  builderWait: 'wait for the builder look-ups: buildx driver, `docker info` image store (→ build starts)',
  build: 'docker buildx build (its log group)',
  recheck: 'between build and upload, e.g. a tag re-check (→ upload starts)',
  push: 'upload: `docker push` of the staging tag, or the own upload by digest (its log group)',
  verify: 'after the upload: read back, prove, write and verify tags (→ last ECR answer)',
  finish: 'outputs, summary, until exit (→ main step exits)',
  post: 'post step (spawn → exit)'
} as const
export type ActionPhase = keyof typeof ACTION_PHASES

export const BARE_PHASES = {
  build: 'buildx start, build, export (→ first registry request)',
  push: 'push (→ last registry answer)',
  finish: 'exit (→ process exits)'
} as const
export type BarePhase = keyof typeof BARE_PHASES

export interface ActionSample {
  readonly sha: string
  readonly digest: string
  readonly pushed: boolean
  /** Main step, spawn → exit. */
  readonly mainMs: number
  /** Post step, spawn → exit. */
  readonly postMs: number
  /** What the job pays for the action: both steps (the runner's own bookkeeping between them is not the action's). */
  readonly totalMs: number
  /** Spawn of the main step → arrival of its first ECR API request at the endpoint. */
  readonly startupMs: number | undefined
  readonly phases: Partial<Record<ActionPhase, number>>
  /** ECR API calls by operation. */
  readonly api: Record<string, number>
  /** Registry (/v2) requests by "METHOD kind". */
  readonly registry: Record<string, number>
}

export interface BareSample {
  readonly tag: string
  readonly digest: string
  readonly wallMs: number
  readonly phases: Partial<Record<BarePhase, number>>
  readonly registry: Record<string, number>
}

interface ActionOptions {
  /** Default: a fresh commit, so the run builds and pushes. */
  readonly sha?: string
  readonly ifTagExists?: 'skip'
  /** The digest the skip path must report. */
  readonly expectDigest?: string
  /** More environment for both steps. */
  readonly env?: Record<string, string>
}

export async function runActionOnce(bench: Bench, context: BenchContext, options: ActionOptions = {}): Promise<ActionSample> {
  return (await runActionRecorded(bench, context, options)).sample
}

async function runActionRecorded(
  bench: Bench,
  context: BenchContext,
  options: ActionOptions
): Promise<{ readonly sample: ActionSample; readonly main: ProcessRecord }> {
  const sha = options.sha ?? randomHex(20)
  const inputs: Record<string, string> = { repository: REPOSITORY, context: context.dir, network: 'none' }
  if (context.bustCache) inputs['build-args'] = `BENCH_RUN=${randomHex(8)}`
  if (options.ifTagExists) inputs['if-tag-exists'] = options.ifTagExists
  takeRecords()
  const logFrom = bench.endpoint.requestLog.length
  const run = await runAction({
    inputs,
    // GitHub skips the post step after a successful main (post-if); the bench still times it, so that
    // its "main + post" figures are the cost of a job that did run post, and "main step" what a green job pays.
    forcePost: true,
    env: { ...bench.endpoint.env(), ...options.env },
    workspace: bench.workspace,
    sha,
    repository: GITHUB_REPOSITORY,
    node: bench.node,
    dockerConfig: bench.userDockerConfig
  })
  try {
    const log = bench.endpoint.requestLog.slice(logFrom)
    const [main, post] = takeRecords().filter((record) => record.command === bench.node)
    const reused = options.ifTagExists === 'skip'
    const digest = run.outputs['digest'] ?? ''
    const problem =
      !main || !post
        ? 'the main and post steps were not both seen starting'
        : run.main.exitCode !== 0
          ? `main step exit ${run.main.exitCode}`
          : run.post?.exitCode !== 0
            ? `post step exit ${run.post?.exitCode}`
            : !/^sha256:[0-9a-f]{64}$/.test(digest)
              ? `no digest output (${digest || 'empty'})`
              : run.outputs['pushed'] !== String(!reused)
                ? `pushed=${run.outputs['pushed']}, expected ${!reused}`
                : options.expectDigest && digest !== options.expectDigest
                  ? `digest ${digest}, expected ${options.expectDigest}`
                  : undefined
    // A benchmark of failing runs would measure error paths: stop, and show why.
    if (problem || !main || !post) {
      throw new Error(
        `action run (${context.name}${reused ? ', skip path' : ''}) failed: ${problem}\n${run.main.stdout.slice(-3000)}\n${run.main.stderr.slice(-2000)}`
      )
    }
    const mainMs = durationOf(main)
    const postMs = durationOf(post)
    const apiStarts = log.filter((entry) => entry.kind === 'api').map((entry) => logTime(main, entry, 'start'))
    const sample: ActionSample = {
      sha,
      digest,
      pushed: !reused,
      mainMs,
      postMs,
      totalMs: mainMs + postMs,
      startupMs: apiStarts.length ? Math.min(...apiStarts) : undefined,
      phases: actionPhases(main, post, log),
      api: countBy(
        log.filter((entry) => entry.kind === 'api'),
        (entry) => entry.operation ?? '?'
      ),
      registry: countBy(
        log.filter((entry) => entry.kind === 'registry'),
        registryKey
      )
    }
    return { sample, main }
  } finally {
    await run.cleanup()
  }
}

function actionPhases(main: ProcessRecord, post: ProcessRecord, log: readonly RequestLogEntry[]): Partial<Record<ActionPhase, number>> {
  const since = (at: number): number => at - main.spawnedHr
  const lineAfter = (predicate: (text: string) => boolean, after = 0): number | undefined => {
    const line = main.lines.find((candidate) => candidate.stream === 'stdout' && since(candidate.at) >= after && predicate(candidate.text))
    return line ? since(line.at) : undefined
  }
  const firstLine = lineAfter(() => true)
  const buildStart = lineAfter((text) => text.startsWith('::group::docker buildx build'))
  const buildEnd = buildStart === undefined ? undefined : lineAfter((text) => text.startsWith('::endgroup::'), buildStart)
  // The classic store's engine push, or the containerd store's own upload of the OCI layout.
  const pushStart = lineAfter((text) => text.startsWith('::group::docker push') || text.startsWith('::group::upload '))
  const pushEnd = pushStart === undefined ? undefined : lineAfter((text) => text.startsWith('::endgroup::'), pushStart)
  const api = log.filter((entry) => entry.kind === 'api').map((entry) => ({ start: logTime(main, entry, 'start'), end: logTime(main, entry, 'end') }))
  const firstApi = api.length ? Math.min(...api.map((call) => call.start)) : undefined
  // The look-ups are the calls that went out before the build (all of them on the skip path).
  const lookupCalls = api.filter((call) => buildStart === undefined || call.start < buildStart)
  const lookupsEnd = lookupCalls.length ? Math.max(...lookupCalls.map((call) => call.end)) : undefined
  const lastApiEnd = api.length ? Math.max(...api.map((call) => call.end)) : undefined
  const exit = durationOf(main)
  const between = (from: number | undefined, to: number | undefined): number | undefined => (from === undefined || to === undefined ? undefined : to - from)
  return {
    nodeAndBundle: firstLine,
    toFirstRequest: between(firstLine, firstApi),
    lookups: between(firstApi, lookupsEnd),
    builderWait: between(lookupsEnd, buildStart),
    build: between(buildStart, buildEnd),
    recheck: between(buildEnd, pushStart),
    push: between(pushStart, pushEnd),
    verify: between(pushEnd, pushEnd === undefined ? undefined : lastApiEnd),
    finish: between(pushEnd === undefined ? lookupsEnd : lastApiEnd, exit),
    post: durationOf(post)
  }
}

export async function runBareOnce(bench: Bench, context: BenchContext): Promise<BareSample> {
  const tag = `bare-${randomHex(6)}`
  const metadataFile = path.join(bench.workspace, 'bare-metadata', `${tag}.json`)
  await mkdir(path.dirname(metadataFile), { recursive: true })
  // The same labels the action sets, so both do the same build work (the created label differs per run in both).
  const args = [
    'buildx',
    'build',
    '--progress=plain',
    '--push',
    `--metadata-file=${metadataFile}`,
    '--network=none',
    `--label=org.opencontainers.image.revision=${randomHex(20)}`,
    `--label=org.opencontainers.image.source=${SOURCE_URL}`,
    `--label=org.opencontainers.image.created=${new Date().toISOString()}`,
    ...(context.bustCache ? [`--build-arg=BENCH_RUN=${randomHex(8)}`] : []),
    `--tag=${bench.endpoint.registryHost}/${BARE_REPOSITORY}:${tag}`,
    path.join(bench.workspace, context.dir)
  ]
  takeRecords()
  const logFrom = bench.endpoint.requestLog.length
  const result = await execute('docker', args, { ...process.env, DOCKER_CONFIG: bench.bareDockerConfig })
  const log = bench.endpoint.requestLog.slice(logFrom).filter((entry) => entry.kind === 'registry')
  if (result.code !== 0) throw new Error(`bare build (${context.name}) failed (exit ${result.code}):\n${result.stderr.slice(-3000)}`)
  const metadata = JSON.parse(await readFile(metadataFile, 'utf8')) as Record<string, unknown>
  const reported = metadata['containerimage.digest']
  const digest = typeof reported === 'string' ? reported : ''
  if (!digest.startsWith('sha256:')) throw new Error(`bare build (${context.name}) reported no containerimage.digest`)

  const record = result.record
  const wallMs = durationOf(record)
  const starts = log.map((entry) => logTime(record, entry, 'start'))
  const ends = log.map((entry) => logTime(record, entry, 'end'))
  const firstRequest = starts.length ? Math.min(...starts) : undefined
  const lastAnswer = ends.length ? Math.max(...ends) : undefined
  return {
    tag,
    digest,
    wallMs,
    phases: {
      build: firstRequest,
      push: firstRequest === undefined || lastAnswer === undefined ? undefined : lastAnswer - firstRequest,
      finish: lastAnswer === undefined ? undefined : wallMs - lastAnswer
    },
    registry: countBy(log, registryKey)
  }
}

function registryKey(entry: RequestLogEntry): string {
  const kind = /\/(manifests|blobs|tags)\//.exec(entry.path ?? '')?.[1] ?? (entry.path?.startsWith('/v2/_catalog') ? 'catalog' : 'base')
  return `${entry.method ?? '?'} ${kind}`
}

function countBy<T>(items: readonly T[], key: (item: T) => string): Record<string, number> {
  const counts: Record<string, number> = {}
  for (const item of items) counts[key(item)] = (counts[key(item)] ?? 0) + 1
  return counts
}

// ---------------------------------------------------------------------------------------------
// Scenarios.

export interface PairedRuns {
  /** Which ran first in each pair: A (the action) or B (the bare build). */
  readonly order: ReadonlyArray<'AB' | 'BA'>
  readonly action: ActionSample[]
  readonly bare: BareSample[]
}

/**
 * Alternating pairs, ABBA: pair 1 runs the action first, pair 2 the bare build first, and so on, so
 * that a drift over the run (or a penalty for going first) does not favour either side. One untimed
 * pair first: it fills the build cache (the tiny context is then fully cached) and the page cache.
 */
export async function runPairs(bench: Bench, context: BenchContext, pairs: number, progress: (message: string) => void): Promise<PairedRuns> {
  progress(`${context.name}: warm-up (untimed)`)
  await runActionOnce(bench, context)
  await runBareOnce(bench, context)
  const order: Array<'AB' | 'BA'> = []
  const action: ActionSample[] = []
  const bare: BareSample[] = []
  for (let pair = 0; pair < pairs; pair++) {
    const actionFirst = pair % 2 === 0
    order.push(actionFirst ? 'AB' : 'BA')
    if (actionFirst) {
      action.push(await runActionOnce(bench, context))
      bare.push(await runBareOnce(bench, context))
    } else {
      bare.push(await runBareOnce(bench, context))
      action.push(await runActionOnce(bench, context))
    }
    const a = action[pair] as ActionSample
    const b = bare[pair] as BareSample
    progress(
      `${context.name}: pair ${pair + 1}/${pairs} (${order[pair]}): action ${Math.round(a.totalMs)} ms (main ${Math.round(a.mainMs)}), bare ${Math.round(b.wallMs)} ms`
    )
  }
  return { order, action, bare }
}

/** if-tag-exists: skip on commits that are already pushed: no build, the outputs name the existing image. */
export async function runSkipPath(
  bench: Bench,
  context: BenchContext,
  pushed: readonly ActionSample[],
  runs: number,
  progress: (message: string) => void
): Promise<ActionSample[]> {
  if (pushed.length === 0) throw new Error('the skip path needs at least one pushed image')
  const samples: ActionSample[] = []
  for (let i = 0; i < runs; i++) {
    const existing = pushed[i % pushed.length] as ActionSample
    const sample = await runActionOnce(bench, context, { sha: existing.sha, ifTagExists: 'skip', expectDigest: existing.digest })
    samples.push(sample)
    progress(`skip path: run ${i + 1}/${runs}: ${Math.round(sample.totalMs)} ms (main ${Math.round(sample.mainMs)})`)
  }
  return samples
}

/**
 * What the runner emulation passes on to the action's steps from this process's environment, and no
 * more: a NODE_EXTRA_CA_CERTS or NODE_OPTIONS here would slow `node -e 0` down (a CA bundle read at
 * start-up costs about 40 ms) without slowing the action's steps.
 */
export function stepLikeEnvironment(): NodeJS.ProcessEnv {
  return Object.fromEntries(['HOME', 'PATH', 'TMPDIR', 'LANG'].flatMap((name) => (process.env[name] === undefined ? [] : [[name, process.env[name]]])))
}

/** Spawn → exit of a short command, after one untimed run (binaries into the page cache). */
export async function timeCommand(command: string, args: readonly string[], runs: number, env: NodeJS.ProcessEnv = process.env): Promise<number[]> {
  const times: number[] = []
  for (let i = 0; i <= runs; i++) {
    const result = await execute(command, args, env)
    if (result.code !== 0) throw new Error(`${command} ${args.join(' ')} failed (exit ${result.code}): ${result.stderr.trim()}`)
    if (i > 0) times.push(durationOf(result.record))
  }
  return times
}

// ---------------------------------------------------------------------------------------------
// Trace: when the action's own docker calls start and end. Its grandchildren are out of reach of the
// spawn probe, so a shim named docker, first in PATH, logs each call and then runs the real docker.
// It costs a shell and two `date` runs per call (a few ms), so traced runs are never among the timed ones.

export interface DockerCall {
  /** e.g. "buildx inspect", "buildx build", "push". */
  readonly command: string
  /** ms after the main step's spawn (1 ms resolution: wall clock on both sides). */
  readonly startMs: number
  readonly endMs: number
}

export interface TraceRun {
  readonly scenario: string
  readonly sample: ActionSample
  readonly docker: DockerCall[]
}

const DOCKER_SHIM = `#!/bin/sh
# Logs when each docker call starts and ends (epoch ns), then behaves exactly like docker.
start=$(date +%s%N)
"$BENCH_REAL_DOCKER" "$@"
code=$?
printf '%s %s %s %s\\n' "$start" "$(date +%s%N)" "$1" "$2" >> "$BENCH_TRACE_FILE"
exit $code
`

export async function traceDockerCalls(bench: Bench, context: BenchContext, scenario: string, options: ActionOptions = {}): Promise<TraceRun> {
  const realDocker = await capture('sh', ['-c', 'command -v docker'])
  if (!realDocker) throw new Error('docker is not on PATH')
  const dir = await mkdtemp(path.join(os.tmpdir(), 'immutable-ecr-build-trace-'))
  try {
    const traceFile = path.join(dir, 'calls.txt')
    await mkdir(path.join(dir, 'bin'))
    await writeFile(path.join(dir, 'bin', 'docker'), DOCKER_SHIM, { mode: 0o755 })
    await writeFile(traceFile, '')
    const { sample, main } = await runActionRecorded(bench, context, {
      ...options,
      env: { ...options.env, PATH: `${path.join(dir, 'bin')}:${process.env['PATH'] ?? ''}`, BENCH_REAL_DOCKER: realDocker, BENCH_TRACE_FILE: traceFile }
    })
    const docker = (await readFile(traceFile, 'utf8'))
      .split('\n')
      .filter(Boolean)
      .map((line) => {
        const [start = '0', end = '0', first = '', second = ''] = line.split(' ')
        const relative = (ns: string): number => Number(BigInt(ns) / 1_000_000n) - main.spawnedWall
        return { command: first === 'buildx' ? `${first} ${second}` : first, startMs: relative(start), endMs: relative(end) }
      })
      .sort((a, b) => a.startMs - b.startMs)
    return { scenario, sample, docker }
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
}

// ---------------------------------------------------------------------------------------------
// What the runtime loads from the build action's bundle (dist/build/), and its size.

export interface DistFile {
  readonly file: string
  readonly bytes: number
}

export interface DistSizes {
  /** Files the main step loaded (measured), or undefined when the census did not work. */
  readonly mainStep: { readonly files: DistFile[]; readonly bytes: number } | undefined
  readonly postStep: { readonly files: DistFile[]; readonly bytes: number } | undefined
  /** Every .js/.cjs file in dist/build/. */
  readonly allJavaScript: { readonly files: DistFile[]; readonly bytes: number }
  /** Everything in dist/build/ (source maps and licenses too). */
  readonly totalBytes: number
}

/**
 * One extra, untimed push run with a module-loading hook (NODE_OPTIONS=--import) that writes down
 * every file URL each step loads. Measured rather than read from the bundle, so that a changed
 * chunk split is still reported right.
 */
export async function measureDistSizes(bench: Bench, context: BenchContext): Promise<DistSizes> {
  const censusDir = await mkdtemp(path.join(os.tmpdir(), 'immutable-ecr-build-census-'))
  let loaded: { main: string[]; post: string[] } | undefined
  try {
    const hooks = path.join(censusDir, 'hooks.mjs')
    const register = path.join(censusDir, 'register.mjs')
    await writeFile(
      hooks,
      [
        "import { appendFileSync } from 'node:fs'",
        // Only the post step gets STATE_* variables (main's saved state): that names the step.
        "const step = Object.keys(process.env).some((name) => name.startsWith('STATE_')) ? 'post' : 'main'",
        'export async function load(url, context, nextLoad) {',
        "  if (url.startsWith('file:')) appendFileSync(`${process.env.BENCH_CENSUS_DIR}/${step}.txt`, url + '\\n')",
        '  return nextLoad(url, context)',
        '}',
        ''
      ].join('\n')
    )
    await writeFile(register, `import { register } from 'node:module'\nregister(${JSON.stringify(pathToFileURL(hooks).href)})\n`)
    await runActionOnce(bench, context, { env: { NODE_OPTIONS: `--import=${register}`, BENCH_CENSUS_DIR: censusDir } })
    const distFiles = async (step: string): Promise<string[]> =>
      (await readFile(path.join(censusDir, `${step}.txt`), 'utf8'))
        .split('\n')
        .filter(Boolean)
        .map((url) => fileURLToPath(url))
        .filter((file) => file.startsWith(`${DIST_DIR}${path.sep}`))
    loaded = { main: await distFiles('main'), post: await distFiles('post') }
  } catch {
    loaded = undefined
  } finally {
    await rm(censusDir, { recursive: true, force: true })
  }

  const sizeOf = async (file: string): Promise<DistFile> => ({ file: path.relative(DIST_DIR, file), bytes: (await stat(file)).size })
  const group = async (list: readonly string[]): Promise<{ files: DistFile[]; bytes: number }> => {
    const files = await Promise.all([...new Set(list)].sort().map(sizeOf))
    return { files, bytes: files.reduce((sum, file) => sum + file.bytes, 0) }
  }
  const everything = (await readdir(DIST_DIR)).map((name) => path.join(DIST_DIR, name))
  const all = await group(everything)
  return {
    mainStep: loaded && loaded.main.length ? await group(loaded.main) : undefined,
    postStep: loaded && loaded.post.length ? await group(loaded.post) : undefined,
    allJavaScript: await group(everything.filter((file) => /\.(?:c|m)?js$/.test(file))),
    totalBytes: all.bytes
  }
}

// ---------------------------------------------------------------------------------------------
// The machine and the code under test.

export interface Machine {
  readonly cpu: string
  readonly cores: number
  readonly memoryGiB: number
  readonly os: string
  readonly kernel: string
  readonly dockerClient: string
  readonly dockerEngine: string
  readonly buildx: string
  readonly builder: string
  readonly actionNode: string
  readonly harnessNode: string
}

export async function describeMachine(node: string): Promise<Machine> {
  const osRelease = await readFile('/etc/os-release', 'utf8').catch(() => '')
  const versions = await capture('docker', ['version', '--format', '{{.Client.Version}}|{{.Server.Version}}'])
  const [client = '?', engine = '?'] = versions.split('|')
  const inspect = await capture('docker', ['buildx', 'inspect'])
  const driver = /^Driver:\s*(\S+)/m.exec(inspect)?.[1] ?? '?'
  const buildkit = /^BuildKit version:\s*(\S+)/m.exec(inspect)?.[1] ?? '?'
  return {
    cpu: os.cpus()[0]?.model.trim() ?? '?',
    cores: os.availableParallelism(),
    memoryGiB: Math.round((os.totalmem() / 1024 ** 3) * 10) / 10,
    os: /^PRETTY_NAME="?([^"\n]*)"?/m.exec(osRelease)?.[1] ?? os.type(),
    kernel: os.release(),
    dockerClient: `${client} (${await capture('sh', ['-c', 'command -v docker'])})`,
    dockerEngine: engine,
    buildx: (await capture('docker', ['buildx', 'version'])).split(' ').slice(1, 2).join(' ') || '?',
    builder: `${driver} driver, BuildKit ${buildkit}`,
    actionNode: await capture(node, ['--version']),
    harnessNode: process.version
  }
}

export interface CodeUnderTest {
  readonly commit: string
  /** Uncommitted changes anywhere in the working tree. */
  readonly dirty: boolean
  /** dist/ differs from the commit: the figures are for the working tree's bundle. */
  readonly distChanged: boolean
}

export async function describeCode(): Promise<CodeUnderTest> {
  const git = (...args: string[]): Promise<string> => capture('git', ['-C', REPO_ROOT, ...args])
  return {
    commit: (await git('rev-parse', '--short', 'HEAD')) || 'unknown',
    dirty: (await git('status', '--porcelain')) !== '',
    distChanged: (await git('status', '--porcelain', '--', 'dist')) !== ''
  }
}
