// The real parts the end-to-end suite needs (Docker engine, buildx, docker-registry, a static
// busybox) and test build contexts that need no base image. A missing part is an error, never a
// silent skip: an e2e suite that skips itself proves nothing.
import { spawn } from 'node:child_process'
import { access, copyFile, mkdir, writeFile } from 'node:fs/promises'
import { constants } from 'node:fs'
import path from 'node:path'

export interface CommandResult {
  code: number | null
  signal: NodeJS.Signals | null
  stdout: string
  stderr: string
  durationMs: number
}

export interface CommandOptions {
  env?: NodeJS.ProcessEnv
  cwd?: string
  input?: string
  timeoutMs?: number
}

/**
 * Runs a command without blocking the event loop. Never use execFileSync/spawnSync while an
 * in-process EcrEndpoint serves: the endpoint could not answer and docker would time out.
 */
export function runCommand(command: string, args: string[], options: CommandOptions = {}): Promise<CommandResult> {
  const startedAt = Date.now()
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env: options.env ?? process.env, cwd: options.cwd, stdio: ['pipe', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk))
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk))
    const timer = options.timeoutMs ? setTimeout(() => child.kill('SIGKILL'), options.timeoutMs) : undefined
    child.on('error', (error) => {
      if (timer) clearTimeout(timer)
      reject(error)
    })
    child.on('close', (code, signal) => {
      if (timer) clearTimeout(timer)
      resolve({ code, signal, stdout, stderr, durationMs: Date.now() - startedAt })
    })
    child.stdin.end(options.input ?? '')
  })
}

const SETUP_HINT =
  'run `bash scripts/setup-real-parts.sh` first (it starts the engines and installs what is missing), then run the suite with ' +
  '`DOCKER_HOST=$(bash scripts/engine-host.sh containerd) IEB_ENGINE=containerd npm run test:e2e` (or classic; add IEB_BUILDER=remote ' +
  'for the BuildKit builder on the containerd engine; containerd-28 and classic-28 for Engine 28), as `npm test` does'

/**
 * One column of the test matrix (scripts/test.sh): the engine (IEB_ENGINE: classic, containerd, classic-28,
 * containerd-28) and the builder the action is given (IEB_BUILDER: docker, the engine's own builder, by
 * default; remote, a BuildKit builder on that engine made by e2e/support/docker/global-setup.ts).
 */
export interface Column {
  readonly store: 'classic' | 'containerd'
  readonly engineVersion: '26' | '28'
  readonly builder: 'docker' | 'remote'
}

export function columnUnderTest(env: NodeJS.ProcessEnv = process.env): Column {
  const engine = env.IEB_ENGINE ?? 'classic'
  const match = /^(classic|containerd)(?:-(28))?$/.exec(engine)
  if (!match) throw new Error(`IEB_ENGINE=${engine} is not a column of the test matrix: classic, containerd, classic-28 or containerd-28. ${SETUP_HINT}.`)
  const builder = env.IEB_BUILDER ?? 'docker'
  if (builder !== 'docker' && builder !== 'remote') throw new Error(`IEB_BUILDER=${builder}: docker (default) or remote`)
  if (builder === 'remote' && match[1] === 'classic')
    throw new Error('IEB_BUILDER=remote needs a containerd-store engine: the classic store has no image exporter')
  return { store: match[1] as Column['store'], engineVersion: (match[2] ?? '26') as Column['engineVersion'], builder }
}

/** The column of this run of the suite. */
export const COLUMN = columnUnderTest()
/** The engine pushes under a staging tag: the docker driver on the classic store (one platform, no registry cache). */
export const ENGINE_PUSHES = COLUMN.store === 'classic' && COLUMN.builder === 'docker'
/** Multi-platform builds, registry cache and untagged uploads: every column but the classic docker driver. */
export const BUILDS_INDEXES = !ENGINE_PUSHES

/** The engine under test, as scripts/test.sh names it (IEB_ENGINE, IEB_BUILDER), and the DOCKER_HOST in effect. */
export function engineUnderTest(env: NodeJS.ProcessEnv = process.env): string {
  const name = env.IEB_ENGINE ? `engine "${env.IEB_ENGINE}"` : 'the Docker engine (IEB_ENGINE not set)'
  const builder = env.IEB_BUILDER === 'remote' ? ` through the remote builder ${env.BUILDX_BUILDER ?? '(not set up)'}` : ''
  return `${name}${builder} at ${env.DOCKER_HOST ? `DOCKER_HOST=${env.DOCKER_HOST}` : 'the default socket (DOCKER_HOST not set)'}`
}

/** Throws, with what to do, unless docker (on the DOCKER_HOST in effect), buildx, docker-registry and busybox all answer. */
export async function ensureRealParts(): Promise<void> {
  const problems: string[] = []
  /** The command's stdout, or undefined after recording the problem. */
  const check = async (label: string, command: string, args: string[]): Promise<string | undefined> => {
    try {
      const result = await runCommand(command, args, { timeoutMs: 20_000 })
      if (result.code === 0) return result.stdout
      problems.push(`${label} failed (exit ${result.code ?? result.signal}): ${result.stderr.trim().split('\n').slice(-3).join(' ')}`)
    } catch (error) {
      problems.push(`${label} could not run: ${error instanceof Error ? error.message : String(error)}`)
    }
    return undefined
  }
  const engine = engineUnderTest()
  const info = await check(`\`docker info\` on ${engine}`, 'docker', ['info', '--format', '{{json .DriverStatus}} {{.ServerVersion}}'])
  if (info !== undefined && process.env.IEB_ENGINE) {
    // The containerd image store reports the driver type io.containerd.snapshotter.v1; the classic one does not.
    const store = info.includes('io.containerd.snapshotter') ? 'containerd' : 'classic'
    if (store !== COLUMN.store) problems.push(`${engine} uses the ${store} image store, not the ${COLUMN.store} one`)
    const version = /\s(\d+)\.[^\s]*\s*$/.exec(info)?.[1]
    if (version !== COLUMN.engineVersion) problems.push(`${engine} is Docker Engine ${version ?? '?'}, not ${COLUMN.engineVersion}`)
  }
  await check('`docker buildx version`', 'docker', ['buildx', 'version'])
  if (COLUMN.builder === 'remote') {
    const inspected = await check('`docker buildx inspect` of the remote builder', 'docker', ['buildx', 'inspect'])
    if (inspected !== undefined && !/^Driver:\s+remote$/m.test(inspected))
      problems.push(`the active builder is not the remote one: ${inspected.split('\n')[0] ?? ''}`)
  }
  for (const file of ['/usr/bin/docker-registry', '/bin/busybox']) {
    try {
      await access(file, constants.X_OK)
    } catch {
      problems.push(`${file} is missing`)
    }
  }
  if (problems.length > 0) {
    throw new Error(`The e2e suite needs the real Docker parts: ${problems.join('; ')}. ${SETUP_HINT}.`)
  }
}

export interface ContextOptions {
  /** Written to /content.txt in the image: different contents give different image digests. */
  content?: string
  /** Adds a RUN step (exec form: there is no /bin/sh); build with `--network=none`. */
  run?: boolean
}

/** Writes a build context that needs no base image: FROM scratch plus a static busybox. */
export async function makeContext(dir: string, options: ContextOptions = {}): Promise<string> {
  await mkdir(dir, { recursive: true })
  await copyFile('/bin/busybox', path.join(dir, 'busybox'))
  await writeFile(path.join(dir, 'content.txt'), options.content ?? 'immutable-ecr-build e2e\n')
  const lines = ['FROM scratch', 'COPY busybox /bin/busybox', 'COPY content.txt /content.txt']
  if (options.run) lines.push('RUN ["/bin/busybox", "sh", "-c", "/bin/busybox cat /content.txt > /built.txt"]')
  await writeFile(path.join(dir, 'Dockerfile'), `${lines.join('\n')}\n`)
  return dir
}

/** `docker login --password-stdin` into a private DOCKER_CONFIG (created with empty auths). */
export async function dockerLogin(dockerConfig: string, registryHost: string, password: string, username = 'AWS'): Promise<CommandResult> {
  await mkdir(dockerConfig, { recursive: true })
  try {
    await access(path.join(dockerConfig, 'config.json'))
  } catch {
    await writeFile(path.join(dockerConfig, 'config.json'), '{"auths":{}}\n')
  }
  return runCommand('docker', ['login', '--username', username, '--password-stdin', registryHost], {
    env: { ...process.env, DOCKER_CONFIG: dockerConfig },
    input: password,
    timeoutMs: 60_000
  })
}
