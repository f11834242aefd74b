// npm run bench:route (issue #16): where the engine route's time goes. On the containerd-store engine, a fresh
// 64 MiB layer pushed by a bare `docker buildx build --push` (the `docker` driver, buildx dialling the engine
// itself) against the same build through a `remote` builder behind the action's proxy (tagged push, and the
// action's own push-by-digest output), alternating; the route's set-up phases (probe, proxy listen,
// `docker buildx create --driver remote`); and the proxy hop alone: 64 MiB there and back through an upgraded
// connection to a fake engine that echoes, directly and through the proxy. Not a test: it prints medians and writes them to bench-results/.
//
//   npm run bench:route [-- --runs N]
import { randomBytes } from 'node:crypto'
import { copyFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { performance } from 'node:perf_hooks'
import { createConnection, type Socket } from 'node:net'
import { probeEngineGrpc, startEngineGrpcProxy, upgradeToGrpc } from '../src/adapters/engine-grpc-proxy.js'
import { startFakeEngine } from '../__fixtures__/fake-engine.js'
import { startEcrEndpoint } from '../e2e/support/ecr/ecr-endpoint.js'
import { runCommand } from '../e2e/support/docker/real-parts.js'
import { REPO_ROOT } from '../e2e/support/runner/runner.js'
import { summarize } from './stats.js'

const LAYER_MIB = 64

// bare/proxied: a tagged `--push`; proxiedByDigest: the action's own output. (A build without output is no
// comparison: the docker driver still exports into the image store, a remote builder exports nothing.)
type Side = 'bare' | 'proxied' | 'proxiedByDigest'
const SIDES: readonly Side[] = ['bare', 'proxied', 'proxiedByDigest']

async function timed<T>(work: () => Promise<T>): Promise<[T, number]> {
  const started = performance.now()
  const value = await work()
  return [value, performance.now() - started]
}

/** 64 MiB written in 1 MiB chunks and read back from the echo: the milliseconds until the last byte is back. */
function echoRoundTrip(socket: Socket): Promise<number> {
  const size = LAYER_MIB * 1024 * 1024
  const chunk = Buffer.alloc(1024 * 1024, 7)
  return new Promise((resolve, reject) => {
    const started = performance.now()
    let received = 0
    let sent = 0
    socket.on('data', (data: Buffer) => {
      received += data.length
      if (received >= size) {
        socket.destroy()
        resolve(performance.now() - started)
      }
    })
    socket.on('error', reject)
    const write = (): void => {
      while (sent < size) {
        sent += chunk.length
        if (!socket.write(chunk)) {
          socket.once('drain', write)
          return
        }
      }
    }
    write()
  })
}

async function proxyHop(root: string, runs: number): Promise<Record<string, unknown>> {
  const engine = await startFakeEngine(path.join(root, 'fake-engine.sock'))
  const proxy = await startEngineGrpcProxy(engine.socketPath, path.join(root, 'hop.sock'))
  const direct: number[] = []
  const proxied: number[] = []
  try {
    for (let i = 0; i < runs; i++) {
      direct.push(await echoRoundTrip((await upgradeToGrpc(engine.socketPath)).socket))
      const client = createConnection(proxy.socketPath)
      await new Promise((resolve) => client.once('connect', resolve))
      proxied.push(await echoRoundTrip(client))
    }
  } finally {
    await proxy.close()
    await engine.close()
  }
  return { direct: summarize(direct), proxied: summarize(proxied) }
}

async function main(): Promise<void> {
  const at = process.argv.indexOf('--runs')
  const runs = Number(at >= 0 ? process.argv[at + 1] : '5')
  const host = process.env['DOCKER_HOST'] ?? ''
  if (!host.startsWith('unix://')) throw new Error('DOCKER_HOST must name the containerd-store engine by unix socket')
  const engineSocket = host.slice('unix://'.length)
  const root = await mkdtemp(path.join(os.tmpdir(), 'bench-route-'))
  const endpoint = await startEcrEndpoint()
  const dockerConfig = path.join(root, 'docker-config')
  await mkdir(dockerConfig)
  await writeFile(
    path.join(dockerConfig, 'config.json'),
    JSON.stringify({ auths: { [endpoint.registryHost]: { auth: Buffer.from(`AWS:${endpoint.password}`).toString('base64') } } })
  )
  const buildxConfig = path.join(root, 'buildx')
  const env = { ...process.env, DOCKER_CONFIG: dockerConfig, BUILDX_CONFIG: buildxConfig }
  const socketDir = path.join(root, 'sock')
  await mkdir(socketDir, { mode: 0o700 })
  const results: Record<string, unknown> = { engine: host, runs }
  try {
    // The set-up phases, each `runs` times (a new proxy and builder each time).
    const phases: Record<string, number[]> = { probe: [], proxyListen: [], buildxCreate: [], buildxRm: [] }
    for (let i = 0; i < runs; i++) {
      phases.probe?.push((await timed(() => probeEngineGrpc(engineSocket)))[1])
      const socketPath = path.join(socketDir, `p${i}.sock`)
      const [proxy, listenMs] = await timed(() => startEngineGrpcProxy(engineSocket, socketPath))
      phases.proxyListen?.push(listenMs)
      const name = `phase-${i}`
      const [created, createMs] = await timed(() =>
        runCommand('docker', ['buildx', 'create', '--name', name, '--driver', 'remote', `unix://${socketPath}`], { env })
      )
      if (created.code !== 0) throw new Error(`buildx create failed: ${created.stderr}`)
      phases.buildxCreate?.push(createMs)
      phases.buildxRm?.push((await timed(() => runCommand('docker', ['buildx', 'rm', name], { env })))[1])
      await proxy.close()
    }
    results['setupPhasesMs'] = Object.fromEntries(Object.entries(phases).map(([k, v]) => [k, summarize(v)]))
    results['proxyHop64MiBEchoMs'] = await proxyHop(socketDir, runs)

    // The push itself: a fresh 64 MiB layer every run, alternating sides.
    const context = path.join(root, 'ctx')
    await mkdir(context)
    await copyFile('/bin/busybox', path.join(context, 'busybox'))
    await writeFile(path.join(context, 'Dockerfile'), ['FROM scratch', 'COPY big.bin /data/big.bin', 'COPY small.txt /small.txt', ''].join('\n'))
    const proxy = await startEngineGrpcProxy(engineSocket, path.join(socketDir, 'build.sock'))
    const created = await runCommand('docker', ['buildx', 'create', '--name', 'routed', '--driver', 'remote', `unix://${proxy.socketPath}`], { env })
    if (created.code !== 0) throw new Error(`buildx create failed: ${created.stderr}`)
    const repository = 'bench/route-phases'
    endpoint.createRepository(repository, { mutability: 'MUTABLE' })
    const image = `${endpoint.registryHost}/${repository}`
    const argv = (side: Side, round: string): string[] => {
      const base = ['buildx', 'build', '--progress=plain', '--network=none']
      if (side === 'bare') return [...base, '--push', '-t', `${image}:bare-${round}`, context]
      if (side === 'proxied') return [...base, '--builder=routed', '--push', '-t', `${image}:proxied-${round}`, context]
      return [...base, '--builder=routed', `--output=type=image,name=${image},push-by-digest=true,push=true,oci-mediatypes=true`, context]
    }
    const ms: Record<Side, number[]> = { bare: [], proxied: [], proxiedByDigest: [] }
    const run = async (side: Side, round: string): Promise<number> => {
      await writeFile(path.join(context, 'big.bin'), randomBytes(LAYER_MIB * 1024 * 1024))
      await writeFile(path.join(context, 'small.txt'), `${side} ${round} ${randomBytes(4).toString('hex')}\n`)
      const [result, took] = await timed(() => runCommand('docker', argv(side, round), { env, timeoutMs: 600_000 }))
      if (result.code !== 0) throw new Error(`${side} failed: ${result.stderr.slice(-2000)}`)
      return took
    }
    for (const side of SIDES) await run(side, 'seed')
    for (let i = 0; i < runs; i++) {
      for (let k = 0; k < SIDES.length; k++) {
        const side = SIDES[(i + k) % SIDES.length] as Side
        ms[side].push(await run(side, `${i}`))
      }
      process.stderr.write(`round ${i + 1}/${runs}: ${SIDES.map((side) => `${side} ${Math.round(ms[side][i] ?? 0)} ms`).join(', ')}\n`)
    }
    const summary = Object.fromEntries(SIDES.map((side) => [side, summarize(ms[side])])) as Record<Side, ReturnType<typeof summarize>>
    results['freshLayerMs'] = {
      ...summary,
      proxiedAddsMs: summary.proxied.median - summary.bare.median,
      proxiedByDigestAddsMs: summary.proxiedByDigest.median - summary.bare.median
    }
    await runCommand('docker', ['buildx', 'rm', 'routed'], { env })
    await proxy.close()
  } finally {
    await endpoint.stop()
    await rm(root, { recursive: true, force: true })
  }
  const outDir = path.join(REPO_ROOT, 'bench-results')
  await mkdir(outDir, { recursive: true })
  const file = path.join(outDir, `route-phases-${new Date().toISOString().replace(/[:.]/g, '-')}.json`)
  await writeFile(file, `${JSON.stringify(results, null, 2)}\n`)
  process.stdout.write(`${JSON.stringify(results, null, 2)}\nwritten to ${file}\n`)
}

main().catch((error: unknown) => {
  process.stderr.write(`bench:route: ${error instanceof Error ? error.message : String(error)}\n`)
  process.exitCode = 1
})
