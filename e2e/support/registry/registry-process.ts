// Runs a real CNCF distribution registry (docker-registry) as a child process on loopback,
// so the fake ECR endpoint fronts real manifest/blob semantics instead of imitating them.
import { spawn, type ChildProcess } from 'node:child_process'
import { access, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { closeSync, constants, openSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { freePort, request, sleep } from './http-util.js'

export interface RegistryProcess {
  /** http://127.0.0.1:<port> */
  readonly url: string
  /** Filesystem storage root: lets the endpoint do what the registry API cannot (untag, list untagged). */
  readonly storageRoot: string
  readonly pid: number | undefined
  readonly logPath: string
  /** Resolves when the child exits for any reason (used to notice a crash). */
  readonly exited: Promise<number | null>
  stop(): Promise<void>
}

export interface RegistryProcessOptions {
  binary?: string
  startTimeoutMs?: number
}

const BINARY_CANDIDATES = ['/usr/bin/docker-registry', '/usr/local/bin/docker-registry', '/usr/bin/registry']

async function findBinary(explicit?: string): Promise<string> {
  if (explicit) return explicit
  for (const candidate of BINARY_CANDIDATES) {
    try {
      await access(candidate, constants.X_OK)
      return candidate
    } catch {
      // try the next one
    }
  }
  throw new Error(`docker-registry not found (looked in ${BINARY_CANDIDATES.join(', ')}): run \`bash scripts/setup-real-parts.sh\` first`)
}

function configYaml(port: number, storageRoot: string): string {
  // A fixed http.secret only silences the registry's startup warning. No debug listener and no
  // notifications: nothing may bind beyond the one loopback port.
  return [
    'version: 0.1',
    'log:',
    '  level: warn',
    '  accesslog:',
    '    disabled: true',
    'storage:',
    '  filesystem:',
    `    rootdirectory: ${storageRoot}`,
    '  delete:',
    '    enabled: true',
    '  maintenance:',
    '    uploadpurging:',
    '      enabled: false',
    'http:',
    `  addr: 127.0.0.1:${port}`,
    '  secret: immutable-ecr-build-e2e-only',
    ''
  ].join('\n')
}

export async function startRegistry(options: RegistryProcessOptions = {}): Promise<RegistryProcess> {
  const binary = await findBinary(options.binary)
  const dir = await mkdtemp(path.join(os.tmpdir(), 'ecr-endpoint-registry-'))
  const storageRoot = path.join(dir, 'storage')
  const logPath = path.join(dir, 'registry.log')
  let lastError: Error | undefined
  // The free port may be taken between probing and binding: try a few.
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = await freePort()
    const configPath = path.join(dir, 'config.yml')
    await writeFile(configPath, configYaml(port, storageRoot))
    const logFd = openSync(logPath, 'a')
    const child = spawn(binary, ['serve', configPath], { stdio: ['ignore', logFd, logFd] })
    closeSync(logFd)
    const exited = new Promise<number | null>((resolve) => {
      child.once('exit', (code) => resolve(code))
      child.once('error', () => resolve(-1))
    })
    const url = `http://127.0.0.1:${port}`
    try {
      await waitUntilAnswers(url, exited, options.startTimeoutMs ?? 15_000)
    } catch (error) {
      lastError = error instanceof Error ? error : new Error(String(error))
      await killChild(child, exited)
      continue
    }
    const killOnExit = (): void => {
      child.kill('SIGKILL')
      rmSync(dir, { recursive: true, force: true })
    }
    // A crashed or interrupted test process must not leave a registry behind.
    process.once('exit', killOnExit)
    let stopped = false
    return {
      url,
      storageRoot,
      pid: child.pid,
      logPath,
      exited,
      async stop() {
        if (stopped) return
        stopped = true
        process.removeListener('exit', killOnExit)
        await killChild(child, exited)
        await rm(dir, { recursive: true, force: true })
      }
    }
  }
  const log = await readFile(logPath, 'utf8').catch(() => '')
  await rm(dir, { recursive: true, force: true })
  throw new Error(`docker-registry did not start: ${lastError?.message ?? 'unknown'}\n${log.split('\n').slice(-20).join('\n')}`)
}

async function waitUntilAnswers(url: string, exited: Promise<number | null>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs
  let exitCode: number | null | undefined
  void exited.then((code) => {
    exitCode = code
  })
  while (Date.now() < deadline) {
    if (exitCode !== undefined) throw new Error(`docker-registry exited with code ${exitCode} before answering`)
    try {
      const res = await request(`${url}/v2/`, { timeoutMs: 1_000 })
      if (res.status === 200) return
    } catch {
      // not listening yet
    }
    await sleep(50)
  }
  throw new Error(`docker-registry did not answer on ${url} within ${timeoutMs} ms`)
}

async function killChild(child: ChildProcess, exited: Promise<number | null>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return
  child.kill('SIGTERM')
  const timer = setTimeout(() => child.kill('SIGKILL'), 3_000)
  await exited
  clearTimeout(timer)
}
