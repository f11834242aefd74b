// Jest global set-up of the end-to-end suite. On the BuildKit-builder column (IEB_BUILDER=remote) it makes
// the builder a user of docker/setup-buildx-action would have, a `remote`-driver builder, here on the engine
// under test's embedded BuildKit reached through the engine API's `POST /grpc` upgrade to h2c (the endpoint
// buildx's own `docker` driver uses), and hands it to every run the way such a user does: BUILDX_BUILDER
// names it, BUILDX_CONFIG is where buildx keeps it. The proxy is written apart from the action's own
// (src/adapters/engine-grpc-proxy.ts) on purpose, over raw sockets, so that a fault in one cannot hide the
// same fault in the other. On a column with its own buildx (IEB_BUILDX) it gives the suite's own docker
// commands that buildx too.
import { mkdir, mkdtemp, symlink, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { spawn } from 'node:child_process'
import { createConnection, createServer, type Server, type Socket } from 'node:net'
// Jest loads this file outside the suite's module mapping, so it imports no file of the suite.

declare global {
  var iebBuilder: { proxy: BuildkitProxy | undefined; dir: string } | undefined
}

export default async function globalSetup(): Promise<void> {
  const remote = process.env.IEB_BUILDER === 'remote'
  if (!remote && !process.env.IEB_BUILDX) return
  const dir = await mkdtemp(path.join(os.tmpdir(), 'ieb-e2e-builder-'))
  if (process.env.IEB_BUILDX) {
    // The column's buildx for the suite's own docker commands too (each action run gets it in its DOCKER_CONFIG).
    await mkdir(path.join(dir, 'docker-config', 'cli-plugins'), { recursive: true })
    await writeFile(path.join(dir, 'docker-config', 'config.json'), '{"auths":{}}\n')
    await symlink(process.env.IEB_BUILDX, path.join(dir, 'docker-config', 'cli-plugins', 'docker-buildx'))
    process.env.DOCKER_CONFIG = path.join(dir, 'docker-config')
  }
  if (!remote) {
    globalThis.iebBuilder = { proxy: undefined, dir }
    return
  }
  const host = process.env.DOCKER_HOST ?? 'unix:///var/run/docker.sock'
  if (!host.startsWith('unix://')) throw new Error(`IEB_BUILDER=remote needs a unix DOCKER_HOST, not ${host}`)
  const proxy = await startBuildkitProxy(host.slice('unix://'.length), path.join(dir, 'buildkit.sock'))
  globalThis.iebBuilder = { proxy, dir }
  const name = `ieb-e2e-remote-${process.pid}`
  const env = { ...process.env, BUILDX_CONFIG: path.join(dir, 'buildx') }
  const created = await docker(['buildx', 'create', '--name', name, '--driver', 'remote', `unix://${proxy.socketPath}`], env)
  if (created.code !== 0) throw new Error(`docker buildx create --driver remote failed: ${created.stderr.trim()}`)
  const inspected = await docker(['buildx', 'inspect', '--bootstrap', name], env)
  if (inspected.code !== 0 || !/Status:\s+running/.test(inspected.stdout)) {
    throw new Error(`the remote builder on ${host} is not running: ${(inspected.stderr || inspected.stdout).trim()}`)
  }
  process.env.BUILDX_CONFIG = env.BUILDX_CONFIG
  process.env.BUILDX_BUILDER = name
}

/** docker with an argv array, without blocking the event loop the proxy runs on. */
function docker(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('docker', args, { env, stdio: ['ignore', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk))
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk))
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000)
    child.on('error', reject)
    child.on('close', (code) => {
      clearTimeout(timer)
      resolve({ code, stdout, stderr })
    })
  })
}

const UPGRADE = 'POST /grpc HTTP/1.1\r\nHost: docker\r\nConnection: Upgrade\r\nUpgrade: h2c\r\nContent-Length: 0\r\n\r\n'

interface BuildkitProxy {
  readonly socketPath: string
  close(): Promise<void>
}

/** Accepts on `socketPath`; per connection: open the engine's socket, upgrade, wait for 101, then pipe both ways. */
async function startBuildkitProxy(engineSocket: string, socketPath: string): Promise<BuildkitProxy> {
  const open = new Set<Socket>()
  const track = (socket: Socket): Socket => {
    open.add(socket)
    socket.on('close', () => open.delete(socket))
    socket.on('error', () => socket.destroy())
    return socket
  }
  const server: Server = createServer((client) => {
    track(client).pause()
    const engine = track(createConnection(engineSocket, () => engine.write(UPGRADE)))
    let answer = Buffer.alloc(0)
    const onHead = (chunk: Buffer): void => {
      answer = Buffer.concat([answer, chunk])
      const end = answer.indexOf('\r\n\r\n')
      if (end < 0) return
      engine.off('data', onHead)
      if (!/^HTTP\/1\.1 101 /.test(answer.toString('latin1', 0, end))) {
        engine.destroy()
        client.destroy()
        return
      }
      const rest = answer.subarray(end + 4)
      if (rest.length) client.write(rest)
      engine.on('close', () => client.destroy())
      client.on('close', () => engine.destroy())
      client.pipe(engine)
      engine.pipe(client)
      client.resume()
    }
    engine.on('data', onHead)
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(socketPath, () => resolve())
  })
  return {
    socketPath,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of open) socket.destroy()
        server.close(() => resolve())
      })
  }
}
