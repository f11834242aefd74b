import { createServer, type Server } from 'node:http'
import type { Socket } from 'node:net'

/**
 * A Docker engine's API socket as far as the engine route uses it: `POST /grpc` with `Upgrade: h2c` gets
 * `101 Switching Protocols` and then an echo of every byte (standing in for BuildKit's gRPC), or a refusal.
 * A real unix socket, so the proxy under test really dials, upgrades and pipes.
 */
export interface FakeEngine {
  readonly socketPath: string
  /** Upgrades granted so far (the probe and every connection buildx opened through the proxy). */
  readonly upgrades: number
  /** Requests seen: method, path and the Upgrade header. */
  readonly requests: readonly string[]
  close(): Promise<void>
}

export async function startFakeEngine(
  socketPath: string,
  /** refuse: the status that answers the upgrade; imageStore: what `GET /info` says (404 when not given). */
  options: { readonly refuse?: number; readonly imageStore?: 'classic' | 'containerd' } = {}
): Promise<FakeEngine> {
  let upgrades = 0
  const requests: string[] = []
  const open = new Set<Socket>()
  const server: Server = createServer((request, response) => {
    requests.push(`${request.method ?? ''} ${request.url ?? ''} ${request.headers.upgrade ?? ''}`)
    if (request.method === 'GET' && request.url === '/info' && options.imageStore) {
      const status = options.imageStore === 'containerd' ? [['driver-type', 'io.containerd.snapshotter.v1']] : [['Backing Filesystem', 'extfs']]
      response.setHeader('Content-Type', 'application/json')
      response.end(JSON.stringify({ ID: 'fake', DriverStatus: status }))
      return
    }
    response.statusCode = 404
    response.end('{"message":"page not found"}')
  })
  server.on('upgrade', (request, socket: Socket, head: Buffer) => {
    requests.push(`${request.method ?? ''} ${request.url ?? ''} ${request.headers.upgrade ?? ''}`)
    open.add(socket)
    socket.on('close', () => open.delete(socket))
    if (options.refuse !== undefined || request.url !== '/grpc' || request.headers.upgrade !== 'h2c') {
      socket.end(`HTTP/1.1 ${options.refuse ?? 400} Refused\r\nContent-Length: 0\r\nConnection: close\r\n\r\n`)
      return
    }
    upgrades++
    socket.write('HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: h2c\r\n\r\n')
    if (head.length) socket.write(head)
    socket.pipe(socket)
  })
  await new Promise<void>((resolve) => server.listen(socketPath, resolve))
  return {
    socketPath,
    get upgrades() {
      return upgrades
    },
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of open) socket.destroy()
        server.close(() => resolve())
      })
  }
}

/** Sends `text` through a socket that should reach the fake engine's echo, and resolves with what came back. */
export async function echoThrough(socketPath: string, text: string): Promise<string> {
  const { createConnection } = await import('node:net')
  return new Promise((resolve, reject) => {
    const socket = createConnection(socketPath)
    let received = ''
    socket.setEncoding('utf8')
    socket.on('data', (chunk: string) => {
      received += chunk
      if (received.length >= text.length) {
        socket.destroy()
        resolve(received)
      }
    })
    socket.on('error', reject)
    socket.on('close', () => resolve(received))
    socket.write(text)
  })
}
