import { afterEach, describe, expect, it } from '@jest/globals'
import { mkdtempSync, rmSync } from 'node:fs'
import { createServer, type Server } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { probeEngineGrpc, readEngineDriverStatus, startEngineGrpcProxy, upgradeToGrpc } from '../../src/adapters/engine-grpc-proxy.js'
import { echoThrough, startFakeEngine, type FakeEngine } from '../../__fixtures__/fake-engine.js'

let dir = ''
let engine: FakeEngine | undefined
const closers: (() => Promise<void>)[] = []
afterEach(async () => {
  for (const close of closers.splice(0)) await close()
  await engine?.close()
  engine = undefined
  if (dir) rmSync(dir, { recursive: true, force: true })
})

async function fakeEngine(options: { refuse?: number; imageStore?: 'classic' | 'containerd' } = {}): Promise<FakeEngine> {
  dir = mkdtempSync(join(tmpdir(), 'ieb-proxy-'))
  engine = await startFakeEngine(join(dir, 'engine.sock'), options)
  return engine
}

describe('engine gRPC proxy', () => {
  it('pipes each connection to the engine after POST /grpc is upgraded to h2c', async () => {
    const e = await fakeEngine()
    const proxy = await startEngineGrpcProxy(e.socketPath, join(dir, 'proxy.sock'))
    closers.push(() => proxy.close())
    expect(await echoThrough(proxy.socketPath, 'PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n')).toBe('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n')
    expect(await echoThrough(proxy.socketPath, 'second')).toBe('second')
    expect(e.requests).toEqual(['POST /grpc h2c', 'POST /grpc h2c'])
  })

  it('a refused upgrade closes the client connection (buildx sees a failed dial, not a hang)', async () => {
    const e = await fakeEngine({ refuse: 404 })
    const proxy = await startEngineGrpcProxy(e.socketPath, join(dir, 'proxy.sock'))
    closers.push(() => proxy.close())
    expect(await echoThrough(proxy.socketPath, 'hello')).toBe('')
  })

  it('close() ends open connections and stops listening', async () => {
    const e = await fakeEngine()
    const proxy = await startEngineGrpcProxy(e.socketPath, join(dir, 'proxy.sock'))
    await echoThrough(proxy.socketPath, 'x')
    await proxy.close()
    await expect(echoThrough(proxy.socketPath, 'x')).rejects.toThrow(/ENOENT|ECONNREFUSED/)
  })

  it.each([
    [404, 'the engine answered POST /grpc with HTTP 404 instead of 101 Switching Protocols'],
    [403, 'the engine answered POST /grpc with HTTP 403 instead of 101 Switching Protocols']
  ])('the probe says why an engine refused (HTTP %s)', async (status, message) => {
    const e = await fakeEngine({ refuse: status })
    await expect(probeEngineGrpc(e.socketPath)).rejects.toThrow(message)
  })

  it('the probe passes on an engine that grants the upgrade', async () => {
    const e = await fakeEngine()
    await expect(probeEngineGrpc(e.socketPath)).resolves.toBeUndefined()
    expect(e.upgrades).toBe(1)
  })

  it('no engine at the socket: a reason naming the socket', async () => {
    dir = mkdtempSync(join(tmpdir(), 'ieb-proxy-'))
    await expect(probeEngineGrpc(join(dir, 'missing.sock'))).rejects.toThrow(`POST /grpc on ${join(dir, 'missing.sock')} failed: `)
  })

  it('an engine that never answers is given up after the timeout', async () => {
    dir = mkdtempSync(join(tmpdir(), 'ieb-proxy-'))
    // Accepts and reads, never answers.
    const silent: Server = createServer((socket) => socket.resume())
    await new Promise<void>((resolve) => silent.listen(join(dir, 'silent.sock'), resolve))
    closers.push(() => new Promise<void>((resolve) => silent.close(() => resolve())))
    await expect(upgradeToGrpc(join(dir, 'silent.sock'), 50)).rejects.toThrow('no answer to POST /grpc within 50 ms')
  })
})

describe('readEngineDriverStatus', () => {
  it("answers what `docker info --format '{{json .DriverStatus}}'` prints, from one GET /info", async () => {
    const e = await fakeEngine({ imageStore: 'containerd' })
    expect(JSON.parse(await readEngineDriverStatus(e.socketPath))).toEqual([['driver-type', 'io.containerd.snapshotter.v1']])
    expect(e.requests).toEqual(['GET /info '])
  })

  it('rejects an answer other than 200 and a socket nobody listens on (the caller then asks the CLI)', async () => {
    const e = await fakeEngine()
    await expect(readEngineDriverStatus(e.socketPath)).rejects.toThrow('the engine answered GET /info with HTTP 404')
    await expect(readEngineDriverStatus(join(dir, 'absent.sock'))).rejects.toThrow('ENOENT')
  })
})
