// The test set-up's BuildKit builder: a Docker engine's embedded BuildKit reached as buildx's `remote`
// driver through the engine API's `POST /grpc` upgrade to h2c, the endpoint buildx's own `docker` driver
// uses. Written apart from the action's own proxy (src/adapters/engine-grpc-proxy.ts) on purpose, over raw
// sockets, so that a fault in one cannot hide the same fault in the other.
import { createConnection, createServer, type Server, type Socket } from 'node:net'

export interface BuildkitProxy {
  readonly socketPath: string
  close(): Promise<void>
}

const UPGRADE = 'POST /grpc HTTP/1.1\r\nHost: docker\r\nConnection: Upgrade\r\nUpgrade: h2c\r\nContent-Length: 0\r\n\r\n'

/** Accepts on `socketPath`; per connection: open the engine's socket, upgrade, wait for 101, then pipe both ways. */
export async function startBuildkitProxy(engineSocket: string, socketPath: string): Promise<BuildkitProxy> {
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
