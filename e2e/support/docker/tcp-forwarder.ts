// A loopback TCP endpoint in front of an engine's unix socket: DOCKER_HOST=tcp://127.0.0.1:<port> reaches the
// same engine the way a remote or TLS endpoint would, where the action cannot open the engine's socket itself
// and falls back to the OCI-layout upload (src/build-image/engine-route.ts).
import { createConnection, createServer, type Server, type Socket } from 'node:net'

export interface TcpForwarder {
  /** tcp://127.0.0.1:<port> */
  readonly dockerHost: string
  close(): Promise<void>
}

export async function startTcpForwarder(unixSocket: string): Promise<TcpForwarder> {
  const open = new Set<Socket>()
  const track = (socket: Socket): Socket => {
    open.add(socket)
    socket.on('close', () => open.delete(socket))
    socket.on('error', () => socket.destroy())
    return socket
  }
  const server: Server = createServer((client) => {
    const engine = track(createConnection(unixSocket))
    track(client)
    client.pipe(engine)
    engine.pipe(client)
    client.on('close', () => engine.destroy())
    engine.on('close', () => client.destroy())
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => resolve())
  })
  const address = server.address()
  if (address === null || typeof address === 'string') throw new Error('the forwarder has no TCP port')
  return {
    dockerHost: `tcp://127.0.0.1:${address.port}`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of open) socket.destroy()
        server.close(() => resolve())
      })
  }
}

/** The unix socket of the DOCKER_HOST in effect. */
export function engineSocketOf(env: NodeJS.ProcessEnv = process.env): string {
  const host = env.DOCKER_HOST ?? 'unix:///var/run/docker.sock'
  if (!host.startsWith('unix://')) throw new Error(`DOCKER_HOST=${host} is not a unix socket`)
  return host.slice('unix://'.length)
}
