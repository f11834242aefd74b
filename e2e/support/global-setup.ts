// Jest global set-up of the end-to-end suite: on the BuildKit-builder column (IEB_BUILDER=remote) it makes
// the builder a user of docker/setup-buildx-action would have, a `remote`-driver builder, here on the engine
// under test's embedded BuildKit (e2e/support/buildkit-proxy.ts), and hands it to every run the way such a
// user does: BUILDX_BUILDER names it, BUILDX_CONFIG is where buildx keeps it.
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { startBuildkitProxy, type BuildkitProxy } from './buildkit-proxy.js'
import { columnUnderTest, runCommand } from './real-parts.js'

declare global {
  var iebBuilder: { proxy: BuildkitProxy | undefined; dir: string } | undefined
}

export default async function globalSetup(): Promise<void> {
  const column = columnUnderTest()
  if (column.builder !== 'remote' && !process.env.IEB_BUILDX) return
  const dir = await mkdtemp(path.join(os.tmpdir(), 'ieb-e2e-builder-'))
  if (process.env.IEB_BUILDX) {
    // The column's buildx for the suite's own docker commands too (each action run gets it in its DOCKER_CONFIG).
    await mkdir(path.join(dir, 'docker-config', 'cli-plugins'), { recursive: true })
    await writeFile(path.join(dir, 'docker-config', 'config.json'), '{"auths":{}}\n')
    await symlink(process.env.IEB_BUILDX, path.join(dir, 'docker-config', 'cli-plugins', 'docker-buildx'))
    process.env.DOCKER_CONFIG = path.join(dir, 'docker-config')
  }
  if (column.builder !== 'remote') {
    globalThis.iebBuilder = { proxy: undefined, dir }
    return
  }
  const host = process.env.DOCKER_HOST ?? 'unix:///var/run/docker.sock'
  if (!host.startsWith('unix://')) throw new Error(`IEB_BUILDER=remote needs a unix DOCKER_HOST, not ${host}`)
  const proxy = await startBuildkitProxy(host.slice('unix://'.length), path.join(dir, 'buildkit.sock'))
  globalThis.iebBuilder = { proxy, dir }
  const name = `ieb-e2e-remote-${process.pid}`
  const env = { ...process.env, BUILDX_CONFIG: path.join(dir, 'buildx') }
  const created = await runCommand('docker', ['buildx', 'create', '--name', name, '--driver', 'remote', `unix://${proxy.socketPath}`], { env, timeoutMs: 60_000 })
  if (created.code !== 0) throw new Error(`docker buildx create --driver remote failed: ${created.stderr.trim()}`)
  const inspected = await runCommand('docker', ['buildx', 'inspect', '--bootstrap', name], { env, timeoutMs: 60_000 })
  if (inspected.code !== 0 || !/Status:\s+running/.test(inspected.stdout)) {
    throw new Error(`the remote builder on ${host} is not running: ${(inspected.stderr || inspected.stdout).trim()}`)
  }
  process.env.BUILDX_CONFIG = env.BUILDX_CONFIG
  process.env.BUILDX_BUILDER = name
}

export async function globalTeardown(): Promise<void> {
  const builder = globalThis.iebBuilder
  if (!builder) return
  await builder.proxy?.close()
  await rm(builder.dir, { recursive: true, force: true })
}
